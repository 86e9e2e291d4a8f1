#pragma once
/// \file
/// Crowd votes in long form (stimulus, rater, label), stored column-wise, and their count table.

#include <cstddef>
#include <cstdint>
#include <new>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "disfer/agreement/count_table.hpp"
#include "disfer/core/error.hpp"

namespace disfer {

/// Votes in long form, one entry per (item, rater, label), stored as three parallel columns of
/// 32-bit indices (12 bytes a vote: 10^8 votes fit in 1.2 GB). Items, raters and labels are
/// 0-based indices; item_names / rater_names (optional, same length as n_items / n_raters) keep
/// the identifiers read from a file, category_names the label names.
struct vote_table {
  std::vector<std::uint32_t> item;   ///< item (stimulus) index of each vote
  std::vector<std::uint32_t> rater;  ///< rater index of each vote
  std::vector<std::uint32_t> label;  ///< category index of each vote
  std::size_t n_items = 0;           ///< items are 0 .. n_items - 1 (some may have no vote)
  std::size_t n_raters = 0;          ///< raters are 0 .. n_raters - 1
  std::vector<std::string> item_names;
  std::vector<std::string> rater_names;
  std::vector<std::string> category_names;

  /// Number of votes.
  std::size_t size() const noexcept { return item.size(); }
  /// Appends a vote, growing n_items / n_raters as needed.
  void add(std::uint32_t item_index, std::uint32_t rater_index, std::uint32_t label_index) {
    item.push_back(item_index);
    rater.push_back(rater_index);
    label.push_back(label_index);
    if (item_index >= n_items) n_items = std::size_t{item_index} + 1;
    if (rater_index >= n_raters) n_raters = std::size_t{rater_index} + 1;
  }
};

namespace detail {

/// Checks the columns of a vote table against k: equal lengths, item < n_items, rater < n_raters,
/// label < k. Throws disfer::error naming `function` and the first bad vote (0-based index).
inline void check_votes(const char* function, const vote_table& votes, std::size_t k) {
  if (k < 2) fail(function, "k = ", k, "; at least 2 categories are needed");
  if (votes.rater.size() != votes.item.size() || votes.label.size() != votes.item.size())
    fail(function, "the vote columns differ in length (item ", votes.item.size(), ", rater ", votes.rater.size(),
         ", label ", votes.label.size(), ")");
  for (std::size_t v = 0; v < votes.item.size(); ++v) {
    if (votes.item[v] >= votes.n_items)
      fail(function, "vote ", v, " names item ", votes.item[v], " but the table has ", votes.n_items, " items");
    if (votes.rater[v] >= votes.n_raters)
      fail(function, "vote ", v, " names rater ", votes.rater[v], " but the table has ", votes.n_raters, " raters");
    if (votes.label[v] >= k)
      fail(function, "vote ", v, " (item ", votes.item[v], ") has label ", votes.label[v], ", outside 0-", k - 1);
  }
}

}  // namespace detail

/// The n_items x k count table of a vote table: counts(i, j) = number of votes for category j on
/// item i (items without votes give zero rows). One pass over the item and label columns:
/// O(votes + n_items k), memory-bandwidth bound. Throws disfer::error (named `vote_counts`) for
/// k < 2, columns of different lengths, an item index >= n_items or a label >= k (naming the vote).
inline count_matrix vote_counts(const vote_table& votes, std::size_t k);

namespace detail {

/// vote_counts with `fn` named in its errors (for the public functions that count votes).
inline count_matrix vote_counts_as(const vote_table& votes, std::size_t k, const char* fn) {
  if (k < 2) detail::fail(fn, "k = ", k, "; at least 2 categories are needed");
  if (votes.label.size() != votes.item.size())
    detail::fail(fn, "the item and label columns differ in length (", votes.item.size(), " vs ", votes.label.size(),
                 ")");
  const auto n_items = static_cast<Eigen::Index>(votes.n_items);
  // The table is n_items x k 64-bit counts: refuse what cannot be counted or allocated, saying
  // how much it needs.
  const long double bytes = static_cast<long double>(votes.n_items) * static_cast<long double>(k) * 8.0L;
  if (votes.n_items > static_cast<std::size_t>(std::numeric_limits<Eigen::Index>::max()) ||
      bytes > static_cast<long double>(std::numeric_limits<std::ptrdiff_t>::max()))
    detail::fail(fn, "a table of ", votes.n_items, " items x ", k, " categories needs ", static_cast<double>(bytes),
                 " bytes, more than 64-bit sizes can address");
  count_matrix counts;
  try {
    counts = count_matrix::Zero(n_items, static_cast<Eigen::Index>(k));
  } catch (const std::bad_alloc&) {
    detail::fail(fn, "cannot allocate the count table: ", votes.n_items, " items x ", k, " categories needs ",
                 static_cast<double>(bytes), " bytes (", static_cast<double>(bytes / (1024.0L * 1024 * 1024)), " GiB)");
  }
  std::int64_t* data = counts.data();
  const std::uint32_t* item = votes.item.data();
  const std::uint32_t* label = votes.label.data();
  const std::size_t n = votes.item.size();
  const std::uint32_t kk = static_cast<std::uint32_t>(k);
  const std::uint32_t ni = static_cast<std::uint32_t>(votes.n_items);
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint32_t i = item[v], j = label[v];
    if (i >= ni || j >= kk) {
      if (i >= ni) detail::fail(fn, "vote ", v, " names item ", i, " but the table has ", votes.n_items, " items");
      detail::fail(fn, "vote ", v, " (item ", i, ") has label ", j, ", outside 0-", k - 1);
    }
    ++data[static_cast<std::size_t>(j) * static_cast<std::size_t>(n_items) + i];  // column-major
  }
  return counts;
}

}  // namespace detail

inline count_matrix vote_counts(const vote_table& votes, std::size_t k) {
  return detail::vote_counts_as(votes, k, "vote_counts");
}

}  // namespace disfer
