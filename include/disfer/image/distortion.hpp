#pragma once
/// \file
/// The DisFER distortions as values: `distortion{kind, level}`, `apply(distortion, img, key)`, the
/// paper's ten conditions (`disfer_conditions()`), and a threaded batch call whose bytes do not
/// depend on the thread count.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/parallel_for.hpp"
#include "disfer/image/condition.hpp"
#include "disfer/image/gaussian_blur.hpp"
#include "disfer/image/gaussian_noise.hpp"
#include "disfer/image/image.hpp"
#include "disfer/image/salt_and_pepper.hpp"

namespace disfer {

/// Applies one distortion with the library's defaults: gaussian_blur(img, level),
/// gaussian_noise(img, level, key'), salt_and_pepper(img, level, key') with salt_ratio 0.5, or a
/// copy for none. key' = key, except that key.purpose == 0 is replaced by default_purpose(kind), so
/// stream_key{seed, image id} gives the documented stream {seed, id, purpose::gaussian_noise}.
/// Throws disfer::error (named `apply`) for what the kernel it calls rejects (an empty image, a
/// NaN or infinite pixel, a level out of range: "apply: sigma must be ..."), or for an unknown kind.
template <class T, std::size_t N>
xt::xtensor<T, N> apply(const distortion& d, const xt::xtensor<T, N>& img, const stream_key& key);

namespace detail {

/// apply() with `function` named in its errors; nullptr: the name of the kernel called
/// (apply_batch quotes the kernel's message).
template <class T, std::size_t N>
xt::xtensor<T, N> apply_as(const distortion& d, const xt::xtensor<T, N>& img, const stream_key& key,
                           const char* function) {
  check_image_type<T, N>();
  auto named = [function](const char* kernel) { return function ? function : kernel; };
  stream_key k = key;
  if (k.purpose == 0) k.purpose = default_purpose(d.kind);
  switch (d.kind) {
    case distortion_kind::none:
      dims_of(img, named("apply"));
      return img;
    case distortion_kind::gaussian_blur:
      return gaussian_blur_as(img, d.level, blur_options{}, named("gaussian_blur"));
    case distortion_kind::gaussian_noise:
      return gaussian_noise_as(img, d.level, k, noise_options{}, named("gaussian_noise"));
    case distortion_kind::salt_and_pepper:
      return salt_and_pepper_as(img, d.level, k, 0.5, salt_and_pepper_options{}, named("salt_and_pepper"));
  }
  fail(named("apply"), "unknown distortion_kind ", static_cast<int>(d.kind));
}

}  // namespace detail

template <class T, std::size_t N>
xt::xtensor<T, N> apply(const distortion& d, const xt::xtensor<T, N>& img, const stream_key& key) {
  return detail::apply_as(d, img, key, "apply");
}

/// Options of apply_batch.
struct batch_options {
  /// Worker threads; 0 = std::thread::hardware_concurrency() (at least 1). Never changes results.
  unsigned threads = 0;
};

/// Applies distortions[k] (or distortions[0] to every item when it has one element) to images[k]
/// with key {seed, ids[k], default_purpose(kind)}, on `options.threads` workers
/// (detail::parallel_for; each output depends only on its own item, so the bytes are the same for
/// any thread count). Returns one output per image, in order.
/// Throws disfer::error when sizes disagree, or, if any item fails, for the lowest failing index
/// k: "apply_batch: item k (id X): <the kernel's message>".
template <class T, std::size_t N>
std::vector<xt::xtensor<T, N>> apply_batch(const std::vector<distortion>& distortions,
                                           const std::vector<xt::xtensor<T, N>>& images,
                                           const std::vector<std::uint64_t>& ids, std::uint64_t seed,
                                           const batch_options& options = {}) {
  detail::check_image_type<T, N>();
  const char* fn = "apply_batch";
  const std::size_t n = images.size();
  if (ids.size() != n) detail::fail(fn, "got ", n, " images but ", ids.size(), " ids");
  if (distortions.size() != 1 && distortions.size() != n)
    detail::fail(fn, "got ", distortions.size(), " distortions for ", n, " images; give 1 or one per image");
  std::vector<xt::xtensor<T, N>> out(n);
  detail::parallel_for(n, options.threads, [&](std::size_t i) {
    const distortion& d = distortions.size() == 1 ? distortions[0] : distortions[i];
    try {
      out[i] = detail::apply_as(d, images[i], stream_key{seed, ids[i], default_purpose(d.kind)}, nullptr);
    } catch (const std::exception& e) {
      detail::fail(fn, "item ", i, " (id ", ids[i], "): ", e.what());
    } catch (...) {
      detail::fail(fn, "item ", i, " (id ", ids[i], "): unknown exception");
    }
  });
  return out;
}

/// apply_batch with one distortion for every image.
template <class T, std::size_t N>
std::vector<xt::xtensor<T, N>> apply_batch(const distortion& d, const std::vector<xt::xtensor<T, N>>& images,
                                           const std::vector<std::uint64_t>& ids, std::uint64_t seed,
                                           const batch_options& options = {}) {
  return apply_batch(std::vector<distortion>{d}, images, ids, seed, options);
}

}  // namespace disfer
