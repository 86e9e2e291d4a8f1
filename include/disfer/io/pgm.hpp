#pragma once
/// \file
/// Minimal Netpbm PGM reading and writing (P2 plain and P5 raw; 8-bit and 16-bit, the latter
/// big-endian as the Netpbm specification says). Pixel values are kept as stored: no rescaling to
/// the type's range when maxval is not 255 or 65535 (read it from pgm_info).

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <istream>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/io/staged_file.hpp"

namespace disfer {

/// What a PGM header says.
struct pgm_info {
  bool plain = false;  ///< P2 (text) rather than P5 (raw)
  std::size_t width = 0, height = 0;
  unsigned maxval = 0;  ///< 1-65535
};

/// Options of write_pgm.
struct pgm_write_options {
  bool plain = false;  ///< write P2 text instead of P5
  overwrite_policy overwrite = overwrite_policy::refuse;
};

namespace detail {

class pgm_parser {
 public:
  pgm_parser(std::istream& in, const std::string& path) : in_(in), path_(path) {}

  [[noreturn]] void fail(const std::string& what) const {
    fail_at("read_pgm", path_, line_, 0, what, " (byte ", offset_, ")");
  }
  int get() {
    const int c = in_.get();
    if (c != std::char_traits<char>::eof()) {
      ++offset_;
      if (c == '\n') ++line_;
    }
    return c;
  }
  // Skips whitespace and '#' comments, then reads a decimal number.
  unsigned long number(const char* what, unsigned long max) {
    int c = get();
    for (;;) {
      if (c == '#') {
        while (c != '\n' && c != std::char_traits<char>::eof()) c = get();
      } else if (c != std::char_traits<char>::eof() && std::isspace(c)) {
        c = get();
      } else {
        break;
      }
    }
    if (c == std::char_traits<char>::eof()) fail(concat("truncated: expected ", what));
    if (!std::isdigit(c)) fail(concat("expected ", what, ", found '", static_cast<char>(c), "'"));
    unsigned long v = 0;
    while (c != std::char_traits<char>::eof() && std::isdigit(c)) {
      v = v * 10 + static_cast<unsigned long>(c - '0');
      if (v > max) fail(concat(what, " exceeds ", max));
      c = get();
    }
    if (c != std::char_traits<char>::eof() && !std::isspace(c) && c != '#')
      fail(concat("unexpected '", static_cast<char>(c), "' after ", what));
    if (c == '#') in_.unget(), --offset_;
    terminator_ = c;
    return v;
  }
  std::istream& in_;
  const std::string& path_;
  std::uint64_t line_ = 1, offset_ = 0;
  int terminator_ = 0;  // the byte that ended the last number (consumed unless '#')
};

}  // namespace detail

/// Reads a PGM image from a stream; `name` stands for the path in errors. T is std::uint8_t
/// (maxval <= 255) or std::uint16_t (any maxval). Throws disfer::error naming the path, line and
/// byte offset for a bad magic number, a bad header, a value above maxval or truncated data.
template <class T>
xt::xtensor<T, 2> read_pgm(std::istream& in, const std::string& name, pgm_info* info = nullptr) {
  static_assert(std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t>,
                "read_pgm reads into std::uint8_t or std::uint16_t");
  detail::pgm_parser p(in, name);
  const int m0 = p.get(), m1 = p.get();
  if (m0 != 'P' || (m1 != '2' && m1 != '5')) p.fail("not a PGM file (magic number must be P2 or P5)");
  pgm_info h;
  h.plain = m1 == '2';
  constexpr unsigned long max_side = 1u << 20;
  h.width = p.number("width", max_side);
  h.height = p.number("height", max_side);
  h.maxval = static_cast<unsigned>(p.number("maxval", 65535));
  if (h.width == 0 || h.height == 0) p.fail("empty image (width or height 0)");
  if (h.maxval == 0) p.fail("maxval 0 (must be 1-65535)");
  if (h.maxval > std::numeric_limits<T>::max())
    p.fail(
        detail::concat("maxval ", h.maxval, " does not fit ", sizeof(T) * 8, "-bit pixels; read it as std::uint16_t"));
  // Memory grows with the data actually read, never with what the header claims: a 20-byte
  // header may declare 2^40 pixels (the image is allocated once every pixel has been read).
  const std::size_t n = h.width * h.height;  // <= 2^40: no overflow
  std::vector<T> pixels;
  pixels.reserve(std::min<std::size_t>(n, std::size_t{1} << 20));
  if (h.plain) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto v = p.number("pixel value", 65535);
      if (v > h.maxval) p.fail(detail::concat("pixel ", i, " is ", v, ", above maxval ", h.maxval));
      pixels.push_back(static_cast<T>(v));
    }
  } else {
    // Exactly one whitespace byte after maxval, already consumed by number().
    if (p.terminator_ == std::char_traits<char>::eof() || !std::isspace(p.terminator_))
      p.fail("expected one whitespace byte after maxval");
    const std::size_t bytes = h.maxval > 255 ? 2 : 1, want = n * bytes;
    std::string raw;
    std::size_t got = 0;
    while (got < want) {  // blocks of at most 16 MiB
      const std::size_t step = std::min<std::size_t>(want - got, std::size_t{1} << 24);
      raw.resize(got + step);
      in.read(raw.data() + got, static_cast<std::streamsize>(step));
      const auto g = static_cast<std::size_t>(in.gcount());
      got += g;
      p.offset_ += g;
      if (g != step) break;
    }
    if (got != want) p.fail(detail::concat("truncated: ", got, " of ", want, " pixel bytes"));
    for (std::size_t i = 0; i < n; ++i) {
      unsigned v = static_cast<unsigned char>(raw[i * bytes]);
      if (bytes == 2) v = (v << 8) | static_cast<unsigned char>(raw[i * 2 + 1]);
      if (v > h.maxval) p.fail(detail::concat("pixel ", i, " is ", v, ", above maxval ", h.maxval));
      pixels.push_back(static_cast<T>(v));
    }
  }
  xt::xtensor<T, 2> img = xt::xtensor<T, 2>::from_shape({h.height, h.width});
  std::copy(pixels.begin(), pixels.end(), img.data());
  if (info) *info = h;
  return img;
}

/// Reads the PGM file at `path` (see the stream overload).
template <class T>
xt::xtensor<T, 2> read_pgm(const std::string& path, pgm_info* info = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::fail("read_pgm", "cannot open '", path, "' for reading");
  return read_pgm<T>(in, path, info);
}

/// Writes `img` as PGM to a stream: maxval 255 for std::uint8_t, 65535 for std::uint16_t.
template <class T>
void write_pgm(std::ostream& out, const xt::xtensor<T, 2>& img, bool plain = false) {
  static_assert(std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t>,
                "write_pgm writes std::uint8_t or std::uint16_t images");
  if (img.size() == 0) detail::fail("write_pgm", "empty image");
  const unsigned maxval = std::numeric_limits<T>::max();
  out << (plain ? "P2\n" : "P5\n") << img.shape()[1] << ' ' << img.shape()[0] << '\n' << maxval << '\n';
  if (plain) {
    for (std::size_t r = 0; r < img.shape()[0]; ++r) {
      for (std::size_t c = 0; c < img.shape()[1]; ++c) out << (c ? " " : "") << static_cast<unsigned>(img(r, c));
      out << '\n';
    }
    return;
  }
  std::string raw;
  raw.reserve(img.size() * sizeof(T));
  for (std::size_t i = 0; i < img.size(); ++i) {
    const unsigned v = img.data()[i];
    if (sizeof(T) == 2) raw.push_back(static_cast<char>(v >> 8));
    raw.push_back(static_cast<char>(v & 0xff));
  }
  out.write(raw.data(), static_cast<std::streamsize>(raw.size()));
}

/// Writes `img` to `path`, staged (temporary name, then rename); refuses to replace an existing
/// file unless options.overwrite says so.
template <class T>
void write_pgm(const std::string& path, const xt::xtensor<T, 2>& img, pgm_write_options options = {}) {
  if (img.size() == 0) detail::fail("write_pgm", "empty image");
  staged_file file(path, options.overwrite, "write_pgm");
  write_pgm(file.stream(), img, options.plain);
  file.commit();
}

}  // namespace disfer
