#pragma once
// Shared by the libFuzzer targets: the one property every reader must have (it returns a value or
// throws disfer::error whose message starts with the public function's name; anything else,
// including std::bad_alloc or a library's own exception, is a finding), and a per-process scratch
// folder for readers that only take a path.
//
// Built with -fsanitize=fuzzer, each fuzz_<name>.cpp defines LLVMFuzzerTestOneInput and a finding
// aborts. Built with DISFER_FUZZ_REPLAY defined (tests/reliability), the same function is called
// disfer_fuzz_replay_<name> and a finding throws std::logic_error, so ctest replays the seed
// corpora and every committed finding (fuzz/regressions/<name>) through the very same checks.
#include <disfer/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <unistd.h>

#ifdef DISFER_FUZZ_REPLAY
#define DISFER_FUZZ_TARGET(name) int disfer_fuzz_replay_##name
#else
#define DISFER_FUZZ_TARGET(name) extern "C" int LLVMFuzzerTestOneInput
#endif

namespace disfer_fuzz {

/// What a finding throws in replay builds.
struct finding_error : std::logic_error {
  using std::logic_error::logic_error;
};

[[noreturn]] inline void finding(const char* what, const char* function, const char* message) {
#ifdef DISFER_FUZZ_REPLAY
  throw finding_error(std::string("disfer fuzz finding: ") + what + " from " + function + ": " + message);
#else
  std::fprintf(stderr, "disfer fuzz finding: %s from %s: %s\n", what, function, message);
  std::abort();
#endif
}

/// Runs `f`; a disfer::error naming `function` is the expected answer to bad input.
template <class F>
void value_or_error(const char* function, F&& f) {
  try {
    f();
  } catch (const finding_error&) {
    throw;
  } catch (const disfer::error& e) {
    if (std::string_view(e.what()).rfind(function, 0) != 0)
      finding("a disfer::error that does not start with the function's name", function, e.what());
  } catch (const std::exception& e) {
    finding("an exception other than disfer::error", function, e.what());
  } catch (...) {
    finding("a non-standard exception", function, "?");
  }
}

/// A folder private to this process (under $TMPDIR or /tmp), created on first use.
/// Removed at exit.
inline const std::string& scratch_dir() {
  static const std::string* const dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto* d = new std::string(std::string(tmp && *tmp ? tmp : "/tmp") + "/disfer-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(*d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*dir, ec);
    });
    return d;
  }();
  return *dir;
}

/// Writes `size` bytes to `name` in the scratch folder and returns its path.
inline std::string write_scratch(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_dir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) std::abort();
  return path;
}

/// The input as a string (the stream readers read it through std::istringstream).
inline std::string as_string(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

/// The image readers' target: reads the input into 8-bit and into 16-bit pixels with
/// `read(pixel tag, stream, info)` and checks that the 8-bit image has the shape `info` reports.
template <class Info, class Read>
void image_target(const char* function, const char* target, const std::uint8_t* data, std::size_t size, Read read) {
  const std::string bytes = as_string(data, size);
  value_or_error(function, [&] {
    std::istringstream in(bytes);
    Info info;
    const auto img = read(std::uint8_t{}, in, &info);
    if (img.shape()[0] != info.height || img.shape()[1] != info.width) finding("an inconsistent result", target, "");
  });
  value_or_error(function, [&] {
    std::istringstream in(bytes);
    (void)read(std::uint16_t{}, in, static_cast<Info*>(nullptr));
  });
}

}  // namespace disfer_fuzz
