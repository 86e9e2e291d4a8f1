// Structure, determinism and errors of simulate_study, summarize_study and the CSV writers.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "disfer/io/votes_csv.hpp"
#include "disfer/simulate.hpp"
#include "test_support.hpp"

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool same_study(const disfer::simulated_study& a, const disfer::simulated_study& b) {
  return a.votes.item == b.votes.item && a.votes.rater == b.votes.rater && a.votes.label == b.votes.label &&
         a.predictions == b.predictions && a.stimulus_expression == b.stimulus_expression;
}

}  // namespace

TEST_CASE("simulate_study follows the DisFER design", "[simulate][study]") {
  const auto params = disfer::disfer_simulation_parameters();
  const auto st = disfer::simulate_study(params, 7);
  REQUIRE(st.stimuli.size() == 840);
  REQUIRE(st.sources.size() == 84);
  CHECK(st.votes.n_raters == 1051);
  CHECK(st.votes.size() == 42040);
  CHECK(st.model_names == std::vector<std::string>{"RMN", "DeepFace", "FT RMN", "FT DeepFace"});
  const auto counts = disfer::vote_counts(st.votes, 7);
  std::map<std::int64_t, int> per_stimulus;
  for (Eigen::Index i = 0; i < counts.rows(); ++i) ++per_stimulus[counts.row(i).sum()];
  CHECK(per_stimulus == std::map<std::int64_t, int>{{50, 800}, {51, 40}});
  // 12 sources per emotion, stimulus id = source * 10 + condition, playlists of 40 holding at most
  // one stimulus of each configuration (emotion, condition).
  std::vector<int> playlist_size(21, 0);
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> config;
  for (std::size_t i = 0; i < st.stimuli.size(); ++i) {
    const auto& s = st.stimuli[i];
    CHECK(s.source == i / 10);
    CHECK(s.condition == i % 10);
    CHECK(s.label == s.source / 12);
    ++playlist_size[s.playlist];
    CHECK(config.insert({s.playlist, s.label, s.condition}).second);
  }
  for (int n : playlist_size) CHECK(n == 40);
  // Every rater votes once on each stimulus of its playlist.
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  for (std::size_t v = 0; v < st.votes.size(); ++v) {
    CHECK(st.stimuli[st.votes.item[v]].playlist == st.rater_playlist[st.votes.rater[v]]);
    CHECK(seen.insert({st.votes.rater[v], st.votes.item[v]}).second);
  }
  // Source expressions are distributions peaked at the perceived emotion's side.
  for (const auto& src : st.sources) {
    double total = 0;
    for (double p : src.expression) total += p;
    CHECK(total == Approx(1.0).epsilon(1e-12));
    CHECK(src.expression[src.perceived] >= src.clarity);
  }
}

TEST_CASE("simulate_study is a pure function of the seed, whatever the thread count", "[simulate][study]") {
  auto params = disfer::disfer_simulation_parameters();
  const auto a = disfer::simulate_study(params, 42);
  params.threads = 2;
  const auto b = disfer::simulate_study(params, 42);
  params.threads = 5;
  const auto c = disfer::simulate_study(params, 42);
  CHECK(same_study(a, b));
  CHECK(same_study(a, c));
  const auto d = disfer::simulate_study(params, 43);
  CHECK_FALSE(a.votes.label == d.votes.label);
}

TEST_CASE("simulate_study is generic in k and in the design sizes", "[simulate][study]") {
  disfer::simulation_parameters p;
  p.design.k = 3;
  p.design.sources_per_class = 4;
  p.design.conditions = {{"clean", 0, 0, 0}, {"blur", 1, 2, 1.0}};
  p.design.n_playlists = 3;
  p.design.raters_per_playlist = {5, 6, 7};
  p.humans.label_noise = {0.1, 0.1, 0.1};
  p.humans.clarity_mean = {0.8, 0.7, 0.6};
  p.humans.confusion = {{0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
  p.humans.response_bias = {0.2, 0.3, 0.5};
  p.humans.degraded_expression = {0.1, 0.1, 0.8};
  p.humans.degradation = {0, 0.3};
  disfer::model_parameters m;
  m.name = "m";
  m.bias = {1, 0, 0};
  m.degradation = {0, 1.0};
  p.models = {m};
  const auto st = disfer::simulate_study(p, 1);
  CHECK(st.stimuli.size() == 24);
  CHECK(st.votes.n_raters == 18);
  CHECK(st.votes.size() == 8 * 18);
  CHECK(st.category_names == std::vector<std::string>{"0", "1", "2"});
  const auto s = disfer::summarize_study(st);
  REQUIRE(s.predictors.size() == 2);
  CHECK(s.predictors[1].accuracy_by_family.size() == 2);
  CHECK(s.counts.cols() == 3);
}

TEST_CASE("simulate_study rejects inconsistent parameters", "[simulate][study][errors]") {
  const auto good = disfer::disfer_simulation_parameters();
  auto expect = [](disfer::simulation_parameters p, const std::string& what) {
    INFO(what);
    CHECK_THROWS_WITH(disfer::simulate_study(p, 1), Catch::Contains("simulate_study") && Catch::Contains(what));
  };
  auto p = good;
  p.design.n_playlists = 22;
  p.design.raters_per_playlist.assign(22, 50);
  expect(p, "cannot be split into 22 playlists");
  p = good;
  p.design.raters_per_playlist.pop_back();
  expect(p, "raters_per_playlist has 20 entries for 21 playlists");
  p = good;
  p.design.raters_per_playlist[3] = 0;
  expect(p, "playlist 3 has no rater");
  p = good;
  p.humans.confusion[2][2] = 0.1;
  expect(p, "must be 0 (the diagonal)");
  p = good;
  p.humans.response_bias[0] += 0.1;
  expect(p, "humans.response_bias sums to");
  p = good;
  p.humans.clarity_mean.pop_back();
  expect(p, "humans.clarity_mean has 6 entries; k = 7");
  p = good;
  p.humans.label_noise[1] = 1.5;
  expect(p, "humans.label_noise = 1.5 must lie in [0, 1]");
  p = good;
  p.models[0].degradation = {0, 1};
  expect(p, "model degradation has 2 entries but the conditions use 4 families");
  p = good;
  p.models[1].bias[0] = -0.1;
  expect(p, "is not a probability");
  p = good;
  p.design.conditions[3].severity = -1;
  expect(p, "severity -1");
  // The item model's parameters (issue 23).
  const std::vector<std::pair<std::function<void(disfer::human_parameters&)>, const char*>> item_model = {
      {[](disfer::human_parameters& h) { h.ambiguous_rate = 1.2; }, "humans.ambiguous_rate = 1.2 must lie in [0, 1]"},
      {[](disfer::human_parameters& h) { h.ambiguous_clarity = 1.0; },
       "humans.ambiguous_clarity = 1 must lie in (0, 1)"},
      {[](disfer::human_parameters& h) { h.third_reading_rate = -0.1; },
       "humans.third_reading_rate = -0.1 must lie in [0, 1]"},
      {[](disfer::human_parameters& h) { h.degraded_share = 2; }, "humans.degraded_share = 2 must lie in [0, 1]"},
      {[](disfer::human_parameters& h) { h.robustness_exponent = -1; },
       "humans.robustness_exponent = -1 must be finite and >= 0"},
  };
  for (const auto& row : item_model) {
    p = good;
    row.first(p.humans);
    expect(p, row.second);
  }
}

TEST_CASE("summarize_study computes the paper's aggregates from the votes", "[simulate][summary]") {
  const auto st = disfer::simulate_study(disfer::disfer_simulation_parameters(), 3);
  const auto s = disfer::summarize_study(st);
  REQUIRE(s.predictors.size() == 5);
  // The majority vote is the plurality of the counts (ties broken at random among the maxima).
  for (std::size_t i = 0; i < st.stimuli.size(); ++i)
    CHECK(s.counts(static_cast<Eigen::Index>(i), s.predictors[0].labels[i]) ==
          s.counts.row(static_cast<Eigen::Index>(i)).maxCoeff());
  // Accuracy per condition averages to the overall accuracy (equal condition sizes).
  double mean = 0;
  for (double a : s.predictors[0].accuracy_by_condition) mean += a / 10;
  CHECK(mean == Approx(s.predictors[0].accuracy).epsilon(1e-12));
  // Always-misclassified sources: no stimulus of theirs is right.
  for (auto src : s.always_misclassified)
    for (std::size_t c = 0; c < 10; ++c) CHECK(s.predictors[0].labels[src * 10 + c] != st.stimuli[src * 10 + c].label);
  CHECK(s.agreement.items == 840);
  CHECK(s.participants.raters == 1051);
  CHECK(s.mcnemar_log10_p.size() == 5);
  CHECK(s.mcnemar_log10_p[0][1] == s.mcnemar_log10_p[1][0]);
  CHECK(s.offdiag_r_by_condition.size() == 4);
}

TEST_CASE("off-diagonal correlation helper matches a hand computation", "[simulate][summary]") {
  disfer::confusion_counts a(3, 3), b(3, 3);
  a << 5, 1, 4, 2, 6, 2, 0, 3, 7;
  b << 4, 2, 4, 1, 8, 1, 1, 1, 8;
  // numpy: x = [.1,.4,.2,.2,0,.3], y = [.2,.4,.1,.1,.1,.1]; np.corrcoef(x, y)[0, 1] = 0.5838742081211421
  CHECK(disfer::detail::row_offdiag_r(a, b) == Approx(0.5838742081211421).epsilon(1e-12));
}

TEST_CASE("the CSV writers round-trip through read_votes_csv and refuse to overwrite", "[simulate][csv]") {
  const auto st = disfer::simulate_study(disfer::disfer_simulation_parameters(), 5);
  const auto dir = disfer_test::scratch_dir("simulate_csv");
  const std::string votes = (dir / "votes.csv").string();
  disfer::write_simulated_votes_csv(st, votes);
  disfer::write_simulated_predictions_csv(st, 2, (dir / "ft_rmn.csv").string());
  disfer::write_simulated_stimuli_csv(st, (dir / "stimuli.csv").string());
  const disfer::vote_table back = disfer::read_votes_csv(votes);
  REQUIRE(back.size() == st.votes.size());
  CHECK(bool(disfer::vote_counts(back, 7).colwise().sum() == disfer::vote_counts(st.votes, 7).colwise().sum()));
  CHECK(back.n_raters == 1051);
  CHECK(back.n_items == 840);
  CHECK_THROWS_WITH(disfer::write_simulated_votes_csv(st, votes), Catch::Contains("refusing to overwrite"));
  CHECK_THROWS_WITH(disfer::write_simulated_predictions_csv(st, 9, (dir / "x.csv").string()),
                    Catch::Contains("model 9 does not exist"));
  const std::string pred = slurp(dir / "ft_rmn.csv");
  CHECK(pred.rfind("stimulus,label\nsrc000_original,", 0) == 0);
  const auto st2 = disfer::simulate_study(disfer::disfer_simulation_parameters(), 5);
  disfer::write_simulated_votes_csv(st2, (dir / "votes2.csv").string());
  CHECK(slurp(dir / "votes.csv") == slurp(dir / "votes2.csv"));
}
