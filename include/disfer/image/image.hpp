#pragma once
/// \file
/// Image types of the image module: `xt::xtensor<T, 2>` (H x W) and `xt::xtensor<T, 3>`
/// (H x W x C, channels interleaved, row-major), T in {uint8_t, uint16_t, float, double}.
/// Helpers shared by the distortion kernels: type checks, the value range of each type, rounding
/// and saturation, and the image digest used for reproducibility records.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>

#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/detail/sha256.hpp"

namespace disfer {

/// True for the pixel types the image module accepts: uint8_t, uint16_t, float, double.
template <class T>
inline constexpr bool is_pixel_type_v = std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t> ||
                                        std::is_same_v<T, float> || std::is_same_v<T, double>;

/// The largest value of the pixel type's scale: 255, 65535, or 1.0 for float and double.
template <class T>
constexpr double pixel_max() noexcept {
  if constexpr (std::is_integral_v<T>) return static_cast<double>(std::numeric_limits<T>::max());
  return 1.0;
}

/// SHA-256 of an image: the shape (rank and extents as little-endian 64-bit integers), then the
/// pixels in row-major order as their little-endian bytes. Platform-independent on little- and
/// big-endian machines alike. Used for reproducibility records (manifests, regression tests).
template <class T, std::size_t N>
std::string image_sha256(const xt::xtensor<T, N>& img) {
  static_assert(is_pixel_type_v<T>, "image_sha256: pixel type must be uint8_t, uint16_t, float or double");
  detail::sha256 h;
  auto put64 = [&h](std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    h.update(b, 8);
  };
  put64(N);
  for (std::size_t d = 0; d < N; ++d) put64(img.shape()[d]);
  const T* p = img.data();
  for (std::size_t i = 0; i < img.size(); ++i) {
    unsigned char b[sizeof(T)];
    if constexpr (std::is_integral_v<T>) {
      for (std::size_t k = 0; k < sizeof(T); ++k) b[k] = static_cast<unsigned char>(p[i] >> (8 * k));
    } else {
      using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
      U u;
      static_assert(sizeof(U) == sizeof(T));
      std::memcpy(&u, &p[i], sizeof(T));
      for (std::size_t k = 0; k < sizeof(T); ++k) b[k] = static_cast<unsigned char>(u >> (8 * k));
    }
    h.update(b, sizeof(T));
  }
  return h.hex();
}

namespace detail {

/// Compile-time check shared by every image function.
template <class T, std::size_t N>
constexpr void check_image_type() {
  static_assert(is_pixel_type_v<T>, "disfer image functions take uint8_t, uint16_t, float or double pixels");
  static_assert(N == 2 || N == 3, "disfer image functions take H x W or H x W x C images (rank 2 or 3)");
}

/// Height, width and channels of a rank-2 or rank-3 image.
struct image_dims {
  std::size_t height = 0, width = 0, channels = 1;
};

/// Dimensions of `img`; throws disfer::error naming `function` when the image has no pixels or,
/// for float and double pixels, when a pixel is NaN or infinite (naming the first one in row-major
/// order: a distortion would spread it silently). O(pixels) for floating-point images.
template <class T, std::size_t N>
image_dims dims_of(const xt::xtensor<T, N>& img, const char* function) {
  check_image_type<T, N>();
  image_dims d;
  d.height = img.shape()[0];
  d.width = img.shape()[1];
  if constexpr (N == 3) d.channels = img.shape()[2];
  if (d.height == 0 || d.width == 0 || d.channels == 0)
    fail(function, "the image is empty (", d.height, " x ", d.width, " x ", d.channels,
         "); every extent must be at least 1");
  if constexpr (std::is_floating_point_v<T>) {
    const T* p = img.data();
    const std::size_t n = img.size();
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(p[i])) {
        const std::size_t pixel = i / d.channels, row = pixel / d.width, column = pixel % d.width;
        if constexpr (N == 3)
          fail(function, "pixel (row ", row, ", column ", column, ", channel ", i % d.channels, ") is ",
               shortest(static_cast<double>(p[i])), "; images must be finite");
        else
          fail(function, "pixel (row ", row, ", column ", column, ") is ", shortest(static_cast<double>(p[i])),
               "; images must be finite");
      }
  }
  return d;
}

/// Converts an exact value to pixel type T: integers round half away from zero and saturate to
/// [0, max]; float and double are a plain conversion. NaN goes to 0 for integer types.
template <class T>
T to_pixel(double v) noexcept {
  if constexpr (std::is_integral_v<T>) {
    constexpr double hi = static_cast<double>(std::numeric_limits<T>::max());
    if (!(v > 0)) return T{0};
    if (v >= hi) return std::numeric_limits<T>::max();
    return static_cast<T>(std::round(v));  // v in (0, hi): half away from zero, exact
  } else {
    return static_cast<T>(v);
  }
}

}  // namespace detail
}  // namespace disfer
