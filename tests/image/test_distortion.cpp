#include <catch2/catch.hpp>

#include <disfer/image.hpp>

#include "digest_cases.hpp"

#include <string>
#include <vector>

using disfer::distortion;
using disfer::distortion_kind;

TEST_CASE("distortion: the ten DisFER conditions in the paper's order", "[image][distortion]") {
  // Lévêque et al. 2022 (Electronics 11(23) 4030, section 3.1): original; GB 0.8/1.1/1.4;
  // GN 10/20/30 (0-255); SP 0.02/0.04/0.06.
  const auto c = disfer::disfer_conditions();
  REQUIRE(c.size() == 10);
  const std::vector<std::string> in_order = {"original", "GB 0.8", "GB 1.1",  "GB 1.4",  "GN 10",
                                             "GN 20",    "GN 30",  "SP 0.02", "SP 0.04", "SP 0.06"};
  for (std::size_t i = 0; i < 10; ++i) CHECK(disfer::label(c[i]) == in_order[i]);
  CHECK(c[0].kind == distortion_kind::none);
  CHECK(c[2] == (distortion{distortion_kind::gaussian_blur, 1.1}));
  CHECK(c[9] == (distortion{distortion_kind::salt_and_pepper, 0.06}));
  CHECK(disfer::parse_distortion_kind("GN") == distortion_kind::gaussian_noise);
  CHECK(disfer::parse_distortion_kind(disfer::name(distortion_kind::salt_and_pepper)) ==
        distortion_kind::salt_and_pepper);
  CHECK_THROWS_WITH(disfer::parse_distortion_kind("blur"),
                    Catch::Contains("parse_distortion_kind") && Catch::Contains("'blur'"));
}

TEST_CASE("distortion: apply calls the kernel with the documented stream", "[image][distortion]") {
  const auto img = disfer_test::texture_u8_2d(48, 48, 3);
  const disfer::stream_key key{2022, 17};
  CHECK(bool(disfer::apply({distortion_kind::none, 0}, img, key) == img));
  CHECK(bool(disfer::apply({distortion_kind::gaussian_blur, 1.1}, img, key) == disfer::gaussian_blur(img, 1.1)));
  CHECK(bool(disfer::apply({distortion_kind::gaussian_noise, 20}, img, key) ==
             disfer::gaussian_noise(img, 20, disfer::stream_key{2022, 17, disfer::purpose::gaussian_noise})));
  CHECK(bool(disfer::apply({distortion_kind::salt_and_pepper, 0.04}, img, key) ==
             disfer::salt_and_pepper(img, 0.04, disfer::stream_key{2022, 17, disfer::purpose::salt_and_pepper})));
  // an explicit purpose is used as given
  const disfer::stream_key own{2022, 17, disfer::purpose::user + 5};
  CHECK(bool(disfer::apply({distortion_kind::gaussian_noise, 20}, img, own) == disfer::gaussian_noise(img, 20, own)));
}

TEST_CASE("distortion: apply_batch gives the same bytes on 1, 2 and 8 threads", "[image][distortion][threads]") {
  std::vector<xt::xtensor<std::uint8_t, 2>> images;
  std::vector<std::uint64_t> ids;
  std::vector<distortion> per_item;
  const auto conditions = disfer::disfer_conditions();
  for (std::uint64_t i = 0; i < 40; ++i) {
    images.push_back(disfer_test::texture_u8_2d(48, 48, 200 + i));
    ids.push_back(1000 + 7 * i);
    per_item.push_back(conditions[i % conditions.size()]);
  }
  const auto one = disfer::apply_batch(per_item, images, ids, 2022, {1});
  REQUIRE(one.size() == 40);
  for (unsigned t : {2u, 8u, 0u}) {
    const auto many = disfer::apply_batch(per_item, images, ids, 2022, {t});
    for (std::size_t i = 0; i < 40; ++i) CHECK(bool(many[i] == one[i]));
  }
  for (std::size_t i = 0; i < 40; ++i)
    CHECK(bool(one[i] == disfer::apply(per_item[i], images[i], disfer::stream_key{2022, ids[i]})));
  const auto same = disfer::apply_batch(conditions[5], images, ids, 2022, {8});
  for (std::size_t i = 0; i < 40; ++i)
    CHECK(bool(same[i] == disfer::apply(conditions[5], images[i], disfer::stream_key{2022, ids[i]})));
}

TEST_CASE("distortion: apply_batch reports the failing item", "[image][distortion][threads]") {
  std::vector<xt::xtensor<std::uint8_t, 2>> images(6, disfer_test::texture_u8_2d(8, 8, 1));
  images[3] = xt::xtensor<std::uint8_t, 2>::from_shape({0, 8});
  images[5] = xt::xtensor<std::uint8_t, 2>::from_shape({8, 0});
  const std::vector<std::uint64_t> ids = {10, 11, 12, 13, 14, 15};
  for (unsigned t : {1u, 2u, 8u})
    CHECK_THROWS_WITH(disfer::apply_batch(distortion{distortion_kind::gaussian_blur, 1.1}, images, ids, 1, {t}),
                      Catch::StartsWith("apply_batch: item 3 (id 13): gaussian_blur: the image is empty"));
  CHECK_THROWS_WITH(
      disfer::apply_batch(distortion{distortion_kind::gaussian_blur, 1.1}, images, std::vector<std::uint64_t>{1, 2}, 1),
      Catch::Contains("apply_batch") && Catch::Contains("6 images but 2 ids"));
  CHECK_THROWS_WITH(disfer::apply_batch(std::vector<distortion>(2), images, ids, 1),
                    Catch::Contains("apply_batch") && Catch::Contains("2 distortions for 6 images"));
  CHECK(disfer::apply_batch(distortion{}, std::vector<xt::xtensor<std::uint8_t, 2>>{}, {}, 1).empty());
}
