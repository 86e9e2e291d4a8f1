// compare: Borji & Itti's off-diagonal (error) correlation and the per-condition analysis engine
// (accuracy, confusion, McNemar for every pair, error correlation with a reference, cluster
// bootstrap), with its input and option structs constructible from Python.

#include <string>
#include <utility>
#include <vector>

#include "common.hpp"
#include "disfer/compare.hpp"

DISFER_PY_STRING_ENUM(disfer::subset_level)

namespace disfer_py {

namespace {

/// Local helper: whether a C++ type already has its Python class (the metrics types may be bound by
/// metrics.cpp, which runs first; then compare uses those classes instead of binding them twice).
/// Local helper: a k x k count table (any integer array; errors name `fn` and `what`) as
/// disfer::confusion_counts.
disfer::confusion_counts counts_of(const char* fn, const py::object& obj, const char* what) {
  return with_counts(
      fn, obj, [](const auto& v) -> disfer::confusion_counts { return v.template cast<std::int64_t>(); }, what);
}

/// Local helper: a 1-D sequence (list, numpy array of str or int) as strings, each entry by str().
std::vector<std::string> strings_of(const char* fn, const py::object& obj, const char* what) {
  if (obj.is_none()) return {};
  if (py::isinstance<py::str>(obj) || !py::isinstance<py::iterable>(obj))
    fail(fn, std::string(what) + " must be a sequence of strings, one per stimulus");
  std::vector<std::string> out;
  for (const auto& x : obj) out.push_back(py::isinstance<py::str>(x) ? x.cast<std::string>() : std::string(py::str(x)));
  return out;
}

/// Local helper: prediction sets from a dict (name -> labels, in insertion order), or a list of
/// PredictionSet or (name, labels) pairs.
std::vector<disfer::prediction_set> sets_of(const char* fn, const py::object& obj) {
  std::vector<disfer::prediction_set> out;
  if (py::isinstance<py::dict>(obj)) {
    for (const auto& item : obj.cast<py::dict>())
      out.push_back({py::str(item.first).cast<std::string>(),
                     int_vector(fn, py::reinterpret_borrow<py::object>(item.second), "prediction set labels")});
    return out;
  }
  if (py::isinstance<py::str>(obj) || !py::isinstance<py::iterable>(obj))
    fail(fn, "predictions must be a dict (name -> labels) or a list of PredictionSet or (name, labels)");
  for (const auto& x : obj) {
    if (py::isinstance<disfer::prediction_set>(x)) {
      out.push_back(x.cast<disfer::prediction_set>());
      continue;
    }
    const auto t = py::reinterpret_borrow<py::object>(x);
    if (!py::isinstance<py::sequence>(t) || py::len(t) != 2)
      fail(fn, "each prediction set must be a PredictionSet or a (name, labels) pair");
    out.push_back(
        {py::str(t[py::int_(0)]).cast<std::string>(), int_vector(fn, t[py::int_(1)], "prediction set labels")});
  }
  return out;
}

}  // namespace

void init_compare(py::module_& m) {
  using namespace disfer;
  // The metrics types its results carry (ProportionInterval, PrecisionRecall, ...) are bound by
  // metrics.cpp, whose init runs first (module.cpp).
  result_class<correlation_result>(m, "Correlation", "Result of off_diagonal_correlation; NaN where undefined.")
      .field("r", &correlation_result::r, "Pearson r over the off-diagonal cells")
      .field("p_value", &correlation_result::p_value, "two-sided, t with n - 2 df (descriptive: cells are dependent)")
      .field("n_cells", &correlation_result::n_cells, "k (k - 1)")
      .field("ci_low", &correlation_result::ci_low, "Fisher-z interval (NaN when n_cells < 4)")
      .field("ci_high", &correlation_result::ci_high)
      .field("level", &correlation_result::level)
      .done();
  m.def(
      "off_diagonal_correlation",
      [](const py::object& cm_a, const py::object& cm_b, normalization how, double level) {
        constexpr const char* fn = "off_diagonal_correlation";
        const auto a = counts_of(fn, cm_a, "cm_a"), b = counts_of(fn, cm_b, "cm_b");
        return without_gil([&] { return off_diagonal_correlation(a, b, how, level); });
      },
      py::arg("cm_a"), py::arg("cm_b"), py::arg("how") = normalization::none, py::arg("level") = 0.95,
      "Borji & Itti's (2014) error correlation: Pearson r of the k (k - 1) off-diagonal cells (t != p) of\n"
      "two k x k confusion matrices (rows truth) after normalising each by `how` ('none', 'row',\n"
      "'column', 'total'), with p = I_{1-r^2}((n-2)/2, 1/2) and the Fisher-z interval: equals\n"
      "scipy.stats.pearsonr(x, y) and its confidence_interval(level) on those cells.");

  // Input and options of analyze_per_condition.
  py::class_<prediction_set>(m, "PredictionSet", "One named set of predictions, one label per stimulus.")
      .def(py::init([](const std::string& name, const py::object& labels) {
             return prediction_set{name, int_vector("PredictionSet", labels, "labels")};
           }),
           py::arg("name"), py::arg("labels"))
      .def_readwrite("name", &prediction_set::name)
      .def_readwrite("labels", &prediction_set::labels)
      .def("__repr__", [](const prediction_set& p) {
        return "PredictionSet(name=" + std::string(py::repr(py::str(p.name))) + ", " + std::to_string(p.labels.size()) +
               " labels)";
      });

  py::class_<per_condition_input>(m, "PerConditionInput",
                                  "Input of analyze_per_condition: parallel sequences, one entry per stimulus.")
      .def(py::init([](std::size_t k, const py::object& truth, const py::object& condition, const py::object& source,
                       const py::object& predictions, const py::object& distortion_type) {
             constexpr const char* fn = "PerConditionInput";
             per_condition_input in;
             in.k = k;
             in.truth = int_vector(fn, truth, "truth");
             in.condition = strings_of(fn, condition, "condition");
             in.source = strings_of(fn, source, "source");
             in.distortion_type = strings_of(fn, distortion_type, "distortion_type");
             in.predictions = sets_of(fn, predictions);
             return in;
           }),
           py::arg("k"), py::arg("truth"), py::arg("condition"), py::arg("source"), py::arg("predictions"),
           py::arg("distortion_type") = py::none(),
           "k: categories (labels in [0, k)); truth: labels; condition, source (the cluster, e.g. the face id)\n"
           "and optionally distortion_type: one string per stimulus; predictions: dict name -> labels, or a\n"
           "list of PredictionSet or (name, labels).")
      .def_readwrite("k", &per_condition_input::k)
      .def_readwrite("truth", &per_condition_input::truth)
      .def_readwrite("condition", &per_condition_input::condition)
      .def_readwrite("distortion_type", &per_condition_input::distortion_type)
      .def_readwrite("source", &per_condition_input::source)
      .def_readwrite("predictions", &per_condition_input::predictions);

  py::class_<per_condition_options>(m, "PerConditionOptions", "Options of analyze_per_condition.")
      .def(py::init([](double level, zero_division zd, mcnemar_method test, bool skip, p_adjustment adjustment,
                       const std::string& reference, normalization correlation_normalization,
                       std::uint64_t bootstrap_replicates, std::uint64_t seed, unsigned threads,
                       std::vector<std::pair<std::string, std::string>> bootstrap_pairs) {
             per_condition_options o;
             o.level = level;
             o.zero_division_rule = zd;
             o.test = test;
             o.test_options.skip_correction_when_equal = skip;
             o.adjustment = adjustment;
             o.reference = reference;
             o.correlation_normalization = correlation_normalization;
             o.bootstrap_replicates = bootstrap_replicates;
             o.seed = seed;
             o.threads = threads;
             o.bootstrap_pairs = std::move(bootstrap_pairs);
             return o;
           }),
           py::arg("level") = 0.95, py::arg("zero_division_rule") = zero_division::zero,
           py::arg("test") = mcnemar_method::exact, py::arg("skip_correction_when_equal") = false,
           py::arg("adjustment") = p_adjustment::holm, py::arg("reference") = "",
           py::arg("correlation_normalization") = normalization::none, py::arg("bootstrap_replicates") = 2000,
           py::arg("seed") = 0, py::arg("threads") = 1,
           py::arg("bootstrap_pairs") = std::vector<std::pair<std::string, std::string>>{})
      .def_readwrite("level", &per_condition_options::level, "for every interval")
      .def_readwrite("zero_division_rule", &per_condition_options::zero_division_rule)
      .def_readwrite("test", &per_condition_options::test, "McNemar variant for the pairs")
      .def_property(
          "skip_correction_when_equal",
          [](const per_condition_options& o) { return o.test_options.skip_correction_when_equal; },
          [](per_condition_options& o, bool v) { o.test_options.skip_correction_when_equal = v; },
          "mcnemar_options: R mcnemar.test's rule")
      .def_readwrite("adjustment", &per_condition_options::adjustment, "family: the pairs of one subset")
      .def_readwrite("reference", &per_condition_options::reference, "set to correlate the others with; '' = none")
      .def_readwrite("correlation_normalization", &per_condition_options::correlation_normalization)
      .def_readwrite("bootstrap_replicates", &per_condition_options::bootstrap_replicates, "0 = no bootstrap")
      .def_readwrite("seed", &per_condition_options::seed)
      .def_readwrite("threads", &per_condition_options::threads, "0 = every hardware thread")
      .def_readwrite("bootstrap_pairs", &per_condition_options::bootstrap_pairs, "empty = every pair i < j");

  // Results.
  bind_enum<subset_level>(m, "SubsetLevel",
                          {{"overall", subset_level::overall},
                           {"distortion_type", subset_level::distortion_type},
                           {"condition", subset_level::condition}},
                          "Which grouping a subset of analyze_per_condition belongs to.");
  result_class<predictor_summary>(m, "PredictorSummary", "Metrics of one prediction set on one subset.")
      .field("name", &predictor_summary::name)
      .field("accuracy", &predictor_summary::accuracy, "Wilson interval (stimuli treated as independent)")
      .field("confusion", &predictor_summary::confusion, "k x k, rows truth, columns prediction")
      .field("metrics", &predictor_summary::metrics, "per class and averaged")
      .done();
  result_class<clustered_mcnemar_result>(m, "ClusteredMcnemar",
                                         "Durkalski et al. (2003) clustered McNemar: (sum d_s)^2 / sum d_s^2, 1 df.")
      .field("statistic", &clustered_mcnemar_result::statistic)
      .field("p_value", &clustered_mcnemar_result::p_value)
      .field("log10_p_value", &clustered_mcnemar_result::log10_p_value)
      .field("clusters", &clustered_mcnemar_result::clusters, "sources in the subset")
      .done();
  result_class<pair_test>(m, "PairTest", "McNemar's test of one pair of prediction sets on one subset.")
      .field("a", &pair_test::a)
      .field("b", &pair_test::b)
      .field("test", &pair_test::test, "b = a right and b wrong")
      .field("p_adjusted", &pair_test::p_adjusted, "within the subset's pairs")
      .field("log10_p_adjusted", &pair_test::log10_p_adjusted)
      .field("odds_ratio", &pair_test::odds_ratio, "discordant odds ratio with exact interval")
      .field("clustered", &pair_test::clustered, "respects the sources")
      .done();
  result_class<reference_correlation>(m, "ReferenceCorrelation", "Error correlation of one set with the reference.")
      .field("predictor", &reference_correlation::predictor)
      .field("reference", &reference_correlation::reference)
      .field("correlation", &reference_correlation::correlation)
      .done();
  result_class<bootstrap_difference>(m, "BootstrapDifference",
                                     "Cluster-bootstrap interval of accuracy(a) - accuracy(b) on one subset.")
      .field("a", &bootstrap_difference::a)
      .field("b", &bootstrap_difference::b)
      .field("difference", &bootstrap_difference::difference)
      .field("ci_low", &bootstrap_difference::ci_low, "percentile (R quantile type 7)")
      .field("ci_high", &bootstrap_difference::ci_high)
      .field("standard_error", &bootstrap_difference::standard_error)
      .field("replicates", &bootstrap_difference::replicates)
      .done();
  result_class<subset_result>(m, "SubsetResult", "Everything computed on one subset.")
      .field("level", &subset_result::level)
      .field("name", &subset_result::name, "'overall', the type or the condition")
      .field("n_stimuli", &subset_result::n_stimuli)
      .field("n_sources", &subset_result::n_sources)
      .field("predictors", &subset_result::predictors)
      .field("pairs", &subset_result::pairs)
      .field("correlations", &subset_result::correlations)
      .field("bootstrap", &subset_result::bootstrap)
      .done();
  result_class<per_condition_result>(m, "PerConditionResult", "Result of analyze_per_condition.")
      .field("subsets", &per_condition_result::subsets, "overall, then the types, then the conditions")
      .field("seed", &per_condition_result::seed)
      .field("bootstrap_replicates", &per_condition_result::bootstrap_replicates)
      .field("random_stream_version", &per_condition_result::random_stream_version)
      .done()
      .def("find", &per_condition_result::find, py::arg("level"), py::arg("name"), py::return_value_policy::copy,
           "The subset of that level and name; disfer.Error when absent.");

  m.def(
      "analyze_per_condition",
      [](const per_condition_input& in, const per_condition_options& opt) {
        return without_gil([&] { return analyze_per_condition(in, opt); });
      },
      py::arg("input"), py::arg("options") = per_condition_options{},
      "The per-condition analysis of Leveque et al. (2022), Figures 2-5: per subset (overall, each\n"
      "distortion type, each condition) and prediction set the accuracy (Wilson 1927; statsmodels\n"
      "proportion_confint(method='wilson')), confusion matrix and precision/recall; per pair McNemar\n"
      "(statsmodels mcnemar) with adjusted p (multipletests), the discordant odds ratio and Durkalski's\n"
      "clustered McNemar; the off-diagonal correlation with options.reference (scipy pearsonr); a\n"
      "seeded cluster bootstrap over sources. The GIL is released; options.threads share the bootstrap.");
}

}  // namespace disfer_py
