#pragma once
/// \file
/// The vectorised passes of fleiss_kappa (AVX2, chosen at run time). The first: per row n_i and
/// sum_j n_ij^2, and the column totals, eight rows at a time from a column-major table. Rows whose
/// n_i equals one of two common values are summed in vector registers; every other row (the first, rows with
/// other n_i, groups with a value outside [0, 2^24), the tail) goes to the caller's scalar handler
/// in row order, so the errors and their order are those of the scalar loop. All sums are exact
/// integers: the same result on every path. The non-null SE's pass: each item's term in double,
/// summed in a fixed order of lanes and blocks that the scalar loop follows too.

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "disfer/detail/simd_dispatch.hpp"

namespace disfer {
namespace detail {

/// What the vector pass summed over the rows it kept: for each of the two common n_i (common[0],
/// common[1]; DisFER has 50 and 51 ratings), the rows with that n_i and their pairs.
struct fleiss_scan_sums {
  std::int64_t rows[2] = {0, 0};   ///< rows kept
  std::int64_t pairs[2] = {0, 0};  ///< sum over them of sum_j n_ij (n_ij - 1)
};

/// n_i and sum_j n_ij (n_ij - 1) of the row whose count in column j is value(j) (the scalar form of
/// the first pass, which every vector path falls back to).
struct fleiss_row {
  std::int64_t n = 0, pairs = 0;
};
template <class Value>
fleiss_row fleiss_row_sums(Eigen::Index k, Value&& value) {
  fleiss_row r;
  for (Eigen::Index j = 0; j < k; ++j) {
    const std::int64_t v = value(j);
    r.n += v;
    r.pairs += v * (v - 1);
  }
  return r;
}

/// The constants of the non-null SE's per-item term (fleiss_kappa, Gwet's linearisation).
struct fleiss_se_terms {
  double pe = 0, kappa = 0, inv_ope = 0, scale = 0, inv_mean_n = 0, slope = 0;
  bool mip = false, single_in_margins = true;
  const double* p = nullptr;  ///< the k category proportions

  /// The squared deviation (kappa_i* - kappa)^2 of an item with n ratings, sum_j n_ij (n_ij - 1) =
  /// pairs and sum_j n_ij p_j = dot; 0 for an item outside the margins. The vector pass computes
  /// the same operations in the same order.
  double square(std::int64_t n, std::int64_t pairs, double dot) const {
    if (n == 0 || (n == 1 && !single_in_margins)) return 0;
    const double nd = static_cast<double>(n);
    const double inv_pair = n >= 2 ? 1.0 / (nd * (nd - 1)) : 0.0;
    const double kappa_i = (scale * (static_cast<double>(pairs) * inv_pair - (n >= 2 ? pe : 0.0))) * inv_ope;
    const double w = mip ? 1.0 : nd * inv_mean_n;
    const double d = kappa_i - slope * w * (dot / nd - pe) - kappa;
    return d * d;
  }

  /// square() of the item whose count in category j is value(j), summed in the one order of every path.
  template <class Value>
  double square_of(Eigen::Index k, Value&& value) const {
    std::int64_t n = 0, pairs = 0;
    double dot = 0;
    for (Eigen::Index j = 0; j < k; ++j) {
      const std::int64_t v = value(j);
      n += v;
      pairs += v * (v - 1);
      dot += static_cast<double>(v) * p[j];
    }
    return square(n, pairs, dot);
  }
};

/// Adds the eight lanes, in order, into `acc` and clears them (the one order of every path).
template <class Sum>
void fleiss_flush_lanes(double (&lane)[8], Sum& acc) {
  double block = 0;
  for (double& l : lane) {
    block += l;
    l = 0;
  }
  acc.add(block);
}

/// Sum of fleiss_se_terms::square over rows [0, rows) in a fixed order: row i goes to lane i % 8,
/// and every 1024 rows the eight lanes are added in order into `acc` (the same order on every path).
template <class Sum, class Row>
void fleiss_se_lanes(Eigen::Index begin, Eigen::Index end, double (&lane)[8], Sum& acc, Row&& square_of) {
  for (Eigen::Index i = begin; i < end; ++i) {
    lane[i % 8] += square_of(i);
    if ((i & 1023) == 1023) fleiss_flush_lanes(lane, acc);
  }
}

#if DISFER_SIMD_X86

template <class T>
__attribute__((target("avx2"))) DISFER_ALWAYS_INLINE __m256i fleiss_load4(const T* p) {
  if constexpr (sizeof(T) == 8) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  } else {
    return _mm256_cvtepi32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
}

// The column-major passes read k columns side by side, 64 bytes of each per group: the hardware
// prefetcher alone falls 2-5x short for some column strides (10^6 rows of int64 read at 8 ms, 2x10^6
// at 1.5 ms), so each column is fetched 2 KB ahead (a hint; addresses past the table are harmless).
template <class T>
__attribute__((target("avx2"))) DISFER_ALWAYS_INLINE void fleiss_prefetch(const T* p) {
  _mm_prefetch(reinterpret_cast<const char*>(p + 2048 / sizeof(T)), _MM_HINT_T0);
}

/// The vector sums of the rows whose n_i is one of the two common values, eight rows at a time
/// (lanes 0-3 and 4-7 of n0, s0 and n1, s1: n_i and sum_j n_ij^2); shared by both layouts' scans.
struct fleiss_keep_lanes {
  __m256i pairs[2] = {}, rows[2] = {};

  /// Keeps the rows r..r+7 whose n_i is common[0] or common[1] and hands every other one to
  /// `row(i, n, pairs, true)` in row order.
  template <class Handler>
  __attribute__((target("avx2"))) DISFER_ALWAYS_INLINE void add(__m256i n0, __m256i n1, __m256i s0, __m256i s1,
                                                                const std::int64_t (&common)[2], Eigen::Index r,
                                                                Handler& row) {
    int kept = 0;
    for (int c = 0; c < 2; ++c) {
      const __m256i value = _mm256_set1_epi64x(common[c]);
      const __m256i m0 = _mm256_cmpeq_epi64(n0, value), m1 = _mm256_cmpeq_epi64(n1, value);
      pairs[c] = _mm256_add_epi64(pairs[c], _mm256_and_si256(m0, _mm256_sub_epi64(s0, n0)));
      pairs[c] = _mm256_add_epi64(pairs[c], _mm256_and_si256(m1, _mm256_sub_epi64(s1, n1)));
      rows[c] = _mm256_sub_epi64(_mm256_sub_epi64(rows[c], m0), m1);  // a kept lane is -1
      kept |= _mm256_movemask_pd(_mm256_castsi256_pd(m0)) | (_mm256_movemask_pd(_mm256_castsi256_pd(m1)) << 4);
    }
    if (kept == 0xFF) return;
    alignas(32) std::int64_t n[8], s[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(n), n0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(n + 4), n1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(s), s0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(s + 4), s1);
    for (int l = 0; l < 8; ++l)
      if (((kept >> l) & 1) == 0) row(r + l, n[l], s[l] - n[l], true);
  }

  __attribute__((target("avx2"))) fleiss_scan_sums sums() const {
    fleiss_scan_sums out;
    for (int c = 0; c < 2; ++c) {
      alignas(32) std::int64_t p[4], m[4];
      _mm256_store_si256(reinterpret_cast<__m256i*>(p), pairs[c]);
      _mm256_store_si256(reinterpret_cast<__m256i*>(m), rows[c]);
      out.pairs[c] = p[0] + p[1] + p[2] + p[3];
      out.rows[c] = m[0] + m[1] + m[2] + m[3];
    }
    return out;
  }
};

/// Scans rows [0, rows) of the column-major table at `data` (column stride `ld`, k columns).
/// `row(i, n, pairs, counted)` handles a row the vector pass did not keep, with `counted` true when
/// its values are already in `col_total`; it may set `common[0]` and `common[1]` (values >= 2, -1
/// while unset; read again for every group).
template <class T, class Handler>
__attribute__((target("avx2"))) fleiss_scan_sums fleiss_scan_avx2(const T* data, Eigen::Index ld, Eigen::Index rows,
                                                                  Eigen::Index k, std::int64_t* col_total,
                                                                  const std::int64_t (&common)[2], Handler&& row) {
  const auto scalar_row = [&](Eigen::Index i) {  // a row the vector lanes do not take, as the scalar loop
    const fleiss_row x = fleiss_row_sums(k, [&](Eigen::Index j) -> std::int64_t { return data[j * ld + i]; });
    row(i, x.n, x.pairs, false);
  };
  std::vector<std::int64_t> acc(static_cast<std::size_t>(4 * k), 0);
  // int32 tables: eight rows in one register while every value is below 2^12 and k <= 127 (so
  // n_i < 2^19 and sum_j n_ij^2 < 2^31); column sums in int32 lanes, moved to `acc` before they
  // can reach 2^31 (below 2^12 per group and lane, 2^16 groups).
  std::vector<std::int32_t> acc32(sizeof(T) == 4 ? static_cast<std::size_t>(8 * k) : 0, 0);
  std::int64_t groups32 = 0;
  const auto flush32 = [&] {
    for (std::size_t x = 0; x < acc32.size(); ++x) {
      acc[4 * (x / 8) + x % 4] += acc32[x];
      acc32[x] = 0;
    }
    groups32 = 0;
  };
  fleiss_keep_lanes keep;
  const __m256i high = _mm256_set1_epi64x(~std::int64_t{0xFFFFFF});  // any bit outside [0, 2^24)
  const __m256i high32 = _mm256_set1_epi32(~0xFFF);                  // any bit outside [0, 2^12)
  const Eigen::Index groups = rows / 8;
  for (Eigen::Index g = 0; g < groups; ++g) {
    const Eigen::Index r = 8 * g;
    __m256i n0 = _mm256_setzero_si256(), n1 = n0, s0 = n0, s1 = n0;
    bool summed = false;
    if constexpr (sizeof(T) == 4) {
      if (k <= 127) {
        __m256i n = _mm256_setzero_si256(), sq = n, bits = n;
        for (Eigen::Index j = 0; j < k; ++j) {
          fleiss_prefetch(data + j * ld + r);
          const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + j * ld + r));
          n = _mm256_add_epi32(n, v);
          sq = _mm256_add_epi32(sq, _mm256_mullo_epi32(v, v));
          bits = _mm256_or_si256(bits, v);
          auto* c = reinterpret_cast<__m256i*>(acc32.data() + 8 * j);
          _mm256_storeu_si256(c, _mm256_add_epi32(_mm256_loadu_si256(c), v));
        }
        if (_mm256_testz_si256(bits, high32)) {
          n0 = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(n));
          n1 = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(n, 1));
          s0 = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(sq));
          s1 = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(sq, 1));
          summed = true;
          if (++groups32 == 65536) flush32();
        } else {  // undo, and take the 64-bit lanes below
          for (Eigen::Index j = 0; j < k; ++j) {
            const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + j * ld + r));
            auto* c = reinterpret_cast<__m256i*>(acc32.data() + 8 * j);
            _mm256_storeu_si256(c, _mm256_sub_epi32(_mm256_loadu_si256(c), v));
          }
        }
      }
    }
    if (!summed) {
      __m256i bits = _mm256_setzero_si256();
      for (Eigen::Index j = 0; j < k; ++j) {
        const T* p = data + j * ld + r;
        fleiss_prefetch(p);
        const __m256i a = fleiss_load4(p), b = fleiss_load4(p + 4);
        n0 = _mm256_add_epi64(n0, a);
        n1 = _mm256_add_epi64(n1, b);
        s0 = _mm256_add_epi64(s0, _mm256_mul_epu32(a, a));  // exact: a < 2^24 once checked below
        s1 = _mm256_add_epi64(s1, _mm256_mul_epu32(b, b));
        bits = _mm256_or_si256(bits, _mm256_or_si256(a, b));
        auto* c = reinterpret_cast<__m256i*>(acc.data() + 4 * j);
        _mm256_storeu_si256(c, _mm256_add_epi64(_mm256_loadu_si256(c), _mm256_add_epi64(a, b)));
      }
      if (!_mm256_testz_si256(bits, high)) {  // a negative or huge value: undo, and go row by row
        for (Eigen::Index j = 0; j < k; ++j) {
          const T* p = data + j * ld + r;
          auto* c = reinterpret_cast<__m256i*>(acc.data() + 4 * j);
          _mm256_storeu_si256(
              c, _mm256_sub_epi64(_mm256_loadu_si256(c), _mm256_add_epi64(fleiss_load4(p), fleiss_load4(p + 4))));
        }
        for (Eigen::Index i = r; i < r + 8; ++i) scalar_row(i);
        continue;
      }
    }
    keep.add(n0, n1, s0, s1, common, r, row);
  }
  flush32();
  for (Eigen::Index j = 0; j < k; ++j)
    for (int l = 0; l < 4; ++l) col_total[j] += acc[static_cast<std::size_t>(4 * j + l)];
  const fleiss_scan_sums sums = keep.sums();
  for (Eigen::Index i = 8 * groups; i < rows; ++i) scalar_row(i);
  return sums;
}

// A row of k <= 8 counts as two vectors of four int64 (columns 0-3 and 4-7, the lanes past k zero).
// Plain loads read 8 values and clear the lanes past k (vpmaskmov loads are several times slower
// here); `masked` (the last rows, where 8 values would read past the table) takes masked loads.
template <class T>
__attribute__((target("avx2"))) DISFER_ALWAYS_INLINE void fleiss_load_row(const T* p, bool masked, __m256i mask_lo,
                                                                          __m256i mask_hi, __m256i mask32, __m256i& a,
                                                                          __m256i& b) {
  if constexpr (sizeof(T) == 8) {
    const auto* q = reinterpret_cast<const long long*>(p);
    if (masked) {
      a = _mm256_maskload_epi64(q, mask_lo);
      b = _mm256_maskload_epi64(q + 4, mask_hi);
    } else {
      a = _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(q)), mask_lo);
      b = _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 4)), mask_hi);
    }
  } else {
    const __m256i v = masked ? _mm256_maskload_epi32(reinterpret_cast<const int*>(p), mask32)
                             : _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), mask32);
    a = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v));
    b = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1));
  }
}

// Two rows' values a (columns 0-3) and b (4-7) summed per row: lanes [x0_01, x1_01, x0_23, x1_23]
// of x0 = a0 + b0 and x1 = a1 + b1 (x_01 = lane 0 + lane 1); two such pairs make four row sums.
__attribute__((target("avx2"))) DISFER_ALWAYS_INLINE __m256i fleiss_pair_sums(__m256i x0, __m256i x1) {
  return _mm256_add_epi64(_mm256_unpacklo_epi64(x0, x1), _mm256_unpackhi_epi64(x0, x1));
}
__attribute__((target("avx2"))) DISFER_ALWAYS_INLINE __m256i fleiss_quad_sums(__m256i u01, __m256i u23) {
  return _mm256_add_epi64(_mm256_permute2x128_si256(u01, u23, 0x20), _mm256_permute2x128_si256(u01, u23, 0x31));
}

/// fleiss_scan_avx2 for a row-major table with 2 <= k <= 8 (row stride `ld`): each row is loaded
/// whole, and four rows' sums are gathered into one vector. When `packed` is not null it also
/// writes each row as one uint64, byte j = n_ij, for the non-null SE's pass; `packed_ok` tells
/// whether every value fitted in a byte (otherwise the packed rows are not to be read).
template <bool Pack, class T, class Handler>
__attribute__((target("avx2"))) fleiss_scan_sums fleiss_scan_rows_avx2(const T* data, Eigen::Index ld,
                                                                       Eigen::Index rows, Eigen::Index k,
                                                                       std::int64_t* col_total,
                                                                       const std::int64_t (&common)[2], Handler&& row,
                                                                       std::uint64_t* packed, bool& packed_ok) {
  bool bytes = true;  // every value handed to scalar_row is in [0, 256)
  const auto scalar_row = [&](Eigen::Index i) {
    const T* v = data + i * ld;
    if (Pack) {
      std::uint64_t pk = 0;
      for (Eigen::Index j = 0; j < k; ++j) pk |= static_cast<std::uint64_t>(v[j] & 0xFF) << (8 * j);
      packed[i] = pk;
    }
    for (Eigen::Index j = 0; j < k; ++j)
      if (v[j] < 0 || v[j] > 255) bytes = false;
    const fleiss_row x = fleiss_row_sums(k, [&](Eigen::Index j) -> std::int64_t { return v[j]; });
    row(i, x.n, x.pairs, false);
  };
  const __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
  const __m256i mask_lo = _mm256_cmpgt_epi64(_mm256_set1_epi64x(k), lane);
  const __m256i mask_hi = _mm256_cmpgt_epi64(_mm256_set1_epi64x(k - 4), lane);
  const __m256i mask32 =
      _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(k)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256i shift_lo = _mm256_setr_epi64x(0, 8, 16, 24), shift_hi = _mm256_setr_epi64x(32, 40, 48, 56);
  const __m256i high = _mm256_set1_epi64x(~std::int64_t{0xFFFFFF});  // any bit outside [0, 2^24)
  fleiss_keep_lanes keep;
  __m256i col_lo = _mm256_setzero_si256(), col_hi = col_lo, all_bits = col_lo;
  // Two rows: their values go into the column sums, their n_i, sum_j n_ij^2 and packed bytes into
  // pair sums.
  bool masked = false;
  const auto pair = [&](const T* p, __m256i& bits, __m256i& t, __m256i& q, __m256i& w) __attribute__((target("avx2"))) {
    __m256i a0, b0, a1, b1;
    fleiss_load_row(p, masked, mask_lo, mask_hi, mask32, a0, b0);
    fleiss_load_row(p + ld, masked, mask_lo, mask_hi, mask32, a1, b1);
    col_lo = _mm256_add_epi64(col_lo, _mm256_add_epi64(a0, a1));
    col_hi = _mm256_add_epi64(col_hi, _mm256_add_epi64(b0, b1));
    bits = _mm256_or_si256(bits, _mm256_or_si256(_mm256_or_si256(a0, b0), _mm256_or_si256(a1, b1)));
    t = fleiss_pair_sums(_mm256_add_epi64(a0, b0), _mm256_add_epi64(a1, b1));
    q = fleiss_pair_sums(_mm256_add_epi64(_mm256_mul_epu32(a0, a0), _mm256_mul_epu32(b0, b0)),  // exact below 2^24
                         _mm256_add_epi64(_mm256_mul_epu32(a1, a1), _mm256_mul_epu32(b1, b1)));
    if (Pack)
      w = fleiss_pair_sums(_mm256_or_si256(_mm256_sllv_epi64(a0, shift_lo), _mm256_sllv_epi64(b0, shift_hi)),
                           _mm256_or_si256(_mm256_sllv_epi64(a1, shift_lo), _mm256_sllv_epi64(b1, shift_hi)));
  };
  const Eigen::Index groups = rows / 8;
  for (Eigen::Index g = 0; g < groups; ++g) {
    const Eigen::Index r = 8 * g;
    masked = (r + 7) * ld + 8 > (rows - 1) * ld + k;  // 8 values from row r + 7 would pass the last
    __m256i bits = _mm256_setzero_si256(), n[2], s[2];
    for (int h = 0; h < 2; ++h) {
      __m256i t01, q01, w01 = _mm256_setzero_si256(), t23, q23, w23 = w01;
      pair(data + (r + 4 * h) * ld, bits, t01, q01, w01);
      pair(data + (r + 4 * h + 2) * ld, bits, t23, q23, w23);
      n[h] = fleiss_quad_sums(t01, t23);
      s[h] = fleiss_quad_sums(q01, q23);
      if (Pack) _mm256_storeu_si256(reinterpret_cast<__m256i*>(packed + r + 4 * h), fleiss_quad_sums(w01, w23));
    }
    if (!_mm256_testz_si256(bits, high)) {  // a negative or huge value: undo, and go row by row
      for (Eigen::Index i = r; i < r + 8; ++i) {
        __m256i a, b;
        fleiss_load_row(data + i * ld, true, mask_lo, mask_hi, mask32, a, b);
        col_lo = _mm256_sub_epi64(col_lo, a);
        col_hi = _mm256_sub_epi64(col_hi, b);
      }
      for (Eigen::Index i = r; i < r + 8; ++i) scalar_row(i);
      continue;
    }
    all_bits = _mm256_or_si256(all_bits, bits);
    keep.add(n[0], n[1], s[0], s[1], common, r, row);
  }
  alignas(32) std::int64_t c[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(c), col_lo);
  _mm256_store_si256(reinterpret_cast<__m256i*>(c + 4), col_hi);
  for (Eigen::Index j = 0; j < k; ++j) col_total[j] += c[j];
  const fleiss_scan_sums sums = keep.sums();
  for (Eigen::Index i = 8 * groups; i < rows; ++i) scalar_row(i);
  packed_ok = bytes && _mm256_testz_si256(all_bits, _mm256_set1_epi64x(~std::int64_t{0xFF}));
  return sums;
}

// Exact int64 -> double for 0 <= x < 2^52 (AVX2 has no such conversion): x's bits under 2^52's.
__attribute__((target("avx2"))) DISFER_ALWAYS_INLINE __m256d fleiss_to_double(__m256i x) {
  return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(x, _mm256_set1_epi64x(0x4330000000000000))),
                       _mm256_set1_pd(4503599627370496.0));
}

// The low 32 bits of each 64-bit lane as double (exact for lanes below 2^31).
__attribute__((target("avx2"))) DISFER_ALWAYS_INLINE __m256d fleiss_low_to_double(__m256i x) {
  return _mm256_cvtepi32_pd(
      _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x, _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7))));
}

/// fleiss_se_terms::square of four rows at once (n_i, sum_j n_ij^2 and sum_j n_ij p_j in the
/// lanes; n_i < 2^31 and the pairs < 2^52), with the scalar form's operations in its order.
struct fleiss_se_vec {
  __m256d one, pe, kappa, inv_ope, scale, inv_mean_n, slope;
  __m256i one_i, zero_i;
  bool mip, single_in_margins;

  __attribute__((target("avx2"))) explicit fleiss_se_vec(const fleiss_se_terms& t)
      : one(_mm256_set1_pd(1.0)),
        pe(_mm256_set1_pd(t.pe)),
        kappa(_mm256_set1_pd(t.kappa)),
        inv_ope(_mm256_set1_pd(t.inv_ope)),
        scale(_mm256_set1_pd(t.scale)),
        inv_mean_n(_mm256_set1_pd(t.inv_mean_n)),
        slope(_mm256_set1_pd(t.slope)),
        one_i(_mm256_set1_epi64x(1)),
        zero_i(_mm256_setzero_si256()),
        mip(t.mip),
        single_in_margins(t.single_in_margins) {}

  __attribute__((target("avx2"))) DISFER_ALWAYS_INLINE __m256d square(__m256i n, __m256i sq, __m256d dot) const {
    const __m256d nd = fleiss_low_to_double(n), pd = fleiss_to_double(_mm256_sub_epi64(sq, n));
    const __m256i gt1 = _mm256_cmpgt_epi64(n, one_i), is1 = _mm256_cmpeq_epi64(n, one_i);
    const __m256d two = _mm256_castsi256_pd(gt1);
    __m256i in = _mm256_xor_si256(_mm256_cmpeq_epi64(n, zero_i), _mm256_set1_epi64x(-1));
    if (!single_in_margins) in = _mm256_andnot_si256(is1, in);
    const __m256d inv_pair = _mm256_and_pd(two, _mm256_div_pd(one, _mm256_mul_pd(nd, _mm256_sub_pd(nd, one))));
    const __m256d kappa_i = _mm256_mul_pd(
        _mm256_mul_pd(scale, _mm256_sub_pd(_mm256_mul_pd(pd, inv_pair), _mm256_and_pd(two, pe))), inv_ope);
    const __m256d w = mip ? one : _mm256_mul_pd(nd, inv_mean_n);
    const __m256d dev = _mm256_mul_pd(_mm256_mul_pd(slope, w), _mm256_sub_pd(_mm256_div_pd(dot, nd), pe));
    const __m256d d = _mm256_sub_pd(_mm256_sub_pd(kappa_i, dev), kappa);
    return _mm256_and_pd(_mm256_castsi256_pd(in), _mm256_mul_pd(d, d));
  }
};

/// The non-null SE's pass, eight rows at a time (values below 2^20 and k <= 4096, so n_i and the
/// pairs convert exactly to double; other groups and the tail take fleiss_se_terms::square).
template <class T, class Sum>
__attribute__((target("avx2"))) void fleiss_se_avx2(const T* data, Eigen::Index ld, Eigen::Index rows, Eigen::Index k,
                                                    const fleiss_se_terms& t, Sum& acc) {
  const auto scalar_row = [&](Eigen::Index i) {
    return t.square_of(k, [&](Eigen::Index j) -> std::int64_t { return data[j * ld + i]; });
  };
  double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const Eigen::Index groups = k <= 4096 ? rows / 8 : 0;
  const __m256i high = _mm256_set1_epi64x(~std::int64_t{0xFFFFF});  // any bit outside [0, 2^20)
  const fleiss_se_vec f(t);
  for (Eigen::Index g = 0; g < groups; ++g) {
    const Eigen::Index r = 8 * g;
    __m256i n[2] = {f.zero_i, f.zero_i}, sq[2] = {f.zero_i, f.zero_i}, bits = f.zero_i;
    __m256d dot[2] = {_mm256_setzero_pd(), _mm256_setzero_pd()};
    for (Eigen::Index j = 0; j < k; ++j) {
      const T* p = data + j * ld + r;
      fleiss_prefetch(p);
      const __m256d pj = _mm256_set1_pd(t.p[j]);
      for (int h = 0; h < 2; ++h) {
        const __m256i v = fleiss_load4(p + 4 * h);
        n[h] = _mm256_add_epi64(n[h], v);
        sq[h] = _mm256_add_epi64(sq[h], _mm256_mul_epu32(v, v));
        bits = _mm256_or_si256(bits, v);
        dot[h] = _mm256_add_pd(dot[h], _mm256_mul_pd(fleiss_low_to_double(v), pj));
      }
    }
    if (!_mm256_testz_si256(bits, high)) {
      for (Eigen::Index i = r; i < r + 8; ++i) lane[i % 8] += scalar_row(i);
    } else {
      for (int h = 0; h < 2; ++h)
        _mm256_storeu_pd(lane + 4 * h, _mm256_add_pd(_mm256_loadu_pd(lane + 4 * h), f.square(n[h], sq[h], dot[h])));
    }
    if (((r + 7) & 1023) == 1023) fleiss_flush_lanes(lane, acc);
  }
  fleiss_se_lanes(8 * groups, rows, lane, acc, scalar_row);
  fleiss_flush_lanes(lane, acc);
}

/// The non-null SE's pass over the packed rows of fleiss_scan_rows_avx2 (byte j of packed[i] =
/// n_ij, k <= 8): the same terms, lanes and blocks as fleiss_se_avx2, from an eighth of the bytes.
template <class Sum>
__attribute__((target("avx2"))) void fleiss_se_packed_avx2(const std::uint64_t* packed, Eigen::Index rows,
                                                           Eigen::Index k, const fleiss_se_terms& t, Sum& acc) {
  const auto scalar_row = [&](Eigen::Index i) {
    return t.square_of(k, [&](Eigen::Index j) { return static_cast<std::int64_t>((packed[i] >> (8 * j)) & 0xFF); });
  };
  double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const fleiss_se_vec f(t);
  // pshufb masks moving byte j of each 64-bit lane to its lowest byte (the rest zero), and the
  // bits of 2^52 that make such a lane an exact double (fleiss_to_double).
  __m256i pick[8];
  __m256d p[8];
  for (Eigen::Index j = 0; j < k; ++j) {
    const char b = static_cast<char>(j), z = static_cast<char>(0x80);
    pick[j] = _mm256_setr_epi8(b, z, z, z, z, z, z, z, static_cast<char>(8 + j), z, z, z, z, z, z, z, b, z, z, z, z, z,
                               z, z, static_cast<char>(8 + j), z, z, z, z, z, z, z);
    p[j] = _mm256_set1_pd(t.p[j]);
  }
  const __m256i magic = _mm256_set1_epi64x(0x4330000000000000);
  const __m256d magic_d = _mm256_set1_pd(4503599627370496.0);
  const Eigen::Index groups = rows / 8;
  for (Eigen::Index g = 0; g < groups; ++g) {
    const Eigen::Index r = 8 * g;
    for (int h = 0; h < 2; ++h) {
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(packed + r + 4 * h));
      const __m256i n = _mm256_sad_epu8(x, f.zero_i);
      __m256i sq = f.zero_i;
      __m256d dot = _mm256_setzero_pd();
      for (Eigen::Index j = 0; j < k; ++j) {
        const __m256i v = _mm256_shuffle_epi8(x, pick[j]);
        sq = _mm256_add_epi64(sq, _mm256_mul_epu32(v, v));
        const __m256d vd = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(v, magic)), magic_d);
        dot = _mm256_add_pd(dot, _mm256_mul_pd(vd, p[j]));
      }
      _mm256_storeu_pd(lane + 4 * h, _mm256_add_pd(_mm256_loadu_pd(lane + 4 * h), f.square(n, sq, dot)));
    }
    if (((r + 7) & 1023) == 1023) fleiss_flush_lanes(lane, acc);
  }
  fleiss_se_lanes(8 * groups, rows, lane, acc, scalar_row);
  fleiss_flush_lanes(lane, acc);
}

#endif

}  // namespace detail
}  // namespace disfer
