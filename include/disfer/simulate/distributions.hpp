#pragma once
/// \file
/// Random variates for the study simulation, built only from disfer's Philox streams
/// (`random_cursor` unit doubles) and disfer's portable elementary functions
/// (detail::portable::log / exp / cos_sin_2pi, built from IEEE basic operations): no standard-library
/// distribution and no libm transcendental is used, so a seed gives the same bits on every
/// conforming platform and compiler (without -ffast-math).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/portable_math.hpp"

namespace disfer::detail {

/// A unit double in (0, 1): next_unit() redrawn while it is 0 (probability 2^-53 a draw).
inline double open_unit(random_cursor& rng) {
  for (;;) {
    const double u = rng.next_unit();
    if (u > 0.0) return u;
  }
}

/// A standard normal variate by the Box-Muller transform: sqrt(-2 ln u1) cos(2 pi u2), with u1 in
/// (0, 1) and the portable log and cosine. Uses 4 words (two unit doubles); the sine half is dropped
/// so every call consumes the same number of words.
DISFER_STRICT_FP_FUNCTION inline double standard_normal(random_cursor& rng) {
  DISFER_STRICT_FP_BLOCK
  const double u1 = open_unit(rng);
  const double u2 = rng.next_unit();
  double c = 0, s = 0;
  portable::cos_sin_2pi(u2, c, s);
  return std::sqrt(-2.0 * portable::log(u1)) * c;
}

/// A Gamma(shape, 1) variate by Marsaglia & Tsang ("A simple method for generating gamma
/// variables", ACM TOMS 26(3), 2000): for shape >= 1, d = shape - 1/3, c = 1/sqrt(9d), repeat
/// x ~ N(0,1), v = (1 + c x)^3 until v > 0 and ln u < x^2/2 + d - d v + d ln v; return d v.
/// For 0 < shape < 1, Gamma(shape + 1) * u^(1/shape) (their section 6), computed as
/// exp(ln G + ln(u) / shape) so that it underflows cleanly to 0 for tiny shapes.
/// Returns 0 for shape == 0. Throws disfer::error (named `function`) for a negative or non-finite shape.
DISFER_STRICT_FP_FUNCTION inline double gamma_variate(random_cursor& rng, double shape,
                                                      const char* function = "simulate_study") {
  DISFER_STRICT_FP_BLOCK
  if (!(shape >= 0.0) || !std::isfinite(shape)) fail(function, "gamma shape ", shape, " must be finite and >= 0");
  if (shape == 0.0) return 0.0;
  const bool boost = shape < 1.0;
  const double a = boost ? shape + 1.0 : shape;
  const double d = a - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double g = 0;
  for (;;) {
    const double x = standard_normal(rng);
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = open_unit(rng);
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) {  // squeeze
      g = d * v;
      break;
    }
    if (portable::log(u) < 0.5 * x2 + d * (1.0 - v + portable::log(v))) {
      g = d * v;
      break;
    }
  }
  if (!boost) return g;
  return portable::exp(portable::log(g) + portable::log(open_unit(rng)) / shape);
}

/// A Beta(a, b) variate as X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b). a, b > 0. If both gammas
/// underflow to 0 (a, b both tiny), returns 0 or 1 with probabilities a/(a+b), b/(a+b).
inline double beta_variate(random_cursor& rng, double a, double b, const char* function = "simulate_study") {
  if (!(a > 0.0) || !(b > 0.0)) fail(function, "beta parameters (", a, ", ", b, ") must be > 0");
  const double x = gamma_variate(rng, a, function);
  const double y = gamma_variate(rng, b, function);
  if (x + y > 0.0) return x / (x + y);
  return rng.next_unit() < a / (a + b) ? 1.0 : 0.0;
}

/// A Dirichlet(alpha) variate (normalised independent gammas). Entries with alpha_j = 0 are 0.
/// If every gamma underflows to 0, all the mass goes to one category drawn with probabilities
/// proportional to alpha (the limit of the distribution). Throws disfer::error when alpha is empty,
/// has a negative or non-finite entry, or sums to 0.
inline std::vector<double> dirichlet_variate(random_cursor& rng, const std::vector<double>& alpha,
                                             const char* function = "simulate_study") {
  if (alpha.empty()) fail(function, "a Dirichlet needs at least one category");
  std::vector<double> x(alpha.size());
  double total = 0, alpha_total = 0;
  for (std::size_t j = 0; j < alpha.size(); ++j) {
    x[j] = gamma_variate(rng, alpha[j], function);
    total += x[j];
    alpha_total += alpha[j];
  }
  if (!(alpha_total > 0.0)) fail(function, "the Dirichlet parameters sum to 0");
  if (total > 0.0) {
    for (double& v : x) v /= total;
    return x;
  }
  double u = rng.next_unit() * alpha_total;
  std::size_t pick = alpha.size() - 1;
  for (std::size_t j = 0; j < alpha.size(); ++j) {
    if (alpha[j] > 0.0 && u < alpha[j]) {
      pick = j;
      break;
    }
    u -= alpha[j];
  }
  for (double& v : x) v = 0.0;
  x[pick] = 1.0;
  return x;
}

/// A category drawn from the probabilities p (which must sum to about 1; the last category with
/// positive probability absorbs rounding): inverse-CDF search on one unit double. O(k).
inline std::uint32_t categorical_variate(random_cursor& rng, const double* p, std::size_t k) {
  double u = rng.next_unit();
  std::size_t last = 0;
  for (std::size_t j = 0; j < k; ++j) {
    if (p[j] <= 0.0) continue;
    last = j;
    if (u < p[j]) return static_cast<std::uint32_t>(j);
    u -= p[j];
  }
  return static_cast<std::uint32_t>(last);
}

}  // namespace disfer::detail
