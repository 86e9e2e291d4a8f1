#include <catch2/catch.hpp>

#include <disfer/detail/philox_blocks.hpp>
#include <disfer/image.hpp>
#include <disfer/simd.hpp>

#include "digest_cases.hpp"
#include "simd_paths.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

// The SIMD Philox paths (detail/philox_blocks.hpp) and the kernels on each of them: every path
// must give Random123's words exactly, so outputs never depend on the CPU the dispatcher finds.

namespace {

using disfer::detail::simd_path;

using disfer_test::forced_simd_path;
const auto& all_paths = disfer_test::all_simd_paths;
const auto path_name = disfer_test::simd_path_label;

std::map<std::string, std::string> committed_digests() {
  std::ifstream in(std::string(DISFER_IMAGE_REFERENCE_DIR) + "/digests.txt");
  std::map<std::string, std::string> expected;
  std::string line;
  while (std::getline(in, line))
    if (line.size() >= 67 && line[0] != '#') expected[line.substr(66)] = line.substr(0, 64);
  return expected;
}

}  // namespace

TEST_CASE("SIMD paths: every Philox path gives Random123's blocks", "[image][simd]") {
  int tested = 0;
  for (simd_path p : all_paths) {
    if (!disfer::detail::simd_path_available(p)) {
      WARN("Philox path " << path_name(p) << " not available on this CPU/build; not tested");
      continue;
    }
    ++tested;
    for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{2022}, std::uint64_t{0xdeadbeefcafef00dull}})
      for (std::uint32_t first : {0u, 5u, 0xffffff00u})
        for (std::size_t nblocks : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 33u, 255u}) {
          const disfer::stream_key key{seed, seed * 3 + 1, disfer::purpose::gaussian_noise};
          const disfer::philox_stream reference(key);
          std::vector<std::uint32_t> out(4 * nblocks + 8, 0xa5a5a5a5u);
          disfer::detail::philox_blocks(disfer::detail::philox_coords_of(key), first, nblocks, out.data(), p);
          bool same = true;
          for (std::size_t b = 0; b < nblocks; ++b) {
            const auto w = reference.block(first + static_cast<std::uint32_t>(b));
            for (std::size_t j = 0; j < 4; ++j) same = same && out[4 * b + j] == w[j];
          }
          for (std::size_t j = 4 * nblocks; j < out.size(); ++j) same = same && out[j] == 0xa5a5a5a5u;
          INFO(path_name(p) << " seed " << seed << " first " << first << " blocks " << nblocks);
          CHECK(same);
        }
  }
  CHECK(tested >= 1);
}

TEST_CASE("SIMD paths: committed digests hold on every Philox path", "[image][simd][digests]") {
  const auto expected = committed_digests();
  REQUIRE(!expected.empty());
  for (simd_path p : all_paths) {
    if (!disfer::detail::simd_path_available(p)) continue;
    const forced_simd_path force(p);
    for (const auto& [name, digest] : disfer_test::digest_cases()) {
      INFO(path_name(p) << ": " << name);
      CHECK(digest == expected.at(name));
    }
  }
}

TEST_CASE("SIMD paths: noise and salt-and-pepper follow the documented word layout on every path", "[image][simd]") {
  // 257 x 131 x 1 = 33667 elements: several 1024-word chunks and a ragged tail. The reference is
  // the documented definition evaluated word by word with philox_stream::word.
  const auto img = disfer_test::texture_u8_2d(257, 131, 9);
  const disfer::stream_key nk{77, 5, disfer::purpose::gaussian_noise};
  const disfer::stream_key sk{77, 5, disfer::purpose::salt_and_pepper};
  const disfer::philox_stream ns(nk), ss(sk);
  const double levels[] = {0.7, 10.0, 20.0, 30.0, 150.0};
  std::vector<xt::xtensor<std::uint8_t, 2>> noise_refs;
  for (double level : levels) {
    const auto table = disfer::make_rounded_normal_table(level, 255);
    auto ref = img;
    for (std::size_t i = 0; i < img.size(); ++i) {
      const std::int64_t v = img.data()[i] + table.sample(ns.word(i));
      ref.data()[i] = static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
    }
    noise_refs.push_back(ref);
  }
  struct sp_case {
    double amount, salt_ratio;
  };
  // amount 1e-10 with salt_ratio 0.1: the salt threshold rounds to 0 while hits remain possible
  const sp_case sp_cases[] = {{0.06, 0.5}, {1.0, 0.25}, {1e-10, 0.1}, {0.3, 0.0}, {0.3, 1.0}};
  for (simd_path p : all_paths) {
    if (!disfer::detail::simd_path_available(p)) continue;
    const forced_simd_path force(p);
    INFO(path_name(p));
    for (std::size_t l = 0; l < noise_refs.size(); ++l) {
      INFO("stddev " << levels[l]);
      CHECK(bool(disfer::gaussian_noise(img, levels[l], nk) == noise_refs[l]));
    }
    for (const sp_case& c : sp_cases) {
      const auto hit = static_cast<std::uint64_t>(std::round(c.amount * 4294967296.0));
      const auto salty = static_cast<std::uint64_t>(std::round(c.amount * c.salt_ratio * 4294967296.0));
      auto ref = img;
      for (std::size_t i = 0; i < img.size(); ++i) {
        const std::uint32_t w = ss.word(i);
        if (w < hit) ref.data()[i] = w < salty ? 255 : 0;
      }
      INFO("amount " << c.amount << " salt_ratio " << c.salt_ratio);
      CHECK(bool(disfer::salt_and_pepper(img, c.amount, sk, c.salt_ratio) == ref));
    }
  }
}

TEST_CASE("SIMD paths: uint8 blur gives the same bytes on 16- and 32-byte vectors", "[image][simd]") {
  // The portable path uses 16-byte vectors (SSE2 on x86-64), avx2 32-byte ones (avx512 64-byte
  // ones with AVX-512BW, 32-byte ones without); shapes
  // cover partial vector blocks, images narrower than the kernel, and interleaved channels.
  struct shape {
    std::size_t h, w, c;
  };
  const shape shapes[] = {{1, 1, 1},   {1, 40, 1},  {40, 1, 1},   {3, 3, 1},   {48, 48, 1},
                          {37, 61, 3}, {100, 7, 1}, {33, 129, 4}, {65, 257, 1}};
  std::size_t item = 0;
  for (const shape& sh : shapes) {
    const auto img = disfer_test::texture_u8(sh.h, sh.w, sh.c, 300 + item++);
    for (double sigma : {0.3, 0.8, 1.1, 1.4, 3.0})
      for (auto border : {disfer::blur_border::reflect101, disfer::blur_border::reflect, disfer::blur_border::replicate,
                          disfer::blur_border::constant}) {
        disfer::blur_options o;
        o.border = border;
        o.constant_value = 200;
        xt::xtensor<std::uint8_t, 3> reference;
        {
          const forced_simd_path force(simd_path::portable);
          reference = disfer::gaussian_blur(img, sigma, o);
        }
        for (simd_path p : all_paths) {
          if (!disfer::detail::simd_path_available(p)) continue;
          const forced_simd_path force(p);
          INFO(path_name(p) << " " << sh.h << "x" << sh.w << "x" << sh.c << " sigma " << sigma << " border "
                            << static_cast<int>(border));
          CHECK(bool(disfer::gaussian_blur(img, sigma, o) == reference));
        }
      }
  }
}

TEST_CASE("SIMD paths: uint8 blur gives the same bytes on 64-byte vectors (strips, two rows per pass)",
          "[image][simd]") {
  // The avx512 path (with AVX-512BW) splits rows into strips of 64-element blocks whose ring fits
  // in L1 and makes two output rows per pass: shapes cover several strips with a partial last one,
  // rows shorter than a block or than the kernel, odd heights (a last single row), interleaved
  // channels, and pixels 0 and 255 only (the largest sums); sigmas up to 15 taps.
  if (!disfer::detail::simd_path_available(simd_path::avx512) || !disfer::detail::blur_avx512bw())
    WARN("AVX-512BW not available on this CPU/build: the 64-byte blur kernel is not tested");
  struct shape {
    std::size_t h, w, c;
    bool extreme;
  };
  const shape shapes[] = {{1, 1, 1, false},     {3, 1000, 1, false}, {1000, 3, 1, false}, {1023, 1025, 1, false},
                          {257, 700, 3, false}, {2, 129, 2, false},  {31, 2100, 1, true}, {64, 64, 1, true},
                          {1025, 65, 4, false}, {5, 7, 3, false}};
  std::size_t item = 0;
  for (const shape& sh : shapes) {
    auto img = disfer_test::texture_u8(sh.h, sh.w, sh.c, 400 + item++);
    if (sh.extreme)
      for (auto& v : img) v = v & 1 ? 255 : 0;
    for (double sigma : {0.3, 0.8, 1.1, 1.4, 2.0, 2.4})
      for (auto border : {disfer::blur_border::reflect101, disfer::blur_border::reflect, disfer::blur_border::replicate,
                          disfer::blur_border::constant}) {
        disfer::blur_options o;
        o.border = border;
        o.constant_value = 255;
        xt::xtensor<std::uint8_t, 3> reference;
        {
          const forced_simd_path force(simd_path::portable);
          reference = disfer::gaussian_blur(img, sigma, o);
        }
        for (simd_path p : all_paths) {
          if (p == simd_path::portable || !disfer::detail::simd_path_available(p)) continue;
          const forced_simd_path force(p);
          INFO(path_name(p) << " " << sh.h << "x" << sh.w << "x" << sh.c << " sigma " << sigma << " border "
                            << static_cast<int>(border));
          CHECK(bool(disfer::gaussian_blur(img, sigma, o) == reference));
        }
      }
  }
}

TEST_CASE("SIMD paths: DISFER_SIMD names a path, simd_path_name names the one in use", "[image][simd]") {
  using disfer::detail::simd_parse_request;
  ::unsetenv("DISFER_SIMD");  // simd_path_name reads it; the paths below are forced in-process
  CHECK(simd_parse_request(nullptr).valid);
  CHECK(simd_parse_request(nullptr).path == simd_path::automatic);
  CHECK(simd_parse_request("").path == simd_path::automatic);
  CHECK(simd_parse_request("automatic").path == simd_path::automatic);
  CHECK(simd_parse_request("portable").path == simd_path::portable);
  for (const char* bad : {"avx1024", "AVX2", " avx2", "sse", "native"}) {
    INFO(bad);
    CHECK_FALSE(simd_parse_request(bad).valid);
    CHECK(simd_parse_request(bad).path == simd_path::automatic);
  }
  for (simd_path p : all_paths) {
    INFO(path_name(p));
    const auto r = simd_parse_request(path_name(p));
    CHECK(r.valid == disfer::detail::simd_path_available(p));
    CHECK(r.path == (r.valid ? p : simd_path::automatic));
    if (!r.valid) continue;
    const forced_simd_path force(p);
    CHECK(disfer::simd_path_name() == path_name(p));
  }
  CHECK(disfer::simd_path_name() == path_name(disfer::detail::simd_best_path()));
}
