#pragma once
/// \file
/// report.html: a reproduction on one self-contained page a reader opens in any browser. Every
/// terminal table (each result beside the paper's value, report/reproduction_tables.hpp) with the
/// origin of each row as a badge, the figures inline as SVG, the provenance, and links to the CSV
/// and JSON files written beside it. No script, no external file, no web font: the page reads the
/// same offline. Wide tables scroll inside their own box, and figures scale down to the page width,
/// so the page itself never needs a horizontal scroll bar (tests/report/browser/check_report_html.cjs
/// checks this in Chromium at 1280 px). Deterministic: the same result gives the same bytes.

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/random.hpp"
#include "disfer/report/provenance.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/report/reproduction_tables.hpp"
#include "disfer/report/svg.hpp"
#include "disfer/report/table.hpp"
#include "disfer/version.hpp"

namespace disfer {

namespace detail::html {

// XML's five escapes serve HTML too (the SVG writer's).
using svg::escape;

// A cell naming an origin ("measured", "simulated", "mixed", "mixed: not tested ...", "paper")
// becomes a badge of that class; other cells are text.
inline std::string cell(const std::string& s) {
  for (const char* o : {"measured", "simulated", "mixed", "paper"}) {
    const std::string name = o;
    if (s.compare(0, name.size(), name) == 0 && (s.size() == name.size() || s[name.size()] == ':'))
      return "<span class=\"badge " + name + "\">" + escape(s) + "</span>";
  }
  return escape(s);
}

inline void table(std::ostream& out, const text_table& t) {
  out << "<section class=\"table\">\n<h3>" << escape(t.title) << "</h3>\n<div class=\"scroll\"><table>\n<thead><tr>";
  for (const auto& h : t.header) out << "<th>" << escape(h) << "</th>";
  out << "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out << "<tr>";
    for (std::size_t c = 0; c < t.header.size(); ++c) out << "<td>" << (c < row.size() ? cell(row[c]) : "") << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody></table></div>\n";
  if (!t.note.empty()) out << "<p class=\"note\">" << escape(t.note) << "</p>\n";
  out << "</section>\n";
}

// The SVG of a figure without its XML declaration (inline SVG is part of the HTML document).
inline std::string inline_svg(const figure& f) {
  std::string s = to_svg(f);
  const auto start = s.find("<svg");
  return start == std::string::npos ? s : s.substr(start);
}

constexpr const char* style = R"(body{font-family:"DejaVu Sans",sans-serif;margin:0 auto;padding:16px;max-width:1200px;
color:#222;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1em;margin-bottom:4px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;
white-space:nowrap}th{background:#f3f3f3}
.badge{border-radius:3px;padding:0 4px;font-size:12px}.measured{background:#d8f0d8}.simulated{background:#e6e0f5}
.mixed{background:#fbe3c8}.paper{background:#e8e8e8}
figure{margin:16px 0}figure svg{max-width:100%;height:auto;display:block}
.note{font-size:12px;color:#555;margin:2px 0}code{word-break:break-all}ul.files{columns:3 16em}
)";

}  // namespace detail::html

/// Writes report.html (see the file comment) for the result `r` with its provenance, the figures
/// (file name and figure, as reproduction_figures gives them), the extra tables (sections beside
/// the reproduction's, e.g. the FER+ section) and the names of the files written beside it, which
/// it links. Throws disfer::error (named `write_report_html`) for a result whose tables disagree.
inline void write_report_html(std::ostream& out, const reproduction_result& r, const reproduction_provenance& prov,
                              const std::vector<std::pair<std::string, figure>>& figures,
                              const std::vector<text_table>& extra_tables, const std::vector<std::string>& files) {
  namespace h = detail::html;
  detail::check_reproduction_result("write_report_html", r);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>DisFER reproduction</title>\n<style>\n"
      << h::style << "</style>\n</head>\n<body>\n<h1>DisFER reproduction</h1>\n";
  std::size_t models = 0;
  for (std::size_t p = 1; p < r.predictor_names.size(); ++p) models += r.reported(r.predictor_origin[p]);
  out << "<p>" << r.stimulus_ids.size() << " stimuli from " << r.n_sources << " sources; ";
  if (r.reported(r.votes_origin))
    out << r.n_votes << " votes by " << r.n_raters << " raters " << h::cell(name(r.votes_origin));
  else
    out << "no human votes";
  out << "; " << models << " models. Each result is shown beside the value Lévêque et al. (Electronics 2022) "
      << "publish; each row says where its data come from: " << h::cell("measured") << " (your data), "
      << h::cell("simulated") << " (the calibrated simulation), " << h::cell("mixed")
      << " (a comparison of the two, never tested).";
  if (!r.options.report_simulated) out << " Only measured results are shown (--simulate none).";
  out << "</p>\n<h2>Tables</h2>\n";
  for (const auto& t : reproduction_tables(r)) h::table(out, t);
  for (const auto& t : extra_tables) h::table(out, t);
  out << "<h2>Figures</h2>\n";
  for (const auto& [file, f] : figures)
    out << "<figure id=\"" << h::escape(file) << "\">\n"
        << h::inline_svg(f) << "<figcaption class=\"note\"><a href=\"" << h::escape(file) << "\">" << h::escape(file)
        << "</a></figcaption>\n</figure>\n";
  out << "<h2>Provenance</h2>\n<div class=\"scroll\"><table>\n";
  auto row = [&](const std::string& k, const std::string& v) {
    out << "<tr><th>" << h::escape(k) << "</th><td><code>" << h::escape(v) << "</code></td></tr>\n";
  };
  row("program", prov.program);
  row("disfer version", version_string);
  row("random stream version", std::to_string(random_stream_version));
  row("seed", std::to_string(r.options.seed));
  row("bootstrap replicates", std::to_string(r.options.bootstrap_replicates));
  for (const auto& [k, v] : prov.options) row("option " + k, v);
  row("bad rows", name(prov.bad_rows));
  if (!prov.simd_path.empty()) row("SIMD path", prov.simd_path);
  for (const auto& f : prov.inputs) {
    std::size_t skipped = 0;
    for (const auto& s : prov.skipped)
      if (s.role == f.role) skipped = s.reasons.size();
    row("input " + f.role, f.path + " (SHA-256 " + f.sha256 + "; " + std::to_string(skipped) + " rows skipped)");
  }
  out << "</table></div>\n<h2>Files</h2>\n<ul class=\"files\">\n";
  for (const auto& f : files) out << "<li><a href=\"" << h::escape(f) << "\">" << h::escape(f) << "</a></li>\n";
  out << "</ul>\n</body>\n</html>\n";
}

}  // namespace disfer
