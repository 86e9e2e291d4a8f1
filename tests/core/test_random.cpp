#include <catch2/catch.hpp>

#include <disfer/core/random.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

using disfer::stream_key;

// Known-answer vectors of Philox4x32-10, from the kat_vectors file of the Random123 distribution
// (D. E. Shaw Research): counter (4 words), key (2 words) -> output (4 words).
TEST_CASE("Philox4x32-10 reproduces Random123's known-answer vectors", "[core][random]") {
  struct kat {
    std::array<std::uint32_t, 4> ctr;
    std::array<std::uint32_t, 2> key;
    std::array<std::uint32_t, 4> out;
  };
  const kat cases[] = {
      {{0x00000000, 0x00000000, 0x00000000, 0x00000000},
       {0x00000000, 0x00000000},
       {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const auto& c : cases) CHECK(disfer::philox4x32_10(c.ctr, c.key) == c.out);
}

TEST_CASE("stream layout: key = seed, counter = (block, purpose, item)", "[core][random]") {
  const stream_key key{0x299f31d0a4093822ull, 0x0370734413198a2eull, 0x85a308d3u};
  const disfer::philox_stream s(key);
  // Block 0x243f6a88 of this stream is the third known-answer vector above.
  const auto b = s.block(0x243f6a88u);
  CHECK(b == std::array<std::uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  CHECK(s.word(std::uint64_t{0x243f6a88u} * 4 + 2) == 0x5001e420u);
  CHECK_THROWS_AS(s.word(disfer::philox_stream::max_words), disfer::error);
}

TEST_CASE("streams differ in every coordinate and are pure functions of the key", "[core][random]") {
  const stream_key base{42, 7, disfer::purpose::gaussian_noise};
  auto first = [](stream_key k) { return disfer::random_cursor(k).next_u64(); };
  CHECK(first(base) == first(base));
  CHECK(first(base) != first({43, 7, disfer::purpose::gaussian_noise}));
  CHECK(first(base) != first({42, 8, disfer::purpose::gaussian_noise}));
  CHECK(first(base) != first({42, 7, disfer::purpose::salt_and_pepper}));
  CHECK(first(base) != first({42 + (std::uint64_t{1} << 32), 7, disfer::purpose::gaussian_noise}));
  CHECK(first(base) != first({42, 7 + (std::uint64_t{1} << 32), disfer::purpose::gaussian_noise}));
  // Starting a cursor at word 10 gives the same words as skipping 10.
  disfer::random_cursor a(base), b(base, 10);
  for (int i = 0; i < 10; ++i) a.next_u32();
  for (int i = 0; i < 20; ++i) CHECK(a.next_u32() == b.next_u32());
}

// Reference for the bounded integers: Lemire's method written with a 128-bit product.
__extension__ typedef unsigned __int128 u128;
static std::uint64_t lemire_reference(disfer::random_cursor& c, std::uint64_t n) {
  u128 m = static_cast<u128>(c.next_u64()) * n;
  if (static_cast<std::uint64_t>(m) < n) {
    const std::uint64_t t = (0 - n) % n;
    while (static_cast<std::uint64_t>(m) < t) m = static_cast<u128>(c.next_u64()) * n;
  }
  return static_cast<std::uint64_t>(m >> 64);
}

TEST_CASE("next_below agrees with a 128-bit reference and is uniform", "[core][random]") {
  const std::uint64_t bounds[] = {1, 2, 3, 7, 10, 840, 1000003, (std::uint64_t{1} << 63) + 12345, ~std::uint64_t{0}};
  for (auto n : bounds) {
    disfer::random_cursor a({5, n, disfer::purpose::user}), b({5, n, disfer::purpose::user});
    for (int i = 0; i < 2000; ++i) REQUIRE(a.next_below(n) == lemire_reference(b, n));
  }
  // Chi-square goodness of fit over 7 cells, 70000 draws: the 99.9% point of chi2(6) is 22.458
  // (R: qchisq(0.999, 6)).
  disfer::random_cursor c({1, 2, disfer::purpose::user});
  std::array<double, 7> count{};
  for (int i = 0; i < 70000; ++i) count[c.next_below(7)] += 1;
  double chi2 = 0;
  for (double x : count) chi2 += (x - 10000) * (x - 10000) / 10000;
  CHECK(chi2 < 22.458);
  CHECK_THROWS_AS(c.next_below(0), disfer::error);
}

TEST_CASE("next_unit lies in the unit interval with 53 bits", "[core][random]") {
  disfer::random_cursor c({9, 9, disfer::purpose::user});
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = c.next_unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(std::ldexp(u, 53) == std::floor(std::ldexp(u, 53)));
    sum += u;
  }
  // Mean of 1e5 uniforms: sd 1/sqrt(12e5) = 0.000913; 4 sd.
  CHECK(std::abs(sum / 100000 - 0.5) < 4 * 0.000913);
}

// Committed outputs: the same on every compiler and platform (the clang ctest rebuilds this file
// with clang++). Any change here is a change of random_stream_version.
TEST_CASE("shuffle and bounded integers give committed outputs", "[core][random]") {
  REQUIRE(disfer::random_stream_version == 1);
  const auto perm = disfer::random_permutation(10, {2022, 840, disfer::purpose::playlist});
  const std::vector<std::size_t> expected_perm = {2, 8, 5, 7, 3, 9, 4, 6, 1, 0};
  CHECK(perm == expected_perm);

  disfer::random_cursor c({2022, 1, disfer::purpose::source_sampling});
  std::vector<std::uint64_t> draws;
  for (int i = 0; i < 8; ++i) draws.push_back(c.next_below(84));
  const std::vector<std::uint64_t> expected_draws = {38, 74, 57, 30, 77, 74, 43, 44};
  CHECK(draws == expected_draws);

  CHECK(disfer::derive_seed({1, 2, 3}) == 0x67aefad0eaaca1beull);

  std::vector<int> v(1000);
  std::iota(v.begin(), v.end(), 0);
  disfer::shuffle(v, {7, 7, 7});
  auto sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 1000; ++i) REQUIRE(sorted[static_cast<std::size_t>(i)] == i);  // a permutation
  CHECK(v != sorted);
}
