#pragma once
/// \file
/// Single-precision matrix product with a fused bias and activation for the graph runner's
/// convolutions (internal), chosen at run time: C[m x n] = act(A[m x k] B[k x n] + bias), row-major,
/// A with row stride lda, B packed once per call into panels of NR columns (zero-padded), C with row
/// stride ldc. Micro-kernels of MR x NR tiles keep the tile in registers over the whole k loop (the
/// register-blocked design of Goto & van de Geijn, ACM TOMS 34(3), 2008, without k-blocking: the
/// network's k is at most a few thousand, so one A tile row of k floats and the B panel stay in L1/L2):
///   AVX-512F 8 x 32 (16 zmm accumulators, FMA; 8 x 16 for n <= 16); AVX2+FMA 6 x 16 (12 ymm); SSE2 4 x 8 (8 xmm,
///   multiply then add). Every element of C is the sum over k in ascending order (one FMA, or one
///   multiply and one add, per term), then + bias, then the activation: the result depends on the
///   path (FMA rounds once) but never on m, the tiling or the thread count.
/// The portable path is not here: the callers keep Eigen's product for it.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "disfer/detail/simd_dispatch.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#define DISFER_UNROLL _Pragma("GCC unroll 16")
#elif defined(__clang__)
#define DISFER_UNROLL _Pragma("unroll")
#else
#define DISFER_UNROLL
#endif

namespace disfer::detail {

/// Fused epilogue of a product: none, max(x, 0), min(max(x, 0), 6).
enum class gemm_epilogue { none, relu, relu6 };

/// B (k x n, row-major) packed for a micro-kernel of width nr: panel q holds columns
/// [q nr, q nr + nr) row by row (k rows of nr floats, zero past column n). O(k n).
inline std::vector<float> pack_panels(const float* b, std::int64_t k, std::int64_t n, std::int64_t nr) {
  const std::int64_t panels = (n + nr - 1) / nr;
  std::vector<float> p(static_cast<std::size_t>(panels * k * nr), 0.0f);
  for (std::int64_t q = 0; q < panels; ++q) {
    const std::int64_t c0 = q * nr, w = std::min(nr, n - c0);
    float* dst = p.data() + q * k * nr;
    for (std::int64_t r = 0; r < k; ++r) std::copy(b + r * n + c0, b + r * n + c0 + w, dst + r * nr);
  }
  return p;
}

/// The bias (or zeros when null) padded with zeros to a multiple of nr.
inline std::vector<float> pad_bias(const float* bias, std::int64_t n, std::int64_t nr) {
  std::vector<float> p(static_cast<std::size_t>((n + nr - 1) / nr * nr), 0.0f);
  if (bias) std::copy(bias, bias + n, p.begin());
  return p;
}

/// Tile sizes of a path's micro-kernel for n columns (AVX-512F: 16 wide when n <= 16, e.g. the
/// 7 classes of a head, so that fewer padded columns are computed).
struct gemm_tile {
  std::int64_t mr, nr;
};

inline gemm_tile gemm_tile_of(simd_path path, std::int64_t n) {
  if (path == simd_path::avx512) return {8, n <= 16 ? 16 : 32};
  if (path == simd_path::avx2) return {6, 16};
  return {4, 8};
}

#if DISFER_SIMD_X86
// Each kernel: rows a[0..MR) (row stride lda) times panel b (k rows of NR) into c (row stride
// ldc), all MR x NR written; bias (NR values) added, then the epilogue.

// NV vectors of 16 columns (NR = 16 NV).
template <int NV>
__attribute__((target("avx512f"))) inline void sgemm_tile_avx512(std::int64_t k, const float* a, std::int64_t lda,
                                                                 const float* b, const float* bias, float* c,
                                                                 std::int64_t ldc, gemm_epilogue ep) {
  constexpr int mr = 8;
  __m512 acc[mr][NV];
  DISFER_UNROLL
  for (int i = 0; i < mr; ++i) DISFER_UNROLL
  for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  for (std::int64_t kk = 0; kk < k; ++kk, b += 16 * NV) {
    __m512 bv[NV];
    DISFER_UNROLL
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_ps(b + 16 * v);
    DISFER_UNROLL
    for (int i = 0; i < mr; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i * lda + kk]);
      DISFER_UNROLL
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
    }
  }
  const __m512 z = _mm512_setzero_ps(), six = _mm512_set1_ps(6.0f);
  const __mmask16 all = 0xFFFF;
  DISFER_UNROLL
  for (int i = 0; i < mr; ++i) DISFER_UNROLL
  for (int v = 0; v < NV; ++v) {
    __m512 r = _mm512_add_ps(acc[i][v], _mm512_loadu_ps(bias + 16 * v));
    // maskz forms: GCC 12's unmasked _mm512_max_ps/_mm512_min_ps pass _mm512_undefined_ps(), which
    // -Wmaybe-uninitialized reports.
    if (ep != gemm_epilogue::none) r = _mm512_maskz_max_ps(all, r, z);
    if (ep == gemm_epilogue::relu6) r = _mm512_maskz_min_ps(all, r, six);
    _mm512_storeu_ps(c + i * ldc + 16 * v, r);
  }
}

__attribute__((target("avx2,fma"))) inline void sgemm_tile_avx2(std::int64_t k, const float* a, std::int64_t lda,
                                                                const float* b, const float* bias, float* c,
                                                                std::int64_t ldc, gemm_epilogue ep) {
  constexpr int mr = 6;
  __m256 acc[mr][2];
  DISFER_UNROLL
  for (int i = 0; i < mr; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (std::int64_t kk = 0; kk < k; ++kk, b += 16) {
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    DISFER_UNROLL
    for (int i = 0; i < mr; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i * lda + kk);
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
  const __m256 z = _mm256_setzero_ps(), six = _mm256_set1_ps(6.0f);
  const __m256 bias0 = _mm256_loadu_ps(bias), bias1 = _mm256_loadu_ps(bias + 8);
  DISFER_UNROLL
  for (int i = 0; i < mr; ++i) {
    __m256 v0 = _mm256_add_ps(acc[i][0], bias0), v1 = _mm256_add_ps(acc[i][1], bias1);
    if (ep != gemm_epilogue::none) v0 = _mm256_max_ps(v0, z), v1 = _mm256_max_ps(v1, z);
    if (ep == gemm_epilogue::relu6) v0 = _mm256_min_ps(v0, six), v1 = _mm256_min_ps(v1, six);
    _mm256_storeu_ps(c + i * ldc, v0);
    _mm256_storeu_ps(c + i * ldc + 8, v1);
  }
}

inline void sgemm_tile_sse2(std::int64_t k, const float* a, std::int64_t lda, const float* b, const float* bias,
                            float* c, std::int64_t ldc, gemm_epilogue ep) {
  constexpr int mr = 4;
  __m128 acc[mr][2];
  DISFER_UNROLL
  for (int i = 0; i < mr; ++i) acc[i][0] = acc[i][1] = _mm_setzero_ps();
  for (std::int64_t kk = 0; kk < k; ++kk, b += 8) {
    const __m128 b0 = _mm_loadu_ps(b), b1 = _mm_loadu_ps(b + 4);
    DISFER_UNROLL
    for (int i = 0; i < mr; ++i) {
      const __m128 ai = _mm_set1_ps(a[i * lda + kk]);
      acc[i][0] = _mm_add_ps(acc[i][0], _mm_mul_ps(ai, b0));
      acc[i][1] = _mm_add_ps(acc[i][1], _mm_mul_ps(ai, b1));
    }
  }
  const __m128 z = _mm_setzero_ps(), six = _mm_set1_ps(6.0f);
  const __m128 bias0 = _mm_loadu_ps(bias), bias1 = _mm_loadu_ps(bias + 4);
  DISFER_UNROLL
  for (int i = 0; i < mr; ++i) {
    __m128 v0 = _mm_add_ps(acc[i][0], bias0), v1 = _mm_add_ps(acc[i][1], bias1);
    if (ep != gemm_epilogue::none) v0 = _mm_max_ps(v0, z), v1 = _mm_max_ps(v1, z);
    if (ep == gemm_epilogue::relu6) v0 = _mm_min_ps(v0, six), v1 = _mm_min_ps(v1, six);
    _mm_storeu_ps(c + i * ldc, v0);
    _mm_storeu_ps(c + i * ldc + 4, v1);
  }
}
#endif

/// C = act(A B + bias) on `path` (sse2, avx2 or avx512, which the CPU must have), B (k x n) packed
/// by pack_panels with gemm_tile_of(path, n).nr, bias padded by pad_bias. Rows are taken in chunks of 8 tiles; within a
/// chunk every panel of B meets every tile, so a panel is reused from cache across the chunk and the chunk's rows of A
/// across the panels. Edge tiles (rows past m, columns past n) are computed in a local tile with zero rows of A and
/// copied out, so nothing outside C is written. Complexity O(m k n).
inline void sgemm_packed(simd_path path, std::int64_t m, std::int64_t k, std::int64_t n, const float* a,
                         std::int64_t lda, const float* panels_b, const float* bias, float* c, std::int64_t ldc,
                         gemm_epilogue ep) {
#if DISFER_SIMD_X86
  const gemm_tile tile_size = gemm_tile_of(path, n);
  const std::int64_t mr = tile_size.mr, nr = tile_size.nr;
  const std::int64_t panels = (n + nr - 1) / nr, chunk = 8 * mr;
  auto tile = [&](const float* a_, std::int64_t lda_, const float* b_, const float* bias_, float* c_,
                  std::int64_t ldc_) {
    if (path == simd_path::avx512 && nr == 32)
      sgemm_tile_avx512<2>(k, a_, lda_, b_, bias_, c_, ldc_, ep);
    else if (path == simd_path::avx512)
      sgemm_tile_avx512<1>(k, a_, lda_, b_, bias_, c_, ldc_, ep);
    else if (path == simd_path::avx2)
      sgemm_tile_avx2(k, a_, lda_, b_, bias_, c_, ldc_, ep);
    else
      sgemm_tile_sse2(k, a_, lda_, b_, bias_, c_, ldc_, ep);
  };
  // Only the last tile of rows can be short: its rows, padded with zero rows, are copied once
  // (not once per panel), so that the kernel reads only real memory.
  const std::int64_t full_rows = m / mr * mr;
  std::vector<float> edge_a, edge_c(static_cast<std::size_t>(mr * nr));
  if (full_rows < m) {
    edge_a.assign(static_cast<std::size_t>(mr * k), 0.0f);
    for (std::int64_t i = full_rows; i < m; ++i)
      std::copy(a + i * lda, a + i * lda + k, edge_a.data() + (i - full_rows) * k);
  }
  for (std::int64_t r0 = 0; r0 < m; r0 += chunk) {
    const std::int64_t r1 = std::min(m, r0 + chunk);
    for (std::int64_t q = 0; q < panels; ++q) {
      const std::int64_t c0 = q * nr, w = std::min(nr, n - c0);
      const float* bq = panels_b + q * k * nr;
      const float* biasq = bias + c0;
      for (std::int64_t r = r0; r < r1; r += mr) {
        const std::int64_t h = std::min(mr, m - r);
        if (h == mr && w == nr) {
          tile(a + r * lda, lda, bq, biasq, c + r * ldc + c0, ldc);
          continue;
        }
        if (h < mr)
          tile(edge_a.data(), k, bq, biasq, edge_c.data(), nr);
        else
          tile(a + r * lda, lda, bq, biasq, edge_c.data(), nr);
        for (std::int64_t i = 0; i < h; ++i)
          std::copy(edge_c.data() + i * nr, edge_c.data() + i * nr + w, c + (r + i) * ldc + c0);
      }
    }
  }
#else
  (void)path, (void)m, (void)k, (void)n, (void)a, (void)lda, (void)panels_b, (void)bias, (void)c, (void)ldc, (void)ep;
#endif
}

}  // namespace disfer::detail
