#pragma once
/// \file
/// reproduction.json: the provenance, the inputs' origins and every result of a reproduction.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "disfer/core/random.hpp"
#include "disfer/report/json.hpp"
#include "disfer/report/provenance.hpp"
#include "disfer/report/reproduction_csv.hpp"
#include "disfer/version.hpp"

namespace disfer {

/// reproduction.json: { provenance, inputs' origins, and every result }. Deterministic: keys in a
/// fixed order, numbers in shortest round-trip form, NaN as null.
inline void write_reproduction_json(std::ostream& out, const reproduction_result& r,
                                    const reproduction_provenance& prov) {
  detail::check_reproduction_result("write_reproduction_json", r);
  json_writer j(out);
  j.begin_object();
  j.key("provenance").begin_object();
  j.key("program").value(prov.program);
  j.key("disfer_version").value(std::string(version_string));
  j.key("random_stream_version").value(static_cast<std::uint64_t>(random_stream_version));
  j.key("seed").value(r.options.seed);
  j.key("bootstrap_replicates").value(r.options.bootstrap_replicates);
  j.key("confidence_level").value(r.options.level);
  j.key("report_simulated").value(r.options.report_simulated);
  j.key("options").begin_object();
  for (const auto& [k, v] : prov.options) j.key(k).value(v);
  j.end_object();
  j.key("bad_rows").value(std::string(name(prov.bad_rows)));
  if (prov.simd_path.empty())
    j.key("simd_path").null();
  else
    j.key("simd_path").value(prov.simd_path);
  j.key("inputs").begin_array();
  const std::vector<std::string> none;
  for (const auto& f : prov.inputs) {
    j.begin_object().key("role").value(f.role).key("path").value(f.path).key("sha256").value(f.sha256);
    const std::vector<std::string>* reasons = &none;
    for (const auto& skipped : prov.skipped)
      if (skipped.role == f.role) reasons = &skipped.reasons;
    j.key("skipped_rows").value(static_cast<std::uint64_t>(reasons->size()));
    j.key("skipped_reasons").begin_array();
    for (const auto& reason : *reasons) j.value(reason);
    j.end_array().end_object();
  }
  j.end_array();
  j.end_object();
  j.key("data").begin_object();
  // Without report_simulated, what was not measured is not named: null votes, no such predictor.
  if (r.reported(r.votes_origin)) {
    j.key("votes").value(name(r.votes_origin));
  } else {
    j.key("votes").null();
  }
  j.key("votes_by_condition").begin_object();
  for (std::size_t c = 0; c < r.conditions.size(); ++c)
    if (r.reported(r.votes_origin_by_condition[c]))
      j.key(r.conditions[c].name).value(name(r.votes_origin_by_condition[c]));
  j.end_object();
  j.key("predictors").begin_object();
  for (std::size_t p = 0; p < r.predictor_names.size(); ++p)
    if (r.reported(r.predictor_origin[p])) j.key(r.predictor_names[p]).value(name(r.predictor_origin[p]));
  j.end_object();
  j.key("stimuli").value(static_cast<std::uint64_t>(r.stimulus_ids.size()));
  j.key("sources").value(static_cast<std::uint64_t>(r.n_sources));
  if (r.reported(r.votes_origin)) {
    j.key("raters").value(static_cast<std::uint64_t>(r.n_raters));
    j.key("votes_count").value(static_cast<std::uint64_t>(r.n_votes));
  } else {
    j.key("raters").null().key("votes_count").null();
  }
  j.key("categories").begin_array();
  for (const auto& c : r.category_names) j.value(c);
  j.end_array();
  j.key("conditions").begin_array();
  for (const auto& c : r.conditions) j.value(c.name);
  j.end_array();
  j.end_object();

  j.key("accuracy").begin_array();
  for (const auto& s : r.per_condition.subsets)
    for (std::size_t p = 0; p < s.predictors.size(); ++p) {
      if (!r.reported(r.origin_on(p, s))) continue;
      const auto& a = s.predictors[p].accuracy;
      j.begin_object().key("level").value(detail::level_name(s.level)).key("subset").value(s.name);
      j.key("predictor").value(s.predictors[p].name).key("origin").value(name(r.origin_on(p, s)));
      j.key("stimuli").value(a.trials).key("correct").value(a.successes).key("accuracy").value(a.estimate);
      j.key("ci_low").value(a.ci_low).key("ci_high").value(a.ci_high);
      j.key("paper").value(detail::paper_accuracy(s.predictors[p].name, s)).end_object();
    }
  j.end_array();
  j.key("accuracy_without_always_misclassified").begin_object();
  for (std::size_t p = 0; p < r.predictor_names.size(); ++p)
    if (r.reported(r.origin(0, p))) j.key(r.predictor_names[p]).value(r.accuracy_without_always_misclassified[p]);
  j.key("paper_humans").value(published("accuracy_without_always_misclassified"));
  j.end_object();
  j.key("mcnemar").begin_array();
  for (const auto& s : r.per_condition.subsets)
    for (const auto& t : s.pairs) {
      const data_origin o = r.origin_on(r.predictor(t.a), r.predictor(t.b), s);
      if (!r.reported(o)) continue;
      j.begin_object().key("level").value(detail::level_name(s.level)).key("subset").value(s.name);
      j.key("a").value(t.a).key("b").value(t.b).key("origin").value(name(o));
      j.key("tested").value(o != data_origin::mixed);
      j.key("b_count").value(t.test.b).key("c_count").value(t.test.c).key("statistic").value(t.test.statistic);
      j.key("p_value").value(t.test.p_value).key("log10_p_value").value(t.test.log10_p_value);
      j.key("p_holm").value(t.p_adjusted);
      j.key("clustered").begin_object().key("statistic").value(t.clustered.statistic);
      j.key("p_value").value(t.clustered.p_value).key("log10_p_value").value(t.clustered.log10_p_value);
      j.key("clusters").value(t.clustered.clusters).end_object();
      j.key("paper_log10_p_value")
          .value(s.level == subset_level::overall ? detail::paper_mcnemar(t.a, t.b) : std::nan(""))
          .end_object();
    }
  j.end_array();
  // The humans' own results: null (or empty) when their votes are not reported.
  const bool votes = r.reported(r.votes_origin);
  const auto& k = r.summary.kappa;
  if (votes) {
    j.key("fleiss_kappa").begin_object().key("origin").value(name(r.votes_origin)).key("kappa").value(k.kappa);
    j.key("p_bar").value(k.p_bar).key("p_e").value(k.p_e).key("se0").value(k.se0).key("z").value(k.z);
    j.key("log10_p_value").value(k.log10_p_value).key("se").value(k.se).key("ci_low").value(k.ci_low);
    j.key("ci_high").value(k.ci_high).key("paper").value(published("kappa")).end_object();
    const auto& a = r.summary.agreement;
    j.key("item_agreement").begin_object().key("above_0_9").value(static_cast<std::uint64_t>(a.above_0_9));
    j.key("above_0_5").value(static_cast<std::uint64_t>(a.above_0_5));
    j.key("below_0_3").value(static_cast<std::uint64_t>(a.below_0_3)).key("mean").value(a.mean);
    j.key("above_0_9_by_majority_label").begin_object();
    for (std::size_t c = 0; c < r.category_names.size(); ++c)
      j.key(r.category_names[c]).value(static_cast<std::uint64_t>(r.summary.high_agreement_by_label[c]));
    j.end_object();
    j.key("paper").begin_object().key("above_0_9").value(published("p_i_above_0.9"));
    j.key("above_0_5")
        .value(published("p_i_above_0.5"))
        .key("below_0_3")
        .value(published("p_i_below_0.3"))
        .end_object();
    j.end_object();
  } else {
    j.key("fleiss_kappa").null().key("item_agreement").null();
  }
  j.key("table1").begin_array();
  for (const auto& t : r.table1) {
    if (!votes) break;
    j.begin_object().key("source").value(t.source).key("label").value(r.category_names[t.label]);
    j.key("majority").value(t.majority >= 0 ? r.category_names[static_cast<std::size_t>(t.majority)] : std::string());
    j.key("versions").value(static_cast<std::uint64_t>(t.versions)).key("p_i_mean").value(t.mean);
    j.key("p_i_sd").value(t.sd).key("p_i_min").value(t.min).key("p_i_max").value(t.max).end_object();
  }
  j.end_array();
  if (votes) {
    j.key("always_misclassified_sources").value(static_cast<std::uint64_t>(r.table1.size()));
  } else {
    j.key("always_misclassified_sources").null();
  }
  const auto& pa = r.summary.participants;
  j.key("participants").begin_object().key("identified").value(r.raters_identified);
  if (r.raters_identified && votes) {
    j.key("raters").value(static_cast<std::uint64_t>(pa.raters)).key("mean").value(pa.mean).key("sd").value(pa.sd);
    j.key("se").value(pa.se).key("min").value(pa.min).key("max").value(pa.max);
    j.key("mean_without_always_misclassified").value(r.summary.participant_accuracy_without_always_misclassified);
  }
  j.end_object();
  j.key("precision_recall").begin_array();
  for (std::size_t p = 0; p < r.per_condition.subsets.front().predictors.size(); ++p) {
    const auto& ps = r.per_condition.subsets.front().predictors[p];
    if (!r.reported(r.predictor_origin[p])) continue;
    j.begin_object().key("predictor").value(ps.name).key("classes").begin_array();
    for (std::size_t c = 0; c < r.category_names.size(); ++c) {
      const auto& m = ps.metrics.per_class[c];
      j.begin_object().key("class").value(r.category_names[c]).key("support").value(m.support);
      j.key("precision").value(m.precision).key("recall").value(m.recall).key("f1").value(m.f_score).end_object();
    }
    j.end_array().end_object();
  }
  j.end_array();
  j.key("error_correlation").begin_array();
  for (const auto& s : r.per_condition.subsets)
    for (const auto& c : s.correlations) {
      const data_origin o = r.origin_on(0, r.predictor(c.predictor), s);
      if (!r.reported(o)) continue;
      j.begin_object().key("level").value(detail::level_name(s.level)).key("subset").value(s.name);
      j.key("origin").value(name(o)).key("tested").value(o != data_origin::mixed);
      j.key("model").value(c.predictor).key("r").value(c.correlation.r).key("p_value").value(c.correlation.p_value);
      j.key("ci_low").value(c.correlation.ci_low).key("ci_high").value(c.correlation.ci_high).end_object();
    }
  j.end_array();
  j.key("confusion_matrices").begin_array();
  for (const auto& s : r.per_condition.subsets)
    for (std::size_t q = 0; q < s.predictors.size(); ++q) {
      const auto& p = s.predictors[q];
      if (!r.reported(r.origin_on(q, s))) continue;
      j.begin_object().key("level").value(detail::level_name(s.level)).key("subset").value(s.name);
      j.key("predictor").value(p.name).key("rows").begin_array();
      for (Eigen::Index i = 0; i < p.confusion.rows(); ++i) {
        std::vector<double> row;
        for (Eigen::Index c = 0; c < p.confusion.cols(); ++c) row.push_back(static_cast<double>(p.confusion(i, c)));
        j.value(row);
      }
      j.end_array().end_object();
    }
  j.end_array();
  for (const auto& [key, write] : prov.json_sections) write(j.key(key));
  j.end_object();
}

}  // namespace disfer
