#pragma once
// Test helpers for the run-time SIMD paths (detail/simd_dispatch.hpp): the list of paths, their
// names, and a scope that forces one for every kernel.
#include <disfer/detail/simd_dispatch.hpp>

namespace disfer_test {

using disfer::detail::simd_path;

inline constexpr const auto& all_simd_paths = disfer::detail::simd_paths;

using disfer::detail::simd_path_label;

/// Forces the path the kernels use for the lifetime of the object.
struct forced_simd_path {
  explicit forced_simd_path(simd_path p) { disfer::detail::simd_forced_path().store(static_cast<int>(p)); }
  ~forced_simd_path() { disfer::detail::simd_forced_path().store(static_cast<int>(simd_path::automatic)); }
  forced_simd_path(const forced_simd_path&) = delete;
  forced_simd_path& operator=(const forced_simd_path&) = delete;
};

}  // namespace disfer_test
