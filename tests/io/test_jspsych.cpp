// read_jspsych_votes: the data of a disfer jsPsych experiment (issue 21, point 5). The fixtures of
// tests/data/jspsych are jsPsych 8 exports as a study saves them (make_fixtures.py: jsPsych's own
// CSV with CRLF and quoted fields, compact and pretty JSON, a spreadsheet's re-save with two
// participants); the expected votes, checks, participants and skipped rows are those Python's
// csv and json modules read from the same files under the same rules
// (tests/io/reference/make_jspsych_reference.py, rerun by the oracle ctest).
#include <catch2/catch.hpp>
#include <disfer/io/jspsych.hpp>

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using disfer::jspsych_options;
using disfer::jspsych_votes;

const std::vector<std::string> fixture_names = {"p01.csv", "p02.json", "p03.json", "p04_edited.csv"};

std::vector<std::string> fixtures() {
  std::vector<std::string> paths;
  for (const auto& n : fixture_names) paths.push_back(disfer_test::data_path("jspsych/" + n));
  return paths;
}

std::string basename(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// A committed reference CSV as rows of column -> text.
std::vector<std::map<std::string, std::string>> reference(const std::string& name) {
  disfer::csv_reader csv(std::string(DISFER_IO_REFERENCE_DIR) + "/" + name);
  std::vector<std::map<std::string, std::string>> rows;
  while (csv.next()) {
    std::map<std::string, std::string> r;
    for (std::size_t i = 0; i < csv.header().size(); ++i) r[csv.header()[i]] = csv[i];
    rows.push_back(r);
  }
  return rows;
}

// The reference's votes as the reader must return them: every rating of a participant kept.
void check_votes(const jspsych_votes& v, const std::vector<std::map<std::string, std::string>>& expected) {
  REQUIRE(v.votes.size() == expected.size());
  REQUIRE(v.file.size() == expected.size());
  REQUIRE(v.line.size() == expected.size());
  REQUIRE(v.position.size() == expected.size());
  REQUIRE(v.rt.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = expected[i];
    INFO("vote " << i << ": " << e.at("file") << ":" << e.at("line"));
    CHECK(v.votes.rater_names[v.votes.rater[i]] == e.at("participant"));
    CHECK(v.votes.item_names[v.votes.item[i]] == e.at("stimulus"));
    CHECK(v.votes.category_names[v.votes.label[i]] == e.at("label"));
    CHECK(std::to_string(v.position[i]) == e.at("position"));
    CHECK(basename(v.file[i]) == e.at("file"));
    CHECK(std::to_string(v.line[i]) == e.at("line"));
    if (e.at("rt").empty())
      CHECK(std::isnan(v.rt[i]));
    else
      CHECK(v.rt[i] == std::stod(e.at("rt")));
  }
}

std::vector<std::map<std::string, std::string>> where(
    std::vector<std::map<std::string, std::string>> rows,
    const std::function<bool(const std::map<std::string, std::string>&)>& keep) {
  std::vector<std::map<std::string, std::string>> out;
  for (auto& r : rows)
    if (keep(r)) out.push_back(std::move(r));
  return out;
}

std::string write_file(const std::string& name, const std::string& text) {
  const auto path = (disfer_test::scratch_dir("jspsych_" + name) / name).string();  // a folder per file
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

jspsych_votes read_text(const std::string& text, const std::string& name = "mem.csv", const jspsych_options& o = {}) {
  std::istringstream in(text);
  return disfer::read_jspsych_votes(in, name, o);
}

// The disfer::error a call throws (a default error when it throws none).
disfer::error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const disfer::error& e) {
    return e;
  }
  return disfer::error("no error");
}

// Checks that reading `text` (named `name`) throws naming read_jspsych_votes, name:line and the fragment.
void check_error(const std::string& text, std::uint64_t line, const std::string& fragment,
                 const std::string& name = "mem.csv", const jspsych_options& o = {}) {
  const auto e = error_of([&] { read_text(text, name, o); });
  INFO(e.what());
  const std::string where = line == 0 ? name + ": " : name + ":" + std::to_string(line) + ":";
  CHECK(std::string(e.what()).rfind("read_jspsych_votes: " + where, 0) == 0);
  CHECK(e.path() == name);
  CHECK(e.line() == line);
  CHECK(std::string(e.what()).find(fragment) != std::string::npos);
}

// A small jsPsych CSV: the header and rows of the columns a disfer experiment writes.
const std::string csv_header =
    "trial_type,trial_index,rt,stimulus,response,disfer_task,disfer_id,disfer_position,disfer_after,disfer_expected,"
    "disfer_format,disfer_participant,disfer_playlist\n";
std::string csv_rating(const std::string& participant, const std::string& id, const std::string& response,
                       const std::string& position = "0", const std::string& rt = "800") {
  return "image-button-response,1," + rt + ",images/" + id + ".png," + response + ",rating," + id + "," + position +
         ",,,disfer-experiment 1," + participant + ",0\n";
}
std::string csv_check(const std::string& participant, const std::string& expected, const std::string& response) {
  return "image-button-response,2,900,images/c.png," + response + ",attention,,0,1," + expected +
         ",disfer-experiment 1," + participant + ",0\n";
}

}  // namespace

TEST_CASE("read_jspsych_votes: the four exports read together equal the Python reference", "[io][jspsych]") {
  const auto v = disfer::read_jspsych_votes(fixtures());
  // The default rule excludes dsf-4kq9z2 (2 of 3 checks failed): the reference's excluded rows go.
  check_votes(v, where(reference("jspsych_votes.csv"), [](const auto& r) { return r.at("excluded") == "0"; }));
  CHECK(v.votes.category_names ==
        std::vector<std::string>{"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"});
  CHECK(v.votes.n_raters == 4);
  CHECK(v.votes.rater_names.size() == 4);
  CHECK(v.votes.item_names.size() == v.votes.n_items);

  const auto checks = reference("jspsych_checks.csv");
  REQUIRE(v.checks.size() == checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& e = checks[i];
    const auto& c = v.checks[i];
    INFO("check " << i << ": " << e.at("file") << ":" << e.at("line"));
    CHECK(c.participant == e.at("participant"));
    CHECK(basename(c.file) == e.at("file"));
    CHECK(std::to_string(c.line) == e.at("line"));
    CHECK(std::to_string(c.position) == e.at("position"));
    CHECK(std::to_string(c.after) == e.at("after"));
    CHECK(std::to_string(c.expected) == e.at("expected"));
    CHECK(std::to_string(c.response) == e.at("response"));
    CHECK((c.passed ? "1" : "0") == e.at("passed"));
  }

  const auto participants = reference("jspsych_participants.csv");
  REQUIRE(v.participants.size() == participants.size());
  for (std::size_t i = 0; i < participants.size(); ++i) {
    const auto& e = participants[i];
    const auto& p = v.participants[i];
    INFO("participant " << e.at("id"));
    CHECK(p.id == e.at("id"));
    CHECK(basename(p.file) == e.at("file"));
    CHECK(p.playlist == e.at("playlist"));
    CHECK(p.order == e.at("order"));
    CHECK(p.order_id == e.at("order_id"));
    CHECK(p.prolific_pid == e.at("prolific_pid"));
    CHECK(p.study_id == e.at("study_id"));
    CHECK(p.session_id == e.at("session_id"));
    CHECK(std::to_string(p.ratings) == e.at("ratings"));
    CHECK(std::to_string(p.checks) == e.at("checks"));
    CHECK(std::to_string(p.failed) == e.at("failed"));
    CHECK((p.excluded ? "1" : "0") == e.at("excluded"));
    CHECK(p.reason.empty() == !p.excluded);
  }
  CHECK(v.participants[1].reason == "failed 2 of 3 attention checks (excluded at 2 or more)");
}

TEST_CASE("read_jspsych_votes: the exclusion rule (exclude_failed 0 keeps all, 1 excludes any failure)",
          "[io][jspsych]") {
  jspsych_options o;
  o.exclude_failed = 0;
  const auto all = disfer::read_jspsych_votes(fixtures(), o);
  check_votes(all, reference("jspsych_votes.csv"));
  for (const auto& p : all.participants) CHECK(!p.excluded);

  // exclude_failed = 1: every participant with a failed check in the reference goes.
  std::map<std::string, bool> failed;
  for (const auto& p : reference("jspsych_participants.csv")) failed[p.at("id")] = p.at("failed") != "0";
  o.exclude_failed = 1;
  const auto strict = disfer::read_jspsych_votes(fixtures(), o);
  check_votes(strict,
              where(reference("jspsych_votes.csv"), [&](const auto& r) { return !failed[r.at("participant")]; }));
  for (const auto& p : strict.participants) CHECK(p.excluded == failed[p.id]);
  CHECK(strict.checks.size() == all.checks.size());  // excluded participants' checks are still reported
}

TEST_CASE("read_jspsych_votes: each export alone, by path and by stream, gives its rows of the reference",
          "[io][jspsych]") {
  jspsych_options o;
  o.exclude_failed = 0;
  for (const auto& name : fixture_names) {
    INFO(name);
    const auto path = disfer_test::data_path("jspsych/" + name);
    const auto expected = where(reference("jspsych_votes.csv"), [&](const auto& r) { return r.at("file") == name; });
    check_votes(disfer::read_jspsych_votes({path}, o), expected);
    std::ifstream in(path, std::ios::binary);
    check_votes(disfer::read_jspsych_votes(in, name, o), expected);
  }
}

TEST_CASE("read_jspsych_votes: skip leaves out the bad rows the reference lists, with the error's message",
          "[io][jspsych][bad_rows]") {
  const auto path = disfer_test::data_path("jspsych/bad_rows.csv");
  std::vector<disfer::skipped_row> skipped;
  jspsych_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  const auto v = disfer::read_jspsych_votes({path}, o);
  check_votes(v, reference("jspsych_skip_votes.csv"));
  const auto expected = reference("jspsych_skipped.csv");
  REQUIRE(skipped.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("skipped " << i << ": " << skipped[i].reason);
    CHECK(skipped[i].path == path);
    CHECK(std::to_string(skipped[i].line) == expected[i].at("line"));
    CHECK(skipped[i].field == expected[i].at("field"));
    CHECK(skipped[i].column > 0);
    CHECK(skipped[i].reason.rfind("read_jspsych_votes: " + path + ":" + expected[i].at("line") + ":", 0) == 0);
  }
  CHECK(skipped[0].reason.find("column 'response': no response (null)") != std::string::npos);
  CHECK(skipped[1].reason.find("response 7 is outside 0-6 (7 buttons)") != std::string::npos);
  CHECK(skipped[2].reason.find("unknown task 'ratng'") != std::string::npos);
  CHECK(skipped[3].reason.find("column 'disfer_expected': empty expected button") != std::string::npos);
  CHECK(skipped[4].reason.find("rated stimulus 'fer82_gn20' twice (first on " + path + ":7)") != std::string::npos);
  CHECK(skipped[5].reason.find("'fast' is not a response time") != std::string::npos);
  CHECK(skipped[6].reason.find("ragged row: 27 fields, expected 26") != std::string::npos);
  // The error policy throws the first skipped row's message.
  const auto e = error_of([&] { disfer::read_jspsych_votes({path}); });
  CHECK(std::string(e.what()) == skipped[0].reason);
  CHECK(e.line() == 6);
  // Under skip a check whose row is bad is not counted: one check read, passed.
  REQUIRE(v.checks.size() == 1);
  CHECK(v.checks[0].passed);
  CHECK(v.participants[0].checks == 1);
}

TEST_CASE("read_jspsych_votes: jsPsych's CSV (CRLF, every field quoted, null, commas and quotes inside fields)",
          "[io][jspsych]") {
  const std::string text =
      "\"rt\",\"stimulus\",\"response\",\"view_history\",\"trial_type\",\"disfer_task\",\"disfer_id\","
      "\"disfer_participant\",\"disfer_position\"\r\n"
      "\"2100\",\"<p>Click \"\"I agree\"\", please, then wait.</p>\",\"0\",\"\",\"html-button-response\",\"\",\"\","
      "\"p,1\",\"\"\r\n"
      "\"null\",\"\",\"\",\"[{\"\"page_index\"\":0,\"\"viewing_time\"\":5000}]\",\"instructions\",\"\",\"\",\"p,1\","
      "\"\"\r\n"
      "\"null\",\"images/x,y.png\",\"5\",\"\",\"image-button-response\",\"rating\",\"x,y\",\"p,1\",\"0\"\r\n"
      "\"1234.5\",\"images/z.png\",\"3\",\"\",\"image-button-response\",\"rating\",\"\",\"p,1\",\"1\"\r\n";
  const auto v = read_text(text);
  REQUIRE(v.votes.size() == 2);
  CHECK(v.votes.rater_names == std::vector<std::string>{"p,1"});
  CHECK(v.votes.item_names == std::vector<std::string>{"x,y", "z"});  // disfer_id empty: the file name
  CHECK(v.votes.category_names[v.votes.label[0]] == "sad");           // button 5 of the paper's order
  CHECK(v.votes.category_names[v.votes.label[1]] == "happy");
  CHECK(std::isnan(v.rt[0]));
  CHECK(v.rt[1] == 1234.5);
  CHECK(v.line == std::vector<std::size_t>{4, 5});
  CHECK(v.file == std::vector<std::string>{"mem.csv", "mem.csv"});
}

TEST_CASE("read_jspsych_votes: JSON values as numbers, strings or null, nested values skipped, escapes",
          "[io][jspsych]") {
  const std::string text =
      "\xEF\xBB\xBF \r\n[\r\n"
      " {\"trial_type\":\"preload\",\"failed_images\":[],\"nested\":{\"a\":[1,[2,{\"b\":null}],\"]}\"],\"c\":{}},"
      "\"disfer_participant\":\"p\"},\n"
      " {\"trial_type\":\"survey-text\",\"response\":{\"Q0\":\"34\"},\"stimulus\":[\"a\"],\"disfer_participant\":\"p\"}"
      ",\n"
      " {\"disfer_task\":null,\"response\":2,\"stimulus\":\"x\",\"disfer_participant\":\"p\"},\n"
      " {\"disfer_task\":\"rating\",\"response\":\"3\",\"rt\":\"512.5\",\"disfer_position\":\"4\","
      "\"stimulus\":\"images/caf\\u00e9.png\",\"disfer_participant\":\"p\\u0020\\ud83d\\ude00\"},\n"
      " {\"\\u0064isfer_task\":\"rating\",\"response\":0,\"rt\":null,\"disfer_position\":5,"
      "\"stimulus\":\"a/b/c.d.png\",\"disfer_participant\":\"p \xF0\x9F\x98\x80\",\"disfer_format\":null},\n"
      " {\"disfer_task\":\"rating\",\"response\":6,\"rt\":1e3,\"disfer_position\":6,\"stimulus\":\".hidden\","
      "\"disfer_participant\":\"p \xF0\x9F\x98\x80\",\"disfer_id\":\"\"}\n"
      "]\n";
  const auto v = read_text(text, "mem.json");
  REQUIRE(v.votes.size() == 3);
  CHECK(v.votes.rater_names == std::vector<std::string>{"p \xF0\x9F\x98\x80"});  // a surrogate pair, decoded
  CHECK(v.votes.item_names == std::vector<std::string>{"caf\xC3\xA9", "c.d", ".hidden"});
  CHECK(v.votes.category_names[v.votes.label[0]] == "happy");
  CHECK(v.votes.category_names[v.votes.label[1]] == "angry");
  CHECK(v.votes.category_names[v.votes.label[2]] == "surprise");
  CHECK(v.rt[0] == 512.5);
  CHECK(std::isnan(v.rt[1]));
  CHECK(v.rt[2] == 1000);
  CHECK(v.position == std::vector<std::size_t>{4, 5, 6});
  CHECK(v.line == std::vector<std::size_t>{6, 7, 8});  // the lines of the rows' '{'
}

TEST_CASE("read_jspsych_votes: attention checks, unanswered ones, and positions without their columns",
          "[io][jspsych]") {
  // No disfer_position or disfer_after column: a rating's position is the number of the
  // participant's ratings before it, a check's its number among the checks, after the ratings so far.
  const std::string text =
      "disfer_task,disfer_participant,stimulus,response,disfer_expected\n"
      "rating,a,images/s1.png,0,\n"
      "attention,a,images/c.png,2,2\n"
      "rating,a,images/s2.png,1,\n"
      "rating,b,images/s1.png,2,\n"
      "attention,a,images/c.png,null,4\n"
      "attention,b,images/c.png,3,4\n";
  const auto v = read_text(text);
  CHECK(v.position == std::vector<std::size_t>{0, 1, 0});
  REQUIRE(v.checks.size() == 3);
  CHECK(v.checks[0].passed);
  CHECK(v.checks[0].after == 1);
  CHECK(v.checks[0].position == 0);
  CHECK(v.checks[1].response == -1);  // null: no button clicked
  CHECK(!v.checks[1].passed);
  CHECK(v.checks[1].after == 2);
  CHECK(v.checks[1].position == 1);
  CHECK(v.checks[1].line == 6);
  CHECK(v.checks[2].participant == "b");
  CHECK(v.checks[2].expected == 4);
  CHECK(v.checks[2].response == 3);
  CHECK(v.checks[2].after == 1);
  REQUIRE(v.participants.size() == 2);
  CHECK(v.participants[0].failed == 1);
  CHECK(!v.participants[0].excluded);
}

TEST_CASE("read_jspsych_votes: buttons and categories of one's own", "[io][jspsych]") {
  jspsych_options o;
  o.categories = {"positive", "negative"};
  o.buttons = {"Negative", " positive "};
  const auto v =
      read_text("disfer_task,disfer_participant,stimulus,response\nrating,a,s1,0\nrating,a,s2,1\n", "mem.csv", o);
  CHECK(v.votes.label == std::vector<std::uint32_t>{1, 0});
  CHECK(v.votes.category_names == o.categories);
  // The paper's nouns name the default categories too.
  jspsych_options nouns;
  nouns.buttons = {"happiness", "sadness"};
  const auto w = read_text("disfer_task,disfer_participant,stimulus,response\nrating,a,s1,1\n", "mem.csv", nouns);
  CHECK(w.votes.category_names[w.votes.label[0]] == "sad");
  check_error("disfer_task,disfer_participant,stimulus,response\nrating,a,s1,2\n", 2, "response 2 is outside 0-1",
              "mem.csv", nouns);
}

TEST_CASE("read_jspsych_votes: a rating twice is an error naming both lines, in one file or two", "[io][jspsych]") {
  check_error(csv_header + csv_rating("a", "s1", "0") + csv_rating("b", "s1", "1") + csv_rating("a", "s1", "2", "1"), 4,
              "column 'disfer_id': participant 'a' rated stimulus 's1' twice (first on mem.csv:2)");
  const auto one = write_file("one.csv", csv_header + csv_rating("a", "s1", "0"));
  const auto two = write_file("two.json",
                              "[{\"disfer_task\":\"attention\",\"disfer_expected\":1,\"response\":1,\"stimulus\":\"c\","
                              "\"disfer_participant\":\"a\",\"disfer_playlist\":0},\n{\"disfer_task\":\"rating\","
                              "\"response\":4,\"stimulus\":\"images/s1.png\",\"disfer_participant\":\"a\","
                              "\"disfer_playlist\":0}]");  // the number 0 is the CSV's text 0
  const auto e = error_of([&] { disfer::read_jspsych_votes({one, two}); });
  INFO(e.what());
  CHECK(e.path() == two);
  CHECK(e.line() == 2);
  CHECK(std::string(e.what()).find("column 'stimulus': participant 'a' rated stimulus 's1' twice (first on " + one +
                                   ":2)") != std::string::npos);
}

TEST_CASE("read_jspsych_votes: every bad field is an error with path, line and column", "[io][jspsych]") {
  const auto rating = [](const std::string& r) { return csv_header + csv_rating("a", "s0", "1") + r; };
  check_error(rating(csv_rating("a", "s1", "null")), 3, "column 'response': no response (null)");
  check_error(rating(csv_rating("a", "s1", "")), 3, "column 'response': empty response");
  check_error(rating(csv_rating("a", "s1", "x")), 3, "response 'x' is not a button index (0-6)");
  check_error(rating(csv_rating("a", "s1", "3.0")), 3, "response '3.0' is not a button index");
  check_error(rating(csv_rating("a", "s1", "+3")), 3, "response '+3' is not a button index");
  check_error(rating(csv_rating("a", "s1", "7")), 3, "response 7 is outside 0-6 (7 buttons)");
  check_error(rating(csv_rating("a", "s1", "-1")), 3, "response -1 is outside 0-6");
  check_error(rating(csv_rating("a", "s1", "99999999999999999999")), 3, "is not a button index");
  check_error(rating(csv_rating("", "s1", "1")), 3, "column 'disfer_participant': empty participant id");
  check_error(rating(csv_rating("a", "s1", "1", "-2")), 3, "column 'disfer_position': negative count -2");
  check_error(rating(csv_rating("a", "s1", "1", "")), 3, "column 'disfer_position': empty field");
  check_error(rating(csv_rating("a", "s1", "1", "first")), 3, "'first' is not a non-negative integer");
  for (const std::string rt : {"fast", "inf", "nan", "0x10", "+5", "1e", ".5"})
    check_error(rating(csv_rating("a", "s1", "1", "1", rt)), 3, "'" + rt + "' is not a response time in ms");
  check_error(rating(csv_rating("a", "s1", "1", "1", "1e999")), 3, "response time 1e999 is out of range");
  check_error(rating(csv_rating("a", "s1", "1", "1", "-5")), 3, "negative response time -5");
  check_error(rating("image-button-response,1,800,images/,1,rating,,1,,,disfer-experiment 1,a,0\n"), 3,
              "column 'stimulus': stimulus 'images/' has no file name");
  check_error(rating("image-button-response,1,800,,1,rating,,1,,,disfer-experiment 1,a,0\n"), 3,
              "column 'stimulus': empty stimulus (and no disfer_id)");
  check_error(rating("image-button-response,1,800,s.png,1,ratings,,1,,,disfer-experiment 1,a,0\n"), 3,
              "column 'disfer_task': unknown task 'ratings' (expected 'rating' or 'attention')");
  check_error(rating("image-button-response,1,800,s.png,1,rating,,1,,,disfer-experiment 2,a,0\n"), 3,
              "column 'disfer_format': unknown format 'disfer-experiment 2'");
  check_error(rating("image-button-response,1,800,s.png,1,rating,,1,,,disfer-experiment 1,a,4\n"), 3,
              "column 'disfer_playlist': participant 'a' has '4' here but '0' on their first row (mem.csv:2)");
  // Attention checks.
  check_error(rating(csv_check("a", "", "1")), 3, "column 'disfer_expected': empty expected button");
  check_error(rating(csv_check("a", "null", "1")), 3, "column 'disfer_expected': no expected button (null)");
  check_error(rating(csv_check("a", "9", "1")), 3, "expected button 9 is outside 0-6");
  check_error(rating(csv_check("a", "1", "")), 3, "column 'response': empty response");
  check_error(rating(csv_check("a", "1", "8")), 3, "response 8 is outside 0-6");
  check_error(rating("image-button-response,2,900,c.png,1,attention,,0,x,1,disfer-experiment 1,a,0\n"), 3,
              "column 'disfer_after': 'x' is not a non-negative integer");
  // The column is that of the field: disfer_participant is column 12 of line 3 here.
  const auto e = error_of([&] { read_text(rating(csv_rating("", "s1", "1"))); });
  CHECK(e.column() ==
        std::string("image-button-response,1,800,images/s1.png,1,rating,s1,0,,,disfer-experiment 1,").size() + 1);
  // JSON: a nested value where a text or a number is read, and the line of the field.
  const std::string j =
      "[{\"disfer_task\":\"rating\",\"response\":1,\"stimulus\":\"s0\",\"disfer_participant\":\"a\"},\n";
  check_error(j + "{\"disfer_task\":\"rating\",\n\"response\":[1],\"stimulus\":\"s\",\"disfer_participant\":\"a\"}]", 3,
              "column 'response': a JSON array, not a button index", "mem.json");
  check_error(j + "{\"disfer_task\":\"rating\",\"response\":1,\"stimulus\":\"s\",\n\"disfer_participant\":{\"id\":1}}]",
              3, "column 'disfer_participant': a JSON object where a text was expected", "mem.json");
  check_error(j + "{\"disfer_task\":{},\"response\":1,\"stimulus\":\"s\",\"disfer_participant\":\"a\"}]", 2,
              "column 'disfer_task': a JSON object where a task was expected", "mem.json");
  check_error(j + "{\"disfer_task\":\"rating\",\"response\":1,\"stimulus\":\"s\",\"disfer_participant\":\"a\",\n"
                  "\"rt\":{}}]",
              3, "column 'rt': a JSON object where a time was expected", "mem.json");
  check_error(j + "{\"disfer_task\":\"rating\",\"response\":true,\"stimulus\":\"s\",\"disfer_participant\":\"a\"}]", 2,
              "response 'true' is not a button index", "mem.json");
  // A key the row lacks (but the file has) is an empty field at the row's '{'.
  check_error(j + "  {\"disfer_task\":\"rating\",\"stimulus\":\"s\",\"disfer_participant\":\"a\"}]", 2,
              "mem.json:2:3: column 'response': empty response", "mem.json");
}

TEST_CASE("read_jspsych_votes: errors of a whole file (missing columns, structure) name the path and line",
          "[io][jspsych]") {
  for (const std::string column : {"disfer_task", "disfer_participant", "response", "stimulus"}) {
    std::string header = "disfer_task,disfer_participant,stimulus,response";
    header.replace(header.find(column), column.size(), "other");
    check_error(header + "\nrating,a,s,1\n", 1, "missing column '" + column + "' (header has: ");
    std::string json =
        "[\n{\"disfer_task\":\"rating\",\"disfer_participant\":\"a\",\"stimulus\":\"s\",\"response\":1}]";
    json.replace(json.find(column), column.size(), "other");
    check_error(json, 1, "missing column '" + column + "': no trial has this field", "mem.json");
  }
  check_error("disfer_task,disfer_participant,stimulus,response\nrating,a,s,1\nattention,a,c,1\n", 3,
              "missing column 'disfer_expected'");
  check_error("disfer_task,disfer_participant,stimulus,response,disfer_task\nrating,a,s,1,rating\n", 1,
              "column 'disfer_task' appears twice (columns 1 and 5)");
  check_error(
      "disfer_task,disfer_participant,stimulus,response\nrating,a,s,1\n"
      "disfer_task,disfer_participant,stimulus,response\nrating,b,s,1\n",
      3, "a header line inside the data");
  check_error("disfer_task,disfer_participant,stimulus,response\nrating,a,s,1,2\n", 2, "ragged row: 5 fields");
  check_error("disfer_task,disfer_participant,stimulus,response\nrating,a,\"s,1\n", 2, "unterminated quoted field");
  check_error("disfer_task,disfer_participant,stimulus,response\n\"\",a,s,1\n", 0,
              "no rating trials (no row has disfer_task 'rating')");
  check_error("", 1, "empty input");
  check_error(
      "disfer_task,disfer_participant,stimulus,response,disfer_expected\nrating,a,s,1,\nattention,a,c,1,2\n"
      "attention,a,c,1,3\n",
      0, "every participant was excluded (1 of 1 failed at least 2 attention checks");
  check_error("\n  {\"disfer_task\":\"rating\"}", 2, "a JSON object; a jsPsych JSON export is an array of trials",
              "mem.json");
  // Invalid JSON: line and column of the offending byte.
  const std::string ok = "{\"disfer_task\":\"rating\",\"disfer_participant\":\"a\",\"stimulus\":\"s\",\"response\":1}";
  check_error("[" + ok + ",\n]", 2, "mem.json:2:1: invalid JSON: expected a trial object '{', found ']'", "mem.json");
  check_error("[" + ok + "\n", 2, "invalid JSON: expected ',' or ']', found the end of the input", "mem.json");
  check_error("[" + ok + "] x", 1, "text after the closing ']'", "mem.json");
  check_error("[3]", 1, "mem.json:1:2: invalid JSON: expected a trial object", "mem.json");
  check_error("[{\"a\":01}]", 1, "mem.json:1:7: invalid JSON: invalid number", "mem.json");
  check_error("[{\"a\":1.}]", 1, "invalid number", "mem.json");
  check_error("[{\"a\":-}]", 1, "invalid number", "mem.json");
  check_error("[{\"a\":tru}]", 1, "expected a value, found 't'", "mem.json");
  check_error("[{\"a\":\"x\n\"}]", 1, "control character byte 0x0A inside a string", "mem.json");
  check_error("[{\"a\":\"\\x\"}]", 1, "mem.json:1:8: invalid JSON: invalid escape '\\x'", "mem.json");
  check_error("[{\"a\":\"\\u12g4\"}]", 1, "\\u needs 4 hexadecimal digits", "mem.json");
  check_error("[{\"a\":\"abc}]", 1, "mem.json:1:7: invalid JSON: unterminated string", "mem.json");
  check_error("[{\"a\":[1,2}]", 1, "expected ',' or ']', found '}'", "mem.json");
  check_error("[{\"a\":{\"b\" 1}}]", 1, "expected ':' after the key", "mem.json");
  check_error("[{\"a\":{1:2}}]", 1, "expected a string key", "mem.json");
  check_error("[{\"a\":[1,]}]", 1, "expected a value, found ']'", "mem.json");
  check_error("[{\"a\":1,}]", 1, "expected a string key, found '}'", "mem.json");
  check_error("[{\"a\":1 \"b\":2}]", 1, "expected ',' or '}'", "mem.json");
  check_error("[{\"disfer_task\":\"rating\",\n\"disfer_task\":\"rating\"}]", 2,
              "mem.json:2:1: invalid JSON: key 'disfer_task' appears twice", "mem.json");
  check_error("[", 1, "expected a trial object", "mem.json");
  // Invalid JSON stays an error under skip, as a CSV dialect error does.
  std::vector<disfer::skipped_row> skipped;
  jspsych_options skip;
  skip.bad_rows = disfer::bad_row_policy::skip;
  skip.skipped = &skipped;
  check_error("[" + ok + ",{\"a\":01}]", 1, "invalid number", "mem.json", skip);
  check_error("disfer_task,disfer_participant,stimulus,response\nrating,a,s,1\nrating,a,\"s,1\n", 3,
              "unterminated quoted field", "mem.csv", skip);
  check_error("disfer_task,disfer_participant,stimulus,response\nrating,a,s,null\n", 0,
              "no rating trials (every rating row was skipped)", "mem.csv", skip);
  CHECK(skipped.size() == 1);
}

TEST_CASE("read_jspsych_votes: bad options and unreadable files", "[io][jspsych]") {
  const std::string good = "disfer_task,disfer_participant,stimulus,response\nrating,a,s,1\n";
  const auto message = [&](const jspsych_options& o) {
    return std::string(error_of([&] { read_text(good, "m", o); }).what());
  };
  jspsych_options o;
  o.buttons = {"happy"};
  CHECK(message(o) == "read_jspsych_votes: at least 2 buttons are needed; 1 given");
  o.buttons = {"happy", "bored"};
  CHECK(message(o) ==
        "read_jspsych_votes: button 1 'bored' names no category (categories: angry, disgust, fear, "
        "happy, sad, surprise, neutral)");
  o.buttons = {"happy", "Happiness"};
  CHECK(message(o) == "read_jspsych_votes: buttons 0 and 1 both name category 'happy'");
  o.buttons = {};
  o.categories = {"one"};
  CHECK(message(o) == "read_jspsych_votes: at least 2 categories are needed; 1 given");
  jspsych_options skip;
  skip.bad_rows = disfer::bad_row_policy::skip;
  CHECK(message(skip).find("options.skipped is null") != std::string::npos);
  CHECK(std::string(error_of([] { disfer::read_jspsych_votes(std::vector<std::string>{}); }).what()) ==
        "read_jspsych_votes: no files given");
  const auto missing = (disfer_test::scratch_dir("jspsych_missing") / "none.csv").string();
  CHECK(std::string(error_of([&] { disfer::read_jspsych_votes({missing}); }).what()) ==
        "read_jspsych_votes: cannot open '" + missing + "' for reading");
}

TEST_CASE("read_jspsych_votes: deeply nested JSON values are skipped without recursion", "[io][jspsych]") {
  // 100000 levels: skipped with a stack on the heap (a recursive skip would overflow the call stack).
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto w = read_text("[{\"x\":" + deep +
                               ",\"disfer_task\":\"rating\",\"disfer_participant\":\"a\","
                               "\"stimulus\":\"s\",\"response\":1}]",
                           "deep.json");
  CHECK(w.votes.size() == 1);
}
