#pragma once
/// \file
/// Figures as SVG: panels of line charts (one line per predictor, with interval bars) and panels of
/// annotated heatmaps (confusion matrices), laid out on a grid. Enough for the DisFER figures, not a
/// plotting library. Output is deterministic: numbers are written with std::to_chars (locale
/// independent, fixed precision), so the same figure gives the same bytes on every machine.
///
/// Structure a test can count on: every line panel is `<g class="line-panel">`; every heatmap panel
/// is `<g class="heatmap" data-rows="R" data-columns="C">` holding exactly R*C `<rect class="cell"`
/// elements.

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/io/staged_file.hpp"
#include "disfer/report/detail/dejavu_metrics.hpp"

namespace disfer {

/// One line of a line panel: y per x tick, with an optional interval [lower, upper] per point.
struct plot_series {
  std::string name;
  std::vector<double> y;             ///< NaN = no point (the line is broken there)
  std::vector<double> lower, upper;  ///< empty, or one per y; a NaN bound = no bar at that point
};

/// A line chart over categorical x ticks (e.g. the levels of one distortion type).
struct line_panel {
  std::string title, x_label, y_label;
  std::vector<std::string> x_ticks;
  std::vector<plot_series> series;
  double y_min = 0, y_max = 1;  ///< values outside are clipped to the plot area
};

/// An annotated heatmap (e.g. a confusion matrix, rows = truth, columns = prediction).
struct heatmap_panel {
  std::string title;
  std::vector<std::string> row_labels, column_labels;  ///< empty or one per row / column
  Eigen::MatrixXd values;                              ///< NaN cell: grey, no text
  double v_min = 0, v_max = 1;                         ///< colour scale; values outside are clamped
  int decimals = 2;                                    ///< digits of the cell text; < 0: no text
};

/// A figure: line panels first, then heatmap panels, row by row on a grid of `columns`.
struct figure {
  std::string title;
  std::size_t columns = 3;
  std::vector<line_panel> lines;
  std::vector<heatmap_panel> heatmaps;
  std::string caption;
};

namespace detail::svg {

constexpr double panel_width = 360, line_panel_height = 270, legend_row = 16;
constexpr double heatmap_margin_left = 70, heatmap_margin_top = 34, heatmap_margin_bottom = 44;
// Okabe & Ito's colour-blind-safe palette (Okabe, Ito 2008, "Color Universal Design").
constexpr std::array<const char*, 8> palette = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                                                "#D55E00", "#0072B2", "#CC79A7", "#F0E442"};

/// Fixed-precision decimal, independent of the C++ and C locales.
inline std::string number(double v, int decimals = 1) {
  if (v == 0) v = 0;  // no "-0.0"
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string s(buf, r.ptr);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // -0.004 -> "0.00"
  return s;
}

/// The next code point of UTF-8 text at byte `i` (advanced past it). A malformed or truncated
/// sequence yields U+FFFD and advances one byte, so any byte string decodes.
inline char32_t next_code_point(const std::string& s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t n = 0;
  char32_t c = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    n = 1, c = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2, c = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3, c = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + n >= s.size()) {  // truncated
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k <= n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  constexpr char32_t least[] = {0, 0x80, 0x800, 0x10000};
  if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {  // overlong, too large, surrogate
    ++i;
    return 0xFFFD;
  }
  i += n + 1;
  return c;
}

/// Advance of one character in font units (the face's fallback, one em, when it is not tabulated).
inline int advance_of(const dejavu::face& f, char32_t c) {
  const auto* end = f.advances + f.n_advances;
  const auto* it = std::lower_bound(f.advances, end, c, [](const dejavu::glyph_advance& g, char32_t v) { return g.code < v; });
  return it != end && it->code == c ? it->advance : f.fallback_advance;
}

inline bool tabulated(const dejavu::face& f, char32_t c) {
  const auto* end = f.advances + f.n_advances;
  const auto* it = std::lower_bound(f.advances, end, c, [](const dejavu::glyph_advance& g, char32_t v) { return g.code < v; });
  return it != end && it->code == c;
}

inline int kern_of(const dejavu::face& f, char32_t a, char32_t b) {
  const auto* end = f.kerns + f.n_kerns;
  const auto* it = std::lower_bound(f.kerns, end, std::make_pair(a, b), [](const dejavu::kern_pair& k, const auto& v) {
    return k.left != v.first ? k.left < v.first : k.right < v.second;
  });
  return it != end && it->left == a && it->right == b ? it->value : 0;
}

/// Rendered width of UTF-8 `text` in DejaVu Sans (Bold) at `font_size` user units, as a browser
/// shaping it with HarfBuzz lays it out: advances, the Latin ligatures (ff fi fl ffi ffl) and GPOS
/// pair kerning from report/detail/dejavu_metrics.hpp; a character outside the table counts one em.
/// O(n log table).
inline double text_width(const std::string& text, double font_size, bool bold = false) {
  const dejavu::face& f = bold ? dejavu::sans_bold : dejavu::sans;
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < text.size();) cps.push_back(next_code_point(text, i));
  std::vector<char32_t> glyphs;  // after ligature substitution
  for (std::size_t i = 0; i < cps.size();) {
    bool done = false;
    for (std::size_t l = 0; l < f.n_ligatures && !done; ++l) {
      const auto& lig = f.ligatures[l];
      std::size_t len = 0;
      while (len < 3 && lig.components[len] != 0) ++len;
      if (i + len > cps.size()) continue;
      if (std::equal(lig.components, lig.components + len, cps.begin() + static_cast<std::ptrdiff_t>(i))) {
        glyphs.push_back(lig.code);
        i += len;
        done = true;
      }
    }
    if (!done) glyphs.push_back(cps[i++]);
  }
  long units = 0;
  for (std::size_t i = 0; i < glyphs.size(); ++i) {
    units += advance_of(f, glyphs[i]);
    if (i + 1 < glyphs.size() && tabulated(f, glyphs[i]) && tabulated(f, glyphs[i + 1]))
      units += kern_of(f, glyphs[i], glyphs[i + 1]);
  }
  return static_cast<double>(units) * font_size / f.units_per_em;
}

/// Height of a line box at `font_size` as browsers take it (hhea ascender - descender, each rounded
/// up to whole units by Chromium's integer font metrics at that size; ceil keeps it conservative).
inline double text_ascent(double font_size, bool bold = false) {
  const dejavu::face& f = bold ? dejavu::sans_bold : dejavu::sans;
  return std::ceil(font_size * f.ascender / f.units_per_em);
}
inline double text_descent(double font_size, bool bold = false) {
  const dejavu::face& f = bold ? dejavu::sans_bold : dejavu::sans;
  return std::ceil(-font_size * f.descender / f.units_per_em);
}

inline std::string escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

inline void text(std::string& o, double x, double y, const std::string& s, const char* anchor = "middle", int size = 11,
                 const char* extra = "") {
  o += "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-size=\"" + std::to_string(size) +
       "\" text-anchor=\"" + anchor + "\"" + extra + ">" + escape(s) + "</text>\n";
}

inline void line(std::string& o, double x1, double y1, double x2, double y2, const char* stroke, double width = 1,
                 const char* extra = "") {
  o += "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) + "\" y2=\"" + number(y2) +
       "\" stroke=\"" + stroke + "\" stroke-width=\"" + number(width) + "\"" + extra + "/>\n";
}

// The legend takes two columns when every name fits in half the plot width (about 6 units per
// character at font size 10), else one.
inline std::size_t legend_columns(const line_panel& p) {
  for (const auto& s : p.series)
    if (s.name.size() > 22) return 1;
  return 2;
}

inline std::size_t legend_rows(const line_panel& p) {
  const std::size_t c = legend_columns(p);
  return (p.series.size() + c - 1) / c;
}

// Past the palette's 8 colours, lines repeat them dashed, so up to 16 series stay distinct.
inline const char* dash_of(std::size_t s) {
  return s / palette.size() % 2 ? " stroke-dasharray=\"6 3\"" : "";
}

// A caption cut into lines of at most `width` characters at spaces (a longer word stays whole).
inline std::vector<std::string> wrap(const std::string& t, std::size_t width) {
  std::vector<std::string> lines(1);
  std::size_t start = 0;
  while (start <= t.size()) {
    std::size_t end = t.find(' ', start);
    if (end == std::string::npos) end = t.size();
    const std::string word = t.substr(start, end - start);
    if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width) lines.emplace_back();
    lines.back() += (lines.back().empty() ? "" : " ") + word;
    start = end + 1;
  }
  return lines;
}

inline double height_of(const line_panel& p) {
  return line_panel_height + legend_row * static_cast<double>(legend_rows(p));
}

inline double height_of(const heatmap_panel& p) {
  const double cell =
      (panel_width - heatmap_margin_left - 10) / static_cast<double>(std::max<Eigen::Index>(p.values.cols(), 1));
  return heatmap_margin_top + cell * static_cast<double>(p.values.rows()) + heatmap_margin_bottom;
}

inline void check(const line_panel& p, std::size_t index) {
  constexpr const char* fn = "to_svg";
  if (!(std::isfinite(p.y_min) && std::isfinite(p.y_max) && p.y_min < p.y_max))
    fail(fn, "line panel ", index, " (\"", p.title, "\"): need finite y_min < y_max, got ", p.y_min, " and ", p.y_max);
  if (p.x_ticks.empty()) fail(fn, "line panel ", index, " (\"", p.title, "\") has no x ticks");
  for (const auto& s : p.series) {
    if (s.y.size() != p.x_ticks.size())
      fail(fn, "line panel ", index, ", series \"", s.name, "\": ", s.y.size(), " values for ", p.x_ticks.size(),
           " x ticks");
    if ((!s.lower.empty() && s.lower.size() != s.y.size()) || (!s.upper.empty() && s.upper.size() != s.y.size()))
      fail(fn, "line panel ", index, ", series \"", s.name, "\": interval bounds must be empty or one per value");
    if (s.lower.empty() != s.upper.empty())
      fail(fn, "line panel ", index, ", series \"", s.name, "\": give both interval bounds or neither");
  }
}

inline void check(const heatmap_panel& p, std::size_t index) {
  constexpr const char* fn = "to_svg";
  if (p.values.size() == 0) fail(fn, "heatmap ", index, " (\"", p.title, "\") is empty");
  if (!(std::isfinite(p.v_min) && std::isfinite(p.v_max) && p.v_min < p.v_max))
    fail(fn, "heatmap ", index, " (\"", p.title, "\"): need finite v_min < v_max, got ", p.v_min, " and ", p.v_max);
  if (!p.row_labels.empty() && p.row_labels.size() != static_cast<std::size_t>(p.values.rows()))
    fail(fn, "heatmap ", index, ": ", p.row_labels.size(), " row labels for ", p.values.rows(), " rows");
  if (!p.column_labels.empty() && p.column_labels.size() != static_cast<std::size_t>(p.values.cols()))
    fail(fn, "heatmap ", index, ": ", p.column_labels.size(), " column labels for ", p.values.cols(), " columns");
  if (p.decimals > 17) fail(fn, "heatmap ", index, ": decimals must be at most 17, got ", p.decimals);
}

inline void draw(std::string& o, const line_panel& p) {
  const double left = 52, right = panel_width - 12, top = 30, bottom = 210;
  const auto y_of = [&](double v) {
    const double t = (std::clamp(v, p.y_min, p.y_max) - p.y_min) / (p.y_max - p.y_min);
    return bottom - t * (bottom - top);
  };
  const std::size_t nx = p.x_ticks.size();
  const double step = (right - left) / static_cast<double>(nx);
  const auto x_of = [&](std::size_t i) { return left + step * (static_cast<double>(i) + 0.5); };

  o += "<g class=\"line-panel\">\n";
  text(o, panel_width / 2, 18, p.title, "middle", 13, " font-weight=\"bold\"");
  o += "<rect x=\"" + number(left) + "\" y=\"" + number(top) + "\" width=\"" + number(right - left) + "\" height=\"" +
       number(bottom - top) + "\" fill=\"none\" stroke=\"#888888\"/>\n";
  for (int t = 0; t <= 4; ++t) {  // five ticks over [y_min, y_max]
    const double v = p.y_min + (p.y_max - p.y_min) * t / 4.0;
    line(o, left - 4, y_of(v), left, y_of(v), "#888888");
    line(o, left, y_of(v), right, y_of(v), "#dddddd", 0.5);
    text(o, left - 6, y_of(v) + 4, number(v, 2), "end", 10);
  }
  if (p.y_min < 0 && p.y_max > 0) line(o, left, y_of(0), right, y_of(0), "#888888", 1, " stroke-dasharray=\"4 3\"");
  for (std::size_t i = 0; i < nx; ++i) text(o, x_of(i), bottom + 15, p.x_ticks[i], "middle", 10);
  text(o, (left + right) / 2, bottom + 32, p.x_label, "middle", 11);
  text(o, 14, (top + bottom) / 2, p.y_label, "middle", 11,
       (" transform=\"rotate(-90 14 " + number((top + bottom) / 2) + ")\"").c_str());

  const std::size_t ns = p.series.size();
  for (std::size_t s = 0; s < ns; ++s) {
    const auto& se = p.series[s];
    const char* colour = palette[s % palette.size()];
    // Spread the series a little along x so that their interval bars do not hide each other.
    const double dx = ns > 1 ? (static_cast<double>(s) - (ns - 1) / 2.0) * std::min(4.0, step * 0.4 / ns) : 0;
    std::string path;
    bool pen_down = false;
    for (std::size_t i = 0; i < nx; ++i) {
      if (std::isnan(se.y[i])) {
        pen_down = false;
        continue;
      }
      path += (pen_down ? " L " : (path.empty() ? "M " : " M ")) + number(x_of(i) + dx) + " " + number(y_of(se.y[i]));
      pen_down = true;
    }
    o += "<g class=\"series\" data-name=\"" + escape(se.name) + "\">\n";
    if (!path.empty())
      o +=
          "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.8\"" + dash_of(s) + "/>\n";
    for (std::size_t i = 0; i < nx; ++i) {
      if (std::isnan(se.y[i])) continue;
      const double x = x_of(i) + dx;
      if (!se.lower.empty() && !std::isnan(se.lower[i]) && !std::isnan(se.upper[i])) {
        line(o, x, y_of(se.lower[i]), x, y_of(se.upper[i]), colour);
        line(o, x - 3, y_of(se.lower[i]), x + 3, y_of(se.lower[i]), colour);
        line(o, x - 3, y_of(se.upper[i]), x + 3, y_of(se.upper[i]), colour);
      }
      o +=
          "<circle cx=\"" + number(x) + "\" cy=\"" + number(y_of(se.y[i])) + "\" r=\"2.8\" fill=\"" + colour + "\"/>\n";
    }
    o += "</g>\n";
    const std::size_t lc = legend_columns(p);
    const double lx = left + static_cast<double>(s % lc) * (right - left) / 2;
    const double ly = bottom + 50 + legend_row * static_cast<double>(s / lc);
    line(o, lx, ly - 4, lx + 18, ly - 4, colour, 2, dash_of(s));
    text(o, lx + 22, ly, se.name, "start", 10);
  }
  o += "</g>\n";
}

inline std::string rgb(double t) {
  // Linear ramp from ColorBrewer Blues' lightest (#f7fbff) to darkest (#08306b).
  const auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
  return "rgb(" + std::to_string(mix(247, 8)) + "," + std::to_string(mix(251, 48)) + "," +
         std::to_string(mix(255, 107)) + ")";
}

inline void draw(std::string& o, const heatmap_panel& p) {
  const Eigen::Index rows = p.values.rows(), cols = p.values.cols();
  const double cell = (panel_width - heatmap_margin_left - 10) / static_cast<double>(cols);
  const double x0 = heatmap_margin_left, y0 = heatmap_margin_top;
  o += "<g class=\"heatmap\" data-rows=\"" + std::to_string(rows) + "\" data-columns=\"" + std::to_string(cols) +
       "\">\n";
  text(o, panel_width / 2, 18, p.title, "middle", 13, " font-weight=\"bold\"");
  const int font = static_cast<int>(std::clamp(cell * 0.32, 6.0, 12.0));
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < cols; ++c) {
      const double v = p.values(r, c), x = x0 + cell * static_cast<double>(c), y = y0 + cell * static_cast<double>(r);
      const bool missing = std::isnan(v);
      const double t = missing ? 0 : std::clamp((v - p.v_min) / (p.v_max - p.v_min), 0.0, 1.0);
      o += "<rect class=\"cell\" x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" + number(cell) +
           "\" height=\"" + number(cell) + "\" fill=\"" + (missing ? std::string("#cccccc") : rgb(t)) +
           "\" stroke=\"#ffffff\" stroke-width=\"0.5\"/>\n";
      if (!missing && p.decimals >= 0)
        text(o, x + cell / 2, y + cell / 2 + font / 3.0, number(v, p.decimals), "middle", font,
             t > 0.55 ? " fill=\"#ffffff\"" : "");
    }
  }
  for (Eigen::Index r = 0; r < rows && !p.row_labels.empty(); ++r)
    text(o, x0 - 4, y0 + cell * (static_cast<double>(r) + 0.5) + 4, p.row_labels[static_cast<std::size_t>(r)], "end",
         10);
  for (Eigen::Index c = 0; c < cols && !p.column_labels.empty(); ++c) {
    const double x = x0 + cell * (static_cast<double>(c) + 0.5), y = y0 + cell * static_cast<double>(rows) + 10;
    text(o, x, y, p.column_labels[static_cast<std::size_t>(c)], "end", 10,
         (" transform=\"rotate(-45 " + number(x) + " " + number(y) + ")\"").c_str());
  }
  o += "</g>\n";
}

}  // namespace detail::svg

/// The figure as an SVG 1.1 document. Panels are `panel_width` (360) units wide; each grid row is as
/// tall as its tallest panel. Complexity O(points + cells). Throws disfer::error ("to_svg: ...")
/// when columns is 0, the figure has no panel, a series' length differs from its panel's x ticks,
/// interval bounds are given for some points only, a label count differs from the matrix, a heatmap
/// is empty, or a scale is not finite and increasing.
inline std::string to_svg(const figure& f) {
  namespace s = detail::svg;
  if (f.columns == 0) detail::fail("to_svg", "columns must be at least 1");
  const std::size_t n = f.lines.size() + f.heatmaps.size();
  if (n == 0) detail::fail("to_svg", "the figure has no panel");
  for (std::size_t i = 0; i < f.lines.size(); ++i) s::check(f.lines[i], i);
  for (std::size_t i = 0; i < f.heatmaps.size(); ++i) s::check(f.heatmaps[i], i);

  const std::size_t cols = std::min(f.columns, n), grid_rows = (n + cols - 1) / cols;
  const auto height = [&](std::size_t i) {
    return i < f.lines.size() ? s::height_of(f.lines[i]) : s::height_of(f.heatmaps[i - f.lines.size()]);
  };
  std::vector<double> row_top(grid_rows + 1, 0);
  const double title_h = f.title.empty() ? 8 : 34;
  row_top[0] = title_h;
  for (std::size_t r = 0; r < grid_rows; ++r) {
    double h = 0;
    for (std::size_t i = r * cols; i < std::min(n, (r + 1) * cols); ++i) h = std::max(h, height(i));
    row_top[r + 1] = row_top[r] + h;
  }
  const double width = s::panel_width * static_cast<double>(cols);
  const std::vector<std::string> caption =
      f.caption.empty() ? std::vector<std::string>{} : s::wrap(f.caption, static_cast<std::size_t>(width / 6.2));
  const double total = row_top[grid_rows] + 8 + 14 * static_cast<double>(caption.size());

  std::string o;
  o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + s::number(width, 0) + "\" height=\"" +
       s::number(total, 0) + "\" viewBox=\"0 0 " + s::number(width, 0) + " " + s::number(total, 0) +
       "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  if (!f.title.empty()) s::text(o, width / 2, 22, f.title, "middle", 15, " font-weight=\"bold\"");
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = i / cols, c = i % cols;
    o += "<g transform=\"translate(" + s::number(s::panel_width * static_cast<double>(c)) + " " +
         s::number(row_top[r]) + ")\">\n";
    if (i < f.lines.size())
      s::draw(o, f.lines[i]);
    else
      s::draw(o, f.heatmaps[i - f.lines.size()]);
    o += "</g>\n";
  }
  for (std::size_t i = 0; i < caption.size(); ++i)
    s::text(o, 10, row_top[grid_rows] + 14 * static_cast<double>(i + 1), caption[i], "start", 10);
  o += "</svg>\n";
  return o;
}

/// Writes to_svg(f) to `path` through a staged file (a partial file never takes the name).
/// Throws disfer::error ("write_svg: ...") when the file exists under overwrite_policy::refuse or
/// cannot be written, and as to_svg.
inline void write_svg(const std::string& path, const figure& f, overwrite_policy policy = overwrite_policy::refuse) {
  const std::string svg = to_svg(f);
  staged_file out(path, policy, "write_svg");
  out.stream() << svg;
  out.commit();
}

}  // namespace disfer
