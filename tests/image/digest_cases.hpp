#pragma once
// The regression cases whose SHA-256 digests are committed in reference/digests.txt. Shared by
// test_image (which checks them, and dumps them for the g++/clang++ comparison) and by
// image_fp_contract_check (built with -march=native and FP contraction allowed).
#include <disfer/image.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace disfer_test {

// A textured test image from raw Philox words (independent of the kernels under test):
// element i = byte (i % 4) of word i / 4 of stream {seed 20221130, item, purpose user + 1}.
inline xt::xtensor<std::uint8_t, 3> texture_u8(std::size_t h, std::size_t w, std::size_t c, std::uint64_t item) {
  auto img = xt::xtensor<std::uint8_t, 3>::from_shape({h, w, c});
  const disfer::philox_stream s(disfer::stream_key{20221130u, item, disfer::purpose::user + 1});
  for (std::size_t i = 0; i < img.size(); ++i)
    img.data()[i] = static_cast<std::uint8_t>(s.word(i / 4) >> (8 * (i % 4)));
  return img;
}

inline xt::xtensor<std::uint8_t, 2> texture_u8_2d(std::size_t h, std::size_t w, std::uint64_t item) {
  const auto t = texture_u8(h, w, 1, item);
  auto img = xt::xtensor<std::uint8_t, 2>::from_shape({h, w});
  for (std::size_t i = 0; i < img.size(); ++i) img.data()[i] = t.data()[i];
  return img;
}

template <class T, std::size_t N>
xt::xtensor<T, N> convert(const xt::xtensor<std::uint8_t, N>& u8, double scale) {
  auto img = xt::xtensor<T, N>::from_shape(u8.shape());
  for (std::size_t i = 0; i < img.size(); ++i) img.data()[i] = static_cast<T>(u8.data()[i] * scale);
  return img;
}

using digest_list = std::vector<std::pair<std::string, std::string>>;

inline digest_list digest_cases() {
  using namespace disfer;
  digest_list out;
  auto add = [&out](const std::string& name, const auto& img) { out.emplace_back(name, image_sha256(img)); };
  const auto u8 = texture_u8_2d(48, 48, 0);
  const auto rgb = texture_u8(17, 23, 3, 1);
  const auto u16 = convert<std::uint16_t>(u8, 257.0);
  const auto f32 = convert<float>(u8, 1.0 / 255);
  const auto f64 = convert<double>(u8, 1.0 / 255);
  for (double s : {0.8, 1.1, 1.4}) {
    const std::string tag = " sigma " + detail::shortest(s);
    add("blur uint8 48x48" + tag, gaussian_blur(u8, s));
    add("blur uint8 17x23x3" + tag, gaussian_blur(rgb, s));
    add("blur uint16 48x48" + tag, gaussian_blur(u16, s));
    add("blur float 48x48" + tag, gaussian_blur(f32, s));
    add("blur double 48x48" + tag, gaussian_blur(f64, s));
    blur_options exact;
    exact.arithmetic = blur_arithmetic::exact;
    add("blur uint8 exact 48x48" + tag, gaussian_blur(u8, s, exact));
  }
  for (auto border : {blur_border::reflect, blur_border::replicate, blur_border::constant}) {
    blur_options o;
    o.border = border;
    o.constant_value = 7;
    add(detail::concat("blur uint8 border ", static_cast<int>(border)), gaussian_blur(u8, 1.1, o));
    o.constant_value = 0.25;
    add(detail::concat("blur double border ", static_cast<int>(border)), gaussian_blur(f64, 1.1, o));
  }
  const stream_key gn{2022, 7, purpose::gaussian_noise};
  for (double s : {10.0, 20.0, 30.0}) {
    add("noise uint8 48x48 stddev " + detail::shortest(s), gaussian_noise(u8, s, gn));
    add("noise uint8 17x23x3 stddev " + detail::shortest(s), gaussian_noise(rgb, s, gn));
    add("noise uint16 48x48 stddev " + detail::shortest(s * 257), gaussian_noise(u16, s * 257, gn));
    add("noise float 48x48 stddev " + detail::shortest(s / 255), gaussian_noise(f32, s / 255, gn));
    add("noise double 48x48 stddev " + detail::shortest(s / 255), gaussian_noise(f64, s / 255, gn));
  }
  noise_options clip;
  clip.clip = true;
  add("noise float clipped stddev 0.2", gaussian_noise(f32, 0.2, gn, clip));
  const stream_key sp{2022, 7, purpose::salt_and_pepper};
  for (double p : {0.02, 0.04, 0.06}) {
    add("salt_and_pepper uint8 48x48 amount " + detail::shortest(p), salt_and_pepper(u8, p, sp));
    add("salt_and_pepper uint8 17x23x3 amount " + detail::shortest(p), salt_and_pepper(rgb, p, sp));
    add("salt_and_pepper float 48x48 amount " + detail::shortest(p), salt_and_pepper(f32, p, sp));
  }
  salt_and_pepper_options per_channel;
  per_channel.per_channel = true;
  add("salt_and_pepper uint8 17x23x3 per channel", salt_and_pepper(rgb, 0.06, sp, 0.3, per_channel));
  salt_and_pepper_options exact_count;
  exact_count.exact_count = true;
  add("salt_and_pepper uint8 exact count", salt_and_pepper(u8, 0.06, sp, 0.5, exact_count));
  add("salt_and_pepper uint16 exact count", salt_and_pepper(u16, 0.04, sp, 0.25, exact_count));
  const auto conditions = disfer_conditions();
  for (std::uint64_t id = 0; id < 3; ++id) {
    const auto src = texture_u8_2d(48, 48, 100 + id);
    for (const auto& c : conditions)
      add(detail::concat("apply seed 2022 id ", id, " ", label(c)), apply(c, src, stream_key{2022, id}));
  }
  return out;
}

}  // namespace disfer_test
