#pragma once
/// \file
/// The DisFER conditions as values, without the kernels: `distortion{kind, level}`, kind names,
/// the paper's labels ("GB 0.8") and its ten conditions. Light (no xtensor, no image code), so that
/// readers of manifests and tables of conditions need not compile the kernels; image/distortion.hpp
/// adds apply() and the batches.

#include <cstdint>
#include <string>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"

namespace disfer {

/// The kinds of distortion of the DisFER study (Leveque et al., Electronics 2022).
enum class distortion_kind { none, gaussian_blur, gaussian_noise, salt_and_pepper };

/// One distortion condition. `level` is sigma in pixels (gaussian_blur), the noise standard
/// deviation on the image's scale (gaussian_noise: 10 = 10 grey levels of 255 on uint8), or the
/// per-pixel probability (salt_and_pepper); ignored for none.
struct distortion {
  distortion_kind kind = distortion_kind::none;
  double level = 0.0;
};

inline bool operator==(const distortion& a, const distortion& b) noexcept {
  return a.kind == b.kind && (a.kind == distortion_kind::none || a.level == b.level);
}
inline bool operator!=(const distortion& a, const distortion& b) noexcept {
  return !(a == b);
}

/// Name of a kind: "none", "gaussian_blur", "gaussian_noise", "salt_and_pepper".
inline std::string name(distortion_kind kind) {
  switch (kind) {
    case distortion_kind::none:
      return "none";
    case distortion_kind::gaussian_blur:
      return "gaussian_blur";
    case distortion_kind::gaussian_noise:
      return "gaussian_noise";
    case distortion_kind::salt_and_pepper:
      return "salt_and_pepper";
  }
  detail::fail("name", "unknown distortion_kind ", static_cast<int>(kind));
}

/// Parses a kind from its name (as name() writes it) or the paper's abbreviation ("original",
/// "GB", "GN", "SP"; case-sensitive). Throws disfer::error naming the text otherwise.
inline distortion_kind parse_distortion_kind(const std::string& text) {
  if (text == "none" || text == "original") return distortion_kind::none;
  if (text == "gaussian_blur" || text == "GB") return distortion_kind::gaussian_blur;
  if (text == "gaussian_noise" || text == "GN") return distortion_kind::gaussian_noise;
  if (text == "salt_and_pepper" || text == "SP") return distortion_kind::salt_and_pepper;
  detail::fail("parse_distortion_kind", "unknown distortion kind '", text,
               "'; expected none, gaussian_blur, gaussian_noise, salt_and_pepper (or original, GB, GN, SP)");
}

namespace detail {

/// label() with `function` named in its errors (for the public functions built on it).
inline std::string label_as(const distortion& d, const char* function) {
  switch (d.kind) {
    case distortion_kind::none:
      return "original";
    case distortion_kind::gaussian_blur:
      return "GB " + detail::shortest(d.level);
    case distortion_kind::gaussian_noise:
      return "GN " + detail::shortest(d.level);
    case distortion_kind::salt_and_pepper:
      return "SP " + detail::shortest(d.level);
  }
  fail(function, "unknown distortion_kind ", static_cast<int>(d.kind));
}

}  // namespace detail

/// The paper's label of a condition: "original", "GB 0.8", "GN 10", "SP 0.02". Throws
/// disfer::error for an unknown kind.
inline std::string label(const distortion& d) {
  return detail::label_as(d, "label");
}

/// The ten DisFER conditions in the paper's order: original; Gaussian blur sigma 0.8, 1.1, 1.4 px;
/// Gaussian noise stddev 10, 20, 30 (0-255 scale); salt-and-pepper probability 0.02, 0.04, 0.06.
inline std::vector<distortion> disfer_conditions() {
  using k = distortion_kind;
  return {{k::none, 0.0},
          {k::gaussian_blur, 0.8},
          {k::gaussian_blur, 1.1},
          {k::gaussian_blur, 1.4},
          {k::gaussian_noise, 10.0},
          {k::gaussian_noise, 20.0},
          {k::gaussian_noise, 30.0},
          {k::salt_and_pepper, 0.02},
          {k::salt_and_pepper, 0.04},
          {k::salt_and_pepper, 0.06}};
}

/// The stream purpose a distortion kind draws from: purpose::gaussian_noise,
/// purpose::salt_and_pepper, or 0 for kinds without randomness.
inline std::uint32_t default_purpose(distortion_kind kind) noexcept {
  switch (kind) {
    case distortion_kind::gaussian_noise:
      return purpose::gaussian_noise;
    case distortion_kind::salt_and_pepper:
      return purpose::salt_and_pepper;
    default:
      return 0;
  }
}

}  // namespace disfer
