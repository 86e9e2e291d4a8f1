#pragma once
/// \file
/// Per-class precision, recall, F-beta and support from a confusion matrix, with macro, weighted and
/// micro averages, following scikit-learn >= 1.4 (`precision_recall_fscore_support`), and a printable
/// classification report in the layout of scikit-learn's `classification_report`.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "disfer/metrics/confusion_matrix.hpp"

namespace disfer {

/// The value given to a ratio whose denominator is 0 (scikit-learn's `zero_division`).
enum class zero_division {
  zero,  ///< 0 (scikit-learn's default "warn", without the warning)
  one,   ///< 1
  nan    ///< NaN; NaN entries are left out of the macro and weighted averages
};

/// Metrics of one class (one row/column of the confusion matrix).
struct class_metrics {
  std::int64_t tp = 0;       ///< cm(c, c)
  std::int64_t fp = 0;       ///< column total minus tp
  std::int64_t fn = 0;       ///< row total minus tp
  std::int64_t support = 0;  ///< row total: items whose truth is c
  double precision = 0;      ///< tp / (tp + fp)
  double recall = 0;         ///< tp / (tp + fn)
  double f_score = 0;        ///< (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp)
};

/// An average of precision, recall and F over classes.
struct averaged_metrics {
  double precision = 0;
  double recall = 0;
  double f_score = 0;
};

/// Result of precision_recall().
struct precision_recall_result {
  std::vector<class_metrics> per_class;  ///< one entry per class, in index order
  averaged_metrics macro;                ///< unweighted mean over classes
  averaged_metrics weighted;             ///< mean weighted by support
  averaged_metrics micro;                ///< from the summed tp, fp, fn (multi-class: = accuracy)
  std::int64_t total = 0;                ///< number of items
  double beta = 1;                       ///< the F's beta
  zero_division zero_division_rule = zero_division::zero;
};

namespace detail {

inline double zero_division_value(zero_division zd) {
  switch (zd) {
    case zero_division::zero:
      return 0.0;
    case zero_division::one:
      return 1.0;
    case zero_division::nan:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

inline double ratio_or(std::int64_t num, std::int64_t den, zero_division zd) {
  return den == 0 ? zero_division_value(zd) : static_cast<double>(num) / static_cast<double>(den);
}

inline double f_beta(std::int64_t tp, std::int64_t fp, std::int64_t fn, double beta2, zero_division zd) {
  const double num = (1.0 + beta2) * static_cast<double>(tp);
  const double den = num + beta2 * static_cast<double>(fn) + static_cast<double>(fp);
  return den == 0.0 ? zero_division_value(zd) : num / den;
}

// scikit-learn's _nanaverage: NaN entries (and their weights) are dropped; when every entry is NaN
// the result is NaN; when the remaining weights sum to 0 the plain mean is used.
inline double nan_average(const std::vector<double>& v, const std::vector<double>* weights) {
  double sum = 0, wsum = 0, plain = 0;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) continue;
    const double w = weights ? (*weights)[i] : 1.0;
    sum += w * v[i];
    wsum += w;
    plain += v[i];
    ++kept;
  }
  if (kept == 0) return std::numeric_limits<double>::quiet_NaN();
  if (wsum == 0.0) return plain / static_cast<double>(kept);
  return sum / wsum;
}

}  // namespace detail

/// Precision, recall, F-beta and support per class and averaged, with scikit-learn >= 1.4 semantics:
/// precision = tp/(tp+fp), recall = tp/(tp+fn), F_beta = (1+b^2)tp / ((1+b^2)tp + b^2 fn + fp), each
/// replaced by `zd` only when its own denominator is 0 (so F is 0, not `zd`, when tp = 0 but fp or fn
/// is not; scikit-learn PR #27577). Every class of the k x k matrix counts in the averages, also
/// classes with support 0. Macro: plain mean; weighted: mean weighted by support; with
/// zero_division::nan, NaN entries are left out (scikit-learn's `_nanaverage`), and an average of
/// only NaN entries is NaN. Micro: the same formulas on the summed tp, fp and fn.
/// Weighted averages when every support is 0 (an empty table: nothing was predicted either) are
/// `zd` for precision, recall and F, NaN under zero_division::nan, as scikit-learn >= 1.4 gives.
/// Complexity O(k^2). Throws disfer::error on a non-square table, k < 2, negative counts, or
/// beta not finite and > 0.
inline precision_recall_result precision_recall(const confusion_counts& cm, zero_division zd = zero_division::zero,
                                                double beta = 1.0) {
  constexpr const char* fn = "precision_recall";
  detail::check_confusion(cm, fn);
  if (!(beta > 0.0) || !std::isfinite(beta)) detail::fail(fn, "beta = ", beta, " must be finite and > 0");
  const double beta2 = beta * beta;
  const auto k = static_cast<std::size_t>(cm.rows());
  precision_recall_result out;
  out.beta = beta;
  out.zero_division_rule = zd;
  out.per_class.resize(k);
  std::vector<double> p(k), r(k), f(k), w(k);
  std::int64_t tp_sum = 0, fp_sum = 0, fn_sum = 0;
  for (std::size_t c = 0; c < k; ++c) {
    const auto i = static_cast<Eigen::Index>(c);
    class_metrics& m = out.per_class[c];
    m.tp = cm(i, i);
    m.support = cm.row(i).sum();
    m.fp = cm.col(i).sum() - m.tp;
    m.fn = m.support - m.tp;
    m.precision = detail::ratio_or(m.tp, m.tp + m.fp, zd);
    m.recall = detail::ratio_or(m.tp, m.tp + m.fn, zd);
    m.f_score = detail::f_beta(m.tp, m.fp, m.fn, beta2, zd);
    p[c] = m.precision;
    r[c] = m.recall;
    f[c] = m.f_score;
    w[c] = static_cast<double>(m.support);
    tp_sum += m.tp;
    fp_sum += m.fp;
    fn_sum += m.fn;
    out.total += m.support;
  }
  out.macro = {detail::nan_average(p, nullptr), detail::nan_average(r, nullptr), detail::nan_average(f, nullptr)};
  if (out.total == 0) {
    // scikit-learn: all supports 0 (here: an empty table, so nothing was predicted either): every
    // per-class value is `zd`, and so is their average (NaN for zero_division::nan, as
    // scikit-learn's _nanaverage of only NaN entries).
    const double v = detail::zero_division_value(zd);
    out.weighted = {v, v, v};
  } else {
    out.weighted = {detail::nan_average(p, &w), detail::nan_average(r, &w), detail::nan_average(f, &w)};
  }
  out.micro = {detail::ratio_or(tp_sum, tp_sum + fp_sum, zd), detail::ratio_or(tp_sum, tp_sum + fn_sum, zd),
               detail::f_beta(tp_sum, fp_sum, fn_sum, beta2, zd)};
  return out;
}

/// A text report in the layout of scikit-learn's `classification_report`: one line per class
/// (precision, recall, F, support), then accuracy, macro avg and weighted avg, with `digits`
/// decimals. `names` labels the classes (default: their indices); NaN prints as "nan".
/// Throws disfer::error when names has the wrong length or digits > 15.
inline std::string classification_report(const precision_recall_result& result,
                                         const std::vector<std::string>& names = {}, int digits = 2) {
  constexpr const char* fn = "classification_report";
  const std::size_t k = result.per_class.size();
  if (!names.empty() && names.size() != k) detail::fail(fn, "names has ", names.size(), " entries for ", k, " classes");
  if (digits < 0 || digits > 15) detail::fail(fn, "digits = ", digits, " is not in [0, 15]");
  std::vector<std::string> rows(k);
  for (std::size_t c = 0; c < k; ++c) rows[c] = names.empty() ? std::to_string(c) : names[c];
  std::size_t width = std::string("weighted avg").size();
  for (const auto& s : rows) width = std::max(width, s.size());
  const int col = 9;  // scikit-learn's fixed column width
  auto num = [&](double v) {
    char buf[64];
    if (std::isnan(v))
      std::snprintf(buf, sizeof buf, "%*s", col + 1, "nan");
    else
      std::snprintf(buf, sizeof buf, " %*.*f", col, digits, v);
    return std::string(buf);
  };
  auto cell = [&](const std::string& s) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %*s", col, s.c_str());
    return std::string(buf);
  };
  auto label = [&](const std::string& s) { return std::string(width - std::min(width, s.size()), ' ') + s + ' '; };
  std::string f_name = result.beta == 1.0 ? "f1-score" : "f-score";
  std::string out = label("") + cell("precision") + cell("recall") + cell(f_name) + cell("support") + "\n\n";
  for (std::size_t c = 0; c < k; ++c) {
    const auto& m = result.per_class[c];
    out += label(rows[c]) + num(m.precision) + num(m.recall) + num(m.f_score) + cell(std::to_string(m.support)) + "\n";
  }
  out += "\n";
  const std::string total = std::to_string(result.total);
  out += label("accuracy") + cell("") + cell("") + num(result.micro.f_score) + cell(total) + "\n";
  out += label("macro avg") + num(result.macro.precision) + num(result.macro.recall) + num(result.macro.f_score) +
         cell(total) + "\n";
  out += label("weighted avg") + num(result.weighted.precision) + num(result.weighted.recall) +
         num(result.weighted.f_score) + cell(total) + "\n";
  return out;
}

}  // namespace disfer
