// libFuzzer target: read_pgm (P2 and P5), into 8-bit and 16-bit pixels.
#include <disfer/io/pgm.hpp>

#include <sstream>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(pgm)(const std::uint8_t* data, std::size_t size) {
  const std::string bytes = disfer_fuzz::as_string(data, size);
  disfer_fuzz::value_or_error("read_pgm", [&] {
    std::istringstream in(bytes);
    disfer::pgm_info info;
    const auto img = disfer::read_pgm<std::uint8_t>(in, "fuzz.pgm", &info);
    if (img.shape()[0] != info.height || img.shape()[1] != info.width)
      disfer_fuzz::finding("an inconsistent result", "pgm", "");
  });
  disfer_fuzz::value_or_error("read_pgm", [&] {
    std::istringstream in(bytes);
    const auto img = disfer::read_pgm<std::uint16_t>(in, "fuzz.pgm");
    (void)img;
  });
  return 0;
}
