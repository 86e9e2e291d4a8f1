// libFuzzer target: read_png (grayscale, through libpng), into 8-bit and 16-bit pixels.
#include <disfer/io/png.hpp>

#include <sstream>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(png)(const std::uint8_t* data, std::size_t size) {
  const std::string bytes = disfer_fuzz::as_string(data, size);
  disfer_fuzz::value_or_error("read_png", [&] {
    std::istringstream in(bytes);
    disfer::png_info info;
    const auto img = disfer::read_png<std::uint8_t>(in, "fuzz.png", &info);
    if (img.shape()[0] != info.height || img.shape()[1] != info.width)
      disfer_fuzz::finding("an inconsistent result", "png", "");
  });
  disfer_fuzz::value_or_error("read_png", [&] {
    std::istringstream in(bytes);
    const auto img = disfer::read_png<std::uint16_t>(in, "fuzz.png");
    (void)img;
  });
  return 0;
}
