#pragma once
/// \file
/// The bad-row policy of every disfer reader of rows (read_votes_csv, read_count_table_csv,
/// read_predictions_csv, fer2013_reader / read_fer2013, read_stimulus_manifest): `error` (the
/// default) throws disfer::error at the first bad row; `skip` passes over each bad row and reports
/// it, so that one misspelt label does not reject a whole file and no row is dropped silently.
///
/// Under `skip` the caller must give the list the report goes to (the options' `skipped` member);
/// a null list is itself an error. Each skipped row carries the path, line, column and column name
/// of the offending field, and as its reason exactly the message the `error` policy would have
/// thrown. Only errors of one row are skipped: a bad field (unknown label, bad number, empty field,
/// duplicate key, ...) and a ragged row (a field count other than the header's). Structural errors
/// stay errors under `skip`: a file that cannot be read, a missing column, a bad header, a CSV
/// dialect error inside a record (an unterminated quote, a stray quote, a bare CR), and a file with
/// no good row.

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/staged_file.hpp"

namespace disfer {

/// What a reader does with a row that fails its checks.
enum class bad_row_policy {
  error,  ///< throw disfer::error (the default)
  skip,   ///< leave the row out and report it in the options' `skipped` list
};

/// One row a reader left out under bad_row_policy::skip.
struct skipped_row {
  std::string path;          ///< the file (or the stream's name)
  std::uint64_t line = 0;    ///< 1-based line of the offending field (of the row for a ragged row)
  std::uint64_t column = 0;  ///< 1-based byte within that line
  std::string field;         ///< the column's name (empty for a ragged row)
  std::string reason;        ///< the message bad_row_policy::error throws for this row
};

/// Parses "error" or "skip" (what programs take for --bad-rows); throws disfer::error naming
/// `function` for anything else.
inline bad_row_policy parse_bad_row_policy(const std::string& text, const char* function = "parse_bad_row_policy") {
  if (text == "error") return bad_row_policy::error;
  if (text == "skip") return bad_row_policy::skip;
  detail::fail(function, "bad-row policy '", text, "' is not 'error' or 'skip'");
}

/// "error" or "skip".
inline const char* name(bad_row_policy p) noexcept {
  return p == bad_row_policy::skip ? "skip" : "error";
}

/// Writes the report as CSV: `path,line,column,field,reason`, one line per skipped row, in the
/// order given (a header only when `rows` is empty).
inline void write_skipped_rows_csv(std::ostream& out, const std::vector<skipped_row>& rows) {
  write_csv_row(out, {"path", "line", "column", "field", "reason"});
  for (const auto& r : rows)
    write_csv_row(out, {r.path, std::to_string(r.line), std::to_string(r.column), r.field, r.reason});
}

/// Writes the report to `path` (see the stream overload) through staged_file: an existing file is
/// kept unless policy is replace. Throws disfer::error (named `write_skipped_rows_csv`) as staged_file.
inline void write_skipped_rows_csv(const std::string& path, const std::vector<skipped_row>& rows,
                                   overwrite_policy policy = overwrite_policy::refuse) {
  staged_file out(path, policy, "write_skipped_rows_csv");
  write_skipped_rows_csv(out.stream(), rows);
  out.commit();
}

/// Number of skipped rows per path, paths in order of first appearance.
inline std::vector<std::pair<std::string, std::size_t>> skipped_rows_per_file(const std::vector<skipped_row>& rows) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (const auto& r : rows) {
    std::size_t i = 0;
    while (i < out.size() && out[i].first != r.path) ++i;
    if (i == out.size()) out.emplace_back(r.path, 0);
    ++out[i].second;
  }
  return out;
}

namespace detail {

/// Throws disfer::error (named `fn`) when `policy` is skip and `skipped` is null.
inline void check_bad_row_options(const char* fn, bad_row_policy policy, const std::vector<skipped_row>* skipped) {
  if (policy == bad_row_policy::skip && skipped == nullptr)
    fail(fn, "bad_row_policy::skip needs a list for the report of skipped rows (options.skipped is null)");
}

/// csv.next() that, under skip, reports a ragged row and reads on; other errors propagate.
inline bool next_row(csv_reader& csv, bad_row_policy policy, std::vector<skipped_row>* skipped) {
  for (;;) {
    try {
      return csv.next();
    } catch (const error& e) {
      if (policy != bad_row_policy::skip || !csv.resumable()) throw;
      skipped->push_back({e.path(), e.line(), e.column(), std::string(), e.what()});
    }
  }
}

/// Runs `row()` (which checks the current record of `csv` and, as its last step, keeps it);
/// under skip, a disfer::error it throws is reported instead, with the column csv.fail_field named.
/// Returns whether the row was kept.
template <class Row>
bool row_or_skip(const csv_reader& csv, bad_row_policy policy, std::vector<skipped_row>* skipped, Row&& row) {
  if (policy != bad_row_policy::skip) {
    row();
    return true;
  }
  try {
    row();
    return true;
  } catch (const error& e) {
    skipped->push_back({e.path(), e.line(), e.column(), csv.failed_field(), e.what()});
    return false;
  }
}

}  // namespace detail

}  // namespace disfer
