#include <catch2/catch.hpp>

#include <disfer/io/pgm.hpp>

#include <fstream>
#include <sstream>

#include "test_support.hpp"

TEST_CASE("pgm: P5 8-bit round trip through a file", "[io][pgm]") {
  const auto dir = disfer_test::scratch_dir("pgm8");
  xt::xtensor<std::uint8_t, 2> img = xt::xtensor<std::uint8_t, 2>::from_shape({3, 5});
  for (std::size_t i = 0; i < img.size(); ++i) img.data()[i] = static_cast<std::uint8_t>(i * 17);
  const auto path = (dir / "a.pgm").string();
  disfer::write_pgm(path, img);
  disfer::pgm_info info;
  const auto back = disfer::read_pgm<std::uint8_t>(path, &info);
  CHECK(bool(back == img));
  CHECK(info.width == 5);
  CHECK(info.height == 3);
  CHECK(info.maxval == 255);
  CHECK_FALSE(info.plain);
  // The bytes follow the Netpbm specification: header, then rows top to bottom.
  std::ifstream f(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK(bytes.substr(0, 11) == "P5\n5 3\n255\n");
  CHECK(bytes.size() == 11 + 15);
  CHECK(static_cast<unsigned char>(bytes[11 + 6]) == 102);
}

TEST_CASE("pgm: an existing file is not overwritten unless asked", "[io][pgm]") {
  const auto dir = disfer_test::scratch_dir("pgm_over");
  const auto path = (dir / "a.pgm").string();
  xt::xtensor<std::uint8_t, 2> img = xt::zeros<std::uint8_t>({2, 2});
  disfer::write_pgm(path, img);
  img(0, 0) = 9;
  CHECK_THROWS_WITH(disfer::write_pgm(path, img), Catch::Contains("write_pgm") && Catch::Contains("exists"));
  CHECK(disfer::read_pgm<std::uint8_t>(path)(0, 0) == 0);
  disfer::write_pgm(path, img, {false, disfer::overwrite_policy::replace});
  CHECK(disfer::read_pgm<std::uint8_t>(path)(0, 0) == 9);
  // No staging files are left behind.
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  CHECK(n == 1);
}

TEST_CASE("pgm: 16-bit is big-endian and P2 skips comments", "[io][pgm]") {
  xt::xtensor<std::uint16_t, 2> img = {{0, 1, 256}, {65535, 4660, 7}};
  std::ostringstream out;
  disfer::write_pgm(out, img);
  const std::string s = out.str();
  CHECK(s.substr(0, 13) == "P5\n3 2\n65535\n");
  CHECK(static_cast<unsigned char>(s[13 + 4]) == 1);  // 256 -> 01 00
  CHECK(static_cast<unsigned char>(s[13 + 5]) == 0);
  std::istringstream in(s);
  CHECK(bool(disfer::read_pgm<std::uint16_t>(in, "x") == img));

  std::istringstream plain("P2\n# a comment\n3 2 # trailing\n9\n0 1 2\n3 4 9\n");
  disfer::pgm_info info;
  const auto p = disfer::read_pgm<std::uint8_t>(plain, "p.pgm", &info);
  CHECK(info.plain);
  CHECK(info.maxval == 9);
  CHECK(bool(p == xt::xtensor<std::uint8_t, 2>{{0, 1, 2}, {3, 4, 9}}));
  std::ostringstream text;
  disfer::write_pgm(text, p, true);
  CHECK(text.str() == "P2\n3 2\n255\n0 1 2\n3 4 9\n");
}

TEST_CASE("pgm: malformed files throw disfer::error naming the problem", "[io][pgm]") {
  auto err = [](const std::string& bytes) -> std::string {
    std::istringstream in(bytes);
    try {
      disfer::read_pgm<std::uint8_t>(in, "bad.pgm");
    } catch (const disfer::error& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK_THAT(err("P6\n1 1\n255\n\x01"), Catch::Contains("read_pgm: bad.pgm") && Catch::Contains("magic"));
  CHECK_THAT(err("P5\n2 2\n255\n\x01\x02\x03"), Catch::Contains("truncated: 3 of 4"));
  CHECK_THAT(err("P2\n2 1\n10\n3 11\n"), Catch::Contains("above maxval 10"));
  CHECK_THAT(err("P2\n2 1\n10\n3\n"), Catch::Contains("truncated"));
  CHECK_THAT(err("P5\n0 1\n255\n"), Catch::Contains("empty image"));
  CHECK_THAT(err("P5\n1 1\n65535\n\x01\x02"), Catch::Contains("does not fit 8-bit"));
  CHECK_THAT(err("P5\nx 1\n255\n"), Catch::Contains("expected width"));
  CHECK_THAT(err("P5\n1 1\n0\n\x00"), Catch::Contains("maxval 0"));
  CHECK_THAT(err("P5\n1 1\n70000\n"), Catch::Contains("maxval exceeds"));
  CHECK_THROWS_WITH(disfer::read_pgm<std::uint8_t>("/nonexistent.pgm"), Catch::Contains("/nonexistent.pgm"));
  CHECK_THROWS_WITH(
      disfer::write_pgm("/nonexistent-dir/x.pgm", xt::xtensor<std::uint8_t, 2>(xt::zeros<std::uint8_t>({1, 1}))),
      Catch::Contains("write_pgm") && Catch::Contains("cannot write"));
}
