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

constexpr double panel_width = 360, legend_row = 16;
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
  const auto* it =
      std::lower_bound(f.advances, end, c, [](const dejavu::glyph_advance& g, char32_t v) { return g.code < v; });
  return it != end && it->code == c ? it->advance : f.fallback_advance;
}

inline bool tabulated(const dejavu::face& f, char32_t c) {
  const auto* end = f.advances + f.n_advances;
  const auto* it =
      std::lower_bound(f.advances, end, c, [](const dejavu::glyph_advance& g, char32_t v) { return g.code < v; });
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

// A font size as written: "10" for whole sizes, else one decimal ("7.5").
inline std::string size_text(double size) {
  return size == std::floor(size) ? number(size, 0) : number(size, 1);
}

inline void text(std::string& o, double x, double y, const std::string& s, const char* anchor = "middle",
                 double size = 11, const char* extra = "") {
  o += "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-size=\"" + size_text(size) + "\" text-anchor=\"" +
       anchor + "\"" + extra + ">" + escape(s) + "</text>\n";
}

inline void line(std::string& o, double x1, double y1, double x2, double y2, const char* stroke, double width = 1,
                 const char* extra = "") {
  o += "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) + "\" y2=\"" + number(y2) +
       "\" stroke=\"" + stroke + "\" stroke-width=\"" + number(width) + "\"" + extra + "/>\n";
}

// Past the palette's 8 colours, lines repeat them dashed, so up to 16 series stay distinct.
inline const char* dash_of(std::size_t s) {
  return s / palette.size() % 2 ? " stroke-dasharray=\"6 3\"" : "";
}

// Text cut into lines at spaces so that each line measures at most `width` at `size` (a word wider
// than that stays whole, on a line of its own).
inline std::vector<std::string> wrap(const std::string& t, double width, double size, bool bold = false) {
  std::vector<std::string> lines(1);
  std::size_t start = 0;
  while (start <= t.size()) {
    std::size_t end = t.find(' ', start);
    if (end == std::string::npos) end = t.size();
    const std::string word = t.substr(start, end - start);
    if (!lines.back().empty() && text_width(lines.back() + " " + word, size, bold) > width) lines.emplace_back();
    lines.back() += (lines.back().empty() ? "" : " ") + word;
    start = end + 1;
  }
  return lines;
}

inline double widest(const std::vector<std::string>& lines, double size, bool bold = false) {
  double w = 0;
  for (const auto& l : lines) w = std::max(w, text_width(l, size, bold));
  return w;
}

// A title or caption block: lines wrapped to a width, their size, the distance between baselines.
struct text_block {
  std::vector<std::string> lines;
  double size = 11, step = 14;
  bool bold = false;
  double height() const { return lines.empty() ? 0 : step * static_cast<double>(lines.size()); }
};

// Wraps `t` to `width` at `size`; when a word alone is wider, the size shrinks (to `min_size` at
// most) until every line fits. The block may still be wider than `width` at min_size: callers widen
// their box to widest(lines).
inline text_block fit_block(const std::string& t, double width, double size, double min_size, bool bold) {
  text_block b;
  b.bold = bold;
  if (t.empty()) return b;
  for (b.size = size;; b.size -= 0.5) {
    b.lines = wrap(t, width, b.size, bold);
    if (widest(b.lines, b.size, bold) <= width || b.size - 0.5 < min_size) break;
  }
  b.step = text_ascent(b.size, bold) + text_descent(b.size, bold) + 3;
  return b;
}

inline double block_width(const text_block& b) {
  return widest(b.lines, b.size, b.bold);
}

// Draws a block centred on x (or starting at x for anchor "start"); the first baseline at y.
inline void draw_block(std::string& o, const text_block& b, double x, double y, const char* anchor) {
  const char* weight = b.bold ? " font-weight=\"bold\"" : "";
  for (std::size_t i = 0; i < b.lines.size(); ++i)
    text(o, x, y + b.step * static_cast<double>(i), b.lines[i], anchor, b.size, weight);
}

constexpr double tick_size = 10, label_size = 11, title_size = 13, legend_swatch = 22, legend_gap = 14;
constexpr double cos45 = 0.70710678118654752;

// Extents around the anchor of a label drawn with text-anchor="end" and rotate(-45): to the left,
// above, below (see the corners of the rotated box in docs/report.md).
struct rotated_extent {
  double left, up, down;
};
inline rotated_extent rotated45(const std::string& s, double size) {
  const double w = text_width(s, size), a = text_ascent(size), d = text_descent(size);
  return {cos45 * (w + a), cos45 * a, cos45 * (w + d)};
}
// Horizontal spacing at which -45 degree labels of `size` do not touch: their line boxes are parallel
// strips a + d thick, cos45 * spacing apart.
inline double rotated_spacing(double size) {
  return (text_ascent(size) + text_descent(size) + 1) / cos45;
}

// Where everything of a line panel goes (computed from its texts' measured widths).
struct line_layout {
  double width = panel_width, height = 0;
  text_block title;
  double left = 0, right = 0, top = 0, bottom = 0, step = 0;
  bool rotate_ticks = false;
  double tick_y = 0;  ///< baseline (flat) or anchor (rotated) of the x tick labels
  double x_label_y = 0, y_label_x = 0, y_label_size = label_size;
  double legend_top = 0, legend_column = 0;
  std::size_t legend_columns = 1;
};

inline line_layout layout_of(const line_panel& p) {
  line_layout L;
  const std::size_t nx = p.x_ticks.size();
  double tick_w = 0, widest_tick = 0;
  for (int t = 0; t <= 4; ++t)
    tick_w = std::max(tick_w, text_width(number(p.y_min + (p.y_max - p.y_min) * t / 4.0, 2), tick_size));
  for (const auto& t : p.x_ticks) widest_tick = std::max(widest_tick, text_width(t, tick_size));
  const double plot_h = 180;
  // y label rotated -90 centred at y_label_x; its line box spans [x - ascent, x + descent].
  L.y_label_size = label_size;
  while (L.y_label_size > 6 && text_width(p.y_label, L.y_label_size) > plot_h) L.y_label_size -= 0.5;
  L.y_label_x = 3 + text_ascent(L.y_label_size);
  L.left = L.y_label_x + text_descent(L.y_label_size) + 4 + tick_w + 6;
  // Flat x ticks while the widest fits its step; else -45 degrees, at least rotated_spacing apart.
  double plot_w = std::max(panel_width - L.left - 12, 40.0);
  L.rotate_ticks = widest_tick > plot_w / static_cast<double>(nx) - 4;
  if (L.rotate_ticks) {
    plot_w = std::max(plot_w, rotated_spacing(tick_size) * static_cast<double>(nx));
    L.step = plot_w / static_cast<double>(nx);
    for (std::size_t i = 0; i < nx; ++i)  // the first labels reach left of the plot
      L.left = std::max(L.left, rotated45(p.x_ticks[i], tick_size).left - L.step * (static_cast<double>(i) + 0.5) + 4);
  } else {
    L.step = plot_w / static_cast<double>(nx);
  }
  // Legend entries: swatch, name, gap; as many columns as fit in the panel.
  double entry = 0;
  for (const auto& s : p.series) entry = std::max(entry, legend_swatch + text_width(s.name, tick_size) + legend_gap);
  L.width = std::max({panel_width, L.left + plot_w + 12, entry + 16, text_width(p.x_label, label_size) + 16});
  L.title = fit_block(p.title, L.width - 12, title_size, 9, true);
  L.width = std::max(L.width, block_width(L.title) + 12);
  plot_w = L.width - L.left - 12;
  L.right = L.left + plot_w;
  L.step = plot_w / static_cast<double>(nx);
  L.top = 4 + text_ascent(title_size, true) + L.title.height() - L.title.step + text_descent(title_size, true) + 8;
  if (p.title.empty()) L.top = 12;
  L.bottom = L.top + plot_h;
  double ticks_bottom = 0;
  if (L.rotate_ticks) {
    double down = 0, up = 0;
    for (const auto& t : p.x_ticks) {
      const auto e = rotated45(t, tick_size);
      down = std::max(down, e.down);
      up = std::max(up, e.up);
    }
    L.tick_y = L.bottom + 4 + up;
    ticks_bottom = L.tick_y + down;
  } else {
    L.tick_y = L.bottom + 4 + text_ascent(tick_size);
    ticks_bottom = L.tick_y + text_descent(tick_size);
  }
  L.x_label_y = ticks_bottom + 4 + text_ascent(label_size);
  const double x_label_bottom = p.x_label.empty() ? ticks_bottom : L.x_label_y + text_descent(label_size);
  L.legend_column = entry;
  L.legend_columns = std::max<std::size_t>(
      1, std::min<std::size_t>(p.series.size(), static_cast<std::size_t>((L.width - 16) / std::max(entry, 1.0))));
  const std::size_t rows = (p.series.size() + L.legend_columns - 1) / L.legend_columns;
  L.legend_top = x_label_bottom + 6;
  L.height = L.legend_top + legend_row * static_cast<double>(rows) + 6;
  return L;
}

// Where everything of a heatmap goes.
struct heatmap_layout {
  double width = panel_width, height = 0;
  text_block title;
  double x0 = 0, y0 = 0, cell = 0, font = 0;
  double column_label_y = 0;
};

inline heatmap_layout layout_of(const heatmap_panel& p) {
  heatmap_layout L;
  const auto rows = static_cast<double>(p.values.rows()), cols = static_cast<double>(p.values.cols());
  double row_w = 0;
  for (const auto& r : p.row_labels) row_w = std::max(row_w, text_width(r, tick_size));
  L.x0 = std::max(20.0, row_w + 10);
  const double min_cell = std::max(22.0, p.column_labels.empty() ? 0.0 : rotated_spacing(tick_size));
  for (int pass = 0; pass < 2; ++pass) {  // the first column labels may reach left of the grid
    L.cell = std::max(min_cell, (panel_width - L.x0 - 10) / cols);
    for (std::size_t c = 0; c < p.column_labels.size(); ++c)
      L.x0 =
          std::max(L.x0, rotated45(p.column_labels[c], tick_size).left - L.cell * (static_cast<double>(c) + 0.5) + 4);
  }
  L.width = std::max(panel_width, L.x0 + L.cell * cols + 10);
  L.title = fit_block(p.title, L.width - 12, title_size, 9, true);
  L.width = std::max(L.width, block_width(L.title) + 12);
  L.y0 = p.title.empty()
             ? 10
             : 4 + text_ascent(title_size, true) + L.title.height() - L.title.step + text_descent(title_size, true) + 8;
  // Cell text: the widest annotation and its line box fit the cell with a margin.
  double widest_value = 0;
  for (Eigen::Index r = 0; r < p.values.rows(); ++r)
    for (Eigen::Index c = 0; c < p.values.cols(); ++c)
      if (!std::isnan(p.values(r, c)) && p.decimals >= 0)
        widest_value = std::max(widest_value, text_width(number(p.values(r, c), p.decimals), 1));
  L.font = std::clamp(std::floor(L.cell * 0.32), 6.0, 12.0);
  while (L.font > 2 && (widest_value * L.font > L.cell - 4 || text_ascent(L.font) + text_descent(L.font) > L.cell - 2))
    L.font -= 0.5;
  double down = 0, up = 0;
  for (const auto& c : p.column_labels) {
    const auto e = rotated45(c, tick_size);
    down = std::max(down, e.down);
    up = std::max(up, e.up);
  }
  L.column_label_y = L.y0 + L.cell * rows + 4 + up;
  L.height = p.column_labels.empty() ? L.y0 + L.cell * rows + 10 : L.column_label_y + down + 8;
  return L;
}

inline double width_of(const line_panel& p) {
  return layout_of(p).width;
}
inline double width_of(const heatmap_panel& p) {
  return layout_of(p).width;
}
inline double height_of(const line_panel& p) {
  return layout_of(p).height;
}
inline double height_of(const heatmap_panel& p) {
  return layout_of(p).height;
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
  const line_layout L = layout_of(p);
  const double left = L.left, right = L.right, top = L.top, bottom = L.bottom;
  const auto y_of = [&](double v) {
    const double t = (std::clamp(v, p.y_min, p.y_max) - p.y_min) / (p.y_max - p.y_min);
    return bottom - t * (bottom - top);
  };
  const std::size_t nx = p.x_ticks.size();
  const double step = L.step;
  const auto x_of = [&](std::size_t i) { return left + step * (static_cast<double>(i) + 0.5); };

  o += "<g class=\"line-panel\">\n";
  draw_block(o, L.title, L.width / 2, 4 + text_ascent(title_size, true), "middle");
  o += "<rect x=\"" + number(left) + "\" y=\"" + number(top) + "\" width=\"" + number(right - left) + "\" height=\"" +
       number(bottom - top) + "\" fill=\"none\" stroke=\"#888888\"/>\n";
  for (int t = 0; t <= 4; ++t) {  // five ticks over [y_min, y_max]
    const double v = p.y_min + (p.y_max - p.y_min) * t / 4.0;
    line(o, left - 4, y_of(v), left, y_of(v), "#888888");
    line(o, left, y_of(v), right, y_of(v), "#dddddd", 0.5);
    text(o, left - 6, y_of(v) + 3.5, number(v, 2), "end", tick_size);
  }
  if (p.y_min < 0 && p.y_max > 0) line(o, left, y_of(0), right, y_of(0), "#888888", 1, " stroke-dasharray=\"4 3\"");
  for (std::size_t i = 0; i < nx; ++i) {
    if (L.rotate_ticks)
      text(o, x_of(i), L.tick_y, p.x_ticks[i], "end", tick_size,
           (" transform=\"rotate(-45 " + number(x_of(i)) + " " + number(L.tick_y) + ")\"").c_str());
    else
      text(o, x_of(i), L.tick_y, p.x_ticks[i], "middle", tick_size);
  }
  text(o, (left + right) / 2, L.x_label_y, p.x_label, "middle", label_size);
  // Rotated -90 around (x, mid): the baseline is vertical, ascent to the left of x.
  const double y_label_base = L.y_label_x + text_ascent(L.y_label_size) / 2 - text_descent(L.y_label_size) / 2;
  text(o, y_label_base, (top + bottom) / 2 + 0, p.y_label, "middle", L.y_label_size,
       (" transform=\"rotate(-90 " + number(y_label_base) + " " + number((top + bottom) / 2) + ")\"").c_str());

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
    const double lx = 8 + static_cast<double>(s % L.legend_columns) * L.legend_column;
    const double ly = L.legend_top + text_ascent(tick_size) + legend_row * static_cast<double>(s / L.legend_columns);
    line(o, lx, ly - 4, lx + 18, ly - 4, colour, 2, dash_of(s));
    text(o, lx + legend_swatch, ly, se.name, "start", tick_size);
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
  const heatmap_layout L = layout_of(p);
  const Eigen::Index rows = p.values.rows(), cols = p.values.cols();
  const double cell = L.cell, x0 = L.x0, y0 = L.y0;
  o += "<g class=\"heatmap\" data-rows=\"" + std::to_string(rows) + "\" data-columns=\"" + std::to_string(cols) +
       "\">\n";
  draw_block(o, L.title, L.width / 2, 4 + text_ascent(title_size, true), "middle");
  const double font = L.font;
  // Baseline that centres the line box (ascent above, descent below) in the cell.
  const double centre = (text_ascent(font) - text_descent(font)) / 2;
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < cols; ++c) {
      const double v = p.values(r, c), x = x0 + cell * static_cast<double>(c), y = y0 + cell * static_cast<double>(r);
      const bool missing = std::isnan(v);
      const double t = missing ? 0 : std::clamp((v - p.v_min) / (p.v_max - p.v_min), 0.0, 1.0);
      o += "<rect class=\"cell\" x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" + number(cell) +
           "\" height=\"" + number(cell) + "\" fill=\"" + (missing ? std::string("#cccccc") : rgb(t)) +
           "\" stroke=\"#ffffff\" stroke-width=\"0.5\"/>\n";
      if (!missing && p.decimals >= 0)
        text(o, x + cell / 2, y + cell / 2 + centre, number(v, p.decimals), "middle", font,
             t > 0.55 ? " fill=\"#ffffff\"" : "");
    }
  }
  const double row_centre = (text_ascent(tick_size) - text_descent(tick_size)) / 2;
  for (Eigen::Index r = 0; r < rows && !p.row_labels.empty(); ++r)
    text(o, x0 - 5, y0 + cell * (static_cast<double>(r) + 0.5) + row_centre, p.row_labels[static_cast<std::size_t>(r)],
         "end", tick_size);
  for (Eigen::Index c = 0; c < cols && !p.column_labels.empty(); ++c) {
    const double x = x0 + cell * (static_cast<double>(c) + 0.5), y = L.column_label_y;
    text(o, x, y, p.column_labels[static_cast<std::size_t>(c)], "end", tick_size,
         (" transform=\"rotate(-45 " + number(x) + " " + number(y) + ")\"").c_str());
  }
  o += "</g>\n";
}

}  // namespace detail::svg

/// The figure as an SVG 1.1 document in DejaVu Sans, laid out from measured text widths (see the
/// file comment): panels are at least `panel_width` (360) units wide and grow to fit their labels
/// and legend; each grid column is as wide as its widest panel and each grid row as tall as its
/// tallest; the title and the caption wrap to the figure's width. Complexity O(points + cells +
/// characters). Throws disfer::error ("to_svg: ...") when columns is 0, the figure has no panel, a
/// series' length differs from its panel's x ticks, interval bounds are given for some points only,
/// a label count differs from the matrix, a heatmap is empty, or a scale is not finite and increasing.
inline std::string to_svg(const figure& f) {
  namespace s = detail::svg;
  if (f.columns == 0) detail::fail("to_svg", "columns must be at least 1");
  const std::size_t n = f.lines.size() + f.heatmaps.size();
  if (n == 0) detail::fail("to_svg", "the figure has no panel");
  for (std::size_t i = 0; i < f.lines.size(); ++i) s::check(f.lines[i], i);
  for (std::size_t i = 0; i < f.heatmaps.size(); ++i) s::check(f.heatmaps[i], i);

  const std::size_t cols = std::min(f.columns, n), grid_rows = (n + cols - 1) / cols;
  std::vector<double> w(n), h(n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool is_line = i < f.lines.size();
    w[i] = is_line ? s::width_of(f.lines[i]) : s::width_of(f.heatmaps[i - f.lines.size()]);
    h[i] = is_line ? s::height_of(f.lines[i]) : s::height_of(f.heatmaps[i - f.lines.size()]);
  }
  std::vector<double> col_left(cols + 1, 0), row_top(grid_rows + 1, 0);
  for (std::size_t c = 0; c < cols; ++c) {
    double cw = 0;
    for (std::size_t i = c; i < n; i += cols) cw = std::max(cw, w[i]);
    col_left[c + 1] = col_left[c] + cw;
  }
  double width = col_left[cols];
  // Title (bold 15) and caption (10) wrap to the figure; a word too wide even at their smallest
  // size widens the figure.
  s::text_block title = s::fit_block(f.title, width - 20, 15, 9, true);
  s::text_block caption = s::fit_block(f.caption, width - 20, 10, 7, false);
  width = std::ceil(std::max({width, s::block_width(title) + 20, s::block_width(caption) + 20}));
  const double title_base = 6 + s::text_ascent(title.size, true);
  row_top[0] = f.title.empty() ? 8 : title_base + title.height() - title.step + s::text_descent(title.size, true) + 8;
  for (std::size_t r = 0; r < grid_rows; ++r) {
    double rh = 0;
    for (std::size_t i = r * cols; i < std::min(n, (r + 1) * cols); ++i) rh = std::max(rh, h[i]);
    row_top[r + 1] = row_top[r] + rh;
  }
  const double caption_base = row_top[grid_rows] + 6 + s::text_ascent(caption.size);
  const double total =
      std::ceil(f.caption.empty() ? row_top[grid_rows] + 8
                                  : caption_base + caption.height() - caption.step + s::text_descent(caption.size) + 8);

  std::string o;
  o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + s::number(width, 0) + "\" height=\"" +
       s::number(total, 0) + "\" viewBox=\"0 0 " + s::number(width, 0) + " " + s::number(total, 0) +
       "\" font-family=\"DejaVu Sans\">\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  s::draw_block(o, title, width / 2, title_base, "middle");
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = i / cols, c = i % cols;
    o += "<g transform=\"translate(" + s::number(col_left[c]) + " " + s::number(row_top[r]) + ")\">\n";
    if (i < f.lines.size())
      s::draw(o, f.lines[i]);
    else
      s::draw(o, f.heatmaps[i - f.lines.size()]);
    o += "</g>\n";
  }
  s::draw_block(o, caption, 10, caption_base, "start");
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
