// libFuzzer target: read_ferplus_csv (FER+'s fer2013new.csv). The first byte's bit 0 picks the
// bad-row policy skip; the result is checked for consistency: one FER-2013 row, usage and line per
// item, at least one emotion vote per item of the table, none for the images kept apart, every
// FER-2013 row once, and the contempt/unknown/NF totals equal to the per-item votes.
#include <disfer/io/ferplus.hpp>

#include <set>
#include <sstream>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(ferplus)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<disfer::skipped_row> skipped;
  disfer::ferplus_csv_options o;
  if (data[0] & 1) {
    o.bad_rows = disfer::bad_row_policy::skip;
    o.skipped = &skipped;
  }
  std::istringstream in(disfer_fuzz::as_string(data + 1, size - 1));
  disfer_fuzz::value_or_error("read_ferplus_csv", [&] {
    const auto v = disfer::read_ferplus_csv(in, "fuzz.csv", o);
    const auto n = static_cast<std::size_t>(v.counts.rows());
    if (v.counts.cols() != 7 || v.fer2013_row.size() != n || v.usage.size() != n || v.line.size() != n ||
        static_cast<std::size_t>(v.other.rows()) != n || v.image_rows != n + v.no_emotion_items.size() ||
        v.no_face_lines.size() != v.no_face_rows)
      disfer_fuzz::finding("inconsistent sizes", "ferplus", "");
    std::set<std::uint64_t> rows(v.fer2013_row.begin(), v.fer2013_row.end());
    std::array<std::int64_t, 3> totals{};
    for (std::size_t i = 0; i < n; ++i) {
      const auto r = static_cast<Eigen::Index>(i);
      if (v.counts.row(r).sum() <= 0 || v.counts.row(r).minCoeff() < 0 || v.other.row(r).minCoeff() < 0)
        disfer_fuzz::finding("an item of the table without an emotion vote or with a negative count", "ferplus", "");
      for (Eigen::Index j = 0; j < 3; ++j) totals[static_cast<std::size_t>(j)] += v.other(r, j);
    }
    for (const auto& e : v.no_emotion_items) {
      if (e.in_table || !rows.insert(e.fer2013_row).second)
        disfer_fuzz::finding("a no-emotion image in the table or twice", "ferplus", "");
      for (std::size_t j = 0; j < 3; ++j) totals[j] += e.other[j];
      for (auto c : e.emotions)
        if (c != 0) disfer_fuzz::finding("a no-emotion image with an emotion vote", "ferplus", "");
    }
    if (rows.size() != v.image_rows) disfer_fuzz::finding("a FER-2013 row twice", "ferplus", "");
    if (totals != v.other_totals) disfer_fuzz::finding("other-vote totals differ from the items", "ferplus", "");
    if (n > 0) {
      const auto first = disfer::ferplus_votes_of_row(v, v.fer2013_row[0]);
      if (!first || !first->in_table || first->emotions[0] != v.counts(0, 0))
        disfer_fuzz::finding("ferplus_votes_of_row disagrees with the table", "ferplus", "");
    }
  });
  return 0;
}
