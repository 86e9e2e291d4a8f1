#include <catch2/catch.hpp>

#include <disfer/image.hpp>

#include "digest_cases.hpp"

#include <boost/math/distributions/binomial.hpp>

#include <cmath>

namespace {
// Two-sided 99.9% acceptance interval of Binomial(n, p) (Boost.Math quantiles, integer_round_outwards).
bool within_binomial(double x, double n, double p) {
  if (p == 0) return x == 0;
  if (p == 1) return x == n;
  boost::math::binomial b(n, p);
  return x >= boost::math::quantile(b, 0.0005) && x <= boost::math::quantile(boost::math::complement(b, 0.0005));
}
}  // namespace

TEST_CASE("salt and pepper: fraction and salt share within binomial 99.9% bounds", "[image][salt_and_pepper]") {
  auto grey = xt::xtensor<std::uint8_t, 2>::from_shape({128, 128});
  grey.fill(128);
  for (double p : {0.02, 0.04, 0.06, 0.5})
    for (double ratio : {0.5, 0.2}) {
      const auto out =
          disfer::salt_and_pepper(grey, p, disfer::stream_key{9, 1, disfer::purpose::salt_and_pepper}, ratio);
      double salt = 0, pepper = 0, other = 0;
      for (auto v : out) {
        if (v == 255)
          salt += 1;
        else if (v == 0)
          pepper += 1;
        else if (v != 128)
          other += 1;
      }
      INFO("amount " << p << " ratio " << ratio << " salt " << salt << " pepper " << pepper);
      CHECK(other == 0);  // values are exactly 0, the maximum, or untouched
      CHECK(within_binomial(salt + pepper, 128.0 * 128.0, p));
      CHECK(within_binomial(salt, salt + pepper, ratio));
    }
}

TEST_CASE("salt and pepper: extremes, types and channels", "[image][salt_and_pepper]") {
  const disfer::stream_key key{9, 2, disfer::purpose::salt_and_pepper};
  const auto img = disfer_test::texture_u8(40, 30, 3, 2);
  CHECK(bool(disfer::salt_and_pepper(img, 0.0, key) == img));
  for (auto v : disfer::salt_and_pepper(img, 1.0, key)) CHECK((v == 0 || v == 255));
  for (auto v : disfer::salt_and_pepper(img, 1.0, key, 1.0)) CHECK(v == 255);
  for (auto v : disfer::salt_and_pepper(img, 1.0, key, 0.0)) CHECK(v == 0);
  // shared draw: the three channels of a changed pixel are equal
  const auto shared = disfer::salt_and_pepper(img, 0.3, key);
  std::size_t mixed_shared = 0, mixed_per_channel = 0;
  disfer::salt_and_pepper_options pc;
  pc.per_channel = true;
  const auto per_channel = disfer::salt_and_pepper(img, 0.3, key, 0.5, pc);
  for (std::size_t y = 0; y < 40; ++y)
    for (std::size_t x = 0; x < 30; ++x) {
      bool changed = false, changed_pc = false;
      for (std::size_t c = 0; c < 3; ++c) {
        changed = changed || shared(y, x, c) != img(y, x, c);
        changed_pc = changed_pc || per_channel(y, x, c) != img(y, x, c);
      }
      if (changed && !(shared(y, x, 0) == shared(y, x, 1) && shared(y, x, 1) == shared(y, x, 2))) ++mixed_shared;
      if (changed_pc && !(per_channel(y, x, 0) == per_channel(y, x, 1) && per_channel(y, x, 1) == per_channel(y, x, 2)))
        ++mixed_per_channel;
    }
  CHECK(mixed_shared == 0);
  CHECK(mixed_per_channel > 0);
  // uint16 salt is 65535, float salt is exactly 1.0
  const auto u16 = disfer_test::convert<std::uint16_t>(img, 1.0);
  for (auto v : disfer::salt_and_pepper(u16, 1.0, key, 1.0)) CHECK(v == 65535);
  const auto f = disfer_test::convert<float>(img, 0.5 / 255);
  for (auto v : disfer::salt_and_pepper(f, 1.0, key)) CHECK((v == 0.0f || v == 1.0f));
}

TEST_CASE("salt and pepper: exact count mode", "[image][salt_and_pepper]") {
  auto grey = xt::xtensor<std::uint8_t, 2>::from_shape({48, 48});
  grey.fill(128);
  disfer::salt_and_pepper_options o;
  o.exact_count = true;
  for (double p : {0.02, 0.04, 0.06}) {
    const auto out =
        disfer::salt_and_pepper(grey, p, disfer::stream_key{9, 3, disfer::purpose::salt_and_pepper}, 0.5, o);
    std::size_t salt = 0, pepper = 0;
    for (auto v : out) {
      salt += v == 255;
      pepper += v == 0;
    }
    const auto n = static_cast<std::size_t>(std::round(p * 2304));  // 46, 92, 138
    CHECK(salt + pepper == n);
    CHECK(salt == static_cast<std::size_t>(std::round(0.5 * static_cast<double>(n))));
  }
}
