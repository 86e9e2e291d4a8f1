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

namespace {
// Runs a test section on the portable path (as on systems without renameat2's flags) when asked.
struct portable_renames {
  explicit portable_renames(bool on) { disfer::detail::portable_renames_only = on; }
  ~portable_renames() { disfer::detail::portable_renames_only = false; }
  portable_renames(const portable_renames&) = delete;
  portable_renames& operator=(const portable_renames&) = delete;
};
}  // namespace

TEST_CASE("staged_file: exchange_paths and rename_noreplace (renameat2 on Linux)", "[io][staged]") {
  using disfer::detail::rename_outcome;
  const auto root = disfer_test::scratch_dir("staged_exchange");
  fs::remove_all(root);
  fs::create_directories(root / "a");
  fs::create_directories(root / "b");
  write(root / "a" / "x.txt", "A");
  write(root / "b" / "y.txt", "B");
  std::error_code ec;
  const auto how = disfer::detail::exchange_paths(root / "a", root / "b", ec);
#if defined(__linux__)
  if (how == rename_outcome::unsupported) {
    disfer_test::skip("this file system does not support renameat2(RENAME_EXCHANGE): " + root.string());
    return;
  }
#else
  CHECK(how == rename_outcome::unsupported);  // the portable path elsewhere
  return;
#endif
  REQUIRE(how == rename_outcome::done);
  CHECK_FALSE(ec);
  CHECK(read(root / "a" / "y.txt") == "B");  // swapped as wholes
  CHECK(read(root / "b" / "x.txt") == "A");
  CHECK(entries(root / "a") == 1);
  CHECK(entries(root / "b") == 1);
  // Swapping a folder and a file works too; a missing side fails and changes nothing.
  write(root / "f", "F");
  CHECK(disfer::detail::exchange_paths(root / "a", root / "f", ec) == rename_outcome::done);
  CHECK(fs::is_directory(root / "f"));
  CHECK(read(root / "a") == "F");
  CHECK(disfer::detail::exchange_paths(root / "b", root / "missing", ec) == rename_outcome::failed);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(read(root / "b" / "x.txt") == "A");
  // rename_noreplace: EEXIST when the target exists (both unchanged), a plain rename otherwise.
  write(root / "g", "G");
  CHECK(disfer::detail::rename_noreplace(root / "g", root / "a", ec) == rename_outcome::failed);
  CHECK(ec == std::errc::file_exists);
  CHECK(read(root / "a") == "F");
  CHECK(read(root / "g") == "G");
  CHECK(disfer::detail::rename_noreplace(root / "g", root / "h", ec) == rename_outcome::done);
  CHECK_FALSE(fs::exists(root / "g"));
  CHECK(read(root / "h") == "G");
  // The test switch for the portable path.
  portable_renames portable(true);
  CHECK(disfer::detail::exchange_paths(root / "a", root / "b", ec) == rename_outcome::unsupported);
  CHECK(disfer::detail::rename_noreplace(root / "h", root / "i", ec) == rename_outcome::unsupported);
  CHECK(read(root / "a") == "F");
}

TEST_CASE("staged_file: a file that appears before commit is not overwritten unless asked", "[io][staged]") {
  const bool portable_path = GENERATE(false, true);
  portable_renames portable(portable_path);
  const auto root = disfer_test::scratch_dir(portable_path ? "staged_appears_portable" : "staged_appears");
  fs::remove_all(root);
  fs::create_directories(root);
  const auto target = root / "a.csv";
  {
    disfer::staged_file f(target.string(), disfer::overwrite_policy::refuse, "writer");
    f.stream() << "new";
    write(target, "user's");  // another program writes the file meanwhile
    CHECK_THROWS_WITH(f.commit(), Catch::StartsWith("writer: '") && Catch::Contains("appeared while writing"));
  }
  CHECK(read(target) == "user's");
  CHECK(entries(root) == 1);  // the partial file is gone
  {
    disfer::staged_file f(target.string(), disfer::overwrite_policy::replace, "writer");
    f.stream() << "new";
    f.commit();
  }
  CHECK(read(target) == "new");
  CHECK(entries(root) == 1);
}

TEST_CASE("staged_directory: replacement, atomic exchange or portable renames", "[io][staged]") {
  const bool portable_path = GENERATE(false, true);
  portable_renames portable(portable_path);
  const auto root = disfer_test::scratch_dir(portable_path ? "staged_replace_portable" : "staged_replace");
  fs::remove_all(root);
  fs::create_directories(root / "out");
  write(root / "out" / "old.csv", "old");
  const auto target = (root / "out").string();
  {
    disfer::staged_directory d(target, disfer::overwrite_policy::replace, "report");
    write(d / "new.csv", "new");
    d.commit();
  }
  CHECK(read(root / "out" / "new.csv") == "new");
  CHECK(entries(root / "out") == 1);
  CHECK(entries(root) == 1);  // neither the staging folder nor the old output is left
  // A folder that appears while writing is kept under refuse; an empty one is taken over.
  {
    disfer::staged_directory d((root / "late").string(), disfer::overwrite_policy::refuse, "report");
    write(d / "new.csv", "new");
    fs::create_directories(root / "late");
    d.commit();
  }
  CHECK(read(root / "late" / "new.csv") == "new");
  {
    disfer::staged_directory d((root / "late2").string(), disfer::overwrite_policy::refuse, "report");
    write(d / "new.csv", "new");
    fs::create_directories(root / "late2");
    write(root / "late2" / "user.txt", "user's");
    CHECK_THROWS_WITH(d.commit(), Catch::StartsWith("report: '") && Catch::Contains("appeared while writing"));
  }
  CHECK(read(root / "late2" / "user.txt") == "user's");
  CHECK(entries(root / "late2") == 1);
  CHECK(entries(root) == 3);  // out, late, late2: no staging folder left
}
