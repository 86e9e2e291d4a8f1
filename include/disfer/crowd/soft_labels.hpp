#pragma once
/// \file
/// Soft labels: each item's vote distribution (the FER+ "probability" labels of Barsoum et al. 2016).

#include <cstdint>
#include <limits>

#include <Eigen/Core>

#include "disfer/agreement/count_table.hpp"

namespace disfer {

/// Row-normalised vote fractions: soft(i, j) = n_ij / n_i, each row summing to 1. An item without
/// votes gives a row of NaN (no distribution), never a silent uniform row. Complexity O(N k).
/// Throws disfer::error (named `soft_labels`) for an empty table, k < 2 or a negative count.
template <class Derived>
Eigen::MatrixXd soft_labels(const Eigen::MatrixBase<Derived>& counts) {
  detail::check_counts("soft_labels", counts);
  Eigen::MatrixXd soft(counts.rows(), counts.cols());
  for (Eigen::Index i = 0; i < counts.rows(); ++i) {
    std::int64_t n = 0;
    for (Eigen::Index j = 0; j < counts.cols(); ++j) n += counts(i, j);
    for (Eigen::Index j = 0; j < counts.cols(); ++j)
      soft(i, j) = n > 0 ? static_cast<double>(counts(i, j)) / static_cast<double>(n)
                         : std::numeric_limits<double>::quiet_NaN();
  }
  return soft;
}

}  // namespace disfer
