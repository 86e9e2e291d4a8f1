// libFuzzer target: csv_reader (the CSV dialect every CSV reader of disfer uses). The first byte
// picks the options (header or not, blank lines skipped or not, delimiter ',' ';' or tab).
#include <disfer/io/csv.hpp>

#include <sstream>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(csv)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  disfer::csv_options o;
  o.header = (data[0] & 1) != 0;
  o.skip_blank_lines = (data[0] & 2) != 0;
  o.delimiter = "\t,;,"[(data[0] >> 2) & 3];
  std::istringstream in(disfer_fuzz::as_string(data + 1, size - 1));
  disfer_fuzz::value_or_error("csv_reader", [&] {
    disfer::csv_reader csv(in, "fuzz.csv", o);
    std::size_t bytes = 0;
    while (csv.next()) {
      for (std::size_t c = 0; c < csv.size(); ++c) bytes += csv[c].size();
      if (csv.size() > 0) (void)csv.find_column("x");
    }
    (void)bytes;
  });
  return 0;
}
