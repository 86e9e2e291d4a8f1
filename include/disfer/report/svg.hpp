#pragma once
/// \file
/// PLACEHOLDER for the lead's report/svg.hpp (same API); replaced by the version on main when it
/// lands. Figures as SVG: line panels (one line per series, optional interval band) and heatmaps
/// (`<g class="heatmap" data-rows="R" data-columns="C">` with R*C `<rect class="cell">`).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "disfer/io/staged_file.hpp"

namespace disfer {

struct plot_series {
  std::string name;
  std::vector<double> y;
  std::vector<double> lower, upper;
};
struct line_panel {
  std::string title, x_label, y_label;
  std::vector<std::string> x_ticks;
  std::vector<plot_series> series;
  double y_min = 0, y_max = 1;
};
struct heatmap_panel {
  std::string title;
  std::vector<std::string> row_labels, column_labels;
  Eigen::MatrixXd values;
  double v_min = 0, v_max = 1;
  int decimals = 2;
};
struct figure {
  std::string title;
  std::size_t columns = 3;
  std::vector<line_panel> lines;
  std::vector<heatmap_panel> heatmaps;
  std::string caption;
};

namespace detail {
inline std::string svg_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<')
      o += "&lt;";
    else if (c == '>')
      o += "&gt;";
    else if (c == '&')
      o += "&amp;";
    else if (c == '"')
      o += "&quot;";
    else
      o += c;
  }
  return o;
}
inline std::string svg_num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}
}  // namespace detail

inline std::string to_svg(const figure& f) {
  using detail::svg_escape;
  using detail::svg_num;
  const double pw = 320, ph = 300;
  const std::size_t cols = std::max<std::size_t>(1, f.columns);
  const std::size_t n = f.lines.size() + f.heatmaps.size();
  const std::size_t rows = (n + cols - 1) / cols;
  const double W = pw * static_cast<double>(cols), H = 40 + ph * static_cast<double>(rows) + 30;
  static const char* colours[] = {"#000000", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << svg_num(W) << "\" height=\"" << svg_num(H) << "\">\n";
  o << "<rect x=\"0\" y=\"0\" width=\"" << svg_num(W) << "\" height=\"" << svg_num(H) << "\" fill=\"white\"/>\n";
  o << "<text x=\"10\" y=\"24\" font-size=\"16\">" << svg_escape(f.title) << "</text>\n";
  std::size_t slot = 0;
  auto origin = [&](double& x0, double& y0) {
    x0 = pw * static_cast<double>(slot % cols);
    y0 = 40 + ph * static_cast<double>(slot / cols);
    ++slot;
  };
  for (const auto& p : f.lines) {
    double x0, y0;
    origin(x0, y0);
    const double L = x0 + 45, T = y0 + 25, R = x0 + pw - 15, B = y0 + ph - 70;
    o << "<g class=\"line-panel\">\n<text x=\"" << svg_num(x0 + 45) << "\" y=\"" << svg_num(y0 + 15)
      << "\" font-size=\"12\">" << svg_escape(p.title) << "</text>\n";
    o << "<rect x=\"" << svg_num(L) << "\" y=\"" << svg_num(T) << "\" width=\"" << svg_num(R - L) << "\" height=\""
      << svg_num(B - T) << "\" fill=\"none\" stroke=\"#444\"/>\n";
    const std::size_t nx = p.x_ticks.size();
    auto X = [&](std::size_t i) {
      return nx <= 1 ? (L + R) / 2 : L + 10 + (R - L - 20) * static_cast<double>(i) / static_cast<double>(nx - 1);
    };
    auto Y = [&](double v) { return B - (B - T) * (v - p.y_min) / (p.y_max - p.y_min); };
    for (std::size_t i = 0; i < nx; ++i)
      o << "<text x=\"" << svg_num(X(i)) << "\" y=\"" << svg_num(B + 14) << "\" font-size=\"9\" text-anchor=\"middle\">"
        << svg_escape(p.x_ticks[i]) << "</text>\n";
    for (std::size_t s = 0; s < p.series.size(); ++s) {
      const auto& ser = p.series[s];
      const char* c = colours[s % 7];
      std::string path;
      for (std::size_t i = 0; i < ser.y.size() && i < nx; ++i) {
        if (std::isnan(ser.y[i])) continue;
        path += (path.empty() ? "M" : " L") + svg_num(X(i)) + " " + svg_num(Y(ser.y[i]));
        if (ser.lower.size() == ser.y.size() && !std::isnan(ser.lower[i]))
          o << "<line x1=\"" << svg_num(X(i)) << "\" y1=\"" << svg_num(Y(ser.lower[i])) << "\" x2=\"" << svg_num(X(i))
            << "\" y2=\"" << svg_num(Y(ser.upper[i])) << "\" stroke=\"" << c << "\"/>\n";
      }
      o << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << c << "\" stroke-width=\"1.5\"/>\n";
      o << "<text x=\"" << svg_num(L) << "\" y=\"" << svg_num(B + 30 + 10 * static_cast<double>(s))
        << "\" font-size=\"9\" fill=\"" << c << "\">" << svg_escape(ser.name) << "</text>\n";
    }
    o << "</g>\n";
  }
  for (const auto& h : f.heatmaps) {
    double x0, y0;
    origin(x0, y0);
    const auto R = static_cast<std::size_t>(h.values.rows()), C = static_cast<std::size_t>(h.values.cols());
    const double L = x0 + 60, T = y0 + 25, cw = (pw - 75) / static_cast<double>(std::max<std::size_t>(C, 1)),
                 ch = (ph - 90) / static_cast<double>(std::max<std::size_t>(R, 1));
    o << "<g class=\"heatmap\" data-rows=\"" << R << "\" data-columns=\"" << C << "\">\n<text x=\"" << svg_num(x0 + 60)
      << "\" y=\"" << svg_num(y0 + 15) << "\" font-size=\"12\">" << svg_escape(h.title) << "</text>\n";
    for (std::size_t i = 0; i < R; ++i)
      for (std::size_t j = 0; j < C; ++j) {
        const double v = h.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        std::string fill = "#cccccc";
        if (!std::isnan(v)) {
          const double t = std::clamp((v - h.v_min) / (h.v_max - h.v_min), 0.0, 1.0);
          const int g = static_cast<int>(std::lround(255 * (1 - t)));
          char b[16];
          std::snprintf(b, sizeof b, "#%02x%02xff", g, g);
          fill = b;
        }
        const double x = L + cw * static_cast<double>(j), y = T + ch * static_cast<double>(i);
        o << "<rect class=\"cell\" x=\"" << svg_num(x) << "\" y=\"" << svg_num(y) << "\" width=\"" << svg_num(cw)
          << "\" height=\"" << svg_num(ch) << "\" fill=\"" << fill << "\"/>\n";
      }
    o << "</g>\n";
  }
  o << "<text x=\"10\" y=\"" << svg_num(H - 10) << "\" font-size=\"10\">" << svg_escape(f.caption)
    << "</text>\n</svg>\n";
  return o.str();
}

inline void write_svg(const std::string& path, const figure& f, overwrite_policy policy = overwrite_policy::refuse) {
  staged_file file(path, policy, "write_svg");
  file.stream() << to_svg(f);
  file.commit();
}

}  // namespace disfer
