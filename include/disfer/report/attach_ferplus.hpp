#pragma once
/// \file
/// FER+'s real crowd votes (io/ferplus.hpp) as the humans of a reproduction, on the stimuli FER+'s
/// crowd saw: the undistorted versions of the FER-2013 sources. The distorted versions have no real
/// votes; report/simulate_missing.hpp fills them (simulated under --simulate missing, placeholders
/// that no output reports under none).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/io/ferplus.hpp"
#include "disfer/report/reproduction.hpp"

namespace disfer {

/// Attaches the FER+ votes `v` of FER-2013 row `fer2013_row[i]` to stimulus i of `in` when its
/// condition is of family `family` (0: the originals), as anonymous vote slots (FER+ names no
/// rater: raters are then not identified, as for a count table). Those conditions become measured
/// (votes_origin_by_condition); the others stay without votes for fill_votes or absent_votes.
/// O(items + stimuli + votes). Throws disfer::error (named `attach_ferplus_votes`) when `in` has
/// votes already, when its categories are not FER-2013's seven in FER-2013 order, when
/// fer2013_row has not one entry per stimulus, when a stimulus's condition is out of range, and
/// when FER+ has no emotion vote for a stimulus's row (sample the sources from the rows FER+ covers:
/// source_options::only_rows).
inline void attach_ferplus_votes(reproduction_input& in, const std::vector<std::uint64_t>& fer2013_row,
                                 const ferplus_votes& v, std::size_t family = 0) {
  constexpr const char* fn = "attach_ferplus_votes";
  const std::size_t n = in.stimuli.size();
  if (in.votes.size() > 0) detail::fail(fn, "the input has votes already; FER+'s would be mixed with them");
  if (in.category_names != v.category_names)
    detail::fail(fn, "the stimuli's categories are not FER-2013's seven in FER-2013 order (FER+'s table)");
  if (fer2013_row.size() != n) detail::fail(fn, fer2013_row.size(), " FER-2013 rows for ", n, " stimuli");
  std::unordered_map<std::uint64_t, std::size_t> item;
  for (std::size_t i = 0; i < v.fer2013_row.size(); ++i) item.emplace(v.fer2013_row[i], i);
  in.votes_origin_by_condition.assign(in.conditions.size(), data_origin::absent);
  vote_table t;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = in.stimuli[i].condition;
    if (c >= in.conditions.size())
      detail::fail(fn, "stimulus '", in.stimuli[i].id, "' has condition ", c, "; there are ", in.conditions.size());
    if (in.conditions[c].family != family) continue;
    const auto it = item.find(fer2013_row[i]);
    if (it == item.end())
      detail::fail(fn, "stimulus '", in.stimuli[i].id, "': FER+ has no emotion vote for FER-2013 row ", fer2013_row[i]);
    in.votes_origin_by_condition[c] = data_origin::measured;
    std::uint32_t slot = 0;
    const auto r = static_cast<Eigen::Index>(it->second);
    for (Eigen::Index j = 0; j < v.counts.cols(); ++j)
      for (std::int64_t q = 0; q < v.counts(r, j); ++q)
        t.add(static_cast<std::uint32_t>(i), slot++, static_cast<std::uint32_t>(j));
    t.n_raters = std::max<std::size_t>(t.n_raters, slot);
  }
  for (std::size_t q = 0; q < t.n_raters; ++q) t.rater_names.push_back(detail::concat("ferplus_slot", q));
  t.n_items = n;
  for (const auto& s : in.stimuli) t.item_names.push_back(s.id);
  t.category_names = in.category_names;
  in.votes = std::move(t);
  in.votes_origin = data_origin::measured;
  in.raters_identified = false;
}

}  // namespace disfer
