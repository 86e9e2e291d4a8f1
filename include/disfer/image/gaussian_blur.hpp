#pragma once
/// \file
/// Gaussian blur with OpenCV 4.x's conventions by default: `gaussian_blur(img, sigma)` on uint8 is
/// byte-identical to `cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma)` (OpenCV >= 4.2), and the
/// other types use OpenCV's kernel extent with exact (double) arithmetic. Every convention (border,
/// extent, arithmetic) is an option; docs/image.md compares them with SciPy, scikit-image, imgaug,
/// albumentations and ImageNet-C.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/detail/portable_math.hpp"
#include "disfer/detail/simd_dispatch.hpp"
#include "disfer/image/detail/blur_u8.hpp"
#include "disfer/image/image.hpp"

namespace disfer {

/// How samples outside the image are made up (OpenCV's names; the pattern shows the samples left
/// of a row `abcdefgh`).
enum class blur_border {
  reflect101,  ///< `gfedcb|abcdefgh`: OpenCV's BORDER_REFLECT_101 (default), SciPy 'mirror'
  reflect,     ///< `fedcba|abcdefgh`: OpenCV's BORDER_REFLECT, SciPy 'reflect' (its default)
  replicate,   ///< `aaaaaa|abcdefgh`: OpenCV's BORDER_REPLICATE, SciPy 'nearest', scikit-image's default
  constant     ///< `vvvvvv|abcdefgh`: OpenCV's BORDER_CONSTANT with v = blur_options::constant_value
};

/// How the number of kernel taps follows from sigma.
enum class blur_extent {
  opencv,     ///< OpenCV's ksize = Size(0, 0) rule: round(6 sigma + 1) | 1 for uint8, round(8 sigma + 1) | 1 otherwise
  truncate,   ///< SciPy's rule: radius = floor(truncate * sigma + 0.5), taps = 2 radius + 1
  fixed_size  ///< exactly blur_options::size taps (odd)
};

/// Arithmetic of the convolution.
enum class blur_arithmetic {
  automatic,           ///< opencv_fixed_point for uint8, exact for the other types
  opencv_fixed_point,  ///< uint8 only: OpenCV's 8-bit fixed-point kernel and rounding (bit-exact)
  exact                ///< double kernel and sums, then round half away from zero and saturate (integers)
};

/// Options of gaussian_blur; the defaults are cv::GaussianBlur(src, dst, Size(0, 0), sigma).
struct blur_options {
  blur_border border = blur_border::reflect101;
  double constant_value = 0.0;  ///< the value outside the image for blur_border::constant, on the image's scale
  blur_extent extent = blur_extent::opencv;
  double truncate = 4.0;  ///< for blur_extent::truncate (SciPy's default 4.0)
  std::size_t size = 0;   ///< for blur_extent::fixed_size: an odd number of taps, at most 4096
  blur_arithmetic arithmetic = blur_arithmetic::automatic;
};

/// Largest kernel gaussian_blur accepts, in taps.
inline constexpr std::size_t max_blur_taps = 4096;

namespace detail {

inline void check_sigma(double sigma, const char* function) {
  if (!(sigma > 0) || !std::isfinite(sigma))
    fail(function, "sigma must be a positive finite number of pixels, got ", shortest(sigma));
}

/// Number of taps for `sigma` under `opt`, for pixel type T; throws for bad sigma or options or
/// more than max_blur_taps taps.
template <class T>
DISFER_STRICT_FP_FUNCTION std::size_t blur_taps(double sigma, const blur_options& opt, const char* function) {
  DISFER_STRICT_FP_BLOCK
  check_sigma(sigma, function);
  double taps = 0;
  switch (opt.extent) {
    case blur_extent::opencv: {
      // OpenCV createGaussianKernels: cvRound(sigma * (depth == CV_8U ? 3 : 4) * 2 + 1) | 1,
      // cvRound rounding half to even; same operation order.
      const double v = sigma * (std::is_same_v<T, std::uint8_t> ? 3.0 : 4.0) * 2.0 + 1.0;
      if (!(v <= 2.0 * static_cast<double>(max_blur_taps)))
        fail(function, "sigma ", shortest(sigma), " needs a kernel of more than ", max_blur_taps, " taps; at most ",
             max_blur_taps, " are supported");
      taps = static_cast<double>(static_cast<std::uint64_t>(portable::round_half_even(v)) | 1u);
      break;
    }
    case blur_extent::truncate: {
      if (!(opt.truncate > 0) || !std::isfinite(opt.truncate))
        fail(function, "blur_options::truncate must be a positive finite number, got ", shortest(opt.truncate));
      const double radius = std::floor(opt.truncate * sigma + 0.5);
      if (!(radius <= static_cast<double>(max_blur_taps)))
        fail(function, "sigma ", shortest(sigma), " with truncate ", shortest(opt.truncate),
             " needs a kernel of more than ", max_blur_taps, " taps; at most ", max_blur_taps, " are supported");
      taps = 2.0 * radius + 1.0;
      break;
    }
    case blur_extent::fixed_size:
      if (opt.size == 0 || opt.size % 2 == 0)
        fail(function, "blur_options::size must be an odd number of taps, got ", opt.size);
      taps = static_cast<double>(opt.size);
      break;
    default:
      fail(function, "unknown blur_extent ", static_cast<int>(opt.extent));
  }
  if (taps > static_cast<double>(max_blur_taps))
    fail(function, "sigma ", shortest(sigma), " needs a kernel of ", taps, " taps; at most ", max_blur_taps,
         " are supported");
  return static_cast<std::size_t>(taps);
}

/// Source index of position p (may be outside [0, len)) under `border`, or -1 for the constant.
/// reflect/reflect101 repeat the reflection until inside, as OpenCV's borderInterpolate.
inline std::ptrdiff_t border_index(std::ptrdiff_t p, std::ptrdiff_t len, blur_border border) {
  if (p >= 0 && p < len) return p;
  switch (border) {
    case blur_border::constant:
      return -1;
    case blur_border::replicate:
      return p < 0 ? 0 : len - 1;
    default: {
      if (len == 1) return 0;
      const std::ptrdiff_t delta = border == blur_border::reflect101 ? 1 : 0;
      do {
        if (p < 0)
          p = -p - 1 + delta;
        else
          p = len - 1 - (p - len) - delta;
      } while (p < 0 || p >= len);
      return p;
    }
  }
}

/// Index map for one axis into m: entry q is the source index of position q - radius.
inline void border_map_into(std::vector<std::ptrdiff_t>& m, std::size_t len, std::size_t radius, blur_border border) {
  m.resize(len + 2 * radius);
  for (std::size_t q = 0; q < m.size(); ++q)
    m[q] = border_index(static_cast<std::ptrdiff_t>(q) - static_cast<std::ptrdiff_t>(radius),
                        static_cast<std::ptrdiff_t>(len), border);
}

/// Index map for one axis: entry q is the source index of position q - radius.
inline std::vector<std::ptrdiff_t> border_map(std::size_t len, std::size_t radius, blur_border border) {
  std::vector<std::ptrdiff_t> m;
  border_map_into(m, len, radius, border);
  return m;
}

/// The sampled, normalised Gaussian kernel with `taps` taps (odd): OpenCV's
/// getGaussianKernelBitExact order of operations (values exp(x^2 * (-1/8) / sigma^2) at even x =
/// 2(i - centre), sums of one half doubled plus the centre, multiplied by 1/sum), with
/// portable::exp in place of OpenCV's softfloat exp.
DISFER_STRICT_FP_FUNCTION inline std::vector<double> opencv_gaussian_kernel(double sigma, std::size_t taps) {
  DISFER_STRICT_FP_BLOCK
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(taps);
  const std::ptrdiff_t half = (n - 1) / 2;
  const double scale2 = -0.125 / (sigma * sigma);
  std::vector<double> values(static_cast<std::size_t>(half));
  double sum = 0.0;
  for (std::ptrdiff_t i = 0, x = 1 - n; i < half; ++i, x += 2) {
    const double t = portable::exp(static_cast<double>(x * x) * scale2);
    values[static_cast<std::size_t>(i)] = t;
    sum += t;
  }
  sum *= 2.0;
  sum += 1.0;
  const double mul = 1.0 / sum;
  std::vector<double> k(taps);
  for (std::ptrdiff_t i = 0; i < half; ++i) {
    const double t = values[static_cast<std::size_t>(i)] * mul;
    k[static_cast<std::size_t>(i)] = t;
    k[static_cast<std::size_t>(n - 1 - i)] = t;
  }
  k[static_cast<std::size_t>(half)] = mul;
  return k;
}

}  // namespace detail

/// The exact kernel of gaussian_blur's `exact` arithmetic: w_i = exp(-(i - r)^2 / (2 sigma^2)) / S,
/// i = 0..taps-1, r = (taps - 1) / 2, S the sum of the unnormalised weights (summed in index
/// order), with the platform-independent exp of disfer::detail::portable. O(taps).
/// Throws disfer::error for sigma <= 0, NaN or infinite, or taps even, 0 or above 4096.
DISFER_STRICT_FP_FUNCTION inline std::vector<double> gaussian_kernel(double sigma, std::size_t taps) {
  DISFER_STRICT_FP_BLOCK
  detail::check_sigma(sigma, "gaussian_kernel");
  if (taps == 0 || taps % 2 == 0 || taps > max_blur_taps)
    detail::fail("gaussian_kernel", "taps must be odd and at most ", max_blur_taps, ", got ", taps);
  const std::ptrdiff_t r = static_cast<std::ptrdiff_t>(taps / 2);
  const double denom = 2.0 * sigma * sigma;
  std::vector<double> k(taps);
  double sum = 0.0;
  for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(taps); ++i) {
    const double d = static_cast<double>((i - r) * (i - r));
    k[static_cast<std::size_t>(i)] = detail::portable::exp(-d / denom);
    sum += k[static_cast<std::size_t>(i)];
  }
  for (double& w : k) w = w / sum;
  return k;
}

/// OpenCV's 8-bit fixed-point Gaussian kernel (weights in 1/256, summing to 256): the double
/// kernel of getGaussianKernelBitExact quantised by outside-in error diffusion (each outer weight
/// round-half-even of 256 w + carried error; the centre takes 256 minus the rest), as in OpenCV's
/// getGaussianKernelFixedPoint_ED (>= 4.2). For sigma 0.8 and 7 taps: 0 6 58 128 58 6 0. O(taps).
/// Throws disfer::error as gaussian_kernel.
DISFER_STRICT_FP_FUNCTION inline std::vector<std::uint32_t> gaussian_kernel_fixed_point(double sigma,
                                                                                        std::size_t taps) {
  DISFER_STRICT_FP_BLOCK
  detail::check_sigma(sigma, "gaussian_kernel_fixed_point");
  if (taps == 0 || taps % 2 == 0 || taps > max_blur_taps)
    detail::fail("gaussian_kernel_fixed_point", "taps must be odd and at most ", max_blur_taps, ", got ", taps);
  const std::vector<double> k = detail::opencv_gaussian_kernel(sigma, taps);
  std::vector<std::uint32_t> q(taps);
  const std::size_t half = taps / 2;
  double err = 0.0;
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < half; ++i) {
    const double adj = k[i] * 256.0 + err;
    const double v = detail::portable::round_half_even(adj);
    err = adj - v;
    const auto vi = static_cast<std::int64_t>(v);
    q[i] = q[taps - 1 - i] = static_cast<std::uint32_t>(vi);
    sum += vi;
  }
  q[half] = static_cast<std::uint32_t>(256 - 2 * sum);
  return q;
}

namespace detail {

/// gaussian_kernel_fixed_point(sigma, taps), memoised per thread (the last 8 distinct arguments);
/// a pure function's cache: results never depend on it.
inline const std::vector<std::uint32_t>& cached_kernel_fixed_point(double sigma, std::size_t taps) {
  struct entry {
    double sigma;
    std::size_t taps;
    std::vector<std::uint32_t> k;
  };
  thread_local std::vector<entry> cache;
  thread_local std::size_t next = 0;
  for (const auto& e : cache)
    if (e.sigma == sigma && e.taps == taps) return e.k;
  entry e{sigma, taps, gaussian_kernel_fixed_point(sigma, taps)};
  if (cache.size() < 8) {
    cache.push_back(std::move(e));
    return cache.back().k;
  }
  const std::size_t slot = next;
  cache[slot] = std::move(e);
  next = (next + 1) % cache.size();
  return cache[slot].k;
}

/// The uint8 fixed-point blur (see blur_u8_kernel) of `sigma` with `taps` taps and `border`
/// (cval for the constant border): blur_u8_avx512 when the CPU has AVX-512BW, else 32-byte vectors
/// when it has AVX2, else 16-byte ones.
inline void blur_fixed_point_u8(const std::uint8_t* src, std::uint8_t* dst, const image_dims& d, double sigma,
                                std::size_t taps, blur_border border, std::uint16_t cval) {
  const std::vector<std::uint32_t>& k = cached_kernel_fixed_point(sigma, taps);
  blur_u8_scratch& sc = blur_u8_buffers();
  const simd_path path = simd_resolve();
  const bool wide = DISFER_SIMD_X86 && (path == simd_path::avx2 || path == simd_path::avx512);
  const bool w512 = DISFER_SIMD_X86 && DISFER_VECTOR_EXTENSIONS && path == simd_path::avx512 && blur_avx512bw();
  blur_u8_plan p{};
  p.height = d.height;
  p.width = d.width;
  p.channels = d.channels;
  p.row = d.width * d.channels;
  p.n = taps;
  p.r = taps / 2;
  p.slots = std::min(w512 ? taps + 1 : taps, d.height);  // blur_u8_avx512 makes two rows at once
  std::size_t strip = p.row;
  if (w512) strip = blur_u8_avx512_strip(p.row, p.slots);
  const std::size_t lanes = w512 ? 64 : wide ? 32 : 16;
  p.stride = (std::min(strip, p.row) + lanes - 1) / lanes * lanes;
  border_map_into(sc.mx, d.width, p.r, border);
  border_map_into(sc.my, d.height, p.r, border);
  sc.ht.clear();
  sc.hw.clear();
  for (std::size_t t = 0; t < p.r; ++t)
    if (k[t] != 0) {
      sc.ht.push_back(t);
      sc.hw.push_back(static_cast<std::uint16_t>(k[t]));
    }
  if (w512)
    sc.pad8.resize(p.stride + (taps - 1) * d.channels + 64);
  else
    sc.pad.assign((d.width + taps - 1) * d.channels + lanes, 0);
  sc.line.resize(p.stride);
  sc.ring.resize(p.slots * p.stride + 16);  // slack to align the rows (blur_u8_avx512)
  sc.tag.resize(p.slots);
  sc.crow.assign(p.stride + 16, static_cast<float>(cval * 256u));
  sc.weights.resize(p.r + 1);
  sc.rows_a.resize(taps + 1);
  sc.rows_b.resize(p.r + 1);
  p.k = k.data();
  p.ht = sc.ht.data();
  p.hw = sc.hw.data();
  p.m = sc.ht.size();
  p.wc = static_cast<std::uint16_t>(k[p.r]);
  p.mx = sc.mx.data();
  p.my = sc.my.data();
  p.cval = cval;
#if DISFER_SIMD_X86 && DISFER_VECTOR_EXTENSIONS
  if (w512) return blur_u8_avx512::run(src, dst, p, sc, strip);
  if (wide) return blur_u8_avx2(src, dst, p, sc);
#endif
  blur_u8_generic(src, dst, p, sc);
}

template <class T>
DISFER_STRICT_FP_FUNCTION void blur_exact(const T* src, T* dst, const image_dims& d, const std::vector<double>& k,
                                          const std::vector<std::ptrdiff_t>& mx, const std::vector<std::ptrdiff_t>& my,
                                          double cval) {
  DISFER_STRICT_FP_BLOCK
  const std::size_t n = k.size(), W = d.width, C = d.channels, row = W * C;
  std::vector<double> h(d.height * row);
  for (std::size_t y = 0; y < d.height; ++y) {
    const T* s = src + y * row;
    double* o = h.data() + y * row;
    for (std::size_t x = 0; x < W; ++x)
      for (std::size_t c = 0; c < C; ++c) {
        double acc = 0.0;
        for (std::size_t t = 0; t < n; ++t) {
          const std::ptrdiff_t e = mx[x + t];
          const double v = e < 0 ? cval : static_cast<double>(s[static_cast<std::size_t>(e) * C + c]);
          const double p = k[t] * v;
          acc = acc + p;
        }
        o[x * C + c] = acc;
      }
  }
  std::vector<double> acc(row);
  for (std::size_t y = 0; y < d.height; ++y) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (std::size_t t = 0; t < n; ++t) {
      const std::ptrdiff_t e = my[y + t];
      const double w = k[t];
      if (e < 0) {
        const double p = w * cval;
        for (std::size_t i = 0; i < row; ++i) acc[i] = acc[i] + p;
      } else {
        const double* hr = h.data() + static_cast<std::size_t>(e) * row;
        for (std::size_t i = 0; i < row; ++i) {
          const double p = w * hr[i];
          acc[i] = acc[i] + p;
        }
      }
    }
    T* o = dst + y * row;
    for (std::size_t i = 0; i < row; ++i) o[i] = to_pixel<T>(acc[i]);
  }
}

}  // namespace detail

/// Number of kernel taps gaussian_blur uses for `sigma` and `options` on pixel type T.
/// Throws disfer::error as gaussian_blur does for sigma and options.
template <class T>
std::size_t gaussian_blur_taps(double sigma, const blur_options& options = {}) {
  return detail::blur_taps<T>(sigma, options, "gaussian_blur_taps");
}

/// Gaussian blur of an H x W or H x W x C image (channels blurred independently), separable:
/// rows, then columns, with the same kernel of standard deviation `sigma` pixels.
///
/// Defaults = OpenCV 4.x `cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma)` (BORDER_REFLECT_101):
/// - uint8: taps = round(6 sigma + 1) | 1; OpenCV's fixed-point kernel (gaussian_kernel_fixed_point);
///   out = (sum_ij ky_i kx_j p + 2^15) >> 16 (round half up once), byte-identical to OpenCV >= 4.2.
/// - uint16, float, double: taps = round(8 sigma + 1) | 1 (OpenCV's rule for these depths);
///   gaussian_kernel in double, double sums in a fixed order; uint16 rounds half away from zero
///   and saturates, float rounds the double result once.
/// Results do not depend on the compiler, platform, FP contraction, thread count or the CPU's SIMD
/// path (uint8: 16-, 32- or 64-byte vectors, chosen at run time).
///
/// Complexity O(H W C taps) time. Extra memory: uint8 fixed point O(taps W C) in per-thread buffers
/// that are reused by later calls on the same thread (they keep the largest size seen); exact
/// arithmetic O(H W C). The input is not modified.
/// Throws disfer::error when the image is empty, sigma <= 0, NaN or infinite, the kernel would
/// exceed 4096 taps, options are invalid, or opencv_fixed_point is asked for a type other than
/// uint8. NaN pixels (float types) spread to every output they touch.
template <class T, std::size_t N>
xt::xtensor<T, N> gaussian_blur(const xt::xtensor<T, N>& img, double sigma, const blur_options& options = {});

namespace detail {

/// gaussian_blur with `fn` named in its errors (apply passes its own name).
template <class T, std::size_t N>
xt::xtensor<T, N> gaussian_blur_as(const xt::xtensor<T, N>& img, double sigma, const blur_options& options,
                                   const char* fn) {
  detail::check_image_type<T, N>();
  const std::size_t taps = detail::blur_taps<T>(sigma, options, fn);
  const detail::image_dims d = detail::dims_of(img, fn);
  if (options.border == blur_border::constant && !std::isfinite(options.constant_value))
    detail::fail(fn, "blur_options::constant_value must be finite, got ", detail::shortest(options.constant_value));
  if (static_cast<int>(options.border) < 0 || static_cast<int>(options.border) > 3)
    detail::fail(fn, "unknown blur_border ", static_cast<int>(options.border));
  blur_arithmetic a = options.arithmetic;
  if (a == blur_arithmetic::automatic)
    a = std::is_same_v<T, std::uint8_t> ? blur_arithmetic::opencv_fixed_point : blur_arithmetic::exact;
  if (a != blur_arithmetic::opencv_fixed_point && a != blur_arithmetic::exact)
    detail::fail(fn, "unknown blur_arithmetic ", static_cast<int>(options.arithmetic));
  auto out = xt::xtensor<T, N>::from_shape(img.shape());
  if (a == blur_arithmetic::opencv_fixed_point) {
    if constexpr (std::is_same_v<T, std::uint8_t>) {
      detail::blur_fixed_point_u8(img.data(), out.data(), d, sigma, taps, options.border,
                                  detail::to_pixel<std::uint8_t>(options.constant_value));
    } else {
      detail::fail(fn, "blur_arithmetic::opencv_fixed_point applies to uint8 images only");
    }
  } else {
    const std::size_t r = taps / 2;
    const auto k = gaussian_kernel(sigma, taps);
    detail::blur_exact(img.data(), out.data(), d, k, detail::border_map(d.width, r, options.border),
                       detail::border_map(d.height, r, options.border), options.constant_value);
  }
  return out;
}

}  // namespace detail

template <class T, std::size_t N>
xt::xtensor<T, N> gaussian_blur(const xt::xtensor<T, N>& img, double sigma, const blur_options& options) {
  return detail::gaussian_blur_as(img, sigma, options, "gaussian_blur");
}

}  // namespace disfer
