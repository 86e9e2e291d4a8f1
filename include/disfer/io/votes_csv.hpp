#pragma once
/// \file
/// Reading crowd votes: long-form vote files (stimulus, rater, label) and published count tables
/// (one row per item, one column per category, as FER+'s fer2013new.csv). Every bad field is a
/// disfer::error with path, line and column.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "disfer/agreement/count_table.hpp"
#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/crowd/votes.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"

namespace disfer {

/// How labels are written in a vote file.
enum class label_format {
  automatic,  ///< a field of digits is an index, anything else a name
  name,       ///< category names only
  index,      ///< 0-based category indices only
};

/// Options of read_votes_csv.
struct votes_csv_options {
  std::string stimulus_column = "stimulus";
  std::string rater_column = "rater";
  std::string label_column = "label";
  /// Category names, in index order. Empty: the seven FER-2013 emotions in FER-2013 order, names
  /// accepted in either vocabulary (angry/anger, happy/happiness, sad/sadness). Names match
  /// case-insensitively, ignoring surrounding blanks.
  std::vector<std::string> categories;
  label_format labels = label_format::automatic;
  /// Keep a second vote of the same rater on the same stimulus (for screen_raters to report)
  /// instead of rejecting the file.
  bool allow_duplicates = false;
  char delimiter = ',';
  /// What a bad row does: error (throw) or skip (leave it out and report it in `skipped`).
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

namespace detail {

inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Whether s is one or more decimal digits.
inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Parses a non-negative decimal integer (digits only, below 10^18 so that sums of a few stay in
// int64; leading zeros allowed); false otherwise.
inline bool parse_count(std::string_view s, std::int64_t& out) {
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

inline std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& ids, std::vector<std::string>& names,
                            const std::string& key) {
  const auto it = ids.find(key);
  if (it != ids.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(names.size());
  ids.emplace(key, id);
  names.push_back(key);
  return id;
}

}  // namespace detail

/// Reads votes in long form from a CSV stream (`name` stands for the path in errors). Stimuli and
/// raters are identifiers (any non-empty text), numbered in order of first appearance; their
/// texts are kept in item_names / rater_names, the category names in category_names. Throws
/// disfer::error with path, line and column (function `read_votes_csv`) for a missing column, an
/// empty field, an unknown label name, an index outside 0..k-1, a second vote of the same rater on
/// the same stimulus (naming the line of the first; unless allow_duplicates), every CSV dialect
/// error, and a file without votes. Under options.bad_rows = skip, a row with a bad field (or a
/// ragged row) is left out and reported in *options.skipped instead (io/bad_rows.hpp); the other
/// errors stay errors. O(votes) time, hashing identifiers.
inline vote_table read_votes_csv(std::istream& in, const std::string& name, const votes_csv_options& options = {});

namespace detail {

/// Opens `path` for reading (binary); throws disfer::error naming `function` and the path if it cannot.
inline std::ifstream open_input(const std::string& path, const char* function) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(function, "cannot open '", path, "' for reading");
  return in;
}

/// read_votes_csv with `fn` named in its errors (attach_votes passes its own name).
inline vote_table read_votes_csv_as(std::istream& in, const std::string& name, const votes_csv_options& options,
                                    const char* fn) {
  csv_options co;
  co.delimiter = options.delimiter;
  co.function = fn;
  detail::check_bad_row_options(fn, options.bad_rows, options.skipped);
  csv_reader csv(in, name, co);
  const std::size_t cs = csv.column_index(options.stimulus_column);
  const std::size_t cr = csv.column_index(options.rater_column);
  const std::size_t cl = csv.column_index(options.label_column);

  vote_table votes;
  const bool emotions = options.categories.empty();
  if (emotions)
    for (emotion e : fer2013_order) votes.category_names.emplace_back(disfer::name(e));
  else
    votes.category_names = options.categories;
  const std::size_t k = votes.category_names.size();
  if (k < 2) detail::fail(fn, "at least 2 categories are needed; ", k, " given");

  std::unordered_map<std::string, std::uint32_t> items, raters;
  std::unordered_map<std::uint64_t, std::uint64_t> seen;  // (item, rater) -> line
  // Every check of a row comes before its vote is kept, so a skipped row leaves nothing behind.
  const auto row = [&] {
    for (std::size_t c : {cs, cr, cl})
      if (detail::trim_blanks(csv[c]).empty()) csv.fail_field(c, "empty field");
    const std::string_view text = detail::trim_blanks(csv[cl]);
    std::int64_t index = -1;
    const bool digits = detail::parse_count(text, index);
    std::uint32_t label = 0;
    if (options.labels == label_format::index || (options.labels == label_format::automatic && digits)) {
      if (!digits) csv.fail_field(cl, "label '", csv[cl], "' is not a category index (0-", k - 1, ")");
      if (index >= static_cast<std::int64_t>(k))
        csv.fail_field(cl, "label index ", index, " is outside 0-", k - 1, " (", k, " categories)");
      label = static_cast<std::uint32_t>(index);
    } else {
      bool found = false;
      if (emotions) {
        for (emotion e : fer2013_order)
          if (detail::equal_ignoring_case(text, disfer::name(e, vocabulary::fer2013)) ||
              detail::equal_ignoring_case(text, disfer::name(e, vocabulary::paper))) {
            label = static_cast<std::uint32_t>(index_of(e));
            found = true;
          }
      } else {
        for (std::size_t j = 0; j < k && !found; ++j)
          if (detail::equal_ignoring_case(text, detail::trim_blanks(options.categories[j]))) {
            label = static_cast<std::uint32_t>(j);
            found = true;
          }
      }
      if (!found) {
        std::string known;
        for (const auto& c : votes.category_names) known += (known.empty() ? "" : ", ") + c;
        csv.fail_field(cl, "unknown label '", csv[cl], "' (categories: ", known,
                       emotions ? "; anger, happiness, sadness also accepted)" : ")");
      }
    }
    const std::uint32_t item = detail::intern(items, votes.item_names, std::string(detail::trim_blanks(csv[cs])));
    const std::uint32_t rater = detail::intern(raters, votes.rater_names, std::string(detail::trim_blanks(csv[cr])));
    const std::uint64_t key = (std::uint64_t{item} << 32) | rater;
    const auto [it, inserted] = seen.emplace(key, csv.line());
    if (!inserted && !options.allow_duplicates)
      csv.fail_field(cr, "rater '", votes.rater_names[rater], "' already voted on stimulus '", votes.item_names[item],
                     "' (line ", it->second, ")");
    votes.add(item, rater, label);
  };
  while (detail::next_row(csv, options.bad_rows, options.skipped))
    detail::row_or_skip(csv, options.bad_rows, options.skipped, row);
  if (votes.size() == 0)
    detail::fail_at(fn, name, csv.line(), 0,
                    csv.records() == 0 ? "no votes (the file has a header only)" : "no votes (every row was skipped)");
  return votes;
}

}  // namespace detail

inline vote_table read_votes_csv(std::istream& in, const std::string& name, const votes_csv_options& options) {
  return detail::read_votes_csv_as(in, name, options, "read_votes_csv");
}

/// Reads votes in long form from the file `path` (see the stream overload).
inline vote_table read_votes_csv(const std::string& path, const votes_csv_options& options = {}) {
  constexpr const char* fn = "read_votes_csv";
  auto in = detail::open_input(path, fn);
  return detail::read_votes_csv_as(in, path, options, fn);
}

/// Options of read_count_table_csv.
struct count_table_csv_options {
  std::string id_column;             ///< column naming the items; empty: none (items named by row number)
  std::vector<std::string> columns;  ///< category columns to read, in this order; empty: every other column
  char delimiter = ',';
  /// What a bad row does: error (throw) or skip (leave it out and report it in `skipped`).
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

/// A count table read from a file, with its item and category names.
struct count_table {
  count_matrix counts;                      ///< items x categories
  std::vector<std::string> item_names;      ///< id column values, or "1", "2", ... (data row numbers)
  std::vector<std::string> category_names;  ///< the category columns, in table order
};

/// Reads an items x categories count table from CSV (data published as counts, e.g. FER+: pick
/// the seven FER-2013 emotions with options.columns and say so). Throws disfer::error with path,
/// line and column (function `read_count_table_csv`) for a missing column, a field that is not a
/// non-negative integer (a negative count is named as such), fewer than 2 category columns, no
/// data row, and every CSV dialect error. Under options.bad_rows = skip, a row with a bad count (or a
/// ragged row) is left out and reported in *options.skipped instead (io/bad_rows.hpp). O(cells).
inline count_table read_count_table_csv(std::istream& in, const std::string& name,
                                        const count_table_csv_options& options = {});

namespace detail {

/// read_count_table_csv with `fn` named in its errors (attach_votes passes its own name).
inline count_table read_count_table_csv_as(std::istream& in, const std::string& name,
                                           const count_table_csv_options& options, const char* fn) {
  csv_options co;
  co.delimiter = options.delimiter;
  co.function = fn;
  detail::check_bad_row_options(fn, options.bad_rows, options.skipped);
  csv_reader csv(in, name, co);
  std::ptrdiff_t id = -1;
  if (!options.id_column.empty()) id = static_cast<std::ptrdiff_t>(csv.column_index(options.id_column));
  std::vector<std::size_t> cols;
  count_table t;
  if (options.columns.empty()) {
    for (std::size_t c = 0; c < csv.header().size(); ++c)
      if (static_cast<std::ptrdiff_t>(c) != id) {
        cols.push_back(c);
        t.category_names.push_back(csv.header()[c]);
      }
  } else {
    for (const auto& c : options.columns) cols.push_back(csv.column_index(c));
    t.category_names = options.columns;
  }
  if (cols.size() < 2) detail::fail_at(fn, name, 1, 0, "fewer than 2 category columns (", cols.size(), ")");
  std::vector<std::int64_t> cells, row_cells;
  const auto row = [&] {
    row_cells.clear();
    for (std::size_t c : cols) {
      const std::string_view f = detail::trim_blanks(csv[c]);
      std::int64_t v = 0;
      if (f.empty()) csv.fail_field(c, "empty field (write 0 for no votes)");
      if (f.front() == '-' && detail::parse_count(f.substr(1), v)) csv.fail_field(c, "negative count ", csv[c]);
      if (!detail::parse_count(f, v)) {
        if (detail::all_digits(f)) csv.fail_field(c, "count ", csv[c], " is too large (at most 10^18 - 1)");
        csv.fail_field(c, "'", csv[c], "' is not a non-negative integer count");
      }
      row_cells.push_back(v);
    }
    cells.insert(cells.end(), row_cells.begin(), row_cells.end());
    t.item_names.push_back(id >= 0 ? csv[static_cast<std::size_t>(id)] : std::to_string(csv.records()));
  };
  while (detail::next_row(csv, options.bad_rows, options.skipped))
    detail::row_or_skip(csv, options.bad_rows, options.skipped, row);
  if (t.item_names.empty())
    detail::fail_at(
        fn, name, csv.line(), 0,
        csv.records() == 0 ? "no data rows (the file has a header only)" : "no data rows (every row was skipped)");
  const auto n = static_cast<Eigen::Index>(t.item_names.size()), k = static_cast<Eigen::Index>(cols.size());
  t.counts.resize(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) t.counts(i, j) = cells[static_cast<std::size_t>(i * k + j)];
  return t;
}

}  // namespace detail

inline count_table read_count_table_csv(std::istream& in, const std::string& name,
                                        const count_table_csv_options& options) {
  return detail::read_count_table_csv_as(in, name, options, "read_count_table_csv");
}

/// Reads a count table from the file `path` (see the stream overload).
inline count_table read_count_table_csv(const std::string& path, const count_table_csv_options& options = {}) {
  constexpr const char* fn = "read_count_table_csv";
  auto in = detail::open_input(path, fn);
  return detail::read_count_table_csv_as(in, path, options, fn);
}

}  // namespace disfer
