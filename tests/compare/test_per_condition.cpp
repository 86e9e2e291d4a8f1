#include <catch2/catch.hpp>

#include <disfer/compare/per_condition.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "reference_check.hpp"
#include "test_support.hpp"

using disfer::subset_level;

namespace {
// The hand-computed example: 6 sources (s1..s6, truth 0 0 1 1 2 2) x 2 conditions ("original" of
// type "original", "blur" of type "GB") = 12 stimuli, k = 3, three prediction sets.
//                 original: s1 s2 s3 s4 s5 s6   blur: s1 s2 s3 s4 s5 s6
//   truth                    0  0  1  1  2  2          0  0  1  1  2  2
//   humans                   0  0  1  1  2  0          0  0  1  1  2  1     5/6, 5/6
//   model A                  0  1  1  1  2  0          0  1  0  1  2  0     4/6, 3/6
//   model B                  1  1  1  0  2  2          1  1  1  0  0  2     3/6, 2/6
disfer::per_condition_input example() {
  disfer::per_condition_input in;
  in.k = 3;
  in.truth = {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2};
  for (int i = 0; i < 12; ++i) {
    in.condition.push_back(i < 6 ? "original" : "blur");
    in.distortion_type.push_back(i < 6 ? "original" : "GB");
    in.source.push_back("s" + std::to_string(i % 6 + 1));
  }
  in.predictions = {{"humans", {0, 0, 1, 1, 2, 0, 0, 0, 1, 1, 2, 1}},
                    {"model A", {0, 1, 1, 1, 2, 0, 0, 1, 0, 1, 2, 0}},
                    {"model B", {1, 1, 1, 0, 2, 2, 1, 1, 1, 0, 0, 2}}};
  return in;
}

disfer::per_condition_options options(unsigned threads = 1) {
  disfer::per_condition_options o;
  o.reference = "humans";
  o.bootstrap_replicates = 999;
  o.seed = 20221130;
  o.threads = threads;
  return o;
}

const disfer::pair_test& pair(const disfer::subset_result& s, const std::string& a, const std::string& b) {
  for (const auto& p : s.pairs)
    if (p.a == a && p.b == b) return p;
  throw std::runtime_error("no pair " + a + " / " + b);
}
}  // namespace

TEST_CASE("per-condition engine: hand-computed accuracies and confusion matrices", "[compare][per_condition]") {
  const auto r = disfer::analyze_per_condition(example(), options());
  REQUIRE(r.subsets.size() == 5);  // overall, 2 types, 2 conditions
  CHECK(r.subsets[0].level == subset_level::overall);
  CHECK(r.subsets[1].name == "original");
  CHECK(r.subsets[2].name == "GB");
  CHECK(r.subsets[3].name == "original");
  CHECK(r.subsets[4].name == "blur");
  const auto& all = r.find(subset_level::overall, "overall");
  const auto& orig = r.find(subset_level::condition, "original");
  const auto& blur = r.find(subset_level::condition, "blur");
  CHECK(all.n_stimuli == 12);
  CHECK(all.n_sources == 6);
  CHECK(orig.n_stimuli == 6);
  CHECK(blur.n_sources == 6);
  // Accuracies: humans 5/6, 5/6, 10/12; model A 4/6, 3/6, 7/12; model B 3/6, 2/6, 5/12.
  const std::int64_t correct[3][3] = {{5, 5, 10}, {4, 3, 7}, {3, 2, 5}};
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(orig.predictors[j].accuracy.successes == correct[j][0]);
    CHECK(blur.predictors[j].accuracy.successes == correct[j][1]);
    CHECK(all.predictors[j].accuracy.successes == correct[j][2]);
    CHECK(all.predictors[j].accuracy.trials == 12);
  }
  // R: prop.test(10, 12, correct = FALSE)$conf.int -> 0.5519691377 0.9530348578
  CHECK(std::fabs(all.predictors[0].accuracy.ci_low - 0.5519691377) <= 0.5e-10);
  CHECK(std::fabs(all.predictors[0].accuracy.ci_high - 0.9530348578) <= 0.5e-10);
  // R: prop.test(4, 6, correct = FALSE)$conf.int -> 0.2999933151 0.9032285889
  CHECK(std::fabs(orig.predictors[1].accuracy.ci_low - 0.2999933151) <= 0.5e-10);
  CHECK(std::fabs(orig.predictors[1].accuracy.ci_high - 0.9032285889) <= 0.5e-10);

  disfer::confusion_counts h(3, 3), a(3, 3), b(3, 3), hb(3, 3);
  h << 2, 0, 0, 0, 2, 0, 1, 0, 1;
  a << 1, 1, 0, 0, 2, 0, 1, 0, 1;
  b << 0, 2, 0, 1, 1, 0, 0, 0, 2;
  hb << 2, 0, 0, 0, 2, 0, 0, 1, 1;
  CHECK(orig.predictors[0].confusion == h);
  CHECK(orig.predictors[1].confusion == a);
  CHECK(orig.predictors[2].confusion == b);
  CHECK(blur.predictors[0].confusion == hb);
  CHECK(all.predictors[0].confusion == h + hb);
  // Humans, overall: class 2 has tp 2, fn 2 (support 4), fp 0 -> precision 1, recall 1/2;
  // class 0: tp 4, fp 1 (s6 original) -> precision 4/5.
  CHECK(all.predictors[0].metrics.per_class[2].recall == 0.5);
  CHECK(all.predictors[0].metrics.per_class[2].precision == 1.0);
  CHECK(all.predictors[0].metrics.per_class[0].precision == 0.8);
  // Types: "original" and "GB" hold the same stimuli as the two conditions.
  CHECK(r.find(subset_level::distortion_type, "GB").predictors[1].confusion == blur.predictors[1].confusion);
}

TEST_CASE("per-condition engine: hand-computed McNemar, adjusted p and clustered test", "[compare][per_condition]") {
  const auto r = disfer::analyze_per_condition(example(), options());
  const auto& all = r.find(subset_level::overall, "overall");
  const auto& orig = r.find(subset_level::condition, "original");
  const auto& blur = r.find(subset_level::condition, "blur");
  // original: humans/A b=1 c=0 p=1; humans/B b=3 c=1 p=2*5/16; A/B b=2 c=1 p=1
  CHECK(pair(orig, "humans", "model A").test.b == 1);
  CHECK(pair(orig, "humans", "model A").test.c == 0);
  CHECK(pair(orig, "humans", "model A").test.p_value == 1.0);
  CHECK(pair(orig, "humans", "model B").test.b == 3);
  CHECK(pair(orig, "humans", "model B").test.c == 1);
  CHECK(pair(orig, "humans", "model B").test.p_value == 0.625);
  CHECK(pair(orig, "model A", "model B").test.p_value == 1.0);
  // blur: humans/A b=2 c=0 p=0.5; humans/B b=4 c=1 p=2*6/32; A/B b=3 c=2 p=1
  CHECK(pair(blur, "humans", "model A").test.p_value == 0.5);
  CHECK(pair(blur, "humans", "model B").test.p_value == 0.375);
  CHECK(pair(blur, "model A", "model B").test.b == 3);
  CHECK(pair(blur, "model A", "model B").test.c == 2);
  // Holm in blur: 0.375*3, 0.5*2, 1 -> all capped at 1.
  for (const auto& p : blur.pairs) CHECK(p.p_adjusted == 1.0);
  // overall: humans/A b=3 c=0 p=2/8; humans/B b=7 c=2 p=2*46/512; A/B b=5 c=3 p=2*93/256
  CHECK(pair(all, "humans", "model A").test.p_value == 0.25);
  CHECK(pair(all, "humans", "model B").test.p_value == 0.1796875);
  CHECK(pair(all, "model A", "model B").test.p_value == 0.7265625);
  // Holm: sorted 0.1796875*3 = 0.5390625, max(0.25*2, that) = 0.5390625, 0.7265625.
  DISFER_CHECK_REL("holm H/A", pair(all, "humans", "model A").p_adjusted, 0.5390625, 1e-15);
  DISFER_CHECK_REL("holm H/B", pair(all, "humans", "model B").p_adjusted, 0.5390625, 1e-15);
  DISFER_CHECK_REL("holm A/B", pair(all, "model A", "model B").p_adjusted, 0.7265625, 1e-15);
  DISFER_CHECK_REL("holm log10", pair(all, "humans", "model B").log10_p_adjusted, std::log10(0.5390625), 1e-14);
  // Benjamini-Hochberg: 0.7265625; min(0.25*3/2, 0.1796875*3) = 0.375 for both others.
  auto o = options();
  o.adjustment = disfer::p_adjustment::benjamini_hochberg;
  const auto bh = disfer::analyze_per_condition(example(), o).find(subset_level::overall, "overall");
  DISFER_CHECK_REL("BH H/A", pair(bh, "humans", "model A").p_adjusted, 0.375, 1e-15);
  DISFER_CHECK_REL("BH H/B", pair(bh, "humans", "model B").p_adjusted, 0.375, 1e-15);
  DISFER_CHECK_REL("BH A/B", pair(bh, "model A", "model B").p_adjusted, 0.7265625, 1e-15);
  // Odds ratio humans/B overall: 7/2.
  CHECK(pair(all, "humans", "model B").odds_ratio.odds_ratio == 3.5);
  // Clustered McNemar (Durkalski 2003), humans/A: per-source differences of correct counts
  // s1..s6 = 0, 2, 1, 0, 0, 0 -> (3)^2 / 5 = 1.8; humans/B: 2, 2, 0, 2, 1, -2 -> 25/17.
  const auto& ca = pair(all, "humans", "model A").clustered;
  DISFER_CHECK_REL("clustered H/A", ca.statistic, 1.8, 1e-15);
  DISFER_CHECK_REL("clustered H/A p", ca.p_value, std::erfc(std::sqrt(0.9)), 1e-13);
  CHECK(ca.clusters == 6);
  DISFER_CHECK_REL("clustered H/B", pair(all, "humans", "model B").clustered.statistic, 25.0 / 17.0, 1e-15);
  // The unclustered chi-square for humans/A would be 3^2/3 = 3: clustering widens the p-value.
  CHECK(ca.p_value > disfer::mcnemar(3, 0, disfer::mcnemar_method::chi_square).p_value);
}

TEST_CASE("per-condition engine: hand-computed error correlation with the humans", "[compare][per_condition]") {
  const auto r = disfer::analyze_per_condition(example(), options());
  const auto& orig = r.find(subset_level::condition, "original");
  REQUIRE(orig.correlations.size() == 2);
  CHECK(orig.correlations[0].predictor == "model A");
  CHECK(orig.correlations[0].reference == "humans");
  // Off-diagonal cells (row-major): humans 0 0 0 0 1 0; model A 1 0 0 0 1 0; model B 2 0 1 0 0 0.
  // r(humans, A) = (2/3) / sqrt(5/6 * 4/3) = 2/sqrt(10); r(humans, B) = -(1/2) / sqrt(5/6 * 7/2) = -sqrt(3/35).
  // With 6 cells (4 df): p = I_{1-r^2}(2, 1/2) = 1 - 1.5|r| + 0.5|r|^3.
  const double ra = 2 / std::sqrt(10.0), rb = -std::sqrt(3.0 / 35.0);
  DISFER_CHECK_REL("r A", orig.correlations[0].correlation.r, ra, 1e-14);
  DISFER_CHECK_REL("p A", orig.correlations[0].correlation.p_value, 1 - 1.5 * ra + 0.5 * ra * ra * ra, 1e-13);
  DISFER_CHECK_REL("r B", orig.correlations[1].correlation.r, rb, 1e-14);
  DISFER_CHECK_REL("p B", orig.correlations[1].correlation.p_value, 1 + 1.5 * rb - 0.5 * rb * rb * rb, 1e-13);
  CHECK(orig.correlations[0].correlation.n_cells == 6);
}

TEST_CASE("per-condition engine: cluster bootstrap is reproducible on any thread count",
          "[compare][per_condition][bootstrap]") {
  const auto one = disfer::analyze_per_condition(example(), options(1));
  const auto& all = one.find(subset_level::overall, "overall");
  REQUIRE(all.bootstrap.size() == 3);
  CHECK(all.bootstrap[0].a == "humans");
  CHECK(all.bootstrap[0].b == "model A");
  DISFER_CHECK_REL("observed difference", all.bootstrap[0].difference, 10.0 / 12 - 7.0 / 12, 1e-15);
  CHECK(all.bootstrap[0].replicates == 999);
  CHECK(all.bootstrap[0].ci_low <= all.bootstrap[0].difference);
  CHECK(all.bootstrap[0].ci_high >= all.bootstrap[0].difference);
  CHECK(all.bootstrap[0].standard_error > 0);
  for (const unsigned threads : {2u, 3u, 7u, 0u}) {
    const auto many = disfer::analyze_per_condition(example(), options(threads));
    for (std::size_t d = 0; d < one.subsets.size(); ++d)
      for (std::size_t q = 0; q < one.subsets[d].bootstrap.size(); ++q) {
        const auto &x = one.subsets[d].bootstrap[q], &y = many.subsets[d].bootstrap[q];
        INFO("threads " << threads << ", subset " << d << ", pair " << q);
        CHECK(x.ci_low == y.ci_low);
        CHECK(x.ci_high == y.ci_high);
        CHECK(x.standard_error == y.standard_error);
        CHECK(x.replicates == y.replicates);
      }
  }
  // Stimulus order does not matter (sources are numbered in sorted order).
  auto in = example();
  auto reversed = in;
  for (auto* v : {&reversed.condition, &reversed.distortion_type, &reversed.source}) std::reverse(v->begin(), v->end());
  std::reverse(reversed.truth.begin(), reversed.truth.end());
  for (auto& p : reversed.predictions) std::reverse(p.labels.begin(), p.labels.end());
  const auto rev = disfer::analyze_per_condition(reversed, options(2));
  CHECK(rev.subsets[3].name == "blur");  // first appearance order follows the input
  const auto& rb = rev.find(subset_level::condition, "original").bootstrap[1];
  const auto& ob = one.find(subset_level::condition, "original").bootstrap[1];
  CHECK(rb.ci_low == ob.ci_low);
  CHECK(rb.ci_high == ob.ci_high);
  CHECK(rb.standard_error == ob.standard_error);
  // Another seed gives other replicates.
  auto o = options();
  o.seed += 1;
  const auto other = disfer::analyze_per_condition(example(), o);
  CHECK(other.find(subset_level::overall, "overall").bootstrap[1].standard_error != all.bootstrap[1].standard_error);
  CHECK(one.random_stream_version == disfer::random_stream_version);
}

TEST_CASE("per-condition engine: the bootstrap follows its documented scheme", "[compare][per_condition][bootstrap]") {
  // Replicate r draws 6 source numbers (sources sorted: s1..s6 -> 0..5) from
  // random_cursor({seed, r, purpose::bootstrap}).next_below(6); humans - model B overall.
  const auto o = options();
  const auto res = disfer::analyze_per_condition(example(), o);
  const auto& bd = res.find(subset_level::overall, "overall").bootstrap[1];
  REQUIRE(bd.b == "model B");
  const int humans_correct[6] = {2, 2, 2, 2, 2, 0}, b_correct[6] = {0, 0, 2, 0, 1, 2};
  std::vector<double> reps;
  for (std::uint64_t r = 0; r < o.bootstrap_replicates; ++r) {
    disfer::random_cursor cur(disfer::stream_key{o.seed, r, disfer::purpose::bootstrap});
    long diff = 0, stimuli = 0;
    for (int draw = 0; draw < 6; ++draw) {
      const auto s = cur.next_below(6);
      diff += humans_correct[s] - b_correct[s];
      stimuli += 2;
    }
    reps.push_back(static_cast<double>(diff) / static_cast<double>(stimuli));
  }
  std::sort(reps.begin(), reps.end());
  // R quantile type 7 at 0.025 and 0.975 of 999 values: positions 24.95 and 973.05 (0-based).
  const double lo = reps[24] + 0.95 * (reps[25] - reps[24]);
  const double hi = reps[973] + 0.05 * (reps[974] - reps[973]);
  CHECK(bd.ci_low == Approx(lo).epsilon(1e-15));
  CHECK(bd.ci_high == Approx(hi).epsilon(1e-15));
}

TEST_CASE("per-condition engine rejects bad input", "[compare][per_condition][errors]") {
  auto in = example();
  in.predictions[1].labels[4] = 3;
  CHECK(disfer_test::message_of([&] { disfer::analyze_per_condition(in); }) ==
        "analyze_per_condition: prediction set \"model A\" label[4] = 3 is outside [0, 3)");
  in = example();
  in.truth[0] = -1;
  CHECK(disfer_test::message_of([&] { disfer::analyze_per_condition(in); }) ==
        "analyze_per_condition: truth[0] = -1 is outside [0, 3)");
  in = example();
  in.source.pop_back();
  CHECK(disfer_test::message_of([&] { disfer::analyze_per_condition(in); }) ==
        "analyze_per_condition: truth has 12 stimuli but source has 11");
  in = example();
  in.predictions[2].labels.push_back(0);
  CHECK(disfer_test::message_of([&] { disfer::analyze_per_condition(in); }) ==
        "analyze_per_condition: prediction set \"model B\" has 13 labels for 12 stimuli");
  in = example();
  in.predictions[2].name = "humans";
  CHECK(disfer_test::message_of([&] { disfer::analyze_per_condition(in); }) ==
        "analyze_per_condition: two prediction sets are named \"humans\"");
  in = example();
  auto o = options();
  o.reference = "crowd";
  CHECK(disfer_test::message_of([&] { disfer::analyze_per_condition(in, o); }) ==
        "analyze_per_condition: the reference \"crowd\" is not one of the prediction sets");
  in.k = 1;
  CHECK(disfer_test::message_of([&] { disfer::analyze_per_condition(in); }) ==
        "analyze_per_condition: k = 1; at least 2 categories are needed");
  CHECK(disfer_test::message_of([&] {
          disfer::analyze_per_condition(disfer::per_condition_input{3, {}, {}, {}, {}, {}});
        }) == "analyze_per_condition: there are no stimuli");
}
