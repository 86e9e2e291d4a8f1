#pragma once
/// \file
/// What a reproduction's input lacks, filled in: from the calibrated simulation (simulate_missing,
/// simulated_reproduction_input), from another vote table (fill_votes, e.g. simulated votes where
/// FER+ has none), or by a placeholder that no output reports (absent_votes, for reproduce_disfer
/// --simulate none without votes).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/simulate/study.hpp"

namespace disfer {

/// Gives every stimulus of `in` that has no vote the votes `from` has for it (`from` names the same
/// stimuli: item i is stimulus i), of origin `origin` on every condition that has such a stimulus
/// (the other conditions keep the origin of the votes already in `in`). The raters of `from` follow
/// those of `in`; with votes of both, raters count as not identified. O(votes + stimuli). Throws
/// disfer::error (named `fill_votes`) for a stimulus whose condition or label is out of range, a
/// votes_origin_by_condition of the wrong size, a vote of `from` naming no stimulus, and a stimulus
/// left without votes.
inline void fill_votes(reproduction_input& in, const vote_table& from, data_origin origin) {
  constexpr const char* fn = "fill_votes";
  const std::size_t n = in.stimuli.size(), k = in.category_names.size();
  for (const auto& s : in.stimuli)
    if (s.condition >= in.conditions.size() || s.label >= k)
      detail::fail(fn, "stimulus '", s.id, "' has condition ", s.condition, " and label ", s.label, "; there are ",
                   in.conditions.size(), " conditions and ", k, " categories");
  if (!in.votes_origin_by_condition.empty() && in.votes_origin_by_condition.size() != in.conditions.size())
    detail::fail(fn, "votes_origin_by_condition has ", in.votes_origin_by_condition.size(), " entries for ",
                 in.conditions.size(), " conditions");
  std::vector<std::uint8_t> has(n, 0);
  for (const auto i : in.votes.item)
    if (i < n) has[i] = 1;
  const bool any = in.votes.size() > 0;
  std::vector<data_origin> by_condition = in.votes_origin_by_condition;
  if (by_condition.empty()) by_condition.assign(in.conditions.size(), any ? in.votes_origin : origin);
  vote_table& v = in.votes;
  const auto first = static_cast<std::uint32_t>(v.n_raters);
  for (std::size_t q = 0; q < from.n_raters; ++q)
    v.rater_names.push_back(q < from.rater_names.size() ? from.rater_names[q] : detail::concat("rater", first + q));
  v.n_raters += from.n_raters;
  for (std::size_t q = 0; q < from.size(); ++q) {
    const auto i = from.item[q];
    if (i >= n) detail::fail(fn, "vote ", q, " names stimulus ", i, "; there are ", n);
    if (has[i]) continue;
    v.add(i, first + from.rater[q], from.label[q]);
    by_condition[in.stimuli[i].condition] = origin;
  }
  std::vector<std::uint8_t> now(n, 0);
  for (const auto i : v.item) now[i] = 1;
  for (std::size_t i = 0; i < n; ++i)
    if (!now[i]) detail::fail(fn, "stimulus '", in.stimuli[i].id, "' has no vote in either table");
  v.n_items = n;
  v.item_names.clear();
  for (const auto& s : in.stimuli) v.item_names.push_back(s.id);
  v.category_names = in.category_names;
  in.votes_origin_by_condition = std::move(by_condition);
  in.votes_origin = any ? data_origin::mixed : origin;
  in.raters_identified = in.raters_identified && !any;
}

/// Gives every stimulus of `in` that has no vote three placeholder votes (two for its dataset label,
/// one for the next label, from raters "absent0".."absent2"), of origin absent (fill_votes), so that
/// compute_reproduction can run; with reproduction_options::report_simulated false no output reports
/// a result that rests on them (the humans' results there, and every comparison with them).
/// Throws disfer::error (named `absent_votes`) for fewer than 2 categories or a label out of range,
/// and as fill_votes.
inline void absent_votes(reproduction_input& in) {
  constexpr const char* fn = "absent_votes";
  const std::size_t k = in.category_names.size();
  if (k < 2) detail::fail(fn, "there are ", k, " categories; at least 2 are needed");
  vote_table p;
  p.n_raters = 3;
  for (std::uint32_t q = 0; q < 3; ++q) p.rater_names.push_back(detail::concat("absent", q));
  for (std::size_t i = 0; i < in.stimuli.size(); ++i) {
    const auto y = in.stimuli[i].label;
    if (y >= k) detail::fail(fn, "stimulus '", in.stimuli[i].id, "' has label ", y, "; k = ", k);
    const auto item = static_cast<std::uint32_t>(i);
    p.add(item, 0, y);
    p.add(item, 1, y);
    p.add(item, 2, static_cast<std::uint32_t>((y + 1) % k));
  }
  p.n_items = in.stimuli.size();
  fill_votes(in, p, data_origin::absent);
}

/// Fills what `in` lacks from the simulation: the votes (when `votes` is true) and the
/// simulated models (when `models` is true, each appended as a simulated predictor unless `in`
/// already has a predictor of that name), simulated on the stimuli of `in`. The stimuli must form
/// a balanced design: every source under every condition once, each condition one of
/// params.design.conditions (matched by name), the same number of sources for every label. The
/// simulation's design is then that of `in`: sources_per_class from the stimuli, playlists of
/// 40 as in DisFER when they divide the stimuli (else one playlist per source), the DisFER
/// raters per playlist. Source j of label y (in order of first appearance) is simulated source
/// y * sources_per_class + j. Deterministic in (params, seed). Throws disfer::error (named
/// `simulate_missing`) for an unbalanced stimulus set, and for the parameters simulate_study refuses.
inline void simulate_missing(reproduction_input& in, simulation_parameters params, std::uint64_t seed, bool votes,
                             bool models);

namespace detail {

/// simulate_missing with `fn` named in its errors (simulated_reproduction_input passes its own name).
inline void simulate_missing_as(reproduction_input& in, simulation_parameters params, std::uint64_t seed, bool votes,
                                bool models, const char* fn) {
  const std::size_t k = in.category_names.size(), n = in.stimuli.size();
  if (k != params.design.k) detail::fail(fn, "the stimuli have ", k, " categories; the simulation ", params.design.k);
  if (n == 0) detail::fail(fn, "there are no stimuli");
  std::vector<std::size_t> sim_cond(in.conditions.size());
  for (std::size_t c = 0; c < in.conditions.size(); ++c) {
    std::size_t found = params.design.conditions.size();
    for (std::size_t q = 0; q < params.design.conditions.size(); ++q)
      if (params.design.conditions[q].name == in.conditions[c].name) found = q;
    if (found == params.design.conditions.size())
      detail::fail(fn, "condition '", in.conditions[c].name,
                   "' is not one of the simulation's; give --votes and --predictions");
    sim_cond[c] = found;
  }
  if (in.conditions.size() != params.design.conditions.size()) {
    std::vector<study_condition> keep;
    for (std::size_t c = 0; c < in.conditions.size(); ++c) keep.push_back(params.design.conditions[sim_cond[c]]);
    params.design.conditions = keep;
    for (std::size_t c = 0; c < sim_cond.size(); ++c) sim_cond[c] = c;
  }
  const std::size_t n_cond = params.design.conditions.size();
  // Sources by label, in order of first appearance.
  std::map<std::string, std::size_t> source_rank;
  std::vector<std::size_t> per_label(k, 0);
  for (const auto& s : in.stimuli)
    if (source_rank.emplace(s.source, per_label[s.label]).second) ++per_label[s.label];
  const std::size_t spc = per_label[0];
  for (std::size_t y = 0; y < k; ++y)
    if (per_label[y] != spc || spc == 0)
      detail::fail(fn, "the stimuli have ", per_label[y], " sources of ", in.category_names[y], " and ", spc, " of ",
                   in.category_names[0], "; the simulation needs the same number for every emotion");
  if (n != spc * k * n_cond)
    detail::fail(fn, n, " stimuli are not every source under every condition (", spc * k, " sources x ", n_cond, ")");
  params.design.sources_per_class = spc;
  const std::size_t n_sim = spc * k * n_cond;
  if (n_sim % 40 == 0) {
    params.design.n_playlists = n_sim / 40;
  } else {
    params.design.n_playlists = spc * k;
  }
  params.design.raters_per_playlist.assign(params.design.n_playlists, 50);
  if (params.design.n_playlists == 21) params.design.raters_per_playlist.back() = 51;
  params.design.category_names = in.category_names;
  detail::check_parameters(params, fn);  // simulate_study's checks, under the name called
  const simulated_study st = simulate_study(params, seed);
  std::vector<std::size_t> to_input(n_sim, n_sim);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = in.stimuli[i];
    const std::size_t sim = (s.label * spc + source_rank[s.source]) * n_cond + sim_cond[s.condition];
    if (to_input[sim] != n_sim)
      detail::fail(fn, "stimuli '", in.stimuli[to_input[sim]].id, "' and '", s.id,
                   "' are the same source and condition");
    to_input[sim] = i;
  }
  if (votes) {
    vote_table v;
    v.item.reserve(st.votes.size());
    for (std::size_t q = 0; q < st.votes.size(); ++q)
      v.add(static_cast<std::uint32_t>(to_input[st.votes.item[q]]), st.votes.rater[q], st.votes.label[q]);
    v.n_items = n;
    v.n_raters = st.votes.n_raters;
    v.rater_names = st.votes.rater_names;
    for (const auto& s : in.stimuli) v.item_names.push_back(s.id);
    v.category_names = in.category_names;
    in.votes = std::move(v);
    in.votes_origin = data_origin::simulated;
    in.raters_identified = true;
  }
  if (models)
    for (std::size_t m = 0; m < st.model_names.size(); ++m) {
      bool have = false;
      for (const auto& p : in.models) have = have || p.name == st.model_names[m];
      if (have) continue;
      reproduction_predictor p;
      p.name = st.model_names[m];
      p.origin = data_origin::simulated;
      p.labels.resize(n);
      for (std::size_t sim = 0; sim < n_sim; ++sim) p.labels[to_input[sim]] = st.predictions[m][sim];
      in.models.push_back(std::move(p));
    }
}

}  // namespace detail

inline void simulate_missing(reproduction_input& in, simulation_parameters params, std::uint64_t seed, bool votes,
                             bool models) {
  detail::simulate_missing_as(in, std::move(params), seed, votes, models, "simulate_missing");
}

/// The reproduction input of a whole simulated study (all simulated; stimulus ids as the
/// simulation names them, sources "src<s>"). Throws disfer::error (named
/// `simulated_reproduction_input`) as simulate_missing.
inline reproduction_input simulated_reproduction_input(const simulation_parameters& params, std::uint64_t seed) {
  constexpr const char* fn = "simulated_reproduction_input";
  detail::check_parameters(params, fn);  // before the design's stimuli are listed
  reproduction_input in;
  in.category_names = params.design.category_names;
  if (in.category_names.empty())
    for (std::size_t j = 0; j < params.design.k; ++j) in.category_names.push_back(detail::concat("class", j));
  in.conditions = params.design.conditions;
  const std::size_t n_cond = params.design.conditions.size(), k = params.design.k;
  for (std::size_t s = 0; s < k * params.design.sources_per_class; ++s)
    for (std::size_t c = 0; c < n_cond; ++c) {
      reproduction_stimulus st;
      char id[24];
      std::snprintf(id, sizeof id, "src%03zu", s);
      st.source = id;
      st.id = st.source + "_" + params.design.conditions[c].name;
      st.label = static_cast<std::uint32_t>(s / params.design.sources_per_class);
      st.condition = c;
      in.stimuli.push_back(st);
    }
  detail::simulate_missing_as(in, params, seed, true, true, fn);
  return in;
}

}  // namespace disfer
