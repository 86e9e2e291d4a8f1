#pragma once
/// \file
/// The folders where disfer's network classes look for their weight files (internal; one search
/// for every bundled model, so both networks are found the same way).

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "disfer/core/error.hpp"

namespace disfer::detail {

/// In order: `explicit_path` alone when not empty; else $DISFER_MODEL_DIR alone when set and not
/// empty (a mistyped folder must not fall back silently to another copy; `fn` names the caller in
/// the error, `files` the files the folder should hold); else the install prefix's
/// share/disfer/models (DISFER_MODEL_INSTALL_DIR), then, for a program in a folder named bin,
/// ../share/disfer/models beside it, then the build tree's copy (DISFER_MODEL_BUILD_DIR).
inline std::vector<std::string> model_search_paths(const char* fn, const std::string& explicit_path,
                                                   const char* files) {
  std::vector<std::string> paths;
  if (!explicit_path.empty()) {
    paths.push_back(explicit_path);
    return paths;
  }
  if (const char* env = std::getenv("DISFER_MODEL_DIR"); env && *env) {
    std::error_code ec;
    if (!std::filesystem::exists(env, ec))
      fail(fn, "DISFER_MODEL_DIR is '", env, "', which does not exist; point it at a folder holding ", files,
           ", or unset it to use the installed model");
    paths.emplace_back(env);
    return paths;
  }
#ifdef DISFER_MODEL_INSTALL_DIR
  paths.emplace_back(DISFER_MODEL_INSTALL_DIR);
#endif
#ifdef __linux__
  // A program installed with disfer (<prefix>/bin/...) finds the models installed beside it,
  // <prefix>/share/disfer/models, wherever the prefix was installed or moved to.
  std::error_code exe_ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", exe_ec);
  if (!exe_ec && exe.has_parent_path() && exe.parent_path().filename() == "bin")
    paths.push_back((exe.parent_path().parent_path() / "share" / "disfer" / "models").string());
#endif
#ifdef DISFER_MODEL_BUILD_DIR
  paths.emplace_back(DISFER_MODEL_BUILD_DIR);
#endif
  return paths;
}

}  // namespace disfer::detail
