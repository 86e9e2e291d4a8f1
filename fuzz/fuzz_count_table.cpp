// libFuzzer target: read_count_table_csv (an items x categories count table). The first byte
// picks whether the first column names the items.
#include <disfer/io/votes_csv.hpp>

#include <sstream>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(count_table)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  disfer::count_table_csv_options o;
  if (data[0] & 1) o.id_column = "id";
  std::istringstream in(disfer_fuzz::as_string(data + 1, size - 1));
  disfer_fuzz::value_or_error("read_count_table_csv", [&] {
    const auto t = disfer::read_count_table_csv(in, "fuzz.csv", o);
    if (static_cast<std::size_t>(t.counts.rows()) != t.item_names.size() ||
        static_cast<std::size_t>(t.counts.cols()) != t.category_names.size() || (t.counts.array() < 0).any())
      disfer_fuzz::finding("an inconsistent result", "count_table", "");
  });
  return 0;
}
