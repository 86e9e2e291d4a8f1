#pragma once
/// \file
/// Votes and predictions read from files, matched to the stimuli of a manifest by id and attached
/// to a reproduction_input: every inconsistency is a disfer::error naming the file and the line (a
/// vote or a prediction for a stimulus the manifest does not list), or the manifest's line (a
/// stimulus without vote or prediction). The manifest itself is report/inputs.hpp.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/votes_csv.hpp"
#include "disfer/report/inputs.hpp"
#include "disfer/report/reproduction.hpp"

namespace disfer {

namespace detail {

/// Attaches `read` (item_names: stimulus ids) to `in` as its measured votes, mapped to the
/// manifest's stimuli. `where(item)` names the file and line of the first vote of a read item, for
/// the error on a stimulus the manifest lacks; `source` names the votes in the error on a stimulus
/// without votes, which is not an error when `allow_unvoted` (a pilot's votes cover a few
/// playlists: report/simulate_missing.hpp's fill_votes then fills the rest). Throws disfer::error
/// named `fn`.
inline void attach_read_votes(reproduction_input& in, const stimulus_manifest& m, const vote_table& read,
                              const char* fn,
                              const std::function<std::pair<std::string, std::uint64_t>(std::size_t)>& where,
                              const std::string& source, bool allow_unvoted) {
  std::vector<std::uint32_t> to_stimulus(read.n_items);
  for (std::size_t i = 0; i < read.n_items; ++i) {
    const std::int64_t s = m.find(read.item_names[i]);
    if (s < 0) {
      const auto [path, line] = where(i);
      fail_at(fn, path, line, 0, "stimulus '", read.item_names[i], "' is not in the manifest '", m.path, "'");
    }
    to_stimulus[i] = static_cast<std::uint32_t>(s);
  }
  vote_table v;
  v.item.reserve(read.size());
  for (std::size_t q = 0; q < read.size(); ++q) v.add(to_stimulus[read.item[q]], read.rater[q], read.label[q]);
  v.n_items = m.stimuli.size();
  v.n_raters = read.n_raters;
  v.rater_names = read.rater_names;
  for (const auto& s : m.stimuli) v.item_names.push_back(s.id);
  v.category_names = m.category_names;
  if (!allow_unvoted) {
    std::vector<std::uint8_t> has(m.stimuli.size(), 0);
    for (const auto i : v.item) has[i] = 1;
    for (std::size_t i = 0; i < has.size(); ++i)
      if (!has[i]) fail_at(fn, m.path, m.line[i], 0, "stimulus '", m.stimuli[i].id, "' has no vote in ", source);
  }
  in.votes = std::move(v);
  in.votes_origin = data_origin::measured;
}

}  // namespace detail

/// The most votes attach_votes accepts for one stimulus of a count table (DisFER has 50 or 51; a
/// crowd study rarely has more than a few hundred). Far above any real study, it catches a wrong
/// column before the table is expanded to one vote per rater slot (12 bytes each).
inline constexpr std::int64_t max_count_table_votes = 1'000'000;

/// Reads votes from `path` and attaches them to `in` (whose stimuli are the manifest's). A file
/// with a rater column (`long_form_options.rater_column`, default `rater`) is long form
/// (read_votes_csv with `long_form_options`: stimulus,rater,label by default); otherwise a count
/// table (read_count_table_csv with id column `stimulus` and one column per emotion), whose
/// raters are anonymous (per-participant accuracy is then not reported). Throws disfer::error
/// (named `attach_votes`) naming the votes file and line for a vote on a stimulus the manifest
/// lacks, the manifest file and line for a stimulus without votes, and every error of the reader
/// (with its path, line and column); for a count table also naming the line of a stimulus listed
/// twice or with more than max_count_table_votes votes (checked before the table is expanded).
/// `long_form_options.bad_rows` and `.skipped` apply to either form: under skip the votes of the
/// good rows are attached and the bad rows reported (io/bad_rows.hpp); the checks against the
/// manifest stay errors.
inline void attach_votes(reproduction_input& in, const stimulus_manifest& m, const std::string& path,
                         const votes_csv_options& long_form_options = {}) {
  constexpr const char* fn = "attach_votes";
  bool long_form = true;
  {
    csv_reader probe(path, csv_options{',', true, false, fn});
    long_form = probe.find_column(long_form_options.rater_column).has_value();
  }
  vote_table read;
  auto file = detail::open_input(path, fn);
  if (long_form) {
    read = detail::read_votes_csv_as(file, path, long_form_options, fn);
  } else {
    count_table_csv_options o;
    o.id_column = "stimulus";
    o.columns = m.category_names;
    o.bad_rows = long_form_options.bad_rows;
    o.skipped = long_form_options.skipped;
    const count_table t = detail::read_count_table_csv_as(file, path, o, fn);
    // Every row is checked before it becomes one vote per rater slot: the expansion takes time and
    // memory in proportion to the counts, and a stimulus listed twice would repeat its slots.
    std::vector<std::uint8_t> listed(m.stimuli.size(), 0);
    for (Eigen::Index i = 0; i < t.counts.rows(); ++i) {
      const std::string& id = t.item_names[static_cast<std::size_t>(i)];
      const std::int64_t s = m.find(id);
      if (s < 0)
        detail::fail_at(fn, path, detail::line_of(path, "stimulus", id), 0, "stimulus '", id,
                        "' is not in the manifest '", m.path, "'");
      if (listed[static_cast<std::size_t>(s)]) {
        const auto lines = detail::lines_of(path, "stimulus", id, 2);
        const std::string first = lines.empty() ? "" : " (first on line " + std::to_string(lines[0]) + ")";
        detail::fail_at(fn, path, lines.size() == 2 ? lines[1] : 0, 0, "stimulus '", id, "' is listed twice", first,
                        "; a count table has one row per stimulus");
      }
      listed[static_cast<std::size_t>(s)] = 1;
      std::uint64_t total = 0;  // saturates: a count is below 10^18, a sum of many may not be
      for (Eigen::Index j = 0; j < t.counts.cols(); ++j) {
        const auto c = static_cast<std::uint64_t>(t.counts(i, j));
        total = c > std::numeric_limits<std::uint64_t>::max() - total ? std::numeric_limits<std::uint64_t>::max()
                                                                      : total + c;
      }
      if (total > static_cast<std::uint64_t>(max_count_table_votes))
        detail::fail_at(fn, path, detail::line_of(path, "stimulus", id), 0, "stimulus '", id, "' has ", total,
                        " votes, more than max_count_table_votes = ", max_count_table_votes,
                        " (expanded to one vote per anonymous rater they would need ",
                        static_cast<double>(static_cast<long double>(total) * 12 / (1024.0L * 1024 * 1024)),
                        " GiB; is a count column wrong?)");
    }
    read.item_names = t.item_names;
    for (Eigen::Index i = 0; i < t.counts.rows(); ++i) {
      std::uint32_t slot = 0;
      for (Eigen::Index j = 0; j < t.counts.cols(); ++j)
        for (std::int64_t c = 0; c < t.counts(i, j); ++c)
          read.add(static_cast<std::uint32_t>(i), slot++, static_cast<std::uint32_t>(j));
    }
    read.n_items = t.item_names.size();
    in.raters_identified = false;
  }
  const std::string column = long_form ? long_form_options.stimulus_column : "stimulus";
  detail::attach_read_votes(
      in, m, read, fn,
      [&](std::size_t i) { return std::make_pair(path, detail::line_of(path, column, read.item_names[i])); },
      "'" + path + "'", false);
}

/// Attaches one predictor's labels, given as (stimulus id, label) pairs read from `path`
/// (`rows[j]` on line `lines[j]`; 0 = unknown, then the file is rescanned for the line), to `in`.
/// Throws disfer::error naming `path` and the line for a prediction of a stimulus the manifest
/// lacks, the manifest and line for a stimulus without prediction, and for a label out of range.
inline void attach_predictions(reproduction_input& in, const stimulus_manifest& m, const std::string& name,
                               const std::string& path, const std::vector<std::string>& ids,
                               const std::vector<int>& labels, data_origin origin = data_origin::measured) {
  constexpr const char* fn = "attach_predictions";
  if (ids.size() != labels.size()) detail::fail(fn, path, ": ", ids.size(), " ids but ", labels.size(), " labels");
  reproduction_predictor p;
  p.name = name;
  p.origin = origin;
  constexpr std::uint32_t none = 0xffffffffu;
  p.labels.assign(m.stimuli.size(), none);
  for (std::size_t j = 0; j < ids.size(); ++j) {
    const std::int64_t s = m.find(ids[j]);
    if (s < 0)
      detail::fail_at(fn, path, detail::line_of(path, "stimulus", ids[j]), 0, "prediction for stimulus '", ids[j],
                      "', which is not in the manifest '", m.path, "'");
    if (labels[j] < 0 || static_cast<std::size_t>(labels[j]) >= m.category_names.size())
      detail::fail_at(fn, path, detail::line_of(path, "stimulus", ids[j]), 0, "stimulus '", ids[j],
                      "' has no valid label");
    p.labels[static_cast<std::size_t>(s)] = static_cast<std::uint32_t>(labels[j]);
  }
  for (std::size_t i = 0; i < p.labels.size(); ++i)
    if (p.labels[i] == none)
      detail::fail_at(fn, m.path, m.line[i], 0, "stimulus '", m.stimuli[i].id, "' has no prediction in '", path, "' (",
                      name, ")");
  in.models.push_back(std::move(p));
}

}  // namespace disfer
