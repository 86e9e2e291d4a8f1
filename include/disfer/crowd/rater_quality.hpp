#pragma once
/// \file
/// Rater quality control as crowdsourcing studies do it: per-rater accuracy against a reference,
/// agreement with the majority of the other raters, exclusion filters (minimum agreement or
/// accuracy, one answer given throughout, duplicate submissions) with a report, and the
/// per-participant figures papers print (mean, SD, standard error, min, max).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "disfer/agreement/count_table.hpp"
#include "disfer/core/error.hpp"
#include "disfer/crowd/votes.hpp"

namespace disfer {

/// Figures of one rater (see rater_statistics).
struct rater_stats {
  std::uint32_t rater = 0;                                        ///< rater index
  std::size_t n_votes = 0;                                        ///< votes given (duplicates included)
  std::size_t n_items = 0;                                        ///< distinct items voted on
  std::size_t n_duplicate_votes = 0;                              ///< votes on an item this rater had already voted on
  std::size_t n_distinct_labels = 0;                              ///< distinct categories used
  std::int64_t modal_label = -1;                                  ///< the category used most (lowest index on ties)
  double modal_share = std::numeric_limits<double>::quiet_NaN();  ///< share of votes in modal_label
  std::size_t n_reference = 0;  ///< items with a reference label that this rater voted on
  double accuracy = std::numeric_limits<double>::quiet_NaN();            ///< share of those matching the reference
  std::size_t n_majority = 0;                                            ///< items on which other raters voted
  double majority_agreement = std::numeric_limits<double>::quiet_NaN();  ///< leave-rater-out plurality agreement
};

/// Per-rater figures. Each (rater, item) pair is scored once, on the rater's first vote for the
/// item (in table order); later votes of the same rater on the same item count as duplicates.
/// accuracy: share of the rater's items whose reference label (reference[item] >= 0; -1 = none)
/// equals the rater's label. majority_agreement: on each item, the plurality of the OTHER raters'
/// votes (all of this rater's votes on the item removed); credit 1 when the rater's label is the
/// unique plurality, 1/t when it is one of t tied pluralities, 0 otherwise; averaged over the items
/// where another rater voted. Complexity O(V log V + items k). Throws disfer::error (named
/// `rater_statistics`) for bad vote indices, labels >= k, or a reference of the wrong length or with
/// a label >= k.
inline std::vector<rater_stats> rater_statistics(const vote_table& votes, std::size_t k,
                                                 const std::vector<std::int64_t>& reference = {});

namespace detail {

/// rater_statistics with `fn` named in its errors (screen_raters passes its own name).
inline std::vector<rater_stats> rater_statistics_as(const vote_table& votes, std::size_t k,
                                                    const std::vector<std::int64_t>& reference, const char* fn) {
  detail::check_votes(fn, votes, k);
  if (!reference.empty()) {
    if (reference.size() != votes.n_items)
      detail::fail(fn, "the reference has ", reference.size(), " labels; the votes have ", votes.n_items, " items");
    for (std::size_t i = 0; i < reference.size(); ++i)
      if (reference[i] >= static_cast<std::int64_t>(k))
        detail::fail(fn, "reference label ", reference[i], " of item ", i, " is outside 0-", k - 1);
  }
  const count_matrix counts = vote_counts_as(votes, k, fn);
  std::vector<std::size_t> order(votes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return votes.rater[a] != votes.rater[b] ? votes.rater[a] < votes.rater[b] : votes.item[a] < votes.item[b];
  });
  std::vector<rater_stats> out(votes.n_raters);
  for (std::uint32_t r = 0; r < out.size(); ++r) out[r].rater = r;
  std::vector<std::int64_t> own(k), label_use(k);
  std::size_t g = 0;
  while (g < order.size()) {
    const std::uint32_t r = votes.rater[order[g]];
    rater_stats& s = out[r];
    std::fill(label_use.begin(), label_use.end(), 0);
    std::size_t correct = 0;
    double credit = 0;
    while (g < order.size() && votes.rater[order[g]] == r) {
      const std::uint32_t i = votes.item[order[g]];
      std::fill(own.begin(), own.end(), 0);
      const std::uint32_t first = votes.label[order[g]];
      std::size_t e = g;
      for (; e < order.size() && votes.rater[order[e]] == r && votes.item[order[e]] == i; ++e) {
        ++own[votes.label[order[e]]];
        ++label_use[votes.label[order[e]]];
        ++s.n_votes;
      }
      s.n_duplicate_votes += e - g - 1;
      ++s.n_items;
      if (!reference.empty() && reference[i] >= 0) {
        ++s.n_reference;
        if (reference[i] == static_cast<std::int64_t>(first)) ++correct;
      }
      std::int64_t best = 0, tied = 0;
      for (std::size_t c = 0; c < k; ++c) {
        const std::int64_t other = counts(i, static_cast<Eigen::Index>(c)) - own[c];
        if (other > best) {
          best = other;
          tied = 1;
        } else if (other == best && other > 0) {
          ++tied;
        }
      }
      if (best > 0) {
        ++s.n_majority;
        if (counts(i, first) - own[first] == best) credit += 1.0 / static_cast<double>(tied);
      }
      g = e;
    }
    for (std::size_t c = 0; c < k; ++c)
      if (label_use[c] > 0) ++s.n_distinct_labels;
    const auto modal = std::max_element(label_use.begin(), label_use.end());
    s.modal_label = modal - label_use.begin();
    s.modal_share = static_cast<double>(*modal) / static_cast<double>(s.n_votes);
    if (s.n_reference > 0) s.accuracy = static_cast<double>(correct) / static_cast<double>(s.n_reference);
    if (s.n_majority > 0) s.majority_agreement = credit / static_cast<double>(s.n_majority);
  }
  return out;
}

}  // namespace detail

inline std::vector<rater_stats> rater_statistics(const vote_table& votes, std::size_t k,
                                                 const std::vector<std::int64_t>& reference) {
  return detail::rater_statistics_as(votes, k, reference, "rater_statistics");
}

/// Exclusion rules of screen_raters. A rule whose threshold is NaN is off.
struct rater_screening_options {
  double min_majority_agreement = std::numeric_limits<double>::quiet_NaN();  ///< exclude below this
  double min_accuracy = std::numeric_limits<double>::quiet_NaN();            ///< exclude below this (needs a reference)
  bool exclude_single_answer = true;         ///< exclude a rater who gave one category throughout ...
  std::size_t single_answer_min_votes = 10;  ///< ... over at least this many votes
  bool exclude_duplicates = true;            ///< exclude a rater who voted twice on the same item
  std::size_t min_votes = 0;                 ///< exclude raters with fewer votes
};

/// One excluded rater and why (every rule it failed, joined by "; ").
struct rater_exclusion {
  std::uint32_t rater = 0;
  std::string name;    ///< rater_names[rater] when the table has names
  std::string reason;  ///< e.g. "majority agreement 0.21 < 0.5; single answer (label 3) over 40 votes"
};

/// Result of screen_raters: the statistics, who is excluded and why, and the votes that remain.
struct rater_screening {
  std::vector<rater_stats> stats;           ///< per rater, from rater_statistics on all votes
  std::vector<std::uint8_t> excluded;       ///< per rater, 1 when excluded
  std::vector<rater_exclusion> exclusions;  ///< the exclusion report, by rater index
  vote_table kept;                          ///< the votes of the raters kept (same indices and names)
  std::size_t n_votes_removed = 0;
};

/// Applies the exclusion rules to every rater (statistics from all votes: one pass, not iterated)
/// and returns the report and the remaining votes. Throws disfer::error (named `screen_raters`)
/// when min_accuracy is set without a reference, and for what rater_statistics rejects.
inline rater_screening screen_raters(const vote_table& votes, std::size_t k, const rater_screening_options& options,
                                     const std::vector<std::int64_t>& reference = {}) {
  constexpr const char* fn = "screen_raters";
  if (!std::isnan(options.min_accuracy) && reference.empty())
    detail::fail(fn, "min_accuracy is set but no reference labels were given");
  rater_screening s;
  s.stats = detail::rater_statistics_as(votes, k, reference, fn);
  s.excluded.assign(votes.n_raters, 0);
  for (const auto& st : s.stats) {
    std::string why;
    auto add = [&why](const std::string& text) { why += (why.empty() ? "" : "; ") + text; };
    if (st.n_votes == 0) continue;
    if (st.n_votes < options.min_votes)
      add(detail::concat(st.n_votes, " vote", st.n_votes == 1 ? "" : "s", " < ", options.min_votes));
    if (!std::isnan(options.min_majority_agreement) && !(st.majority_agreement >= options.min_majority_agreement))
      add(detail::concat("majority agreement ", st.majority_agreement, " < ", options.min_majority_agreement));
    if (!std::isnan(options.min_accuracy) && !(st.accuracy >= options.min_accuracy))
      add(detail::concat("accuracy ", st.accuracy, " < ", options.min_accuracy));
    if (options.exclude_single_answer && st.n_distinct_labels == 1 && st.n_votes >= options.single_answer_min_votes)
      add(detail::concat("single answer (label ", st.modal_label, ") over ", st.n_votes, " votes"));
    if (options.exclude_duplicates && st.n_duplicate_votes > 0)
      add(detail::concat(st.n_duplicate_votes, " duplicate vote", st.n_duplicate_votes == 1 ? "" : "s"));
    if (why.empty()) continue;
    s.excluded[st.rater] = 1;
    s.exclusions.push_back({st.rater, st.rater < votes.rater_names.size() ? votes.rater_names[st.rater] : "", why});
  }
  s.kept.n_items = votes.n_items;
  s.kept.n_raters = votes.n_raters;
  s.kept.item_names = votes.item_names;
  s.kept.rater_names = votes.rater_names;
  s.kept.category_names = votes.category_names;
  for (std::size_t v = 0; v < votes.size(); ++v) {
    if (s.excluded[votes.rater[v]]) {
      ++s.n_votes_removed;
      continue;
    }
    s.kept.item.push_back(votes.item[v]);
    s.kept.rater.push_back(votes.rater[v]);
    s.kept.label.push_back(votes.label[v]);
  }
  return s;
}

/// Per-participant figures as papers report them.
struct participant_summary {
  std::size_t n = 0;  ///< participants with a value (NaN values are skipped)
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();  ///< sample SD (n - 1 denominator)
  double se = std::numeric_limits<double>::quiet_NaN();  ///< sd / sqrt(n)
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
};

/// Mean, SD (n - 1), standard error, min and max of per-participant values (e.g. each rater's
/// accuracy), two-pass. NaN values are skipped; sd and se need n >= 2 (NaN for n = 1, as R's sd()).
/// O(n). Throws disfer::error when no value is left to summarise (an empty list, or only NaN):
/// a summary of nothing would be all NaN and read like data.
inline participant_summary summarize_participants(const std::vector<double>& values) {
  participant_summary s;
  long double sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    ++s.n;
    sum += v;
    s.min = s.n == 1 ? v : std::min(s.min, v);
    s.max = s.n == 1 ? v : std::max(s.max, v);
  }
  if (s.n == 0)
    detail::fail("summarize_participants", values.empty() ? std::string("no values (the list is empty)")
                                                          : detail::concat("all ", values.size(), " values are NaN"));
  const long double mean = sum / static_cast<long double>(s.n);
  s.mean = static_cast<double>(mean);
  if (s.n < 2) return s;
  long double ss = 0;
  for (double v : values)
    if (!std::isnan(v)) ss += (v - mean) * (v - mean);
  s.sd = static_cast<double>(std::sqrt(ss / static_cast<long double>(s.n - 1)));
  s.se = s.sd / std::sqrt(static_cast<double>(s.n));
  return s;
}

}  // namespace disfer
