#include <catch2/catch.hpp>

#include <disfer/core/emotion.hpp>
#include <disfer/metrics/confusion_matrix.hpp>

#include <cmath>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "reference_check.hpp"
#include "test_support.hpp"

using disfer::confusion_counts;

namespace {
const nlohmann::json& reference() {
  static const nlohmann::json j =
      disfer_test::read_json(std::string(DISFER_METRICS_REFERENCE_DIR) + "/metrics_reference.json");
  return j;
}

confusion_counts from_json(const nlohmann::json& rows) {
  confusion_counts cm(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t t = 0; t < rows.size(); ++t)
    for (std::size_t p = 0; p < rows[t].size(); ++p)
      cm(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(p)) = rows[t][p].get<std::int64_t>();
  return cm;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const disfer::error& e) {
    return e.what();
  }
  return "(no disfer::error)";
}
}  // namespace

TEST_CASE("confusion_matrix matches scikit-learn (rows truth, columns prediction)", "[metrics][confusion_matrix]") {
  for (const auto& c : reference()["cases"]) {
    INFO(c["id"].get<std::string>());
    const auto truth = c["truth"].get<std::vector<int>>();
    const auto pred = c["pred"].get<std::vector<int>>();
    const auto k = c["k"].get<std::size_t>();
    const confusion_counts cm = disfer::confusion_matrix(truth, pred, k);
    CHECK(cm == from_json(c["confusion_matrix"]));
    // sklearn confusion_matrix(normalize="true" / "pred" / "all")
    const std::pair<disfer::normalization, const char*> norms[] = {{disfer::normalization::row, "normalize_true"},
                                                                   {disfer::normalization::column, "normalize_pred"},
                                                                   {disfer::normalization::total, "normalize_all"}};
    for (const auto& [how, key] : norms) {
      const Eigen::MatrixXd m = disfer::normalize(cm, how);
      for (std::size_t t = 0; t < k; ++t)
        for (std::size_t p = 0; p < k; ++p)
          DISFER_CHECK_REL(key, m(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(p)),
                           c[key][t][p].get<double>(), 1e-15);
    }
    // sklearn balanced_accuracy_score(truth, pred[, adjusted=True])
    DISFER_CHECK_REL("balanced", disfer::balanced_accuracy(cm), c["balanced_accuracy"].get<double>(), 1e-12);
    DISFER_CHECK_REL("adjusted", disfer::balanced_accuracy(cm, true), c["balanced_accuracy_adjusted"].get<double>(),
                     1e-12);
  }
  const auto& a = reference()["balanced_accuracy_absent_class"];
  const auto cm = disfer::confusion_matrix(a["truth"].get<std::vector<int>>(), a["pred"].get<std::vector<int>>(), 3);
  DISFER_CHECK_REL("balanced (class absent from truth)", disfer::balanced_accuracy(cm),
                   a["balanced_accuracy"].get<double>(), 1e-12);
  DISFER_CHECK_REL("adjusted (class absent from truth)", disfer::balanced_accuracy(cm, true),
                   a["balanced_accuracy_adjusted"].get<double>(), 1e-12);
}

TEST_CASE("golden: confusion matrix of prf_empty_classes", "[metrics][confusion_matrix][golden]") {
  DISFER_REQUIRE_SHARED(path, "golden/stats.json");
  const auto golden = disfer_test::read_json(path);
  int seen = 0;
  for (const auto& c : golden["cases"]) {
    if (c["kind"] != "precision_recall_f1") continue;
    ++seen;
    const auto cm = disfer::confusion_matrix(c["input"]["y_true"].get<std::vector<int>>(),
                                             c["input"]["y_pred"].get<std::vector<int>>(), c["input"]["labels"].size());
    CHECK(cm == from_json(c["expected"]["confusion_matrix_rows_true_cols_pred"]));
  }
  CHECK(seen >= 1);
}

TEST_CASE("Wilson interval matches statsmodels proportion_confint(method='wilson')", "[metrics][accuracy]") {
  for (const auto& w : reference()["wilson"]) {
    const auto x = w["successes"].get<std::int64_t>(), n = w["trials"].get<std::int64_t>();
    const double level = w["level"].get<double>();
    INFO(x << " / " << n << " at " << level);
    const auto r = disfer::wilson_interval(x, n, level);
    CHECK(r.estimate == static_cast<double>(x) / static_cast<double>(n));
    // At x = 0 (x = n) the lower (upper) end is exactly 0 (1); statsmodels' rounding leaves ~1e-17.
    CHECK(disfer_test::rel_close(r.ci_low, w["ci_low"].get<double>(), 1e-12, 1e-15));
    CHECK(disfer_test::rel_close(r.ci_high, w["ci_high"].get<double>(), 1e-12, 1e-15));
  }
  // accuracy_interval is the Wilson interval of (trace, total).
  confusion_counts cm(2, 2);
  cm << 300, 120, 90, 330;  // 630 / 840 correct
  const auto acc = disfer::accuracy_interval(cm);
  CHECK(acc.successes == 630);
  CHECK(acc.trials == 840);
  CHECK(disfer::accuracy(cm) == 0.75);
  const auto ref = disfer::wilson_interval(630, 840);
  CHECK(acc.ci_low == ref.ci_low);
  CHECK(acc.ci_high == ref.ci_high);
  // R 4.2.2: print(prop.test(630, 840, correct = FALSE)$conf.int, digits = 10)
  //   -> 0.7196239204 0.7780999063 (checked at half a unit of the last printed digit)
  CHECK(std::fabs(acc.ci_low - 0.7196239204) <= 0.5e-10);
  CHECK(std::fabs(acc.ci_high - 0.7780999063) <= 0.5e-10);
}

TEST_CASE("confusion matrices from emotions and from maps joined on ids", "[metrics][confusion_matrix]") {
  using disfer::emotion;
  const std::vector<emotion> truth = {emotion::happy, emotion::sad, emotion::happy, emotion::neutral};
  const std::vector<emotion> pred = {emotion::happy, emotion::neutral, emotion::sad, emotion::neutral};
  const auto cm = disfer::confusion_matrix(truth, pred, disfer::emotion_count);
  CHECK(cm.rows() == 7);
  CHECK(cm(3, 3) == 1);
  CHECK(cm(4, 6) == 1);
  CHECK(cm(3, 4) == 1);
  CHECK(cm(6, 6) == 1);
  CHECK(cm.sum() == 4);

  const std::map<std::string, int> t = {{"a", 0}, {"b", 1}, {"c", 1}};
  const std::map<std::string, int> p = {{"c", 0}, {"a", 0}, {"b", 1}};
  const auto m = disfer::confusion_matrix(t, p, 2);
  CHECK(m(0, 0) == 1);
  CHECK(m(1, 1) == 1);
  CHECK(m(1, 0) == 1);
  const std::unordered_map<long, int> ut = {{1, 0}, {2, 1}}, up = {{2, 1}, {1, 1}};
  const auto um = disfer::confusion_matrix(ut, up, 2);
  CHECK(um(0, 1) == 1);
  CHECK(um(1, 1) == 1);

  const std::map<std::string, int> missing = {{"a", 0}, {"b", 1}};
  CHECK(message_of([&] { disfer::confusion_matrix(t, missing, 2); }) ==
        "confusion_matrix: stimulus c has a truth label but no prediction");
  const std::map<std::string, int> extra = {{"a", 0}, {"b", 1}, {"c", 1}, {"d", 0}};
  CHECK(message_of([&] { disfer::confusion_matrix(t, extra, 2); }) ==
        "confusion_matrix: stimulus d has a prediction but no truth label");
}

TEST_CASE("confusion_matrix rejects bad input with the offending value", "[metrics][confusion_matrix][errors]") {
  const std::vector<int> a = {0, 1, 2}, b = {0, 1};
  CHECK(message_of([&] { disfer::confusion_matrix(a, b, 3); }) ==
        "confusion_matrix: truth has 3 labels but pred has 2");
  CHECK(message_of([&] { disfer::confusion_matrix(a, a, 2); }) == "confusion_matrix: truth[2] = 2 is outside [0, 2)");
  const std::vector<int> neg = {0, -1, 0};
  CHECK(message_of([&] { disfer::confusion_matrix(a, neg, 3); }) == "confusion_matrix: pred[1] = -1 is outside [0, 3)");
  const std::vector<unsigned long long> huge = {0, ~0ull, 0};
  CHECK(message_of([&] { disfer::confusion_matrix(a, huge, 3); }).rfind("confusion_matrix: pred[1] = ", 0) == 0);
  CHECK(message_of([&] { disfer::confusion_matrix(a, a, 1); }) ==
        "confusion_matrix: k = 1; at least 2 categories are needed");
  confusion_counts bad(2, 2);
  bad << 1, -3, 0, 2;
  CHECK(message_of([&] { disfer::accuracy(bad); }) == "accuracy: cell (0, 1) holds the negative count -3");
  CHECK(message_of([&] { disfer::normalize(bad, disfer::normalization::row); }) ==
        "normalize: cell (0, 1) holds the negative count -3");
  CHECK(message_of([&] { disfer::balanced_accuracy(confusion_counts(2, 3)); }) ==
        "balanced_accuracy: the confusion matrix is 2 x 3; it must be square");
  CHECK(message_of([&] { disfer::wilson_interval(5, 4); }) ==
        "wilson_interval: successes = 5 and trials = 4 do not satisfy 0 <= successes <= trials");
  CHECK(message_of([&] { disfer::wilson_interval(1, 4, 1.0); }) ==
        "wilson_interval: confidence level 1 is not in (0, 1)");
}

TEST_CASE("degenerate tables give NaN where undefined", "[metrics][confusion_matrix]") {
  const confusion_counts empty = confusion_counts::Zero(3, 3);
  CHECK(std::isnan(disfer::accuracy(empty)));
  CHECK(std::isnan(disfer::balanced_accuracy(empty)));
  CHECK(std::isnan(disfer::accuracy_interval(empty).ci_low));
  confusion_counts one_row = confusion_counts::Zero(3, 3);
  one_row(1, 1) = 4;
  one_row(1, 2) = 1;
  const Eigen::MatrixXd r = disfer::normalize(one_row, disfer::normalization::row);
  CHECK(std::isnan(r(0, 0)));
  CHECK(r(1, 1) == 0.8);
  CHECK(disfer::balanced_accuracy(one_row) == 0.8);
  CHECK(std::isnan(disfer::balanced_accuracy(one_row, true)));  // one class present: chance = 1
  const Eigen::MatrixXd c = disfer::normalize(one_row, disfer::normalization::column);
  CHECK(std::isnan(c(0, 0)));
  CHECK(c(1, 2) == 1.0);
}
