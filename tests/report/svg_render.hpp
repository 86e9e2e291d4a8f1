#pragma once
// Renders an SVG file with rsvg-convert and reads the raster back as 8-bit gray (libpng's simplified
// API), so that tests can check that a figure is not blank. Test-only: disfer itself does not depend
// on librsvg.
#ifdef DISFER_RSVG_CONVERT
#include <png.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace disfer_test {

struct gray_raster {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> pixels;
};

inline gray_raster render_svg(const std::filesystem::path& svg) {
  const std::filesystem::path png = svg.string() + ".png";
  const std::string cmd = std::string("\"") + DISFER_RSVG_CONVERT + "\" --background-color=white -o \"" + png.string() +
                          "\" \"" + svg.string() + "\"";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("rsvg-convert failed on " + svg.string());
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, png.string().c_str()))
    throw std::runtime_error("cannot read " + png.string() + ": " + image.message);
  image.format = PNG_FORMAT_GRAY;
  gray_raster r;
  r.width = image.width;
  r.height = image.height;
  r.pixels.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, r.pixels.data(), 0, nullptr))
    throw std::runtime_error("cannot decode " + png.string() + ": " + image.message);
  return r;
}

/// Share of pixels darker than `threshold` (0-255): ink on a white background.
inline double ink_fraction(const gray_raster& r, std::uint8_t threshold = 200) {
  std::size_t dark = 0;
  for (const auto p : r.pixels) dark += p < threshold;
  return r.pixels.empty() ? 0.0 : static_cast<double>(dark) / static_cast<double>(r.pixels.size());
}

}  // namespace disfer_test
#endif
