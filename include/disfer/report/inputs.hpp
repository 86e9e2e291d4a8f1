#pragma once
/// \file
/// The inputs of a reproduction, checked against each other before anything is computed or
/// written: a stimulus manifest (read_stimulus_manifest: the manifest.csv of write_stimuli or the
/// stimuli.csv of write_simulated_stimuli_csv), votes (long form or count table) and predictions
/// matched to its stimuli by id. Every inconsistency is a disfer::error naming the file, the line and the
/// problem: a vote or a prediction for a stimulus the manifest does not list (the line of the
/// vote), a stimulus without vote or without prediction (the manifest line of the stimulus).
/// The simulation's fill-in is report/simulate_missing.hpp.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/image/distortion.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/manifest.hpp"
#include "disfer/io/votes_csv.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/simulate/study.hpp"

namespace disfer {

/// The seven FER-2013 emotion names in FER-2013 index order (the categories of a DisFER study).
inline std::vector<std::string> fer2013_category_names() {
  std::vector<std::string> v;
  for (emotion e : fer2013_order) v.emplace_back(name(e));
  return v;
}

/// The DisFER conditions as study_conditions: family = the distortion kind's index (0 none,
/// 1 GB, 2 GN, 3 SP), severity = the level's rank within its kind (1, 2, 3), name = label(d).
inline std::vector<study_condition> study_conditions_of(const std::vector<distortion>& conditions) {
  std::vector<study_condition> out;
  for (const auto& d : conditions) {
    study_condition c;
    c.name = label(d);
    c.family = static_cast<std::size_t>(d.kind);
    c.level = d.level;
    out.push_back(c);
  }
  for (auto& c : out) {
    if (c.family == 0) continue;
    std::set<double> levels;
    for (const auto& o : out)
      if (o.family == c.family) levels.insert(o.level);
    c.severity = static_cast<double>(std::distance(levels.begin(), levels.find(c.level)) + 1);
  }
  return out;
}

/// A stimulus manifest read from a file: the stimuli of a reproduction_input (ids, sources,
/// labels, conditions) and the line of each stimulus, for error messages.
struct stimulus_manifest {
  std::string path;
  std::vector<std::string> category_names;  ///< FER-2013's seven, in FER-2013 order
  std::vector<study_condition> conditions;  ///< in the order of disfer_conditions()
  std::vector<reproduction_stimulus> stimuli;
  std::vector<std::uint64_t> line;  ///< 1-based line of each stimulus in the file
  /// Image file of each stimulus, relative to the manifest's folder (the optional `file` column;
  /// empty entries when absent).
  std::vector<std::string> file;
  /// Appends a stimulus (listed on `at_line` of the file, 0 if none); throws disfer::error (named
  /// `stimulus_manifest::add`) when its id is already listed.
  void add(reproduction_stimulus s, std::uint64_t at_line = 0) {
    if (!index_.emplace(s.id, stimuli.size()).second)
      detail::fail("stimulus_manifest::add", "stimulus '", s.id, "' is listed twice");
    stimuli.push_back(std::move(s));
    line.push_back(at_line);
    file.emplace_back();
  }
  /// Index of a stimulus id, or -1.
  std::int64_t find(const std::string& id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? -1 : static_cast<std::int64_t>(it->second);
  }
  std::unordered_map<std::string, std::size_t> index_;  ///< id -> index (kept by add())
};

namespace detail {

// The 1-based line of the first record whose `column` equals `value` (rescans the file; only
// used to name the line in an error). 0 when not found.
inline std::vector<std::uint64_t> lines_of(const std::string& path, const std::string& column, const std::string& value,
                                           std::size_t at_most) {
  std::vector<std::uint64_t> lines;
  try {
    csv_reader csv(path);
    const auto c = csv.find_column(column);
    if (!c) return lines;
    while (lines.size() < at_most && csv.next())
      if (trim_blanks(csv[*c]) == value) lines.push_back(csv.line());
  } catch (const error&) {
  }
  return lines;
}

inline std::uint64_t line_of(const std::string& path, const std::string& column, const std::string& value) {
  const auto lines = lines_of(path, column, value, 1);
  return lines.empty() ? 0 : lines.front();
}

}  // namespace detail

/// Options of read_stimulus_manifest.
struct stimulus_manifest_options {
  /// What a bad row does: error (throw) or skip (leave it out and report it in `skipped`).
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

/// Reads a stimulus manifest (the schema of io/manifest.hpp; docs/io.md, "Stimulus manifest"):
/// leading '#' lines are provenance comments; columns `id` (or `stimulus`; unique), `label`
/// (FER-2013 index or emotion name), the condition as `condition` ("original", "GB 0.8", ... as
/// label(distortion)) or as `distortion` (or `kind`) and `level`, and the source as `fer2013_row`
/// (source "fer<row>"), `source_id` or `source`; optionally `file`, the image of the stimulus
/// relative to the manifest's folder. Conditions are ordered as disfer_conditions() when they are
/// among them, else by first appearance. Throws disfer::error (named `read_stimulus_manifest`,
/// with path, line and column) for a missing column, an empty or repeated id, an empty or unknown
/// label or condition, a source given two labels, and every CSV error.
/// Under options.bad_rows = skip, a row with a bad field (or a ragged row) is left out and reported
/// in *options.skipped instead (io/bad_rows.hpp); a repeated id is its second row.
inline stimulus_manifest read_stimulus_manifest(const std::string& path, const stimulus_manifest_options& options) {
  constexpr const char* fn = "read_stimulus_manifest";
  detail::check_bad_row_options(fn, options.bad_rows, options.skipped);
  manifest_reader reader(path, fn);
  csv_reader& csv = reader.csv();
  const manifest_columns& cols = reader.columns();
  stimulus_manifest m;
  m.path = path;
  m.category_names = fer2013_category_names();
  cols.require_id_and_condition(csv);
  const auto id_col = cols.id;
  const std::size_t label_col = cols.label ? *cols.label : csv.column_index(manifest_column::label);
  const auto cond_col = cols.condition;
  const auto kind_col = cols.distortion;
  auto src_col = cols.fer2013_row;
  const bool fer_rows = src_col.has_value();
  if (!src_col) src_col = cols.source_id;
  if (!src_col) src_col = cols.source;
  if (!src_col) (void)csv.column_index(manifest_column::fer2013_row);
  const auto file_col = cols.file;

  std::vector<distortion> known = disfer_conditions();
  std::vector<std::string> cond_names;
  std::vector<std::size_t> cond_of;
  std::map<std::string, std::uint32_t> source_label;
  // Every check of a row comes before the row is kept, so a skipped row leaves nothing behind.
  const auto row = [&] {
    const std::string id(detail::trim_blanks(csv[*id_col]));
    if (id.empty()) csv.fail_field(*id_col, "empty stimulus id");
    if (const auto first = m.index_.find(id); first != m.index_.end())
      csv.fail_field(*id_col, "stimulus '", id, "' is listed twice (first on line ", m.line[first->second], ")");
    reproduction_stimulus s;
    s.id = id;
    const auto l = cols.label_of(csv);
    if (!l) csv.fail_field(label_col, "empty label");
    s.label = static_cast<std::uint32_t>(index_of(*l));
    const std::string cname = cols.condition_of(csv);
    if (cname.empty()) csv.fail_field(cond_col ? *cond_col : *kind_col, "empty condition");
    const bool new_condition = std::find(cond_names.begin(), cond_names.end(), cname) == cond_names.end();
    if (new_condition) {
      bool ok = false;
      for (const auto& d : known) ok = ok || label(d) == cname;
      if (!ok)
        csv.fail_field(
            cond_col ? *cond_col : *kind_col, "condition '", cname,
            "' is not one of the DisFER conditions (original, GB 0.8/1.1/1.4, GN 10/20/30, SP 0.02/0.04/0.06)");
    }
    const std::string src(detail::trim_blanks(csv[*src_col]));
    if (src.empty()) csv.fail_field(*src_col, "empty source");
    s.source = fer_rows ? "fer" + src : src;
    const auto it = source_label.find(s.source);
    if (it != source_label.end() && it->second != s.label)
      csv.fail_field(label_col, "source '", s.source, "' has label ", m.category_names[s.label], " here and ",
                     m.category_names[it->second], " on an earlier line");
    // The row is good: keep it.
    if (new_condition) cond_names.push_back(cname);
    cond_of.push_back(
        static_cast<std::size_t>(std::find(cond_names.begin(), cond_names.end(), cname) - cond_names.begin()));
    source_label.emplace(s.source, s.label);
    m.index_.emplace(id, m.stimuli.size());
    m.stimuli.push_back(s);
    m.line.push_back(csv.line());
    m.file.push_back(file_col ? std::string(detail::trim_blanks(csv[*file_col])) : std::string());
  };
  while (detail::next_row(csv, options.bad_rows, options.skipped))
    detail::row_or_skip(csv, options.bad_rows, options.skipped, row);
  if (m.stimuli.empty()) detail::fail_at(fn, path, csv.line(), 0, "the manifest lists no stimulus");
  // Conditions in the order of disfer_conditions().
  std::vector<distortion> used;
  for (const auto& d : known)
    if (std::find(cond_names.begin(), cond_names.end(), label(d)) != cond_names.end()) used.push_back(d);
  m.conditions = study_conditions_of(used);
  std::vector<std::size_t> remap(cond_names.size());
  for (std::size_t c = 0; c < cond_names.size(); ++c)
    for (std::size_t u = 0; u < used.size(); ++u)
      if (label(used[u]) == cond_names[c]) remap[c] = u;
  for (std::size_t i = 0; i < m.stimuli.size(); ++i) m.stimuli[i].condition = remap[cond_of[i]];
  return m;
}

/// read_stimulus_manifest with the default options (bad rows are errors).
inline stimulus_manifest read_stimulus_manifest(const std::string& path) {
  return read_stimulus_manifest(path, stimulus_manifest_options{});
}

/// A reproduction_input with the manifest's stimuli, categories and conditions (no votes, no models).
inline reproduction_input input_from_manifest(const stimulus_manifest& m) {
  reproduction_input in;
  in.category_names = m.category_names;
  in.conditions = m.conditions;
  in.stimuli = m.stimuli;
  return in;
}

}  // namespace disfer
