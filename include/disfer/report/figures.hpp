#pragma once
/// \file
/// The figures of a reproduction as disfer::figure objects (report/svg.hpp draws them):
/// Figure 2 (accuracy per distortion type and level, one line per predictor, Wilson intervals; one
/// panel per type), Figure 3 (row-normalised confusion matrices per predictor and condition),
/// Figure 4 (off-diagonal error correlation with the humans per condition, Fisher-z intervals)
/// and Figure 5 (row-normalised confusion matrices on Gaussian blur with the diagonal removed).
/// Categories are displayed in the paper's alphabetical order when they are the FER-2013 emotions.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "disfer/core/emotion.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/report/svg.hpp"
#include "disfer/report/table.hpp"

namespace disfer {

/// Display order of the categories: alphabetical_order when the categories are FER-2013's seven
/// (in FER-2013 order), else the given order.
inline std::vector<std::size_t> display_order(const std::vector<std::string>& categories) {
  std::vector<std::size_t> order(categories.size());
  bool fer = categories.size() == emotion_count;
  for (std::size_t j = 0; fer && j < categories.size(); ++j) fer = categories[j] == name(fer2013_order[j]);
  for (std::size_t j = 0; j < order.size(); ++j) order[j] = fer ? index_of(alphabetical_order[j]) : j;
  return order;
}

namespace detail {

// Row-normalised confusion matrix in display order; NaN rows when empty, NaN diagonal if asked.
inline Eigen::MatrixXd display_proportions(const confusion_counts& cm, const std::vector<std::size_t>& order,
                                           bool drop_diagonal) {
  const auto k = static_cast<Eigen::Index>(order.size());
  Eigen::MatrixXd m(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    const auto ri = static_cast<Eigen::Index>(order[static_cast<std::size_t>(i)]);
    const double total = static_cast<double>(cm.row(ri).sum());
    for (Eigen::Index j = 0; j < k; ++j) {
      const auto cj = static_cast<Eigen::Index>(order[static_cast<std::size_t>(j)]);
      m(i, j) = total > 0 ? static_cast<double>(cm(ri, cj)) / total : std::numeric_limits<double>::quiet_NaN();
      if (drop_diagonal && i == j) m(i, j) = std::numeric_limits<double>::quiet_NaN();
    }
  }
  return m;
}

inline std::vector<std::string> display_labels(const reproduction_result& r, const std::vector<std::size_t>& order) {
  std::vector<std::string> v;
  for (const auto j : order) v.push_back(r.category_names[j]);
  return v;
}

// A heatmap of a confusion matrix's row proportions in display order.
inline heatmap_panel confusion_heatmap(std::string title, const confusion_counts& cm,
                                       const std::vector<std::size_t>& order, const std::vector<std::string>& labels,
                                       bool drop_diagonal) {
  heatmap_panel h;
  h.title = std::move(title);
  h.row_labels = labels;
  h.column_labels = labels;
  h.values = display_proportions(cm, order, drop_diagonal);
  return h;
}

inline std::string origin_note(const reproduction_result& r) {
  const std::string measured_on = r.conditions_with_measured_votes();
  std::string s = r.reported(r.votes_origin) ? "humans: " + std::string(name(r.votes_origin)) + " votes"
                  : measured_on.empty()      ? std::string("humans: no measured votes (not shown)")
                                             : "humans: votes measured on " + measured_on + " only";
  for (std::size_t p = 1; p < r.predictor_names.size(); ++p)
    if (r.reported(r.predictor_origin[p])) s += "; " + r.predictor_names[p] + ": " + name(r.predictor_origin[p]);
  return s;
}

// Whether predictor q is reported on some subset (else it has no place in a figure).
inline bool reported_somewhere(const reproduction_result& r, std::size_t q) {
  for (const auto& s : r.per_condition.subsets)
    if (r.reported(r.origin_on(q, s))) return true;
  return false;
}

}  // namespace detail

/// Figure 2: one panel per distortion type; x = original then the type's conditions by severity.
inline figure reproduction_figure2(const reproduction_result& r) {
  detail::check_reproduction_result("reproduction_figure2", r);
  figure f;
  f.title = "Figure 2: accuracy per distortion type and level (95% Wilson intervals)";
  f.columns = 3;
  std::string original;
  for (const auto& c : r.conditions)
    if (c.family == 0 && original.empty()) original = c.name;
  for (std::size_t fam = 1; fam < r.family_names.size(); ++fam) {
    std::vector<const study_condition*> conds;
    for (const auto& c : r.conditions)
      if (c.family == fam) conds.push_back(&c);
    if (conds.empty()) continue;
    std::stable_sort(conds.begin(), conds.end(),
                     [](const study_condition* a, const study_condition* b) { return a->severity < b->severity; });
    line_panel p;
    p.title = r.family_names[fam];
    p.x_label = "distortion level";
    p.y_label = "accuracy";
    std::vector<std::string> names;
    if (!original.empty()) names.push_back(original);
    for (const auto* c : conds) names.push_back(c->name);
    p.x_ticks = names;
    for (std::size_t q = 0; q < r.predictor_names.size(); ++q) {
      if (!detail::reported_somewhere(r, q)) continue;
      plot_series s;
      // The origin of what the series shows: measured when only the measured points are drawn.
      const data_origin shown = r.reported(r.predictor_origin[q]) ? r.predictor_origin[q] : data_origin::measured;
      s.name = r.predictor_names[q] + " (" + name(shown) + ")";
      for (const auto& n : names) {  // NaN for a condition no stimulus has, or not reported there
        const auto* sub = detail::subset_of(r, subset_level::condition, n);
        if (sub && !r.reported(r.origin_on(q, *sub))) sub = nullptr;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        s.y.push_back(sub ? sub->predictors[q].accuracy.estimate : nan);
        s.lower.push_back(sub ? sub->predictors[q].accuracy.ci_low : nan);
        s.upper.push_back(sub ? sub->predictors[q].accuracy.ci_high : nan);
      }
      p.series.push_back(std::move(s));
    }
    f.lines.push_back(std::move(p));
  }
  f.caption = detail::origin_note(r);
  return f;
}

/// Figure 3: one heatmap per predictor and condition (rows truth, columns prediction, share of the row).
inline figure reproduction_figure3(const reproduction_result& r) {
  detail::check_reproduction_result("reproduction_figure3", r);
  figure f;
  f.title = "Figure 3: confusion matrices (rows: dataset label, columns: prediction; share of the row)";
  f.columns = r.conditions.size();
  const auto order = display_order(r.category_names);
  const auto labels = detail::display_labels(r, order);
  const auto k = static_cast<Eigen::Index>(r.category_names.size());
  const confusion_counts none = confusion_counts::Zero(k, k);  // a condition no stimulus has: NaN rows
  for (std::size_t q = 0; q < r.predictor_names.size(); ++q)
    for (const auto& c : r.conditions) {
      if (!detail::reported_somewhere(r, q)) break;
      const auto* sub = detail::subset_of(r, subset_level::condition, c.name);
      if (sub && !r.reported(r.origin_on(q, *sub))) sub = nullptr;  // grey: not measured there
      f.heatmaps.push_back(detail::confusion_heatmap(r.predictor_names[q] + ", " + c.name,
                                                     sub ? sub->predictors[q].confusion : none, order, labels, false));
    }
  f.caption = detail::origin_note(r);
  return f;
}

/// Figure 4: Pearson r of the off-diagonal cells (row-normalised) of each model with the humans,
/// per condition, with Fisher-z intervals.
inline figure reproduction_figure4(const reproduction_result& r) {
  detail::check_reproduction_result("reproduction_figure4", r);
  figure f;
  f.title = "Figure 4: off-diagonal error correlation with the humans per condition (95% Fisher-z intervals)";
  f.columns = 1;
  line_panel p;
  p.title = "Pearson r of off-diagonal confusion proportions";
  p.x_label = "condition";
  p.y_label = "r";
  p.y_min = -1;
  p.y_max = 1;
  for (const auto& c : r.conditions) p.x_ticks.push_back(c.name);
  for (std::size_t q = 1; q < r.predictor_names.size(); ++q) {
    plot_series s;
    s.name = r.predictor_names[q] + " (" + name(r.origin(0, q)) + ")";
    bool any = false;
    for (const auto& c : r.conditions) {
      const auto* sub = detail::subset_of(r, subset_level::condition, c.name);
      if (sub && !r.reported(r.origin_on(0, q, *sub))) sub = nullptr;
      any = any || sub;
      double y = std::numeric_limits<double>::quiet_NaN(), lo = y, hi = y;
      if (sub)
        for (const auto& cr : sub->correlations)
          if (cr.predictor == r.predictor_names[q])
            y = cr.correlation.r, lo = cr.correlation.ci_low, hi = cr.correlation.ci_high;
      s.y.push_back(y);
      s.lower.push_back(lo);
      s.upper.push_back(hi);
    }
    if (any) p.series.push_back(std::move(s));
  }
  const bool empty = p.series.empty();
  f.lines.push_back(std::move(p));
  f.caption = detail::origin_note(r);
  if (empty) f.caption += "; no model is compared with reported human votes";
  return f;
}

/// Figure 5: confusion proportions without the diagonal on the distortion type `type` (the paper:
/// Gaussian blur, "GB"), one heatmap per predictor, the model's r with the humans in the title;
/// all stimuli when none is of that type (the title says so). Colours saturate at 0.5.
inline figure reproduction_figure5(const reproduction_result& r, const std::string& type = "GB") {
  detail::check_reproduction_result("reproduction_figure5", r);
  figure f;
  f.title = "Figure 5: off-diagonal confusion proportions on " + type + " (diagonal removed)";
  f.columns = 3;
  const auto order = display_order(r.category_names);
  const auto labels = detail::display_labels(r, order);
  const subset_result* sub = nullptr;
  for (const auto& s : r.per_condition.subsets)
    if (s.level == subset_level::distortion_type && s.name == type) sub = &s;
  if (!sub) {  // no stimulus of that type: all stimuli, and the title says so
    sub = &r.per_condition.subsets.front();
    f.title = "Figure 5: off-diagonal confusion proportions on all stimuli (none of type " + type + ")";
  }
  for (std::size_t q = 0; q < r.predictor_names.size(); ++q) {
    if (!r.reported(r.origin_on(q, *sub))) continue;
    std::string title = r.predictor_names[q];
    for (const auto& c : sub->correlations)
      if (c.predictor == r.predictor_names[q]) title += ", r = " + fixed(c.correlation.r);
    heatmap_panel h = detail::confusion_heatmap(title, sub->predictors[q].confusion, order, labels, true);
    h.v_max = 0.5;
    f.heatmaps.push_back(std::move(h));
  }
  f.caption = detail::origin_note(r);
  return f;
}

/// The four figures with their file names: figure2_accuracy.svg, figure3_confusion.svg,
/// figure4_error_correlation.svg, figure5_blur_offdiagonal.svg.
inline std::vector<std::pair<std::string, figure>> reproduction_figures(const reproduction_result& r) {
  detail::check_reproduction_result("reproduction_figures", r);
  return {{"figure2_accuracy.svg", reproduction_figure2(r)},
          {"figure3_confusion.svg", reproduction_figure3(r)},
          {"figure4_error_correlation.svg", reproduction_figure4(r)},
          {"figure5_blur_offdiagonal.svg", reproduction_figure5(r)}};
}

}  // namespace disfer
