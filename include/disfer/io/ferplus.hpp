#pragma once
/// \file
/// Reader of FER+'s own label file `fer2013new.csv` (Barsoum et al., "Training Deep Networks for
/// Facial Expression Recognition with Crowd-Sourced Label Distribution", ICMI 2016; Microsoft,
/// MIT licence): 10 crowd votes per FER-2013 image, as counts. Header (columns found by name, in
/// any order, no other column):
///   `Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF`.
/// `Image name` is `fer%07d.png`, the number being the 0-based data row of FER-2013's
/// fer2013.csv; an empty `Image name` means FER+ found no face there: the row is skipped and
/// counted (its other fields are not checked). The seven FER-2013 emotions go into a count table
/// in FER-2013's order (disfer::emotion; FER+'s columns are mapped by name); the votes for
/// contempt, unknown and NF (not a face) are kept per item and in total, never dropped.

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "disfer/agreement/count_table.hpp"
#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/fer2013.hpp"
#include "disfer/io/votes_csv.hpp"

namespace disfer {

/// The three FER+ columns that are not FER-2013 emotions, in FER+'s order.
enum class ferplus_other : std::uint8_t { contempt = 0, unknown = 1, not_face = 2 };

/// FER+'s column names of the three non-emotion categories: "contempt", "unknown", "NF".
inline constexpr std::array<std::string_view, 3> ferplus_other_names = {"contempt", "unknown", "NF"};

/// FER+'s column name of each FER-2013 emotion, in FER-2013 order (angry -> "anger", ...).
inline constexpr std::array<std::string_view, emotion_count> ferplus_emotion_columns = {
    "anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"};

/// Options of read_ferplus_csv.
struct ferplus_csv_options {
  char delimiter = ',';
  /// What a bad row does: error (throw) or skip (leave it out and report it in `skipped`).
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

/// The FER+ votes of one FER-2013 image.
struct ferplus_item_votes {
  std::uint64_t fer2013_row = 0;  ///< 0-based data row of fer2013.csv
  fer2013_usage usage = fer2013_usage::training;
  std::array<std::int64_t, emotion_count> emotions{};  ///< votes per FER-2013 emotion, FER-2013 order
  std::array<std::int64_t, 3> other{};                 ///< contempt, unknown, NF
  bool in_table = false;                               ///< false: no emotion vote (see ferplus_votes)
  std::uint64_t line = 0;                              ///< 1-based line of the row in the file
};

/// What read_ferplus_csv returns.
///
/// Rule for an image with no vote for any of the seven emotions (all its votes are contempt,
/// unknown or NF, or it has no vote at all): it is kept out of `counts` (a row of zeros would be
/// an item no statistic can use) and listed in `no_emotion_items`, with its contempt/unknown/NF
/// votes; `other_totals` include them. So every vote of every image row is in exactly one place.
struct ferplus_votes {
  count_matrix counts;                      ///< items x 7, FER-2013 emotion order (index_of(emotion))
  std::vector<std::string> category_names;  ///< "angry", ..., "neutral" (FER-2013 names)
  std::vector<std::uint64_t> fer2013_row;   ///< per item (row of counts): the FER-2013 data row
  std::vector<fer2013_usage> usage;         ///< per item: FER+'s Usage
  std::vector<std::uint64_t> line;          ///< per item: 1-based line in the file
  /// Per item (row of counts): contempt, unknown and NF votes (items x 3).
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 3> other;
  std::vector<ferplus_item_votes> no_emotion_items;  ///< images left out of counts (rule above)
  std::array<std::int64_t, 3> other_totals{};        ///< contempt, unknown, NF over every image row
  std::uint64_t image_rows = 0;                      ///< rows with an image name, kept (table + no_emotion)
  std::uint64_t no_face_rows = 0;                    ///< rows with an empty image name, skipped
  std::vector<std::uint64_t> no_face_lines;          ///< their 1-based lines
};

/// The FER+ votes of FER-2013 data row `row` (0-based), or std::nullopt when the file has no row
/// for it (FER+ found no face, or the file does not cover it). Finds images kept out of the table
/// too (in_table false). O(items) (a linear scan; build your own index for many look-ups).
inline std::optional<ferplus_item_votes> ferplus_votes_of_row(const ferplus_votes& votes, std::uint64_t row) {
  for (std::size_t i = 0; i < votes.fer2013_row.size(); ++i)
    if (votes.fer2013_row[i] == row) {
      ferplus_item_votes v;
      v.fer2013_row = row;
      v.usage = votes.usage[i];
      const auto r = static_cast<Eigen::Index>(i);
      for (std::size_t j = 0; j < emotion_count; ++j) v.emotions[j] = votes.counts(r, static_cast<Eigen::Index>(j));
      for (std::size_t j = 0; j < 3; ++j) v.other[j] = votes.other(r, static_cast<Eigen::Index>(j));
      v.in_table = true;
      v.line = votes.line[i];
      return v;
    }
  for (const auto& v : votes.no_emotion_items)
    if (v.fer2013_row == row) return v;
  return std::nullopt;
}

namespace detail {

// "fer%07d.png" -> the number; false otherwise (exactly 7 digits, lowercase "fer" and ".png").
inline bool parse_ferplus_image_name(std::string_view s, std::uint64_t& row) {
  if (s.size() != 14 || s.substr(0, 3) != "fer" || s.substr(10) != ".png") return false;
  std::uint64_t v = 0;
  for (char c : s.substr(3, 7)) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  row = v;
  return true;
}

inline ferplus_votes read_ferplus_csv_as(std::istream& in, const std::string& name, const ferplus_csv_options& options,
                                         const char* fn) {
  csv_options co;
  co.delimiter = options.delimiter;
  co.function = fn;
  check_bad_row_options(fn, options.bad_rows, options.skipped);
  csv_reader csv(in, name, co);
  // The header: exactly FER+'s 12 columns, in any order.
  const std::size_t c_usage = csv.column_index("Usage");
  const std::size_t c_image = csv.column_index("Image name");
  std::array<std::size_t, emotion_count> c_emotion{};
  for (std::size_t j = 0; j < emotion_count; ++j) c_emotion[j] = csv.column_index(ferplus_emotion_columns[j]);
  std::array<std::size_t, 3> c_other{};
  for (std::size_t j = 0; j < 3; ++j) c_other[j] = csv.column_index(ferplus_other_names[j]);
  const auto& header = csv.header();
  for (std::size_t c = 0; c < header.size(); ++c)
    for (std::size_t d = 0; d < c; ++d)
      if (header[d] == header[c]) fail_at(fn, name, 1, 0, "column '", header[c], "' appears twice in the header");
  if (header.size() != 12)
    fail_at(fn, name, 1, 0, "the header has ", header.size(),
            " columns; FER+'s fer2013new.csv has 12 (Usage,Image name,neutral,happiness,surprise,sadness,anger,"
            "disgust,fear,contempt,unknown,NF)");

  ferplus_votes v;
  for (emotion e : fer2013_order) v.category_names.emplace_back(disfer::name(e));
  std::vector<std::int64_t> cells, others;
  std::unordered_map<std::uint64_t, std::uint64_t> seen;  // FER-2013 row -> line
  const auto count_of = [&](std::size_t c) {
    const std::string_view f = trim_blanks(csv[c]);
    std::int64_t x = 0;
    if (f.empty()) csv.fail_field(c, "empty field (write 0 for no votes)");
    if (f.front() == '-' && parse_count(f.substr(1), x)) csv.fail_field(c, "negative count ", csv[c]);
    if (!parse_count(f, x)) {
      if (all_digits(f)) csv.fail_field(c, "count ", csv[c], " is too large (at most 10^18 - 1)");
      csv.fail_field(c, "'", csv[c], "' is not a non-negative integer count");
    }
    return x;
  };
  const auto row = [&] {
    const std::string_view image = trim_blanks(csv[c_image]);
    if (image.empty()) {  // FER+ found no face: skipped and counted, nothing else checked
      ++v.no_face_rows;
      v.no_face_lines.push_back(csv.line());
      return;
    }
    std::uint64_t fer_row = 0;
    if (!parse_ferplus_image_name(image, fer_row))
      csv.fail_field(c_image, "image name '", csv[c_image], "' is not fer%07d.png (e.g. fer0000042.png)");
    const auto usage = parse_fer2013_usage(trim_blanks(csv[c_usage]));
    if (!usage) csv.fail_field(c_usage, "usage '", csv[c_usage], "' is not Training, PublicTest or PrivateTest");
    ferplus_item_votes item;
    item.fer2013_row = fer_row;
    item.usage = *usage;
    item.line = csv.line();
    std::int64_t emotion_votes = 0;
    for (std::size_t j = 0; j < emotion_count; ++j) emotion_votes += item.emotions[j] = count_of(c_emotion[j]);
    for (std::size_t j = 0; j < 3; ++j) item.other[j] = count_of(c_other[j]);
    const auto first = seen.find(fer_row);
    if (first != seen.end())
      csv.fail_field(c_image, "image '", image, "' (FER-2013 row ", fer_row, ") already appears on line ",
                     first->second);
    // Every check passed: keep the row.
    seen.emplace(fer_row, csv.line());
    ++v.image_rows;
    for (std::size_t j = 0; j < 3; ++j) v.other_totals[j] += item.other[j];
    if (emotion_votes == 0) {
      v.no_emotion_items.push_back(item);
      return;
    }
    item.in_table = true;
    cells.insert(cells.end(), item.emotions.begin(), item.emotions.end());
    others.insert(others.end(), item.other.begin(), item.other.end());
    v.fer2013_row.push_back(fer_row);
    v.usage.push_back(*usage);
    v.line.push_back(item.line);
  };
  while (next_row(csv, options.bad_rows, options.skipped)) row_or_skip(csv, options.bad_rows, options.skipped, row);
  if (v.image_rows == 0)
    fail_at(fn, name, csv.line(), 0,
            csv.records() == 0                ? "no data rows (the file has a header only)"
            : v.no_face_rows == csv.records() ? "no image rows (every row has an empty image name)"
                                              : "no image rows (every row was skipped or has no image name)");
  const auto n = static_cast<Eigen::Index>(v.fer2013_row.size());
  v.counts.resize(n, static_cast<Eigen::Index>(emotion_count));
  v.other.resize(n, 3);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(emotion_count); ++j)
      v.counts(i, j) = cells[static_cast<std::size_t>(i) * emotion_count + static_cast<std::size_t>(j)];
    for (Eigen::Index j = 0; j < 3; ++j) v.other(i, j) = others[static_cast<std::size_t>(i * 3 + j)];
  }
  return v;
}

}  // namespace detail

/// Reads FER+'s fer2013new.csv from a stream (`name` stands for the path in errors); see the file
/// comment for the layout and ferplus_votes for the result and the rule for images without an
/// emotion vote. Throws disfer::error with path, line and column (function `read_ferplus_csv`) for
/// a missing, repeated or extra column (line 1), an image name that is not `fer%07d.png`, a
/// second row for the same image (naming the line of the first), a Usage other than Training,
/// PublicTest or PrivateTest, a count that is empty, negative, not an integer or 10^18 or more,
/// a file with no image row, and every CSV dialect error. A row whose image name is empty is not
/// an error: it is counted in no_face_rows. Under options.bad_rows = skip, a row with a bad field
/// (or a ragged row) is left out and reported in *options.skipped instead (io/bad_rows.hpp).
/// Memory and time O(rows).
inline ferplus_votes read_ferplus_csv(std::istream& in, const std::string& name,
                                      const ferplus_csv_options& options = {}) {
  return detail::read_ferplus_csv_as(in, name, options, "read_ferplus_csv");
}

/// Reads FER+'s fer2013new.csv from the file `path` (see the stream overload).
inline ferplus_votes read_ferplus_csv(const std::string& path, const ferplus_csv_options& options = {}) {
  constexpr const char* fn = "read_ferplus_csv";
  auto in = detail::open_input(path, fn);
  return detail::read_ferplus_csv_as(in, path, options, fn);
}

}  // namespace disfer
