// metrics: confusion matrices (rows = truth), their normalisation, accuracy with a Wilson interval,
// balanced accuracy, precision / recall / F-beta with scikit-learn's zero_division, and the
// classification report.

#include <cmath>
#include <string>

#include "common.hpp"
#include "disfer/metrics.hpp"

namespace disfer_py {

namespace {

using disfer::confusion_counts;

/// A square (or any) count table as the C++ confusion_counts (k x k: a small copy).
confusion_counts table_of(const char* function, const py::object& cm) {
  return with_counts(
      function, cm, [](const auto& v) -> confusion_counts { return v.template cast<std::int64_t>(); }, "cm");
}

/// normalize's `how`: a Normalization, its name, None (= none) or scikit-learn's 'true', 'pred', 'all'.
disfer::normalization normalization_of(const py::object& how) {
  using disfer::normalization;
  if (how.is_none()) return normalization::none;
  if (py::isinstance<py::str>(how)) {
    const auto s = how.cast<std::string>();
    if (s == "true") return normalization::row;
    if (s == "pred") return normalization::column;
    if (s == "all") return normalization::total;
  }
  return how.cast<normalization>();
}

/// zero_division: a ZeroDivision, its name, or scikit-learn's 0, 1, numpy.nan and "warn" (= 0).
disfer::zero_division zero_division_of(const char* function, const py::object& zd) {
  using disfer::zero_division;
  if (py::isinstance<py::str>(zd) && zd.cast<std::string>() == "warn") return zero_division::zero;
  if (py::isinstance<py::bool_>(zd)) fail(function, "zero_division must be 0, 1, nan or a ZeroDivision name");
  if (py::isinstance<py::int_>(zd) || py::isinstance<py::float_>(zd)) {
    const double v = zd.cast<double>();
    if (std::isnan(v)) return zero_division::nan;
    if (v == 0.0) return zero_division::zero;
    if (v == 1.0) return zero_division::one;
    fail(function, "zero_division = " + disfer::detail::shortest(v) + "; it must be 0, 1 or nan");
  }
  return zd.cast<zero_division>();
}

}  // namespace

void init_metrics(py::module_& m) {
  using namespace disfer;

  bind_enum<normalization>(m, "Normalization",
                           {{"none", normalization::none},
                            {"row", normalization::row},
                            {"column", normalization::column},
                            {"total", normalization::total}},
                           "How normalize turns counts into proportions: none, row (scikit-learn normalize='true'),\n"
                           "column ('pred') or total ('all').");
  bind_enum<zero_division>(m, "ZeroDivision",
                           {{"zero", zero_division::zero}, {"one", zero_division::one}, {"nan", zero_division::nan}},
                           "The value of a ratio whose denominator is 0, as scikit-learn's zero_division (0, 1, nan).");

  m.def(
      "confusion_matrix",
      [](const py::object& truth, const py::object& pred, std::size_t k) {
        auto t = int_vector("confusion_matrix", truth, "truth"), p = int_vector("confusion_matrix", pred, "pred");
        return without_gil([&] { return confusion_matrix(t, p, k); });
      },
      py::arg("truth"), py::arg("pred"), py::arg("k"),
      "The k x k table C[t, p] = #{i : truth_i = t, pred_i = p} (rows = truth, columns = prediction) of two\n"
      "label arrays in 0..k-1: sklearn.metrics.confusion_matrix(truth, pred, labels=range(k)).");

  m.def(
      "normalize",
      [](const py::object& cm, const py::object& how) {
        const auto h = normalization_of(how);
        auto c = table_of("normalize", cm);
        return without_gil([&] { return normalize(c, h); });
      },
      py::arg("cm"), py::arg("how"),
      "A count table as proportions: each row over its total ('row', scikit-learn normalize='true'), each\n"
      "column ('column', 'pred'), the grand total ('total', 'all') or none. A zero total gives NaN where\n"
      "scikit-learn writes 0.");

  result_class<proportion_interval>(m, "ProportionInterval", "A proportion with its confidence interval.")
      .field("estimate", &proportion_interval::estimate, "successes / trials (NaN when trials = 0)")
      .field("ci_low", &proportion_interval::ci_low)
      .field("ci_high", &proportion_interval::ci_high)
      .field("successes", &proportion_interval::successes)
      .field("trials", &proportion_interval::trials)
      .field("level", &proportion_interval::level, "confidence level")
      .done();
  m.def(
      "wilson_interval", [](std::int64_t s, std::int64_t n, double level) { return wilson_interval(s, n, level); },
      py::arg("successes"), py::arg("trials"), py::arg("level") = 0.95,
      "Wilson's (1927) score interval: centre (x + z^2/2) / (n + z^2), half-width z sqrt(x(n - x)/n + z^2/4)\n"
      "/ (n + z^2); statsmodels.stats.proportion.proportion_confint(x, n, 1 - level, method='wilson').");
  m.def(
      "accuracy", [](const py::object& cm) { return accuracy(table_of("accuracy", cm)); }, py::arg("cm"),
      "trace / total of a k x k confusion matrix (NaN when empty): sklearn.metrics.accuracy_score.");
  m.def(
      "accuracy_interval",
      [](const py::object& cm, double level) { return accuracy_interval(table_of("accuracy_interval", cm), level); },
      py::arg("cm"), py::arg("level") = 0.95,
      "Accuracy trace / total with its Wilson score interval (statsmodels proportion_confint(trace, total,\n"
      "method='wilson')).");
  m.def(
      "balanced_accuracy",
      [](const py::object& cm, bool adjusted) {
        return balanced_accuracy(table_of("balanced_accuracy", cm), adjusted);
      },
      py::arg("cm"), py::arg("adjusted") = false,
      "Mean recall over the classes present in the truth; adjusted: (score - 1/c) / (1 - 1/c), chance = 0.\n"
      "sklearn.metrics.balanced_accuracy_score(truth, pred, adjusted=...).");

  result_class<class_metrics>(m, "ClassMetrics", "Metrics of one class.")
      .field("tp", &class_metrics::tp, "cm[c, c]")
      .field("fp", &class_metrics::fp, "column total - tp")
      .field("fn", &class_metrics::fn, "row total - tp")
      .field("support", &class_metrics::support, "row total")
      .field("precision", &class_metrics::precision, "tp / (tp + fp)")
      .field("recall", &class_metrics::recall, "tp / (tp + fn)")
      .field("f_score", &class_metrics::f_score, "(1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp)")
      .done();
  result_class<averaged_metrics>(m, "AveragedMetrics", "An average of precision, recall and F over classes.")
      .field("precision", &averaged_metrics::precision)
      .field("recall", &averaged_metrics::recall)
      .field("f_score", &averaged_metrics::f_score)
      .done();
  result_class<precision_recall_result>(m, "PrecisionRecall", "Result of precision_recall.")
      .field("per_class", &precision_recall_result::per_class, "one ClassMetrics per class, in index order")
      .field("macro", &precision_recall_result::macro, "unweighted mean over classes")
      .field("weighted", &precision_recall_result::weighted, "mean weighted by support")
      .field("micro", &precision_recall_result::micro, "from the summed tp, fp, fn (multi-class: accuracy)")
      .field("total", &precision_recall_result::total, "number of items")
      .field("beta", &precision_recall_result::beta, "the F's beta")
      .field("zero_division_rule", &precision_recall_result::zero_division_rule)
      .done();
  m.def(
      "precision_recall",
      [](const py::object& cm, const py::object& zd, double beta) {
        const auto rule = zero_division_of("precision_recall", zd);
        auto c = table_of("precision_recall", cm);
        return without_gil([&] { return precision_recall(c, rule, beta); });
      },
      py::arg("cm"), py::arg("zero_division") = zero_division::zero, py::arg("beta") = 1.0,
      "Per-class precision tp/(tp+fp), recall tp/(tp+fn), F_beta = (1+b^2)tp / ((1+b^2)tp + b^2 fn + fp)\n"
      "and support, with macro, weighted and micro averages: sklearn.metrics.precision_recall_fscore_support\n"
      "(labels=range(k), beta, zero_division=0, 1 or nan) with scikit-learn >= 1.4's F rule.");
  m.def(
      "classification_report",
      [](const py::object& result, const std::vector<std::string>& names, int digits, const py::object& zd) {
        if (py::isinstance<precision_recall_result>(result))
          return classification_report(result.cast<const precision_recall_result&>(), names, digits);
        const auto rule = zero_division_of("classification_report", zd);
        auto r = precision_recall(table_of("classification_report", result), rule, 1.0);
        return classification_report(r, names, digits);
      },
      py::arg("result"), py::arg("names") = std::vector<std::string>{}, py::arg("digits") = 2,
      py::arg("zero_division") = zero_division::zero,
      "sklearn.metrics.classification_report's text (per class precision, recall, F, support; accuracy,\n"
      "macro avg, weighted avg) of a PrecisionRecall or of a confusion matrix (then with zero_division).");
}

}  // namespace disfer_py
