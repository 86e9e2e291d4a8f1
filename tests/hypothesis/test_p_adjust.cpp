#include <catch2/catch.hpp>

#include <disfer/hypothesis/p_adjust.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "reference_check.hpp"
#include "test_support.hpp"

TEST_CASE("Holm, Benjamini-Hochberg and Bonferroni match R p.adjust", "[hypothesis][p_adjust]") {
  // Reference: tests/hypothesis/reference/hypothesis_reference.py: R p.adjust(p, method), equal to
  // statsmodels multipletests to 1e-13.
  const auto ref = disfer_test::read_json(std::string(DISFER_HYPOTHESIS_REFERENCE_DIR) + "/hypothesis_reference.json");
  const std::pair<disfer::p_adjustment, const char*> methods[] = {
      {disfer::p_adjustment::holm, "holm"},
      {disfer::p_adjustment::benjamini_hochberg, "benjamini_hochberg"},
      {disfer::p_adjustment::bonferroni, "bonferroni"}};
  for (const auto& f : ref["p_adjust"]) {
    const auto p = f["p"].get<std::vector<double>>();
    CHECK(disfer::adjust_p_values(p, disfer::p_adjustment::none) == p);
    for (const auto& [how, key] : methods) {
      INFO(key << " on " << p.size() << " p-values");
      const auto adj = disfer::adjust_p_values(p, how);
      REQUIRE(adj.size() == p.size());
      std::vector<double> logs;
      for (double v : p) logs.push_back(std::log10(v));
      const auto log_adj = disfer::adjust_log10_p_values(logs, how);
      for (std::size_t i = 0; i < p.size(); ++i) {
        const double expected = f[key][i].get<double>();
        DISFER_CHECK_REL("adjusted", adj[i], expected, 1e-12);
        if (expected > 0) DISFER_CHECK_REL("log10 adjusted", log_adj[i], std::log10(expected), 1e-12);
      }
    }
  }
}

TEST_CASE("adjusting log10 p-values below the double range", "[hypothesis][p_adjust]") {
  // Holm on {1e-600, 1e-500, 0.2}: 3e-600, 2e-500, 0.2.
  const auto h = disfer::adjust_log10_p_values({-600, -500, std::log10(0.2)}, disfer::p_adjustment::holm);
  DISFER_CHECK_REL("first", h[0], -600 + std::log10(3.0), 1e-15);
  DISFER_CHECK_REL("second", h[1], -500 + std::log10(2.0), 1e-15);
  DISFER_CHECK_REL("third", h[2], std::log10(0.2), 1e-15);
}

TEST_CASE("p adjustment rejects values outside [0, 1] and NaN", "[hypothesis][p_adjust][errors]") {
  auto what = [](const auto& f) -> std::string {
    try {
      f();
    } catch (const disfer::error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(what([] {
          disfer::adjust_p_values({0.1, 1.5}, disfer::p_adjustment::holm);
        }) == "adjust_p_values: p-value [1] = 1.5 is not in [0, 1]");
  CHECK(what([] { disfer::adjust_p_values({std::nan("")}, disfer::p_adjustment::benjamini_hochberg); }) ==
        "adjust_p_values: p-value [0] = nan is not in [0, 1]");
  CHECK(what([] { disfer::adjust_log10_p_values({0.5}, disfer::p_adjustment::holm); }) ==
        "adjust_log10_p_values: p-value [0] = 0.5 is not a log10 p-value <= 0");
  CHECK(disfer::adjust_p_values({}, disfer::p_adjustment::holm).empty());
}
