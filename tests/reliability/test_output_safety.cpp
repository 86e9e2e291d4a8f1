// Output safety helpers: what an interrupted run leaves beside its target is listed by
// stale_staging() and removed by remove_stale_staging() only when asked. The SIGKILL tests of
// real runs are kill_midway.py (see CMakeLists.txt).
#include <catch2/catch.hpp>
#include <disfer/io/staged_file.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#if defined(__linux__)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

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

#if defined(__linux__)
namespace {
constexpr int kill_files = 48;

// One generation of outputs: kill_files files, each holding the generation number.
void write_generation(const std::string& target, int generation) {
  disfer::staged_directory d(target, disfer::overwrite_policy::replace, "writer");
  for (int i = 0; i < kill_files; ++i) std::ofstream(d / ("f" + std::to_string(i) + ".txt")) << generation;
  d.commit();
}

// The generation the folder holds completely, or -1 (missing, mixed or incomplete).
int complete_generation(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return -1;
  int generation = -1, n = 0;
  for (const auto& e : fs::directory_iterator(folder)) {
    int g = -1;
    std::ifstream(e.path()) >> g;
    if (g < 0 || (n > 0 && g != generation)) return -1;
    generation = g;
    ++n;
  }
  return n == kill_files ? generation : -1;
}
}  // namespace

TEST_CASE("output safety: SIGKILL at random moments of repeated replacements leaves a complete folder",
          "[reliability][output]") {
  // A child replaces the folder again and again (staged_directory, overwrite_policy::replace) and
  // is killed at a random moment, 60 times: whether the kill lands while staging, during the swap
  // or while the old output is removed, the folder must hold one complete generation, never
  // older than the last one seen. Leftovers are only staging entries (stale_staging()).
  const fs::path dir = disfer_test::scratch_dir("commit_kill");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string target = (dir / "out").string();
  // Kill times spread over four times the longest of three replacements measured here, so that
  // about three kills in four land after at least one completed replacement on a fast disk and on
  // a loaded CI machine alike (a fixed 1-21 ms window was too short there).
  long longest_us = 0;
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    write_generation(target, 0);
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    longest_us = std::max<long>(longest_us, static_cast<long>(us));
  }
  const auto window_us = static_cast<unsigned>(4 * longest_us + 1000);
  std::mt19937 timing(2022);  // kill times only; no output depends on it
  int last = 0, with_leftover = 0, progressed = 0;
  for (int round = 0; round < 60; ++round) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      try {
        for (int g = last + 1;; ++g) write_generation(target, g);
      } catch (...) {
        _exit(3);
      }
    }
    usleep(200 + timing() % window_us);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));  // killed, not failed
    const int g = complete_generation(target);
    INFO("round " << round << ": the folder holds generation " << g << " (-1: missing or incomplete)");
    REQUIRE(g >= last);
    progressed += g > last;
    last = g;
    const auto stale = disfer::stale_staging(target);
    for (const auto& p : stale) CHECK(p.filename().string().find(".partial-") != std::string::npos);
    with_leftover += !stale.empty();
    disfer::remove_stale_staging(target);
  }
  CHECK(progressed > 0);  // the child did replace the folder
  std::cerr << "commit_kill: 60 kills, " << progressed << " after a completed replacement, " << with_leftover
            << " left a staging entry; last generation " << last << "; kill window " << window_us << " us\n";
}
#endif
