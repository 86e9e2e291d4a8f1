#pragma once
/// \file
/// The DisFER paper's aggregates of one study (simulated, or real data put into a simulated_study):
/// majority-vote and model accuracies overall and per condition, Fleiss' kappa, P_i counts, the
/// humans' per-class precision and recall, per-participant accuracy, the sources misclassified in
/// all their versions, McNemar between every pair of predictors, and the off-diagonal correlation
/// of each model's confusion matrices with the humans'. Everything is computed with disfer's own
/// statistics (crowd, agreement, metrics, hypothesis) from votes and predictions.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "disfer/agreement/fleiss_kappa.hpp"
#include "disfer/compare/error_correlation.hpp"
#include "disfer/agreement/item_agreement.hpp"
#include "disfer/crowd/majority_vote.hpp"
#include "disfer/crowd/votes.hpp"
#include "disfer/hypothesis/mcnemar.hpp"
#include "disfer/metrics/confusion_matrix.hpp"
#include "disfer/metrics/precision_recall.hpp"
#include "disfer/simulate/study.hpp"

namespace disfer {

/// Accuracy and confusion matrices of one predictor (the humans' majority vote, or a model).
struct simulated_predictor_summary {
  std::string name;
  std::vector<std::uint32_t> labels;  ///< predicted label per stimulus
  double accuracy = 0;                ///< over all stimuli, against the dataset labels
  std::vector<double> accuracy_by_condition;
  std::vector<double> accuracy_by_family;  ///< pooled over the conditions of each family (0 = undistorted)
  confusion_counts confusion;              ///< all stimuli (rows = dataset label)
  std::vector<confusion_counts> confusion_by_condition;
};

/// Per-participant accuracy (each rater's share of votes equal to the dataset label).
struct participant_accuracy {
  std::size_t raters = 0;
  double mean = 0, sd = 0, se = 0;  ///< sd with n - 1; se = sd / sqrt(raters)
  double min = 0, max = 0;
};

/// Options of summarize_study.
struct summary_options {
  /// Tie policy of the humans' majority vote (random: stream (seed, stimulus, tie_break)).
  tie_policy ties = tie_policy::random;
  mcnemar_method mcnemar = mcnemar_method::exact;
  /// Compute McNemar and error correlations (skipped by calibration loops that need accuracies only).
  bool comparisons = true;
};

/// All the paper's aggregates of one study.
struct study_summary {
  /// [0] = humans (majority vote), then the models in study order.
  std::vector<simulated_predictor_summary> predictors;
  count_matrix counts;               ///< stimuli x k vote counts
  fleiss_kappa_result kappa;         ///< pooled margins
  Eigen::VectorXd p_i;               ///< per-stimulus agreement
  item_agreement_summary agreement;  ///< counts of P_i > 0.9, > 0.5, < 0.3
  /// Stimuli with P_i > 0.9, by majority-vote label (the paper: 43 of 81 are happiness).
  std::vector<std::size_t> high_agreement_by_label;
  precision_recall_result human_metrics;  ///< per-class precision/recall of the majority vote
  participant_accuracy participants;
  std::size_t majority_ties = 0;  ///< stimuli whose majority vote was a tie
  /// Sources whose majority vote is wrong under every condition (the paper: 19 of 84).
  std::vector<std::uint32_t> always_misclassified;
  /// Majority-vote accuracy on the stimuli of the other sources (the paper's "82%", read as in
  /// DISFER-FACTS.md).
  double accuracy_without_always_misclassified = std::numeric_limits<double>::quiet_NaN();
  /// Mean per-participant accuracy on those stimuli (the literal reading of the "82%").
  double participant_accuracy_without_always_misclassified = std::numeric_limits<double>::quiet_NaN();
  /// log10 of McNemar's p-value between predictors a and b (indices into `predictors`).
  std::vector<std::vector<double>> mcnemar_log10_p;
  /// Off-diagonal correlation with the humans: [model][condition], with r of model m in entry m
  /// (model indices are predictor index - 1).
  std::vector<std::vector<double>> offdiag_r_by_condition;
  std::vector<double> offdiag_r_mean;                    ///< [model]: mean over the conditions where r is defined
  std::vector<std::vector<double>> offdiag_r_by_family;  ///< [model][family]: pooled confusion matrices
};

namespace detail {

/// Off-diagonal error correlation of row-normalised confusion matrices (the paper's Figure 4).
inline double row_offdiag_r(const confusion_counts& a, const confusion_counts& b) {
  return off_diagonal_correlation(a, b, normalization::row).r;
}

inline simulated_predictor_summary summarize_predictor(const simulated_study& study, std::string name,
                                                       std::vector<std::uint32_t> labels, std::size_t n_families) {
  simulated_predictor_summary p;
  p.name = std::move(name);
  const std::size_t k = study.k, n_cond = study.conditions.size();
  const std::vector<std::uint32_t> truth = study.labels();
  p.confusion = confusion_matrix(truth, labels, k);
  p.accuracy = accuracy(p.confusion);
  p.confusion_by_condition.assign(n_cond,
                                  confusion_counts::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)));
  for (std::size_t i = 0; i < labels.size(); ++i)
    ++p.confusion_by_condition[study.stimuli[i].condition](truth[i], labels[i]);
  std::vector<std::int64_t> right(n_families, 0), total(n_families, 0);
  p.accuracy_by_condition.resize(n_cond);
  for (std::size_t c = 0; c < n_cond; ++c) {
    const auto& cm = p.confusion_by_condition[c];
    p.accuracy_by_condition[c] = cm.sum() > 0 ? accuracy(cm) : std::numeric_limits<double>::quiet_NaN();
    const std::size_t f = study.conditions[c].family;
    right[f] += cm.trace();
    total[f] += cm.sum();
  }
  p.accuracy_by_family.resize(n_families);
  for (std::size_t f = 0; f < n_families; ++f)
    p.accuracy_by_family[f] = total[f] > 0 ? static_cast<double>(right[f]) / static_cast<double>(total[f])
                                           : std::numeric_limits<double>::quiet_NaN();
  p.labels = std::move(labels);
  return p;
}

}  // namespace detail

/// Computes the paper's aggregates from a study's votes and predictions (see study_summary).
/// Reads k, conditions, stimuli (source, condition, label), votes, model_names, predictions and
/// seed (for random tie-breaking). Complexity O(votes + stimuli (k + predictors^2) + conditions k^2).
/// Throws disfer::error when a stimulus has no vote, a condition or label outside the study's, when a
/// prediction vector's length differs from the number of stimuli or holds a label outside 0..k-1,
/// or as the statistics it calls.
inline study_summary summarize_study(const simulated_study& study, const summary_options& options = {}) {
  constexpr const char* fn = "summarize_study";
  const std::size_t k = study.k, n = study.stimuli.size(), n_cond = study.conditions.size();
  if (study.votes.n_items != n) detail::fail(fn, "the votes name ", study.votes.n_items, " stimuli; the study has ", n);
  for (std::size_t m = 0; m < study.predictions.size(); ++m)
    if (study.predictions[m].size() != n)
      detail::fail(fn, "model ", m, " has ", study.predictions[m].size(), " predictions for ", n, " stimuli");
  // A hand-built study may index past its tables: name this function rather than read out of
  // bounds or let confusion_matrix name itself.
  for (std::size_t i = 0; i < n; ++i) {
    if (study.stimuli[i].condition >= n_cond)
      detail::fail(fn, "stimulus ", i, " ('", study.stimuli[i].name, "') has condition ", study.stimuli[i].condition,
                   "; the study has ", n_cond, " conditions");
    if (study.stimuli[i].label >= k)
      detail::fail(fn, "stimulus ", i, " ('", study.stimuli[i].name, "') has label ", study.stimuli[i].label,
                   "; the study has k = ", k, " categories");
    for (std::size_t m = 0; m < study.predictions.size(); ++m)
      if (study.predictions[m][i] >= k)
        detail::fail(fn, "model ", m, " predicts label ", study.predictions[m][i], " for stimulus ", i, " ('",
                     study.stimuli[i].name, "'); the study has k = ", k, " categories");
  }
  std::size_t n_families = 1;
  for (const auto& c : study.conditions) n_families = std::max(n_families, c.family + 1);

  study_summary s;
  s.counts = detail::vote_counts_as(study.votes, k, fn);
  for (Eigen::Index i = 0; i < s.counts.rows(); ++i)
    if (s.counts.row(i).sum() == 0)
      detail::fail(fn, "stimulus ", i, " ('", study.stimuli[static_cast<std::size_t>(i)].name, "') has no vote");
  const majority_vote_result mv = majority_vote(s.counts, options.ties, study.seed);
  s.majority_ties = mv.n_ties;
  std::vector<std::uint32_t> human(n);
  for (std::size_t i = 0; i < n; ++i) human[i] = static_cast<std::uint32_t>(mv.labels[i]);
  s.predictors.push_back(detail::summarize_predictor(study, "humans", human, n_families));
  for (std::size_t m = 0; m < study.predictions.size(); ++m)
    s.predictors.push_back(detail::summarize_predictor(study, study.model_names[m], study.predictions[m], n_families));

  fleiss_options fo;
  fo.nonnull_se = options.comparisons;
  s.kappa = fleiss_kappa(s.counts, fo);
  s.p_i = item_agreement(s.counts);
  s.agreement = summarize_item_agreement(s.p_i);
  s.high_agreement_by_label.assign(k, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (s.p_i[static_cast<Eigen::Index>(i)] > 0.9) ++s.high_agreement_by_label[human[i]];
  s.human_metrics = precision_recall(s.predictors[0].confusion);

  // Per-participant accuracy.
  const std::vector<std::uint32_t> truth = study.labels();
  std::vector<std::int64_t> right(study.votes.n_raters, 0), seen(study.votes.n_raters, 0);
  for (std::size_t v = 0; v < study.votes.size(); ++v) {
    ++seen[study.votes.rater[v]];
    if (study.votes.label[v] == truth[study.votes.item[v]]) ++right[study.votes.rater[v]];
  }
  {
    participant_accuracy& pa = s.participants;
    double sum = 0, sum2 = 0;
    pa.min = 1;
    pa.max = 0;
    for (std::size_t r = 0; r < right.size(); ++r) {
      if (seen[r] == 0) continue;
      const double a = static_cast<double>(right[r]) / static_cast<double>(seen[r]);
      ++pa.raters;
      sum += a;
      pa.min = std::min(pa.min, a);
      pa.max = std::max(pa.max, a);
    }
    pa.mean = sum / static_cast<double>(pa.raters);
    for (std::size_t r = 0; r < right.size(); ++r) {
      if (seen[r] == 0) continue;
      const double a = static_cast<double>(right[r]) / static_cast<double>(seen[r]) - pa.mean;
      sum2 += a * a;
    }
    pa.sd =
        pa.raters > 1 ? std::sqrt(sum2 / static_cast<double>(pa.raters - 1)) : std::numeric_limits<double>::quiet_NaN();
    pa.se = pa.sd / std::sqrt(static_cast<double>(pa.raters));
  }

  // Sources misclassified by the majority in every condition.
  std::size_t n_sources = 0;
  for (const auto& st : study.stimuli) n_sources = std::max<std::size_t>(n_sources, std::size_t{st.source} + 1);
  std::vector<std::uint8_t> ever_right(n_sources, 0), present(n_sources, 0);
  for (std::size_t i = 0; i < n; ++i) {
    present[study.stimuli[i].source] = 1;
    if (human[i] == truth[i]) ever_right[study.stimuli[i].source] = 1;
  }
  for (std::size_t src = 0; src < n_sources; ++src)
    if (present[src] && !ever_right[src]) s.always_misclassified.push_back(static_cast<std::uint32_t>(src));
  {
    std::int64_t mv_right = 0, mv_total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!ever_right[study.stimuli[i].source]) continue;
      ++mv_total;
      if (human[i] == truth[i]) ++mv_right;
    }
    std::vector<std::int64_t> r_right(study.votes.n_raters, 0), r_seen(study.votes.n_raters, 0);
    for (std::size_t v = 0; v < study.votes.size(); ++v) {
      const std::uint32_t i = study.votes.item[v];
      if (!ever_right[study.stimuli[i].source]) continue;
      ++r_seen[study.votes.rater[v]];
      if (study.votes.label[v] == truth[i]) ++r_right[study.votes.rater[v]];
    }
    double sum = 0;
    std::size_t cnt = 0;
    for (std::size_t r = 0; r < r_seen.size(); ++r)
      if (r_seen[r] > 0) {
        sum += static_cast<double>(r_right[r]) / static_cast<double>(r_seen[r]);
        ++cnt;
      }
    if (mv_total > 0)
      s.accuracy_without_always_misclassified = static_cast<double>(mv_right) / static_cast<double>(mv_total);
    if (cnt > 0) s.participant_accuracy_without_always_misclassified = sum / static_cast<double>(cnt);
  }

  if (!options.comparisons) return s;
  const std::size_t np = s.predictors.size();
  s.mcnemar_log10_p.assign(np, std::vector<double>(np, 0.0));
  for (std::size_t a = 0; a < np; ++a)
    for (std::size_t b = a + 1; b < np; ++b) {
      const double l = mcnemar(truth, s.predictors[a].labels, s.predictors[b].labels, options.mcnemar).log10_p_value;
      s.mcnemar_log10_p[a][b] = s.mcnemar_log10_p[b][a] = l;
    }
  const std::size_t nm = np - 1;
  s.offdiag_r_by_condition.assign(nm, std::vector<double>(n_cond, std::numeric_limits<double>::quiet_NaN()));
  s.offdiag_r_mean.assign(nm, std::numeric_limits<double>::quiet_NaN());
  s.offdiag_r_by_family.assign(nm, std::vector<double>(n_families, std::numeric_limits<double>::quiet_NaN()));
  for (std::size_t m = 0; m < nm; ++m) {
    double sum = 0;
    std::size_t cnt = 0;
    for (std::size_t c = 0; c < n_cond; ++c) {
      const double r = detail::row_offdiag_r(s.predictors[0].confusion_by_condition[c],
                                             s.predictors[m + 1].confusion_by_condition[c]);
      s.offdiag_r_by_condition[m][c] = r;
      if (r == r) sum += r, ++cnt;
    }
    if (cnt > 0) s.offdiag_r_mean[m] = sum / static_cast<double>(cnt);
    for (std::size_t f = 0; f < n_families; ++f) {
      confusion_counts ha = confusion_counts::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
      confusion_counts mb = ha;
      bool any = false;
      for (std::size_t c = 0; c < n_cond; ++c)
        if (study.conditions[c].family == f) {
          ha += s.predictors[0].confusion_by_condition[c];
          mb += s.predictors[m + 1].confusion_by_condition[c];
          any = true;
        }
      if (any) s.offdiag_r_by_family[m][f] = detail::row_offdiag_r(ha, mb);
    }
  }
  return s;
}

}  // namespace disfer
