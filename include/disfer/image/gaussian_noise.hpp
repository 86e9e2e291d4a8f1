#pragma once
/// \file
/// Additive Gaussian noise, bit-reproducible on every platform and thread count.
///
/// Integer images (uint8, uint16): out = saturate(x + k), k ~ round(N(0, stddev^2)) drawn from an
/// integer table of the rounded normal's CDF, T_k = round(2^32 Phi((k + 1/2) / stddev)), by one
/// 32-bit Philox word per element: k is the smallest integer with word < T_k. This is the
/// distribution of float add + round + saturate (OpenCV's cv::add with saturate_cast, imgaug), with
/// probabilities exact to 2^-32, and needs no libm at run time (Phi from IEEE basic operations).
/// Float images: out = x + stddev * z, z standard normal by Box-Muller from two 53-bit uniforms
/// (portable log, sqrt, sin and cos), unclipped unless asked.
///
/// Counter layout (stream version 1, see disfer::random_stream_version): element i in row-major
/// order (pixel, then channel) uses word i of the key's stream (integers), or sample i % 2 of the
/// Box-Muller pair made from block i / 2 (float types: u1 from words 0-1, u2 from words 2-3).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/philox_blocks.hpp"
#include "disfer/detail/portable_math.hpp"
#include "disfer/image/image.hpp"

namespace disfer {

/// Options of gaussian_noise.
struct noise_options {
  /// Float types: clip the result to [clip_low, clip_high]. Integer types always saturate to
  /// [0, max] and ignore these fields.
  bool clip = false;
  double clip_low = 0.0;
  double clip_high = 1.0;
};

/// The integer table behind gaussian_noise on integer images: cdf[j] = round(2^32 P(K <= lowest + j)),
/// K = round(N(0, stddev^2)) clamped to [-limit, limit] (the clamp changes no output once limit is
/// the type's maximum, because the result saturates). The last entry is 2^32.
struct rounded_normal_table {
  std::int64_t lowest = 0;         ///< the noise value of cdf[0]
  std::vector<std::uint64_t> cdf;  ///< cumulative thresholds on the 2^32 scale, non-decreasing
  /// guide[b] = the first index j with cdf[j] > b 2^20 (Chen and Asau's guide table): the search
  /// for a word w starts at guide[w >> 20], usually its answer.
  std::vector<std::uint32_t> guide;

  /// The noise value for one 32-bit word: the smallest k with word < cdf[k - lowest].
  /// O(1) expected with the guide table, O(log size) without.
  std::int64_t sample(std::uint32_t word) const noexcept {
    if (guide.empty()) {
      const auto it = std::upper_bound(cdf.begin(), cdf.end(), static_cast<std::uint64_t>(word));
      return lowest + static_cast<std::int64_t>(it - cdf.begin());
    }
    std::size_t j = guide[word >> 20];
    while (cdf[j] <= word) ++j;
    return lowest + static_cast<std::int64_t>(j);
  }
};

/// Builds the rounded-normal table for `stddev` > 0, clamped to [-limit, limit]: entries
/// T_k = round_half_even(2^32 Phi((k + 1/2) / stddev)) for k = -limit..limit-1, then 2^32.
/// Phi is disfer::detail::portable::normal_cdf (IEEE basic operations only), so the table is the
/// same on every platform; tests compare it with mpmath for the DisFER levels. O(limit).
DISFER_STRICT_FP_FUNCTION inline rounded_normal_table make_rounded_normal_table(double stddev, std::int64_t limit) {
  DISFER_STRICT_FP_BLOCK
  if (!(stddev > 0) || !std::isfinite(stddev))
    detail::fail("make_rounded_normal_table", "stddev must be positive and finite, got ", detail::shortest(stddev));
  if (limit < 1) detail::fail("make_rounded_normal_table", "limit must be at least 1, got ", limit);
  rounded_normal_table t;
  // Outside +-(9.5 stddev + 1) every threshold is 0 or 2^32: no need to go further.
  const double reach = std::ceil(9.5 * stddev) + 1.0;
  const std::int64_t m = reach < static_cast<double>(limit) ? static_cast<std::int64_t>(reach) : limit;
  t.lowest = -m;
  t.cdf.reserve(static_cast<std::size_t>(2 * m + 1));
  const double scale = 4294967296.0;
  for (std::int64_t k = -m; k < m; ++k) {
    const double z = (static_cast<double>(k) + 0.5) / stddev;
    const double v = detail::portable::round_half_even(detail::portable::normal_cdf(z) * scale);
    t.cdf.push_back(static_cast<std::uint64_t>(v));
  }
  t.cdf.push_back(std::uint64_t{1} << 32);
  t.guide.resize(std::size_t{1} << 12);
  std::size_t j = 0;
  for (std::size_t b = 0; b < t.guide.size(); ++b) {
    while (t.cdf[j] <= (static_cast<std::uint64_t>(b) << 20)) ++j;
    t.guide[b] = static_cast<std::uint32_t>(j);
  }
  return t;
}

namespace detail {

/// The rounded-normal table of a level with a direct lookup: direct[b] is the noise value of
/// every word w with w >> 18 == b when no threshold T_k splits that bucket of 2^18 words (all but a
/// few percent of them) and the value fits 16 bits, else `split`, and the word goes through
/// table.sample. Same values as table.sample(w) for every w. 2^14 entries of 16 bits = 32 KB, one
/// extra entry so that a 32-bit gather at the last one stays inside.
struct noise_lookup {
  static constexpr int shift = 18;
  static constexpr std::int16_t split = std::numeric_limits<std::int16_t>::min();
  rounded_normal_table table;
  std::vector<std::int16_t> direct;

  explicit noise_lookup(rounded_normal_table t)
      : table(std::move(t)), direct((std::size_t{1} << (32 - shift)) + 1, std::int16_t{0}) {
    for (std::size_t b = 0; b + 1 < direct.size(); ++b) {
      const auto lo = static_cast<std::uint32_t>(b << shift);
      const auto hi = static_cast<std::uint32_t>(lo + ((1u << shift) - 1));
      const std::int64_t v = table.sample(lo);
      const bool fits = v > split && v <= std::numeric_limits<std::int16_t>::max();
      direct[b] = fits && v == table.sample(hi) ? static_cast<std::int16_t>(v) : split;
    }
  }
  std::int32_t value(std::uint32_t w) const noexcept {
    const std::int16_t v = direct[w >> shift];
    return v != split ? v : static_cast<std::int32_t>(table.sample(w));
  }
};

/// noise_lookup for make_rounded_normal_table(stddev, limit), memoised per thread (the last 16
/// distinct arguments): a pure function's cache, so results never depend on it; it spares the
/// O(stddev) table build on every call for small images. No locks: each thread keeps its own.
inline const noise_lookup& cached_noise_lookup(double stddev, std::int64_t limit) {
  struct entry {
    double stddev;
    std::int64_t limit;
    noise_lookup lookup;
  };
  thread_local std::vector<entry> cache;
  thread_local std::size_t next = 0;
  for (const auto& e : cache)
    if (e.stddev == stddev && e.limit == limit) return e.lookup;
  entry e{stddev, limit, noise_lookup(make_rounded_normal_table(stddev, limit))};
  if (cache.size() < 16) {
    cache.push_back(std::move(e));
    return cache.back().lookup;
  }
  cache[next] = std::move(e);
  const std::size_t slot = next;
  next = (next + 1) % cache.size();
  return cache[slot].lookup;
}

/// Integer noise for `count` elements: dst[k] = saturate(src[k] + value(words[k])).
template <class T>
inline void add_integer_noise(const T* src, T* dst, const std::uint32_t* words, std::size_t count,
                              const noise_lookup& lookup) noexcept {
  constexpr std::int32_t maxv = std::numeric_limits<T>::max();
  for (std::size_t k = 0; k < count; ++k) {
    const std::int32_t v = static_cast<std::int32_t>(src[k]) + lookup.value(words[k]);
    dst[k] = static_cast<T>(v < 0 ? 0 : (v > maxv ? maxv : v));
  }
}

#if DISFER_SIMD_X86
/// add_integer_noise for uint8 with AVX2: 8 direct lookups per gather; the lanes whose bucket is
/// split go through the scalar code. Same bytes.
__attribute__((target("avx2"))) inline void add_integer_noise_avx2(const std::uint8_t* src, std::uint8_t* dst,
                                                                   const std::uint32_t* words, std::size_t count,
                                                                   const noise_lookup& lookup) noexcept {
  // 32-bit gathers at byte offset 2 b: the low half is direct[b] (little-endian), sign-extended
  const int* direct = reinterpret_cast<const int*>(lookup.direct.data());
  const __m256i split = _mm256_set1_epi32(noise_lookup::split), zero = _mm256_setzero_si256();
  const __m256i top = _mm256_set1_epi32(255);
  std::size_t k = 0;
  for (; k + 8 <= count; k += 8) {
    const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(words + k));
    const __m256i g = _mm256_i32gather_epi32(direct, _mm256_srli_epi32(w, noise_lookup::shift), 2);
    const __m256i v = _mm256_srai_epi32(_mm256_slli_epi32(g, 16), 16);
    std::uint64_t s8;
    std::memcpy(&s8, src + k, 8);
    const __m256i s = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(s8)));
    const __m256i x = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(s, v), zero), top);
    const __m256i b16 = _mm256_packus_epi32(x, x);     // per 128-bit lane: x0-3 x0-3 | x4-7 x4-7
    const __m256i b8 = _mm256_packus_epi16(b16, b16);  // bytes x0-3 in each lane's first dword
    const __m128i bytes = _mm_unpacklo_epi32(_mm256_castsi256_si128(b8), _mm256_extracti128_si256(b8, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + k), bytes);
    // lanes whose bucket is split (stored as 0 above) are redone by the scalar lookup
    auto split_lanes = static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(v, split))));
    while (split_lanes != 0) {
      const auto l = static_cast<std::size_t>(__builtin_ctz(split_lanes));
      add_integer_noise(src + k + l, dst + k + l, words + k + l, 1, lookup);
      split_lanes &= split_lanes - 1;
    }
  }
  add_integer_noise(src + k, dst + k, words + k, count - k, lookup);
}
#endif

}  // namespace detail

namespace detail {

inline void check_stddev(double stddev, const char* function) {
  if (!(stddev >= 0) || !std::isfinite(stddev))
    fail(function, "stddev must be a finite number >= 0 on the image's scale, got ", shortest(stddev));
}

/// A standard normal pair by Box-Muller from one Philox block: r = sqrt(-2 log u1),
/// u1 = (top 53 bits of words 0-1 + 1) 2^-53 in (0, 1], angle 2 pi u2, u2 = top 53 bits of words 2-3.
DISFER_STRICT_FP_FUNCTION inline void box_muller(const std::array<std::uint32_t, 4>& w, double& z0, double& z1) {
  DISFER_STRICT_FP_BLOCK
  const std::uint64_t a = (std::uint64_t{w[0]} | (std::uint64_t{w[1]} << 32)) >> 11;
  const std::uint64_t b = (std::uint64_t{w[2]} | (std::uint64_t{w[3]} << 32)) >> 11;
  const double u1 = static_cast<double>(a + 1) * 0x1.0p-53;
  const double u2 = static_cast<double>(b) * 0x1.0p-53;
  const double r = std::sqrt(-2.0 * portable::log(u1));
  double c = 0, s = 0;
  portable::cos_sin_2pi(u2, c, s);
  z0 = r * c;
  z1 = r * s;
}

/// Float path of gaussian_noise (see there).
template <class T>
DISFER_STRICT_FP_FUNCTION void add_float_noise(const T* src, T* dst, std::size_t n, double stddev,
                                               const philox_stream& stream, const noise_options& options) {
  DISFER_STRICT_FP_BLOCK
  for (std::size_t b = 0; b * 2 < n; ++b) {
    double z[2];
    box_muller(stream.block(static_cast<std::uint32_t>(b)), z[0], z[1]);
    for (std::size_t j = 0; j < 2 && b * 2 + j < n; ++j) {
      const std::size_t i = b * 2 + j;
      const double noise = stddev * z[j];
      double v = static_cast<double>(src[i]) + noise;
      if (options.clip) v = v < options.clip_low ? options.clip_low : (v > options.clip_high ? options.clip_high : v);
      dst[i] = static_cast<T>(v);
    }
  }
}

}  // namespace detail

/// Adds Gaussian noise of standard deviation `stddev` (on the image's own scale: 0-255 for uint8,
/// 0-65535 for uint16, the values themselves for float and double) drawn from the Philox stream
/// `key` (use stream_key{seed, image id, purpose::gaussian_noise}). See the file comment for the
/// exact method and counter layout. stddev = 0 returns a copy.
///
/// Integer types: round(N(0, stddev^2)) is added and the sum saturated to [0, max] (rounding half
/// away from zero has probability 0 of mattering for a continuous N). Float types: unrounded noise,
/// clipped only when noise_options::clip. NaN pixels stay NaN.
/// Complexity O(H W C) expected time (direct bucket table, guide-table search for the few words
/// in split buckets), O(H W C) memory; integer types also build the O(min(stddev, max)) table and
/// a 32 KB bucket table once per thread and level (cached per thread, last 16 levels).
/// Results do not depend on the CPU's SIMD path (SSE2/AVX2/AVX-512F, chosen at run time).
/// Throws disfer::error when the image is empty or has more than 2^33 elements, stddev < 0, NaN or
/// infinite, or clip bounds are NaN or low > high.
template <class T, std::size_t N>
xt::xtensor<T, N> gaussian_noise(const xt::xtensor<T, N>& img, double stddev, const stream_key& key,
                                 const noise_options& options = {});

namespace detail {

/// gaussian_noise with `fn` named in its errors (apply passes its own name).
template <class T, std::size_t N>
xt::xtensor<T, N> gaussian_noise_as(const xt::xtensor<T, N>& img, double stddev, const stream_key& key,
                                    const noise_options& options, const char* fn) {
  detail::check_image_type<T, N>();
  detail::check_stddev(stddev, fn);
  detail::dims_of(img, fn);
  if (options.clip && !(options.clip_low <= options.clip_high))
    detail::fail(fn, "noise_options clip bounds must satisfy clip_low <= clip_high, got ",
                 detail::shortest(options.clip_low), " and ", detail::shortest(options.clip_high));
  const std::size_t n = img.size();
  if (static_cast<std::uint64_t>(n) > (std::uint64_t{1} << 33))
    detail::fail(fn, "the image has ", n, " elements; at most 2^33 fit one random stream");
  if (stddev == 0) return img;
  auto out = xt::xtensor<T, N>::from_shape(img.shape());  // every element is written below
  const T* src = img.data();
  T* dst = out.data();
  if constexpr (std::is_integral_v<T>) {
    constexpr auto maxv = static_cast<std::int64_t>(std::numeric_limits<T>::max());
    const detail::noise_lookup& lookup = detail::cached_noise_lookup(stddev, maxv);
    bool avx2 = false;
#if DISFER_SIMD_X86
    const detail::simd_path path = detail::simd_resolve();
    avx2 = std::is_same_v<T, std::uint8_t> && (path == detail::simd_path::avx2 || path == detail::simd_path::avx512);
#endif
    detail::for_each_philox_chunk(key, n, [&](std::size_t first, const std::uint32_t* words, std::size_t count) {
#if DISFER_SIMD_X86
      if constexpr (std::is_same_v<T, std::uint8_t>)
        if (avx2) return detail::add_integer_noise_avx2(src + first, dst + first, words, count, lookup);
#endif
      detail::add_integer_noise(src + first, dst + first, words, count, lookup);
    });
  } else {
    detail::add_float_noise(src, dst, n, stddev, philox_stream(key), options);
  }
  return out;
}

}  // namespace detail

template <class T, std::size_t N>
xt::xtensor<T, N> gaussian_noise(const xt::xtensor<T, N>& img, double stddev, const stream_key& key,
                                 const noise_options& options) {
  return detail::gaussian_noise_as(img, stddev, key, options, "gaussian_noise");
}

}  // namespace disfer
