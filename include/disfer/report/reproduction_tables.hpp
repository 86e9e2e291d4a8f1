#pragma once
/// \file
/// The terminal tables of a reproduction: each result beside the paper's value, with the
/// difference and the origin (also the tables of report.html).

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "disfer/report/paper.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/report/reproduction_csv.hpp"
#include "disfer/report/table.hpp"

namespace disfer {

namespace detail {

// The data column of a result of origin o: "mixed: not tested (...)" where a comparison of a
// measured with a simulated predictor was left untested.
inline std::string data_cell(data_origin o) {
  return o == data_origin::mixed ? std::string("mixed: ") + untested_note : std::string(name(o));
}

}  // namespace detail

/// The terminal tables: each result beside the paper's value, with the difference and the origin.
/// Results not reported (reproduction_result::reported) have no row, and a table with none is left
/// out; an untested comparison says so in its data column.
inline std::vector<text_table> reproduction_tables(const reproduction_result& r) {
  detail::check_reproduction_result("reproduction_tables", r);
  std::vector<text_table> out;
  const auto& overall = r.per_condition.subsets.front();
  const std::size_t np = r.predictor_names.size();
  auto add = [&](std::string title, const std::vector<comparison_row>& rows, std::string note = {}) {
    if (!rows.empty()) out.push_back(comparison_table(std::move(title), rows, std::move(note)));
  };
  {
    std::vector<comparison_row> rows;
    for (std::size_t p = 0; p < np; ++p)
      if (r.reported(r.predictor_origin[p]))
        rows.push_back({overall.predictors[p].name, overall.predictors[p].accuracy.estimate,
                        detail::paper_accuracy(overall.predictors[p].name, overall), r.predictor_origin[p]});
    add("Overall accuracy against the dataset labels (humans: majority vote)", rows);
  }
  {
    text_table t;
    t.title = "Accuracy per condition [95% Wilson interval] (Figure 2)";
    t.header = {"subset"};
    std::vector<std::size_t> shown;  // predictors reported on some subset
    for (std::size_t p = 0; p < np; ++p) {
      bool any = false;
      for (const auto& s : r.per_condition.subsets) any = any || r.reported(r.origin_on(p, s));
      if (!any) continue;
      shown.push_back(p);
      t.header.push_back(r.predictor_names[p] + " (" + name(r.predictor_origin[p]) + ")");
    }
    for (const auto& s : r.per_condition.subsets) {
      if (s.level == subset_level::overall) continue;
      std::vector<std::string> row = {s.level == subset_level::distortion_type ? "all " + s.name : s.name};
      for (const std::size_t q : shown) {
        const auto& p = s.predictors[q];
        std::string cell = "-";
        if (r.reported(r.origin_on(q, s))) {
          cell = fixed(p.accuracy.estimate) + " [" + fixed(p.accuracy.ci_low) + ", " + fixed(p.accuracy.ci_high) + "]";
          const double paper = detail::paper_accuracy(p.name, s);
          if (!std::isnan(paper)) cell += " paper " + fixed(paper) + " (" + fixed(p.accuracy.estimate - paper, 2) + ")";
        }
        row.push_back(cell);
      }
      t.rows.push_back(row);
    }
    t.note = "paper values where the text states them: 'paper x (difference)'";
    if (!shown.empty()) out.push_back(t);
  }
  {
    text_table t;
    t.title = "McNemar, every pair, all stimuli: log10 p (exact) beside the clustered test over sources";
    t.header = {"pair", "b", "c", "log10 p", "paper", "difference", "clustered log10 p", "data"};
    for (const auto& p : overall.pairs) {
      const data_origin o = r.origin(r.predictor(p.a), r.predictor(p.b));
      if (!r.reported(o)) continue;
      const double paper = detail::paper_mcnemar(p.a, p.b);
      t.rows.push_back(
          {p.a + " vs " + p.b, std::to_string(p.test.b), std::to_string(p.test.c), fixed(p.test.log10_p_value, 1),
           fixed(paper, 1),
           std::isnan(paper) || std::isnan(p.test.log10_p_value) ? "-" : fixed(p.test.log10_p_value - paper, 1),
           fixed(p.clustered.log10_p_value, 1), detail::data_cell(o)});
    }
    if (!t.rows.empty()) out.push_back(t);
  }
  if (r.reported(r.votes_origin)) {
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
    add("Agreement and participants (humans' votes)", rows,
        r.raters_identified ? "" : "votes given as a count table: no per-participant rows");
    rows.clear();
    const auto& h = overall.predictors[0].metrics;
    for (std::size_t j = 0; j < r.category_names.size(); ++j) {
      rows.push_back({"precision " + r.category_names[j], h.per_class[j].precision,
                      published("precision/" + r.category_names[j]), o});
      rows.push_back(
          {"recall " + r.category_names[j], h.per_class[j].recall, published("recall/" + r.category_names[j]), o});
    }
    add("Humans' per-class precision and recall (majority vote, Figure 3)", rows);
  }
  {
    std::vector<comparison_row> rows;
    for (std::size_t m = 0; m + 1 < np; ++m) {
      const std::string& nm = r.predictor_names[m + 1];
      const data_origin o = r.origin(0, m + 1);
      if (r.reported(o))
        rows.push_back(
            {nm + ": mean r over conditions", r.summary.offdiag_r_mean[m], published("offdiag_r_mean/" + nm), o, 2});
      if (const auto* gb = detail::subset_of(r, subset_level::distortion_type, "GB"))
        for (const auto& c : gb->correlations)
          if (c.predictor == nm && r.reported(r.origin_on(0, m + 1, *gb)))
            rows.push_back({nm + ": r on GB (Figure 5)", c.correlation.r, published("offdiag_r/" + nm + "/GB"),
                            r.origin_on(0, m + 1, *gb), 2});
    }
    add("Off-diagonal error correlation with the humans (row-normalised, Figures 4-5)", rows);
    for (std::size_t i = 0; !rows.empty() && i < rows.size(); ++i)
      out.back().rows[i].back() = detail::data_cell(rows[i].origin);
  }
  if (r.reported(r.votes_origin)) {
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
