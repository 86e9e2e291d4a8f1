#pragma once
/// \file
/// The count table shared by the crowd and agreement modules: items x categories, n_ij = number of
/// ratings of item i in category j, as 64-bit integers (exact sums of squares up to 3e9 ratings
/// per item), and the checks every statistic applies to it.

#include <cstddef>
#include <cstdint>

#include <Eigen/Core>

#include "disfer/core/error.hpp"

namespace disfer {

/// Items x categories count table (rows = items, columns = categories).
using count_matrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;

namespace detail {

/// Checks the shape and the signs of a count table: at least one row, at least `min_categories`
/// columns, no negative count. Throws disfer::error naming `function` and the first bad row
/// (1-based, as a spreadsheet user counts). O(N k).
template <class Derived>
void check_counts(const char* function, const Eigen::MatrixBase<Derived>& counts, std::ptrdiff_t min_categories = 2) {
  if (counts.rows() == 0) fail(function, "the count table is empty (0 items)");
  if (counts.cols() < min_categories)
    fail(function, "the count table has ", counts.cols(), " categor", counts.cols() == 1 ? "y" : "ies", "; at least ",
         min_categories, " are needed");
  for (Eigen::Index i = 0; i < counts.rows(); ++i)
    for (Eigen::Index j = 0; j < counts.cols(); ++j)
      if (counts(i, j) < 0)
        fail(function, "row ", i + 1, " has a negative count ", counts(i, j), " in column ", j + 1);
}

}  // namespace detail
}  // namespace disfer
