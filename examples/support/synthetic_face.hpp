#pragma once
// A built-in 48x48 8-bit test image for the examples: a synthetic, smiling cartoon face drawn from
// ellipses and a parabola (public domain by construction; never a FER-2013 image). Only +, -, *,
// / and sqrt are used (all correctly rounded under IEEE 754), so the bytes are the same on every
// platform and compiler.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <xtensor/xtensor.hpp>

namespace disfer_examples {

inline xt::xtensor<std::uint8_t, 2> synthetic_face(std::size_t size = 48) {
  xt::xtensor<std::uint8_t, 2> img = xt::xtensor<std::uint8_t, 2>::from_shape({size, size});
  const double s = static_cast<double>(size);
  auto ellipse = [](double x, double y, double cx, double cy, double rx, double ry) {
    const double dx = (x - cx) / rx, dy = (y - cy) / ry;
    return dx * dx + dy * dy;  // < 1 inside
  };
  for (std::size_t r = 0; r < size; ++r) {
    for (std::size_t c = 0; c < size; ++c) {
      const double x = (static_cast<double>(c) + 0.5) / s, y = (static_cast<double>(r) + 0.5) / s;
      double v = 40.0 + 50.0 * y;  // background: vertical gradient
      const double face = ellipse(x, y, 0.5, 0.52, 0.36, 0.45);
      if (face < 1.0) {
        v = 200.0 - 70.0 * face + 25.0 * (0.5 - x);  // shaded skin, light from the left
        const double eye_l = ellipse(x, y, 0.36, 0.42, 0.075, 0.045);
        const double eye_r = ellipse(x, y, 0.64, 0.42, 0.075, 0.045);
        if (eye_l < 1.0 || eye_r < 1.0) v = 30.0 + 60.0 * std::sqrt(std::min(eye_l, eye_r));
        const double brow_l = ellipse(x, y, 0.35, 0.33, 0.10, 0.018);
        const double brow_r = ellipse(x, y, 0.65, 0.33, 0.10, 0.018);
        if (brow_l < 1.0 || brow_r < 1.0) v = 60.0;
        const double nose = ellipse(x, y, 0.5, 0.56, 0.035, 0.09);
        if (nose < 1.0) v -= 35.0 * (1.0 - nose);
        // Smile (y grows downwards): a band around y = 0.75 - 1.5 (x - 0.5)^2 for |x - 0.5| < 0.17.
        const double dx = x - 0.5, curve = 0.75 - 1.5 * dx * dx;
        if (dx * dx < 0.17 * 0.17 && std::abs(y - curve) < 0.022) v = 70.0;
      }
      img(r, c) = static_cast<std::uint8_t>(std::clamp(std::floor(v + 0.5), 0.0, 255.0));
    }
  }
  return img;
}

}  // namespace disfer_examples
