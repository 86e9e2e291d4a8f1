#pragma once
/// \file
/// Gwet's AC1 agreement coefficient for many raters with missing ratings (Gwet 2008; R irrCAC
/// gwet.ac1.raw, unweighted).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>
#include <boost/math/distributions/students_t.hpp>

#include "disfer/agreement/count_table.hpp"
#include "disfer/agreement/fleiss_kappa.hpp"

namespace disfer {

/// Result of gwet_ac1.
struct gwet_ac1_result {
  double ac1 = std::numeric_limits<double>::quiet_NaN();   ///< (p_a - p_e) / (1 - p_e)
  double p_a = std::numeric_limits<double>::quiet_NaN();   ///< mean P_i over items with n_i >= 2
  double p_e = std::numeric_limits<double>::quiet_NaN();   ///< sum_j pi_j (1 - pi_j) / (k - 1)
  double se = std::numeric_limits<double>::quiet_NaN();    ///< linearised SE (Gwet 2008)
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();  ///< capped at 1
  double p_value = std::numeric_limits<double>::quiet_NaN();  ///< two-sided, t with N - 1 df
  double log10_p_value = std::numeric_limits<double>::quiet_NaN();
  std::size_t n_items = 0;  ///< items with n_i >= 1 (N)
  std::size_t n_pairs_items = 0;  ///< items with n_i >= 2
};

/// Gwet's AC1 of an items x categories count table. pi_j = mean over rated items of n_ij / n_i,
/// p_e = sum_j pi_j (1 - pi_j) / (k - 1) with k = the number of columns (declare every category,
/// as irrCAC's categ.labels), p_a = P-bar over items with n_i >= 2; items with one rating count in
/// pi_j and in N, unrated items are left out (as irrCAC). SE: Gwet's linearisation
/// var = sum_i (ac1_i* - ac1)^2 / (N (N - 1)), ac1_i* = (N/N2)(P_i - p_e [n_i >= 2]) / (1 - p_e)
/// - 2 (1 - ac1)(pe_i - p_e) / (1 - p_e), pe_i = sum_j n_ij (1 - pi_j) / (n_i (k - 1)). Interval:
/// ac1 -+ t se (N - 1 df), upper end capped at 1. p_value: two-sided from t = ac1 / se with N - 1
/// df (irrCAC prints the one-sided 1 - pt(t, N - 1)). NaN when p_e = 1 (impossible for k >= 2) and
/// for the SE when N < 2. Complexity O(N k), two passes. Throws disfer::error (named `gwet_ac1`)
/// for an empty table, k < 2, negative counts, no item with 2 ratings, confidence outside (0, 1).
template <class Derived>
gwet_ac1_result gwet_ac1(const Eigen::MatrixBase<Derived>& counts, double confidence = 0.95) {
  constexpr const char* fn = "gwet_ac1";
  detail::check_counts(fn, counts);
  if (!(confidence > 0 && confidence < 1)) detail::fail(fn, "confidence ", confidence, " is outside (0, 1)");
  using ld = long double;
  const Eigen::Index k = counts.cols();
  std::vector<ld> pi(static_cast<std::size_t>(k), 0);
  ld sum_p = 0;
  gwet_ac1_result r;
  for (Eigen::Index i = 0; i < counts.rows(); ++i) {
    const std::int64_t n = counts.row(i).sum();
    if (n == 0) continue;
    ++r.n_items;
    for (Eigen::Index j = 0; j < k; ++j) pi[static_cast<std::size_t>(j)] += static_cast<ld>(counts(i, j)) / n;
    if (n < 2) continue;
    ++r.n_pairs_items;
    std::int64_t pairs = 0;
    for (Eigen::Index j = 0; j < k; ++j) pairs += counts(i, j) * (counts(i, j) - 1);
    sum_p += static_cast<ld>(pairs) / (static_cast<ld>(n) * (n - 1));
  }
  if (r.n_pairs_items == 0) detail::fail(fn, "no item has 2 or more ratings; AC1 needs pairs of ratings");
  const ld N = static_cast<ld>(r.n_items), N2 = static_cast<ld>(r.n_pairs_items);
  ld pe = 0;
  for (auto& v : pi) {
    v /= N;
    pe += v * (1 - v);
  }
  pe /= static_cast<ld>(k - 1);
  const ld pa = sum_p / N2;
  r.p_a = static_cast<double>(pa);
  r.p_e = static_cast<double>(pe);
  if (!(pe < 1)) return r;
  const ld ac1 = (pa - pe) / (1 - pe);
  r.ac1 = static_cast<double>(ac1);
  if (r.n_items < 2) return r;
  ld acc = 0;
  for (Eigen::Index i = 0; i < counts.rows(); ++i) {
    const std::int64_t n = counts.row(i).sum();
    if (n == 0) continue;
    std::int64_t pairs = 0;
    ld dot = 0;
    for (Eigen::Index j = 0; j < k; ++j) {
      pairs += counts(i, j) * (counts(i, j) - 1);
      dot += static_cast<ld>(counts(i, j)) * (1 - pi[static_cast<std::size_t>(j)]);
    }
    const ld p_i = n >= 2 ? static_cast<ld>(pairs) / (static_cast<ld>(n) * (n - 1)) : 0;
    const ld a_i = (N / N2) * (p_i - (n >= 2 ? pe : 0)) / (1 - pe);
    const ld pe_i = dot / (static_cast<ld>(n) * static_cast<ld>(k - 1));
    const ld d = a_i - 2 * (1 - ac1) * (pe_i - pe) / (1 - pe) - ac1;
    acc += d * d;
  }
  const ld se = std::sqrt(acc / (N * (N - 1)));
  r.se = static_cast<double>(se);
  const double df = static_cast<double>(r.n_items - 1);
  const double t = detail::t_quantile(confidence, df);
  r.ci_low = r.ac1 - t * r.se;
  r.ci_high = std::fmin(1.0, r.ac1 + t * r.se);
  if (r.se > 0) {
    boost::math::students_t_distribution<double> dist(df);
    const double stat = std::fabs(r.ac1 / r.se);
    r.p_value = 2 * boost::math::cdf(boost::math::complement(dist, stat));
    r.log10_p_value = std::log10(r.p_value);
  }
  return r;
}

}  // namespace disfer
