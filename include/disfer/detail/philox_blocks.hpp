#pragma once
/// \file
/// Many Philox4x32-10 blocks at once: the same words as disfer::philox_stream::block (Random123's
/// philox4x32_R(10, ...)), computed several blocks side by side so that the ten dependent rounds of
/// one block no longer serialise on the multiplier's latency. Paths: portable (Random123 block by
/// block, any compiler and CPU), SSE2 (4 blocks), AVX2 (8 blocks) and AVX-512F (16 blocks) on
/// x86-64 with GCC or Clang, chosen at run time by CPUID. Philox uses integer multiplication, xor
/// and addition only, so every path gives exactly the same words (tested block by block against
/// Random123 on every path the CPU supports, and through the kernels' committed digests).
///
/// Lane layout of the x86 paths: each 32-bit counter word of a block sits in the low half of a
/// 64-bit slot (the xor with the previous word and the key is computed off the multiplier's path), so `pmuludq`
/// (_mm*_mul_epu32) yields both halves of the 32x32 -> 64 product in place: lo = the low half (the high half is ignored
/// by the next multiplication), hi = slot >> 32.

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "disfer/core/random.hpp"

#include "disfer/detail/simd_dispatch.hpp"

// The ten rounds unrolled (GCC does not by itself).
#if defined(__clang__)
#define DISFER_PHILOX_UNROLL _Pragma("clang loop unroll(full)")
#elif defined(__GNUC__)
#define DISFER_PHILOX_UNROLL _Pragma("GCC unroll 10")
#else
#define DISFER_PHILOX_UNROLL
#endif

namespace disfer {
namespace detail {

/// The key and the constant counter words of one stream (stream version 1 layout, as
/// philox_stream): key = (seed low, seed high), counter = (block, purpose, item low, item high).
struct philox_coords {
  std::uint32_t k0, k1, purpose, item_lo, item_hi;
};

inline philox_coords philox_coords_of(const stream_key& key) noexcept {
  return {static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32), key.purpose,
          static_cast<std::uint32_t>(key.item), static_cast<std::uint32_t>(key.item >> 32)};
}

inline constexpr std::uint32_t philox_m0 = 0xD2511F53u, philox_m1 = 0xCD9E8D57u;  // Random123's multipliers
inline constexpr std::uint32_t philox_w0 = 0x9E3779B9u, philox_w1 = 0xBB67AE85u;  // and Weyl key increments

/// Portable path: Random123 one block at a time (other CPUs and compilers; on x86-64 GCC turned
/// an 8-lane plain-C++ version into slower code than this).
inline void philox_blocks_portable(const philox_coords& c, std::uint32_t first, std::size_t nblocks,
                                   std::uint32_t* out) noexcept {
  for (std::size_t b = 0; b < nblocks; ++b) {
    const auto w =
        philox4x32_10({first + static_cast<std::uint32_t>(b), c.purpose, c.item_lo, c.item_hi}, {c.k0, c.k1});
    std::memcpy(out + 4 * b, w.data(), sizeof w);
  }
}

#if DISFER_SIMD_X86

/// SSE2 path (x86-64 baseline): 4 blocks per iteration, 2 per register.
inline void philox_blocks_sse2(const philox_coords& c, std::uint32_t first, std::size_t nblocks,
                               std::uint32_t* out) noexcept {
  const __m128i m0 = _mm_set1_epi64x(philox_m0), m1 = _mm_set1_epi64x(philox_m1);
  const __m128i w0 = _mm_set1_epi32(static_cast<int>(philox_w0)), w1 = _mm_set1_epi32(static_cast<int>(philox_w1));
  const __m128i pu = _mm_set1_epi32(static_cast<int>(c.purpose));
  const __m128i il = _mm_set1_epi32(static_cast<int>(c.item_lo)), ih = _mm_set1_epi32(static_cast<int>(c.item_hi));
  for (std::size_t b = 0; b < nblocks; b += 4) {
    const std::uint32_t base = first + static_cast<std::uint32_t>(b);
    __m128i a0 = _mm_set_epi32(0, static_cast<int>(base + 1), 0, static_cast<int>(base));
    __m128i b0 = _mm_set_epi32(0, static_cast<int>(base + 3), 0, static_cast<int>(base + 2));
    __m128i a1 = pu, b1 = pu, a2 = il, b2 = il, a3 = ih, b3 = ih;
    __m128i k0 = _mm_set1_epi32(static_cast<int>(c.k0)), k1 = _mm_set1_epi32(static_cast<int>(c.k1));
    DISFER_PHILOX_UNROLL
    for (int r = 0; r < 10; ++r) {
      if (r != 0) {
        k0 = _mm_add_epi32(k0, w0);
        k1 = _mm_add_epi32(k1, w1);
      }
      const __m128i pa0 = _mm_mul_epu32(a0, m0), pa2 = _mm_mul_epu32(a2, m1);
      const __m128i pb0 = _mm_mul_epu32(b0, m0), pb2 = _mm_mul_epu32(b2, m1);
      a0 = _mm_xor_si128(_mm_srli_epi64(pa2, 32), _mm_xor_si128(a1, k0));
      a2 = _mm_xor_si128(_mm_srli_epi64(pa0, 32), _mm_xor_si128(a3, k1));
      b0 = _mm_xor_si128(_mm_srli_epi64(pb2, 32), _mm_xor_si128(b1, k0));
      b2 = _mm_xor_si128(_mm_srli_epi64(pb0, 32), _mm_xor_si128(b3, k1));
      a1 = pa2;
      a3 = pa0;
      b1 = pb2;
      b3 = pb0;
    }
    __m128i blk[4];
    blk[0] = _mm_unpacklo_epi64(_mm_unpacklo_epi32(a0, a1), _mm_unpacklo_epi32(a2, a3));
    blk[1] = _mm_unpacklo_epi64(_mm_unpackhi_epi32(a0, a1), _mm_unpackhi_epi32(a2, a3));
    blk[2] = _mm_unpacklo_epi64(_mm_unpacklo_epi32(b0, b1), _mm_unpacklo_epi32(b2, b3));
    blk[3] = _mm_unpacklo_epi64(_mm_unpackhi_epi32(b0, b1), _mm_unpackhi_epi32(b2, b3));
    if (nblocks - b >= 4) {
      for (int j = 0; j < 4; ++j) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * (b + j)), blk[j]);
    } else {
      std::memcpy(out + 4 * b, blk, 16 * (nblocks - b));
    }
  }
}

/// AVX2 path: 8 blocks per iteration, 4 per register.
__attribute__((target("avx2"))) inline void philox_blocks_avx2(const philox_coords& c, std::uint32_t first,
                                                               std::size_t nblocks, std::uint32_t* out) noexcept {
  const __m256i m0 = _mm256_set1_epi64x(philox_m0), m1 = _mm256_set1_epi64x(philox_m1);
  const __m256i w0 = _mm256_set1_epi32(static_cast<int>(philox_w0));
  const __m256i w1 = _mm256_set1_epi32(static_cast<int>(philox_w1));
  const __m256i pu = _mm256_set1_epi32(static_cast<int>(c.purpose));
  const __m256i il = _mm256_set1_epi32(static_cast<int>(c.item_lo));
  const __m256i ih = _mm256_set1_epi32(static_cast<int>(c.item_hi));
  const __m256i step = _mm256_set_epi64x(3, 2, 1, 0);
  for (std::size_t b = 0; b < nblocks; b += 8) {
    const std::uint32_t base = first + static_cast<std::uint32_t>(b);
    // counters as 64-bit sums: the carry into the high half is ignored by pmuludq
    __m256i a0 = _mm256_add_epi64(_mm256_set1_epi64x(base), step);
    __m256i b0 = _mm256_add_epi64(_mm256_set1_epi64x(static_cast<std::uint32_t>(base + 4)), step);
    __m256i a1 = pu, b1 = pu, a2 = il, b2 = il, a3 = ih, b3 = ih;
    __m256i k0 = _mm256_set1_epi32(static_cast<int>(c.k0)), k1 = _mm256_set1_epi32(static_cast<int>(c.k1));
    DISFER_PHILOX_UNROLL
    for (int r = 0; r < 10; ++r) {
      if (r != 0) {
        k0 = _mm256_add_epi32(k0, w0);
        k1 = _mm256_add_epi32(k1, w1);
      }
      const __m256i pa0 = _mm256_mul_epu32(a0, m0), pa2 = _mm256_mul_epu32(a2, m1);
      const __m256i pb0 = _mm256_mul_epu32(b0, m0), pb2 = _mm256_mul_epu32(b2, m1);
      a0 = _mm256_xor_si256(_mm256_srli_epi64(pa2, 32), _mm256_xor_si256(a1, k0));
      a2 = _mm256_xor_si256(_mm256_srli_epi64(pa0, 32), _mm256_xor_si256(a3, k1));
      b0 = _mm256_xor_si256(_mm256_srli_epi64(pb2, 32), _mm256_xor_si256(b1, k0));
      b2 = _mm256_xor_si256(_mm256_srli_epi64(pb0, 32), _mm256_xor_si256(b3, k1));
      a1 = pa2;
      a3 = pa0;
      b1 = pb2;
      b3 = pb0;
    }
    // per 128-bit lane: even = blocks (0, 2), odd = blocks (1, 3) of the register
    const __m256i ae = _mm256_unpacklo_epi64(_mm256_unpacklo_epi32(a0, a1), _mm256_unpacklo_epi32(a2, a3));
    const __m256i ao = _mm256_unpacklo_epi64(_mm256_unpackhi_epi32(a0, a1), _mm256_unpackhi_epi32(a2, a3));
    const __m256i be = _mm256_unpacklo_epi64(_mm256_unpacklo_epi32(b0, b1), _mm256_unpacklo_epi32(b2, b3));
    const __m256i bo = _mm256_unpacklo_epi64(_mm256_unpackhi_epi32(b0, b1), _mm256_unpackhi_epi32(b2, b3));
    __m256i blk[4];
    blk[0] = _mm256_permute2x128_si256(ae, ao, 0x20);  // blocks 0, 1
    blk[1] = _mm256_permute2x128_si256(ae, ao, 0x31);  // blocks 2, 3
    blk[2] = _mm256_permute2x128_si256(be, bo, 0x20);
    blk[3] = _mm256_permute2x128_si256(be, bo, 0x31);
    if (nblocks - b >= 8) {
      for (int j = 0; j < 4; ++j) _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 4 * (b + 2 * j)), blk[j]);
    } else {
      std::memcpy(out + 4 * b, blk, 16 * (nblocks - b));
    }
  }
}

// GCC 12 warns (-Wmaybe-uninitialized) inside its own avx512fintrin.h (_mm512_undefined_epi32).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
/// AVX-512F path: 16 blocks per iteration, 8 per register.
__attribute__((target("avx512f"))) inline void philox_blocks_avx512(const philox_coords& c, std::uint32_t first,
                                                                    std::size_t nblocks, std::uint32_t* out) noexcept {
  const __m512i m0 = _mm512_set1_epi64(philox_m0), m1 = _mm512_set1_epi64(philox_m1);
  const __m512i w0 = _mm512_set1_epi32(static_cast<int>(philox_w0));
  const __m512i w1 = _mm512_set1_epi32(static_cast<int>(philox_w1));
  const __m512i pu = _mm512_set1_epi32(static_cast<int>(c.purpose));
  const __m512i il = _mm512_set1_epi32(static_cast<int>(c.item_lo));
  const __m512i ih = _mm512_set1_epi32(static_cast<int>(c.item_hi));
  const __m512i step = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i lo_idx = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
  const __m512i hi_idx = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
  for (std::size_t b = 0; b < nblocks; b += 16) {
    const std::uint32_t base = first + static_cast<std::uint32_t>(b);
    __m512i a0 = _mm512_add_epi64(_mm512_set1_epi64(base), step);
    __m512i b0 = _mm512_add_epi64(_mm512_set1_epi64(static_cast<std::uint32_t>(base + 8)), step);
    __m512i a1 = pu, b1 = pu, a2 = il, b2 = il, a3 = ih, b3 = ih;
    __m512i k0 = _mm512_set1_epi32(static_cast<int>(c.k0)), k1 = _mm512_set1_epi32(static_cast<int>(c.k1));
    DISFER_PHILOX_UNROLL
    for (int r = 0; r < 10; ++r) {
      if (r != 0) {
        k0 = _mm512_add_epi32(k0, w0);
        k1 = _mm512_add_epi32(k1, w1);
      }
      const __m512i pa0 = _mm512_mul_epu32(a0, m0), pa2 = _mm512_mul_epu32(a2, m1);
      const __m512i pb0 = _mm512_mul_epu32(b0, m0), pb2 = _mm512_mul_epu32(b2, m1);
      a0 = _mm512_xor_si512(_mm512_srli_epi64(pa2, 32), _mm512_xor_si512(a1, k0));
      a2 = _mm512_xor_si512(_mm512_srli_epi64(pa0, 32), _mm512_xor_si512(a3, k1));
      b0 = _mm512_xor_si512(_mm512_srli_epi64(pb2, 32), _mm512_xor_si512(b1, k0));
      b2 = _mm512_xor_si512(_mm512_srli_epi64(pb0, 32), _mm512_xor_si512(b3, k1));
      a1 = pa2;
      a3 = pa0;
      b1 = pb2;
      b3 = pb0;
    }
    // per 128-bit lane q: even = block 2q, odd = block 2q + 1 of the register
    const __m512i ae = _mm512_unpacklo_epi64(_mm512_unpacklo_epi32(a0, a1), _mm512_unpacklo_epi32(a2, a3));
    const __m512i ao = _mm512_unpacklo_epi64(_mm512_unpackhi_epi32(a0, a1), _mm512_unpackhi_epi32(a2, a3));
    const __m512i be = _mm512_unpacklo_epi64(_mm512_unpacklo_epi32(b0, b1), _mm512_unpacklo_epi32(b2, b3));
    const __m512i bo = _mm512_unpacklo_epi64(_mm512_unpackhi_epi32(b0, b1), _mm512_unpackhi_epi32(b2, b3));
    __m512i blk[4];
    blk[0] = _mm512_permutex2var_epi64(ae, lo_idx, ao);  // blocks 0-3
    blk[1] = _mm512_permutex2var_epi64(ae, hi_idx, ao);  // blocks 4-7
    blk[2] = _mm512_permutex2var_epi64(be, lo_idx, bo);
    blk[3] = _mm512_permutex2var_epi64(be, hi_idx, bo);
    if (nblocks - b >= 16) {
      for (int j = 0; j < 4; ++j) _mm512_storeu_si512(out + 4 * (b + 4 * j), blk[j]);
    } else {
      std::memcpy(out + 4 * b, blk, 16 * (nblocks - b));
    }
  }
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // DISFER_SIMD_X86

/// Blocks first .. first + nblocks - 1 of the stream `c`, 4 words each, into out[0 .. 4 nblocks),
/// by `path` (automatic: the forced path if any, else the best one; a path the CPU lacks falls back
/// to portable). Precondition: first + nblocks <= 2^32. Same words as philox_stream::block.
inline void philox_blocks(const philox_coords& c, std::uint32_t first, std::size_t nblocks, std::uint32_t* out,
                          simd_path path = simd_path::automatic) noexcept {
  switch (simd_resolve(path)) {
#if DISFER_SIMD_X86
    case simd_path::avx512:
      philox_blocks_avx512(c, first, nblocks, out);
      return;
    case simd_path::avx2:
      philox_blocks_avx2(c, first, nblocks, out);
      return;
    case simd_path::sse2:
      philox_blocks_sse2(c, first, nblocks, out);
      return;
#endif
    default:
      philox_blocks_portable(c, first, nblocks, out);
  }
}

/// Calls f(first_word, words, count) for consecutive chunks of the first n words of stream `key`
/// (word i = word i % 4 of block i / 4), generated in blocks of a few KB on the stack.
/// Precondition: n <= 2^34.
template <class F>
void for_each_philox_chunk(const stream_key& key, std::size_t n, F&& f) {
  constexpr std::size_t chunk_blocks = 256;
  alignas(64) std::uint32_t words[4 * chunk_blocks];
  const philox_coords c = philox_coords_of(key);
  for (std::size_t i = 0; i < n; i += 4 * chunk_blocks) {
    const std::size_t count = n - i < 4 * chunk_blocks ? n - i : 4 * chunk_blocks;
    philox_blocks(c, static_cast<std::uint32_t>(i / 4), (count + 3) / 4, words);
    f(i, static_cast<const std::uint32_t*>(words), count);
  }
}

}  // namespace detail
}  // namespace disfer
