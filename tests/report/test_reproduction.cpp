#include <catch2/catch.hpp>
#include <disfer/report.hpp>
#include <disfer/simulate/csv.hpp>
#include <disfer/simulate/defaults.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "test_support.hpp"

namespace {

std::string reference(const std::string& name) {
  return disfer_test::data_path("../report/reference/" + name);
}

std::map<std::string, double> expected_values() {
  std::map<std::string, double> m;
  disfer::csv_reader csv(reference("tiny_study_expected.csv"));
  while (csv.next()) m[csv[0]] = std::stod(csv[1]);
  return m;
}

// The tiny study of tests/report/reference/tiny_study.py, through the public input path.
disfer::reproduction_input tiny_input() {
  disfer::stimulus_manifest m;
  m.path = "tiny";
  m.category_names = {"a", "b", "c"};
  m.conditions = {{"original", 0, 0, 0}, {"GB 0.8", 1, 1, 0.8}};
  const char* src[] = {"s1", "s2", "s3", "s4"};
  const std::uint32_t label[] = {0, 1, 2, 0};
  for (std::size_t s = 0; s < 4; ++s)
    for (std::size_t c = 0; c < 2; ++c) {
      const std::string id = std::string(src[s]) + (c == 0 ? "_orig" : "_gb");
      m.add({id, src[s], label[s], c}, m.stimuli.size() + 2);
    }
  auto in = disfer::input_from_manifest(m);
  disfer::votes_csv_options vo;
  vo.categories = m.category_names;
  const auto v = disfer::read_votes_csv(reference("tiny_study_votes.csv"), vo);
  in.votes.n_items = m.stimuli.size();
  for (std::size_t q = 0; q < v.size(); ++q)
    in.votes.add(static_cast<std::uint32_t>(m.find(v.item_names[v.item[q]])), v.rater[q], v.label[q]);
  in.votes.rater_names = v.rater_names;
  std::vector<std::string> ids;
  std::vector<int> labels;
  disfer::csv_reader p(reference("tiny_study_model.csv"));
  while (p.next()) {
    ids.push_back(p[0]);
    labels.push_back(p[1] == "a" ? 0 : p[1] == "b" ? 1 : 2);
  }
  disfer::attach_predictions(in, m, "model", "tiny_study_model.csv", ids, labels);
  return in;
}

}  // namespace

TEST_CASE("reproduction: a tiny study matches statsmodels and SciPy", "[report][reproduction]") {
  const auto e = expected_values();
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  const auto r = disfer::compute_reproduction(tiny_input(), o);
  // statsmodels.stats.inter_rater.fleiss_kappa(counts, method="fleiss")
  CHECK(r.summary.kappa.kappa == Approx(e.at("kappa")).epsilon(1e-12));
  for (std::size_t i = 0; i < r.stimulus_ids.size(); ++i)
    CHECK(r.summary.p_i[static_cast<Eigen::Index>(i)] == Approx(e.at("p_i/" + r.stimulus_ids[i])).epsilon(1e-12));
  // statsmodels proportion_confint(ok, n, alpha=0.05, method="wilson")
  const auto& overall = r.per_condition.subsets.front();
  for (std::size_t p = 0; p < 2; ++p) {
    const std::string nm = p == 0 ? "humans" : "model";
    CHECK(overall.predictors[p].accuracy.estimate == Approx(e.at("accuracy/" + nm)).epsilon(1e-12));
    CHECK(overall.predictors[p].accuracy.ci_low == Approx(e.at("ci_low/" + nm)).epsilon(1e-9));
    CHECK(overall.predictors[p].accuracy.ci_high == Approx(e.at("ci_high/" + nm)).epsilon(1e-9));
    CHECK(r.accuracy_without_always_misclassified[p] == Approx(e.at("accuracy_without/" + nm)).epsilon(1e-12));
  }
  // statsmodels mcnemar(table, exact=True)
  REQUIRE(overall.pairs.size() == 1);
  CHECK(overall.pairs[0].test.b == static_cast<std::int64_t>(e.at("mcnemar_b")));
  CHECK(overall.pairs[0].test.c == static_cast<std::int64_t>(e.at("mcnemar_c")));
  CHECK(overall.pairs[0].test.p_value == Approx(e.at("mcnemar_p")).epsilon(1e-12));
  // numpy mean / std(ddof=1) of the raters' accuracies
  CHECK(r.summary.participants.mean == Approx(e.at("participants/mean")).epsilon(1e-12));
  CHECK(r.summary.participants.sd == Approx(e.at("participants/sd")).epsilon(1e-12));
  CHECK(r.summary.participants.min == Approx(e.at("participants/min")).epsilon(1e-12));
  CHECK(r.summary.participants.max == Approx(e.at("participants/max")).epsilon(1e-12));
  CHECK(r.participants.size() == 5);
  CHECK(r.table1.size() == static_cast<std::size_t>(e.at("always_misclassified")));
  // scipy.stats.pearsonr of the off-diagonal cells of row-normalised confusion matrices
  REQUIRE(overall.correlations.size() == 1);
  CHECK(overall.correlations[0].correlation.r == Approx(e.at("offdiag_r")).epsilon(1e-12));
  CHECK(overall.correlations[0].correlation.p_value == Approx(e.at("offdiag_p")).epsilon(1e-9));
  // Table 1 of the tiny study: source s2 (label b) is wrong in both versions? (per the reference)
  for (const auto& t : r.table1) {
    CHECK(t.versions == 2);
    CHECK(t.min <= t.mean);
    CHECK(t.mean <= t.max);
  }
}

TEST_CASE("reproduction: every row says where it comes from", "[report][reproduction]") {
  auto in = tiny_input();
  in.models[0].origin = disfer::data_origin::simulated;
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  const auto r = disfer::compute_reproduction(in, o);
  CHECK(r.predictor_origin[0] == disfer::data_origin::measured);
  CHECK(r.predictor_origin[1] == disfer::data_origin::simulated);
  CHECK(r.origin(0, 1) == disfer::data_origin::mixed);
  std::ostringstream csv;
  disfer::write_mcnemar_csv(csv, r);
  CHECK(csv.str().find(",humans,model,mixed,") != std::string::npos);
}

TEST_CASE("reproduction: the predictor list is open", "[report][reproduction]") {
  auto in = tiny_input();
  auto extra = in.models[0];
  extra.name = "FT-GB";
  in.models.push_back(extra);
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  const auto r = disfer::compute_reproduction(in, o);
  CHECK(r.predictor_names == std::vector<std::string>{"humans", "model", "FT-GB"});
  CHECK(r.per_condition.subsets.front().pairs.size() == 3);
  in.models.push_back(extra);
  CHECK_THROWS_WITH(disfer::compute_reproduction(in, o), Catch::Contains("two predictors are named 'FT-GB'"));
}

TEST_CASE("reproduction: the manifest reader names file, line and problem", "[report][inputs]") {
  const auto m = disfer::read_stimulus_manifest(disfer_test::data_path("report/manifest.csv"));
  REQUIRE(m.stimuli.size() == 4);
  CHECK(m.conditions.size() == 2);
  CHECK(m.conditions[1].name == "GB 0.8");
  CHECK(m.conditions[1].family == 1);
  CHECK(m.stimuli[1].source == "fer10");
  CHECK(m.stimuli[2].label == 3);  // happy
  CHECK(m.line[0] == 3);           // after the '#' line and the header
  CHECK_THROWS_WITH(disfer::read_stimulus_manifest(disfer_test::data_path("report/manifest_repeated.csv")),
                    Catch::Contains("manifest_repeated.csv:4:") && Catch::Contains("listed twice (first on line 2)"));
  auto in = disfer::input_from_manifest(m);
  CHECK_THROWS_WITH(disfer::attach_votes(in, m, disfer_test::data_path("report/votes_missing_stimulus.csv")),
                    Catch::Contains("manifest.csv:6: stimulus 'fer20_gb0.8' has no vote"));
}

TEST_CASE("reproduction: a count table is checked before it is expanded to votes", "[report][inputs]") {
  const auto m = disfer::read_stimulus_manifest(disfer_test::data_path("report/manifest.csv"));
  const auto dir = disfer_test::scratch_dir("report_count_limit");
  const auto table = [&](const std::string& name, const std::string& first_row) {
    std::ofstream f(dir / name);
    f << "stimulus,angry,disgust,fear,happy,sad,surprise,neutral\n"
      << first_row << "\n"
      << "fer10_gb0.8,1,0,0,0,0,0,0\nfer20_orig,0,0,0,1,0,0,0\nfer20_gb0.8,0,0,0,1,0,0,0\n";
    return (dir / name).string();
  };
  // Exactly max_count_table_votes (split over two columns) is accepted: the limit is inclusive.
  auto in = disfer::input_from_manifest(m);
  disfer::attach_votes(in, m, table("at_limit.csv", "fer10_orig,999999,1,0,0,0,0,0"));
  CHECK(in.votes.size() == static_cast<std::size_t>(disfer::max_count_table_votes) + 3);
  CHECK(in.votes.n_raters == static_cast<std::size_t>(disfer::max_count_table_votes));
  // One more is refused, naming the file and line, before any vote is made.
  auto in2 = disfer::input_from_manifest(m);
  CHECK_THROWS_WITH(disfer::attach_votes(in2, m, table("over_limit.csv", "fer10_orig,999999,2,0,0,0,0,0")),
                    Catch::Contains("over_limit.csv:2:") &&
                        Catch::Contains("'fer10_orig' has 1000001 votes, more than max_count_table_votes = 1000000 "
                                        "(expanded to one vote per anonymous rater they would need 0.0111"));
  CHECK(in2.votes.size() == 0);
  // A stimulus listed twice would repeat its anonymous rater slots: refused with both lines.
  auto in3 = disfer::input_from_manifest(m);
  CHECK_THROWS_WITH(
      disfer::attach_votes(in3, m, table("twice.csv", "fer20_orig,1,0,0,0,0,0,0")),
      Catch::Contains("twice.csv:4:") && Catch::Contains("'fer20_orig' is listed twice (first on line 2)"));
}

TEST_CASE("reproduction: the simulation fills the gaps on a given stimulus set", "[report][inputs]") {
  const auto m = disfer::read_stimulus_manifest(disfer_test::data_path("report/manifest.csv"));
  auto in = disfer::input_from_manifest(m);
  // 4 stimuli of 2 emotions only: not a balanced design over the 7 emotions.
  CHECK_THROWS_WITH(disfer::simulate_missing(in, disfer::disfer_simulation_parameters(), 1, true, true),
                    Catch::Contains("simulate_missing") && Catch::Contains("the same number for every emotion"));
  const auto params = disfer::disfer_simulation_parameters();
  const auto a = disfer::simulated_reproduction_input(params, 7);
  const auto st = disfer::simulate_study(params, 7);
  // The same design: the mapping onto the stimuli is the identity, the votes are the simulation's.
  CHECK(a.votes.item == st.votes.item);
  CHECK(a.votes.label == st.votes.label);
  REQUIRE(a.models.size() == st.predictions.size());
  for (std::size_t m2 = 0; m2 < a.models.size(); ++m2) CHECK(a.models[m2].labels == st.predictions[m2]);
}

TEST_CASE("reproduction: outputs are staged and never replace a folder unasked", "[report][write]") {
  const auto dir = disfer_test::scratch_dir("report_write");
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  const auto r = disfer::compute_reproduction(tiny_input(), o);
  disfer::reproduction_provenance p;
  const auto out = (dir / "out").string();
  const auto files = disfer::write_reproduction(out, r, p);
  CHECK(files.size() == 18);
  CHECK(files.back() == "report.html");
  for (const auto& f : files) CHECK(std::filesystem::exists(std::filesystem::path(out) / f));
  CHECK_THROWS_WITH(disfer::write_reproduction(out, r, p), Catch::Contains("refusing to replace"));
  CHECK_NOTHROW(disfer::write_reproduction(out, r, p, disfer::overwrite_policy::replace));
  CHECK_THROWS_WITH(
      disfer::write_reproduction((dir / "o2").string(), r, p, disfer::overwrite_policy::refuse, {{"mcnemar.csv", "x"}}),
      Catch::Contains("has the name of an output"));
  CHECK_FALSE(std::filesystem::exists(dir / "o2"));
}

TEST_CASE("reproduction: votes written to files and read back give the same results", "[report][inputs]") {
  const auto dir = disfer_test::scratch_dir("report_roundtrip");
  const auto params = disfer::disfer_simulation_parameters();
  const auto st = disfer::simulate_study(params, 11);
  disfer::write_simulated_stimuli_csv(st, (dir / "stimuli.csv").string());
  disfer::write_simulated_votes_csv(st, (dir / "votes.csv").string());
  disfer::write_simulated_predictions_csv(st, 0, (dir / "rmn.csv").string());
  // Count table of the same votes: stimulus,angry,...,neutral.
  {
    const auto counts = disfer::vote_counts(st.votes, st.k);
    disfer::staged_file f((dir / "counts.csv").string(), disfer::overwrite_policy::refuse, "test");
    std::vector<std::string> head = {"stimulus"};
    for (const auto& c : st.category_names) head.push_back(c);
    disfer::write_csv_row(f.stream(), head);
    for (Eigen::Index i = 0; i < counts.rows(); ++i) {
      std::vector<std::string> row = {st.stimuli[static_cast<std::size_t>(i)].name};
      for (Eigen::Index j = 0; j < counts.cols(); ++j) row.push_back(std::to_string(counts(i, j)));
      disfer::write_csv_row(f.stream(), row);
    }
    f.commit();
  }
  disfer::reproduction_options o;
  o.seed = 11;
  o.bootstrap_replicates = 0;
  const auto direct = disfer::compute_reproduction(disfer::simulated_reproduction_input(params, 11), o);

  const auto m = disfer::read_stimulus_manifest((dir / "stimuli.csv").string());
  REQUIRE(m.stimuli.size() == 840);
  CHECK(m.conditions.size() == 10);
  auto in = disfer::input_from_manifest(m);
  disfer::attach_votes(in, m, (dir / "votes.csv").string());
  CHECK(in.votes_origin == disfer::data_origin::measured);
  disfer::simulate_missing(in, params, 11, false, true);
  const auto read = disfer::compute_reproduction(in, o);
  CHECK(read.predictor_origin[0] == disfer::data_origin::measured);
  CHECK(read.predictor_origin[1] == disfer::data_origin::simulated);
  CHECK(read.summary.kappa.kappa == direct.summary.kappa.kappa);
  CHECK(read.summary.participants.mean == direct.summary.participants.mean);
  for (std::size_t p = 0; p < direct.predictor_names.size(); ++p)
    CHECK(read.per_condition.subsets.front().predictors[p].accuracy.estimate ==
          direct.per_condition.subsets.front().predictors[p].accuracy.estimate);
  CHECK(read.table1.size() == direct.table1.size());

  auto in2 = disfer::input_from_manifest(m);
  disfer::attach_votes(in2, m, (dir / "counts.csv").string());
  CHECK_FALSE(in2.raters_identified);
  disfer::simulate_missing(in2, params, 11, false, true);
  const auto counted = disfer::compute_reproduction(in2, o);
  CHECK(counted.summary.kappa.kappa == Approx(direct.summary.kappa.kappa).epsilon(1e-12));
  CHECK(counted.summary.agreement.above_0_9 == direct.summary.agreement.above_0_9);
  CHECK(counted.participants.empty());
}

TEST_CASE("reproduction: a measured predictor is never tested against a simulated one", "[report][origin]") {
  auto in = tiny_input();  // measured votes and "model"
  disfer::reproduction_predictor sim = in.models[0];
  sim.name = "simulated model";
  sim.origin = disfer::data_origin::simulated;
  for (auto& l : sim.labels) l = (l + 1) % 3;
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  const auto base = disfer::compute_reproduction(in, o);
  in.models.push_back(sim);
  const auto r = disfer::compute_reproduction(in, o);
  for (std::size_t s = 0; s < r.per_condition.subsets.size(); ++s) {
    const auto& sub = r.per_condition.subsets[s];
    REQUIRE(sub.pairs.size() == 3);  // humans-model (measured), humans-sim, model-sim (mixed)
    CHECK(r.origin_on(0, 1, sub) == disfer::data_origin::measured);
    CHECK(r.origin_on(1, 2, sub) == disfer::data_origin::mixed);
    // The measured pair keeps its test and its adjusted p: the family has no simulated member.
    CHECK(sub.pairs[0].test.p_value == base.per_condition.subsets[s].pairs[0].test.p_value);
    CHECK(sub.pairs[0].p_adjusted == base.per_condition.subsets[s].pairs[0].p_adjusted);
    for (std::size_t q = 1; q < 3; ++q) {
      CHECK(std::isnan(sub.pairs[q].test.p_value));
      CHECK(std::isnan(sub.pairs[q].p_adjusted));
      CHECK(std::isnan(sub.pairs[q].clustered.p_value));
    }
    for (const auto& c : sub.correlations)
      if (c.predictor == "simulated model") CHECK(std::isnan(c.correlation.r));
  }
  CHECK(std::isnan(r.accuracy_without_always_misclassified[2]));
  CHECK(r.accuracy_without_always_misclassified[1] == base.accuracy_without_always_misclassified[1]);
  std::ostringstream mc;
  disfer::write_mcnemar_csv(mc, r);
  CHECK_THAT(mc.str(), Catch::Contains("model,simulated model,mixed,") && Catch::Contains(disfer::untested_note));
  // Without report_simulated, no row of the simulated model or of a mixed pair is written.
  o.report_simulated = false;
  const auto m = disfer::compute_reproduction(in, o);
  std::ostringstream mc2, acc;
  disfer::write_mcnemar_csv(mc2, m);
  disfer::write_overall_accuracy_csv(acc, m);
  CHECK_THAT(mc2.str(), !Catch::Contains("simulated model") && Catch::Contains("humans,model,measured"));
  CHECK_THAT(acc.str(), !Catch::Contains("simulated"));
}

TEST_CASE("reproduction: votes measured on some conditions only, placeholders never reported", "[report][origin]") {
  auto in = tiny_input();
  // Keep the measured votes of the originals only; absent_votes fills the GB stimuli.
  disfer::vote_table keep;
  for (std::size_t q = 0; q < in.votes.size(); ++q)
    if (in.stimuli[in.votes.item[q]].condition == 0) keep.add(in.votes.item[q], in.votes.rater[q], in.votes.label[q]);
  keep.n_raters = in.votes.n_raters;
  keep.rater_names = in.votes.rater_names;
  in.votes = keep;
  disfer::absent_votes(in);
  REQUIRE(in.votes_origin_by_condition.size() == 2);
  CHECK(in.votes_origin_by_condition[0] == disfer::data_origin::measured);
  CHECK(in.votes_origin_by_condition[1] == disfer::data_origin::absent);
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  o.report_simulated = false;
  const auto r = disfer::compute_reproduction(in, o);
  CHECK(r.votes_origin == disfer::data_origin::mixed);
  const auto& original = r.per_condition.find(disfer::subset_level::condition, "original");
  const auto& gb = r.per_condition.find(disfer::subset_level::condition, "GB 0.8");
  CHECK(r.origin_on(0, original) == disfer::data_origin::measured);
  CHECK(r.origin_on(0, gb) == disfer::data_origin::absent);
  // The originals' humans-vs-model test is measured and tested, the others are not reported.
  CHECK_FALSE(std::isnan(original.pairs[0].test.p_value));
  std::ostringstream mc, k, per;
  disfer::write_mcnemar_csv(mc, r);
  disfer::write_fleiss_kappa_csv(k, r);
  disfer::write_item_agreement_per_stimulus_csv(per, r);
  CHECK_THAT(mc.str(), Catch::Contains("condition,original,humans,model,measured") && !Catch::Contains("GB 0.8") &&
                           !Catch::Contains("overall"));
  const std::string kappa = k.str();
  CHECK(std::count(kappa.begin(), kappa.end(), '\n') == 1);  // header only: kappa over mixed votes
  CHECK_THAT(per.str(), Catch::Contains("s1_orig") && !Catch::Contains("s1_gb") && !Catch::Contains("absent"));
  std::ostringstream json;
  disfer::write_reproduction_json(json, r, {});
  const std::string j = json.str();
  const auto by = j.find("\"votes_by_condition\"");
  REQUIRE(by != std::string::npos);
  CHECK_THAT(j.substr(by, j.find('}', by) - by),
             Catch::Contains("\"original\": \"measured\"") && !Catch::Contains("GB"));
  CHECK_THAT(j, !Catch::Contains("absent"));
}

TEST_CASE("reproduction: report.html holds every table, the figures inline and links, and no script",
          "[report][html]") {
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  const auto r = disfer::compute_reproduction(tiny_input(), o);
  disfer::reproduction_provenance p;
  p.program = "test";
  p.inputs.push_back({"votes", "votes <1>.csv", "ab12"});
  std::ostringstream html;
  disfer::write_report_html(html, r, p, disfer::reproduction_figures(r), {}, {"mcnemar.csv", "reproduction.json"});
  const std::string s = html.str();
  for (const auto& t : disfer::reproduction_tables(r))
    CHECK_THAT(s, Catch::Contains(disfer::detail::html::escape(t.title)));
  CHECK(s.find("<svg") != std::string::npos);
  std::size_t svgs = 0;
  for (auto at = s.find("<svg"); at != std::string::npos; at = s.find("<svg", at + 1)) ++svgs;
  CHECK(svgs == 4);
  CHECK_THAT(s, Catch::Contains("<a href=\"mcnemar.csv\">") && Catch::Contains("votes &lt;1&gt;.csv") &&
                    Catch::Contains("<span class=\"badge measured\">measured</span>"));
  CHECK_THAT(s, !Catch::Contains("<script") && !Catch::Contains("<?xml") && !Catch::Contains(" src=") &&
                    !Catch::Contains("<link"));
  std::ostringstream again;
  disfer::write_report_html(again, r, p, disfer::reproduction_figures(r), {}, {"mcnemar.csv", "reproduction.json"});
  CHECK(again.str() == s);
}
