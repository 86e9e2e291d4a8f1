#pragma once
// Command-line helpers shared by the example programs.
#include <cstdint>
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

}  // namespace disfer_examples
