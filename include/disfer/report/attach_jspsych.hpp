#pragma once
/// \file
/// The votes of a jsPsych experiment (read_jspsych_votes, io/jspsych.hpp; the experiment of
/// examples/make_experiment) as the humans of a reproduction, and the three tables that let a
/// reader check them against the experiment: the votes with their presentation positions, the
/// attention checks, and the participants with the exclusion rule's verdict.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/jspsych.hpp"
#include "disfer/report/attach_votes.hpp"
#include "disfer/report/json.hpp"

namespace disfer {

namespace detail {

/// Checks that the per-vote columns of `v` match its votes and that every index names an entry;
/// throws disfer::error naming `fn` otherwise (a jspsych_votes put together by hand).
inline void check_jspsych_votes(const char* fn, const jspsych_votes& v) {
  const std::size_t n = v.votes.size();
  if (v.votes.rater.size() != n || v.votes.label.size() != n || v.file.size() != n || v.line.size() != n ||
      v.position.size() != n || v.rt.size() != n)
    fail(fn, "the per-vote columns differ in length (", n, " votes, ", v.file.size(), " files, ", v.line.size(),
         " lines, ", v.position.size(), " positions, ", v.rt.size(), " response times)");
  for (std::size_t q = 0; q < n; ++q)
    if (v.votes.item[q] >= v.votes.item_names.size() || v.votes.item[q] >= v.votes.n_items ||
        v.votes.rater[q] >= v.votes.rater_names.size() || v.votes.label[q] >= v.votes.category_names.size())
      fail(fn, "vote ", q, " names an item, rater or category the table does not list");
}

}  // namespace detail

/// Attaches the votes of `v` (excluded participants are not among them) to `in`, whose stimuli are
/// the manifest's. Throws disfer::error (named `attach_jspsych_votes`) naming the file and line of
/// a vote on a stimulus the manifest lacks, when v's categories differ from the manifest's, and,
/// unless `allow_unvoted` (a pilot that covers a few playlists; fill the rest with fill_votes), the
/// manifest line of a stimulus without votes.
inline void attach_jspsych_votes(reproduction_input& in, const stimulus_manifest& m, const jspsych_votes& v,
                                 bool allow_unvoted = false) {
  constexpr const char* fn = "attach_jspsych_votes";
  detail::check_jspsych_votes(fn, v);
  if (v.votes.category_names != m.category_names)
    detail::fail(fn, "the votes' categories are not the manifest's (", v.votes.category_names.size(), " vs ",
                 m.category_names.size(), ")");
  std::vector<std::size_t> first(v.votes.n_items, v.votes.size());
  for (std::size_t q = v.votes.size(); q-- > 0;) first[v.votes.item[q]] = q;
  const auto where = [&](std::size_t item) {
    const std::size_t q = first[item];
    return q < v.file.size() ? std::make_pair(v.file[q], static_cast<std::uint64_t>(v.line[q]))
                             : std::make_pair(std::string("<jsPsych data>"), std::uint64_t{0});  // no vote
  };
  detail::attach_read_votes(in, m, v.votes, fn, where,
                            "the jsPsych data (a pilot covering some playlists: allow_unvoted and fill the rest "
                            "with fill_votes, as reproduce_disfer --simulate missing does)",
                            allow_unvoted);
}

/// Writes the votes of `v` as CSV, one row per vote in reading order: participant, playlist,
/// order, position, stimulus, label (category name), rt (ms, empty when jsPsych recorded null),
/// file, line. Throws disfer::error (named `write_jspsych_votes_csv`) when the per-vote columns
/// differ in length or an index names no entry.
inline void write_jspsych_votes_csv(std::ostream& out, const jspsych_votes& v) {
  detail::check_jspsych_votes("write_jspsych_votes_csv", v);
  std::unordered_map<std::string, const jspsych_participant*> who;
  for (const auto& p : v.participants) who.emplace(p.id, &p);
  write_csv_row(out, {"participant", "playlist", "order", "position", "stimulus", "label", "rt", "file", "line"});
  for (std::size_t q = 0; q < v.votes.size(); ++q) {
    const std::string& rater = v.votes.rater_names[v.votes.rater[q]];
    const auto it = who.find(rater);
    const double rt = v.rt[q];
    write_csv_row(out, {rater, it == who.end() ? "" : it->second->playlist, it == who.end() ? "" : it->second->order,
                        std::to_string(v.position[q]), v.votes.item_names[v.votes.item[q]],
                        v.votes.category_names[v.votes.label[q]], std::isnan(rt) ? "" : json_number(rt), v.file[q],
                        std::to_string(v.line[q])});
  }
}

/// Writes the attention checks of `v` as CSV: participant, position, after, expected and response
/// (the buttons' categories, `buttons` naming them in button order as jspsych_options::buttons;
/// response empty when none was given), passed (true/false), file, line. Throws disfer::error
/// (named `write_jspsych_checks_csv`) for a check asking for a button `buttons` lacks.
inline void write_jspsych_checks_csv(std::ostream& out, const jspsych_votes& v,
                                     const std::vector<std::string>& buttons) {
  for (const auto& c : v.checks)
    if (c.expected >= buttons.size())
      detail::fail("write_jspsych_checks_csv", "participant ", c.participant, ": a check asks for button ", c.expected,
                   " of ", buttons.size());
  write_csv_row(out, {"participant", "position", "after", "expected", "response", "passed", "file", "line"});
  const auto name = [&](std::int64_t c) {
    return c >= 0 && static_cast<std::size_t>(c) < buttons.size() ? buttons[static_cast<std::size_t>(c)]
                                                                  : std::string();
  };
  for (const auto& c : v.checks)
    write_csv_row(out, {c.participant, std::to_string(c.position), std::to_string(c.after),
                        name(static_cast<std::int64_t>(c.expected)), name(c.response), c.passed ? "true" : "false",
                        c.file, std::to_string(c.line)});
}

/// Writes the participants of `v` as CSV: participant, file, playlist, order, ratings, checks,
/// failed, excluded (true/false), reason. Writes what `v` holds; never throws but for the stream.
inline void write_jspsych_participants_csv(std::ostream& out, const jspsych_votes& v) {
  write_csv_row(out, {"participant", "file", "playlist", "order", "ratings", "checks", "failed", "excluded", "reason"});
  for (const auto& p : v.participants)
    write_csv_row(out, {p.id, p.file, p.playlist, p.order, std::to_string(p.ratings), std::to_string(p.checks),
                        std::to_string(p.failed), p.excluded ? "true" : "false", p.reason});
}

}  // namespace disfer
