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
  std::vector<std::uint32_t> stimulus_label;  ///< dataset label per stimulus
  std::vector<std::string> predictor_names;
  std::vector<data_origin> predictor_origin;  ///< humans: the votes' origin
  data_origin votes_origin = data_origin::measured;
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
  /// Index of a predictor by name; throws disfer::error when absent.
  std::size_t predictor(const std::string& name) const {
    for (std::size_t i = 0; i < predictor_names.size(); ++i)
      if (predictor_names[i] == name) return i;
    detail::fail("reproduction_result::predictor", "no predictor named '", name, "'");
  }
};

namespace detail {

// The writers index the result as compute_reproduction builds it: refuse a default-constructed or
// hand-built result whose predictor lists disagree (instead of reading out of bounds).
inline void check_reproduction_result(const char* fn, const reproduction_result& r) {
  const std::size_t np = r.predictor_names.size();
  if (np == 0 || r.per_condition.subsets.empty() || r.per_condition.subsets.front().level != subset_level::overall)
    fail(fn, "the result is empty or incomplete (not computed by compute_reproduction)");
  if (r.predictor_origin.size() != np || r.accuracy_without_always_misclassified.size() != np)
    fail(fn, "the result has ", np, " predictors but ", r.predictor_origin.size(), " origins and ",
         r.accuracy_without_always_misclassified.size(), " accuracies without always-misclassified sources");
  for (const auto& s : r.per_condition.subsets)
    if (s.predictors.size() != np)
      fail(fn, "subset '", s.name, "' has ", s.predictors.size(), " predictors; the result names ", np);
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
  r.votes_origin = in.votes_origin;
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
  }
  r.n_sources = r.source_names.size();
  if (in.votes.n_items != n) detail::fail(fn, "the votes name ", in.votes.n_items, " stimuli; there are ", n);
  detail::check_votes(fn, in.votes, k);
  st.votes = in.votes;
  r.n_votes = in.votes.size();
  r.n_raters = in.votes.n_raters;
  r.predictor_names.push_back("humans");
  r.predictor_origin.push_back(in.votes_origin);
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
  return r;
}

}  // namespace disfer
