#pragma once
/// \file
/// Per-item agreement P_i (Fleiss 1971, eq. 2), each item with its own number of ratings n_i.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include <Eigen/Core>

#include "disfer/agreement/count_table.hpp"
#include "disfer/core/error.hpp"

namespace disfer {

/// What item_agreement does with an item that has fewer than 2 ratings.
enum class single_rating_policy {
  nan,    ///< P_i is NaN (undefined: no pair of ratings to agree)
  error,  ///< throw disfer::error naming the row
};

/// P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1)), the proportion of agreeing ordered pairs of
/// ratings of item i (Fleiss 1971, eq. 2), with n_i = sum_j n_ij the item's own number of ratings,
/// so 50 and 51 raters mix freely. Each P_i lies in [0, 1] and is computed from exact integer sums.
/// Items with n_i < 2 give NaN (or an error with single_rating_policy::error).
/// Complexity O(N k). Throws disfer::error (naming `item_agreement` and the row) for an empty table,
/// fewer than 2 categories or a negative count.
template <class Derived>
Eigen::VectorXd item_agreement(const Eigen::MatrixBase<Derived>& counts,
                               single_rating_policy policy = single_rating_policy::nan) {
  detail::check_counts("item_agreement", counts);
  Eigen::VectorXd p(counts.rows());
  for (Eigen::Index i = 0; i < counts.rows(); ++i) {
    std::int64_t n = 0, pairs = 0;
    for (Eigen::Index j = 0; j < counts.cols(); ++j) {
      const std::int64_t v = counts(i, j);
      n += v;
      pairs += v * (v - 1);
    }
    if (n < 2) {
      if (policy == single_rating_policy::error)
        detail::fail("item_agreement", "row ", i + 1, " has ", n, " rating", n == 1 ? "" : "s",
                     "; every item needs at least 2");
      p[i] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    p[i] = static_cast<double>(static_cast<long double>(pairs) / (static_cast<long double>(n) * (n - 1)));
  }
  return p;
}

/// Counts of P_i above and below thresholds, as the paper reports them (Lévêque et al. 2022: the
/// share of images with P_i > 0.9, P_i > 0.5 and P_i < 0.3). NaN entries (n_i < 2) are counted in
/// `undefined` and in none of the others.
struct item_agreement_summary {
  std::size_t items = 0;                                   ///< all entries
  std::size_t undefined = 0;                               ///< NaN entries (n_i < 2)
  std::size_t above_0_9 = 0;                               ///< P_i > 0.9
  std::size_t above_0_5 = 0;                               ///< P_i > 0.5
  std::size_t below_0_3 = 0;                               ///< P_i < 0.3
  double mean = std::numeric_limits<double>::quiet_NaN();  ///< mean of the defined P_i (P-bar)
};

/// Summarises P_i values (from item_agreement). O(N). Throws disfer::error when no P_i is defined
/// (an empty vector, or every item with fewer than 2 ratings): the mean would be NaN.
inline item_agreement_summary summarize_item_agreement(const Eigen::VectorXd& p_i) {
  item_agreement_summary s;
  s.items = static_cast<std::size_t>(p_i.size());
  long double sum = 0;
  for (Eigen::Index i = 0; i < p_i.size(); ++i) {
    const double v = p_i[i];
    if (v != v) {
      ++s.undefined;
      continue;
    }
    sum += v;
    if (v > 0.9) ++s.above_0_9;
    if (v > 0.5) ++s.above_0_5;
    if (v < 0.3) ++s.below_0_3;
  }
  const std::size_t defined = s.items - s.undefined;
  if (defined == 0)
    detail::fail("summarize_item_agreement",
                 s.items == 0
                     ? std::string("no items (the vector is empty)")
                     : detail::concat("none of the ", s.items, " items has a defined P_i (n_i < 2 everywhere)"));
  s.mean = static_cast<double>(sum / static_cast<long double>(defined));
  return s;
}

}  // namespace disfer
