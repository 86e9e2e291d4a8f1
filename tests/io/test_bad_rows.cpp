// The bad-row policy (io/bad_rows.hpp) of every reader of rows: error (default) throws at the first
// bad row; skip keeps the good rows and reports each bad one with path, line, column, field and
// the very message the error policy throws. Issue 18, point 1.
#include <catch2/catch.hpp>

#include <disfer/agreement/fleiss_kappa.hpp>
#include <disfer/crowd/votes.hpp>
#include <disfer/io/bad_rows.hpp>
#include <disfer/io/fer2013.hpp>
#include <disfer/io/predictions_csv.hpp>
#include <disfer/io/votes_csv.hpp>
#include <disfer/report/inputs.hpp>

#include <cstddef>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

std::string write_file(const std::string& scratch, const std::string& name, const std::string& text) {
  const auto path = (disfer_test::scratch_dir(scratch) / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const disfer::error& e) {
    return e.what();
  }
  return "no error";
}

const char* const emotion_names[] = {"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};

// A long-form votes file of 1000 data rows (100 stimuli x 10 raters, labels cycling through the
// seven emotions), with bad rows at the data rows of `bad` (keys): each replaced by its text.
// Without `bad`, the file of the good rows only (the bad rows removed).
struct votes_file {
  std::string with_bad, without_bad;
  std::vector<std::size_t> bad_lines;  // 1-based file lines of the bad rows in with_bad
};

votes_file make_votes(const std::map<std::size_t, std::string>& bad) {
  votes_file f;
  f.with_bad = f.without_bad = "stimulus,rater,label\n";
  for (std::size_t r = 0; r < 1000; ++r) {
    const std::string good =
        "s" + std::to_string(r / 10) + ",r" + std::to_string(r % 10) + "," + emotion_names[(r * 3 + r / 10) % 7] + "\n";
    const auto b = bad.find(r);
    if (b == bad.end()) {
      f.with_bad += good;
      f.without_bad += good;
    } else {
      f.with_bad += b->second + "\n";
      f.bad_lines.push_back(r + 2);
    }
  }
  return f;
}

// The three bad rows of the acceptance test: a misspelt label, an empty rater, an index out of range.
const std::map<std::size_t, std::string> three_bad = {{17, "s1,r7,hapy"}, {500, "s50,,sad"}, {998, "s99,r8,9"}};

}  // namespace

TEST_CASE("bad_rows: read_votes_csv skip keeps 997 of 1000 rows, reports the 3 bad (issue 18, point 1)",
          "[io][bad_rows][votes]") {
  const votes_file f = make_votes(three_bad);
  const auto bad_path = write_file("bad_rows_votes_bad", "votes_bad.csv", f.with_bad);
  const auto good_path = write_file("bad_rows_votes_good", "votes_good.csv", f.without_bad);

  // Today's behaviour, still the default: the first bad row rejects the file.
  const std::string first_error = message_of([&] { disfer::read_votes_csv(bad_path); });
  CHECK_THAT(first_error, Catch::Contains("unknown label 'hapy'"));

  std::vector<disfer::skipped_row> skipped;
  disfer::votes_csv_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  const disfer::vote_table kept = disfer::read_votes_csv(bad_path, o);
  const disfer::vote_table clean = disfer::read_votes_csv(good_path);

  // The analysis of the 997 good rows equals that of the file without the 3 bad rows.
  REQUIRE(kept.size() == 997);
  CHECK(kept.item == clean.item);
  CHECK(kept.rater == clean.rater);
  CHECK(kept.label == clean.label);
  CHECK(kept.item_names == clean.item_names);
  CHECK(kept.rater_names == clean.rater_names);
  const auto k_kept = disfer::fleiss_kappa(disfer::vote_counts(kept, 7));
  const auto k_clean = disfer::fleiss_kappa(disfer::vote_counts(clean, 7));
  CHECK(k_kept.kappa == k_clean.kappa);
  CHECK(k_kept.se == k_clean.se);
  CHECK(k_kept.n_ratings == 997);

  // The report names the 3 rows: path, line, column, field and the error policy's message.
  REQUIRE(skipped.size() == 3);
  const std::vector<std::string> fields = {"label", "rater", "label"};
  const std::vector<std::uint64_t> columns = {7, 5, 8};  // 1-based byte of the bad field in its line
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("skipped row " << i);
    CHECK(skipped[i].path == bad_path);
    CHECK(skipped[i].line == f.bad_lines[i]);
    CHECK(skipped[i].column == columns[i]);
    CHECK(skipped[i].field == fields[i]);
    // The reason is the text the error policy throws for that row alone.
    std::map<std::size_t, std::string> only;
    const auto it = std::next(three_bad.begin(), static_cast<std::ptrdiff_t>(i));
    only.insert(*it);
    const auto alone = make_votes(only);
    std::ofstream(bad_path, std::ios::binary | std::ios::trunc) << alone.with_bad;  // same path, same message
    CHECK(skipped[i].reason == message_of([&] { disfer::read_votes_csv(bad_path); }));
  }
  CHECK(skipped[0].reason == first_error);
  CHECK_THAT(skipped[1].reason, Catch::Contains("empty field"));
  CHECK_THAT(skipped[2].reason, Catch::Contains("label index 9 is outside 0-6"));
}

TEST_CASE("bad_rows: skip needs a list, and structural errors stay errors", "[io][bad_rows][errors]") {
  disfer::votes_csv_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  std::istringstream in("stimulus,rater,label\na,r,happy\n");
  CHECK_THAT(message_of([&] { disfer::read_votes_csv(in, "v.csv", o); }),
             Catch::StartsWith("read_votes_csv: bad_row_policy::skip needs a list"));
  std::vector<disfer::skipped_row> skipped;
  o.skipped = &skipped;
  std::istringstream missing("stimulus,who,label\na,r,happy\n");
  CHECK_THAT(message_of([&] { disfer::read_votes_csv(missing, "v.csv", o); }),
             Catch::Contains("missing column 'rater'"));
  std::istringstream quote("stimulus,rater,label\na,r,\"happy\n");
  CHECK_THAT(message_of([&] { disfer::read_votes_csv(quote, "v.csv", o); }),
             Catch::Contains("unterminated quoted field"));
  std::istringstream all_bad("stimulus,rater,label\na,r,hapy\n");
  CHECK_THAT(message_of([&] { disfer::read_votes_csv(all_bad, "v.csv", o); }),
             Catch::Contains("no votes (every row was skipped)"));
  CHECK(skipped.size() == 1);
  CHECK(disfer::parse_bad_row_policy("skip") == disfer::bad_row_policy::skip);
  CHECK_THAT(message_of([] { disfer::parse_bad_row_policy("drop"); }), Catch::Contains("'drop' is not"));
}

TEST_CASE("bad_rows: a ragged row is skipped and reported with the reader's message", "[io][bad_rows][votes]") {
  const std::string text = "stimulus,rater,label\na,r1,happy\nb,r1,sad,extra\nc,r1,fear\n";
  std::istringstream strict(text);
  const std::string error = message_of([&] { disfer::read_votes_csv(strict, "v.csv"); });
  CHECK_THAT(error, Catch::Contains("v.csv:3:1: ragged row"));
  std::vector<disfer::skipped_row> skipped;
  disfer::votes_csv_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  std::istringstream in(text);
  const auto v = disfer::read_votes_csv(in, "v.csv", o);
  CHECK(v.size() == 2);
  CHECK(v.item_names == std::vector<std::string>{"a", "c"});
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].line == 3);
  CHECK(skipped[0].field.empty());
  CHECK(skipped[0].reason == error);
}

TEST_CASE("bad_rows: read_count_table_csv under skip", "[io][bad_rows][count_table]") {
  const std::string text = "id,a,b\nx,1,2\ny,-1,3\nz,4,five\nw,0,6\n";
  std::istringstream strict(text);
  disfer::count_table_csv_options o;
  o.id_column = "id";
  CHECK_THAT(message_of([&] { disfer::read_count_table_csv(strict, "t.csv", o); }), Catch::Contains("negative count"));
  std::vector<disfer::skipped_row> skipped;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  std::istringstream in(text);
  const auto t = disfer::read_count_table_csv(in, "t.csv", o);
  CHECK(t.item_names == std::vector<std::string>{"x", "w"});
  REQUIRE(t.counts.rows() == 2);
  CHECK(t.counts(1, 1) == 6);
  REQUIRE(skipped.size() == 2);
  CHECK(skipped[0].line == 3);
  CHECK(skipped[0].field == "a");
  CHECK(skipped[1].line == 4);
  CHECK(skipped[1].field == "b");
  CHECK_THAT(skipped[1].reason, Catch::Contains("t.csv:4:5: column 'b': 'five' is not a non-negative integer count"));
}

TEST_CASE("bad_rows: read_predictions_csv under skip", "[io][bad_rows][predictions_csv]") {
  const std::string cols = "stimulus,label,angry,disgust,fear,happy,sad,surprise,neutral\n";
  const auto path = write_file("bad_rows_pred", "p.csv",
                               cols + "a,happy,0,0,0,1,0,0,0\n" + "b,happy,0,0,x,1,0,0,0\n" + "c,joy,0,0,0,1,0,0,0\n" +
                                   "a,sad,0,0,0,0,1,0,0\n" + "d,sad,0,0,0,0,1,0,0\n");
  CHECK_THAT(message_of([&] { disfer::read_predictions_csv(path); }), Catch::Contains("'x' is not a number"));
  std::vector<disfer::skipped_row> skipped;
  disfer::predictions_csv_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  const auto p = disfer::read_predictions_csv(path, o);
  CHECK(p.stimuli == std::vector<std::string>{"a", "d"});
  CHECK(p.labels == std::vector<int>{3, 4});
  REQUIRE(p.probabilities.rows() == 2);
  CHECK(p.probabilities(1, 4) == 1.0);  // row "d": the rejected rows' probabilities are not kept
  REQUIRE(skipped.size() == 3);
  CHECK(skipped[0].field == "fear");
  CHECK(skipped[1].field == "label");
  CHECK(skipped[2].field == "stimulus");
  CHECK_THAT(skipped[2].reason, Catch::Contains("p.csv:5:1: column 'stimulus': duplicate stimulus 'a'"));
}

TEST_CASE("bad_rows: fer2013_reader under skip keeps the rows' ids", "[io][bad_rows][fer2013]") {
  std::string pixels;
  for (std::size_t i = 0; i < disfer::fer2013_pixel_count; ++i) pixels += (i ? " " : "") + std::to_string(i % 256);
  const std::string text = "emotion,pixels,Usage\n3,\"" + pixels + "\",Training\n9,\"" + pixels + "\",Training\n2,\"" +
                           pixels + "\",Nowhere\n1,\"" + pixels + "\",PublicTest\n";
  const auto path = write_file("bad_rows_fer", "fer.csv", text);
  CHECK_THAT(message_of([&] { disfer::read_fer2013(path); }), Catch::Contains("label 9 is outside 0-6"));
  std::vector<disfer::skipped_row> skipped;
  disfer::fer2013_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  const auto rows = disfer::read_fer2013(path, {}, o);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].row == 0);
  CHECK(rows[1].row == 3);  // FER-2013's image id: the data row, skipped rows counted
  CHECK(rows[1].label == disfer::emotion::disgust);
  REQUIRE(skipped.size() == 2);
  CHECK(skipped[0].field == "emotion");
  CHECK(skipped[0].line == 3);
  CHECK(skipped[1].field == "Usage");
  CHECK_THAT(skipped[1].reason, Catch::StartsWith("read_fer2013: ") && Catch::Contains("unknown usage 'Nowhere'"));
}

TEST_CASE("bad_rows: read_stimulus_manifest under skip", "[io][bad_rows][manifest]") {
  const auto path = write_file("bad_rows_manifest", "manifest.csv",
                               "# provenance\nid,label,condition,fer2013_row\n"
                               "fer1_orig,happy,original,1\n"
                               "fer2_orig,joy,original,2\n"
                               "fer3_orig,sad,GB 0.9,3\n"
                               "fer1_orig,happy,original,1\n"
                               "fer4_orig,fear,GB 0.8,4\n");
  CHECK_THAT(message_of([&] { disfer::read_stimulus_manifest(path); }), Catch::Contains("unknown label 'joy'"));
  std::vector<disfer::skipped_row> skipped;
  disfer::stimulus_manifest_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  const auto m = disfer::read_stimulus_manifest(path, o);
  REQUIRE(m.stimuli.size() == 2);
  CHECK(m.stimuli[1].id == "fer4_orig");
  CHECK(m.line == std::vector<std::uint64_t>{3, 7});
  CHECK(m.conditions.size() == 2);  // original, GB 0.8: the rejected GB 0.9 left no trace
  REQUIRE(skipped.size() == 3);
  CHECK(skipped[0].line == 4);
  CHECK(skipped[1].field == "condition");
  CHECK(skipped[2].line == 6);
  CHECK_THAT(skipped[2].reason, Catch::Contains("listed twice (first on line 3)"));
}

TEST_CASE("bad_rows: write_skipped_rows_csv writes one quoted row per skipped row", "[io][bad_rows][write]") {
  const std::vector<disfer::skipped_row> rows = {
      {"v.csv", 3, 7, "label", "read_votes_csv: v.csv:3:7: column 'label': unknown label 'hapy' (categories: a, b)"}};
  const auto path = (disfer_test::scratch_dir("bad_rows_write") / "skipped-rows.csv").string();
  disfer::write_skipped_rows_csv(path, rows, disfer::overwrite_policy::replace);
  disfer::csv_reader csv(path);
  CHECK(csv.header() == std::vector<std::string>{"path", "line", "column", "field", "reason"});
  REQUIRE(csv.next());
  CHECK(csv[0] == "v.csv");
  CHECK(csv[1] == "3");
  CHECK(csv[2] == "7");
  CHECK(csv[3] == "label");
  CHECK(csv[4] == rows[0].reason);
  CHECK_FALSE(csv.next());
  CHECK_THAT(message_of([&] { disfer::write_skipped_rows_csv(path, rows); }),
             Catch::Contains("write_skipped_rows_csv"));
  const auto per_file = disfer::skipped_rows_per_file(rows);
  REQUIRE(per_file.size() == 1);
  CHECK(per_file[0].second == 1);
}
