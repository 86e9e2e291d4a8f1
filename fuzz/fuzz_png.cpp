// libFuzzer target: read_png (grayscale, through libpng), into 8-bit and 16-bit pixels.
#include <disfer/io/png.hpp>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(png)(const std::uint8_t* data, std::size_t size) {
  disfer_fuzz::image_target<disfer::png_info>("read_png", "png", data, size,
                                              [](auto pixel, std::istream& in, disfer::png_info* info) {
                                                return disfer::read_png<decltype(pixel)>(in, "fuzz.png", info);
                                              });
  return 0;
}
