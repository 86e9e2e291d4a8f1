#include <catch2/catch.hpp>
#include <disfer/report/json.hpp>

#include <cmath>
#include <limits>
#include <sstream>

TEST_CASE("json: strings are escaped as RFC 8259 asks", "[report][json]") {
  std::ostringstream o;
  disfer::write_json_string(o, std::string("a\"b\\c\n\t\x01\x7f\xc3\xa9", 11));
  // Python: json.loads(r'"a\"b\\c\n\t\u0001\u007f\u00e9"') == 'a"b\\c\n\t\x01\x7fé' (UTF-8 bytes copied)
  CHECK(o.str() == "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\xc3\xa9\"");
}

TEST_CASE("json: numbers in shortest round-trip form, NaN and infinities as null", "[report][json]") {
  // Python repr() gives the same shortest forms: repr(0.1) '0.1', repr(1e-300) '1e-300',
  // repr(5e-324) '5e-324'. For 2^60 std::to_chars picks the shorter exact fixed form;
  // json.loads('1152921504606846976') == 2**60 == float(2**60).
  CHECK(disfer::json_number(0.1) == "0.1");
  CHECK(disfer::json_number(1e-300) == "1e-300");
  CHECK(disfer::json_number(5e-324) == "5e-324");
  CHECK(disfer::json_number(1152921504606846976.0) == "1152921504606846976");
  CHECK(disfer::json_number(1.5e300) == "1.5e+300");  // repr(1.5e300) '1.5e+300'
  CHECK(disfer::json_number(20.0) == "20");
  CHECK(disfer::json_number(-0.25) == "-0.25");
  CHECK(disfer::json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(disfer::json_number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(disfer::json_number(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("json: the writer places commas, colons and indentation", "[report][json]") {
  std::ostringstream o;
  disfer::json_writer j(o);
  j.begin_object().key("k").value(0.58).key("n").value(std::int64_t{1051}).key("list").begin_array();
  j.value("x").value(true).null().end_array().key("empty").begin_object().end_object();
  j.key("row").value(std::vector<double>{1, 0.5, std::nan("")}).end_object();
  CHECK(j.complete());
  CHECK(o.str() ==
        "{\n  \"k\": 0.58,\n  \"n\": 1051,\n  \"list\": [\n    \"x\",\n    true,\n    null\n  ],\n  \"empty\": {},\n"
        "  \"row\": [1, 0.5, null]\n}\n");
}

TEST_CASE("json: calls that do not form one value are errors", "[report][json]") {
  std::ostringstream o;
  disfer::json_writer j(o);
  CHECK_THROWS_AS(j.key("x"), disfer::error);
  j.begin_object();
  CHECK_THROWS_AS(j.value(1.0), disfer::error);
  CHECK_THROWS_AS(j.end_array(), disfer::error);
  j.end_object();
  CHECK_THROWS_AS(j.value(1.0), disfer::error);
}
