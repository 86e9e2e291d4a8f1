#pragma once
// Command-line helpers shared by the example programs.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

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

/// Checks, before any work, that `path` may be written: throws disfer::error
/// "program: 'path' exists; refusing to overwrite it (use --flag to replace it)" for an existing
/// file, and "... exists and is not empty; refusing to replace it (use --flag ...)" for a non-empty
/// folder, unless `replace`. The library's writers check again when they write (staged_file,
/// staged_directory), and they do not know the program's flag: this is where the flag is named.
inline void check_output(const char* program, const std::string& path, bool replace, const char* flag) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (replace || !fs::exists(path, ec)) return;
  if (!fs::is_directory(path, ec))
    throw disfer::error(std::string(program) + ": '" + path + "' exists; refusing to overwrite it (use " + flag +
                        " to replace it)");
  if (!fs::is_empty(path, ec))
    throw disfer::error(std::string(program) + ": '" + path +
                        "' exists and is not empty; refusing to replace it (use " + flag +
                        " to replace it, or choose another name)");
}

}  // namespace disfer_examples
