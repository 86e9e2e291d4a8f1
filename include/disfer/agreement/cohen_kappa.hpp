#pragma once
/// \file
/// Cohen's kappa for two raters, unweighted and weighted (Cohen 1960, 1968), with the large-sample
/// non-null and null variances of Fleiss, Cohen & Everitt (1969).

#include <cmath>
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include <Eigen/Core>
#include <boost/math/distributions/normal.hpp>

#include "disfer/agreement/count_table.hpp"
#include "disfer/agreement/detail/z_test.hpp"

namespace disfer {

/// Agreement weights of Cohen's kappa; custom weights are passed as a matrix.
enum class cohen_weights {
  unweighted,  ///< w_ij = [i == j]
  linear,      ///< w_ij = 1 - |i - j| / (k - 1) (Cicchetti-Allison; statsmodels wt='linear')
  quadratic,   ///< w_ij = 1 - (i - j)^2 / (k - 1)^2 (Fleiss-Cohen; statsmodels wt='quadratic')
};

/// Result of cohen_kappa. NaN entries where undefined (see cohen_kappa).
struct cohen_kappa_result {
  double kappa = std::numeric_limits<double>::quiet_NaN();          ///< (p_o - p_e) / (1 - p_e)
  double p_o = std::numeric_limits<double>::quiet_NaN();            ///< weighted observed agreement
  double p_e = std::numeric_limits<double>::quiet_NaN();            ///< weighted chance agreement
  double se = std::numeric_limits<double>::quiet_NaN();             ///< non-null SE (FCE 1969; statsmodels std_kappa)
  double se0 = std::numeric_limits<double>::quiet_NaN();            ///< SE under kappa = 0 (statsmodels std_kappa0)
  double z = std::numeric_limits<double>::quiet_NaN();              ///< kappa / se0
  double p_value = std::numeric_limits<double>::quiet_NaN();        ///< two-sided normal
  double log10_p_value = std::numeric_limits<double>::quiet_NaN();  ///< exact when p_value underflows
  double ci_low = std::numeric_limits<double>::quiet_NaN();         ///< kappa - z_{(1+c)/2} se
  double ci_high = std::numeric_limits<double>::quiet_NaN();        ///< kappa + z_{(1+c)/2} se
  std::int64_t n = 0;                                               ///< number of rated pairs
};

/// The k x k agreement weight matrix of a weighting scheme.
inline Eigen::MatrixXd cohen_weight_matrix(cohen_weights weights, Eigen::Index k) {
  if (k < 2) detail::fail("cohen_weight_matrix", "k = ", k, "; at least 2 categories are needed");
  Eigen::MatrixXd w(k, k);
  const double d = static_cast<double>(k - 1);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      const double diff = std::fabs(static_cast<double>(i - j));
      w(i, j) = weights == cohen_weights::unweighted ? (i == j ? 1.0 : 0.0)
                : weights == cohen_weights::linear   ? 1.0 - diff / d
                                                     : 1.0 - diff * diff / (d * d);
    }
  return w;
}

/// Cohen's kappa of a k x k table (rows: rater A's category, columns: rater B's) with agreement
/// weights `w` (w_ii = 1, 0 <= w_ij <= 1). With p_ij = n_ij / n, row and column margins p_i., p_.j,
/// wbar_i. = sum_j p_.j w_ij and wbar_.j = sum_i p_i. w_ij (Fleiss, Cohen & Everitt 1969):
/// p_o = sum w_ij p_ij, p_e = sum w_ij p_i. p_.j, kappa = (p_o - p_e) / (1 - p_e),
/// var = [sum p_ij (w_ij - (wbar_i. + wbar_.j)(1 - kappa))^2 - (kappa - p_e (1 - kappa))^2] / (n (1 - p_e)^2),
/// var0 = [sum p_i. p_.j (w_ij - (wbar_i. + wbar_.j))^2 - p_e^2] / (n (1 - p_e)^2).
/// The same numbers as statsmodels' cohens_kappa (std_kappa, std_kappa0), DescTools and irrCAC.
/// NaN: everything when p_e = 1 (both raters always use one and the same category).
/// Complexity O(k^2). Throws disfer::error (named `cohen_kappa`) for a non-square table, k < 2,
/// negative counts, an all-zero table, weights of the wrong size or outside [0, 1] or with
/// w_ii != 1, and a confidence outside (0, 1).
template <class Derived>
cohen_kappa_result cohen_kappa(const Eigen::MatrixBase<Derived>& table, const Eigen::MatrixXd& w,
                               double confidence = 0.95) {
  constexpr const char* fn = "cohen_kappa";
  if (table.rows() != table.cols())
    detail::fail(fn, "the table is ", table.rows(), " x ", table.cols(), "; it must be square (k x k)");
  detail::check_counts(fn, table);
  const Eigen::Index k = table.rows();
  if (w.rows() != k || w.cols() != k)
    detail::fail(fn, "the weight matrix is ", w.rows(), " x ", w.cols(), "; the table is ", k, " x ", k);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      if (!(w(i, j) >= 0 && w(i, j) <= 1))
        detail::fail(fn, "weight (", i + 1, ", ", j + 1, ") = ", w(i, j), " is outside [0, 1]");
      if (i == j && w(i, j) != 1)
        detail::fail(fn, "weight (", i + 1, ", ", i + 1, ") = ", w(i, j), "; agreement weights need w_ii = 1");
    }
  if (!(confidence > 0 && confidence < 1)) detail::fail(fn, "confidence ", confidence, " is outside (0, 1)");
  using ld = long double;
  cohen_kappa_result r;
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) r.n += table(i, j);
  if (r.n == 0) detail::fail(fn, "the table holds no ratings (all counts are 0)");
  const ld n = static_cast<ld>(r.n);
  std::vector<ld> row(static_cast<std::size_t>(k), 0), col(static_cast<std::size_t>(k), 0);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      row[static_cast<std::size_t>(i)] += static_cast<ld>(table(i, j)) / n;
      col[static_cast<std::size_t>(j)] += static_cast<ld>(table(i, j)) / n;
    }
  std::vector<ld> wrow(static_cast<std::size_t>(k), 0), wcol(static_cast<std::size_t>(k), 0);
  ld po = 0, pe = 0;
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      const ld wij = w(i, j);
      po += wij * static_cast<ld>(table(i, j)) / n;
      pe += wij * row[static_cast<std::size_t>(i)] * col[static_cast<std::size_t>(j)];
      wrow[static_cast<std::size_t>(i)] += col[static_cast<std::size_t>(j)] * wij;
      wcol[static_cast<std::size_t>(j)] += row[static_cast<std::size_t>(i)] * wij;
    }
  r.p_o = static_cast<double>(po);
  r.p_e = static_cast<double>(pe);
  const ld one_minus_pe = 1 - pe;
  if (!(one_minus_pe > 0)) return r;
  const ld kappa = (po - pe) / one_minus_pe;
  r.kappa = static_cast<double>(kappa);
  ld a = 0, a0 = 0;
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      const ld wsum = wrow[static_cast<std::size_t>(i)] + wcol[static_cast<std::size_t>(j)];
      const ld d = w(i, j) - wsum * (1 - kappa);
      a += static_cast<ld>(table(i, j)) / n * d * d;
      const ld d0 = w(i, j) - wsum;
      a0 += row[static_cast<std::size_t>(i)] * col[static_cast<std::size_t>(j)] * d0 * d0;
    }
  const ld c = kappa - pe * (1 - kappa);
  const ld var = (a - c * c) / (n * one_minus_pe * one_minus_pe);
  const ld var0 = (a0 - pe * pe) / (n * one_minus_pe * one_minus_pe);
  if (var >= 0) r.se = static_cast<double>(std::sqrt(var));
  if (var0 > 0) {
    const ld se0 = std::sqrt(var0);
    r.se0 = static_cast<double>(se0);
    r.z = static_cast<double>(kappa / se0);
    const auto tail = detail::two_sided_normal(kappa / se0);
    r.p_value = tail.p_value;
    r.log10_p_value = tail.log10_p_value;
  }
  const double q = boost::math::quantile(boost::math::normal_distribution<double>(), 1 - (1 - confidence) / 2);
  r.ci_low = r.kappa - q * r.se;
  r.ci_high = r.kappa + q * r.se;
  return r;
}

/// Cohen's kappa with a predefined weighting scheme.
template <class Derived>
cohen_kappa_result cohen_kappa(const Eigen::MatrixBase<Derived>& table,
                               cohen_weights weights = cohen_weights::unweighted, double confidence = 0.95) {
  if (table.rows() < 2 || table.rows() != table.cols())
    detail::fail("cohen_kappa", "the table is ", table.rows(), " x ", table.cols(), "; it must be square with k >= 2");
  return cohen_kappa(table, cohen_weight_matrix(weights, table.rows()), confidence);
}

/// The k x k table of two raters' labels on the same items (0 <= label < k; a negative label marks
/// a missing rating and the pair is skipped). Throws disfer::error (named `cohen_table`) for
/// different lengths, k < 2 or a label >= k, naming the item index.
inline count_matrix cohen_table(const std::vector<std::int64_t>& rater_a, const std::vector<std::int64_t>& rater_b,
                                std::size_t k) {
  constexpr const char* fn = "cohen_table";
  if (rater_a.size() != rater_b.size())
    detail::fail(fn, "rater A has ", rater_a.size(), " labels and rater B ", rater_b.size(),
                 "; they must rate the same items");
  if (k < 2) detail::fail(fn, "k = ", k, "; at least 2 categories are needed");
  count_matrix t = count_matrix::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < rater_a.size(); ++i) {
    if (rater_a[i] < 0 || rater_b[i] < 0) continue;
    if (rater_a[i] >= static_cast<std::int64_t>(k) || rater_b[i] >= static_cast<std::int64_t>(k))
      detail::fail(fn, "item ", i, " has label ", std::max(rater_a[i], rater_b[i]), ", outside 0-", k - 1);
    ++t(rater_a[i], rater_b[i]);
  }
  return t;
}

}  // namespace disfer
