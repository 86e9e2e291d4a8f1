// libFuzzer target: read_votes_csv (votes in long form). The first byte picks the label format
// and whether duplicates are kept; the result is checked for consistency with its category count.
#include <disfer/io/votes_csv.hpp>

#include <sstream>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(votes)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  disfer::votes_csv_options o;
  o.labels = static_cast<disfer::label_format>(data[0] % 3);
  o.allow_duplicates = (data[0] & 4) != 0;
  if (data[0] & 8) o.categories = {"yes", "no", "maybe"};
  std::istringstream in(disfer_fuzz::as_string(data + 1, size - 1));
  disfer_fuzz::value_or_error("read_votes_csv", [&] {
    const auto v = disfer::read_votes_csv(in, "fuzz.csv", o);
    const std::size_t k = v.category_names.size();
    for (std::size_t i = 0; i < v.size(); ++i)
      if (v.label[i] >= k || v.item[i] >= v.item_names.size() || v.rater[i] >= v.rater_names.size())
        disfer_fuzz::finding("an inconsistent result", "votes", "");
    (void)disfer::vote_counts(v, k);
  });
  return 0;
}
