#pragma once
/// \file
/// Which SIMD code path disfer's dispatched kernels run (detail/simd_dispatch.hpp), for provenance:
/// the outputs are the same on every path; the speed is not.

#include <cstdlib>
#include <string>

#include "disfer/core/error.hpp"
#include "disfer/detail/simd_dispatch.hpp"

namespace disfer {

/// The name of the path the dispatched kernels use now: "portable", "sse2", "avx2" or "avx512" (the
/// fastest this CPU supports, or the one DISFER_SIMD forces). Throws disfer::error when DISFER_SIMD
/// holds anything but those names (or "automatic"), or a path this CPU lacks: the kernels then run
/// the fastest path, and a program that records this name in its provenance stops instead of
/// recording a path that was asked for and not used.
inline std::string simd_path_name() {
  const char* value = std::getenv("DISFER_SIMD");
  if (!detail::simd_parse_request(value).valid)
    detail::fail("simd_path_name", "DISFER_SIMD='", value,
                 "' is not one of portable, sse2, avx2, avx512 that this CPU ",
                 "supports (its fastest: ", detail::simd_path_label(detail::simd_best_path()), ")");
  return detail::simd_path_label(detail::simd_resolve());
}

}  // namespace disfer
