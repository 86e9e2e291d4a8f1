#pragma once
/// \file
/// Borji & Itti's error correlation: the Pearson correlation between two confusion matrices over
/// their off-diagonal cells (the errors), with its exact t-test p-value and Fisher-z interval.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>
#include <boost/math/special_functions/beta.hpp>

#include "disfer/core/error.hpp"
#include "disfer/metrics/confusion_matrix.hpp"

namespace disfer {

/// Result of off_diagonal_correlation().
struct correlation_result {
  double r = 0;              ///< Pearson r over the off-diagonal cells
  double p_value = 1;        ///< two-sided, exact under bivariate normality (t with n - 2 df)
  std::int64_t n_cells = 0;  ///< k (k - 1)
  double ci_low = 0;         ///< Fisher-z interval (NaN when n_cells < 4)
  double ci_high = 0;        ///< Fisher-z interval (NaN when n_cells < 4)
  double level = 0.95;       ///< confidence level of the interval
};

namespace detail {

/// Pearson r, p and Fisher-z interval of two equally long samples (scipy.stats.pearsonr conventions).
inline correlation_result pearson(const std::vector<double>& x, const std::vector<double>& y, double level,
                                  const char* fn) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double z_crit = normal_quantile_two_sided(level, fn);
  correlation_result out;
  out.level = level;
  const std::size_t n = x.size();
  out.n_cells = static_cast<std::int64_t>(n);
  bool has_nan = false, x_const = true, y_const = true;
  for (std::size_t i = 0; i < n; ++i) {
    has_nan = has_nan || std::isnan(x[i]) || std::isnan(y[i]);
    x_const = x_const && x[i] == x[0];
    y_const = y_const && y[i] == y[0];
  }
  if (n < 2 || has_nan || x_const || y_const) {  // checked before centring (numpy#32446)
    out.r = out.p_value = out.ci_low = out.ci_high = nan;
    return out;
  }
  if (n == 2) {  // as scipy: two points always lie on a line, r = +-1 exactly, p = 1
    out.r = ((x[1] > x[0]) == (y[1] > y[0])) ? 1.0 : -1.0;
    out.p_value = 1.0;
    out.ci_low = out.ci_high = nan;
    return out;
  }
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  double r = sxy / (std::sqrt(sxx) * std::sqrt(syy));
  r = std::max(-1.0, std::min(1.0, r));
  out.r = r;
  const double df = static_cast<double>(n) - 2;
  if (std::fabs(r) == 1.0) {
    out.p_value = 0.0;
  } else {
    // p = P(|T| >= |t|), T ~ t(n - 2), t^2 = df r^2 / (1 - r^2):  p = I_{1 - r^2}(df/2, 1/2).
    out.p_value = boost::math::ibeta(df / 2, 0.5, (1 - r) * (1 + r));
  }
  if (n < 4) {
    out.ci_low = out.ci_high = nan;
  } else {
    const double z = std::atanh(r), se = 1 / std::sqrt(static_cast<double>(n) - 3);
    out.ci_low = std::tanh(z - z_crit * se);
    out.ci_high = std::tanh(z + z_crit * se);
  }
  return out;
}

}  // namespace detail

/// Pearson correlation of the off-diagonal cells of two k x k confusion matrices (Borji & Itti 2014;
/// Figure 4 of Leveque et al. 2022): cells (t, p) with t != p, after normalising each matrix by `how`
/// (`none`: raw counts; `row`: each row over its total, i.e. error rates given the truth; the choice
/// changes r, since rows of different support weigh differently). The order of the cells does not
/// matter (r is invariant to a common permutation). p-value: two-sided, p = I_{1-r^2}((n-2)/2, 1/2)
/// with n = k (k - 1) (scipy.stats.pearsonr); interval: tanh(atanh(r) -+ z / sqrt(n - 3)) (scipy's
/// `confidence_interval()`). The cells are not independent draws: read p as descriptive.
/// NaN: r, p and interval when either side is constant (e.g. a perfect classifier: all errors 0)
/// or contains a NaN cell (a row with total 0 under row normalisation); the interval when n < 4.
/// k = 2 gives n = 2, r = +-1 and p = 1 (scipy). O(k^2).
/// Throws disfer::error when the matrices are not square, differ in size, k < 2, hold negative
/// counts, or level is not in (0, 1).
inline correlation_result off_diagonal_correlation(const confusion_counts& cm_a, const confusion_counts& cm_b,
                                                   normalization how = normalization::none, double level = 0.95) {
  constexpr const char* fn = "off_diagonal_correlation";
  detail::check_confusion(cm_a, fn);
  detail::check_confusion(cm_b, fn);
  if (cm_a.rows() != cm_b.rows())
    detail::fail(fn, "cm_a is ", cm_a.rows(), " x ", cm_a.cols(), " but cm_b is ", cm_b.rows(), " x ", cm_b.cols());
  const Eigen::MatrixXd a = normalize(cm_a, how), b = normalize(cm_b, how);
  std::vector<double> x, y;
  const Eigen::Index k = cm_a.rows();
  x.reserve(static_cast<std::size_t>(k * (k - 1)));
  y.reserve(static_cast<std::size_t>(k * (k - 1)));
  for (Eigen::Index t = 0; t < k; ++t)
    for (Eigen::Index p = 0; p < k; ++p)
      if (t != p) {
        x.push_back(a(t, p));
        y.push_back(b(t, p));
      }
  return detail::pearson(x, y, level, fn);
}

}  // namespace disfer
