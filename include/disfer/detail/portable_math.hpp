#pragma once
/// \file
/// Elementary functions built only from IEEE-754 basic operations (+, -, *, /, sqrt, floor,
/// frexp, ldexp), which every conforming platform rounds identically, so that the results are the
/// same bits everywhere: unlike the platform's libm, whose exp/log/sin differ in the last ulp
/// between glibc, libmvec, macOS and MSVC. Accuracy is a few ulp (checked against mpmath in the
/// tests); the point is reproducibility, not speed. Code using them must not be compiled with
/// -ffast-math, and is protected from floating-point contraction (FMA fusion) by
/// DISFER_STRICT_FP_FUNCTION / DISFER_STRICT_FP_BLOCK.

#include <cmath>
#include <cstdint>
#include <limits>

// Floating-point contraction (a*b+c fused into one FMA) changes the last bits of results and is
// on by default in GCC's gnu++ modes ("-ffp-contract=fast") when the target has FMA (-march=native,
// -mfma). Functions whose bits are part of disfer's reproducibility contract carry
// DISFER_STRICT_FP_FUNCTION (GCC: optimize attribute) and open their body with
// DISFER_STRICT_FP_BLOCK (Clang: `#pragma clang fp contract(off)`). MSVC does not contract unless
// asked (/fp:contract, /fp:fast).
#if defined(__clang__)
#define DISFER_STRICT_FP_FUNCTION
#define DISFER_STRICT_FP_BLOCK _Pragma("clang fp contract(off)")
#elif defined(__GNUC__)
#define DISFER_STRICT_FP_FUNCTION __attribute__((optimize("fp-contract=off")))
#define DISFER_STRICT_FP_BLOCK
#else
#define DISFER_STRICT_FP_FUNCTION
#define DISFER_STRICT_FP_BLOCK
#endif

namespace disfer::detail::portable {

inline constexpr double ln2_hi = 6.93147180369123816490e-01;  // 0x3fe62e42fee00000: 32 significant bits
inline constexpr double ln2_lo = 1.90821492927058770002e-10;  // ln 2 - ln2_hi
inline constexpr double pi = 3.14159265358979323846;

/// e^x for every double (NaN for NaN, 0 below -745.2, +inf above 709.79). Cody-Waite reduction
/// x = k ln 2 + r, |r| <= ln2/2, and the Taylor polynomial of degree 13 (truncation < 1e-17).
DISFER_STRICT_FP_FUNCTION inline double exp(double x) {
  DISFER_STRICT_FP_BLOCK
  if (x != x) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  const double k = std::floor(x * 1.4426950408889634 + 0.5);
  const double r = (x - k * ln2_hi) - k * ln2_lo;
  double p = 1.0 / 6227020800.0;  // 1/13!
  const double inv[13] = {
      1.0,        1.0,         1.0 / 2,      1.0 / 6,       1.0 / 24,       1.0 / 120,      1.0 / 720,
      1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600};
  for (int j = 12; j >= 0; --j) p = p * r + inv[j];
  return std::ldexp(p, static_cast<int>(k));
}

/// Natural logarithm of a positive finite double (NaN for x <= 0 or NaN, +inf for +inf).
/// x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m-1)/(m+1), by its series
/// to s^27 (|s| <= 0.172, truncation < 1e-19).
DISFER_STRICT_FP_FUNCTION inline double log(double x) {
  DISFER_STRICT_FP_BLOCK
  if (!(x > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (x == std::numeric_limits<double>::infinity()) return x;
  int e = 0;
  double m = std::frexp(x, &e);
  if (m < 0.70710678118654752) {
    m *= 2.0;
    e -= 1;
  }
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double s2 = s * s;
  double p = 1.0 / 27;
  for (int j = 12; j >= 0; --j) p = p * s2 + 1.0 / (2 * j + 1);
  const double lm = 2.0 * s * p;
  const double de = static_cast<double>(e);
  return de * ln2_hi + (de * ln2_lo + lm);
}

/// Standard normal CDF Phi(z). For |z| < 3: Phi(z) = 1/2 + phi(z) S(z) with
/// S(z) = z + z^3/3 + z^5/(3*5) + ... (Marsaglia, "Evaluating the normal distribution", J. Stat.
/// Softw. 11(4), 2004), all terms of one sign, summed until they no longer change S (absolute
/// error ~1e-16). For |z| >= 3 the upper tail Q(|z|) = phi(|z|) / (|z| + 1/(|z| + 2/(|z| + ...)))
/// (Laplace's continued fraction, 100 levels evaluated backwards; relative error ~2e-16), so
/// Phi keeps full relative accuracy in the lower tail. Exactly 0 below -38.5, 1 above 9.
DISFER_STRICT_FP_FUNCTION inline double normal_cdf(double z) {
  DISFER_STRICT_FP_BLOCK
  if (z != z) return z;
  if (z > 9.0) return 1.0;
  if (z < -38.5) return 0.0;
  const double inv_sqrt_2pi = 0.39894228040143267794;
  const double z2 = z * z;
  if (z <= -3.0 || z >= 3.0) {
    const double a = z < 0 ? -z : z;
    double t = a;
    for (int k = 100; k >= 1; --k) t = a + static_cast<double>(k) / t;
    const double q = exp(-0.5 * z2) * inv_sqrt_2pi / t;
    return z < 0 ? q : 1.0 - q;
  }
  double term = z, sum = z;
  for (int n = 1; n < 200; ++n) {
    term = term * z2 / static_cast<double>(2 * n + 1);
    const double next = sum + term;
    if (next == sum) break;
    sum = next;
  }
  return 0.5 + exp(-0.5 * z2) * inv_sqrt_2pi * sum;
}

/// sin(t) and cos(t) for t in [0, pi/4] by their Taylor polynomials to degree 17/18.
DISFER_STRICT_FP_FUNCTION inline void sincos_small(double t, double& s, double& c) {
  DISFER_STRICT_FP_BLOCK
  const double t2 = t * t;
  // sin t = t (1 - t^2/3! + t^4/5! - ...), cos t = 1 - t^2/2! + t^4/4! - ...
  const double sin_coef[9] = {1.0,
                              -1.0 / 6,
                              1.0 / 120,
                              -1.0 / 5040,
                              1.0 / 362880,
                              -1.0 / 39916800,
                              1.0 / 6227020800.0,
                              -1.0 / 1307674368000.0,
                              1.0 / 355687428096000.0};
  const double cos_coef[10] = {1.0,
                               -1.0 / 2,
                               1.0 / 24,
                               -1.0 / 720,
                               1.0 / 40320,
                               -1.0 / 3628800,
                               1.0 / 479001600,
                               -1.0 / 87178291200.0,
                               1.0 / 20922789888000.0,
                               -1.0 / 6402373705728000.0};
  double qs = sin_coef[8];
  double pc = 0;
  for (int j = 7; j >= 0; --j) qs = qs * t2 + sin_coef[j];
  pc = cos_coef[9];
  for (int j = 8; j >= 0; --j) pc = pc * t2 + cos_coef[j];
  s = t * qs;
  c = pc;
}

/// cos(2 pi u) and sin(2 pi u) for u in [0, 1) a multiple of 2^-53: the octant is taken from u
/// exactly, so only one rounding (of the angle within the octant) precedes the polynomials.
DISFER_STRICT_FP_FUNCTION inline void cos_sin_2pi(double u, double& c, double& s) {
  DISFER_STRICT_FP_BLOCK
  const double u8 = u * 8.0;
  const double jd = std::floor(u8);
  const double f = u8 - jd;
  const int j = static_cast<int>(jd) & 7;
  double sf, cf, sg, cg;
  sincos_small(f * (pi / 4), sf, cf);
  sincos_small((1.0 - f) * (pi / 4), sg, cg);
  switch (j) {
    case 0:
      c = cf, s = sf;
      break;
    case 1:
      c = sg, s = cg;
      break;
    case 2:
      c = -sf, s = cf;
      break;
    case 3:
      c = -cg, s = sg;
      break;
    case 4:
      c = -cf, s = -sf;
      break;
    case 5:
      c = -sg, s = -cg;
      break;
    case 6:
      c = sf, s = -cf;
      break;
    default:
      c = cg, s = -sg;
      break;
  }
}

/// Rounds half to even (the default IEEE rounding, as lrint and OpenCV's cvRound), without
/// depending on the current rounding mode.
inline double round_half_even(double x) {
  const double fl = std::floor(x);
  const double d = x - fl;
  if (d > 0.5) return fl + 1.0;
  if (d < 0.5) return fl;
  return std::fmod(fl, 2.0) == 0.0 ? fl : fl + 1.0;
}

/// Rounds half away from zero (std::round), independent of the rounding mode.
inline double round_half_away(double x) {
  return std::round(x);
}

}  // namespace disfer::detail::portable
