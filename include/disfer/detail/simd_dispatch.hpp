#pragma once
/// \file
/// Run-time choice of the SIMD code path of disfer's kernels (Philox blocks, uint8 blur, noise,
/// salt-and-pepper, Fleiss' kappa). Every path computes exactly the same bytes (integer arithmetic,
/// float sums of integers below 2^24, which are exact, or the same double operations in the same
/// order); the paths differ in speed only. Tests force each path the CPU supports and compare the
/// outputs; DISFER_SIMD=portable|sse2|avx2|avx512 forces one for a whole program.

#include <atomic>
#include <cstdlib>
#include <cstring>

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#include <immintrin.h>
#define DISFER_SIMD_X86 1
#else
#define DISFER_SIMD_X86 0
#endif

// Forced inlining, so that a kernel body written once is compiled for the target("...") function
// that calls it (SSE2 or AVX2 code from the same source).
#if defined(__GNUC__) || defined(__clang__)
#define DISFER_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define DISFER_ALWAYS_INLINE inline
#endif

namespace disfer {
namespace detail {

/// Code paths, slowest to fastest. automatic = the fastest the CPU supports (or a forced one).
enum class simd_path { automatic, portable, sse2, avx2, avx512 };

/// Every real path, slowest to fastest.
inline constexpr simd_path simd_paths[] = {simd_path::portable, simd_path::sse2, simd_path::avx2, simd_path::avx512};

/// True when this build and CPU can run `path` (automatic and portable always).
inline bool simd_path_available(simd_path path) noexcept {
  switch (path) {
    case simd_path::automatic:
    case simd_path::portable:
      return true;
#if DISFER_SIMD_X86
    case simd_path::sse2:
      return true;
    case simd_path::avx2:
      __builtin_cpu_init();  // idempotent; needed if called before libgcc's constructors ran
      return __builtin_cpu_supports("avx2");
    case simd_path::avx512:
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx512f");
#endif
    default:
      return false;
  }
}

/// The fastest path this machine supports (decided once, by CPUID).
inline simd_path simd_best_path() noexcept {
  static const simd_path best = [] {
    if (simd_path_available(simd_path::avx512)) return simd_path::avx512;
    if (simd_path_available(simd_path::avx2)) return simd_path::avx2;
    if (simd_path_available(simd_path::sse2)) return simd_path::sse2;
    return simd_path::portable;
  }();
  return best;
}

/// The name of a path ("portable", "sse2", "avx2", "avx512"; "automatic").
inline const char* simd_path_label(simd_path path) noexcept {
  switch (path) {
    case simd_path::portable:
      return "portable";
    case simd_path::sse2:
      return "sse2";
    case simd_path::avx2:
      return "avx2";
    case simd_path::avx512:
      return "avx512";
    default:
      return "automatic";
  }
}

/// What the environment variable DISFER_SIMD asks for: automatic when unset or empty, the named
/// path when this machine has it; `valid` false (and path automatic) for any other value, or a path
/// above the machine's best (disfer::simd_path_name() then throws, naming both).
struct simd_request {
  simd_path path = simd_path::automatic;
  bool valid = true;
};

inline simd_request simd_parse_request(const char* value) noexcept {
  simd_request r;
  if (value == nullptr || *value == '\0' || std::strcmp(value, "automatic") == 0) return r;
  for (const simd_path p : simd_paths)
    if (std::strcmp(value, simd_path_label(p)) == 0) {
      if (simd_path_available(p))
        r.path = p;
      else
        r.valid = false;
      return r;
    }
  r.valid = false;
  return r;
}

/// A path forced for every kernel (tests use it to show that all paths give the same bytes);
/// initially the one DISFER_SIMD names (read once), else automatic.
inline std::atomic<int>& simd_forced_path() noexcept {
  static std::atomic<int> forced{static_cast<int>(simd_parse_request(std::getenv("DISFER_SIMD")).path)};
  return forced;
}

/// The path to run for a request: `path` itself unless automatic (then the forced path, else the
/// best one); a path the CPU lacks becomes portable.
inline simd_path simd_resolve(simd_path path = simd_path::automatic) noexcept {
  if (path == simd_path::automatic) path = static_cast<simd_path>(simd_forced_path().load());
  if (path == simd_path::automatic) path = simd_best_path();
  if (!simd_path_available(path)) path = simd_path::portable;
  return path;
}

}  // namespace detail
}  // namespace disfer
