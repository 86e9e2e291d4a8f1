#pragma once
/// \file
/// Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy
/// as 1, 2, 3", SC'11; the Random123 implementation) keyed by (seed, item id, purpose) with the
/// element index as counter, so every draw is a pure function of its coordinates: results depend on
/// neither the thread count nor the order of processing. Integer helpers (bounded integers, unit
/// doubles, Fisher-Yates) are built from the 32-bit words alone, never from the standard library's
/// distributions, whose algorithms differ between implementations.

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

// Random123's SSE array types (r123m128i), which Philox4x32 does not use, pull in <x86intrin.h>:
// about 0.9 CPU-s and 120 MB in every translation unit. A program that wants them defines
// R123_USE_SSE before including disfer.
#ifndef R123_USE_SSE
#define R123_USE_SSE 0
#endif
#include <Random123/philox.h>

#include "disfer/core/error.hpp"

namespace disfer {

/// Version of the random streams defined in this header (layout of key and counter, and of the
/// helpers below). Every output that depends on random draws records it; it changes whenever a
/// stream would give different numbers for the same key.
inline constexpr std::uint32_t random_stream_version = 1;

/// Purposes: the third coordinate of a stream key, so that two uses of the same (seed, item) never
/// share numbers. Values below 0x10000 are reserved for disfer; callers may use the rest.
namespace purpose {
inline constexpr std::uint32_t gaussian_noise = 1;
inline constexpr std::uint32_t salt_and_pepper = 2;
inline constexpr std::uint32_t source_sampling = 3;
inline constexpr std::uint32_t playlist = 4;
inline constexpr std::uint32_t presentation_order = 5;
inline constexpr std::uint32_t tie_break = 6;
inline constexpr std::uint32_t bootstrap = 7;
inline constexpr std::uint32_t simulation = 8;
inline constexpr std::uint32_t training = 9;
inline constexpr std::uint32_t derivation = 10;
inline constexpr std::uint32_t attention_check = 11;
inline constexpr std::uint32_t user = 0x10000;
}  // namespace purpose

/// Coordinates of one random stream.
struct stream_key {
  std::uint64_t seed = 0;     ///< the study's or run's seed
  std::uint64_t item = 0;     ///< stimulus id, source id, bootstrap replicate, ...
  std::uint32_t purpose = 0;  ///< one of disfer::purpose, or >= purpose::user
};

/// One Philox4x32-10 block: the raw bijection (counter, key) -> 4 words, exactly Random123's
/// `philox4x32_R(10, ...)`.
inline std::array<std::uint32_t, 4> philox4x32_10(const std::array<std::uint32_t, 4>& counter,
                                                  const std::array<std::uint32_t, 2>& key) noexcept {
  r123::Philox4x32_R<10> gen;
  r123::Philox4x32_R<10>::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  r123::Philox4x32_R<10>::key_type k = {{key[0], key[1]}};
  const auto r = gen(c, k);
  return {r[0], r[1], r[2], r[3]};
}

/// A counter-based stream of 32-bit words. Layout (stream version 1):
/// key = (seed low 32 bits, seed high 32 bits);
/// counter = (block index, purpose, item low 32 bits, item high 32 bits);
/// word i of the stream is word i % 4 of block i / 4. A stream thus holds 2^34 words.
class philox_stream {
 public:
  /// Number of 32-bit words one stream holds.
  static constexpr std::uint64_t max_words = std::uint64_t{1} << 34;

  explicit philox_stream(const stream_key& key) noexcept
      : key_{static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32)},
        purpose_(key.purpose),
        item_lo_(static_cast<std::uint32_t>(key.item)),
        item_hi_(static_cast<std::uint32_t>(key.item >> 32)) {}

  /// Block `b` (4 words). Precondition: b < 2^32.
  std::array<std::uint32_t, 4> block(std::uint32_t b) const noexcept {
    return philox4x32_10({b, purpose_, item_lo_, item_hi_}, key_);
  }

  /// Word `i` of the stream; throws disfer::error when i >= max_words.
  std::uint32_t word(std::uint64_t i) const {
    if (i >= max_words) detail::fail("philox_stream::word", "index ", i, " exceeds the stream length 2^34");
    return block(static_cast<std::uint32_t>(i >> 2))[i & 3];
  }

 private:
  std::array<std::uint32_t, 2> key_;
  std::uint32_t purpose_;
  std::uint32_t item_lo_;
  std::uint32_t item_hi_;
};

/// Sequential reader of a philox_stream: hands out words in order and builds bounded integers,
/// unit doubles and shuffles from them. Cheap to copy; deterministic on every platform.
class random_cursor {
 public:
  explicit random_cursor(const stream_key& key, std::uint64_t first_word = 0) : stream_(key), next_(first_word) {}

  /// Index of the next word to be used.
  std::uint64_t position() const noexcept { return next_; }

  /// The next 32-bit word.
  std::uint32_t next_u32() {
    if (next_ >= philox_stream::max_words) detail::fail("random_cursor", "stream exhausted after 2^34 words");
    const std::uint64_t b = next_ >> 2;
    if (b != cached_block_) {
      cache_ = stream_.block(static_cast<std::uint32_t>(b));
      cached_block_ = b;
    }
    return cache_[next_++ & 3];
  }

  /// The next 64-bit word: two 32-bit words, the first as the low half.
  std::uint64_t next_u64() {
    const std::uint64_t lo = next_u32();
    const std::uint64_t hi = next_u32();
    return lo | (hi << 32);
  }

  /// A double uniform on [0, 1) with 53 random bits: (u64 >> 11) * 2^-53.
  double next_unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// An integer uniform on [0, n), unbiased, by Lemire's multiply-and-reject method
  /// ("Fast random integer generation in an interval", ACM TOMACS 2019) on 64-bit words.
  /// Throws disfer::error when n == 0.
  std::uint64_t next_below(std::uint64_t n) {
    if (n == 0) detail::fail("random_cursor::next_below", "the range [0, 0) is empty");
    // 128-bit product via two 64x64 halves keeps this portable (no __int128 needed).
    std::uint64_t x = next_u64();
    std::uint64_t hi, lo;
    mul64(x, n, hi, lo);
    if (lo < n) {
      const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
      while (lo < threshold) {
        x = next_u64();
        mul64(x, n, hi, lo);
      }
    }
    return hi;
  }

  /// A Bernoulli(p) draw from one unit double: true when next_unit() < p.
  bool next_bernoulli(double p) { return next_unit() < p; }

 private:
  static void mul64(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) noexcept {
    const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32, b_lo = b & 0xffffffffu, b_hi = b >> 32;
    const std::uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
    const std::uint64_t mid = (p0 >> 32) + (p1 & 0xffffffffu) + (p2 & 0xffffffffu);
    lo = (p0 & 0xffffffffu) | (mid << 32);
    hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
  }

  philox_stream stream_;
  std::uint64_t next_;
  std::uint64_t cached_block_ = ~std::uint64_t{0};
  std::array<std::uint32_t, 4> cache_{};
};

/// Shuffles `values` in place by Fisher-Yates (Durstenfeld's form: for i = n-1 down to 1, swap
/// element i with a uniform j in [0, i]), drawing from `key`'s stream. O(n).
template <class T>
void shuffle(std::vector<T>& values, const stream_key& key) {
  random_cursor cursor(key);
  for (std::size_t i = values.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(cursor.next_below(i));
    using std::swap;
    swap(values[i - 1], values[j]);
  }
}

/// A uniformly random permutation of 0..n-1 (Fisher-Yates on the identity).
inline std::vector<std::size_t> random_permutation(std::size_t n, const stream_key& key) {
  std::vector<std::size_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = i;
  shuffle(p, key);
  return p;
}

/// Derives a child seed from (seed, item, purpose): the first two words of the stream, as one
/// 64-bit number. Used where a sub-computation needs a seed of its own (e.g. one per stimulus).
inline std::uint64_t derive_seed(const stream_key& key) {
  return random_cursor(key).next_u64();
}

}  // namespace disfer
