#pragma once
// Test helpers shared by every test executable.
#include <filesystem>
#include <string>

namespace disfer_test {

/// Marks the running test case as skipped (reason printed) and returns normally; the test
/// executable then exits with code 77, which ctest reports as "Skipped", unless a check failed.
void skip(const std::string& reason);

/// Path of `relative` under ../shared (DISFER_SHARED_DIR), or empty when it does not exist, in
/// which case the caller should skip().
std::string shared_path(const std::string& relative);

/// Path of a file in tests/data.
inline std::string data_path(const std::string& relative) {
  return std::string(DISFER_TEST_DATA_DIR) + "/" + relative;
}

/// A fresh empty scratch folder under the build tree, unique per name.
std::filesystem::path scratch_dir(const std::string& name);

}  // namespace disfer_test

/// Skips the current test case when `relative` is not under ../shared; defines `var` as its path.
#define DISFER_REQUIRE_SHARED(var, relative)                                       \
  const std::string var = ::disfer_test::shared_path(relative);                    \
  if (var.empty()) {                                                               \
    ::disfer_test::skip(std::string("../shared/") + relative + " is not present"); \
    return;                                                                        \
  }
