#include <catch2/catch.hpp>

#include <disfer/core/emotion.hpp>
#include <disfer/hypothesis/mcnemar.hpp>
#include <disfer/io/csv.hpp>

#include <cfloat>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "reference_check.hpp"
#include "test_support.hpp"

using disfer::mcnemar_method;

namespace {

// Checks p (where the reference is a normal double >= 1e-300) and log10 p at relative `rel`.
void check_p(const std::string& what, const disfer::mcnemar_result& r, double p_ref, double log10_ref, double rel) {
  if (p_ref >= 1e-300) DISFER_CHECK_REL(what + " p", r.p_value, p_ref, rel);
  DISFER_CHECK_REL(what + " log10 p", r.log10_p_value, log10_ref, rel);
}
}  // namespace

// Source: reference/published_mcnemar.json, written by reference/published_mcnemar.py (exact
// fractions and mpmath; R, statsmodels and scipy run on the same tables, observed_in_references).
TEST_CASE("golden: every McNemar case at relative 1e-12", "[hypothesis][mcnemar][golden]") {
  const auto golden = disfer_test::read_json(std::string(DISFER_HYPOTHESIS_REFERENCE_DIR) + "/published_mcnemar.json");
  using disfer_test::json_number;
  int seen = 0;
  for (const auto& c : golden["cases"]) {
    if (c["kind"] != "mcnemar") continue;
    ++seen;
    const auto b = c["input"]["b"].get<std::int64_t>(), cc = c["input"]["c"].get<std::int64_t>();
    INFO(c["id"].get<std::string>());
    // The 2x2 table's off-diagonal cells are b (row 0) and c (row 1).
    CHECK(c["input"]["table"][0][1].get<std::int64_t>() == b);
    CHECK(c["input"]["table"][1][0].get<std::int64_t>() == cc);
    const auto& e = c["expected"];
    const auto exact = disfer::mcnemar(b, cc, mcnemar_method::exact);
    check_p("exact", exact, json_number(e["p_exact"]), json_number(e["log10_p_exact"]), 1e-12);
    CHECK(exact.statistic == static_cast<double>(std::min(b, cc)));  // statsmodels' exact "statistic"
    const auto mid = disfer::mcnemar(b, cc, mcnemar_method::mid_p);
    check_p("mid-p", mid, json_number(e["p_midp"]), json_number(e["log10_p_midp"]), 1e-12);

    const auto chi = disfer::mcnemar(b, cc, mcnemar_method::chi_square);
    const auto& u = e["chi2_uncorrected"];
    DISFER_CHECK_REL("chi2 statistic", chi.statistic, json_number(u["statistic"]), 1e-12);
    if (u["p"].is_null()) {
      CHECK(std::isnan(chi.p_value));
      CHECK(std::isnan(chi.log10_p_value));
    } else {
      check_p("chi2", chi, json_number(u["p"]), json_number(u["log10_p"]), 1e-12);
    }
    if (e.contains("chi2_corrected_edwards")) {
      const auto& ed = e["chi2_corrected_edwards"];
      const auto corr = disfer::mcnemar(b, cc, mcnemar_method::chi_square_corrected);
      DISFER_CHECK_REL("Edwards statistic", corr.statistic, json_number(ed["statistic"]), 1e-12);
      check_p("Edwards", corr, json_number(ed["p"]), json_number(ed["log10_p"]), 1e-12);
      const auto& rr = e["chi2_corrected_R"];
      const auto rrule = disfer::mcnemar(b, cc, mcnemar_method::chi_square_corrected,
                                         disfer::mcnemar_options{/*skip when equal*/ true});
      DISFER_CHECK_REL("R-rule statistic", rrule.statistic, json_number(rr["statistic"]), 1e-12);
      check_p("R-rule", rrule, json_number(rr["p"]), json_number(rr["log10_p"]), 1e-12);
    } else {
      const auto corr = disfer::mcnemar(b, cc, mcnemar_method::chi_square_corrected);
      CHECK(std::isnan(corr.statistic));  // b + c = 0
    }
    // What other implementations return (statsmodels, scipy, R): equal to 1e-12 where they did not
    // underflow to 0.
    const auto& obs = c["observed_in_references"];
    for (const char* key : {"statsmodels_exact_p", "scipy_binomtest_two_sided", "R_binom.test_p"}) {
      if (!obs.contains(key) || obs[key].get<double>() == 0.0) continue;
      DISFER_CHECK_REL(key, exact.p_value, obs[key].get<double>(), 1e-12);
    }
    if (obs.contains("R_mcnemar.test_corrected") && obs["R_mcnemar.test_corrected"][1].get<double>() > 0) {
      const auto rrule = disfer::mcnemar(b, cc, mcnemar_method::chi_square_corrected, disfer::mcnemar_options{true});
      DISFER_CHECK_REL("R mcnemar.test", rrule.statistic, obs["R_mcnemar.test_corrected"][0].get<double>(), 1e-12);
      DISFER_CHECK_REL("R mcnemar.test p", rrule.p_value, obs["R_mcnemar.test_corrected"][1].get<double>(), 1e-12);
    }
    // Published values: printed in full at relative 1e-12, rounded ones at half a unit of the last digit.
    if (c.contains("published")) {
      const auto& pub = c["published"];
      const int decimals = pub.value("rounded_to_decimals", -1);
      const std::pair<const char*, mcnemar_method> keys[] = {{"p_exact", mcnemar_method::exact},
                                                             {"p_midp", mcnemar_method::mid_p},
                                                             {"p_chi2_uncorrected", mcnemar_method::chi_square},
                                                             {"chi2_uncorrected", mcnemar_method::chi_square},
                                                             {"p_chi2_corrected", mcnemar_method::chi_square_corrected},
                                                             {"chi2_corrected", mcnemar_method::chi_square_corrected}};
      for (const auto& [key, method] : keys) {
        if (!pub.contains(key)) continue;
        const auto r = disfer::mcnemar(b, cc, method);
        const double got = key[0] == 'p' ? r.p_value : r.statistic, v = pub[key].get<double>();
        INFO(key << ": published " << v << ", got " << got);
        CHECK((decimals < 0 ? disfer_test::rel_close(got, v, 1e-12)
                            : std::fabs(got - v) <= 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9)));
      }
      if (pub.contains("z")) {  // Agresti's z = (c - b) / sqrt(b + c), printed to 2 decimals
        const double z = (double(cc) - double(b)) / std::sqrt(double(b + cc));
        CHECK(std::fabs(z - pub["z"].get<double>()) <= 0.005 * (1 + 1e-9));
        DISFER_CHECK_REL("z^2", z * z, disfer::mcnemar(b, cc, mcnemar_method::chi_square).statistic, 1e-12);
      }
    }
  }
  CHECK(seen == 7);
}

TEST_CASE("tail accuracy against mpmath for b + c up to 10^6", "[hypothesis][mcnemar][tail]") {
  // Reference: tests/hypothesis/reference/mcnemar_tail.py (mpmath, 60 digits; rows cross-checked
  // with exact rationals), committed output mcnemar_tail.csv.
  const std::string path = std::string(DISFER_HYPOTHESIS_REFERENCE_DIR) + "/mcnemar_tail.csv";
  disfer::csv_reader in(path, disfer::csv_options{});
  using disfer_test::parse_number;
  int rows = 0, below_double = 0;
  while (in.next()) {
    ++rows;
    const auto b = std::stoll(std::string(in[in.column_index("b")]));
    const auto c = std::stoll(std::string(in[in.column_index("c")]));
    INFO("b = " << b << ", c = " << c);
    auto col = [&](const char* name) { return parse_number(std::string(in[in.column_index(name)])); };
    check_p("exact", disfer::mcnemar(b, c, mcnemar_method::exact), col("p_exact"), col("log10_p_exact"), 1e-12);
    check_p("mid-p", disfer::mcnemar(b, c, mcnemar_method::mid_p), col("p_midp"), col("log10_p_midp"), 1e-12);
    if (b + c > 0) {
      check_p("chi2", disfer::mcnemar(b, c, mcnemar_method::chi_square), col("p_chi2"), col("log10_p_chi2"), 1e-12);
      check_p("chi2 corrected", disfer::mcnemar(b, c, mcnemar_method::chi_square_corrected), col("p_chi2_corrected"),
              col("log10_p_chi2_corrected"), 1e-12);
    }
    if (col("log10_p_exact") < -308) ++below_double;
  }
  CHECK(rows > 200);
  CHECK(below_double > 20);
}

TEST_CASE("McNemar properties: symmetry, b = c, range, log10 consistency", "[hypothesis][mcnemar][properties]") {
  std::vector<std::pair<std::int64_t, std::int64_t>> grid;
  for (std::int64_t b = 0; b <= 40; ++b)
    for (std::int64_t c = 0; c <= 40; ++c) grid.emplace_back(b, c);
  for (std::int64_t b : {0, 1, 17, 499, 5000, 99999, 480000})
    for (std::int64_t c : {3, 250, 2000, 100000, 520000}) grid.emplace_back(b, c);
  const mcnemar_method methods[] = {mcnemar_method::exact, mcnemar_method::mid_p, mcnemar_method::chi_square,
                                    mcnemar_method::chi_square_corrected};
  for (const auto& [b, c] : grid) {
    for (const auto m : methods) {
      INFO("b = " << b << ", c = " << c << ", method " << static_cast<int>(m));
      const auto r = disfer::mcnemar(b, c, m), s = disfer::mcnemar(c, b, m);
      if (b + c == 0 && (m == mcnemar_method::chi_square || m == mcnemar_method::chi_square_corrected)) {
        CHECK(std::isnan(r.p_value));
        continue;
      }
      CHECK(r.p_value == s.p_value);  // symmetric in (b, c)
      CHECK(r.log10_p_value == s.log10_p_value);
      CHECK(r.statistic == s.statistic);
      CHECK(r.p_value >= 0.0);
      CHECK(r.p_value <= 1.0);
      CHECK(r.log10_p_value <= 0.0);
      if (r.p_value >= DBL_MIN) CHECK(disfer_test::rel_close(r.log10_p_value, std::log10(r.p_value), 1e-14, 1e-300));
      CHECK(r.b == b);
      CHECK(r.c == c);
      CHECK(r.method == m);
      if (b == c && m == mcnemar_method::exact) CHECK(r.p_value == 1.0);
    }
  }
}

TEST_CASE("McNemar from label vectors: b = pred_a right and pred_b wrong", "[hypothesis][mcnemar]") {
  const std::vector<int> truth = {0, 1, 2, 0, 1, 2, 0, 1};
  const std::vector<int> a = {0, 1, 2, 0, 0, 0, 1, 1};  // right on 0,1,2,3,7
  const std::vector<int> b = {0, 0, 0, 0, 1, 2, 1, 2};  // right on 0,3,4,5
  const auto t = disfer::paired_outcomes(truth, a, b);
  CHECK(t.both_right == 2);  // 0, 3
  CHECK(t.b == 3);           // 1, 2, 7
  CHECK(t.c == 2);           // 4, 5
  CHECK(t.both_wrong == 1);  // 6
  const auto r = disfer::mcnemar(truth, a, b);
  CHECK(r.b == 3);
  CHECK(r.c == 2);
  CHECK(r.p_value == 1.0);  // 2 P(X <= 2), X ~ Bin(5, 1/2) = 2 * 16/32
  CHECK(disfer::mcnemar(truth, b, a).b == 2);
}

TEST_CASE("McNemar on label tables joined on the stimulus id, in any order", "[hypothesis][mcnemar]") {
  // The vectors of the case above, keyed by id and entered in different orders.
  const std::vector<int> truth = {0, 1, 2, 0, 1, 2, 0, 1};
  const std::vector<int> a = {0, 1, 2, 0, 0, 0, 1, 1};
  const std::vector<int> b = {0, 0, 0, 0, 1, 2, 1, 2};
  std::map<std::string, int> mt, ma, mb;
  std::unordered_map<std::string, int> ut, ua, ub;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const std::size_t j = truth.size() - 1 - i;  // pred_a filled backwards
    const std::string id = "s" + std::to_string(i), idj = "s" + std::to_string(j);
    mt[id] = ut[id] = truth[i];
    ma[idj] = ua[idj] = a[j];
    mb[id] = ub[id] = b[i];
  }
  const auto t = disfer::paired_outcomes(mt, ma, mb);
  CHECK(t.both_right == 2);
  CHECK(t.b == 3);
  CHECK(t.c == 2);
  CHECK(t.both_wrong == 1);
  const auto tu = disfer::paired_outcomes(ut, ua, ub);
  CHECK((tu.both_right == 2 && tu.b == 3 && tu.c == 2 && tu.both_wrong == 1));
  for (auto m : {mcnemar_method::exact, mcnemar_method::mid_p, mcnemar_method::chi_square}) {
    const auto v = disfer::mcnemar(truth, a, b, m), r = disfer::mcnemar(mt, ma, mb, m),
               u = disfer::mcnemar(ut, ua, ub, m);
    CHECK(r.p_value == v.p_value);
    CHECK(u.p_value == v.p_value);
  }
  // Emotions as labels, integer ids.
  const std::map<int, disfer::emotion> et = {{7, disfer::emotion::happy}, {3, disfer::emotion::sad}};
  const std::map<int, disfer::emotion> ea = {{3, disfer::emotion::sad}, {7, disfer::emotion::happy}};
  const std::map<int, disfer::emotion> eb = {{3, disfer::emotion::angry}, {7, disfer::emotion::happy}};
  CHECK(disfer::mcnemar(et, ea, eb).b == 1);

  auto missing = mb;
  missing.erase("s4");
  CHECK(disfer_test::message_of([&] { disfer::mcnemar(mt, ma, missing); }) ==
        "mcnemar: stimulus s4 has a truth label but no prediction in pred_b");
  auto extra = ma;
  extra["s9"] = 0;
  extra.erase("s0");
  CHECK(disfer_test::message_of([&] { disfer::paired_outcomes(mt, extra, mb); }) ==
        "paired_outcomes: stimulus s0 has a truth label but no prediction in pred_a");
  extra["s0"] = 0;
  CHECK(disfer_test::message_of([&] { disfer::mcnemar(mt, extra, mb); }) ==
        "mcnemar: stimulus s9 has a prediction in pred_a but no truth label");
}

TEST_CASE("discordant odds ratio and its exact interval match R binom.test", "[hypothesis][mcnemar][odds_ratio]") {
  const auto ref = disfer_test::read_json(std::string(DISFER_HYPOTHESIS_REFERENCE_DIR) + "/hypothesis_reference.json");
  for (const auto& o : ref["odds_ratio"]) {
    const auto b = o["b"].get<std::int64_t>(), c = o["c"].get<std::int64_t>();
    INFO("b = " << b << ", c = " << c);
    const auto r = disfer::discordant_odds_ratio(b, c, o["level"].get<double>());
    if (c > 0)
      CHECK(r.odds_ratio == static_cast<double>(b) / static_cast<double>(c));
    else
      CHECK(std::isinf(r.odds_ratio));
    DISFER_CHECK_REL("ci_low", r.ci_low, disfer_test::json_number(o["ci_low"]), 1e-12);
    DISFER_CHECK_REL("ci_high", r.ci_high, disfer_test::json_number(o["ci_high"]), 1e-12);
  }
  CHECK(std::isnan(disfer::discordant_odds_ratio(0, 0).odds_ratio));
}

TEST_CASE("McNemar rejects bad input with the offending value", "[hypothesis][mcnemar][errors]") {
  CHECK(disfer_test::message_of([] { disfer::mcnemar(-1, 3); }) == "mcnemar: b = -1 is a negative count");
  CHECK(disfer_test::message_of([] { disfer::mcnemar(2, -4, mcnemar_method::mid_p); }) ==
        "mcnemar: c = -4 is a negative count");
  const std::vector<int> t = {0, 1}, a = {0, 1, 1}, neg = {0, -2};
  CHECK(disfer_test::message_of([&] { disfer::mcnemar(t, a, t); }) ==
        "mcnemar: truth, pred_a and pred_b have 2, 3 and 2 labels; they must have the same length");
  CHECK(disfer_test::message_of([&] { disfer::mcnemar(t, t, neg); }) ==
        "mcnemar: pred_b[1] = -2 is negative; labels are indices >= 0");
  CHECK(disfer_test::message_of([&] { disfer::paired_outcomes(t, a, t); }) ==
        "paired_outcomes: truth, pred_a and pred_b have 2, 3 and 2 labels; they must have the same length");
  CHECK(disfer_test::message_of([&] { disfer::paired_outcomes(t, t, neg); }) ==
        "paired_outcomes: pred_b[1] = -2 is negative; labels are indices >= 0");
  CHECK(disfer_test::message_of([] { disfer::discordant_odds_ratio(1, -1); }) ==
        "discordant_odds_ratio: c = -1 is a negative count");
  CHECK(disfer_test::message_of([] { disfer::discordant_odds_ratio(1, 1, 0.0); }) ==
        "discordant_odds_ratio: confidence level 0 is not in (0, 1)");
}
