#include <catch2/catch.hpp>

#include <disfer/io/staged_file.hpp>

#include <fstream>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {
std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}
void write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}
std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("staged_file: renamed into place on commit, removed otherwise", "[io][staged]") {
  const auto dir = disfer_test::scratch_dir("staged_file");
  {
    disfer::staged_file f((dir / "a.txt").string(), disfer::overwrite_policy::refuse, "writer");
    f.stream() << "partial";
    CHECK_FALSE(fs::exists(dir / "a.txt"));  // nothing under the target's name before commit
  }
  CHECK(entries(dir) == 0);  // abandoned: no leftovers
  {
    disfer::staged_file f((dir / "a.txt").string(), disfer::overwrite_policy::refuse, "writer");
    f.stream() << "done";
    f.commit();
  }
  CHECK(read(dir / "a.txt") == "done");
  CHECK_THROWS_WITH(disfer::staged_file((dir / "a.txt").string(), disfer::overwrite_policy::refuse, "writer"),
                    Catch::Contains("writer: '") && Catch::Contains("exists; refusing to overwrite"));
  CHECK(read(dir / "a.txt") == "done");
}

TEST_CASE("staged_directory: staging, refusal, replacement", "[io][staged]") {
  const auto root = disfer_test::scratch_dir("staged_dir");
  const auto target = root / "out";
  {
    disfer::staged_directory d(target.string(), disfer::overwrite_policy::refuse, "report");
    write(d / "x.csv", "1");
    CHECK_FALSE(fs::exists(target));
  }
  CHECK(entries(root) == 0);  // a failed run leaves nothing
  {
    disfer::staged_directory d(target.string() + "/", disfer::overwrite_policy::refuse, "report");
    write(d / "x.csv", "1");
    d.commit();
  }
  CHECK(read(target / "x.csv") == "1");
  CHECK(entries(root) == 1);
  CHECK_THROWS_WITH(disfer::staged_directory(target.string(), disfer::overwrite_policy::refuse, "report"),
                    Catch::Contains("report: '") && Catch::Contains("not empty; refusing to replace it"));
  {
    disfer::staged_directory d(target.string(), disfer::overwrite_policy::replace, "report");
    write(d / "y.csv", "2");
    d.commit();
  }
  CHECK_FALSE(fs::exists(target / "x.csv"));  // replaced as a whole
  CHECK(read(target / "y.csv") == "2");
  CHECK(entries(root) == 1);  // old folder removed
  // An empty folder is taken over; a file of that name is an error.
  fs::create_directory(root / "empty");
  {
    disfer::staged_directory d((root / "empty").string(), disfer::overwrite_policy::refuse, "report");
    d.commit();
  }
  write(root / "file", "");
  CHECK_THROWS_WITH(disfer::staged_directory((root / "file").string(), disfer::overwrite_policy::replace, "report"),
                    Catch::Contains("is not a folder"));
  CHECK_THROWS_AS(disfer::staged_directory(".", disfer::overwrite_policy::replace, "report"), disfer::error);
}
