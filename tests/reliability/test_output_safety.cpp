// Output safety helpers: what an interrupted run leaves beside its target is listed by
// stale_staging() and removed by remove_stale_staging() only when asked. The SIGKILL tests of
// real runs are kill_midway.py (see CMakeLists.txt).
#include <catch2/catch.hpp>
#include <disfer/io/staged_file.hpp>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace fs = std::filesystem;

TEST_CASE("output safety: leftovers of interrupted runs are listed, and removed only when asked",
          "[reliability][output]") {
  const fs::path dir = disfer_test::scratch_dir("stale");
  fs::remove_all(dir);
  fs::create_directories(dir / ".out.partial-0");
  std::ofstream(dir / ".out.partial-0" / "a.png") << "x";
  fs::create_directories(dir / ".out.old-3");
  std::ofstream(dir / ".out.csv.partial-1") << "x";  // another target's staging file
  fs::create_directories(dir / ".out.partial-x");    // not a staging name
  fs::create_directories(dir / "out");
  const std::string target = (dir / "out").string();
  const auto stale = disfer::stale_staging(target);
  REQUIRE(stale.size() == 2);
  CHECK(stale[0].filename() == ".out.old-3");
  CHECK(stale[1].filename() == ".out.partial-0");
  CHECK(disfer::stale_staging(target + "/") == stale);
  CHECK(disfer::stale_staging((dir / "out.csv").string()).size() == 1);
  CHECK(disfer::stale_staging((dir / "missing" / "out").string()).empty());
  // Listing removes nothing; removing removes exactly the listed entries.
  CHECK(fs::exists(dir / ".out.partial-0" / "a.png"));
  CHECK(disfer::remove_stale_staging(target) == 2);
  CHECK(disfer::stale_staging(target).empty());
  CHECK(fs::exists(dir / ".out.partial-x"));
  CHECK(fs::exists(dir / ".out.csv.partial-1"));
  CHECK(fs::exists(dir / "out"));
}

TEST_CASE("output safety: a writer that fails midway leaves neither the target nor a staging folder",
          "[reliability][output]") {
  const fs::path dir = disfer_test::scratch_dir("staged_fail");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string target = (dir / "set").string();
  try {
    disfer::staged_directory staged(target, disfer::overwrite_policy::refuse, "writer");
    std::ofstream(staged / "1.txt") << "partial";
    throw std::runtime_error("failure midway");
  } catch (const std::runtime_error&) {
  }
  CHECK_FALSE(fs::exists(target));
  CHECK(disfer::stale_staging(target).empty());
  // An existing output is never replaced unless asked.
  fs::create_directories(target);
  std::ofstream(fs::path(target) / "keep.txt") << "old";
  CHECK_THROWS_WITH(disfer::staged_directory(target, disfer::overwrite_policy::refuse, "writer"),
                    Catch::StartsWith("writer: ") && Catch::Contains("refusing to replace"));
}
