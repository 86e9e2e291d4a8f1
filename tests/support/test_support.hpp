#pragma once
// Test helpers shared by every test executable.
#include <filesystem>
#include <iostream>
#include <string>

namespace disfer_test {

/// Marks the running test case as skipped (reason printed) and returns normally; the test
/// executable then exits with code 77, which ctest reports as "Skipped", unless a check failed.
void skip(const std::string& reason);

/// Path of a file in tests/data.
inline std::string data_path(const std::string& relative) {
  return std::string(DISFER_TEST_DATA_DIR) + "/" + relative;
}

/// A fresh empty scratch folder under the build tree, unique per test case and name.
std::filesystem::path scratch_dir(const std::string& name);

/// SHA-256 of the team's FER-2013 sample (../shared/data/fer2013-sample.csv: 956 PublicTest rows),
/// from `sha256sum fer2013-sample.csv`; also in tests/data/fer2013_sample_facts.json (the inference
/// test checks that both agree). Sample-specific expectations apply only to a file with this hash.
inline constexpr const char* fer2013_sample_sha256 = "183c9bb2137ad1635cdf6e6cb60092f9d7b4df8c7cf04464126534b08c0836da";

/// The fer2013.csv whose pixels the FER-2013 tests read: $DISFER_FER2013 when set (at test run
/// time), else DISFER_SHARED_DIR/data/fer2013-sample.csv, else none.
struct fer2013_file {
  std::string path;         ///< empty: no file (skip with skip_reason) or an error
  std::string origin;       ///< "DISFER_FER2013" or "DISFER_SHARED_DIR"
  std::string sha256;       ///< of the file's bytes
  bool is_sample = false;   ///< sha256 == fer2013_sample_sha256
  std::string skip_reason;  ///< why there is no file
  std::string error;        ///< DISFER_FER2013 names a file that cannot be read: the test fails
};

/// The file (resolved and hashed once per process).
const fer2013_file& fer2013_csv();

/// "<path> (the FER-2013 sample)" or "<path> (not the sample: SHA-256 ...; generic checks only)".
std::string describe(const fer2013_file& f);

}  // namespace disfer_test

/// Defines `var` (a `const disfer_test::fer2013_file&`) for a test that needs FER-2013's pixels;
/// skips the test case, naming DISFER_FER2013, when there is no file, and fails it when
/// DISFER_FER2013 names a file that cannot be read. Use inside a Catch2 test case.
#define DISFER_REQUIRE_FER2013(var)                                      \
  const ::disfer_test::fer2013_file& var = ::disfer_test::fer2013_csv(); \
  if (!var.error.empty()) FAIL(var.error);                               \
  if (var.path.empty()) {                                                \
    ::disfer_test::skip(var.skip_reason);                                \
    return;                                                              \
  }                                                                      \
  std::cout << "FER-2013 pixels: " << ::disfer_test::describe(var) << std::endl

/// As DISFER_REQUIRE_FER2013, and skips unless the file is the sample itself (by its SHA-256), for
/// tests whose inputs fit only the sample (e.g. the FER+ votes committed for its rows).
#define DISFER_REQUIRE_FER2013_SAMPLE(var)                                                                          \
  DISFER_REQUIRE_FER2013(var);                                                                                      \
  if (!var.is_sample) {                                                                                             \
    ::disfer_test::skip(std::string("needs the FER-2013 sample itself (SHA-256 ") +                                 \
                        ::disfer_test::fer2013_sample_sha256 + "): set DISFER_FER2013=/path/fer2013-sample.csv; " + \
                        var.origin + " gives " + ::disfer_test::describe(var));                                     \
    return;                                                                                                         \
  }
