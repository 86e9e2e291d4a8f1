#include <catch2/catch.hpp>

#include <disfer/compare/error_correlation.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "reference_check.hpp"
#include "test_support.hpp"

using disfer::confusion_counts;
using disfer::normalization;

// Source: reference/published_cases.json, written by reference/published_cases.py (fractions and
// mpmath; scipy pearsonr and R cor.test on the same cells).
TEST_CASE("golden: off-diagonal correlation, raw and row-normalised", "[compare][error_correlation][golden]") {
  const auto golden = disfer_test::read_json(std::string(DISFER_COMPARE_REFERENCE_DIR) + "/published_cases.json");
  int seen = 0;
  for (const auto& c : golden["cases"]) {
    if (c["kind"] != "off_diagonal_correlation") continue;
    ++seen;
    const auto a = disfer_test::confusion_from_json(c["input"]["cm_a"]),
               b = disfer_test::confusion_from_json(c["input"]["cm_b"]);
    const std::pair<normalization, const char*> kinds[] = {{normalization::none, "raw_counts"},
                                                           {normalization::row, "row_normalized"}};
    for (const auto& [how, key] : kinds) {
      INFO(key);
      const auto& e = c["expected"][key];
      const auto r = disfer::off_diagonal_correlation(a, b, how);
      DISFER_CHECK_REL("r", r.r, disfer_test::json_number(e["r"]), 1e-12);
      DISFER_CHECK_REL("p", r.p_value, disfer_test::json_number(e["p_value"]), 1e-12);
      CHECK(r.n_cells == e["n_cells"].get<std::int64_t>());
    }
    // What scipy.stats.pearsonr and R's cor.test return, too.
    for (const auto& [how, key] : kinds)
      for (const char* tool : {"scipy_pearsonr", "R_cor.test"}) {
        INFO(key << ", " << tool);
        const auto& o = c["observed_in_references"][key][tool];
        const auto r = disfer::off_diagonal_correlation(a, b, how);
        DISFER_CHECK_REL("r", r.r, o[0].get<double>(), 1e-12);
        DISFER_CHECK_REL("p", r.p_value, o[1].get<double>(), 1e-12);
      }
  }
  CHECK(seen == 1);
}

TEST_CASE("off-diagonal correlation, p and Fisher-z interval match scipy", "[compare][error_correlation]") {
  // Reference: tests/compare/reference/correlation_reference.py (scipy.stats.pearsonr and its
  // confidence_interval(confidence_level)).
  const auto ref = disfer_test::read_json(std::string(DISFER_COMPARE_REFERENCE_DIR) + "/correlation_reference.json");
  const std::pair<normalization, const char*> kinds[] = {{normalization::none, "none"},
                                                         {normalization::row, "row"},
                                                         {normalization::column, "column"},
                                                         {normalization::total, "total"}};
  for (const auto& c : ref["cases"]) {
    const auto a = disfer_test::confusion_from_json(c["cm_a"]), b = disfer_test::confusion_from_json(c["cm_b"]);
    for (const auto& [how, key] : kinds) {
      const auto& e = c["results"][key];
      INFO("k = " << a.rows() << ", normalization " << key);
      for (const double level : {0.95, 0.9}) {
        const auto r = disfer::off_diagonal_correlation(a, b, how, level);
        DISFER_CHECK_REL("r", r.r, e["r"].get<double>(), 1e-12);
        DISFER_CHECK_REL("p", r.p_value, e["p_value"].get<double>(), 1e-12);
        CHECK(r.n_cells == e["n_cells"].get<std::int64_t>());
        const auto& ci = e[level == 0.95 ? "ci_0.95" : "ci_0.9"];
        DISFER_CHECK_REL("ci_low", r.ci_low, ci[0].get<double>(), 1e-12);
        DISFER_CHECK_REL("ci_high", r.ci_high, ci[1].get<double>(), 1e-12);
        CHECK(r.level == level);
      }
    }
  }
}

TEST_CASE("r is invariant to the order of the cells", "[compare][error_correlation][properties]") {
  const auto ref = disfer_test::read_json(std::string(DISFER_COMPARE_REFERENCE_DIR) + "/correlation_reference.json");
  for (const auto& c : ref["cases"]) {
    const auto a = disfer_test::confusion_from_json(c["cm_a"]), b = disfer_test::confusion_from_json(c["cm_b"]);
    const Eigen::Index k = a.rows();
    // Relabel the categories by a common permutation (reverse, then rotate): the off-diagonal cells
    // are the same multiset of pairs in a different order.
    Eigen::PermutationMatrix<Eigen::Dynamic> perm(k);
    for (Eigen::Index i = 0; i < k; ++i) perm.indices()[i] = static_cast<int>((k - 1 - i + 2) % k);
    const confusion_counts pa = perm * a * perm.transpose(), pb = perm * b * perm.transpose();
    for (const auto how : {normalization::none, normalization::row}) {
      const auto r1 = disfer::off_diagonal_correlation(a, b, how), r2 = disfer::off_diagonal_correlation(pa, pb, how);
      DISFER_CHECK_REL("r permuted", r2.r, r1.r, 1e-13);
      DISFER_CHECK_REL("p permuted", r2.p_value, r1.p_value, 1e-11);
    }
    // Transposing both matrices reorders the off-diagonal cells too (raw counts).
    const confusion_counts ta = a.transpose(), tb = b.transpose();
    DISFER_CHECK_REL("r transposed", disfer::off_diagonal_correlation(ta, tb).r,
                     disfer::off_diagonal_correlation(a, b).r, 1e-13);
    // Symmetric in its arguments.
    CHECK(disfer::off_diagonal_correlation(a, b).r == Approx(disfer::off_diagonal_correlation(b, a).r).epsilon(1e-15));
  }
}

TEST_CASE("undefined correlations are NaN", "[compare][error_correlation]") {
  confusion_counts perfect = confusion_counts::Zero(3, 3);
  perfect.diagonal() << 5, 6, 7;
  confusion_counts other(3, 3);
  other << 5, 1, 0, 2, 4, 0, 0, 3, 4;
  auto r = disfer::off_diagonal_correlation(perfect, other);  // no errors at all: constant
  CHECK(std::isnan(r.r));
  CHECK(std::isnan(r.p_value));
  CHECK(std::isnan(r.ci_low));
  confusion_counts empty_row = other;
  empty_row.row(2).setZero();
  r = disfer::off_diagonal_correlation(empty_row, other, normalization::row);  // row 2 has no items
  CHECK(std::isnan(r.r));
  CHECK(r.n_cells == 6);
  // k = 2: two cells, r = +-1, p = 1 (scipy), no interval.
  confusion_counts a(2, 2), b(2, 2);
  a << 5, 1, 3, 5;
  b << 5, 2, 4, 5;
  r = disfer::off_diagonal_correlation(a, b);
  CHECK(r.r == 1.0);
  CHECK(r.p_value == 1.0);
  CHECK(std::isnan(r.ci_low));
}

TEST_CASE("off_diagonal_correlation rejects bad input", "[compare][error_correlation][errors]") {
  const confusion_counts a = confusion_counts::Constant(3, 3, 1), b = confusion_counts::Constant(4, 4, 1);
  CHECK(disfer_test::message_of([&] { disfer::off_diagonal_correlation(a, b); }) ==
        "off_diagonal_correlation: cm_a is 3 x 3 but cm_b is 4 x 4");
  CHECK(disfer_test::message_of([&] { disfer::off_diagonal_correlation(confusion_counts(3, 2), a); }) ==
        "off_diagonal_correlation: the confusion matrix is 3 x 2; it must be square");
  confusion_counts neg = a;
  neg(1, 2) = -7;
  CHECK(disfer_test::message_of([&] { disfer::off_diagonal_correlation(a, neg); }) ==
        "off_diagonal_correlation: cell (1, 2) holds the negative count -7");
  CHECK(disfer_test::message_of([&] { disfer::off_diagonal_correlation(a, a, normalization::none, 1.5); }) ==
        "off_diagonal_correlation: confidence level 1.5 is not in (0, 1)");
}
