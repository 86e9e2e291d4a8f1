#pragma once
/// \file
/// Internal: two-sided normal tail probabilities that stay accurate far into the tail
/// (p = erfc(|z| / sqrt 2), never 1 - Phi) and their base-10 logarithm even where p underflows.

#include <cmath>
#include <limits>

#include <boost/math/special_functions/erf.hpp>

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
  const long double ln10 = 2.302585092994045684017991454684364208L;
  // long double erfc reaches 1e-4900; beyond that (|z| > 150) the continued fraction takes over.
  r.log10_p_value = static_cast<double>((p > 0 ? std::log(p) : log_erfc(x)) / ln10);
  return r;
}

}  // namespace disfer::detail
