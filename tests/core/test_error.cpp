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

TEST_CASE("a composite's step errors are quoted after the composite's name", "[core][error]") {
  // A step's file error keeps its path, line and column under the new name.
  try {
    disfer::detail::with_steps_named("composite", [] { disfer::detail::fail_at("step", "f.csv", 4, 2, "bad"); });
    FAIL("no throw");
  } catch (const disfer::error& e) {
    CHECK(std::string(e.what()) == "composite: step: f.csv:4:2: bad");
    CHECK(e.path() == "f.csv");
    CHECK(e.line() == 4);
    CHECK(e.column() == 2);
  }
  // An error that already names the composite is not prefixed twice.
  CHECK_THROWS_WITH(disfer::detail::with_steps_named("composite", [] { disfer::detail::fail("composite", "x"); }),
                    "composite: x");
  // Other exceptions pass unchanged; a value is returned as is.
  CHECK_THROWS_AS(disfer::detail::with_steps_named("composite", []() -> int { throw std::runtime_error("r"); }),
                  std::runtime_error);
  CHECK(disfer::detail::with_steps_named("composite", [] { return 42; }) == 42);
}
