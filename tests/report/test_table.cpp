#include <catch2/catch.hpp>
#include <disfer/report/table.hpp>

#include <cmath>

TEST_CASE("table: columns are aligned, numbers to the right", "[report][table]") {
  disfer::text_table t;
  t.title = "T";
  t.header = {"name", "value"};
  t.rows = {{"kappa", "0.58"}, {"P_i > 0.9", "81"}, {"x", "-"}};
  t.note = "n";
  CHECK(disfer::to_text(t) ==
        "T\n"
        "  name       value\n"
        "  ----------------\n"
        "  kappa       0.58\n"
        "  P_i > 0.9     81\n"
        "  x              -\n"
        "  n\n");
}

TEST_CASE("table: a comparison shows ours, the paper's value, the difference and the origin", "[report][table]") {
  const auto t = disfer::comparison_table("C", {{"kappa", 0.572, 0.58, disfer::data_origin::simulated, 3},
                                                {"extra", 0.5, std::nan(""), disfer::data_origin::measured, 2}});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"kappa", "0.572", "0.580", "-0.008", "simulated"});
  CHECK(t.rows[1] == std::vector<std::string>{"extra", "0.50", "-", "-", "measured"});
  CHECK(disfer::combine(disfer::data_origin::measured, disfer::data_origin::simulated) == disfer::data_origin::mixed);
  CHECK(disfer::combine(disfer::data_origin::measured, disfer::data_origin::measured) == disfer::data_origin::measured);
}
