#pragma once
/// \file
/// The written results of a reproduction: one CSV per result of the paper, one JSON with all of
/// them and a provenance block, and the terminal tables beside the paper's values. Numbers in the
/// CSV and JSON are the shortest decimal forms that read back exactly (NA / null for undefined),
/// so the same inputs and seed give byte-identical files. Every CSV has an `origin` column
/// (measured, simulated or mixed) on every row.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/random.hpp"
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/report/json.hpp"
#include "disfer/report/paper.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/report/table.hpp"
#include "disfer/version.hpp"

namespace disfer {

/// Where a reproduction's inputs came from (the JSON's provenance block).
struct reproduction_provenance {
  struct input_file {
    std::string role;    ///< e.g. "votes", "predictions:RMN", "fer2013", "manifest"
    std::string path;    ///< as given
    std::string sha256;  ///< lowercase hex of the file's bytes
  };
  /// The rows an input's reader left out under bad_row_policy::skip (io/bad_rows.hpp): the input's
  /// role and one reason per skipped row, in file order (the messages bad_row_policy::error throws).
  struct skipped_input {
    std::string role;
    std::vector<std::string> reasons;
  };
  std::string program;                                       ///< e.g. "reproduce_disfer"
  std::vector<std::pair<std::string, std::string>> options;  ///< option name -> value, as given
  std::vector<input_file> inputs;
  bad_row_policy bad_rows = bad_row_policy::error;  ///< the readers' policy for bad rows
  std::vector<skipped_input> skipped;               ///< inputs with skipped rows (none under error)
  /// Further top-level sections of reproduction.json, after the results: key and a writer of its
  /// value (e.g. "ferplus": write_ferplus_section_json, report/ferplus_section.hpp).
  std::vector<std::pair<std::string, std::function<void(json_writer&)>>> json_sections;
};

namespace detail {

inline std::string csv_number(double v) {
  return std::isnan(v) ? std::string("NA") : shortest(v);
}
inline std::string csv_number(std::int64_t v) {
  return std::to_string(v);
}
inline std::string csv_number(std::uint64_t v) {
  return std::to_string(v);
}

inline const char* level_name(subset_level l) {
  return l == subset_level::overall ? "overall" : l == subset_level::distortion_type ? "type" : "condition";
}

// Paper key of a subset: the condition name or the type name.
inline double paper_accuracy(const std::string& predictor, const subset_result& s) {
  if (s.level == subset_level::overall) return published("accuracy/" + predictor);
  return published("accuracy/" + predictor + "/" + s.name);
}

inline double paper_mcnemar(const std::string& a, const std::string& b) {
  const double v = published("mcnemar_log10_p/" + a + "/" + b);
  return std::isnan(v) ? published("mcnemar_log10_p/" + b + "/" + a) : v;
}

}  // namespace detail

/// overall_accuracy.csv: predictor, origin, stimuli, correct, accuracy, ci_low, ci_high (Wilson),
/// accuracy_without_always_misclassified, paper.
inline void write_overall_accuracy_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_overall_accuracy_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"predictor", "origin", "stimuli", "correct", "accuracy", "ci_low", "ci_high",
                      "accuracy_without_always_misclassified", "paper"});
  const auto& s = r.per_condition.subsets.front();
  for (std::size_t p = 0; p < s.predictors.size(); ++p) {
    const auto& a = s.predictors[p].accuracy;
    write_csv_row(out, {s.predictors[p].name, name(r.predictor_origin[p]), csv_number(a.trials),
                        csv_number(a.successes), csv_number(a.estimate), csv_number(a.ci_low), csv_number(a.ci_high),
                        csv_number(r.accuracy_without_always_misclassified[p]),
                        csv_number(detail::paper_accuracy(s.predictors[p].name, s))});
  }
}

/// accuracy_by_condition.csv (Figure 2): level (type or condition), subset, family, severity,
/// physical level, predictor, origin, stimuli, correct, accuracy, ci_low, ci_high (Wilson), paper.
inline void write_accuracy_by_condition_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_accuracy_by_condition_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"level", "subset", "family", "severity", "distortion_level", "predictor", "origin", "stimuli",
                      "correct", "accuracy", "ci_low", "ci_high", "paper"});
  for (const auto& s : r.per_condition.subsets) {
    if (s.level == subset_level::overall) continue;
    std::string family = s.name, severity = "NA", level = "NA";
    if (s.level == subset_level::condition)
      for (const auto& c : r.conditions)
        if (c.name == s.name) {
          family = family_name(r.family_names, c.family);
          severity = csv_number(c.severity);
          level = csv_number(c.level);
        }
    for (std::size_t p = 0; p < s.predictors.size(); ++p) {
      const auto& a = s.predictors[p].accuracy;
      write_csv_row(out, {detail::level_name(s.level), s.name, family, severity, level, s.predictors[p].name,
                          name(r.predictor_origin[p]), csv_number(a.trials), csv_number(a.successes),
                          csv_number(a.estimate), csv_number(a.ci_low), csv_number(a.ci_high),
                          csv_number(detail::paper_accuracy(s.predictors[p].name, s))});
    }
  }
}

/// mcnemar.csv: every pair on every subset: exact McNemar (b, c, statistic, p, log10 p, Holm-
/// adjusted within the subset) beside Durkalski's clustered test over the sources, the accuracy
/// difference with its cluster-bootstrap interval, and the paper's log10 p.
inline void write_mcnemar_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_mcnemar_csv", r);
  using detail::csv_number;
  write_csv_row(out,
                {"level", "subset", "a", "b", "origin", "b_count", "c_count", "statistic", "p_value", "log10_p_value",
                 "p_holm", "clustered_statistic", "clustered_p_value", "clustered_log10_p_value", "clusters",
                 "accuracy_difference", "bootstrap_ci_low", "bootstrap_ci_high", "paper_log10_p_value"});
  for (const auto& s : r.per_condition.subsets) {
    std::size_t q = 0;
    for (std::size_t a = 0; a < s.predictors.size(); ++a)
      for (std::size_t b = a + 1; b < s.predictors.size(); ++b, ++q) {
        const auto& t = s.pairs[q];
        const bootstrap_difference* bd = nullptr;
        for (const auto& d : s.bootstrap)
          if (d.a == t.a && d.b == t.b) bd = &d;
        const double nan = std::nan("");
        write_csv_row(out, {detail::level_name(s.level), s.name, t.a, t.b, name(r.origin(a, b)), csv_number(t.test.b),
                            csv_number(t.test.c), csv_number(t.test.statistic), csv_number(t.test.p_value),
                            csv_number(t.test.log10_p_value), csv_number(t.p_adjusted),
                            csv_number(t.clustered.statistic), csv_number(t.clustered.p_value),
                            csv_number(t.clustered.log10_p_value), csv_number(t.clustered.clusters),
                            csv_number(s.predictors[a].accuracy.estimate - s.predictors[b].accuracy.estimate),
                            csv_number(bd ? bd->ci_low : nan), csv_number(bd ? bd->ci_high : nan),
                            csv_number(s.level == subset_level::overall ? detail::paper_mcnemar(t.a, t.b) : nan)});
      }
  }
}

/// fleiss_kappa.csv: one row: kappa, P-bar, P_e, SE under H0, z, p, log10 p, non-null SE and
/// interval, items, raters, votes, paper.
inline void write_fleiss_kappa_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_fleiss_kappa_csv", r);
  using detail::csv_number;
  const auto& k = r.summary.kappa;
  write_csv_row(out, {"origin", "kappa", "p_bar", "p_e", "se0", "z", "p_value", "log10_p_value", "se", "ci_low",
                      "ci_high", "items", "raters", "votes", "paper"});
  write_csv_row(
      out, {name(r.votes_origin), csv_number(k.kappa), csv_number(k.p_bar), csv_number(k.p_e), csv_number(k.se0),
            csv_number(k.z), csv_number(k.p_value), csv_number(k.log10_p_value), csv_number(k.se), csv_number(k.ci_low),
            csv_number(k.ci_high), csv_number(static_cast<std::uint64_t>(k.n_items)),
            csv_number(static_cast<std::uint64_t>(r.n_raters)), csv_number(static_cast<std::uint64_t>(r.n_votes)),
            csv_number(published("kappa"))});
}

/// item_agreement.csv (the P_i counts): quantity, count, share of the stimuli, paper count.
inline void write_item_agreement_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_item_agreement_csv", r);
  using detail::csv_number;
  const auto& a = r.summary.agreement;
  const double n = static_cast<double>(r.stimulus_ids.size());
  write_csv_row(out, {"quantity", "origin", "count", "share", "paper"});
  std::size_t happy = 0;
  for (std::size_t j = 0; j < r.category_names.size(); ++j)
    if (r.category_names[j] == "happy") happy = r.summary.high_agreement_by_label[j];
  const std::vector<std::pair<std::string, std::size_t>> rows = {
      {"p_i_above_0.9", a.above_0_9},
      {"p_i_above_0.9_happy", happy},
      {"p_i_above_0.5", a.above_0_5},
      {"p_i_below_0.3", a.below_0_3},
      {"always_misclassified_sources", r.summary.always_misclassified.size()}};
  for (const auto& [q, c] : rows) {
    const std::string key = q == "always_misclassified_sources" ? "always_misclassified" : q;
    const double denom = q == "always_misclassified_sources" ? static_cast<double>(r.n_sources) : n;
    write_csv_row(out, {q, name(r.votes_origin), csv_number(static_cast<std::uint64_t>(c)),
                        csv_number(static_cast<double>(c) / denom), csv_number(published(key))});
  }
}

/// item_agreement_per_stimulus.csv: stimulus, P_i, votes, majority label, dataset label.
inline void write_item_agreement_per_stimulus_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_item_agreement_per_stimulus_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"stimulus", "origin", "p_i", "votes", "majority", "label"});
  const auto& human = r.summary.predictors[0];
  for (std::size_t i = 0; i < r.stimulus_ids.size(); ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    write_csv_row(out, {r.stimulus_ids[i], name(r.votes_origin), csv_number(r.summary.p_i[ii]),
                        csv_number(static_cast<std::int64_t>(r.summary.counts.row(ii).sum())),
                        r.category_names[human.labels[i]], r.category_names[r.stimulus_label[i]]});
  }
}

/// table1.csv: the sources misclassified by the majority in every version, with P_i over their
/// versions (mean, sd, min, max), their label and majority vote (undistorted version).
inline void write_table1_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_table1_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"source", "origin", "label", "majority", "versions", "p_i_mean", "p_i_sd", "p_i_min", "p_i_max"});
  for (const auto& t : r.table1)
    write_csv_row(out, {t.source, name(r.votes_origin), r.category_names[t.label],
                        t.majority >= 0 ? r.category_names[static_cast<std::size_t>(t.majority)] : "NA",
                        csv_number(static_cast<std::uint64_t>(t.versions)), csv_number(t.mean), csv_number(t.sd),
                        csv_number(t.min), csv_number(t.max)});
}

/// participant_accuracy.csv: rater, votes, correct, accuracy (one row per participant; only a
/// header when the votes came as a count table).
inline void write_participant_accuracy_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_participant_accuracy_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"rater", "origin", "votes", "correct", "accuracy"});
  for (const auto& p : r.participants)
    write_csv_row(out,
                  {p.rater, name(r.votes_origin), csv_number(p.votes), csv_number(p.correct), csv_number(p.accuracy)});
}

/// participant_summary.csv: statistic (mean, sd, se, min, max, raters,
/// mean_without_always_misclassified), value, paper.
inline void write_participant_summary_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_participant_summary_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"statistic", "origin", "value", "paper"});
  if (!r.raters_identified) return;
  const auto& p = r.summary.participants;
  const std::vector<std::pair<std::string, double>> rows = {
      {"mean", p.mean},
      {"sd", p.sd},
      {"se", p.se},
      {"min", p.min},
      {"max", p.max},
      {"raters", static_cast<double>(p.raters)},
      {"mean_without_always_misclassified", r.summary.participant_accuracy_without_always_misclassified}};
  for (const auto& [k, v] : rows)
    write_csv_row(out, {k, name(r.votes_origin), csv_number(v), csv_number(published("participants/" + k))});
}

/// precision_recall.csv: per predictor and class (overall): support, tp, fp, fn, precision,
/// recall, F1, and the paper's precision and recall (humans).
inline void write_precision_recall_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_precision_recall_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"predictor", "origin", "class", "support", "tp", "fp", "fn", "precision", "recall", "f1",
                      "paper_precision", "paper_recall"});
  const auto& s = r.per_condition.subsets.front();
  for (std::size_t p = 0; p < s.predictors.size(); ++p)
    for (std::size_t j = 0; j < r.category_names.size(); ++j) {
      const auto& m = s.predictors[p].metrics.per_class[j];
      const bool h = p == 0;
      const double nan = std::nan("");
      write_csv_row(
          out, {s.predictors[p].name, name(r.predictor_origin[p]), r.category_names[j], csv_number(m.support),
                csv_number(m.tp), csv_number(m.fp), csv_number(m.fn), csv_number(m.precision), csv_number(m.recall),
                csv_number(m.f_score), csv_number(h ? published("precision/" + r.category_names[j]) : nan),
                csv_number(h ? published("recall/" + r.category_names[j]) : nan)});
    }
}

/// error_correlation.csv (Figures 4 and 5): per model and subset, the Pearson r of the
/// off-diagonal cells of the row-normalised confusion matrices of the model and the humans,
/// its p-value, Fisher-z interval, cells, and the paper's value (Figure 5 for GB; the mean over
/// conditions of Figure 4 on the "mean" rows).
inline void write_error_correlation_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_error_correlation_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"level", "subset", "model", "origin", "r", "p_value", "ci_low", "ci_high", "cells", "paper"});
  for (const auto& s : r.per_condition.subsets)
    for (const auto& c : s.correlations) {
      const std::size_t p = r.predictor(c.predictor);
      const double paper = s.level == subset_level::distortion_type
                               ? published("offdiag_r/" + c.predictor + "/" + s.name)
                               : std::nan("");
      write_csv_row(
          out, {detail::level_name(s.level), s.name, c.predictor, name(r.origin(0, p)), csv_number(c.correlation.r),
                csv_number(c.correlation.p_value), csv_number(c.correlation.ci_low), csv_number(c.correlation.ci_high),
                csv_number(c.correlation.n_cells), csv_number(paper)});
    }
  for (std::size_t m = 0; m + 1 < r.predictor_names.size(); ++m)
    write_csv_row(out, {"mean", "mean over conditions", r.predictor_names[m + 1], name(r.origin(0, m + 1)),
                        csv_number(r.summary.offdiag_r_mean[m]), "NA", "NA", "NA", "NA",
                        csv_number(published("offdiag_r_mean/" + r.predictor_names[m + 1]))});
}

/// confusion_matrices.csv (Figure 3): per predictor and subset, every cell: truth, predicted, count.
inline void write_confusion_matrices_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_confusion_matrices_csv", r);
  write_csv_row(out, {"level", "subset", "predictor", "origin", "truth", "predicted", "count"});
  for (const auto& s : r.per_condition.subsets)
    for (std::size_t p = 0; p < s.predictors.size(); ++p) {
      const auto& cm = s.predictors[p].confusion;
      for (Eigen::Index i = 0; i < cm.rows(); ++i)
        for (Eigen::Index j = 0; j < cm.cols(); ++j)
          write_csv_row(out, {detail::level_name(s.level), s.name, s.predictors[p].name, name(r.predictor_origin[p]),
                              r.category_names[static_cast<std::size_t>(i)],
                              r.category_names[static_cast<std::size_t>(j)], std::to_string(cm(i, j))});
    }
}

/// The CSV files of a reproduction: file name and writer, in the order they are written.
inline std::vector<std::pair<std::string, std::function<void(std::ostream&, const reproduction_result&)>>>
reproduction_csv_files() {
  return {{"overall_accuracy.csv", write_overall_accuracy_csv},
          {"accuracy_by_condition.csv", write_accuracy_by_condition_csv},
          {"mcnemar.csv", write_mcnemar_csv},
          {"fleiss_kappa.csv", write_fleiss_kappa_csv},
          {"item_agreement.csv", write_item_agreement_csv},
          {"item_agreement_per_stimulus.csv", write_item_agreement_per_stimulus_csv},
          {"table1.csv", write_table1_csv},
          {"participant_accuracy.csv", write_participant_accuracy_csv},
          {"participant_summary.csv", write_participant_summary_csv},
          {"precision_recall.csv", write_precision_recall_csv},
          {"error_correlation.csv", write_error_correlation_csv},
          {"confusion_matrices.csv", write_confusion_matrices_csv}};
}

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
  j.key("options").begin_object();
  for (const auto& [k, v] : prov.options) j.key(k).value(v);
  j.end_object();
  j.key("bad_rows").value(std::string(name(prov.bad_rows)));
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
  j.key("votes").value(name(r.votes_origin));
  j.key("predictors").begin_object();
  for (std::size_t p = 0; p < r.predictor_names.size(); ++p)
    j.key(r.predictor_names[p]).value(name(r.predictor_origin[p]));
  j.end_object();
  j.key("stimuli").value(static_cast<std::uint64_t>(r.stimulus_ids.size()));
  j.key("sources").value(static_cast<std::uint64_t>(r.n_sources));
  j.key("raters").value(static_cast<std::uint64_t>(r.n_raters));
  j.key("votes_count").value(static_cast<std::uint64_t>(r.n_votes));
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
      const auto& a = s.predictors[p].accuracy;
      j.begin_object().key("level").value(detail::level_name(s.level)).key("subset").value(s.name);
      j.key("predictor").value(s.predictors[p].name).key("origin").value(name(r.predictor_origin[p]));
      j.key("stimuli").value(a.trials).key("correct").value(a.successes).key("accuracy").value(a.estimate);
      j.key("ci_low").value(a.ci_low).key("ci_high").value(a.ci_high);
      j.key("paper").value(detail::paper_accuracy(s.predictors[p].name, s)).end_object();
    }
  j.end_array();
  j.key("accuracy_without_always_misclassified").begin_object();
  for (std::size_t p = 0; p < r.predictor_names.size(); ++p)
    j.key(r.predictor_names[p]).value(r.accuracy_without_always_misclassified[p]);
  j.key("paper_humans").value(published("accuracy_without_always_misclassified"));
  j.end_object();
  j.key("mcnemar").begin_array();
  for (const auto& s : r.per_condition.subsets)
    for (const auto& t : s.pairs) {
      j.begin_object().key("level").value(detail::level_name(s.level)).key("subset").value(s.name);
      j.key("a").value(t.a).key("b").value(t.b).key("origin").value(name(r.origin(r.predictor(t.a), r.predictor(t.b))));
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
  const auto& k = r.summary.kappa;
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
  j.key("above_0_5").value(published("p_i_above_0.5")).key("below_0_3").value(published("p_i_below_0.3")).end_object();
  j.end_object();
  j.key("table1").begin_array();
  for (const auto& t : r.table1) {
    j.begin_object().key("source").value(t.source).key("label").value(r.category_names[t.label]);
    j.key("majority").value(t.majority >= 0 ? r.category_names[static_cast<std::size_t>(t.majority)] : std::string());
    j.key("versions").value(static_cast<std::uint64_t>(t.versions)).key("p_i_mean").value(t.mean);
    j.key("p_i_sd").value(t.sd).key("p_i_min").value(t.min).key("p_i_max").value(t.max).end_object();
  }
  j.end_array();
  j.key("always_misclassified_sources").value(static_cast<std::uint64_t>(r.table1.size()));
  const auto& pa = r.summary.participants;
  j.key("participants").begin_object().key("identified").value(r.raters_identified);
  if (r.raters_identified) {
    j.key("raters").value(static_cast<std::uint64_t>(pa.raters)).key("mean").value(pa.mean).key("sd").value(pa.sd);
    j.key("se").value(pa.se).key("min").value(pa.min).key("max").value(pa.max);
    j.key("mean_without_always_misclassified").value(r.summary.participant_accuracy_without_always_misclassified);
  }
  j.end_object();
  j.key("precision_recall").begin_array();
  for (std::size_t p = 0; p < r.per_condition.subsets.front().predictors.size(); ++p) {
    const auto& ps = r.per_condition.subsets.front().predictors[p];
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
      j.begin_object().key("level").value(detail::level_name(s.level)).key("subset").value(s.name);
      j.key("model").value(c.predictor).key("r").value(c.correlation.r).key("p_value").value(c.correlation.p_value);
      j.key("ci_low").value(c.correlation.ci_low).key("ci_high").value(c.correlation.ci_high).end_object();
    }
  j.end_array();
  j.key("confusion_matrices").begin_array();
  for (const auto& s : r.per_condition.subsets)
    for (const auto& p : s.predictors) {
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

/// The terminal tables: each result beside the paper's value, with the difference and the origin.
inline std::vector<text_table> reproduction_tables(const reproduction_result& r) {
  detail::check_reproduction_result("reproduction_tables", r);
  std::vector<text_table> out;
  const auto& overall = r.per_condition.subsets.front();
  {
    std::vector<comparison_row> rows;
    for (std::size_t p = 0; p < overall.predictors.size(); ++p)
      rows.push_back({overall.predictors[p].name, overall.predictors[p].accuracy.estimate,
                      detail::paper_accuracy(overall.predictors[p].name, overall), r.predictor_origin[p]});
    out.push_back(comparison_table("Overall accuracy against the dataset labels (humans: majority vote)", rows));
  }
  {
    text_table t;
    t.title = "Accuracy per condition [95% Wilson interval] (Figure 2)";
    t.header = {"subset"};
    for (std::size_t p = 0; p < r.predictor_names.size(); ++p)
      t.header.push_back(r.predictor_names[p] + " (" + name(r.predictor_origin[p]) + ")");
    for (const auto& s : r.per_condition.subsets) {
      if (s.level == subset_level::overall) continue;
      std::vector<std::string> row = {s.level == subset_level::distortion_type ? "all " + s.name : s.name};
      for (const auto& p : s.predictors) {
        std::string cell =
            fixed(p.accuracy.estimate) + " [" + fixed(p.accuracy.ci_low) + ", " + fixed(p.accuracy.ci_high) + "]";
        const double paper = detail::paper_accuracy(p.name, s);
        if (!std::isnan(paper)) cell += " paper " + fixed(paper) + " (" + fixed(p.accuracy.estimate - paper, 2) + ")";
        row.push_back(cell);
      }
      t.rows.push_back(row);
    }
    t.note = "paper values where the text states them: 'paper x (difference)'";
    out.push_back(t);
  }
  {
    text_table t;
    t.title = "McNemar, every pair, all stimuli: log10 p (exact) beside the clustered test over sources";
    t.header = {"pair", "b", "c", "log10 p", "paper", "difference", "clustered log10 p", "data"};
    for (const auto& p : overall.pairs) {
      const double paper = detail::paper_mcnemar(p.a, p.b);
      t.rows.push_back({p.a + " vs " + p.b, std::to_string(p.test.b), std::to_string(p.test.c),
                        fixed(p.test.log10_p_value, 1), fixed(paper, 1),
                        std::isnan(paper) ? "-" : fixed(p.test.log10_p_value - paper, 1),
                        fixed(p.clustered.log10_p_value, 1), name(r.origin(r.predictor(p.a), r.predictor(p.b)))});
    }
    out.push_back(t);
  }
  {
    const auto& a = r.summary.agreement;
    std::size_t happy = 0;
    for (std::size_t j = 0; j < r.category_names.size(); ++j)
      if (r.category_names[j] == "happy") happy = r.summary.high_agreement_by_label[j];
    const auto o = r.votes_origin;
    std::vector<comparison_row> rows = {
        {"Fleiss' kappa", r.summary.kappa.kappa, published("kappa"), o, 3},
        {"stimuli with P_i > 0.9", static_cast<double>(a.above_0_9), published("p_i_above_0.9"), o, 0},
        {"  of which happy (majority)", static_cast<double>(happy), published("p_i_above_0.9_happy"), o, 0},
        {"stimuli with P_i > 0.5", static_cast<double>(a.above_0_5), published("p_i_above_0.5"), o, 0},
        {"stimuli with P_i < 0.3", static_cast<double>(a.below_0_3), published("p_i_below_0.3"), o, 0},
        {"sources misclassified in all versions", static_cast<double>(r.table1.size()),
         published("always_misclassified"), o, 0},
        {"majority accuracy without them", r.accuracy_without_always_misclassified[0],
         published("accuracy_without_always_misclassified"), o, 3}};
    if (r.raters_identified) {
      const auto& pa = r.summary.participants;
      rows.push_back({"participant accuracy: mean", pa.mean, published("participants/mean"), o, 3});
      rows.push_back({"participant accuracy: SE of the mean", pa.se, published("participants/se"), o, 4});
      rows.push_back({"participant accuracy: min", pa.min, published("participants/min"), o, 3});
      rows.push_back({"participant accuracy: max", pa.max, published("participants/max"), o, 3});
      rows.push_back({"participant accuracy without them: mean",
                      r.summary.participant_accuracy_without_always_misclassified, std::nan(""), o, 3});
    }
    out.push_back(comparison_table("Agreement and participants (humans' votes)", rows,
                                   r.raters_identified ? "" : "votes given as a count table: no per-participant rows"));
  }
  {
    std::vector<comparison_row> rows;
    const auto& h = overall.predictors[0].metrics;
    for (std::size_t j = 0; j < r.category_names.size(); ++j) {
      rows.push_back({"precision " + r.category_names[j], h.per_class[j].precision,
                      published("precision/" + r.category_names[j]), r.votes_origin});
      rows.push_back({"recall " + r.category_names[j], h.per_class[j].recall,
                      published("recall/" + r.category_names[j]), r.votes_origin});
    }
    out.push_back(comparison_table("Humans' per-class precision and recall (majority vote, Figure 3)", rows));
  }
  {
    std::vector<comparison_row> rows;
    for (std::size_t m = 0; m + 1 < r.predictor_names.size(); ++m) {
      const std::string& nm = r.predictor_names[m + 1];
      rows.push_back({nm + ": mean r over conditions", r.summary.offdiag_r_mean[m], published("offdiag_r_mean/" + nm),
                      r.origin(0, m + 1)});
      if (const auto* gb = detail::subset_of(r, subset_level::distortion_type, "GB"))
        for (const auto& c : gb->correlations)
          if (c.predictor == nm)
            rows.push_back({nm + ": r on GB (Figure 5)", c.correlation.r, published("offdiag_r/" + nm + "/GB"),
                            r.origin(0, m + 1)});
    }
    out.push_back(
        comparison_table("Off-diagonal error correlation with the humans (row-normalised, Figures 4-5)", rows));
  }
  {
    text_table t;
    t.title = "Table 1: P_i over the versions of the sources misclassified in all versions";
    t.header = {"source", "label", "majority", "mean", "sd", "min", "max", "data"};
    for (const auto& row : r.table1)
      t.rows.push_back({row.source, r.category_names[row.label],
                        row.majority >= 0 ? r.category_names[static_cast<std::size_t>(row.majority)] : "-",
                        fixed(row.mean), fixed(row.sd), fixed(row.min), fixed(row.max), name(r.votes_origin)});
    for (const auto& p : disfer_published_table1())
      t.rows.push_back({std::string("Fig. ") + p.figure, p.label, p.classified, fixed(p.mean), fixed(p.sd),
                        fixed(p.min), fixed(p.max), "paper"});
    t.note = "the paper's four sources (Figure 6) cannot be matched to ours by id; compare the ranges";
    out.push_back(t);
  }
  return out;
}

}  // namespace disfer
