#include <catch2/catch.hpp>

#include <disfer/io/fer2013.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

// A pixels field of `n` values, all `v`, except value number `at` (1-based) which is `bad`.
std::string pixels(std::size_t n = 2304, const std::string& v = "7", std::size_t at = 0, const std::string& bad = "") {
  std::string s;
  for (std::size_t i = 1; i <= n; ++i) {
    if (i > 1) s += ' ';
    s += (i == at ? bad : v);
  }
  return s;
}

// Reads the whole text; returns the error thrown (fails the test if none).
disfer::error read_error(const std::string& text) {
  std::istringstream in(text);
  try {
    disfer::fer2013_reader r(in, "f.csv");
    while (r.next()) {
    }
  } catch (const disfer::error& e) {
    return e;
  }
  FAIL("no error thrown");
  return disfer::error("unreachable");
}

}  // namespace

TEST_CASE("fer2013: the small file written by us", "[io][fer2013]") {
  // tests/data/make_fer2013_small.py: label r % 7; PublicTest r < 7, PrivateTest r < 14, else
  // Training; pixel i = (31 r + 7 i) % 256.
  disfer::fer2013_reader r(disfer_test::data_path("fer2013-small.csv"));
  std::uint64_t n = 0;
  while (r.next()) {
    const auto& rec = r.record();
    CHECK(rec.row == n);
    CHECK(rec.line == n + 2);
    CHECK(disfer::index_of(rec.label) == n % 7);
    CHECK(rec.usage == (n < 7    ? disfer::fer2013_usage::public_test
                        : n < 14 ? disfer::fer2013_usage::private_test
                                 : disfer::fer2013_usage::training));
    bool ok = true;
    for (std::size_t i = 0; i < 2304; ++i) ok = ok && rec.pixels[i] == (31 * n + 7 * i) % 256;
    CHECK(ok);
    ++n;
  }
  CHECK(n == 16);
  CHECK(r.rows() == 16);

  const auto test_rows =
      disfer::read_fer2013(disfer_test::data_path("fer2013-small.csv"),
                           {disfer::fer2013_usage::public_test, disfer::fer2013_usage::private_test});
  REQUIRE(test_rows.size() == 14);
  const auto img = test_rows[3].image();
  CHECK(img.shape()[0] == 48);
  CHECK(img.shape()[1] == 48);
  CHECK(img(1, 2) == (31 * 3 + 7 * 50) % 256);  // row-major: (1, 2) is pixel 50
  CHECK(disfer::read_fer2013(disfer_test::data_path("fer2013-small.csv")).size() == 16);
  CHECK(disfer::read_fer2013(disfer_test::data_path("fer2013-small.csv"), {disfer::fer2013_usage::training}).size() ==
        2);
}

TEST_CASE("fer2013: CRLF, byte-order mark, quoted fields, columns in another order", "[io][fer2013]") {
  const std::string text = "\xEF\xBB\xBFUsage,extra,emotion,pixels\r\nPrivateTest,x,3,\"" + pixels(2304, "255") +
                           "\"\r\n\"Training\",\"a,b\",\"6\",  " + pixels(2304, "0") + "  \r\n";
  std::istringstream in(text);
  disfer::fer2013_reader r(in, "crlf.csv");
  REQUIRE(r.next());
  CHECK(r.record().label == disfer::emotion::happy);
  CHECK(r.record().usage == disfer::fer2013_usage::private_test);
  CHECK(r.record().pixels[0] == 255);
  CHECK(r.record().pixels[2303] == 255);
  REQUIRE(r.next());
  CHECK(r.record().label == disfer::emotion::neutral);
  CHECK(r.record().usage == disfer::fer2013_usage::training);
  CHECK(r.record().line == 3);
  CHECK(r.record().pixels[100] == 0);
  CHECK_FALSE(r.next());
}

TEST_CASE("fer2013: a file without Usage needs a default usage", "[io][fer2013]") {
  const std::string text = "emotion,pixels\n2," + pixels() + "\n";
  const auto e = read_error(text);
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Catch::StartsWith("fer2013_reader: ") && Catch::Contains("missing column 'Usage'"));
  std::istringstream in(text);
  disfer::fer2013_options o;
  o.default_usage = disfer::fer2013_usage::training;
  disfer::fer2013_reader r(in, "kaggle.csv", o);
  REQUIRE(r.next());
  CHECK(r.record().usage == disfer::fer2013_usage::training);
  CHECK(r.record().label == disfer::emotion::fear);
}

TEST_CASE("fer2013: every malformed row names its line and field", "[io][fer2013]") {
  const std::string head = "emotion,pixels,Usage\n";
  const std::string good = "1," + pixels() + ",PublicTest\n";
  // Line 3 holds the bad row; the pixels field starts at column 3, Usage after the pixels.
  SECTION("too few pixels") {
    const auto e = read_error(head + good + "1," + pixels(2303) + ",PublicTest\n");
    CHECK(e.path() == "f.csv");
    CHECK(e.line() == 3);
    CHECK(e.column() == 3);
    CHECK_THAT(e.what(),
               Catch::StartsWith("fer2013_reader: f.csv:3:3: column 'pixels': 2303 pixel values, expected 2304"));
  }
  SECTION("too many pixels") {
    const auto e = read_error(head + good + "1," + pixels(2305) + ",PublicTest\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == 3);
    CHECK_THAT(e.what(), Catch::Contains("column 'pixels': 2305 pixel values, expected 2304"));
  }
  SECTION("pixel 256") {
    const auto e = read_error(head + good + "1," + pixels(2304, "7", 17, "256") + ",PublicTest\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == 3);
    CHECK_THAT(e.what(), Catch::Contains("column 'pixels': pixel 17 is 256, outside 0-255"));
  }
  SECTION("a pixel that is not a number") {
    const auto e = read_error(head + good + "1," + pixels(2304, "7", 5, "-3") + ",PublicTest\n");
    CHECK(e.line() == 3);
    CHECK_THAT(e.what(), Catch::Contains("pixel 5 '-3' is not an integer 0-255"));
    const auto e2 = read_error(head + "1," + pixels(2304, "7", 2304, "12x") + ",PublicTest\n");
    CHECK(e2.line() == 2);
    CHECK_THAT(e2.what(), Catch::Contains("pixel 2304 '12x' is not an integer 0-255"));
  }
  SECTION("label 7") {
    const auto e = read_error(head + good + "7," + pixels() + ",PublicTest\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == 1);
    CHECK_THAT(e.what(), Catch::Contains("column 'emotion': label 7 is outside 0-6"));
  }
  SECTION("label not a number, empty label") {
    CHECK_THAT(read_error(head + "-1," + pixels() + ",PublicTest\n").what(), Catch::Contains("label '-1'"));
    const auto e = read_error(head + good + good + "," + pixels() + ",PublicTest\n");
    CHECK(e.line() == 4);
    CHECK_THAT(e.what(), Catch::Contains("column 'emotion': empty label"));
  }
  SECTION("unknown usage") {
    const std::string p = pixels();
    const auto e = read_error(head + good + "1," + p + ",Validation\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == 3 + p.size() + 1);
    CHECK_THAT(e.what(), Catch::Contains("column 'Usage': unknown usage 'Validation'"));
    CHECK_THAT(read_error(head + "1," + p + ",publictest\n").what(), Catch::Contains("unknown usage 'publictest'"));
  }
  SECTION("missing column") {
    const auto e = read_error("emotion,Usage\n1,Training\n");
    CHECK(e.line() == 1);
    CHECK_THAT(e.what(), Catch::Contains("missing column 'pixels'"));
    const auto e2 = read_error("pixels,Usage\n" + pixels() + ",Training\n");
    CHECK_THAT(e2.what(), Catch::Contains("missing column 'emotion'"));
  }
  SECTION("a row with a missing field") {
    const auto e = read_error(head + good + "1," + pixels() + "\n");
    CHECK(e.line() == 3);
    CHECK_THAT(e.what(), Catch::Contains("ragged row: 2 fields, expected 3"));
  }
  SECTION("empty line") {
    const auto e = read_error(head + good + "\n" + good);
    CHECK(e.line() == 3);
    CHECK(e.column() == 1);
    CHECK_THAT(e.what(), Catch::Contains("empty line"));
  }
  SECTION("a custom function name") {
    std::istringstream in(head + "9," + pixels() + ",Training\n");
    disfer::fer2013_options o;
    o.function = "sample_sources";
    disfer::fer2013_reader r(in, "g.csv", o);
    CHECK_THROWS_WITH(r.next(), Catch::StartsWith("sample_sources: g.csv:2:1:"));
  }
}

TEST_CASE("fer2013: cannot open", "[io][fer2013]") {
  CHECK_THROWS_WITH(disfer::fer2013_reader("/nonexistent/fer2013.csv"),
                    Catch::StartsWith("fer2013_reader: ") && Catch::Contains("/nonexistent/fer2013.csv"));
  // read_fer2013 names itself (both share fer2013_options; its function defaults to the one called)
  CHECK_THROWS_WITH(disfer::read_fer2013("/nonexistent/fer2013.csv"),
                    Catch::StartsWith("read_fer2013: ") && Catch::Contains("/nonexistent/fer2013.csv"));
}

TEST_CASE("fer2013: a real fer2013.csv (DISFER_FER2013, else the sample)", "[io][fer2013]") {
  DISFER_REQUIRE_FER2013(fer);
  const std::string& path = fer.path;
  const auto rows = disfer::read_fer2013(path);
  // Any fer2013.csv: an independent reading of the text (std::getline, split on ',' and ' ', the
  // columns found by name) gives the same rows, labels, splits and pixels; labels are 0-6 and every
  // row has 2304 values in 0-255.
  {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::string line;
    REQUIRE(std::getline(in, line));
    auto fields = [](std::string l) {
      if (!l.empty() && l.back() == '\r') l.pop_back();
      std::vector<std::string> f;
      std::size_t start = 0;
      for (std::size_t pos; (pos = l.find(',', start)) != std::string::npos; start = pos + 1)
        f.push_back(l.substr(start, pos - start));
      f.push_back(l.substr(start));
      return f;
    };
    const auto header = fields(line);
    const auto col = [&](const char* name) {
      const auto at = std::find(header.begin(), header.end(), name);
      REQUIRE(at != header.end());
      return static_cast<std::size_t>(at - header.begin());
    };
    const std::size_t ce = col("emotion"), cp = col("pixels"), cu = col("Usage");
    const std::map<std::string, disfer::fer2013_usage> usages{{"Training", disfer::fer2013_usage::training},
                                                              {"PublicTest", disfer::fer2013_usage::public_test},
                                                              {"PrivateTest", disfer::fer2013_usage::private_test}};
    std::size_t n = 0, mismatched = 0, bad_label = 0, bad_pixels = 0;
    while (std::getline(in, line)) {
      if (line.empty() || line == "\r") continue;
      const auto f = fields(line);
      REQUIRE(f.size() == header.size());
      REQUIRE(n < rows.size());
      const auto& r = rows[n];
      const int label = std::stoi(f[ce]);
      bad_label += label < 0 || label > 6;
      std::istringstream px(f[cp]);
      std::vector<int> v;
      for (int x; px >> x;) v.push_back(x);
      bad_pixels += v.size() != 2304 || std::any_of(v.begin(), v.end(), [](int x) { return x < 0 || x > 255; });
      bool same = r.row == n && static_cast<int>(disfer::index_of(r.label)) == label && usages.count(f[cu]) == 1 &&
                  usages.at(f[cu]) == r.usage && v.size() == 2304;
      for (std::size_t i = 0; same && i < 2304; ++i) same = r.pixels[i] == v[i];
      mismatched += !same;
      ++n;
    }
    INFO(path << ": " << n << " data rows");
    CHECK(n == rows.size());
    CHECK(n > 0);
    CHECK(bad_label == 0);
    CHECK(bad_pixels == 0);
    CHECK(mismatched == 0);
  }
  if (!fer.is_sample) return;  // the figures below are the sample's (tests/data/fer2013_sample_facts.json)
  // Reference: Python's csv module.
  //   r = list(csv.DictReader(open('fer2013-sample.csv')))
  //   len(r) -> 956; Counter(x['emotion'] for x in r) -> 0:150 1:56 2:150 3:150 4:150 5:150 6:150;
  //   all Usage 'PublicTest'; sum(map(int, r[0]['pixels'].split())) -> 349701, first 88 46 35,
  //   last 227; r[955]: emotion 6, pixel sum 251837, first 100 96 87, last 29.
  REQUIRE(rows.size() == 956);
  std::array<int, 7> counts{};
  bool all_public = true;
  for (const auto& r : rows) {
    ++counts[disfer::index_of(r.label)];
    all_public = all_public && r.usage == disfer::fer2013_usage::public_test;
  }
  CHECK(counts == std::array<int, 7>{150, 56, 150, 150, 150, 150, 150});
  CHECK(all_public);
  auto sum = [](const disfer::fer2013_record& r) {
    return std::accumulate(r.pixels.begin(), r.pixels.end(), std::uint64_t{0});
  };
  CHECK(sum(rows[0]) == 349701);
  CHECK(rows[0].pixels[0] == 88);
  CHECK(rows[0].pixels[1] == 46);
  CHECK(rows[0].pixels[2] == 35);
  CHECK(rows[0].pixels[2303] == 227);
  CHECK(rows[955].label == disfer::emotion::neutral);
  CHECK(sum(rows[955]) == 251837);
  CHECK(rows[955].pixels[0] == 100);
  CHECK(rows[955].pixels[2303] == 29);
  CHECK(rows[955].row == 955);
}
