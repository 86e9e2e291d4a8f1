#pragma once
/// \file
/// Cochran's Q test (Cochran 1950): do m >= 2 classifiers have the same accuracy on the same items?
/// For m = 2 it equals the uncorrected McNemar chi-square.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "disfer/core/error.hpp"
#include "disfer/hypothesis/mcnemar.hpp"
#include "disfer/hypothesis/tails.hpp"

namespace disfer {

/// Result of cochran_q().
struct cochran_q_result {
  double statistic = 0;      ///< Q
  double p_value = 1;        ///< upper chi-square tail with df = m - 1
  double log10_p_value = 0;  ///< accurate also where p underflows
  std::int64_t df = 0;       ///< m - 1
  std::int64_t n_items = 0;  ///< rows of the success table
};

/// Cochran's Q from an items x classifiers table of successes (1 = correct, 0 = wrong):
/// Q = (m - 1) (m sum_j C_j^2 - N^2) / (m N - sum_i R_i^2), C_j the column totals, R_i the row
/// totals, N the grand total; p from chi-square with m - 1 df (statsmodels `cochrans_q`, the SAS
/// formula; mlxtend `cochrans_q`). Sums are exact 64-bit integers. NaN statistic and p when the
/// denominator is 0 (every item right for all classifiers or wrong for all). O(items x m).
/// Throws disfer::error when m < 2, there are no items, or an entry is not 0 or 1.
inline cochran_q_result cochran_q(const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>& success) {
  constexpr const char* fn = "cochran_q";
  const Eigen::Index items = success.rows(), m = success.cols();
  if (m < 2) detail::fail(fn, "m = ", m, " classifiers; at least 2 are needed");
  if (items == 0) detail::fail(fn, "the table has no items");
  std::vector<std::int64_t> col(static_cast<std::size_t>(m), 0);
  std::int64_t total = 0, row_sq = 0;
  for (Eigen::Index i = 0; i < items; ++i) {
    std::int64_t row = 0;
    for (Eigen::Index j = 0; j < m; ++j) {
      const std::int64_t v = success(i, j);
      if (v != 0 && v != 1) detail::fail(fn, "entry (", i, ", ", j, ") = ", v, "; successes must be 0 or 1");
      row += v;
      col[static_cast<std::size_t>(j)] += v;
    }
    total += row;
    row_sq += row * row;
  }
  std::int64_t col_sq = 0;
  for (const auto v : col) col_sq += v * v;
  cochran_q_result r;
  r.df = m - 1;
  r.n_items = items;
  const double num = static_cast<double>(m - 1) * static_cast<double>(m * col_sq - total * total);
  const double den = static_cast<double>(m * total - row_sq);
  if (den == 0) {
    r.statistic = r.p_value = r.log10_p_value = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.statistic = num / den;
  const auto t = detail::chi_square_upper_tail(r.statistic, static_cast<double>(r.df));
  r.p_value = t.p;
  r.log10_p_value = t.log10_p;
  return r;
}

/// Cochran's Q of several prediction vectors against the truth (success = prediction equals truth).
/// Labels: integers >= 0 or enumerations. O(items x m). Throws disfer::error when fewer than 2
/// prediction vectors are given, lengths differ, or a label is negative.
template <class T, class P>
cochran_q_result cochran_q(const T& truth, const std::vector<P>& predictions) {
  constexpr const char* fn = "cochran_q";
  const auto n = static_cast<std::size_t>(std::size(truth));
  if (predictions.size() < 2) detail::fail(fn, "m = ", predictions.size(), " classifiers; at least 2 are needed");
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> s(static_cast<Eigen::Index>(n),
                                                                static_cast<Eigen::Index>(predictions.size()));
  for (std::size_t j = 0; j < predictions.size(); ++j) {
    if (static_cast<std::size_t>(std::size(predictions[j])) != n)
      detail::fail(fn, "predictions[", j, "] has ", std::size(predictions[j]), " labels but truth has ", n);
    auto it = std::begin(truth);
    auto ip = std::begin(predictions[j]);
    for (std::size_t i = 0; i < n; ++i, ++it, ++ip)
      s(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          detail::label_value(*ip, fn, "prediction", i) == detail::label_value(*it, fn, "truth", i) ? 1 : 0;
  }
  return cochran_q(s);
}

}  // namespace disfer
