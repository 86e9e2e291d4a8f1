// vote_counts and the vote / count-table CSV readers (errors carry path, line and column).
#include <catch2/catch.hpp>

#include <sstream>

#include <disfer/crowd/votes.hpp>
#include <disfer/io/votes_csv.hpp>

namespace {

disfer::vote_table read(const std::string& text, disfer::votes_csv_options o = {}) {
  std::istringstream in(text);
  return disfer::read_votes_csv(in, "votes.csv", o);
}

disfer::error error_of(const std::string& text, disfer::votes_csv_options o = {}) {
  try {
    read(text, o);
  } catch (const disfer::error& e) {
    return e;
  }
  FAIL("no error for: " << text);
  return disfer::error("unreachable");
}

disfer::error count_error_of(const std::string& text, disfer::count_table_csv_options o = {}) {
  try {
    std::istringstream in(text);
    disfer::read_count_table_csv(in, "counts.csv", o);
  } catch (const disfer::error& e) {
    return e;
  }
  FAIL("no error for: " << text);
  return disfer::error("unreachable");
}

}  // namespace

TEST_CASE("vote_counts: long form to items x k", "[crowd][vote_counts]") {
  disfer::vote_table v;
  v.add(0, 0, 1);
  v.add(0, 1, 1);
  v.add(2, 0, 0);
  v.add(2, 2, 3);
  const auto c = disfer::vote_counts(v, 4);
  disfer::count_matrix expected(3, 4);
  expected << 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1;
  CHECK(bool(c == expected));
  CHECK_THROWS_WITH(disfer::vote_counts(v, 3), Catch::Contains("vote_counts: vote 3 (item 2) has label 3, outside 0-2"));
  CHECK_THROWS_WITH(disfer::vote_counts(v, 1), Catch::Contains("vote_counts: k = 1"));
  disfer::vote_table bad = v;
  bad.label.pop_back();
  CHECK_THROWS_WITH(disfer::vote_counts(bad, 4), Catch::Contains("differ in length"));
  bad = v;
  bad.n_items = 2;
  CHECK_THROWS_WITH(disfer::vote_counts(bad, 4), Catch::Contains("vote 2 names item 2 but the table has 2 items"));
}

TEST_CASE("read_votes_csv: names in both vocabularies / indices / configurable columns", "[crowd][votes_csv]") {
  const auto v = read("stimulus,rater,label\nimg1,w1,happy\nimg1,w2,Happiness\nimg2,w1, 3 \nimg2,w3,anger\n");
  REQUIRE(v.size() == 4);
  CHECK(v.n_items == 2);
  CHECK(v.n_raters == 3);
  CHECK(v.label == std::vector<std::uint32_t>{3, 3, 3, 0});
  CHECK(v.item_names == std::vector<std::string>{"img1", "img2"});
  CHECK(v.rater_names == std::vector<std::string>{"w1", "w2", "w3"});
  CHECK(v.category_names.size() == 7);

  disfer::votes_csv_options o;
  o.stimulus_column = "task";
  o.rater_column = "worker";
  o.label_column = "answer";
  o.categories = {"yes", "no"};
  const auto w = read("worker,task,answer\na,t,YES\nb,t,no\n", o);
  CHECK(w.label == std::vector<std::uint32_t>{0, 1});
  CHECK(w.item == std::vector<std::uint32_t>{0, 0});
}

TEST_CASE("read_votes_csv: errors name path / line and column", "[crowd][votes_csv][errors]") {
  auto e = error_of("stimulus,rater,label\na,w1,happy\nb,w1,joyful\n");
  CHECK(e.path() == "votes.csv");
  CHECK(e.line() == 3);
  CHECK(e.column() == 6);
  CHECK_THAT(e.what(), Catch::StartsWith("read_votes_csv: votes.csv:3:6: column 'label': unknown label 'joyful'"));

  e = error_of("stimulus,rater,label\na,w1,happy\na,w1,sad\n");
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Catch::Contains("rater 'w1' already voted on stimulus 'a' (line 2)"));
  disfer::votes_csv_options keep;
  keep.allow_duplicates = true;
  CHECK(read("stimulus,rater,label\na,w1,happy\na,w1,sad\n", keep).size() == 2);

  e = error_of("stimulus,rater,label\na,,happy\n");
  CHECK(e.line() == 2);
  CHECK(e.column() == 3);
  CHECK_THAT(e.what(), Catch::Contains("column 'rater': empty field"));

  e = error_of("stimulus,rater,label\na,w,7\n");
  CHECK_THAT(e.what(), Catch::Contains("label index 7 is outside 0-6"));
  disfer::votes_csv_options by_index;
  by_index.labels = disfer::label_format::index;
  CHECK_THAT(error_of("stimulus,rater,label\na,w,happy\n", by_index).what(), Catch::Contains("is not a category index"));

  e = error_of("stimulus,judge,label\na,w,happy\n");
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Catch::Contains("missing column 'rater'"));
  CHECK_THAT(error_of("stimulus,rater,label\n").what(), Catch::Contains("no votes"));
  CHECK_THAT(error_of("stimulus,rater,label\na,w,happy,extra\n").what(), Catch::Contains("ragged row"));
  CHECK_THROWS_WITH(disfer::read_votes_csv("/nonexistent/votes.csv"), Catch::Contains("cannot open"));
}

TEST_CASE("read_count_table_csv: columns / ids / errors", "[crowd][votes_csv]") {
  std::istringstream in("id,x,y,z\nq1,1,2,0\nq2,0,0,5\n");
  disfer::count_table_csv_options o;
  o.id_column = "id";
  o.columns = {"z", "x"};
  const auto t = disfer::read_count_table_csv(in, "c.csv", o);
  disfer::count_matrix expected(2, 2);
  expected << 0, 1, 5, 0;
  CHECK(bool(t.counts == expected));
  CHECK(t.item_names == std::vector<std::string>{"q1", "q2"});
  CHECK(t.category_names == std::vector<std::string>{"z", "x"});

  auto e = count_error_of("a,b\n1,2\n3,-1\n");
  CHECK(e.line() == 3);
  CHECK(e.column() == 3);
  CHECK_THAT(e.what(), Catch::Contains("column 'b': negative count -1"));
  CHECK_THAT(count_error_of("a,b\n1,2.5\n").what(), Catch::Contains("'2.5' is not a non-negative integer count"));
  CHECK_THAT(count_error_of("a,b\n1,\n").what(), Catch::Contains("empty field"));
  CHECK_THAT(count_error_of("a\n1\n").what(), Catch::Contains("fewer than 2 category columns"));
  CHECK_THAT(count_error_of("a,b\n").what(), Catch::Contains("no data rows"));
}
