#include <catch2/catch.hpp>

#include <disfer/io/csv.hpp>

#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

std::vector<std::vector<std::string>> read_all(const std::string& text, disfer::csv_options opt = {}) {
  std::istringstream in(text);
  disfer::csv_reader csv(in, "t.csv", opt);
  std::vector<std::vector<std::string>> rows;
  rows.push_back(csv.header());
  while (csv.next()) {
    std::vector<std::string> r;
    for (std::size_t i = 0; i < csv.size(); ++i) r.push_back(csv[i]);
    rows.push_back(r);
  }
  return rows;
}

// Runs the reader to the end and returns the error it throws.
disfer::error error_of(const std::string& text, disfer::csv_options opt = {}) {
  try {
    read_all(text, opt);
  } catch (const disfer::error& e) {
    return e;
  }
  FAIL("no error for input: " << text);
  return disfer::error("unreachable");
}

using rows_t = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("csv: plain rows", "[io][csv]") {
  CHECK(read_all("a,b\n1,2\n3,4\n") == rows_t{{"a", "b"}, {"1", "2"}, {"3", "4"}});
}

TEST_CASE("csv: quoted field with a comma", "[io][csv]") {
  CHECK(read_all("a,b\n\"x,y\",2\n") == rows_t{{"a", "b"}, {"x,y", "2"}});
}

TEST_CASE("csv: doubled quote inside quotes", "[io][csv]") {
  CHECK(read_all("a,b\n\"say \"\"hi\"\"\",2\n") == rows_t{{"a", "b"}, {"say \"hi\"", "2"}});
}

TEST_CASE("csv: line break inside quotes keeps line numbers right", "[io][csv]") {
  std::istringstream in("a,b\n\"two\nlines\",2\n3,4\n");
  disfer::csv_reader csv(in, "t.csv");
  REQUIRE(csv.next());
  CHECK(csv[0] == "two\nlines");
  CHECK(csv.line() == 2);
  REQUIRE(csv.next());
  CHECK(csv.line() == 4);
  CHECK(csv.field_column(1) == 3);
}

TEST_CASE("csv: UTF-8 byte-order mark is skipped", "[io][csv]") {
  CHECK(read_all("\xEF\xBB\xBFstimulus,label\ns1,happy\n") == rows_t{{"stimulus", "label"}, {"s1", "happy"}});
  // Columns count from the first character after the mark.
  const auto e = error_of("\xEF\xBB\xBF\"a\"x,b\n");
  CHECK(e.line() == 1);
  CHECK(e.column() == 4);
}

TEST_CASE("csv: CRLF line ends", "[io][csv]") {
  CHECK(read_all("a,b\r\n1,2\r\n\"q\r\nr\",3\r\n") == rows_t{{"a", "b"}, {"1", "2"}, {"q\r\nr", "3"}});
}

TEST_CASE("csv: missing trailing newline", "[io][csv]") {
  CHECK(read_all("a,b\n1,2") == rows_t{{"a", "b"}, {"1", "2"}});
  CHECK(read_all("a,b\n1,\"2\"") == rows_t{{"a", "b"}, {"1", "2"}});
  CHECK(read_all("a,b\n1,") == rows_t{{"a", "b"}, {"1", ""}});
}

TEST_CASE("csv: empty fields", "[io][csv]") {
  CHECK(read_all("a,b,c\n,,\n1,\"\",3\n") == rows_t{{"a", "b", "c"}, {"", "", ""}, {"1", "", "3"}});
}

TEST_CASE("csv: ragged row reports its line", "[io][csv]") {
  const auto e = error_of("a,b,c\n1,2,3\n4,5\n");
  CHECK(e.line() == 3);
  CHECK(e.column() == 1);
  CHECK(e.path() == "t.csv");
  CHECK_THAT(e.what(), Catch::Contains("csv_reader: t.csv:3:1: ragged row: 2 fields, expected 3"));
  const auto e2 = error_of("a,b\n1,2,3\n");
  CHECK(e2.line() == 2);
  CHECK_THAT(e2.what(), Catch::Contains("3 fields, expected 2"));
}

TEST_CASE("csv: syntax errors report line and column", "[io][csv]") {
  SECTION("quote inside an unquoted field") {
    const auto e = error_of("a,b\n1,x\"y\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == 4);
  }
  SECTION("text after a closing quote") {
    const auto e = error_of("a,b\n\"x\"y,2\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == 4);
    CHECK_THAT(e.what(), Catch::Contains("after a closing quote"));
  }
  SECTION("unterminated quote points at its opening") {
    const auto e = error_of("a,b\n1,\"open\n\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == 3);
    CHECK_THAT(e.what(), Catch::Contains("unterminated"));
  }
  SECTION("bare carriage return") {
    const auto e = error_of("a,b\n1,2\r3,4\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == 4);
  }
  SECTION("empty line, unless asked to skip") {
    const auto e = error_of("a,b\n1,2\n\n3,4\n");
    CHECK(e.line() == 3);
    CHECK_THAT(e.what(), Catch::Contains("empty line"));
    disfer::csv_options skip;
    skip.skip_blank_lines = true;
    CHECK(read_all("a,b\n1,2\n\r\n3,4\n", skip) == rows_t{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  }
  SECTION("empty input has no header") {
    const auto e = error_of("");
    CHECK(e.line() == 1);
    CHECK_THAT(e.what(), Catch::Contains("empty input"));
  }
}

TEST_CASE("csv: column lookup and field errors", "[io][csv]") {
  std::istringstream in("stimulus,rater,label\ns1,r1,happy\n");
  disfer::csv_options opt;
  opt.function = "read_votes";
  disfer::csv_reader csv(in, "v.csv", opt);
  CHECK(csv.column_index("label") == 2);
  CHECK_FALSE(csv.find_column("emotion").has_value());
  CHECK_THROWS_WITH(csv.column_index("emotion"), Catch::Contains("read_votes: v.csv:1:1: missing column 'emotion'") &&
                                                     Catch::Contains("stimulus, rater, label"));
  REQUIRE(csv.next());
  try {
    csv.fail_field(2, "unknown label '", csv[2], "'");
    FAIL("no throw");
  } catch (const disfer::error& e) {
    CHECK(std::string(e.what()) == "read_votes: v.csv:2:7: column 'label': unknown label 'happy'");
  }
}

TEST_CASE("csv: without a header, the first row fixes the field count", "[io][csv]") {
  disfer::csv_options opt;
  opt.header = false;
  std::istringstream in("1,2\n3,4\n5\n");
  disfer::csv_reader csv(in, "t.csv", opt);
  CHECK(csv.header().empty());
  REQUIRE(csv.next());
  REQUIRE(csv.next());
  CHECK_THROWS_WITH(csv.next(), Catch::Contains("t.csv:3:1: ragged row"));
}

TEST_CASE("csv: fields longer than the read block", "[io][csv]") {
  const std::string big(3'000'000, 'x');
  const auto rows = read_all("a,b\n" + big + ",\"" + big + "\"\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == big);
  CHECK(rows[1][1] == big);
}

TEST_CASE("csv: writing quotes what needs quotes and reads back", "[io][csv]") {
  std::ostringstream out;
  const std::vector<std::string> header = {"a", "b", "c", "d"};
  const std::vector<std::string> row = {"plain", "with,comma", "with \"quote\"", "two\nlines"};
  disfer::write_csv_row(out, header);
  disfer::write_csv_row(out, row);
  CHECK(out.str() == "a,b,c,d\nplain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\"\n");
  CHECK(read_all(out.str()) == rows_t{header, row});
}

TEST_CASE("csv: a missing file is an error naming the path", "[io][csv]") {
  CHECK_THROWS_WITH(disfer::csv_reader("/nonexistent/votes.csv"),
                    Catch::StartsWith("csv_reader: ") && Catch::Contains("/nonexistent/votes.csv"));
}

// ---- block boundaries ---------------------------------------------------------------------------

namespace {

// Everything a parse yields: the header, each record's fields with their line and column, and the
// error that ended it (message, path, line, column), if any.
struct parse_result {
  rows_t rows;
  std::vector<std::vector<std::uint64_t>> positions;  // per record: its line, then line and column per field
  std::string error;
  std::uint64_t error_line = 0, error_column = 0;
  bool operator==(const parse_result& o) const {
    return rows == o.rows && positions == o.positions && error == o.error && error_line == o.error_line &&
           error_column == o.error_column;
  }
};

parse_result parse_with(const std::string& text, disfer::csv_options opt, disfer::detail::csv_block_sizes blocks) {
  parse_result r;
  try {
    std::istringstream in(text);
    disfer::csv_reader csv(in, "b.csv", opt, blocks);
    r.rows.push_back(csv.header());
    while (csv.next()) {
      std::vector<std::string> fields;
      std::vector<std::uint64_t> pos = {csv.line()};
      for (std::size_t i = 0; i < csv.size(); ++i) {
        fields.push_back(csv[i]);
        pos.push_back(csv.field_line(i));
        pos.push_back(csv.field_column(i));
      }
      r.rows.push_back(fields);
      r.positions.push_back(pos);
    }
  } catch (const disfer::error& e) {
    r.error = e.what();
    r.error_line = e.line();
    r.error_column = e.column();
  }
  return r;
}

// 60 rows whose fields vary in length (so that block boundaries of every small size fall before,
// inside and after them): plain fields, quoted fields with the delimiter, doubled quotes, LF and
// CRLF inside the quotes, empty fields, CRLF and LF line ends; blank lines when asked.
std::string boundary_document(char delim, bool blank_lines) {
  std::string s = "\xEF\xBB\xBFid" + std::string(1, delim) + "text" + delim + "note\r\n";
  for (int r = 0; r < 60; ++r) {
    s += std::to_string(r) + delim;
    const std::string body(static_cast<std::size_t>(r % 11), static_cast<char>('a' + r % 26));
    switch (r % 5) {
      case 0:
        s += body;
        break;
      case 1:
        s += "\"" + body + std::string(1, delim) + body + "\"";
        break;
      case 2:
        s += "\"" + body + "\"\"q\"\"" + body + "\"";
        break;
      case 3:
        s += "\"" + body + "\nline\r\n" + body + "\"";
        break;
      default:
        s += "\"\"";
        break;
    }
    s += delim;
    if (r % 3) s += std::string(static_cast<std::size_t>(r % 7), 'z');
    s += r % 2 ? "\r\n" : "\n";
    if (blank_lines && r % 9 == 4) s += r % 2 ? "\r\n" : "\n";
  }
  s += "last" + std::string(1, delim) + "x" + delim + "\"no line end\"";
  return s;
}

}  // namespace

TEST_CASE("csv: block boundaries do not change records, lines, columns or errors", "[io][csv]") {
  const std::vector<disfer::detail::csv_block_sizes> sizes = {
      {1, 1}, {2, 2}, {3, 3}, {5, 5}, {7, 7}, {1, 8}, {3, 64}, {disfer::detail::csv_block_sizes{}}};
  const disfer::detail::csv_block_sizes one_mib = {std::size_t{1} << 20, std::size_t{1} << 20};  // the 0.x reader
  std::vector<std::pair<std::string, disfer::csv_options>> inputs;
  disfer::csv_options semicolons;
  semicolons.delimiter = ';';
  semicolons.skip_blank_lines = true;
  const std::string doc = boundary_document(',', false);
  inputs.emplace_back(doc, disfer::csv_options{});
  inputs.emplace_back(boundary_document(';', true), semicolons);
  // Errors deep in the document: each bad ending after the first 40 rows.
  const std::string head = doc.substr(0, doc.find("\n40,"));
  for (const std::string bad :
       {"\n1,\"open,x\n\n", "\n1,x\"y,2\n", "\n1,\"x\"y,2\n", "\n1,2\r3,4\n", "\n\n1,2,3\n", "\n1,2\n", "\n1,2,3,4\n"})
    inputs.emplace_back(head + bad, disfer::csv_options{});
  inputs.emplace_back(
      "\xEF\xBB"
      "a,b\n",
      disfer::csv_options{});  // an invalid byte-order mark
  disfer::csv_options no_header;
  no_header.header = false;
  inputs.emplace_back(doc.substr(3, doc.find("\n20,") - 3) + "\n1\n", no_header);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& [text, opt] = inputs[i];
    const auto expected = parse_with(text, opt, one_mib);
    CAPTURE(i);
    if (i < 2) {
      CHECK(expected.error.empty());
      CHECK(expected.rows.size() == 62);  // header, 60 rows, the last line
    } else {
      CHECK_FALSE(expected.error.empty());
    }
    for (const auto& b : sizes) {
      CAPTURE(b.initial, b.max);
      CHECK(parse_with(text, opt, b) == expected);
    }
  }
  // Against Python's csv module (an independent parser): rows 2 and 3 of the document, and the
  // line after row 39, where the bad endings start:
  //   rows = list(csv.reader(io.StringIO(doc.lstrip('\ufeff'), newline='')))
  //   rows[3] == ['2', 'cc"q"cc', 'zz']; rows[4] == ['3', 'ddd\nline\r\nddd', '']; len(rows) == 62
  //   head.count('\n') + 2 == 58
  const auto tiny = parse_with(doc, {}, {1, 1});
  CHECK(tiny.rows.at(3) == std::vector<std::string>{"2", "cc\"q\"cc", "zz"});
  CHECK(tiny.rows.at(4) == std::vector<std::string>{"3", "ddd\nline\r\nddd", ""});
  const auto quote_inside = parse_with(inputs[3].first, {}, {1, 1});  // "1,x\"y,2": the quote is column 4
  CHECK(quote_inside.error_line == 58);
  CHECK(quote_inside.error_column == 4);
  CHECK_THAT(quote_inside.error, Catch::StartsWith("csv_reader: b.csv:58:4: quote inside an unquoted field"));
}
