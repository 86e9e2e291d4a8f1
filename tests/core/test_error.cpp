#include <catch2/catch.hpp>

#include <disfer/core/error.hpp>

TEST_CASE("disfer::error is an invalid_argument with the function first", "[core][error]") {
  try {
    disfer::detail::fail("fleiss_kappa", "row ", 12, " has 1 rating");
    FAIL("no throw");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "fleiss_kappa: row 12 has 1 rating");
  }
}

TEST_CASE("file errors carry path, line and column", "[core][error]") {
  try {
    disfer::detail::fail_at("read_votes", "votes.csv", 7, 3, "unknown label 'x'");
    FAIL("no throw");
  } catch (const disfer::error& e) {
    CHECK(std::string(e.what()) == "read_votes: votes.csv:7:3: unknown label 'x'");
    CHECK(e.path() == "votes.csv");
    CHECK(e.line() == 7);
    CHECK(e.column() == 3);
  }
}
