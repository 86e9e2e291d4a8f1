// libFuzzer target: read_pgm (P2 and P5), into 8-bit and 16-bit pixels.
#include <disfer/io/pgm.hpp>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(pgm)(const std::uint8_t* data, std::size_t size) {
  disfer_fuzz::image_target<disfer::pgm_info>("read_pgm", "pgm", data, size,
                                              [](auto pixel, std::istream& in, disfer::pgm_info* info) {
                                                return disfer::read_pgm<decltype(pixel)>(in, "fuzz.pgm", info);
                                              });
  return 0;
}
