#pragma once
// What an interrupted earlier run left beside an output, reported the same way by every example
// program that writes a folder of outputs (--remove-stale).
#include <cstddef>
#include <iostream>
#include <string>

#include <disfer/io/staged_file.hpp>

namespace disfer_examples {

/// Reports on `err` each leftover of an interrupted run beside `target` (disfer::stale_staging():
/// hidden `.<name>.partial-<n>` staging folders and `.<name>.old-<n>` folders moved aside), one line
/// naming its path, and removes them only when `remove` is set (the programs' --remove-stale);
/// nothing else beside `target` is touched. Returns how many entries were found. Throws
/// disfer::error naming `program` when an entry cannot be removed.
inline std::size_t report_stale_staging(const char* program, const std::string& target, bool remove,
                                        std::ostream& err = std::cerr) {
  const auto stale = disfer::stale_staging(target);
  for (const auto& p : stale)
    err << program << ": " << (remove ? "removing" : "note:") << " leftover of an interrupted run: " << p.string()
        << (remove ? "" : " (--remove-stale removes it)") << "\n";
  if (remove && !stale.empty()) disfer::remove_stale_staging(target, program);
  return stale.size();
}

}  // namespace disfer_examples
