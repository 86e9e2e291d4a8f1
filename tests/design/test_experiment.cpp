// The experiment's design (design/experiment.hpp): presentation orders read back, attention checks
// drawn before the study, and window.DISFER_STUDY. The generated folder as a whole is checked by
// tests/design/check_experiment.py (against make_disfer_stimuli's CSV files, independently) and
// run in jsdom and headless Chromium (tests/experiment).
#include <catch2/catch.hpp>

#include <disfer/design/experiment.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

std::string write_file(const std::string& name, const std::string& text) {
  const auto path = (disfer_test::scratch_dir("experiment") / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// n orders of `len` stimuli each over ids s0..s(n*len-1), playlist = order.
std::vector<disfer::participant_order> orders_of(std::size_t n, std::size_t len, std::vector<std::string>& ids) {
  std::vector<disfer::participant_order> out;
  for (std::size_t o = 0; o < n; ++o) {
    disfer::participant_order p;
    p.participant = o;
    p.playlist = o;
    for (std::size_t k = 0; k < len; ++k) {
      ids.push_back("s" + std::to_string(o * len + k));
      p.ids.push_back(ids.back());
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace

TEST_CASE("read_presentation_orders: orders by participant, positions in order, CRLF", "[design][experiment]") {
  const auto path =
      write_file("orders.csv", "participant,playlist,position,id\r\n1,0,1,b\r\n1,0,0,a\r\n0,3,0,c\r\n0,3,1,\"d\"\r\n");
  const auto o = disfer::read_presentation_orders(path);
  REQUIRE(o.size() == 2);
  CHECK(o[0].participant == 0);
  CHECK(o[0].playlist == 3);
  CHECK(o[0].ids == std::vector<std::string>{"c", "d"});
  CHECK(o[0].line == 4);
  CHECK(o[1].ids == std::vector<std::string>{"a", "b"});
}

TEST_CASE("read_presentation_orders: every bad field names the file and line", "[design][experiment]") {
  using Catch::Matchers::Contains;
  const std::string head = "participant,playlist,position,id\n";
  const auto fails = [&](const std::string& name, const std::string& body, const std::string& what) {
    const auto path = write_file(name, head + body);
    REQUIRE_THROWS_WITH(disfer::read_presentation_orders(path), Contains(path) && Contains(what));
  };
  fails("twice.csv", "0,0,0,a\n0,0,0,b\n", ":3: participant 0: position 0 is given twice");
  fails("gap.csv", "0,0,0,a\n0,0,2,b\n", ":3: participant 0: position 2 follows a missing position 1");
  fails("two_playlists.csv", "0,0,0,a\n0,1,1,b\n", "participant 0 is in playlist 0 on line 2 and in playlist 1");
  fails("number.csv", "0,x,0,a\n", "playlist 'x' is not a whole number");
  fails("negative.csv", "-1,0,0,a\n", "participant '-1' is not a whole number");
  fails("empty_id.csv", "0,0,0,\n", "empty stimulus id");
  fails("repeat.csv", "0,0,0,a\n0,0,1,a\n", "stimulus 'a' is shown twice (first on line 2)");
  const auto no_column = write_file("no_id.csv", "participant,playlist,position\n0,0,0\n");
  REQUIRE_THROWS_WITH(disfer::read_presentation_orders(no_column), Contains("missing column 'id'"));
}

TEST_CASE("disfer_buttons: the paper's alphabetical order, FER-2013's category names", "[design][experiment]") {
  // Lévêque et al. 2022, section 3.3 and Figures 3 and 5: Anger, Disgust, Fear, Happiness,
  // Neutral, Sadness, Surprise.
  const auto b = disfer::disfer_buttons();
  REQUIRE(b.size() == 7);
  const std::vector<std::string> labels = {"Anger", "Disgust", "Fear", "Happiness", "Neutral", "Sadness", "Surprise"};
  const std::vector<std::string> categories = {"angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"};
  for (std::size_t i = 0; i < 7; ++i) {
    CHECK(b[i].label == labels[i]);
    CHECK(b[i].category == categories[i]);
  }
}

TEST_CASE("plan_experiment: checks evenly spaced, on faces outside the order, reproducible from the seed",
          "[design][experiment]") {
  std::vector<std::string> ids;
  const auto orders = orders_of(6, 40, ids);
  disfer::experiment_options o;
  const auto a = disfer::plan_experiment(orders, ids, o);
  REQUIRE(a.playlists.size() == 6);
  std::set<std::size_t> buttons_used;
  for (const auto& p : a.playlists) {
    REQUIRE(p.orders.size() == 1);
    const auto& e = p.orders[0];
    CHECK(e.ids == orders[p.playlist].ids);
    REQUIRE(e.checks.size() == 2);
    CHECK(e.checks[0].after == 13);  // round(40 / 3)
    CHECK(e.checks[1].after == 27);  // round(80 / 3)
    for (const auto& c : e.checks) {
      CHECK(c.expected < 7);
      buttons_used.insert(c.expected);
      CHECK(std::find(e.ids.begin(), e.ids.end(), c.image) == e.ids.end());
      CHECK(std::find(ids.begin(), ids.end(), c.image) != ids.end());
    }
  }
  CHECK(buttons_used.size() > 2);  // 12 draws over 7 buttons, not one constant
  std::ostringstream x, y, z;
  disfer::write_experiment_study_js(x, a);
  disfer::write_experiment_study_js(y, disfer::plan_experiment(orders, ids, o));
  CHECK(x.str() == y.str());
  o.seed = 7;
  disfer::write_experiment_study_js(z, disfer::plan_experiment(orders, ids, o));
  CHECK(x.str() != z.str());

  o.attention_after = {0, 40};
  const auto edges = disfer::plan_experiment(orders, ids, o);
  CHECK(edges.playlists[0].orders[0].checks[0].after == 0);
  CHECK(edges.playlists[0].orders[0].checks[1].after == 40);
}

TEST_CASE("plan_experiment and write_experiment_study_js refuse what cannot run", "[design][experiment]") {
  using Catch::Matchers::Contains;
  std::vector<std::string> ids;
  auto orders = orders_of(2, 4, ids);
  disfer::experiment_options o;
  o.attention_after = {5, 6};
  REQUIRE_THROWS_WITH(disfer::plan_experiment(orders, ids, o), Contains("check 1 after 5 ratings, but order 0 has 4"));
  o.attention_after = {3, 1};
  REQUIRE_THROWS_WITH(disfer::plan_experiment(orders, ids, o), Contains("must be ascending"));
  o.attention_after = {1};
  REQUIRE_THROWS_WITH(disfer::plan_experiment(orders, ids, o), Contains("1 check positions for 2 attention checks"));
  o.attention_after.clear();
  orders[1].ids.push_back("nowhere");
  REQUIRE_THROWS_WITH(disfer::plan_experiment(orders, ids, o), Contains("shows 'nowhere', which is not a stimulus"));
  std::vector<std::string> one_ids;
  const auto one = orders_of(1, 4, one_ids);
  REQUIRE_THROWS_WITH(disfer::plan_experiment(one, one_ids, o), Contains("shows every stimulus"));
  o.attention_checks = 0;
  CHECK(disfer::plan_experiment(one, one_ids, o).playlists[0].orders[0].checks.empty());

  auto study = disfer::plan_experiment(one, one_ids, o);
  std::ostringstream out;
  study.save_mode = "ftp";
  REQUIRE_THROWS_WITH(disfer::write_experiment_study_js(out, study), Contains("save mode 'ftp'"));
  study.save_mode = "post";
  REQUIRE_THROWS_WITH(disfer::write_experiment_study_js(out, study), Contains("save mode post needs a URL"));
  study.save_mode = "datapipe";
  REQUIRE_THROWS_WITH(disfer::write_experiment_study_js(out, study), Contains("needs its experiment id"));
  study.save_mode = "download";
  study.assignment = "random";
  REQUIRE_THROWS_WITH(disfer::write_experiment_study_js(out, study), Contains("assignment 'random'"));
  study.assignment = "url";
  study.completion_code = "C0DE&x=1";
  REQUIRE_THROWS_WITH(disfer::write_experiment_study_js(out, study), Contains("not letters and digits"));
  study.completion_code = "C0DE";
  std::ostringstream ok;
  disfer::write_experiment_study_js(ok, study);
  CHECK(ok.str().find("window.DISFER_STUDY = {") != std::string::npos);
  CHECK(ok.str().find("\"image\": \"images/s0.png\"") != std::string::npos);
}
