#pragma once
/// \file
/// Internal: two-sided normal tail probabilities that stay accurate far into the tail
/// (p = erfc(|z| / sqrt 2), never 1 - Phi) and their base-10 logarithm even where p underflows.

#include <cmath>
#include <limits>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace disfer::detail {

/// log(erfc(x)) for x >= 0: directly while erfc(x) is a normal double, else from the asymptotic
/// (Laplace) continued fraction erfc(x) = exp(-x^2) / (x sqrt(pi)) * 1 / (1 + 1/(2x^2) / (1 + 2/(2x^2) / ...)),
/// which at x > 26 converges to full double precision within 40 terms.
inline long double log_erfc(long double x) {
  if (x < 26.0L) return std::log(boost::math::erfc(x));  // erfc(26) ~ 1e-296 is still exact here
  // Evaluate the continued fraction erfc(x) sqrt(pi) x e^{x^2} = 1/(1+ a1/(1+ a2/(1+ ...))), a_m = m/(2x^2).
  const long double t = 1.0L / (2.0L * x * x);
  long double f = 1.0L;
  for (int m = 60; m >= 1; --m) f = 1.0L + m * t / f;
  const long double log_sqrt_pi = 0.5723649429247000870717136756012478L;
  return -x * x - std::log(x) - log_sqrt_pi - std::log(f);
}

/// Two-sided p-value of a standard normal statistic and its log10.
struct normal_tail {
  double p_value = std::numeric_limits<double>::quiet_NaN();
  double log10_p_value = std::numeric_limits<double>::quiet_NaN();
};

/// p = P(|Z| >= |z|) = erfc(|z| / sqrt 2); NaN in, NaN out; p is 0 only when it is below the
/// smallest double (then log10_p_value still holds the exact magnitude).
inline normal_tail two_sided_normal(long double z) {
  normal_tail r;
  if (std::isnan(z)) return r;
  if (std::isinf(z)) {
    r.p_value = 0.0;
    r.log10_p_value = -std::numeric_limits<double>::infinity();
    return r;
  }
  const long double x = std::fabs(z) / std::sqrt(2.0L);
  const long double p = boost::math::erfc(x);
  r.p_value = static_cast<double>(p);
  const long double ln10_l = 2.302585092994045684017991454684364208L;  // ln 10 in long double
  // long double erfc reaches 1e-4900; beyond that (|z| > 150) the continued fraction takes over.
  r.log10_p_value = static_cast<double>((p > 0 ? std::log(p) : log_erfc(x)) / ln10_l);
  return r;
}

/// Two-sided p-value of Student's t with `df` degrees of freedom, P(|T| >= |t|) =
/// I_x(df/2, 1/2) with x = df / (df + t^2) (regularised incomplete beta, in long double so that
/// p down to 1e-4900 is exact); beyond that log10 p from the leading term of the series
/// I_x(a, b) ~ x^a (1 - x)^b / (a B(a, b)).
inline normal_tail two_sided_t(long double t, long double df) {
  normal_tail r;
  if (std::isnan(t) || !(df > 0)) return r;
  const long double ln10_l = 2.302585092994045684017991454684364208L;  // ln 10 in long double
  const long double a = df / 2, b = 0.5L;
  const long double x = df / (df + t * t);
  const long double p = boost::math::ibeta(a, b, x);
  r.p_value = static_cast<double>(p);
  if (p > 0) {
    r.log10_p_value = static_cast<double>(std::log(p) / ln10_l);
  } else {
    const long double log_beta = boost::math::lgamma(a) + boost::math::lgamma(b) - boost::math::lgamma(a + b);
    r.log10_p_value = static_cast<double>((a * std::log(x) + b * std::log1p(-x) - std::log(a) - log_beta) / ln10_l);
  }
  return r;
}

}  // namespace disfer::detail
