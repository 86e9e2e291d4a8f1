#include <catch2/catch.hpp>

#include <disfer/design.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "synthetic.hpp"
#include "test_support.hpp"

namespace {

std::string playlists_csv(const std::vector<disfer::stimulus>& st, const disfer::playlist_set& ps) {
  std::ostringstream out;
  disfer::write_playlists_csv(out, st, ps);
  return out.str();
}

#ifdef DISFER_SANITIZE_BUILD
constexpr int property_seeds = 40;  // ASan+UBSan: a subset (the dev build runs 200)
#else
constexpr int property_seeds = 200;
#endif

}  // namespace

TEST_CASE("DisFER's shape: 4 per condition, 5-6 per emotion, at most 1 per (emotion, condition)",
          "[design][make_playlists]") {
  const auto st = disfer_test::synthetic_stimuli(84, disfer::disfer_conditions());
  const auto ps = disfer::make_playlists(st, 21, 40, 2022);
  REQUIRE(ps.playlists.size() == 21);
  std::vector<int> seen(st.size(), 0);
  for (const auto& pl : ps.playlists) {
    REQUIRE(pl.size() == 40);
    std::map<std::size_t, int> per_condition, per_emotion, per_source;
    std::map<std::pair<std::size_t, std::size_t>, int> per_emotion_condition;
    std::map<std::pair<std::size_t, int>, int> per_emotion_kind;
    for (std::size_t i : pl) {
      ++seen[i];
      const auto e = disfer::index_of(st[i].label);
      ++per_condition[st[i].condition_index];
      ++per_emotion[e];
      ++per_source[st[i].source_id];
      ++per_emotion_condition[{e, st[i].condition_index}];
      ++per_emotion_kind[{e, static_cast<int>(st[i].condition.kind)}];
    }
    CHECK(per_condition.size() == 10);
    for (auto [c, n] : per_condition) CHECK(n == 4);
    CHECK(per_emotion.size() == 7);
    for (auto [e, n] : per_emotion) CHECK((n == 5 || n == 6));
    for (auto [s, n] : per_source) CHECK(n == 1);
    for (auto [ec, n] : per_emotion_condition) CHECK(n == 1);
    // (emotion, kind): 12 originals over 21 playlists -> 0 or 1; 36 per distortion -> 1 or 2.
    for (auto [ek, n] : per_emotion_kind) CHECK(n <= (ek.second == 0 ? 1 : 2));
  }
  for (int n : seen) CHECK(n == 1);
  CHECK(disfer::check_playlists(st, ps).ok);
}

TEST_CASE("property: every rule holds over many seeds and shapes", "[design][make_playlists][check_playlists]") {
  for (const auto& shape : disfer_test::property_shapes()) {
    const auto st = disfer_test::synthetic_stimuli(shape.sources, shape.conditions);
    int failures = 0;
    for (int seed = 0; seed < property_seeds; ++seed) {
      const auto ps = disfer::make_playlists(st, shape.playlists, shape.size, static_cast<std::uint64_t>(seed));
      const auto check = disfer::check_playlists(st, ps);
      if (!check.ok) {
        ++failures;
        INFO(shape.name << " seed " << seed << ": " << check.violations.front().message);
        CHECK(check.ok);
      }
    }
    INFO(shape.name);
    CHECK(failures == 0);
  }
}

TEST_CASE("same seed gives the same bytes, another seed other playlists", "[design][make_playlists]") {
  const auto st = disfer_test::synthetic_stimuli(84, disfer::disfer_conditions());
  const auto a = playlists_csv(st, disfer::make_playlists(st, 21, 40, 7));
  const auto b = playlists_csv(st, disfer::make_playlists(st, 21, 40, 7));
  const auto c = playlists_csv(st, disfer::make_playlists(st, 21, 40, 8));
  CHECK(a == b);
  CHECK(a != c);
  // The CSV: header plus one row per stimulus.
  CHECK(a.rfind("playlist,position,id,source_id,fer2013_row,label,emotion,distortion,level,condition\n", 0) == 0);
  CHECK(std::count(a.begin(), a.end(), '\n') == 841);
}

TEST_CASE("shapes that cannot work are named", "[design][make_playlists]") {
  const auto st = disfer_test::synthetic_stimuli(84, disfer::disfer_conditions());
  CHECK_THROWS_WITH(
      disfer::make_playlists(st, 21, 41, 1),
      Catch::StartsWith("make_playlists: sizes do not add up: 840 stimuli cannot fill 21 playlists of 41"));
  CHECK_THROWS_WITH(disfer::make_playlists(st, 0, 40, 1), Catch::Contains("must be positive"));
  CHECK_THROWS_WITH(disfer::make_playlists({}, 1, 1, 1), Catch::Contains("no stimuli"));
  // 10 versions of each source but 8 playlists: some source would appear twice.
  CHECK_THROWS_WITH(disfer::make_playlists(st, 8, 105, 1),
                    Catch::Contains("source 0 has 10 versions but there are only 8 playlists"));
  auto dup = st;
  dup[5].id = dup[4].id;
  CHECK_THROWS_WITH(disfer::make_playlists(dup, 21, 40, 1), Catch::Contains("stimuli 4 and 5 have the same id"));
  // A shape that passes the counting conditions, with no search budget: the error says the
  // search failed, not that no design exists.
  const auto all = disfer::disfer_conditions();
  const auto odd = disfer_test::synthetic_stimuli(60, std::vector<disfer::distortion>(all.begin(), all.begin() + 7));
  disfer::playlist_options none;
  none.max_restarts = 1;
  none.moves_per_restart = 0;
  CHECK_THROWS_WITH(disfer::make_playlists(odd, 14, 30, 3, none),
                    Catch::Contains("the search failed") && Catch::Contains("does not prove"));
  CHECK(disfer::check_playlists(odd, disfer::make_playlists(odd, 14, 30, 3)).ok);
}

TEST_CASE("check_playlists reports every violated rule", "[design][check_playlists]") {
  const auto st = disfer_test::synthetic_stimuli(84, disfer::disfer_conditions());
  auto ps = disfer::make_playlists(st, 21, 40, 11);
  REQUIRE(disfer::check_playlists(st, ps).ok);
  // Move one stimulus from playlist 0 to playlist 1: sizes 39 and 41, and counts shift.
  const std::size_t moved = ps.playlists[0].back();
  ps.playlists[0].pop_back();
  ps.playlists[1].push_back(moved);
  auto r = disfer::check_playlists(st, ps);
  CHECK_FALSE(r.ok);
  std::set<std::string> rules;
  for (const auto& v : r.violations) rules.insert(v.rule);
  CHECK(rules.count("size") == 1);
  CHECK(rules.count("condition") == 1);  // 3 in playlist 0, 5 in playlist 1
  bool found = false;
  for (const auto& v : r.violations)
    if (v.rule == "condition" && v.playlist == 0) {
      found = true;
      CHECK(v.count == 3);
      CHECK(v.min == 4);
      CHECK(v.max == 4);
      CHECK_THAT(v.message, Catch::Contains("playlist 0 holds 3 of condition '") && Catch::Contains("allowed 4"));
    }
  CHECK(found);
  // A stimulus in two playlists and one in none.
  ps = disfer::make_playlists(st, 21, 40, 11);
  const std::size_t lost = ps.playlists[2][0];
  ps.playlists[2][0] = ps.playlists[3][0];
  r = disfer::check_playlists(st, ps);
  std::size_t coverage = 0, source = 0;
  for (const auto& v : r.violations) {
    coverage += v.rule == "coverage";
    source += v.rule == "source";
    if (v.rule == "coverage" && v.category == st[lost].id) CHECK(v.count == 0);
  }
  CHECK(coverage == 2);
  CHECK(source <= 1);
  ps.playlists[4][0] = 9999;
  CHECK_THAT(disfer::check_playlists(st, ps).violations.front().message, Catch::Contains("holds index 9999"));
}

TEST_CASE("presentation orders: seeded Fisher-Yates per participant, CSV for a survey platform",
          "[design][presentation_order]") {
  const auto st = disfer_test::synthetic_stimuli(24, disfer_test::five_conditions());
  const auto ps = disfer::make_playlists(st, 8, 15, 5);
  const auto o1 = disfer::presentation_order(ps, 3, 0, 99);
  const auto o2 = disfer::presentation_order(ps, 3, 1, 99);
  auto sorted = o1;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == ps.playlists[3]);
  CHECK(o1 != o2);
  CHECK(o1 == disfer::presentation_order(ps, 3, 0, 99));
  CHECK(o1 != disfer::presentation_order(ps, 3, 0, 100));
  // Reference: the core shuffle with the documented key.
  auto expected = ps.playlists[3];
  disfer::shuffle(expected, disfer::stream_key{99, (std::uint64_t{3} << 32) | 0, disfer::purpose::presentation_order});
  CHECK(o1 == expected);
  CHECK_THROWS_WITH(disfer::presentation_order(ps, 8, 0, 1), Catch::Contains("playlist 8 out of range"));
  std::ostringstream out;
  disfer::write_presentation_orders(out, st, ps, 50, 99);
  const auto text = out.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 1 + 8 * 50 * 15);
  CHECK(text.rfind("participant,playlist,position,id\n", 0) == 0);
}

// Not run by default: writes the playlists of the property test as CSV for the independent
// Python checker (tests/design/check_playlists.py); ctest runs it as the checker's fixture.
TEST_CASE("export playlists for the Python checker", "[.export]") {
  const char* dir = std::getenv("DISFER_PLAYLIST_EXPORT");
  REQUIRE(dir != nullptr);
  for (const auto& shape : disfer_test::property_shapes()) {
    const auto st = disfer_test::synthetic_stimuli(shape.sources, shape.conditions);
    const auto folder = std::filesystem::path(dir) / shape.name;
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    {
      std::ofstream m(folder / "manifest.csv", std::ios::binary);
      disfer::write_manifest(m, st, disfer::source_sample{}, shape.conditions, 0);
    }
    for (int seed = 0; seed < property_seeds; ++seed) {
      const auto ps = disfer::make_playlists(st, shape.playlists, shape.size, static_cast<std::uint64_t>(seed));
      std::ofstream out(folder / ("playlists-" + std::to_string(seed) + ".csv"), std::ios::binary);
      disfer::write_playlists_csv(out, st, ps);
    }
  }
}
