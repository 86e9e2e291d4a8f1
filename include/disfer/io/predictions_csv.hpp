#pragma once
/// \file
/// Predictions as CSV: `stimulus,label` (labels by name in either vocabulary or by index), or one
/// probability column per class (`stimulus,angry,disgust,...`), or both. Predictions made
/// elsewhere (DeepFace, RMN, ...) come in through read_predictions_csv(). Core dependencies only:
/// a program that reads predictions for the statistics needs no inference component (this file
/// was disfer/inference/predictions_csv.hpp, which now includes it).

#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/predictions.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/staged_file.hpp"

namespace disfer {

/// Options of read_predictions_csv().
struct predictions_csv_options {
  std::string stimulus_column = "stimulus";
  std::string label_column = "label";
  /// The classes. Empty: FER-2013's seven emotions in FER-2013 order, whose names are matched in
  /// either vocabulary (angry/anger, happy/happiness, sad/sadness), case-insensitively. Otherwise
  /// names matched case-insensitively.
  std::vector<std::string> class_names;
  /// What a bad row does: error (throw) or skip (leave it out and report it in `skipped`).
  bad_row_policy bad_rows = bad_row_policy::error;
  /// Where skip reports the rows it leaves out (appended to); must not be null under skip.
  std::vector<skipped_row>* skipped = nullptr;
};

namespace detail {

inline std::string lower_trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out;
  for (std::size_t i = b; i < e; ++i) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  return out;
}

/// Class index of `text` (a name, or an index 0..k-1), or nullopt.
inline std::optional<int> match_class(std::string_view text, const std::vector<std::string>& names, bool emotions) {
  const std::string t = lower_trim(text);
  if (!t.empty() && t.find_first_not_of("0123456789") == std::string::npos && t.size() < 10) {
    const long v = std::stol(t);
    if (v < static_cast<long>(names.size())) return static_cast<int>(v);
    return std::nullopt;
  }
  if (emotions) {
    try {
      return static_cast<int>(index_of(parse_emotion(t)));
    } catch (const error&) {
      return std::nullopt;
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i)
    if (lower_trim(names[i]) == t) return static_cast<int>(i);
  return std::nullopt;
}

}  // namespace detail

/// Reads predictions from `path`. Columns: `stimulus` (required, unique), `label` (optional) and
/// one probability column per class (optional; all k or none); at least one of the two kinds.
/// Probabilities must be finite, in [0, 1] and sum to 1 within 1e-6 per row (they are not
/// renormalised); without a label column
/// the label is the most probable class. Throws disfer::error with path, line and column for a
/// missing column, an unknown label, a bad number, a duplicate stimulus, an incomplete set of
/// probability columns, and a file without rows ("no rows": a header only, or under skip every row
/// skipped). Under options.bad_rows = skip, a row with a bad field (or a ragged row) is left out
/// and reported in *options.skipped instead (io/bad_rows.hpp); a duplicate stimulus is the second
/// row of that stimulus.
inline predictions read_predictions_csv(const std::string& path, const predictions_csv_options& options = {}) {
  const char* fn = "read_predictions_csv";
  detail::check_bad_row_options(fn, options.bad_rows, options.skipped);
  csv_options co;
  co.function = fn;
  csv_reader csv(path, co);
  const bool emotions = options.class_names.empty();
  predictions p;
  if (emotions)
    for (emotion e : fer2013_order) p.class_names.emplace_back(name(e));
  else
    p.class_names = options.class_names;
  const std::size_t k = p.class_names.size();
  const std::size_t stim = csv.column_index(options.stimulus_column);
  const auto label = csv.find_column(options.label_column);
  std::vector<std::optional<std::size_t>> prob_col(k);
  std::size_t found = 0;
  for (std::size_t c = 0; c < csv.header().size(); ++c) {
    if (c == stim || (label && c == *label)) continue;
    const std::string h = detail::lower_trim(csv.header()[c]);
    if (h.empty() || h.find_first_not_of("0123456789") == std::string::npos) continue;
    if (auto j = detail::match_class(h, p.class_names, emotions)) {
      if (prob_col[static_cast<std::size_t>(*j)])
        detail::fail_at(fn, path, 1, 0, "two columns name the class '", p.class_names[static_cast<std::size_t>(*j)],
                        "'");
      prob_col[static_cast<std::size_t>(*j)] = c;
      ++found;
    }
  }
  if (found != 0 && found != k) {
    std::string missing;
    for (std::size_t j = 0; j < k; ++j)
      if (!prob_col[j]) missing += (missing.empty() ? "" : ", ") + p.class_names[j];
    detail::fail_at(fn, path, 1, 0, "probability columns are incomplete: none for ", missing);
  }
  if (found == 0 && !label)
    detail::fail_at(fn, path, 1, 0, "neither a '", options.label_column,
                    "' column nor one probability column per class");
  std::vector<double> probs;
  std::set<std::string> seen;
  // Every check of a row comes before the row is kept, so a skipped row leaves nothing behind.
  const auto row = [&] {
    const std::string& id = csv[stim];
    if (id.empty()) csv.fail_field(stim, "empty stimulus id");
    if (seen.count(id)) csv.fail_field(stim, "duplicate stimulus '", id, "'");
    const std::size_t kept = probs.size();
    try {
      int predicted = -1;
      if (found) {
        for (std::size_t j = 0; j < k; ++j) {
          const std::string& f = csv[*prob_col[j]];
          double v;
          std::size_t used = 0;
          try {
            v = std::stod(f, &used);
          } catch (const std::exception&) {
            csv.fail_field(*prob_col[j], "'", f, "' is not a number");
          }
          if (used != f.size()) csv.fail_field(*prob_col[j], "'", f, "' is not a number");
          if (!(v >= 0.0 && v <= 1.0)) csv.fail_field(*prob_col[j], "probability ", f, " is not in [0, 1]");
          probs.push_back(v);
        }
        double sum = 0;
        for (std::size_t j = 0; j < k; ++j) sum += probs[probs.size() - k + j];
        if (!(std::fabs(sum - 1.0) <= 1e-6))
          csv.fail_field(*prob_col[0], "the row's probabilities sum to ", sum,
                         ", which differs from 1 by more than 1e-6");
      }
      if (label) {
        const auto j = detail::match_class(csv[*label], p.class_names, emotions);
        if (!j)
          csv.fail_field(*label, "unknown label '", csv[*label], "' (expected a class name or an index 0-", k - 1, ")");
        predicted = *j;
      } else {
        predicted = detail::argmax_row(probs.data() + probs.size() - k, k);
      }
      p.labels.push_back(predicted);
    } catch (const error&) {
      probs.resize(kept);  // the probabilities of a rejected row are not kept
      throw;
    }
    seen.insert(id);
    p.stimuli.push_back(id);
  };
  while (detail::next_row(csv, options.bad_rows, options.skipped))
    detail::row_or_skip(csv, options.bad_rows, options.skipped, row);
  if (p.stimuli.empty())
    detail::fail_at(fn, path, csv.line(), 0,
                    csv.records() == 0 ? "no rows (the file has a header only)" : "no rows (every row was skipped)");
  const auto n = static_cast<Eigen::Index>(p.stimuli.size());
  p.probabilities.resize(n, found ? static_cast<Eigen::Index>(k) : 0);
  if (found)
    for (Eigen::Index i = 0; i < n; ++i)
      for (std::size_t j = 0; j < k; ++j)
        p.probabilities(i, static_cast<Eigen::Index>(j)) = probs[static_cast<std::size_t>(i) * k + j];
  return p;
}

/// Writes `p` to `path` as `stimulus,label[,<class 1>,...,<class k>]`: the label by class name,
/// the probabilities (when p has them) with 9 significant digits. Stimulus ids default to the
/// 0-based row index when p.stimuli is empty. Uses staged_file: an existing file is kept unless
/// policy is replace. Throws disfer::error for inconsistent sizes or an invalid label.
inline void write_predictions_csv(const std::string& path, const predictions& p,
                                  overwrite_policy policy = overwrite_policy::refuse) {
  const char* fn = "write_predictions_csv";
  const std::size_t n = p.labels.size(), k = p.class_names.size();
  if (!p.stimuli.empty() && p.stimuli.size() != n)
    detail::fail(fn, p.stimuli.size(), " stimulus ids for ", n, " predictions");
  const bool with_probs = p.probabilities.cols() > 0;
  if (with_probs &&
      (static_cast<std::size_t>(p.probabilities.rows()) != n || static_cast<std::size_t>(p.probabilities.cols()) != k))
    detail::fail(fn, "probabilities are ", p.probabilities.rows(), "x", p.probabilities.cols(), ", expected ", n, "x",
                 k);
  staged_file out(path, policy, fn);
  auto& s = out.stream();
  std::vector<std::string> row{"stimulus", "label"};
  if (with_probs) row.insert(row.end(), p.class_names.begin(), p.class_names.end());
  write_csv_row(s, row);
  char buf[32];
  for (std::size_t i = 0; i < n; ++i) {
    row.clear();
    row.push_back(p.stimuli.empty() ? std::to_string(i) : p.stimuli[i]);
    const int l = p.labels[i];
    if (l >= static_cast<int>(k)) detail::fail(fn, "row ", i, ": label ", l, " is not a class index 0-", k - 1);
    row.push_back(l < 0 ? std::string() : p.class_names[static_cast<std::size_t>(l)]);
    if (with_probs)
      for (std::size_t j = 0; j < k; ++j) {
        std::snprintf(buf, sizeof buf, "%.9g",
                      p.probabilities(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
        row.emplace_back(buf);
      }
    write_csv_row(s, row);
  }
  out.commit();
}

}  // namespace disfer
