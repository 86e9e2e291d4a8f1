#pragma once
/// \file
/// Internals of the hypothesis module: binomial (p = 1/2) and chi-square tail probabilities that
/// stay accurate far below the smallest double, by returning natural logarithms.
/// Everything here lives in disfer::detail and may change without notice.

#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace disfer::detail {

/// Below this (results of Boost's incomplete beta / gamma near or in the subnormal range lose
/// relative precision: 2.6e-6 measured at 1e-318) the log-space formulas are used instead; above
/// it, Boost measured within 3e-15 of mpmath on tests/hypothesis/reference/mcnemar_tail.csv.
inline constexpr double log_space_threshold = 1e-300;

inline constexpr double ln2 = 0.69314718055994530942;
inline constexpr double ln10 = 2.30258509299404568402;

/// Loader's stirlerr(n) = ln(n!) - ((n + 1/2) ln n - n + ln sqrt(2 pi)) (C. Loader, "Fast and accurate
/// computation of binomial probabilities", 2000): table for n <= 15 (values from mpmath, 40 digits),
/// the Stirling series beyond.
inline double stirlerr(double n) {
  static constexpr double table[16] = {0.0,
                                       0.08106146679532725822,
                                       0.041340695955409294094,
                                       0.027677925684998339149,
                                       0.020790672103765093112,
                                       0.016644691189821192163,
                                       0.013876128823070747999,
                                       0.011896709945891770095,
                                       0.010411265261972096497,
                                       0.0092554621827127329177,
                                       0.0083305634333628712565,
                                       0.007573675487951840795,
                                       0.0069428401072095298657,
                                       0.0064089941880042070684,
                                       0.0059513701127588477356,
                                       0.005554733551962801371};
  constexpr double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188;
  if (n <= 15.0) return table[static_cast<int>(n)];
  const double nn = n * n;
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/// Loader's deviance term bd0(x, np) = x ln(x / np) + np - x, by a series when x is near np.
inline double bd0(double x, double np) {
  if (std::fabs(x - np) < 0.1 * (x + np)) {
    double v = (x - np) / (x + np);
    double s = (x - np) * v;
    double ej = 2 * x * v;
    v = v * v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v;
      const double s1 = s + ej / (2 * j + 1);
      if (s1 == s) return s1;
      s = s1;
    }
    return s;
  }
  return x * std::log(x / np) + np - x;
}

/// ln P(X = x) for X ~ Binomial(n, 1/2), 0 <= x <= n, accurate to a few ulps of |ln P| for any n
/// (Loader's saddle-point form, as in R's dbinom).
inline double log_binomial_half_pmf(std::int64_t x, std::int64_t n) {
  if (x == 0 || x == n) return -static_cast<double>(n) * ln2;
  const double dn = static_cast<double>(n), dx = static_cast<double>(x), half = dn / 2;
  const double lc = stirlerr(dn) - stirlerr(dx) - stirlerr(dn - dx) - bd0(dx, half) - bd0(dn - dx, half);
  const double lf = std::log(2 * 3.14159265358979323846) + std::log(dx) + std::log1p(-dx / dn);
  return lc - 0.5 * lf;
}

/// Sum of P(X = j) / P(X = m) over j = 0..m, for X ~ Binomial(n, 1/2) and m < n/2: the terms fall
/// by the factor j / (n - j + 1) at each step down, so the sum converges geometrically.
/// O(number of terms until 1e-17 relative), O(sqrt(n)) in the worst case.
inline double binomial_half_tail_ratio_sum(std::int64_t m, std::int64_t n) {
  double sum = 1.0, term = 1.0;
  for (std::int64_t j = m; j > 0; --j) {
    term *= static_cast<double>(j) / static_cast<double>(n - j + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/// P(X = x) for X ~ Binomial(n, 1/2), from Boost's ibeta_derivative (may underflow).
inline double binomial_half_pmf(std::int64_t x, std::int64_t n) {
  if (n == 0) return 1.0;
  return boost::math::ibeta_derivative(static_cast<double>(x + 1), static_cast<double>(n - x + 1), 0.5) /
         static_cast<double>(n + 1);
}

/// P(X <= m) for X ~ Binomial(n, 1/2), 0 <= m < n: I_{1/2}(n - m, m + 1) (may underflow to 0).
inline double binomial_half_cdf(std::int64_t m, std::int64_t n) {
  return boost::math::ibeta(static_cast<double>(n - m), static_cast<double>(m + 1), 0.5);
}

/// ln of the regularised upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a) for large x, by the
/// asymptotic series Gamma(a, x) ~ x^(a-1) e^-x sum_k (a-1)(a-2)...(a-k) / x^k (Abramowitz & Stegun
/// 6.5.32). Used only where Q underflows, i.e. x >~ 640 + a, where the series converges to full
/// precision within a few terms (it terminates for integer a).
inline double log_gamma_q_asymptotic(double a, double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 200; ++k) {
    const double next = term * (a - k) / x;
    if (std::fabs(next) >= std::fabs(term) && k > 1) break;  // asymptotic series starts diverging
    term = next;
    sum += term;
    if (std::fabs(term) < 1e-17 * std::fabs(sum)) break;
  }
  return (a - 1) * std::log(x) - x - std::lgamma(a) + std::log(sum);
}

/// Upper tail of a chi-square with `df` degrees of freedom: p = Q(df/2, stat/2) and its log10,
/// switching to log space where p underflows. stat must be finite and >= 0.
struct tail_value {
  double p = 1;
  double log10_p = 0;
};

inline tail_value chi_square_upper_tail(double stat, double df) {
  tail_value t;
  if (stat <= 0) return t;
  const double a = df / 2, x = stat / 2;
  const double q = boost::math::gamma_q(a, x);
  if (q >= log_space_threshold) {
    t.p = q;
    t.log10_p = std::log10(q);
    return t;
  }
  t.log10_p = log_gamma_q_asymptotic(a, x) / ln10;
  t.p = std::pow(10.0, t.log10_p);
  return t;
}

}  // namespace disfer::detail
