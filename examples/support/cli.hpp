#pragma once
// Command-line helpers shared by the example programs.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include <disfer/core/error.hpp>

namespace disfer_examples {

/// Parses a non-negative decimal integer given to `option`; throws disfer::error
/// "program: option takes a non-negative integer, got 'text'" otherwise (no sign, no trailing text).
inline std::uint64_t parse_u64(const char* program, const std::string& option, const std::string& text) {
  std::size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-')
    throw disfer::error(std::string(program) + ": " + option + " takes a non-negative integer, got '" + text + "'");
  return v;
}

/// True when any argument is --help or -h: the program prints its full help (what it reads and
/// writes, every option, an example) on standard output and exits 0.
inline bool wants_help(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) return true;
  return false;
}

}  // namespace disfer_examples
