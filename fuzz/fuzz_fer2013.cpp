// libFuzzer target: fer2013_reader (fer2013.csv). The first byte picks whether a file without a
// Usage column is accepted (default_usage set) or refused.
#include <disfer/io/fer2013.hpp>

#include <sstream>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(fer2013)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  disfer::fer2013_options o;
  if (data[0] & 1) o.default_usage = disfer::fer2013_usage::training;
  std::istringstream in(disfer_fuzz::as_string(data + 1, size - 1));
  disfer_fuzz::value_or_error("fer2013_reader", [&] {
    disfer::fer2013_reader fer(in, "fuzz.csv", o);
    unsigned sum = 0;
    while (fer.next()) {
      const auto& r = fer.record();
      if (disfer::index_of(r.label) > 6) disfer_fuzz::finding("an inconsistent result", "fer2013", "");
      for (auto p : r.pixels) sum += p;
    }
    (void)sum;
  });
  return 0;
}
