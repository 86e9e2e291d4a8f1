#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <disfer/design/stimulus.hpp>

#include "test_support.hpp"

namespace {
bool g_skipped = false;

// ctest runs each test case as its own process, several at once: a folder per test case keeps two
// cases that use the same scratch name from removing each other's files.
std::string test_case_folder() {
  const std::string test = Catch::getResultCapture().getCurrentTestName();
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64 bit
  for (const char c : test) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  std::string folder;
  for (const char c : test.substr(0, 40)) folder += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return folder + "-" + hex;
}

}  // namespace

namespace disfer_test {

void skip(const std::string& reason) {
  g_skipped = true;
  std::cout << "SKIPPED: " << reason << std::endl;
}

const fer2013_file& fer2013_csv() {
  static const fer2013_file file = [] {
    fer2013_file f;
    const char* env = std::getenv("DISFER_FER2013");
    std::error_code ec;
    if (env != nullptr && *env != '\0') {
      f.origin = "DISFER_FER2013";
      if (!std::filesystem::is_regular_file(env, ec)) {
        f.error =
            std::string("DISFER_FER2013=") + env + " is not a readable file (unset it to skip the FER-2013 tests)";
        return f;
      }
      f.path = env;
    } else {
      const auto p = std::filesystem::path(DISFER_SHARED_DIR) / "data" / "fer2013-sample.csv";
      if (!std::filesystem::is_regular_file(p, ec)) {
        f.skip_reason =
            "needs FER-2013's pixels: set DISFER_FER2013=/path/fer2013.csv (not present: DISFER_FER2013 "
            "is unset and " +
            p.string() + " does not exist)";
        return f;
      }
      f.origin = "DISFER_SHARED_DIR";
      f.path = p.string();
    }
    try {
      f.sha256 = disfer::detail::file_sha256(f.path, "fer2013_csv");  // as sample_sources hashes its input
    } catch (const disfer::error& e) {
      f.error = f.origin + ": " + e.what();
      f.path.clear();
      return f;
    }
    f.is_sample = f.sha256 == fer2013_sample_sha256;
    return f;
  }();
  return file;
}

std::string describe(const fer2013_file& f) {
  return f.path + (f.is_sample ? " (the FER-2013 sample)"
                               : " (not the sample: SHA-256 " + f.sha256 + "; checks that hold for any fer2013.csv)");
}

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::path(DISFER_TEST_BINARY_DIR) / "scratch" / test_case_folder() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace disfer_test

int main(int argc, char* argv[]) {
  const int failures = Catch::Session().run(argc, argv);
  if (failures != 0) return failures;
  return g_skipped ? 77 : 0;
}
