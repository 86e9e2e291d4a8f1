#pragma once
/// \file
/// Output safety for every disfer writer: a file is written under a temporary name beside its
/// target and renamed into place only when complete, so a killed run never leaves a partial file
/// under the target's name; an existing target is never replaced unless the caller asks.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "disfer/core/error.hpp"

namespace disfer {

/// What to do when the target already exists.
enum class overwrite_policy { refuse, replace };

/// A file being written: `stream()` goes to `.<name>.partial-<n>` beside `path`; `commit()`
/// flushes, closes and renames it to `path`. Destroyed without commit(), it removes the partial
/// file. Throws disfer::error (naming `function` and the path) when the target exists under
/// overwrite_policy::refuse, or when the file cannot be written.
class staged_file {
 public:
  staged_file(std::string path, overwrite_policy policy, const char* function)
      : target_(std::move(path)), function_(function) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (policy == overwrite_policy::refuse && fs::exists(target_, ec))
      detail::fail(function_, "'", target_.string(), "' exists; refusing to overwrite it (ask to replace it)");
    static std::atomic<std::uint64_t> counter{0};
    const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    temp_ = dir / ("." + target_.filename().string() + ".partial-" + std::to_string(counter++));
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) detail::fail(function_, "cannot write '", temp_.string(), "' (for '", target_.string(), "')");
  }
  staged_file(const staged_file&) = delete;
  staged_file& operator=(const staged_file&) = delete;
  ~staged_file() {
    if (!committed_) {
      out_.close();
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
    }
  }

  std::ofstream& stream() noexcept { return out_; }

  /// Completes the file: flush, close, check, rename into place.
  void commit() {
    out_.flush();
    const bool ok = static_cast<bool>(out_);
    out_.close();
    if (!ok || out_.fail()) detail::fail(function_, "write error on '", target_.string(), "'");
    std::error_code ec;
    std::filesystem::rename(temp_, target_, ec);
    if (ec) detail::fail(function_, "cannot rename '", temp_.string(), "' to '", target_.string(), "': ", ec.message());
    committed_ = true;
  }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  const char* function_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace disfer
