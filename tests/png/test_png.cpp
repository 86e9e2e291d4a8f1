#include <catch2/catch.hpp>

#include <disfer/png.hpp>

#include <fstream>
#include <sstream>

#include "test_support.hpp"

// Reference files written by OpenCV 4.6 (tests/png/reference/make_png_refs.py), an independent
// PNG encoder; the formulas below are the ones that script uses.

TEST_CASE("reads 8-bit gray written by OpenCV", "[png][read_png]") {
  disfer::png_info info;
  const auto img = disfer::read_png<std::uint8_t>(disfer_test::data_path("png/gray8.png"), &info);
  REQUIRE(img.shape()[0] == 5);
  REQUIRE(img.shape()[1] == 7);
  CHECK(info.width == 7);
  CHECK(info.height == 5);
  CHECK(info.bit_depth == 8);
  bool ok = true;
  for (std::size_t r = 0; r < 5; ++r)
    for (std::size_t c = 0; c < 7; ++c) ok = ok && img(r, c) == (37 * r + 11 * c) % 256;
  CHECK(ok);
  // 8-bit into 16-bit keeps the stored values.
  const auto wide = disfer::read_png<std::uint16_t>(disfer_test::data_path("png/gray8.png"));
  CHECK(wide(4, 6) == (37 * 4 + 11 * 6) % 256);
}

TEST_CASE("reads 16-bit gray (big-endian) and 1-bit gray written by OpenCV", "[png][read_png]") {
  const auto img = disfer::read_png<std::uint16_t>(disfer_test::data_path("png/gray16.png"));
  bool ok = true;
  for (std::size_t r = 0; r < 5; ++r)
    for (std::size_t c = 0; c < 7; ++c) ok = ok && img(r, c) == (9973 * r + 257 * c + 1) % 65536;
  CHECK(ok);
  CHECK_THROWS_WITH(disfer::read_png<std::uint8_t>(disfer_test::data_path("png/gray16.png")),
                    Catch::Contains("read_png") && Catch::Contains("16-bit"));
  disfer::png_info info;
  const auto bi = disfer::read_png<std::uint8_t>(disfer_test::data_path("png/bilevel.png"), &info);
  CHECK(info.bit_depth == 1);
  REQUIRE(bi.shape()[0] == 4);
  REQUIRE(bi.shape()[1] == 9);
  ok = true;
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t c = 0; c < 9; ++c) ok = ok && bi(r, c) == ((r + c) % 3 == 0 ? 255 : 0);
  CHECK(ok);
}

TEST_CASE("bad inputs", "[png][read_png]") {
  CHECK_THROWS_WITH(disfer::read_png<std::uint8_t>(disfer_test::data_path("png/rgb.png")),
                    Catch::Contains("read_png") && Catch::Contains("RGB is not supported"));
  CHECK_THROWS_WITH(disfer::read_png<std::uint8_t>("/nonexistent.png"), Catch::Contains("cannot open"));
  std::istringstream notpng("P5\n1 1\n255\n\x01");
  CHECK_THROWS_WITH(disfer::read_png<std::uint8_t>(notpng, "x.pgm"), Catch::Contains("x.pgm: not a PNG file"));
  // Truncated and corrupted files: libpng's error comes back as a disfer::error.
  std::ifstream f(disfer_test::data_path("png/gray8.png"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream cut(bytes.substr(0, bytes.size() / 2));
  CHECK_THROWS_AS(disfer::read_png<std::uint8_t>(cut, "cut.png"), disfer::error);
  std::string bad = bytes;
  bad[bytes.size() / 2] = static_cast<char>(bad[bytes.size() / 2] ^ 0x55);
  std::istringstream corrupt(bad);
  CHECK_THROWS_WITH(disfer::read_png<std::uint8_t>(corrupt, "bad.png"), Catch::StartsWith("read_png: bad.png: "));
}

TEST_CASE("write and read back, 8 and 16 bits, deterministic bytes, staged output", "[png][write_png]") {
  const auto dir = disfer_test::scratch_dir("png");
  xt::xtensor<std::uint8_t, 2> img = xt::xtensor<std::uint8_t, 2>::from_shape({48, 48});
  for (std::size_t i = 0; i < img.size(); ++i) img.data()[i] = static_cast<std::uint8_t>((i * 131) % 256);
  const auto path = (dir / "a.png").string();
  disfer::write_png(path, img);
  CHECK(bool(disfer::read_png<std::uint8_t>(path) == img));
  CHECK_THROWS_WITH(disfer::write_png(path, img), Catch::Contains("write_png") && Catch::Contains("exists"));
  std::ostringstream a, b;
  disfer::write_png(a, img);
  disfer::write_png(b, img);
  CHECK(a.str() == b.str());
  CHECK(a.str().substr(1, 3) == "PNG");

  xt::xtensor<std::uint16_t, 2> deep = {{0, 1, 256, 65535}, {4660, 7, 300, 9}};
  std::stringstream s;
  disfer::write_png(s, deep, 9);
  CHECK(bool(disfer::read_png<std::uint16_t>(s, "deep") == deep));
  CHECK_THROWS_WITH(disfer::write_png(s, deep, 10), Catch::Contains("compression level 10"));
  CHECK_THROWS_WITH(disfer::write_png(s, xt::xtensor<std::uint8_t, 2>()), Catch::Contains("empty image"));
}
