#pragma once
/// \file
/// The uint8 fixed-point kernels behind disfer::gaussian_blur (disfer/image/gaussian_blur.hpp sets
/// up the plan and picks the kernel): one source for 16- and 32-byte vectors, and an AVX-512BW
/// one. All compute OpenCV's fixed-point blur exactly, so the bytes never depend on the path.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "disfer/detail/simd_dispatch.hpp"

namespace disfer {
namespace detail {

#if defined(__GNUC__) && (defined(__clang__) || __GNUC__ >= 9)
// GCC/Clang vector extensions: portable SIMD (SSE2, AVX2, NEON, ...) chosen by the compiler.
#define DISFER_VECTOR_EXTENSIONS 1
#else
#define DISFER_VECTOR_EXTENSIONS 0
#endif

/// Buffers of blur_fixed_point_u8, kept per thread and reused (they only grow), so that blurring
/// many small images allocates nothing but the outputs.
struct blur_u8_scratch {
  std::vector<std::ptrdiff_t> mx, my, tag;
  std::vector<std::uint16_t> pad, hw;
  std::vector<std::size_t> ht, hoff;
  std::vector<std::uint8_t> line, pad8;
  std::vector<float> ring, crow, weights;
  std::vector<const float*> rows_a, rows_b;
};

inline blur_u8_scratch& blur_u8_buffers() {
  thread_local blur_u8_scratch s;
  return s;
}

/// Everything one call of the uint8 fixed-point blur needs besides the pixels.
struct blur_u8_plan {
  std::size_t height, width, channels, row, n, r, stride, slots;
  const std::uint32_t* k;    // the n taps
  const std::size_t* ht;     // nonzero symmetric pairs of the horizontal pass: taps ht[j], n-1-ht[j]
  const std::uint16_t* hw;   // and their weight
  std::size_t m;             // number of such pairs
  std::uint16_t wc;          // centre weight
  const std::ptrdiff_t* mx;  // border maps (-1 = the constant)
  const std::ptrdiff_t* my;
  std::uint16_t cval;
};

/// OpenCV's 8-bit fixed-point blur, exact in integers (kernel k symmetric, sum 256), on vectors of
/// VB bytes (16: SSE2/NEON/generic; 32: AVX2). Every path gives the same bytes:
/// Rows: a source row extended by its border into `pad` (u16); h = sum_t k_t pad[x + t], mirrored
/// taps added first, computed modulo 2^16 (exact: the result is at most 255 * 256). Columns:
/// acc = sum_t k_t h[row_t] with every term and partial sum an integer below 2^24, so float
/// arithmetic is exact (with or without FMA, in any lane width); out = (acc + 2^15) >> 16, OpenCV's
/// single round-half-up. Horizontal rows live in a ring of `taps` rows (slot = row % taps; the
/// rows one output row needs lie in a window narrower than the ring, so they never collide). Zero
/// taps are skipped. Rows are processed in blocks of VB columns; buffers have a stride rounded up
/// to VB and slack, and the extra columns (computed from zeros) are never stored in the output.
#if DISFER_VECTOR_EXTENSIONS
/// Vector types of blur_u8_kernel for VB-byte vectors (vf_of_u16: as many floats as vu16 has
/// lanes; vi32_all and vu8_all: one block of VB outputs).
template <std::size_t VB>
struct blur_vectors;
template <>
struct blur_vectors<16> {
  typedef std::uint16_t vu16 __attribute__((vector_size(16)));
  typedef float vf __attribute__((vector_size(16)));
  typedef std::int32_t vi32 __attribute__((vector_size(16)));
  typedef float vf_of_u16 __attribute__((vector_size(32)));
  typedef std::int32_t vi32_all __attribute__((vector_size(64)));
  typedef std::uint8_t vu8_all __attribute__((vector_size(16)));
};
template <>
struct blur_vectors<32> {
  typedef std::uint16_t vu16 __attribute__((vector_size(32)));
  typedef float vf __attribute__((vector_size(32)));
  typedef std::int32_t vi32 __attribute__((vector_size(32)));
  typedef float vf_of_u16 __attribute__((vector_size(64)));
  typedef std::int32_t vi32_all __attribute__((vector_size(128)));
  typedef std::uint8_t vu8_all __attribute__((vector_size(32)));
};
#endif

template <std::size_t VB>
struct blur_u8_kernel {
  static constexpr std::size_t lanes = VB;
#if DISFER_VECTOR_EXTENSIONS
  using vu16 = typename blur_vectors<VB>::vu16;
  using vf = typename blur_vectors<VB>::vf;
  using vi32 = typename blur_vectors<VB>::vi32;
  using vf_of_u16 = typename blur_vectors<VB>::vf_of_u16;
  using vi32_all = typename blur_vectors<VB>::vi32_all;
  using vu8_all = typename blur_vectors<VB>::vu8_all;
#endif

  static DISFER_ALWAYS_INLINE void horizontal(const std::uint8_t* s, float* out, const blur_u8_plan& p,
                                              std::uint16_t* pad) {
    const std::size_t n = p.n, r = p.r, W = p.width, C = p.channels, row = p.row;
    if (C == 1) {
      for (std::size_t q = 0; q < r && q < W + n - 1; ++q) pad[q] = p.mx[q] < 0 ? p.cval : s[p.mx[q]];
      for (std::size_t x = 0; x < W; ++x) pad[r + x] = s[x];
      for (std::size_t q = r + W; q < W + n - 1; ++q) pad[q] = p.mx[q] < 0 ? p.cval : s[p.mx[q]];
    } else {
      for (std::size_t q = 0; q + 1 < W + n; ++q) {
        const std::ptrdiff_t mq = p.mx[q];
        for (std::size_t c = 0; c < C; ++c) pad[q * C + c] = mq < 0 ? p.cval : s[static_cast<std::size_t>(mq) * C + c];
      }
    }
    const std::uint16_t* centre = pad + r * C;
    std::size_t i0 = 0;
#if DISFER_VECTOR_EXTENSIONS
    constexpr std::size_t per = VB / 2;  // u16 lanes of one vector; two vectors per block
    const vu16 wcv = vu16{} + p.wc;
    for (; i0 < row; i0 += lanes) {  // columns kept in registers across all taps
      vu16 h[2];
      for (std::size_t q = 0; q < 2; ++q) {
        vu16 c;
        std::memcpy(&c, centre + i0 + per * q, VB);
        h[q] = wcv * c;
      }
      for (std::size_t j = 0; j < p.m; ++j) {
        const vu16 w = vu16{} + p.hw[j];
        const std::uint16_t* a = pad + p.ht[j] * C + i0;
        const std::uint16_t* b = pad + (n - 1 - p.ht[j]) * C + i0;
        for (std::size_t q = 0; q < 2; ++q) {
          vu16 x, y;
          std::memcpy(&x, a + per * q, VB);
          std::memcpy(&y, b + per * q, VB);
          h[q] += w * (x + y);
        }
      }
      for (std::size_t q = 0; q < 2; ++q) {
        const vf_of_u16 f = __builtin_convertvector(h[q], vf_of_u16);
        std::memcpy(out + i0 + per * q, &f, sizeof f);
      }
    }
#endif
    for (std::size_t i = i0; i < row; ++i) {
      auto h = static_cast<std::uint16_t>(p.wc * centre[i]);
      for (std::size_t j = 0; j < p.m; ++j)
        h = static_cast<std::uint16_t>(h + p.hw[j] * (pad[p.ht[j] * C + i] + pad[(n - 1 - p.ht[j]) * C + i]));
      out[i] = static_cast<float>(h);
    }
  }

#if DISFER_VECTOR_EXTENSIONS
  // Four vectors of int32 in [0, 255] to VB bytes, in order (GCC would otherwise narrow
  // __builtin_convertvector through the stack byte by byte). 16 bytes on x86: SSE2 saturating
  // packs (exact for these values). 32 bytes: w = v0 | v1 << 8 | v2 << 16 | v3 << 24 puts
  // column 8q + j at byte 4j + q (little-endian), then one constant byte shuffle restores the order.
  static DISFER_ALWAYS_INLINE void narrow(const vi32* v, std::uint8_t* out) {
#if DISFER_SIMD_X86
    if constexpr (VB == 16) {
      __m128i x[4];
      std::memcpy(x, v, sizeof x);
      const __m128i b = _mm_packus_epi16(_mm_packs_epi32(x[0], x[1]), _mm_packs_epi32(x[2], x[3]));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), b);
      return;
    }
#endif
#if (defined(__clang__) || __GNUC__ >= 12) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if constexpr (VB == 32) {
      const vi32 w = v[0] | (v[1] << 8) | (v[2] << 16) | (v[3] << 24);
      vu8_all b;
      std::memcpy(&b, &w, sizeof b);
      const vu8_all r = __builtin_shufflevector(b, b, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29, 2, 6,
                                                10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
      std::memcpy(out, &r, sizeof r);
      return;
    }
#endif
    vi32_all all;
    std::memcpy(&all, v, sizeof all);
    const vu8_all bytes = __builtin_convertvector(all, vu8_all);
    std::memcpy(out, &bytes, sizeof bytes);
  }
#endif

  static DISFER_ALWAYS_INLINE void vertical(const float* centre, const float* const* ra, const float* const* rb,
                                            const float* weights, std::size_t mv, float wcf, std::uint8_t* o,
                                            std::uint8_t* line, std::size_t row) {
    std::size_t i0 = 0;
#if DISFER_VECTOR_EXTENSIONS
    constexpr std::size_t per = VB / 4;  // float lanes of one vector; four vectors per block
    const vf wcv = vf{} + wcf, half = vf{} + 32768.0f;
    for (; i0 < row; i0 += lanes) {  // columns kept in registers across all taps
      vf a[4];
      for (std::size_t q = 0; q < 4; ++q) {
        vf c;
        std::memcpy(&c, centre + i0 + per * q, VB);
        a[q] = wcv * c;
      }
      for (std::size_t j = 0; j < mv; ++j) {
        const vf w = vf{} + weights[j];
        for (std::size_t q = 0; q < 4; ++q) {
          vf x, y;
          std::memcpy(&x, ra[j] + i0 + per * q, VB);
          std::memcpy(&y, rb[j] + i0 + per * q, VB);
          a[q] += w * (x + y);
        }
      }
      // (acc + 2^15) >> 16 is at most 255: narrowing to bytes needs no clamp
      vi32 v[4];
      for (std::size_t q = 0; q < 4; ++q) v[q] = __builtin_convertvector(a[q] + half, vi32) >> 16;
      narrow(v, line + i0);
    }
    std::memcpy(o, line, row);
#endif
    for (std::size_t i = i0; i < row; ++i) {
      float a = wcf * centre[i];
      for (std::size_t j = 0; j < mv; ++j) a += weights[j] * (ra[j][i] + rb[j][i]);
      const std::int32_t v = static_cast<std::int32_t>(a + 32768.0f) >> 16;
      o[i] = static_cast<std::uint8_t>(v > 255 ? 255 : v);
    }
  }

  // The horizontally filtered source row e (or the constant row for e < 0), from the ring.
  static DISFER_ALWAYS_INLINE const float* source_row(std::ptrdiff_t e, const std::uint8_t* src, const blur_u8_plan& p,
                                                      blur_u8_scratch& sc) {
    if (e < 0) return sc.crow.data();
    const std::size_t slot = static_cast<std::size_t>(e) % p.slots;
    float* q = sc.ring.data() + slot * p.stride;
    if (sc.tag[slot] != e) {
      horizontal(src + static_cast<std::size_t>(e) * p.row, q, p, sc.pad.data());
      sc.tag[slot] = e;
    }
    return q;
  }

  static DISFER_ALWAYS_INLINE void run(const std::uint8_t* src, std::uint8_t* dst, const blur_u8_plan& p,
                                       blur_u8_scratch& sc) {
    const std::size_t n = p.n, r = p.r, row = p.row;
    std::fill(sc.tag.begin(), sc.tag.end(), std::ptrdiff_t{-1});
    for (std::size_t y = 0; y < p.height; ++y) {
      std::size_t mv = 0;  // symmetric pairs with nonzero weight, then the centre
      for (std::size_t t = 0; t < r; ++t) {
        if (p.k[t] == 0) continue;
        sc.weights[mv] = static_cast<float>(p.k[t]);
        sc.rows_a[mv] = source_row(p.my[y + t], src, p, sc);
        sc.rows_b[mv] = source_row(p.my[y + n - 1 - t], src, p, sc);
        ++mv;
      }
      const float* centre = source_row(p.my[y + r], src, p, sc);
      vertical(centre, sc.rows_a.data(), sc.rows_b.data(), sc.weights.data(), mv, static_cast<float>(p.k[r]),
               dst + y * row, sc.line.data(), row);
    }
  }
};

inline void blur_u8_generic(const std::uint8_t* src, std::uint8_t* dst, const blur_u8_plan& p, blur_u8_scratch& sc) {
  blur_u8_kernel<16>::run(src, dst, p, sc);
}

#if DISFER_SIMD_X86 && DISFER_VECTOR_EXTENSIONS
__attribute__((target("avx2"))) inline void blur_u8_avx2(const std::uint8_t* src, std::uint8_t* dst,
                                                         const blur_u8_plan& p, blur_u8_scratch& sc) {
  blur_u8_kernel<32>::run(src, dst, p, sc);
}
#endif

#if DISFER_SIMD_X86 && DISFER_VECTOR_EXTENSIONS
// GCC 12 warns (-Wmaybe-uninitialized) inside its own avx512fintrin.h (_mm512_undefined_epi32).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#define DISFER_AVX512BW_TARGET __attribute__((target("avx512f,avx512bw,fma")))

/// The AVX-512BW kernel: blur_u8_kernel's arithmetic (u16 rows; column sums of integers below
/// 2^24 in float, exact with FMA too), hence the same bytes, on 64-byte vectors and arranged for
/// wide images: column strips whose ring of filtered rows stays in L1 (blur_u8_avx512_strip),
/// source rows read in place except near the borders, and two output rows per column pass (they
/// share all but two source rows, which nearly halves its loads). OpenCV computes the same sums
/// in fixed point (imgproc/src/smooth.simd.hpp, hlineSmooth / vlineSmooth).
struct blur_u8_avx512 {
  // 32 bytes widened to u16; 16 u16 stored as floats.
  DISFER_AVX512BW_TARGET DISFER_ALWAYS_INLINE static __m512i load(const std::uint8_t* a) {
    return _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a)));
  }
  DISFER_AVX512BW_TARGET DISFER_ALWAYS_INLINE static void store(float* o, __m256i v) {
    _mm512_storeu_ps(o, _mm512_cvtepi32_ps(_mm512_cvtepu16_epi32(v)));
  }

  // Elements [from, to) of source row s extended by its border (positions past the border, which
  // only reach outputs that are never stored, get 0) into out[e - lo].
  DISFER_AVX512BW_TARGET static void extend(const std::uint8_t* s, std::ptrdiff_t from, std::ptrdiff_t to,
                                            std::ptrdiff_t lo, const blur_u8_plan& p, std::uint8_t* out) {
    const auto C = static_cast<std::ptrdiff_t>(p.channels), row = static_cast<std::ptrdiff_t>(p.row);
    const auto rc = static_cast<std::ptrdiff_t>(p.r) * C;
    const auto border = [&](std::ptrdiff_t e) {
      const std::ptrdiff_t px = e >= 0 ? e / C : -((-e + C - 1) / C), m = p.mx[px + static_cast<std::ptrdiff_t>(p.r)];
      return m < 0 ? static_cast<std::uint8_t>(p.cval) : s[m * C + (e - px * C)];
    };
    std::ptrdiff_t e = from;
    for (; e < to && e < 0; ++e) out[e - lo] = border(e);
    for (; e < to && e < row; e += 64) {  // masked: never reads past the row
      const std::ptrdiff_t k = std::min<std::ptrdiff_t>(64, std::min(to, row) - e);
      const __mmask64 m = k == 64 ? ~__mmask64{0} : (__mmask64{1} << k) - 1;
      _mm512_mask_storeu_epi8(out + (e - lo), m, _mm512_maskz_loadu_epi8(m, s + e));
      if (k < 64) e = e + k - 64;
    }
    for (; e < to && e < row + rc; ++e) out[e - lo] = border(e);
    if (e < to) std::memset(out + (e - lo), 0, static_cast<std::size_t>(to - e));
  }

  // h of `count` elements (a multiple of 64) from x0 on, as floats: blocks whose taps lie inside
  // the row read the source, the others `ext` (the extended elements from lo on, filled here).
  // off[2j], off[2j + 1]: byte offsets of pair j (weight p.hw[j]).
  DISFER_AVX512BW_TARGET static void horizontal(const std::uint8_t* s, std::uint8_t* ext, std::size_t x0,
                                                std::size_t count, const blur_u8_plan& p, const std::size_t* off,
                                                float* out) {
    const auto rc = static_cast<std::ptrdiff_t>(p.r * p.channels), row = static_cast<std::ptrdiff_t>(p.row);
    const std::ptrdiff_t lo = static_cast<std::ptrdiff_t>(x0) - rc, span = 64 + 2 * rc;
    std::ptrdiff_t filled = lo;  // ext holds [lo, filled)
    const __m512i wc = _mm512_set1_epi16(static_cast<short>(p.wc));
    for (std::size_t i = 0; i < count; i += 64) {
      const std::ptrdiff_t start = lo + static_cast<std::ptrdiff_t>(i);
      const std::uint8_t* x;
      if (start >= 0 && start + span <= row) {
        x = s + start;
      } else {
        extend(s, std::max(start, filled), start + span, lo, p, ext);
        filled = start + span;
        x = ext + (start - lo);
      }
      const std::uint8_t* c = x + rc;
      __m512i h0 = _mm512_mullo_epi16(wc, load(c)), h1 = _mm512_mullo_epi16(wc, load(c + 32));
      for (std::size_t j = 0; j < p.m; ++j) {
        const __m512i w = _mm512_set1_epi16(static_cast<short>(p.hw[j]));
        const std::uint8_t* a = x + off[2 * j];
        const std::uint8_t* b = x + off[2 * j + 1];
        h0 = _mm512_add_epi16(h0, _mm512_mullo_epi16(w, _mm512_add_epi16(load(a), load(b))));
        h1 = _mm512_add_epi16(h1, _mm512_mullo_epi16(w, _mm512_add_epi16(load(a + 32), load(b + 32))));
      }
      store(out + i, _mm512_castsi512_si256(h0));
      store(out + i + 16, _mm512_extracti64x4_epi64(h0, 1));
      store(out + i + 32, _mm512_castsi512_si256(h1));
      store(out + i + 48, _mm512_extracti64x4_epi64(h1, 1));
    }
  }

  // 16 outputs (acc + 2^15) >> 16 to bytes.
  DISFER_AVX512BW_TARGET static __m128i to_bytes(__m512 acc) {
    return _mm512_cvtepi32_epi8(
        _mm512_srli_epi32(_mm512_cvttps_epi32(_mm512_add_ps(acc, _mm512_set1_ps(32768.0f))), 16));
  }

  // Output rows y (o0) and y + 1 (o1) from the filtered rows S[t] = row y - r + t, t = t0..n:
  // walking t up, rows t + 1 and n - 1 - t are loaded once and serve both outputs.
  DISFER_AVX512BW_TARGET static void vertical2(const float* const* S, std::size_t t0, const float* kf,
                                               const blur_u8_plan& p, std::uint8_t* o0, std::uint8_t* o1,
                                               std::uint8_t* line, std::size_t count) {
    const std::size_t n = p.n, r = p.r;
    for (std::size_t i = 0; i < count; i += 32) {
      __m512 a0[2], a1[2], lo[2], hi[2];
      for (std::size_t q = 0; q < 2; ++q) {
        a0[q] = a1[q] = _mm512_setzero_ps();
        lo[q] = _mm512_loadu_ps(S[t0] + i + 16 * q);
        hi[q] = _mm512_loadu_ps(S[n - t0] + i + 16 * q);
      }
      for (std::size_t t = t0; t < r; ++t) {  // lo = S[t], hi = S[n - t]
        const __m512 w = _mm512_set1_ps(kf[t]);
        const float* up = S[t + 1] + i;
        const float* down = S[n - 1 - t] + i;
        for (std::size_t q = 0; q < 2; ++q) {
          const __m512 u = _mm512_loadu_ps(up + 16 * q), d = _mm512_loadu_ps(down + 16 * q);
          a0[q] = _mm512_fmadd_ps(w, _mm512_add_ps(lo[q], d), a0[q]);
          a1[q] = _mm512_fmadd_ps(w, _mm512_add_ps(u, hi[q]), a1[q]);
          lo[q] = u;
          hi[q] = d;
        }
      }
      const __m512 wc = _mm512_set1_ps(kf[r]);
      const bool full = i + 32 <= count;
      std::uint8_t* d0 = full ? o0 + i : line;
      std::uint8_t* d1 = full ? o1 + i : line + 32;
      for (std::size_t q = 0; q < 2; ++q) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(d0 + 16 * q), to_bytes(_mm512_fmadd_ps(wc, lo[q], a0[q])));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(d1 + 16 * q), to_bytes(_mm512_fmadd_ps(wc, hi[q], a1[q])));
      }
      if (!full) {
        std::memcpy(o0 + i, line, count - i);
        std::memcpy(o1 + i, line + 32, count - i);
      }
    }
  }

  // One output row from the nonzero pairs (blur_u8_kernel::vertical's arguments).
  DISFER_AVX512BW_TARGET static void vertical(const float* centre, const float* const* ra, const float* const* rb,
                                              const float* weights, std::size_t mv, float wcf, std::uint8_t* o,
                                              std::uint8_t* line, std::size_t count) {
    for (std::size_t i = 0; i < count; i += 32) {
      __m512 a[2];
      for (std::size_t q = 0; q < 2; ++q)
        a[q] = _mm512_mul_ps(_mm512_set1_ps(wcf), _mm512_loadu_ps(centre + i + 16 * q));
      for (std::size_t j = 0; j < mv; ++j) {
        const __m512 w = _mm512_set1_ps(weights[j]);
        for (std::size_t q = 0; q < 2; ++q)
          a[q] = _mm512_fmadd_ps(
              w, _mm512_add_ps(_mm512_loadu_ps(ra[j] + i + 16 * q), _mm512_loadu_ps(rb[j] + i + 16 * q)), a[q]);
      }
      std::uint8_t* d = i + 32 <= count ? o + i : line;
      for (std::size_t q = 0; q < 2; ++q) _mm_storeu_si128(reinterpret_cast<__m128i*>(d + 16 * q), to_bytes(a[q]));
      if (d == line) std::memcpy(o + i, line, count - i);
    }
  }

  DISFER_AVX512BW_TARGET static void run(const std::uint8_t* src, std::uint8_t* dst, const blur_u8_plan& p,
                                         blur_u8_scratch& sc, std::size_t strip) {
    const std::size_t n = p.n, r = p.r, row = p.row;
    std::size_t t0 = 0;  // outermost nonzero tap
    while (t0 < r && p.k[t0] == 0) ++t0;
    const float** S = sc.rows_a.data();
    float* const kf = sc.weights.data();  // the taps as floats
    for (std::size_t t = 0; t <= r; ++t) kf[t] = static_cast<float>(p.k[t]);
    sc.hoff.resize(2 * p.m);
    std::size_t* off = sc.hoff.data();  // byte offsets of the horizontal pairs
    for (std::size_t j = 0; j < p.m; ++j) {
      off[2 * j] = p.ht[j] * p.channels;
      off[2 * j + 1] = (n - 1 - p.ht[j]) * p.channels;
    }
    // rows on 64-byte boundaries: a split load costs two (the buffers have 16 floats of slack)
    const auto align = [](float* f) {
      return f + (64 - reinterpret_cast<std::uintptr_t>(f) % 64) % 64 / sizeof(float);
    };
    float* const ring = align(sc.ring.data());
    const float* const crow = align(sc.crow.data());
    for (std::size_t x0 = 0; x0 < row; x0 += strip) {
      const std::size_t count = std::min(strip, row - x0), padded = (count + 63) / 64 * 64;
      std::fill(sc.tag.begin(), sc.tag.end(), std::ptrdiff_t{-1});
      const auto source_row = [&](std::ptrdiff_t e) -> const float* {
        if (e < 0) return crow;
        const std::size_t slot = static_cast<std::size_t>(e) % p.slots;
        float* q = ring + slot * p.stride;
        if (sc.tag[slot] != e) {
          horizontal(src + static_cast<std::size_t>(e) * row, sc.pad8.data(), x0, padded, p, off, q);
          sc.tag[slot] = e;
        }
        return q;
      };
      std::size_t y = 0;
      for (; y + 1 < p.height; y += 2) {
        for (std::size_t t = t0; t <= n - t0; ++t) S[t] = source_row(p.my[y + t]);
        vertical2(S, t0, sc.weights.data(), p, dst + y * row + x0, dst + (y + 1) * row + x0, sc.line.data(), count);
      }
      if (y < p.height) {  // the last row of an odd height
        std::size_t mv = 0;
        for (std::size_t t = t0; t < r; ++t, ++mv) {
          S[mv] = source_row(p.my[y + t]);
          sc.rows_b[mv] = source_row(p.my[y + n - 1 - t]);
        }
        vertical(source_row(p.my[y + r]), S, sc.rows_b.data(), kf + t0, mv, kf[r], dst + y * row + x0, sc.line.data(),
                 count);
      }
    }
  }
};
#undef DISFER_AVX512BW_TARGET
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif

/// Width (elements, a multiple of 64) of blur_u8_avx512's column strips for rows of `row`
/// elements and a ring of `slots` rows: equal strips whose ring rows (floats) fit in about 20 KiB,
/// so that they stay in L1 (32 KiB on current x86 cores) with the source and output rows.
inline std::size_t blur_u8_avx512_strip(std::size_t row, std::size_t slots) {
  const std::size_t widest = std::max<std::size_t>(64, 20480 / (4 * slots) / 64 * 64);
  const std::size_t strips = (row + widest - 1) / widest;
  return ((row + strips - 1) / strips + 63) / 64 * 64;
}

/// True when the CPU has AVX-512BW (blur_u8_avx512 needs it besides AVX-512F).
inline bool blur_avx512bw() {
#if DISFER_SIMD_X86
  static const bool ok = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512bw") != 0;
  }();
  return ok;
#else
  return false;
#endif
}

}  // namespace detail
}  // namespace disfer
