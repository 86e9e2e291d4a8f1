// read_ferplus_csv: FER+'s own label file (fer2013new.csv layout). The synthetic files of
// tests/data/ferplus are written by hand (no real votes); the sample test reads
// ../shared/data/fer2013new-sample.csv when present and checks it against the committed count
// table of the same votes (tests/data/ferplus/ferplus-votes-sample.csv, another layout).
#include <catch2/catch.hpp>
#include <disfer/io/ferplus.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include "test_support.hpp"

namespace {

const std::string header =
    "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n";

disfer::ferplus_votes read_text(const std::string& text, const disfer::ferplus_csv_options& o = {}) {
  std::istringstream in(text);
  return disfer::read_ferplus_csv(in, "mem.csv", o);
}

}  // namespace

TEST_CASE("read_ferplus_csv: the synthetic file, columns mapped by name", "[io][ferplus]") {
  const auto v = disfer::read_ferplus_csv(disfer_test::data_path("ferplus/fer2013new-synthetic.csv"));
  // 18 data rows: 2 without an image name, 1 (row 5) without an emotion vote, 15 in the table.
  CHECK(v.no_face_rows == 2);
  CHECK(v.no_face_lines == std::vector<std::uint64_t>{9, 15});
  CHECK(v.image_rows == 16);
  REQUIRE(v.counts.rows() == 15);
  REQUIRE(v.counts.cols() == 7);
  CHECK(v.category_names.front() == "angry");
  CHECK(v.category_names.back() == "neutral");
  // fer0000000.png: neutral 1, sadness 1, anger 7, fear 1 -> FER-2013 order angry..neutral.
  CHECK(v.fer2013_row[0] == 0);
  CHECK(v.counts.row(0) == (Eigen::Matrix<std::int64_t, 1, 7>() << 7, 0, 1, 0, 1, 0, 1).finished());
  CHECK(v.usage[0] == disfer::fer2013_usage::public_test);
  CHECK(v.line[0] == 2);
  // fer0000001.png: 2 contempt votes, kept per item.
  CHECK(v.other(1, 0) == 2);
  REQUIRE(v.no_emotion_items.size() == 1);
  CHECK(v.no_emotion_items[0].fer2013_row == 5);
  CHECK(v.no_emotion_items[0].other == std::array<std::int64_t, 3>{3, 4, 3});
  CHECK(!v.no_emotion_items[0].in_table);
  // Totals over every image row (the table's and row 5's): contempt, unknown, NF.
  CHECK(v.other_totals == std::array<std::int64_t, 3>{10, 20, 4});
  CHECK(v.other.colwise().sum()(0) + 3 == v.other_totals[0]);
  CHECK(v.fer2013_row.back() == 20);
  CHECK(v.usage[13] == disfer::fer2013_usage::training);
  // Votes of one FER-2013 row.
  const auto r10 = disfer::ferplus_votes_of_row(v, 10);
  REQUIRE(r10);
  CHECK(r10->in_table);
  CHECK(r10->emotions == std::array<std::int64_t, 7>{0, 0, 0, 8, 0, 0, 1});
  CHECK(r10->other == std::array<std::int64_t, 3>{0, 0, 1});
  CHECK(r10->usage == disfer::fer2013_usage::private_test);
  const auto r5 = disfer::ferplus_votes_of_row(v, 5);
  REQUIRE(r5);
  CHECK(!r5->in_table);
  CHECK(!disfer::ferplus_votes_of_row(v, 15));
}

TEST_CASE("read_ferplus_csv: header order is free, names are not", "[io][ferplus]") {
  const auto v = read_text(
      "NF,unknown,contempt,fear,disgust,anger,sadness,surprise,happiness,neutral,Image name,Usage\n"
      "0,1,2,3,4,5,6,7,8,9,fer0000003.png,Training\n");
  CHECK(v.counts.row(0) == (Eigen::Matrix<std::int64_t, 1, 7>() << 5, 4, 3, 8, 6, 7, 9).finished());
  CHECK(v.other_totals == std::array<std::int64_t, 3>{2, 1, 0});
}

TEST_CASE("read_ferplus_csv: errors name the function, path, line and field", "[io][ferplus]") {
  using Catch::Contains;
  const std::string good = "PublicTest,fer0000000.png,1,0,0,1,7,0,1,0,0,0\n";
  CHECK_THROWS_WITH(read_text("Usage,Image name,neutral\n" + good),
                    Contains("read_ferplus_csv") && Contains("mem.csv") && Contains("missing column 'anger'"));
  CHECK_THROWS_WITH(read_text(header.substr(0, header.size() - 1) + ",extra\n" + good),
                    Contains("the header has 13 columns"));
  CHECK_THROWS_WITH(read_text(header + "PublicTest,fer000000.png,1,0,0,1,7,0,1,0,0,0\n"),
                    Contains("mem.csv:2") && Contains("Image name") && Contains("is not fer%07d.png"));
  CHECK_THROWS_WITH(read_text(header + "PublicTest,FER0000000.png,1,0,0,1,7,0,1,0,0,0\n"), Contains("fer%07d.png"));
  CHECK_THROWS_WITH(read_text(header + good + good),
                    Contains("mem.csv:3") && Contains("(FER-2013 row 0) already appears on line 2"));
  CHECK_THROWS_WITH(read_text(header + "PublicTest,fer0000000.png,1,0,0,1,-7,0,1,0,0,0\n"),
                    Contains("anger") && Contains("negative count -7"));
  CHECK_THROWS_WITH(read_text(header + "PublicTest,fer0000000.png,1,0,0,1,7,0,1,0,0,0.5\n"),
                    Contains("NF") && Contains("'0.5' is not a non-negative integer count"));
  CHECK_THROWS_WITH(read_text(header + "PublicTest,fer0000000.png,1,0,,1,7,0,1,0,0,0\n"),
                    Contains("surprise") && Contains("empty field"));
  CHECK_THROWS_WITH(read_text(header + "Test,fer0000000.png,1,0,0,1,7,0,1,0,0,0\n"),
                    Contains("usage 'Test' is not Training, PublicTest or PrivateTest"));
  CHECK_THROWS_WITH(read_text(header), Contains("no data rows (the file has a header only)"));
  CHECK_THROWS_WITH(read_text(header + "Training,,1,0,0,0,0,0,0,0,0,9\n"),
                    Contains("no image rows (every row has an empty image name)"));
  CHECK_THROWS_WITH(read_text(header + "PublicTest,fer0000000.png,1,0,0\n"), Contains("ragged row"));
  CHECK_THROWS_WITH(disfer::read_ferplus_csv("/nonexistent/fer2013new.csv"),
                    Contains("read_ferplus_csv") && Contains("cannot open '/nonexistent/fer2013new.csv'"));
  disfer::ferplus_csv_options skip;
  skip.bad_rows = disfer::bad_row_policy::skip;
  CHECK_THROWS_WITH(read_text(header + good, skip), Contains("read_ferplus_csv") && Contains("needs a list"));
}

TEST_CASE("read_ferplus_csv: bad_row_policy::skip reports every bad row, keeps the good ones", "[io][ferplus]") {
  const std::string path = disfer_test::data_path("ferplus/fer2013new-bad-rows.csv");
  CHECK_THROWS_WITH(disfer::read_ferplus_csv(path), Catch::Contains(":3:") && Catch::Contains("fer%07d.png"));
  std::vector<disfer::skipped_row> skipped;
  disfer::ferplus_csv_options o;
  o.bad_rows = disfer::bad_row_policy::skip;
  o.skipped = &skipped;
  const auto v = disfer::read_ferplus_csv(path, o);
  CHECK(v.fer2013_row == std::vector<std::uint64_t>{0, 3, 8});
  CHECK(v.no_face_rows == 1);
  REQUIRE(skipped.size() == 7);
  const std::vector<std::uint64_t> lines = {3, 4, 6, 7, 8, 9, 12};
  const std::vector<std::string> fields = {"Image name", "anger", "fear", "Image name", "Usage", "", "NF"};
  for (std::size_t i = 0; i < skipped.size(); ++i) {
    CHECK(skipped[i].line == lines[i]);
    CHECK(skipped[i].field == fields[i]);
    CHECK(skipped[i].reason.rfind("read_ferplus_csv", 0) == 0);
  }
  CHECK(skipped[3].reason.find("already appears on line 5") != std::string::npos);
}

TEST_CASE("read_ferplus_csv: the FER+ sample equals the committed count table of the same votes", "[io][ferplus]") {
  const std::string path = std::string(DISFER_SHARED_DIR) + "/data/fer2013new-sample.csv";
  if (!std::filesystem::exists(path)) {
    disfer_test::skip("needs " + path + " (the team's FER+ sample; absent on a clone without ../shared)");
    return;
  }
  const auto v = disfer::read_ferplus_csv(path);
  REQUIRE(v.counts.rows() == 956);
  CHECK(v.no_face_rows == 0);
  CHECK(v.no_emotion_items.empty());
  disfer::count_table_csv_options o;
  o.id_column = "row";
  o.columns = {"anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral", "contempt", "unknown", "NF"};
  const auto t = disfer::read_count_table_csv(disfer_test::data_path("ferplus/ferplus-votes-sample.csv"), o);
  REQUIRE(t.counts.rows() == 956);
  for (Eigen::Index i = 0; i < 956; ++i) {
    INFO("item " << i);
    REQUIRE(std::to_string(v.fer2013_row[static_cast<std::size_t>(i)]) == t.item_names[static_cast<std::size_t>(i)]);
    CHECK(v.counts.row(i) == t.counts.row(i).head(7));
    CHECK(v.other.row(i) == t.counts.row(i).tail(3));
    CHECK(v.counts.row(i).sum() + v.other.row(i).sum() == 10);
  }
}
