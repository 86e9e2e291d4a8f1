#pragma once
/// \file
/// The whole DisFER reproduction as one computation: from stimuli (source, dataset label,
/// condition), crowd votes and the labels of any number of named predictors, every result of
/// Lévêque et al. (2022): overall and per-condition accuracies with Wilson intervals, McNemar for
/// every pair beside Durkalski's clustered test, Fleiss' kappa, the P_i counts, Table 1 (P_i over
/// the versions of the sources the majority gets wrong in every version), per-participant
/// accuracy, accuracies without those sources, per-class precision and recall, and the
/// off-diagonal error correlation of each model with the humans per condition and type.
/// Every input carries its origin (measured or simulated), so every result can say which it is.
/// The predictor list is open: any number of named label vectors (pre-trained models, fine-tuned
/// ones, a user's own).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "disfer/compare/per_condition.hpp"
#include "disfer/core/error.hpp"
#include "disfer/crowd/votes.hpp"
#include "disfer/report/table.hpp"
#include "disfer/simulate/study.hpp"
#include "disfer/simulate/summary.hpp"

namespace disfer {

/// What a row comparing a measured with a simulated predictor says instead of a test.
inline constexpr const char* untested_note = "not tested (measured vs simulated)";

/// One stimulus of a reproduction.
struct reproduction_stimulus {
  std::string id;             ///< as in the votes and prediction files
  std::string source;         ///< the source face it was made from (e.g. "fer28712"): the cluster
  std::uint32_t label = 0;    ///< dataset label, index into reproduction_input::category_names
  std::size_t condition = 0;  ///< index into reproduction_input::conditions
};

/// One predictor's labels, one per stimulus (in the order of reproduction_input::stimuli).
struct reproduction_predictor {
  std::string name;
  std::vector<std::uint32_t> labels;
  data_origin origin = data_origin::measured;
};

/// Everything a reproduction is computed from.
struct reproduction_input {
  std::vector<std::string> category_names;  ///< k names, in label-index order
  /// The conditions (name, family, severity, level); family indexes family_names.
  std::vector<study_condition> conditions;
  /// Name of each family (distortion type); empty: "original", "GB", "GN", "SP", then "family <f>".
  std::vector<std::string> family_names;
  std::vector<reproduction_stimulus> stimuli;
  vote_table votes;  ///< item = index into stimuli; rater_names used for per-participant rows
  data_origin votes_origin = data_origin::measured;
  /// The votes' origin per condition (one entry per condition) where it differs between conditions,
  /// e.g. FER+'s real votes on the originals and the simulation's elsewhere; empty: votes_origin
  /// on every condition.
  std::vector<data_origin> votes_origin_by_condition;
  /// False when the votes come from a count table: raters are then anonymous slots, and
  /// per-participant accuracy is not reported.
  bool raters_identified = true;
  std::vector<reproduction_predictor> models;  ///< the open list of predictors besides the humans
};

/// Options of compute_reproduction.
struct reproduction_options {
  std::uint64_t seed = 0;  ///< majority-vote tie-breaking and the cluster bootstrap
  tie_policy ties = tie_policy::random;
  mcnemar_method mcnemar = mcnemar_method::exact;
  double level = 0.95;                        ///< every interval
  std::uint64_t bootstrap_replicates = 1000;  ///< cluster bootstrap of accuracy differences (0 = none)
  unsigned threads = 1;                       ///< bootstrap threads; never changes the result
  /// false (reproduce_disfer --simulate none): every result that rests in whole or in part on
  /// simulated data is left out of every output (tables, CSV, JSON, figures, report), so only
  /// measured results appear. Comparisons between a measured and a simulated predictor are never
  /// tested, whatever this says (see compute_reproduction).
  bool report_simulated = true;
};

/// Table 1: P_i over the versions of one source misclassified by the majority in every version.
struct always_misclassified_source {
  std::string source;
  std::uint32_t label = 0;                    ///< dataset label
  std::int64_t majority = -1;                 ///< majority vote on the undistorted version (first version if none)
  std::size_t versions = 0;                   ///< stimuli of the source
  double mean = 0, sd = 0, min = 0, max = 0;  ///< of P_i over the versions (sd with n - 1)
};

/// One participant.
struct participant_row {
  std::string rater;
  std::int64_t votes = 0, correct = 0;
  double accuracy = 0;  ///< correct / votes (against the dataset labels)
};

/// The results of a reproduction (see the file comment). Predictor 0 is always "humans" (the
/// majority vote); then the models of the input, in order.
struct reproduction_result {
  std::vector<std::string> category_names;
  std::vector<study_condition> conditions;
  std::vector<std::string> family_names;
  std::vector<std::string> stimulus_ids;
  std::vector<std::uint32_t> stimulus_label;    ///< dataset label per stimulus
  std::vector<std::size_t> stimulus_condition;  ///< condition index per stimulus
  std::vector<std::string> predictor_names;
  std::vector<data_origin> predictor_origin;           ///< humans: the votes' origin
  data_origin votes_origin = data_origin::measured;    ///< over every condition
  std::vector<data_origin> votes_origin_by_condition;  ///< one per condition
  bool raters_identified = true;
  std::size_t n_sources = 0, n_raters = 0, n_votes = 0;
  reproduction_options options;
  study_summary summary;                  ///< kappa, P_i, participants, always-misclassified, ...
  per_condition_result per_condition;     ///< accuracies, confusion, McNemar pairs, correlations (reference humans)
  std::vector<std::string> source_names;  ///< index = source number used by summary.always_misclassified
  std::vector<always_misclassified_source> table1;
  std::vector<participant_row> participants;  ///< empty when raters are not identified
  /// Per predictor: accuracy on the stimuli of the sources not misclassified in every version.
  std::vector<double> accuracy_without_always_misclassified;

  /// Origin of a result that combines predictors a and b.
  data_origin origin(std::size_t a, std::size_t b) const { return combine(predictor_origin[a], predictor_origin[b]); }
  /// The votes' origin on the conditions `in` selects (votes_origin when it selects none).
  template <typename Select>
  data_origin votes_origin_where(Select in) const {
    if (votes_origin_by_condition.size() != conditions.size()) return votes_origin;
    bool any = false;
    data_origin o = votes_origin;
    for (std::size_t c = 0; c < conditions.size(); ++c) {
      if (!in(conditions[c])) continue;
      o = any ? combine(o, votes_origin_by_condition[c]) : votes_origin_by_condition[c];
      any = true;
    }
    return o;
  }
  /// The votes' origin on the conditions of subset s.
  data_origin votes_origin_on(const subset_result& s) const {
    if (s.level == subset_level::overall) return votes_origin;
    if (s.level == subset_level::condition)
      return votes_origin_where([&](const study_condition& c) { return c.name == s.name; });
    return votes_origin_where(
        [&](const study_condition& c) { return c.family < family_names.size() && family_names[c.family] == s.name; });
  }
  /// The names of the conditions whose votes are measured, comma-separated ("" when none).
  std::string conditions_with_measured_votes() const {
    std::string names;
    for (std::size_t c = 0; c < conditions.size() && c < votes_origin_by_condition.size(); ++c)
      if (votes_origin_by_condition[c] == data_origin::measured)
        names += (names.empty() ? "" : ", ") + conditions[c].name;
    return names;
  }
  /// Origin of predictor p's labels on subset s (the humans': the votes' there).
  data_origin origin_on(std::size_t p, const subset_result& s) const {
    return p == 0 ? votes_origin_on(s) : predictor_origin[p];
  }
  /// Origin of a comparison of predictors a and b on subset s.
  data_origin origin_on(std::size_t a, std::size_t b, const subset_result& s) const {
    return combine(origin_on(a, s), origin_on(b, s));
  }
  /// Whether a result of origin o appears in the outputs: measured ones always, the others unless
  /// options.report_simulated is false.
  bool reported(data_origin o) const { return o == data_origin::measured || options.report_simulated; }
  /// Index of a predictor by name; throws disfer::error when absent.
  std::size_t predictor(const std::string& name) const {
    for (std::size_t i = 0; i < predictor_names.size(); ++i)
      if (predictor_names[i] == name) return i;
    detail::fail("reproduction_result::predictor", "no predictor named '", name, "'");
  }
};

namespace detail {

// The writers index the result as compute_reproduction builds it. check_reproduction_result
// refuses a default-constructed, hand-built or hand-edited result whose tables disagree, before
// anything is read or written, with the writer's name, the table and the index. Each helper checks
// what the writers index in one part of the result; O(size of the result) in all.

// Predictor lists, the overall subset, the categories; returns the predictor index by name.
inline std::map<std::string, std::size_t> check_result_predictors(const char* fn, const reproduction_result& r) {
  const std::size_t np = r.predictor_names.size();
  if (np == 0 || r.per_condition.subsets.empty() || r.per_condition.subsets.front().level != subset_level::overall)
    fail(fn, "the result is empty or incomplete (not computed by compute_reproduction)");
  if (r.predictor_origin.size() != np || r.accuracy_without_always_misclassified.size() != np)
    fail(fn, "the result has ", np, " predictors but ", r.predictor_origin.size(), " origins and ",
         r.accuracy_without_always_misclassified.size(), " accuracies without always-misclassified sources");
  if (r.predictor_names[0] != "humans")
    fail(fn, "predictor 0 is named '", r.predictor_names[0], "'; it must be 'humans' (the majority vote)");
  std::map<std::string, std::size_t> index;
  for (std::size_t p = 0; p < np; ++p)
    if (!index.emplace(r.predictor_names[p], p).second)
      fail(fn, "two predictors are named '", r.predictor_names[p], "'");
  if (r.category_names.size() < 2) fail(fn, "the result has ", r.category_names.size(), " categories; at least 2");
  return index;
}

// Stimuli: labels, and the summary's per-stimulus tables.
inline void check_result_stimuli(const char* fn, const reproduction_result& r) {
  const std::size_t n = r.stimulus_ids.size(), k = r.category_names.size(), np = r.predictor_names.size();
  if (r.stimulus_label.size() != n)
    fail(fn, "stimulus_label has ", r.stimulus_label.size(), " entries for ", n, " stimulus_ids");
  if (r.stimulus_condition.size() != n)
    fail(fn, "stimulus_condition has ", r.stimulus_condition.size(), " entries for ", n, " stimulus_ids");
  if (r.votes_origin_by_condition.size() != r.conditions.size())
    fail(fn, "votes_origin_by_condition has ", r.votes_origin_by_condition.size(), " entries for ", r.conditions.size(),
         " conditions");
  for (std::size_t i = 0; i < n; ++i)
    if (r.stimulus_condition[i] >= r.conditions.size())
      fail(fn, "stimulus '", r.stimulus_ids[i], "' (index ", i, ") has condition ", r.stimulus_condition[i],
           "; there are ", r.conditions.size());
  for (std::size_t i = 0; i < n; ++i)
    if (r.stimulus_label[i] >= k)
      fail(fn, "stimulus '", r.stimulus_ids[i], "' (index ", i, ") has label ", r.stimulus_label[i], "; k = ", k);
  const auto& s = r.summary;
  if (s.predictors.size() != np)
    fail(fn, "summary.predictors has ", s.predictors.size(), " entries; the result names ", np, " predictors");
  for (std::size_t p = 0; p < np; ++p) {
    const auto& labels = s.predictors[p].labels;
    if (labels.size() != n)
      fail(fn, "summary, predictor '", r.predictor_names[p], "': ", labels.size(), " labels for ", n, " stimuli");
    for (std::size_t i = 0; i < n; ++i)
      if (labels[i] >= k)
        fail(fn, "summary, predictor '", r.predictor_names[p], "': stimulus '", r.stimulus_ids[i], "' (index ", i,
             ") has label ", labels[i], "; k = ", k);
  }
  if (static_cast<std::size_t>(s.p_i.size()) != n)
    fail(fn, "summary.p_i has ", s.p_i.size(), " entries for ", n, " stimuli");
  if (static_cast<std::size_t>(s.counts.rows()) != n || static_cast<std::size_t>(s.counts.cols()) != k)
    fail(fn, "summary.counts is ", s.counts.rows(), " x ", s.counts.cols(), "; ", n, " stimuli, k = ", k);
  if (s.high_agreement_by_label.size() != k)
    fail(fn, "summary.high_agreement_by_label has ", s.high_agreement_by_label.size(), " entries; k = ", k);
  if (s.offdiag_r_mean.size() != np - 1)
    fail(fn, "summary.offdiag_r_mean has ", s.offdiag_r_mean.size(), " entries for ", np - 1, " models");
}

// Subsets: predictors in the result's order, k x k confusion matrices, k classes of metrics, the
// pairs (a, b) in order, correlations naming predictors; the conditions' families.
inline void check_result_subsets(const char* fn, const reproduction_result& r,
                                 const std::map<std::string, std::size_t>& index) {
  const std::size_t np = r.predictor_names.size(), k = r.category_names.size();
  for (const auto& s : r.per_condition.subsets) {
    if (s.predictors.size() != np)
      fail(fn, "subset '", s.name, "' has ", s.predictors.size(), " predictors; the result names ", np);
    for (std::size_t p = 0; p < np; ++p) {
      const auto& q = s.predictors[p];
      if (q.name != r.predictor_names[p])
        fail(fn, "subset '", s.name, "', predictor ", p, " is '", q.name, "'; the result names '", r.predictor_names[p],
             "'");
      if (static_cast<std::size_t>(q.confusion.rows()) != k || static_cast<std::size_t>(q.confusion.cols()) != k)
        fail(fn, "subset '", s.name, "', predictor '", q.name, "': the confusion matrix is ", q.confusion.rows(), " x ",
             q.confusion.cols(), "; k = ", k);
      if (q.metrics.per_class.size() != k)
        fail(fn, "subset '", s.name, "', predictor '", q.name, "': the metrics have ", q.metrics.per_class.size(),
             " classes; k = ", k);
    }
    if (s.pairs.size() != np * (np - 1) / 2)
      fail(fn, "subset '", s.name, "' has ", s.pairs.size(), " McNemar pairs; ", np, " predictors make ",
           np * (np - 1) / 2);
    std::size_t q = 0;
    for (std::size_t a = 0; a < np; ++a)
      for (std::size_t b = a + 1; b < np; ++b, ++q)
        if (s.pairs[q].a != r.predictor_names[a] || s.pairs[q].b != r.predictor_names[b])
          fail(fn, "subset '", s.name, "', McNemar pair ", q, " is '", s.pairs[q].a, "' vs '", s.pairs[q].b,
               "'; the predictors give '", r.predictor_names[a], "' vs '", r.predictor_names[b], "'");
    for (std::size_t c = 0; c < s.correlations.size(); ++c)
      if (index.find(s.correlations[c].predictor) == index.end())
        fail(fn, "subset '", s.name, "', correlation ", c, " names predictor '", s.correlations[c].predictor,
             "', which the result does not have");
  }
  for (std::size_t c = 0; c < r.conditions.size(); ++c) {
    const auto& cond = r.conditions[c];
    if (cond.family >= r.family_names.size())
      fail(fn, "condition '", cond.name, "' (index ", c, ") has family ", cond.family, "; there are ",
           r.family_names.size(), " family_names");
  }
}

// Sources, Table 1 and the participants.
inline void check_result_tables(const char* fn, const reproduction_result& r) {
  const std::size_t k = r.category_names.size();
  if (r.source_names.size() != r.n_sources)
    fail(fn, "source_names has ", r.source_names.size(), " names; n_sources = ", r.n_sources);
  const auto& am = r.summary.always_misclassified;
  for (std::size_t i = 0; i < am.size(); ++i)
    if (am[i] >= r.source_names.size())
      fail(fn, "summary.always_misclassified[", i, "] is source ", am[i], "; there are ", r.source_names.size(),
           " source_names");
  if (r.table1.size() != am.size())
    fail(fn, "table1 has ", r.table1.size(), " rows; summary.always_misclassified names ", am.size(), " sources");
  for (std::size_t i = 0; i < r.table1.size(); ++i) {
    const auto& t = r.table1[i];
    if (t.label >= k) fail(fn, "table1 row ", i, " (source '", t.source, "') has label ", t.label, "; k = ", k);
    if (t.majority >= 0 && static_cast<std::uint64_t>(t.majority) >= k)
      fail(fn, "table1 row ", i, " (source '", t.source, "') has majority ", t.majority, "; k = ", k);
  }
  if (r.raters_identified && r.participants.size() != r.n_raters)
    fail(fn, "participants has ", r.participants.size(), " rows; n_raters = ", r.n_raters);
  if (!r.raters_identified && !r.participants.empty())
    fail(fn, "participants has ", r.participants.size(), " rows but the raters are not identified");
}

// The subset of that level and name; nullptr when there is none (a condition no stimulus has).
inline const subset_result* subset_of(const reproduction_result& r, subset_level level, const std::string& name) {
  for (const auto& s : r.per_condition.subsets)
    if (s.level == level && s.name == name) return &s;
  return nullptr;
}

inline void check_reproduction_result(const char* fn, const reproduction_result& r) {
  const auto index = check_result_predictors(fn, r);
  check_result_stimuli(fn, r);
  check_result_subsets(fn, r, index);
  check_result_tables(fn, r);
}

}  // namespace detail

namespace detail {

// A comparison of a measured with a simulated predictor (origin mixed) is not a finding: its test
// statistics, p-values, intervals and correlations become NaN ("not tested"; the counts stay), and
// the multiplicity family of a subset's pairs is its measured pairs, or its simulated pairs, never
// a mixture (so adding simulated predictors changes no measured adjusted p). With every input of
// one origin this is the adjustment analyze_per_condition made. O(subsets x pairs log pairs).
inline void leave_mixed_untested(reproduction_result& r, p_adjustment how) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr data_origin mixed = data_origin::mixed;
  const std::size_t np = r.predictor_names.size();
  for (auto& s : r.per_condition.subsets) {
    std::vector<data_origin> o;
    for (std::size_t a = 0; a < np; ++a)
      for (std::size_t b = a + 1; b < np; ++b) o.push_back(r.origin_on(a, b, s));
    for (std::size_t q = 0; q < s.pairs.size(); ++q) {
      if (o[q] != mixed) continue;
      auto& t = s.pairs[q];
      t.test.statistic = t.test.p_value = t.test.log10_p_value = t.p_adjusted = t.log10_p_adjusted = nan;
      t.odds_ratio.odds_ratio = t.odds_ratio.ci_low = t.odds_ratio.ci_high = nan;
      t.clustered.statistic = t.clustered.p_value = t.clustered.log10_p_value = nan;
    }
    for (const data_origin family : {data_origin::measured, data_origin::simulated}) {
      std::vector<std::size_t> members;
      std::vector<double> p, log_p;
      for (std::size_t q = 0; q < s.pairs.size(); ++q)
        if (o[q] == family && !std::isnan(s.pairs[q].test.p_value)) {
          members.push_back(q);
          p.push_back(s.pairs[q].test.p_value);
          log_p.push_back(s.pairs[q].test.log10_p_value);
        }
      const auto adjusted = adjust_p_values(p, how), adjusted_log = adjust_log10_p_values(log_p, how);
      for (std::size_t f = 0; f < members.size(); ++f) {
        s.pairs[members[f]].p_adjusted = adjusted[f];
        s.pairs[members[f]].log10_p_adjusted = adjusted_log[f];
      }
    }
    for (auto& d : s.bootstrap)
      if (r.origin_on(r.predictor(d.a), r.predictor(d.b), s) == mixed)
        d.difference = d.ci_low = d.ci_high = d.standard_error = nan;
    for (auto& c : s.correlations)
      if (r.origin_on(r.predictor(c.reference), r.predictor(c.predictor), s) == mixed)
        c.correlation.r = c.correlation.p_value = c.correlation.ci_low = c.correlation.ci_high = nan;
  }
  auto& sm = r.summary;
  for (std::size_t a = 0; a < sm.mcnemar_log10_p.size() && a < np; ++a)
    for (std::size_t b = 0; b < sm.mcnemar_log10_p[a].size() && b < np; ++b)
      if (r.origin(a, b) == mixed) sm.mcnemar_log10_p[a][b] = nan;
  for (std::size_t m = 0; m + 1 < np; ++m) {
    const data_origin model = r.predictor_origin[m + 1];
    if (m < sm.offdiag_r_by_condition.size()) {
      auto& by_c = sm.offdiag_r_by_condition[m];
      double sum = 0;
      std::size_t defined = 0;
      for (std::size_t c = 0; c < by_c.size(); ++c) {
        if (c < r.votes_origin_by_condition.size() && combine(r.votes_origin_by_condition[c], model) == mixed)
          by_c[c] = nan;
        if (!std::isnan(by_c[c])) sum += by_c[c], ++defined;
      }
      // The mean over conditions compares the model with every condition's votes: mixed when they are.
      if (m < sm.offdiag_r_mean.size())
        sm.offdiag_r_mean[m] =
            defined > 0 && combine(r.votes_origin, model) != mixed ? sum / static_cast<double>(defined) : nan;
    }
    if (m < sm.offdiag_r_by_family.size())
      for (std::size_t f = 0; f < sm.offdiag_r_by_family[m].size(); ++f) {
        const data_origin votes = r.votes_origin_where([f](const study_condition& c) { return c.family == f; });
        if (combine(votes, model) == mixed) sm.offdiag_r_by_family[m][f] = nan;
      }
    // The model's accuracy without the sources the humans get wrong in every version.
    if (r.origin(0, m + 1) == mixed) r.accuracy_without_always_misclassified[m + 1] = nan;
  }
}

}  // namespace detail

/// The name of family f: family_names[f] when given, else "original", "GB", "GN", "SP", "family <f>".
inline std::string family_name(const std::vector<std::string>& names, std::size_t f) {
  if (f < names.size()) return names[f];
  static const char* d[] = {"original", "GB", "GN", "SP"};
  return f < 4 ? d[f] : detail::concat("family ", f);
}

/// Computes the reproduction (see reproduction_result). Uses summarize_study (crowd, agreement,
/// metrics) and analyze_per_condition (Wilson intervals, McNemar and its clustered version over
/// the sources, off-diagonal correlation of row-normalised confusion matrices with the humans',
/// cluster bootstrap). Complexity O(votes + stimuli (k + predictors^2) + B sources subsets pairs).
/// Throws disfer::error (named `compute_reproduction`) for fewer than 2 categories, no stimuli, a
/// stimulus label or condition out of range, a vote naming no stimulus, a stimulus without votes,
/// a predictor whose label count differs from the stimuli or a label out of range, a predictor
/// named "humans" or two predictors of one name.
inline reproduction_result compute_reproduction(const reproduction_input& in,
                                                const reproduction_options& options = {}) {
  constexpr const char* fn = "compute_reproduction";
  const std::size_t k = in.category_names.size(), n = in.stimuli.size();
  if (k < 2) detail::fail(fn, "there are ", k, " categories; at least 2 are needed");
  if (n == 0) detail::fail(fn, "there are no stimuli");
  if (in.conditions.empty()) detail::fail(fn, "there are no conditions");
  reproduction_result r;
  r.category_names = in.category_names;
  r.conditions = in.conditions;
  r.raters_identified = in.raters_identified;
  r.options = options;
  std::size_t n_families = 1;
  for (const auto& c : in.conditions) n_families = std::max(n_families, c.family + 1);
  for (std::size_t f = 0; f < n_families; ++f) r.family_names.push_back(family_name(in.family_names, f));

  simulated_study st;
  st.seed = options.seed;
  st.k = k;
  st.category_names = in.category_names;
  st.conditions = in.conditions;
  std::map<std::string, std::uint32_t> source_index;
  st.stimuli.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = in.stimuli[i];
    if (s.label >= k) detail::fail(fn, "stimulus '", s.id, "' has label ", s.label, "; k = ", k);
    if (s.condition >= in.conditions.size())
      detail::fail(fn, "stimulus '", s.id, "' has condition ", s.condition, "; there are ", in.conditions.size());
    const auto it = source_index.emplace(s.source, static_cast<std::uint32_t>(r.source_names.size())).first;
    if (it->second == r.source_names.size()) r.source_names.push_back(s.source);
    st.stimuli[i].source = it->second;
    st.stimuli[i].condition = static_cast<std::uint32_t>(s.condition);
    st.stimuli[i].label = s.label;
    st.stimuli[i].name = s.id;
    r.stimulus_ids.push_back(s.id);
    r.stimulus_label.push_back(s.label);
    r.stimulus_condition.push_back(s.condition);
  }
  r.n_sources = r.source_names.size();
  if (!in.votes_origin_by_condition.empty() && in.votes_origin_by_condition.size() != in.conditions.size())
    detail::fail(fn, "votes_origin_by_condition has ", in.votes_origin_by_condition.size(), " entries for ",
                 in.conditions.size(), " conditions");
  r.votes_origin_by_condition = in.votes_origin_by_condition;
  if (r.votes_origin_by_condition.empty()) r.votes_origin_by_condition.assign(in.conditions.size(), in.votes_origin);
  {  // over the conditions that have stimuli
    std::vector<std::uint8_t> used(in.conditions.size(), 0);
    for (const auto& s : in.stimuli) used[s.condition] = 1;
    bool any = false;
    for (std::size_t c = 0; c < used.size(); ++c)
      if (used[c]) {
        r.votes_origin = any ? combine(r.votes_origin, r.votes_origin_by_condition[c]) : r.votes_origin_by_condition[c];
        any = true;
      }
  }
  if (in.votes.n_items != n) detail::fail(fn, "the votes name ", in.votes.n_items, " stimuli; there are ", n);
  detail::check_votes(fn, in.votes, k);
  st.votes = in.votes;
  r.n_votes = in.votes.size();
  r.n_raters = in.votes.n_raters;
  r.predictor_names.push_back("humans");
  r.predictor_origin.push_back(r.votes_origin);
  for (const auto& m : in.models) {
    if (std::find(r.predictor_names.begin(), r.predictor_names.end(), m.name) != r.predictor_names.end())
      detail::fail(fn, "two predictors are named '", m.name, "' (\"humans\" is the majority vote)");
    if (m.labels.size() != n)
      detail::fail(fn, "predictor '", m.name, "' has ", m.labels.size(), " labels for ", n, " stimuli");
    for (std::size_t i = 0; i < n; ++i)
      if (m.labels[i] >= k)
        detail::fail(fn, "predictor '", m.name, "' gives stimulus '", in.stimuli[i].id, "' label ", m.labels[i],
                     "; k = ", k);
    r.predictor_names.push_back(m.name);
    r.predictor_origin.push_back(m.origin);
    st.model_names.push_back(m.name);
    st.predictions.push_back(m.labels);
  }

  summary_options so;
  so.ties = options.ties;
  so.mcnemar = options.mcnemar;
  r.summary = summarize_study(st, so);

  per_condition_input pc;
  pc.k = k;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = in.conditions[in.stimuli[i].condition];
    pc.truth.push_back(in.stimuli[i].label);
    pc.condition.push_back(c.name);
    pc.distortion_type.push_back(r.family_names[c.family]);
    pc.source.push_back(in.stimuli[i].source);
  }
  for (const auto& p : r.summary.predictors)
    pc.predictions.push_back(
        {r.predictor_names[pc.predictions.size()], std::vector<std::int64_t>(p.labels.begin(), p.labels.end())});
  per_condition_options po;
  po.level = options.level;
  po.test = options.mcnemar;
  po.reference = "humans";
  po.correlation_normalization = normalization::row;
  po.bootstrap_replicates = options.bootstrap_replicates;
  po.seed = options.seed;
  po.threads = options.threads;
  r.per_condition = analyze_per_condition(pc, po);

  // Table 1.
  const auto& human = r.summary.predictors[0].labels;
  for (const std::uint32_t src : r.summary.always_misclassified) {
    always_misclassified_source row;
    row.source = r.source_names[src];
    std::vector<double> p;
    for (std::size_t i = 0; i < n; ++i) {
      if (st.stimuli[i].source != src) continue;
      row.label = in.stimuli[i].label;
      if (row.majority < 0 || in.conditions[in.stimuli[i].condition].family == 0) row.majority = human[i];
      p.push_back(r.summary.p_i[static_cast<Eigen::Index>(i)]);
    }
    row.versions = p.size();
    double sum = 0;
    row.min = p.front();
    row.max = p.front();
    for (double v : p) sum += v, row.min = std::min(row.min, v), row.max = std::max(row.max, v);
    row.mean = sum / static_cast<double>(p.size());
    double ss = 0;
    for (double v : p) ss += (v - row.mean) * (v - row.mean);
    row.sd =
        p.size() > 1 ? std::sqrt(ss / static_cast<double>(p.size() - 1)) : std::numeric_limits<double>::quiet_NaN();
    r.table1.push_back(row);
  }

  // Per participant.
  if (in.raters_identified) {
    r.participants.resize(in.votes.n_raters);
    for (std::size_t v = 0; v < in.votes.size(); ++v) {
      auto& p = r.participants[in.votes.rater[v]];
      ++p.votes;
      if (in.votes.label[v] == in.stimuli[in.votes.item[v]].label) ++p.correct;
    }
    for (std::size_t q = 0; q < r.participants.size(); ++q) {
      auto& p = r.participants[q];
      p.rater = q < in.votes.rater_names.size() ? in.votes.rater_names[q] : detail::concat("rater", q);
      p.accuracy = p.votes > 0 ? static_cast<double>(p.correct) / static_cast<double>(p.votes)
                               : std::numeric_limits<double>::quiet_NaN();
    }
  }

  // Accuracy without the always-misclassified sources.
  std::vector<std::uint8_t> excluded(r.n_sources, 0);
  for (const auto s : r.summary.always_misclassified) excluded[s] = 1;
  for (const auto& p : r.summary.predictors) {
    std::int64_t right = 0, total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (excluded[st.stimuli[i].source]) continue;
      ++total;
      right += p.labels[i] == in.stimuli[i].label;
    }
    r.accuracy_without_always_misclassified.push_back(
        total > 0 ? static_cast<double>(right) / static_cast<double>(total) : std::numeric_limits<double>::quiet_NaN());
  }
  detail::leave_mixed_untested(r, po.adjustment);
  return r;
}

}  // namespace disfer
