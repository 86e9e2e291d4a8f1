#pragma once
/// \file
/// The CSV files of a reproduction: one per result of the paper. Numbers are the shortest decimal
/// forms that read back exactly (NA for undefined), so the same inputs and seed give byte-identical
/// files. Every row has an `origin` column (measured, simulated or mixed); a result that rests on
/// simulated data has no row when reproduction_options::report_simulated is false, and a
/// comparison of a measured with a simulated predictor is a row with NA tests and a `note`.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "disfer/io/csv.hpp"
#include "disfer/report/paper.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/report/table.hpp"

namespace disfer {

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
    if (!r.reported(r.predictor_origin[p])) continue;
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
      if (!r.reported(r.origin_on(p, s))) continue;
      const auto& a = s.predictors[p].accuracy;
      write_csv_row(out, {detail::level_name(s.level), s.name, family, severity, level, s.predictors[p].name,
                          name(r.origin_on(p, s)), csv_number(a.trials), csv_number(a.successes),
                          csv_number(a.estimate), csv_number(a.ci_low), csv_number(a.ci_high),
                          csv_number(detail::paper_accuracy(s.predictors[p].name, s))});
    }
  }
}

/// mcnemar.csv: every pair on every subset: exact McNemar (b, c, statistic, p, log10 p, Holm-
/// adjusted within the subset) beside Durkalski's clustered test over the sources, the accuracy
/// difference with its cluster-bootstrap interval, the paper's log10 p, and a note (why a pair of a
/// measured and a simulated predictor has no test).
inline void write_mcnemar_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_mcnemar_csv", r);
  using detail::csv_number;
  write_csv_row(out, {"level",
                      "subset",
                      "a",
                      "b",
                      "origin",
                      "b_count",
                      "c_count",
                      "statistic",
                      "p_value",
                      "log10_p_value",
                      "p_holm",
                      "clustered_statistic",
                      "clustered_p_value",
                      "clustered_log10_p_value",
                      "clusters",
                      "accuracy_difference",
                      "bootstrap_ci_low",
                      "bootstrap_ci_high",
                      "paper_log10_p_value",
                      "note"});
  for (const auto& s : r.per_condition.subsets) {
    std::size_t q = 0;
    for (std::size_t a = 0; a < s.predictors.size(); ++a)
      for (std::size_t b = a + 1; b < s.predictors.size(); ++b, ++q) {
        const auto& t = s.pairs[q];
        const data_origin o = r.origin_on(a, b, s);
        if (!r.reported(o)) continue;
        const bool tested = o != data_origin::mixed;
        const bootstrap_difference* bd = nullptr;
        for (const auto& d : s.bootstrap)
          if (d.a == t.a && d.b == t.b) bd = &d;
        const double nan = std::nan("");
        write_csv_row(out,
                      {detail::level_name(s.level),
                       s.name,
                       t.a,
                       t.b,
                       name(o),
                       csv_number(t.test.b),
                       csv_number(t.test.c),
                       csv_number(t.test.statistic),
                       csv_number(t.test.p_value),
                       csv_number(t.test.log10_p_value),
                       csv_number(t.p_adjusted),
                       csv_number(t.clustered.statistic),
                       csv_number(t.clustered.p_value),
                       csv_number(t.clustered.log10_p_value),
                       csv_number(t.clustered.clusters),
                       csv_number(tested ? s.predictors[a].accuracy.estimate - s.predictors[b].accuracy.estimate : nan),
                       csv_number(bd ? bd->ci_low : nan),
                       csv_number(bd ? bd->ci_high : nan),
                       csv_number(s.level == subset_level::overall ? detail::paper_mcnemar(t.a, t.b) : nan),
                       tested ? "" : untested_note});
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
  if (!r.reported(r.votes_origin)) return;
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
  if (!r.reported(r.votes_origin)) return;
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
    const data_origin o = r.votes_origin_by_condition[r.stimulus_condition[i]];
    if (!r.reported(o)) continue;
    write_csv_row(out, {r.stimulus_ids[i], name(o), csv_number(r.summary.p_i[ii]),
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
  if (!r.reported(r.votes_origin)) return;
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
  if (!r.reported(r.votes_origin)) return;
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
  if (!r.raters_identified || !r.reported(r.votes_origin)) return;
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
    for (std::size_t j = 0; j < r.category_names.size() && r.reported(r.predictor_origin[p]); ++j) {
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
/// conditions of Figure 4 on the "mean" rows), and a note (why a measured model has no r with
/// simulated humans, or the reverse).
inline void write_error_correlation_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_error_correlation_csv", r);
  using detail::csv_number;
  write_csv_row(out,
                {"level", "subset", "model", "origin", "r", "p_value", "ci_low", "ci_high", "cells", "paper", "note"});
  auto note = [](data_origin o) { return o == data_origin::mixed ? untested_note : ""; };
  for (const auto& s : r.per_condition.subsets)
    for (const auto& c : s.correlations) {
      const std::size_t p = r.predictor(c.predictor);
      const data_origin o = r.origin_on(0, p, s);
      if (!r.reported(o)) continue;
      const double paper = s.level == subset_level::distortion_type
                               ? published("offdiag_r/" + c.predictor + "/" + s.name)
                               : std::nan("");
      write_csv_row(
          out, {detail::level_name(s.level), s.name, c.predictor, name(o), csv_number(c.correlation.r),
                csv_number(c.correlation.p_value), csv_number(c.correlation.ci_low), csv_number(c.correlation.ci_high),
                csv_number(c.correlation.n_cells), csv_number(paper), note(o)});
    }
  for (std::size_t m = 0; m + 1 < r.predictor_names.size(); ++m) {
    const data_origin o = r.origin(0, m + 1);
    if (!r.reported(o)) continue;
    write_csv_row(out, {"mean", "mean over conditions", r.predictor_names[m + 1], name(o),
                        csv_number(r.summary.offdiag_r_mean[m]), "NA", "NA", "NA", "NA",
                        csv_number(published("offdiag_r_mean/" + r.predictor_names[m + 1])), note(o)});
  }
}

/// confusion_matrices.csv (Figure 3): per predictor and subset, every cell: truth, predicted, count.
inline void write_confusion_matrices_csv(std::ostream& out, const reproduction_result& r) {
  detail::check_reproduction_result("write_confusion_matrices_csv", r);
  write_csv_row(out, {"level", "subset", "predictor", "origin", "truth", "predicted", "count"});
  for (const auto& s : r.per_condition.subsets)
    for (std::size_t p = 0; p < s.predictors.size(); ++p) {
      if (!r.reported(r.origin_on(p, s))) continue;
      const auto& cm = s.predictors[p].confusion;
      for (Eigen::Index i = 0; i < cm.rows(); ++i)
        for (Eigen::Index j = 0; j < cm.cols(); ++j)
          write_csv_row(out, {detail::level_name(s.level), s.name, s.predictors[p].name, name(r.origin_on(p, s)),
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

}  // namespace disfer
