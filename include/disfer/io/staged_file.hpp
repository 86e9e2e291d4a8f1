#pragma once
/// \file
/// Output safety for every disfer writer: a file is written under a temporary name beside its
/// target and renamed into place only when complete, so a killed run never leaves a partial file
/// under the target's name; an existing target is never replaced unless the caller asks. On Linux,
/// renameat2(2) makes the last step atomic: RENAME_NOREPLACE when replacing is refused, and
/// RENAME_EXCHANGE to swap a new output folder with the old one; elsewhere (and on file systems
/// without these flags) a portable sequence of renames is used (see staged_directory).

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <fcntl.h>        // AT_FDCWD
#include <stdio.h>        // renameat2, RENAME_EXCHANGE, RENAME_NOREPLACE (glibc >= 2.28, _GNU_SOURCE)
#include <sys/syscall.h>  // SYS_renameat2, for C libraries without the wrapper
#include <unistd.h>

#include <cerrno>
#endif

#include "disfer/core/error.hpp"

namespace disfer {

namespace detail {

/// How a flagged rename went: `done`; `unsupported` here (not Linux, or a kernel or file system
/// without renameat2's flags: the caller takes its portable path); `failed` (the error code says why).
enum class rename_outcome { done, unsupported, failed };

/// For tests: when set, rename_exchange() and rename_noreplace() answer `unsupported`, so that the
/// portable path of staged_file and staged_directory runs on Linux too.
inline std::atomic<bool> portable_renames_only{false};

/// renameat2(AT_FDCWD, from, AT_FDCWD, to, flags) on Linux; `unsupported` elsewhere and when the
/// kernel or file system refuses the flag (EINVAL, ENOSYS, EOPNOTSUPP). Never throws.
inline rename_outcome renameat2_flagged(const std::filesystem::path& from, const std::filesystem::path& to,
                                        unsigned flags, std::error_code& ec) noexcept {
  ec.clear();
#if defined(__linux__) && (defined(RENAME_EXCHANGE) || defined(SYS_renameat2))
  if (portable_renames_only) return rename_outcome::unsupported;
#if defined(RENAME_EXCHANGE)
  const int r = ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags);
#else
  const long r = ::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags);
#endif
  if (r == 0) return rename_outcome::done;
  const int e = errno;
  if (e == EINVAL || e == ENOSYS || e == EOPNOTSUPP || e == ENOTSUP) return rename_outcome::unsupported;
  ec.assign(e, std::generic_category());
  return rename_outcome::failed;
#else
  (void)from, (void)to, (void)flags;
  return rename_outcome::unsupported;
#endif
}

/// Atomically swaps the two existing entries `a` and `b` (files or folders, same file system):
/// renameat2 with RENAME_EXCHANGE (Linux 3.15+; ext4, xfs, btrfs, tmpfs, overlayfs...). At no
/// moment is either name missing. `unsupported` elsewhere; see renameat2_flagged().
inline rename_outcome exchange_paths(const std::filesystem::path& a, const std::filesystem::path& b,
                                     std::error_code& ec) noexcept {
  return renameat2_flagged(a, b, 1u << 1 /* RENAME_EXCHANGE */, ec);
}

/// Renames `from` to `to` unless `to` exists (then `failed` with EEXIST), atomically: renameat2 with
/// RENAME_NOREPLACE. `unsupported` elsewhere; see renameat2_flagged().
inline rename_outcome rename_noreplace(const std::filesystem::path& from, const std::filesystem::path& to,
                                       std::error_code& ec) noexcept {
  return renameat2_flagged(from, to, 1u << 0 /* RENAME_NOREPLACE */, ec);
}

}  // namespace detail

/// What to do when the target already exists.
enum class overwrite_policy { refuse, replace };

/// A file being written: `stream()` goes to `.<name>.partial-<n>` beside `path`; `commit()`
/// flushes, closes and renames it to `path`. Destroyed without commit(), it removes the partial
/// file. Throws disfer::error (naming `function` and the path) when the target exists under
/// overwrite_policy::refuse (checked when constructed, and again atomically by the rename on Linux:
/// a file that appeared meanwhile is not overwritten), or when the file cannot be written.
/// Under overwrite_policy::replace the rename replaces the old file atomically (rename(2)).
class staged_file {
 public:
  staged_file(std::string path, overwrite_policy policy, const char* function)
      : target_(std::move(path)), policy_(policy), function_(function) {
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
    detail::rename_outcome how = detail::rename_outcome::unsupported;
    if (policy_ == overwrite_policy::refuse) {
      how = detail::rename_noreplace(temp_, target_, ec);
      if (how == detail::rename_outcome::unsupported && std::filesystem::exists(target_, ec))
        ec = std::make_error_code(std::errc::file_exists);
      if (ec == std::errc::file_exists)
        detail::fail(function_, "'", target_.string(), "' appeared while writing; refusing to overwrite it");
    }
    if (how == detail::rename_outcome::unsupported) std::filesystem::rename(temp_, target_, ec);
    if (ec) detail::fail(function_, "cannot rename '", temp_.string(), "' to '", target_.string(), "': ", ec.message());
    committed_ = true;
  }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  overwrite_policy policy_;
  const char* function_;
  std::ofstream out_;
  bool committed_ = false;
};

/// A folder of outputs being written: files go into `.<name>.partial-<n>` beside `folder`;
/// `commit()` renames it to `folder`. Destroyed without commit(), it removes the staging folder, so
/// a failed run leaves nothing; a killed run leaves at most the hidden staging folder.
/// An existing empty folder is replaced; an existing non-empty one is an error under
/// overwrite_policy::refuse. Under replace, on Linux, the staging folder and the old folder are
/// swapped atomically (renameat2 RENAME_EXCHANGE), then the old output, now under the staging
/// name, is removed: at every moment the folder holds the old or the new complete output, and a
/// kill during the removal leaves a `.<name>.partial-<n>` that stale_staging() lists. Where the
/// exchange is not supported, the old folder is moved aside to `.<name>.old-<n>`, the new one
/// renamed into place, then the old one removed (a kill between the two renames leaves no folder
/// at the name, the old output complete in `.<name>.old-<n>`). An existing file of that name is
/// always an error.
class staged_directory {
 public:
  staged_directory(std::string folder, overwrite_policy policy, const char* function)
      : target_(std::move(folder)), policy_(policy), function_(function) {
    namespace fs = std::filesystem;
    target_ = target_.lexically_normal();
    if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" -> "out"
    if (target_.empty() || target_ == "." || target_ == "..")
      detail::fail(function_, "'", target_.string(), "' cannot be an output folder; name a new folder");
    std::error_code ec;
    if (fs::exists(target_, ec)) {
      if (!fs::is_directory(target_, ec))
        detail::fail(function_, "'", target_.string(), "' exists and is not a folder");
      if (!fs::is_empty(target_, ec) && policy_ == overwrite_policy::refuse)
        detail::fail(function_, "'", target_.string(),
                     "' exists and is not empty; refusing to replace it (ask to replace it)");
    }
    const fs::path parent = parent_of(target_);
    for (unsigned n = 0;; ++n) {
      temp_ = parent / ("." + target_.filename().string() + ".partial-" + std::to_string(n));
      if (fs::create_directory(temp_, ec)) break;
      if (ec || n > 10000) detail::fail(function_, "cannot create a staging folder beside '", target_.string(), "'");
    }
  }
  staged_directory(const staged_directory&) = delete;
  staged_directory& operator=(const staged_directory&) = delete;
  ~staged_directory() {
    if (!committed_) {
      std::error_code ec;
      std::filesystem::remove_all(temp_, ec);
    }
  }

  /// Where to write the outputs before commit().
  const std::filesystem::path& path() const noexcept { return temp_; }
  /// `path() / name`.
  std::filesystem::path operator/(const std::string& name) const { return temp_ / name; }

  /// Moves the staged folder into place (see the class comment).
  void commit() {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path old;
    if (fs::exists(target_, ec)) {
      if (!fs::is_directory(target_, ec))
        detail::fail(function_, "'", target_.string(), "' appeared while writing and is not a folder");
      if (fs::is_empty(target_, ec)) {
        fs::rename(temp_, target_, ec);  // POSIX: atomically replaces an empty folder
        if (!ec) {
          committed_ = true;
          return;
        }
        fs::remove(target_, ec);  // other systems: remove it first (fails if it filled meanwhile)
      } else {
        if (policy_ == overwrite_policy::refuse)
          detail::fail(function_, "'", target_.string(), "' appeared while writing; refusing to replace it");
        const auto how = detail::exchange_paths(temp_, target_, ec);
        if (how == detail::rename_outcome::failed)
          detail::fail(function_, "cannot swap '", temp_.string(), "' with '", target_.string(), "': ", ec.message());
        if (how == detail::rename_outcome::done) {
          committed_ = true;
          fs::remove_all(temp_, ec);  // the old output; a kill here leaves it for stale_staging()
          return;
        }
        for (unsigned n = 0;; ++n) {
          old = parent_of(target_) / ("." + target_.filename().string() + ".old-" + std::to_string(n));
          if (!fs::exists(old, ec)) break;
        }
        fs::rename(target_, old, ec);
        if (ec) detail::fail(function_, "cannot move the old '", target_.string(), "' aside: ", ec.message());
      }
    }
    fs::rename(temp_, target_, ec);
    if (ec) {
      std::error_code e2;
      if (!old.empty()) fs::rename(old, target_, e2);
      detail::fail(function_, "cannot rename '", temp_.string(), "' to '", target_.string(), "': ", ec.message());
    }
    committed_ = true;
    if (!old.empty()) fs::remove_all(old, ec);
  }

 private:
  static std::filesystem::path parent_of(const std::filesystem::path& p) {
    return p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  }

  std::filesystem::path target_;
  std::filesystem::path temp_;
  overwrite_policy policy_;
  const char* function_;
  bool committed_ = false;
};

/// Leftovers of interrupted runs beside `target` (a file or a folder): the hidden entries
/// `.<name>.partial-<n>` (a killed writer's staging file or folder) and `.<name>.old-<n>` (a
/// previous output moved aside by a replace that was killed before removing it), sorted. No
/// writer reads them; a program reports them and removes them with remove_stale_staging() only
/// when its user asks. Note: a run writing `target` at this moment has a staging entry too.
/// O(entries of the parent folder).
inline std::vector<std::filesystem::path> stale_staging(const std::string& target) {
  namespace fs = std::filesystem;
  fs::path t = fs::path(target).lexically_normal();
  if (t.filename().empty()) t = t.parent_path();
  const fs::path parent = t.has_parent_path() ? t.parent_path() : fs::path(".");
  const std::string partial = "." + t.filename().string() + ".partial-", old = "." + t.filename().string() + ".old-";
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    for (const std::string& prefix : {partial, old})
      if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
          name.find_first_not_of("0123456789", prefix.size()) == std::string::npos)
        found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

/// Removes what stale_staging(target) lists and returns how many entries it removed. Call it only
/// when no other run is writing `target`. Throws disfer::error (naming `function`) when an entry
/// cannot be removed.
inline std::size_t remove_stale_staging(const std::string& target, const char* function = "remove_stale_staging") {
  std::size_t n = 0;
  for (const auto& p : stale_staging(target)) {
    std::error_code ec;
    std::filesystem::remove_all(p, ec);
    if (ec) detail::fail(function, "cannot remove '", p.string(), "': ", ec.message());
    ++n;
  }
  return n;
}

}  // namespace disfer
