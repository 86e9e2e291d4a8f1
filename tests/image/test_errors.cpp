#include <catch2/catch.hpp>

#include <disfer/image.hpp>

#include "digest_cases.hpp"

#include <cmath>
#include <limits>

using Catch::Contains;
using Catch::StartsWith;

TEST_CASE("bad input: blur sigma <= 0, NaN, infinite, or a kernel above 4096 taps", "[image][errors]") {
  const auto img = disfer_test::texture_u8_2d(8, 8, 1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(disfer::gaussian_blur(img, 0.0), disfer::error);
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, 0.0), Contains("gaussian_blur: sigma") && Contains("got 0"));
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, -1.5), Contains("gaussian_blur") && Contains("-1.5"));
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, nan), Contains("gaussian_blur") && Contains("nan"));
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, std::numeric_limits<double>::infinity()),
                    Contains("gaussian_blur") && Contains("inf"));
  // 6 sigma + 1 > 4096 for uint8 (sigma 700 -> 4201 taps); 8 sigma + 1 for float.
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, 700.0), Contains("gaussian_blur: sigma 700") && Contains("4096"));
  CHECK_NOTHROW(disfer::gaussian_blur(img, 682.0));  // 4093 taps
  const auto f = disfer_test::convert<float>(disfer_test::texture_u8(4, 4, 1, 1), 1.0);
  CHECK_THROWS_WITH(disfer::gaussian_blur(f, 600.0), Contains("gaussian_blur: sigma 600") && Contains("4096"));
  CHECK_THROWS_WITH(disfer::gaussian_blur(f, 1e300), Contains("gaussian_blur: sigma 1e+300"));
  disfer::blur_options o;
  o.extent = disfer::blur_extent::fixed_size;
  o.size = 4;
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, 1.0, o), Contains("gaussian_blur") && Contains("size") && Contains("4"));
  o.size = 4097;
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, 1.0, o), Contains("gaussian_blur") && Contains("4097"));
  o.extent = disfer::blur_extent::truncate;
  o.truncate = -1;
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, 1.0, o), Contains("gaussian_blur") && Contains("truncate"));
  disfer::blur_options fp;
  fp.arithmetic = disfer::blur_arithmetic::opencv_fixed_point;
  CHECK_THROWS_WITH(disfer::gaussian_blur(f, 1.0, fp), Contains("gaussian_blur") && Contains("uint8"));
  disfer::blur_options cb;
  cb.border = disfer::blur_border::constant;
  cb.constant_value = nan;
  CHECK_THROWS_WITH(disfer::gaussian_blur(img, 1.0, cb), Contains("gaussian_blur") && Contains("constant_value"));
  CHECK_THROWS_WITH(disfer::gaussian_kernel(1.0, 2), Contains("gaussian_kernel") && Contains("got 2"));
  CHECK_THROWS_WITH(disfer::gaussian_kernel_fixed_point(-1.0, 3), Contains("gaussian_kernel_fixed_point"));
}

TEST_CASE("bad input: noise stddev < 0 or NaN, bad clip bounds", "[image][errors]") {
  const auto img = disfer_test::texture_u8_2d(8, 8, 1);
  const disfer::stream_key key{1, 1, disfer::purpose::gaussian_noise};
  CHECK_THROWS_AS(disfer::gaussian_noise(img, -1.0, key), disfer::error);
  CHECK_THROWS_WITH(disfer::gaussian_noise(img, -1.0, key), Contains("gaussian_noise: stddev") && Contains("-1"));
  CHECK_THROWS_WITH(disfer::gaussian_noise(img, std::nan(""), key), Contains("gaussian_noise") && Contains("nan"));
  CHECK_THROWS_WITH(disfer::gaussian_noise(img, std::numeric_limits<double>::infinity(), key),
                    Contains("gaussian_noise") && Contains("inf"));
  const auto f = disfer_test::convert<double>(disfer_test::texture_u8(4, 4, 1, 1), 1.0);
  disfer::noise_options o;
  o.clip = true;
  o.clip_low = 1;
  o.clip_high = 0;
  CHECK_THROWS_WITH(disfer::gaussian_noise(f, 0.1, key, o), Contains("gaussian_noise") && Contains("clip"));
  CHECK_THROWS_WITH(disfer::make_rounded_normal_table(0.0, 10), Contains("make_rounded_normal_table"));
}

TEST_CASE("bad input: salt-and-pepper amount or salt_ratio outside [0, 1]", "[image][errors]") {
  const auto img = disfer_test::texture_u8_2d(8, 8, 1);
  const disfer::stream_key key{1, 1, disfer::purpose::salt_and_pepper};
  CHECK_THROWS_AS(disfer::salt_and_pepper(img, 1.5, key), disfer::error);
  CHECK_THROWS_WITH(disfer::salt_and_pepper(img, 1.5, key), Contains("salt_and_pepper: amount") && Contains("1.5"));
  CHECK_THROWS_WITH(disfer::salt_and_pepper(img, -0.01, key), Contains("salt_and_pepper") && Contains("-0.01"));
  CHECK_THROWS_WITH(disfer::salt_and_pepper(img, std::nan(""), key), Contains("salt_and_pepper") && Contains("nan"));
  CHECK_THROWS_WITH(disfer::salt_and_pepper(img, 0.1, key, 2.0),
                    Contains("salt_and_pepper: salt_ratio") && Contains("2"));
}

TEST_CASE("bad input: empty images", "[image][errors]") {
  const auto empty2 = xt::xtensor<std::uint8_t, 2>::from_shape({0, 48});
  const auto empty3 = xt::xtensor<float, 3>::from_shape({48, 48, 0});
  const disfer::stream_key key{1, 1};
  CHECK_THROWS_WITH(disfer::gaussian_blur(empty2, 1.0), Contains("gaussian_blur: the image is empty (0 x 48"));
  CHECK_THROWS_WITH(disfer::gaussian_blur(empty3, 1.0), Contains("gaussian_blur: the image is empty (48 x 48 x 0"));
  CHECK_THROWS_WITH(disfer::gaussian_noise(empty2, 10.0, key), Contains("gaussian_noise: the image is empty"));
  CHECK_THROWS_WITH(disfer::gaussian_noise(empty2, 0.0, key), Contains("gaussian_noise: the image is empty"));
  CHECK_THROWS_WITH(disfer::salt_and_pepper(empty3, 0.1, key), Contains("salt_and_pepper: the image is empty"));
  CHECK_THROWS_WITH(disfer::apply(disfer::distortion{}, empty2, key), Contains("apply: the image is empty"));
  // apply names itself, whichever kernel finds the fault
  CHECK_THROWS_WITH(disfer::apply(disfer::distortion{disfer::distortion_kind::gaussian_noise, 10}, empty3, key),
                    StartsWith("apply: the image is empty"));
  CHECK_THROWS_WITH(disfer::apply(disfer::distortion{disfer::distortion_kind::gaussian_blur, -1}, empty2, key),
                    StartsWith("apply: sigma must be a positive finite number of pixels, got -1"));
  CHECK_THROWS_WITH(disfer::apply(disfer::distortion{disfer::distortion_kind::salt_and_pepper, 2},
                                  xt::xtensor<float, 2>({{0.f}}), key),
                    StartsWith("apply: amount must be a probability in [0, 1], got 2"));
  CHECK_THROWS_WITH(disfer::apply(disfer::distortion{static_cast<disfer::distortion_kind>(9), 1}, empty2, key),
                    StartsWith("apply: unknown distortion_kind 9"));
}
