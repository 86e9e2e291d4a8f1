#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

#include "test_support.hpp"

namespace {
bool g_skipped = false;
}

namespace disfer_test {

void skip(const std::string& reason) {
  g_skipped = true;
  std::cout << "SKIPPED: " << reason << std::endl;
}

std::string shared_path(const std::string& relative) {
  const std::filesystem::path p = std::filesystem::path(DISFER_SHARED_DIR) / relative;
  std::error_code ec;
  return std::filesystem::exists(p, ec) ? p.string() : std::string();
}

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::path(DISFER_TEST_BINARY_DIR) / "scratch" / name;
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
