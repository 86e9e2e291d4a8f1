#pragma once
/// \file
/// Salt-and-pepper (impulse) noise, bit-reproducible on every platform and thread count.
///
/// Default (per-pixel Bernoulli, as scikit-image >= 0.13 and ImageNet-C): draw p (pixel p in
/// row-major order) uses word p of the key's Philox stream, w: the pixel becomes salt (the type's
/// maximum: 255, 65535, or 1.0 for float types) when w < S = round(amount * salt_ratio * 2^32),
/// pepper (0) when S <= w < A = round(amount * 2^32), and stays otherwise. So a pixel is hit with
/// probability A / 2^32 and salt with S / 2^32, each exact to 2^-33 (amount 0 never hits, 1
/// always does), and given a hit it is salt with probability S / A, i.e. an independent
/// Bernoulli(salt_ratio) up to that rounding. All channels of a pixel share the draw; with
/// per_channel each element (pixel, channel) is a draw of its own, in row-major order.
/// exact_count (albumentations-style): exactly n = round(amount * pixels) pixels (half away from
/// zero) are chosen without replacement by a partial Fisher-Yates shuffle on the key's stream
/// (random_cursor::next_below), the first round(n * salt_ratio) of them salt, the rest pepper.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/philox_blocks.hpp"
#include "disfer/detail/simd_dispatch.hpp"
#include "disfer/image/image.hpp"

namespace disfer {

/// Options of salt_and_pepper.
struct salt_and_pepper_options {
  bool per_channel = false;  ///< independent draws per channel (coloured impulses) instead of per pixel
  bool exact_count = false;  ///< exactly round(amount * H * W) pixels (round(amount * H * W * C) elements)
};

namespace detail {

/// round(p * 2^32) for p in [0, 1], as a 33-bit threshold for 32-bit words: word < threshold has
/// probability threshold / 2^32.
inline std::uint64_t probability_threshold(double p) noexcept {
  return static_cast<std::uint64_t>(std::round(p * 4294967296.0));
}

/// dst[k] = words[k] <= hit_last ? (words[k] <= salt_last ? salt_value : 0) : src[k]: the
/// per-element draw of salt_and_pepper, written for auto-vectorisation (no aliasing, every
/// operand loaded unconditionally, so the compiler can if-convert it into compares and blends).
template <class T>
DISFER_ALWAYS_INLINE void impulse_select_loop(const T* __restrict src, T* __restrict dst,
                                              const std::uint32_t* __restrict words, std::size_t count,
                                              std::uint32_t hit_last, std::uint32_t salt_last, T salt_value) noexcept {
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint32_t w = words[k];
    const T s = src[k];
    const T v = w <= salt_last ? salt_value : T{0};
    dst[k] = w <= hit_last ? v : s;
  }
}

#if DISFER_SIMD_X86
template <class T>
__attribute__((target("avx2"))) inline void impulse_select_avx2(const T* src, T* dst, const std::uint32_t* words,
                                                                std::size_t count, std::uint32_t hit_last,
                                                                std::uint32_t salt_last, T salt_value) noexcept {
  impulse_select_loop(src, dst, words, count, hit_last, salt_last, salt_value);  // the same loop on AVX2
}
#endif

template <class T>
inline void impulse_select(const T* src, T* dst, const std::uint32_t* words, std::size_t count, std::uint32_t hit_last,
                           std::uint32_t salt_last, T salt_value, bool avx2) noexcept {
#if DISFER_SIMD_X86
  if (avx2) return impulse_select_avx2(src, dst, words, count, hit_last, salt_last, salt_value);
#endif
  (void)avx2;
  impulse_select_loop(src, dst, words, count, hit_last, salt_last, salt_value);
}

}  // namespace detail

/// Replaces a random subset of pixels by salt (the type's maximum; 1.0 for float and double) or
/// pepper (0): each pixel independently with probability `amount`, salt with probability
/// `salt_ratio` given a hit (see the file comment for the exact stream layout and the options).
/// Use key = stream_key{seed, image id, purpose::salt_and_pepper}.
/// amount 0 returns a copy; amount 1 replaces every pixel. Pixels already at 0 or max may be
/// "replaced" by the same value, so the changed fraction is at most amount.
/// Complexity O(H W C) time; O(H W) extra memory with exact_count. The input is not modified.
/// Throws disfer::error when the image is empty or too large for one stream (2^34 draws),
/// or amount or salt_ratio is outside [0, 1] or NaN.
template <class T, std::size_t N>
xt::xtensor<T, N> salt_and_pepper(const xt::xtensor<T, N>& img, double amount, const stream_key& key,
                                  double salt_ratio = 0.5, const salt_and_pepper_options& options = {});

namespace detail {

/// salt_and_pepper with `fn` named in its errors (apply passes its own name).
template <class T, std::size_t N>
xt::xtensor<T, N> salt_and_pepper_as(const xt::xtensor<T, N>& img, double amount, const stream_key& key,
                                     double salt_ratio, const salt_and_pepper_options& options, const char* fn) {
  detail::check_image_type<T, N>();
  if (!(amount >= 0 && amount <= 1))
    detail::fail(fn, "amount must be a probability in [0, 1], got ", detail::shortest(amount));
  if (!(salt_ratio >= 0 && salt_ratio <= 1))
    detail::fail(fn, "salt_ratio must be a probability in [0, 1], got ", detail::shortest(salt_ratio));
  const detail::image_dims d = detail::dims_of(img, fn);
  const std::size_t pixels = d.height * d.width;
  const std::size_t units = options.per_channel ? pixels * d.channels : pixels;  // independent draws
  const std::size_t span = options.per_channel ? 1 : d.channels;                 // elements per draw
  if (static_cast<std::uint64_t>(units) > (std::uint64_t{1} << 34))
    detail::fail(fn, "the image needs ", units, " draws; at most 2^34 fit one random stream");
  if (amount == 0) return img;
  const T salt = static_cast<T>(pixel_max<T>());
  // w < hit  <=>  w <= hit - 1 (32-bit compares, which vectorise); salty == 0 makes salt pepper
  const std::uint64_t hit = detail::probability_threshold(amount);
  const std::uint64_t salty = detail::probability_threshold(amount * salt_ratio);
  const auto hit_last = static_cast<std::uint32_t>(hit == 0 ? 0 : hit - 1);
  const auto salt_last = static_cast<std::uint32_t>(salty == 0 ? 0 : salty - 1);
  if (!options.exact_count && hit == 0) return img;
  if (!options.exact_count && span == 1) {  // one draw per element: a select, read once, written once
    auto out = xt::xtensor<T, N>::from_shape(img.shape());
    const T* src = img.data();
    T* dst = out.data();
    const T salt_value = salty == 0 ? T{0} : salt;
    const bool avx2 = detail::simd_resolve() >= detail::simd_path::avx2;
    detail::for_each_philox_chunk(key, units, [&](std::size_t first, const std::uint32_t* w, std::size_t count) {
      detail::impulse_select(src + first, dst + first, w, count, hit_last, salt_last, salt_value, avx2);
    });
    return out;
  }
  xt::xtensor<T, N> out = img;
  T* dst = out.data();
  auto put = [&](std::size_t unit, bool is_salt) {
    for (std::size_t c = 0; c < span; ++c) dst[unit * span + c] = is_salt ? salt : T{0};
  };
  if (!options.exact_count) {
    detail::for_each_philox_chunk(key, units, [&](std::size_t first, const std::uint32_t* w, std::size_t count) {
      for (std::size_t k = 0; k < count; ++k)
        if (w[k] <= hit_last) put(first + k, salty != 0 && w[k] <= salt_last);
    });
  } else {
    const auto n = static_cast<std::size_t>(std::round(amount * static_cast<double>(units)));
    const auto n_salt = static_cast<std::size_t>(std::round(salt_ratio * static_cast<double>(n)));
    std::vector<std::size_t> idx(units);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    random_cursor cursor(key);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t j = i + static_cast<std::size_t>(cursor.next_below(units - i));
      std::swap(idx[i], idx[j]);
      put(idx[i], i < n_salt);
    }
  }
  return out;
}

}  // namespace detail

template <class T, std::size_t N>
xt::xtensor<T, N> salt_and_pepper(const xt::xtensor<T, N>& img, double amount, const stream_key& key, double salt_ratio,
                                  const salt_and_pepper_options& options) {
  return detail::salt_and_pepper_as(img, amount, key, salt_ratio, options, "salt_and_pepper");
}

}  // namespace disfer
