#pragma once
/// \file
/// Grayscale PNG reading and writing with libpng (optional component `png`: link `disfer::png`,
/// `find_package(disfer COMPONENTS png)`). Reads gray PNGs of every bit depth (1, 2 and 4 bits are
/// expanded to 0-255 as libpng does, 16 bits keep their values); colour, palette and alpha images
/// are rejected with a disfer::error rather than converted with a hidden choice of weights.
/// Writes 8-bit and 16-bit gray, non-interlaced, with no time stamp or other metadata, so that the
/// same image always gives the same bytes. Pixel values are kept as stored (no gamma handling).

#include <png.h>

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <limits>
#include <new>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/io/staged_file.hpp"

namespace disfer {

/// What a PNG header says.
struct png_info {
  std::size_t width = 0, height = 0;
  int bit_depth = 0;  ///< 1, 2, 4, 8 or 16
  bool interlaced = false;
};

/// Options of write_png.
struct png_write_options {
  int compression_level = 6;  ///< zlib level 0-9 (the bytes depend on it and on zlib's version)
  overwrite_policy overwrite = overwrite_policy::refuse;
};

namespace detail {

// libpng reports errors through longjmp. Everything between setjmp and the libpng calls below
// lives in plain structs without destructors, so no C++ object is skipped by the jump.
struct png_io {
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  char message[200] = {};
};

inline void png_on_error(png_structp png, png_const_charp msg) {
  auto* io = static_cast<png_io*>(png_get_error_ptr(png));
  std::strncpy(io->message, msg ? msg : "libpng error", sizeof io->message - 1);
  png_longjmp(png, 1);
}
inline void png_on_warning(png_structp, png_const_charp) {}
inline void png_read_bytes(png_structp png, png_bytep data, std::size_t n) {
  auto* io = static_cast<png_io*>(png_get_io_ptr(png));
  io->in->read(reinterpret_cast<char*>(data), static_cast<std::streamsize>(n));
  if (static_cast<std::size_t>(io->in->gcount()) != n) png_error(png, "truncated file");
}
inline void png_write_bytes(png_structp png, png_bytep data, std::size_t n) {
  auto* io = static_cast<png_io*>(png_get_io_ptr(png));
  io->out->write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
  if (!*io->out) png_error(png, "write error");
}
inline void png_flush_bytes(png_structp png) {
  static_cast<png_io*>(png_get_io_ptr(png))->out->flush();
}

// Bytes left in `in` from its position, or -1 when the stream cannot seek (a pipe).
inline std::int64_t remaining_bytes(std::istream& in) {
  const std::streampos here = in.tellg();
  if (here == std::streampos(-1)) return -1;
  in.seekg(0, std::ios::end);
  const std::streampos end = in.tellg();
  in.clear();
  in.seekg(here);
  return end == std::streampos(-1) ? -1 : static_cast<std::int64_t>(end - here);
}

// Reads the header (after the 8 signature bytes) and sets up gray expansion; false on error.
inline bool png_read_header(png_structp png, png_infop info, png_uint_32* w, png_uint_32* h, int* depth, int* color,
                            int* interlace) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_sig_bytes(png, 8);
  png_set_user_limits(png, 1u << 20, 1u << 20);
  png_read_info(png, info);
  png_get_IHDR(png, info, w, h, depth, color, interlace, nullptr, nullptr);
  if (*color == PNG_COLOR_TYPE_GRAY && *depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  return true;
}

inline bool png_read_rows(png_structp png, png_infop info, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, info);
  return true;
}

inline bool png_write_all(png_structp png, png_infop info, png_uint_32 w, png_uint_32 h, int depth, int level,
                          png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_compression_level(png, level);
  png_set_IHDR(png, info, w, h, depth, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, info);
  return true;
}

}  // namespace detail

/// Reads a grayscale PNG from a stream; `name` stands for the path in errors. T is std::uint8_t
/// (bit depth 1-8) or std::uint16_t (any depth; values as stored). Throws disfer::error naming
/// the path for a non-PNG input, a colour/palette/alpha image, a 16-bit image read as 8-bit, or
/// any error libpng reports (truncated or corrupt data, bad CRC). O(pixels).
template <class T>
xt::xtensor<T, 2> read_png(std::istream& in, const std::string& name, png_info* info = nullptr) {
  static_assert(std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t>,
                "read_png reads into std::uint8_t or std::uint16_t");
  unsigned char sig[8] = {};
  in.read(reinterpret_cast<char*>(sig), 8);
  if (in.gcount() != 8 || png_sig_cmp(sig, 0, 8) != 0)
    detail::fail_at("read_png", name, 0, 0, "not a PNG file (bad signature)");
  detail::png_io io;
  io.in = &in;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &io, detail::png_on_error, detail::png_on_warning);
  png_infop pinfo = png ? png_create_info_struct(png) : nullptr;
  if (!pinfo) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    detail::fail_at("read_png", name, 0, 0, "cannot initialise libpng");
  }
  png_set_read_fn(png, &io, detail::png_read_bytes);
  struct guard {
    png_structp* p;
    png_infop* i;
    ~guard() { png_destroy_read_struct(p, i, nullptr); }
  } g{&png, &pinfo};
  png_uint_32 w = 0, h = 0;
  int depth = 0, color = 0, interlace = 0;
  if (!detail::png_read_header(png, pinfo, &w, &h, &depth, &color, &interlace))
    detail::fail_at("read_png", name, 0, 0, io.message);
  if (color != PNG_COLOR_TYPE_GRAY)
    detail::fail_at("read_png", name, 0, 0, "colour type ",
                    color == PNG_COLOR_TYPE_GRAY_ALPHA ? "gray+alpha"
                    : color == PNG_COLOR_TYPE_PALETTE  ? "palette"
                    : color == PNG_COLOR_TYPE_RGB      ? "RGB"
                                                       : "RGBA",
                    " is not supported: disfer reads grayscale PNG (convert it first)");
  if (depth == 16 && std::is_same_v<T, std::uint8_t>)
    detail::fail_at("read_png", name, 0, 0, "16-bit PNG does not fit 8-bit pixels; read it as std::uint16_t");
  const std::size_t bytes = depth == 16 ? 2 : 1;
  // A header may declare up to 2^20 x 2^20 pixels in a few bytes. The image data are a deflate
  // stream, which expands at most 1032-fold (RFC 1951: 258 bytes per 2-bit length/distance
  // pair): a file with fewer compressed bytes than that bound allows is refused before the image
  // is allocated. Streams that cannot seek get an error naming the size when allocation fails.
  const std::uint64_t filtered = std::uint64_t{h} * (1 + (std::uint64_t{w} * static_cast<unsigned>(depth) + 7) / 8);
  const std::int64_t left = detail::remaining_bytes(in);
  if (left >= 0 && filtered > 1032 * static_cast<std::uint64_t>(left) + 65536)
    detail::fail_at("read_png", name, 0, 0, "the header declares ", w, " x ", h, " pixels of ", depth, " bits (",
                    filtered, " bytes once inflated) but only ", left,
                    " bytes follow it; deflate cannot expand them that much (truncated or corrupt file)");
  std::vector<unsigned char> buffer;
  try {
    buffer.resize(std::size_t{w} * h * bytes);
  } catch (const std::bad_alloc&) {
    detail::fail_at("read_png", name, 0, 0, "cannot allocate ", std::size_t{w} * h * bytes, " bytes for ", w, " x ", h,
                    " pixels");
  }
  std::vector<png_bytep> rows(h);
  for (std::size_t r = 0; r < h; ++r) rows[r] = buffer.data() + r * w * bytes;
  if (!detail::png_read_rows(png, pinfo, rows.data())) detail::fail_at("read_png", name, 0, 0, io.message);
  xt::xtensor<T, 2> img = xt::xtensor<T, 2>::from_shape({std::size_t{h}, std::size_t{w}});
  const std::size_t n = std::size_t{w} * h;
  for (std::size_t i = 0; i < n; ++i)
    img.data()[i] = static_cast<T>(bytes == 2 ? (unsigned{buffer[2 * i]} << 8) | buffer[2 * i + 1] : buffer[i]);
  if (info) *info = png_info{w, h, depth, interlace != PNG_INTERLACE_NONE};
  return img;
}

/// Reads the grayscale PNG file at `path` (see the stream overload).
template <class T>
xt::xtensor<T, 2> read_png(const std::string& path, png_info* info = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::fail("read_png", "cannot open '", path, "' for reading");
  return read_png<T>(in, path, info);
}

/// Writes `img` as a gray PNG (8-bit for std::uint8_t, 16-bit big-endian for std::uint16_t) to a
/// stream. Throws disfer::error for an empty image, a compression level outside 0-9, or a libpng
/// or stream error. O(pixels).
template <class T>
void write_png(std::ostream& out, const xt::xtensor<T, 2>& img, int compression_level = 6) {
  static_assert(std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t>,
                "write_png writes std::uint8_t or std::uint16_t images");
  if (img.size() == 0) detail::fail("write_png", "empty image");
  if (compression_level < 0 || compression_level > 9)
    detail::fail("write_png", "compression level ", compression_level, " is outside 0-9");
  const std::size_t h = img.shape()[0], w = img.shape()[1], bytes = sizeof(T);
  if (w > (1u << 20) || h > (1u << 20))
    detail::fail("write_png", "image of ", h, " x ", w, " exceeds 2^20 pixels a side");
  std::vector<unsigned char> buffer(w * h * bytes);
  for (std::size_t i = 0; i < w * h; ++i) {
    const unsigned v = img.data()[i];
    if (bytes == 2) {
      buffer[2 * i] = static_cast<unsigned char>(v >> 8);
      buffer[2 * i + 1] = static_cast<unsigned char>(v & 0xff);
    } else {
      buffer[i] = static_cast<unsigned char>(v);
    }
  }
  std::vector<png_bytep> rows(h);
  for (std::size_t r = 0; r < h; ++r) rows[r] = buffer.data() + r * w * bytes;
  detail::png_io io;
  io.out = &out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &io, detail::png_on_error, detail::png_on_warning);
  png_infop pinfo = png ? png_create_info_struct(png) : nullptr;
  if (!pinfo) {
    png_destroy_write_struct(&png, nullptr);
    detail::fail("write_png", "cannot initialise libpng");
  }
  png_set_write_fn(png, &io, detail::png_write_bytes, detail::png_flush_bytes);
  const bool ok = detail::png_write_all(png, pinfo, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h),
                                        static_cast<int>(bytes * 8), compression_level, rows.data());
  png_destroy_write_struct(&png, &pinfo);
  if (!ok) detail::fail("write_png", io.message);
}

/// Writes `img` to `path` as a gray PNG, staged (temporary name, then rename); refuses to replace
/// an existing file unless options.overwrite says so.
template <class T>
void write_png(const std::string& path, const xt::xtensor<T, 2>& img, png_write_options options = {}) {
  if (img.size() == 0) detail::fail("write_png", "empty image");
  staged_file file(path, options.overwrite, "write_png");
  write_png(file.stream(), img, options.compression_level);
  file.commit();
}

}  // namespace disfer
