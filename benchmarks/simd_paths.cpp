// The SIMD paths of disfer's dispatched kernels on this machine, for benchmarks/compare.sh:
//   simd_paths --available   every path this CPU and build can run, one per line, slowest first
//   simd_paths --current     the path the kernels use now (DISFER_SIMD's, else the fastest);
//                            exit 1, with disfer::simd_path_name()'s message, when DISFER_SIMD names
//                            a path this CPU lacks or anything else
#include <disfer/simd.hpp>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--available") == 0) {
    for (const auto path : disfer::detail::simd_paths)
      if (disfer::detail::simd_path_available(path)) std::printf("%s\n", disfer::detail::simd_path_label(path));
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "--current") == 0) {
    try {
      std::printf("%s\n", disfer::simd_path_name().c_str());
      return 0;
    } catch (const disfer::error& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "usage: simd_paths --available | --current\n");
  return 2;
}
