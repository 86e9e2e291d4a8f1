#pragma once
/// \file
/// Where a reproduction's inputs came from: the program, its options, every input file with its
/// SHA-256 and the rows its reader skipped (reproduction.json's provenance block).

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "disfer/io/bad_rows.hpp"
#include "disfer/report/json.hpp"

namespace disfer {

/// Where a reproduction's inputs came from (the JSON's provenance block).
struct reproduction_provenance {
  struct input_file {
    std::string role;    ///< e.g. "votes", "predictions:RMN", "fer2013", "manifest"
    std::string path;    ///< as given
    std::string sha256;  ///< lowercase hex of the file's bytes
  };
  /// The rows an input's reader left out under bad_row_policy::skip (io/bad_rows.hpp): the input's
  /// role and one reason per skipped row, in file order (the messages bad_row_policy::error throws).
  struct skipped_input {
    std::string role;
    std::vector<std::string> reasons;
  };
  std::string program;                                       ///< e.g. "reproduce_disfer"
  std::vector<std::pair<std::string, std::string>> options;  ///< option name -> value, as given
  std::vector<input_file> inputs;
  bad_row_policy bad_rows = bad_row_policy::error;  ///< the readers' policy for bad rows
  std::vector<skipped_input> skipped;               ///< inputs with skipped rows (none under error)
  /// The SIMD path the kernels ran (disfer::simd_path_name(), disfer/simd.hpp); written as null
  /// when empty. The outputs are the same on every path; the path tells how fast they were made.
  std::string simd_path;
  /// Further top-level sections of reproduction.json, after the results: key and a writer of its
  /// value (e.g. "ferplus": write_ferplus_section_json, report/ferplus_section.hpp).
  std::vector<std::pair<std::string, std::function<void(json_writer&)>>> json_sections;
};

}  // namespace disfer
