#pragma once
/// \file
/// Majority (plurality) vote over a count table with an explicit, documented tie policy.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "disfer/agreement/count_table.hpp"
#include "disfer/core/random.hpp"

namespace disfer {

/// What majority_vote does when several categories share the largest count.
enum class tie_policy {
  lowest_index,  ///< the tied category with the smallest index (crowd-kit's MajorityVote rule)
  random,        ///< a uniform draw among the tied categories, from Philox stream (seed, item, tie_break)
  abstain,       ///< no label (-1)
  all_tied,      ///< no single label (-1); every tied category is listed in `winners`
};

/// Result of majority_vote. One entry per item.
struct majority_vote_result {
  std::vector<std::int64_t> labels;  ///< chosen category, or -1 (abstained, all_tied tie, or no vote)
  std::vector<std::uint8_t> tied;    ///< 1 when two or more categories share the largest count
  /// The categories with the largest count, per item (filled for every item under
  /// tie_policy::all_tied, empty vectors otherwise).
  std::vector<std::vector<std::uint32_t>> winners;
  std::size_t n_ties = 0;     ///< items with a tie
  std::size_t n_no_vote = 0;  ///< items without any vote (label -1, not a tie)
};

/// Plurality label of every item of an items x k count table. There is no default tie policy:
/// each one changes the labels of the tied items (lowest_index always favours the first category,
/// 'angry' in FER-2013 order, the silent bias of crowd-kit's rule), so the caller names one. Ties are found exactly on
/// the integer counts; with 3 or more categories they occur for odd n_i too (25 + 25 + 1). With tie_policy::random the
/// draw for item i uses stream_key{seed, i, purpose::tie_break}, so it depends only on (seed, item index), not on the
/// other items or the order of processing. Complexity O(N k). Throws disfer::error (named `majority_vote`) for an empty
/// table, k < 2 or a negative count (naming the row).
template <class Derived>
majority_vote_result majority_vote(const Eigen::MatrixBase<Derived>& counts, tie_policy policy,
                                   std::uint64_t seed = 0) {
  detail::check_counts("majority_vote", counts);
  const Eigen::Index n = counts.rows(), k = counts.cols();
  majority_vote_result r;
  r.labels.assign(static_cast<std::size_t>(n), -1);
  r.tied.assign(static_cast<std::size_t>(n), 0);
  if (policy == tie_policy::all_tied) r.winners.resize(static_cast<std::size_t>(n));
  std::vector<std::uint32_t> top;
  for (Eigen::Index i = 0; i < n; ++i) {
    std::int64_t best = 0;
    top.clear();
    for (Eigen::Index j = 0; j < k; ++j) {
      const std::int64_t v = counts(i, j);
      if (v > best) {
        best = v;
        top.assign(1, static_cast<std::uint32_t>(j));
      } else if (v == best && v > 0) {
        top.push_back(static_cast<std::uint32_t>(j));
      }
    }
    const auto ii = static_cast<std::size_t>(i);
    if (top.empty()) {
      ++r.n_no_vote;
      continue;
    }
    if (policy == tie_policy::all_tied) r.winners[ii] = top;
    if (top.size() == 1) {
      r.labels[ii] = top.front();
      continue;
    }
    r.tied[ii] = 1;
    ++r.n_ties;
    switch (policy) {
      case tie_policy::lowest_index:
        r.labels[ii] = top.front();
        break;
      case tie_policy::random: {
        random_cursor cursor(stream_key{seed, static_cast<std::uint64_t>(i), purpose::tie_break});
        r.labels[ii] = top[static_cast<std::size_t>(cursor.next_below(top.size()))];
        break;
      }
      case tie_policy::abstain:
      case tie_policy::all_tied:
        break;
    }
  }
  return r;
}

/// Without a tie policy: a compile-time error that says what to write.
template <class Derived>
majority_vote_result majority_vote(const Eigen::MatrixBase<Derived>&) {
  static_assert(sizeof(Derived) == 0,
                "majority_vote: name a tie policy, e.g. majority_vote(counts, disfer::tie_policy::random, seed); "
                "also abstain, all_tied or lowest_index (the first tied category: biased toward 'angry')");
  return {};
}

}  // namespace disfer
