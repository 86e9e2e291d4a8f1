// Tests of report/svg.hpp: structure a reader can count on, escaping, fixed number formatting,
// argument checks, staged writing, and (when rsvg-convert is installed) a rendered raster.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "disfer/report/svg.hpp"
#include "svg_render.hpp"
#include "test_support.hpp"

namespace {

const double missing = std::numeric_limits<double>::quiet_NaN();

disfer::figure sample_figure() {
  disfer::figure f;
  f.title = "Accuracy & agreement <test>";
  f.columns = 2;
  disfer::line_panel lp;
  lp.title = "Gaussian blur";
  lp.x_label = "sigma";
  lp.y_label = "accuracy";
  lp.x_ticks = {"0", "0.8", "1.1", "1.4"};
  lp.series.push_back({"Humans", {0.9, 0.85, 0.8, 0.7}, {0.85, 0.8, 0.75, 0.65}, {0.95, 0.9, 0.85, 0.75}});
  lp.series.push_back({"Model \"A\"", {0.6, missing, 0.4, 0.3}, {}, {}});
  f.lines.push_back(lp);
  disfer::heatmap_panel h7;
  h7.title = "7 classes";
  h7.values = Eigen::MatrixXd::Zero(7, 7);
  for (int i = 0; i < 7; ++i)
    for (int j = 0; j < 7; ++j) h7.values(i, j) = (i == j) ? 1.0 : 0.1 * j;
  h7.values(0, 1) = missing;
  h7.row_labels = h7.column_labels = {"AN", "DI", "FE", "HA", "SA", "SU", "NE"};
  f.heatmaps.push_back(h7);
  disfer::heatmap_panel h3;
  h3.title = "3 classes";
  h3.values = Eigen::MatrixXd::Constant(3, 3, 0.8125);
  h3.values(2, 2) = -0.001;
  f.heatmaps.push_back(h3);
  return f;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("every heatmap group holds rows x columns cells", "[report][svg]") {
  const std::string svg = disfer::to_svg(sample_figure());
  const std::regex group(R"re(<g class="heatmap" data-rows="(\d+)" data-columns="(\d+)">)re");
  std::vector<std::size_t> expected;
  for (std::sregex_iterator it(svg.begin(), svg.end(), group), end; it != end; ++it) {
    const auto start = static_cast<std::size_t>(it->position());
    const auto stop = svg.find("</g>", start);
    const std::string body = svg.substr(start, stop - start);
    CHECK(count(body, "<rect class=\"cell\"") == std::stoul((*it)[1]) * std::stoul((*it)[2]));
    expected.push_back(std::stoul((*it)[1]));
  }
  CHECK(expected == std::vector<std::size_t>{7, 3});
  CHECK(count(svg, "<g class=\"line-panel\">") == 1);
  CHECK(count(svg, "<g class=\"series\"") == 2);
}

TEST_CASE("text is escaped and numbers have a fixed form", "[report][svg]") {
  const std::string svg = disfer::to_svg(sample_figure());
  CHECK(svg.find("Accuracy &amp; agreement &lt;test&gt;") != std::string::npos);
  CHECK(svg.find("data-name=\"Model &quot;A&quot;\"") != std::string::npos);
  // python3 -c "print('%.2f' % 0.8125)"  -> 0.81 (exact tie, rounded to even, as printf does)
  CHECK(count(svg, ">0.81</text>") == 8);
  CHECK(svg.find(">-0.00<") == std::string::npos);
  CHECK(svg.find(">0.00</text>") != std::string::npos);  // -0.001 with 2 decimals
  // The NaN cell is grey and has no text; the NaN point breaks the line into two pieces.
  CHECK(count(svg, "fill=\"#cccccc\"") == 1);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(count(svg, "<circle") == 4 + 3);
  CHECK(disfer::to_svg(sample_figure()) == svg);
}

TEST_CASE("bad figures are refused by to_svg", "[report][svg]") {
  using Catch::Matchers::Contains;
  disfer::figure f;
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("to_svg") && Contains("no panel"));
  f = sample_figure();
  f.columns = 0;
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("columns"));
  f = sample_figure();
  f.lines[0].series[0].y.pop_back();
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("3 values for 4 x ticks"));
  f = sample_figure();
  f.lines[0].series[0].upper.clear();
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("interval"));
  f = sample_figure();
  f.lines[0].y_max = missing;
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("y_min < y_max"));
  f = sample_figure();
  f.heatmaps[0].row_labels.pop_back();
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("6 row labels for 7 rows"));
  f = sample_figure();
  f.heatmaps[1].v_min = 1;
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("v_min < v_max"));
  f = sample_figure();
  f.heatmaps[1].values.resize(0, 0);
  CHECK_THROWS_WITH(disfer::to_svg(f), Contains("empty"));
}

TEST_CASE("write_svg stages its file and refuses to overwrite unless asked", "[report][svg]") {
  const auto dir = disfer_test::scratch_dir("report_write_svg");
  const std::string path = (dir / "figure.svg").string();
  disfer::write_svg(path, sample_figure());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == disfer::to_svg(sample_figure()));
  CHECK_THROWS_WITH(disfer::write_svg(path, sample_figure()), Catch::Matchers::Contains("write_svg"));
  disfer::figure bad;
  CHECK_THROWS(disfer::write_svg((dir / "bad.svg").string(), bad, disfer::overwrite_policy::replace));
  CHECK_FALSE(std::filesystem::exists(dir / "bad.svg"));
  disfer::write_svg(path, sample_figure(), disfer::overwrite_policy::replace);
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  CHECK(files == 1);  // no partial file left behind
}

TEST_CASE("a rendered figure has the declared size and is not blank", "[report][svg]") {
#ifndef DISFER_RSVG_CONVERT
  disfer_test::skip("rsvg-convert or libpng not found at configure time");
#else
  const auto dir = disfer_test::scratch_dir("report_render");
  const auto path = dir / "figure.svg";
  const auto f = sample_figure();
  disfer::write_svg(path.string(), f);
  const auto raster = disfer_test::render_svg(path);
  const std::string svg = disfer::to_svg(f);
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex(R"re(width="(\d+)" height="(\d+)")re")));
  CHECK(raster.width == std::stoul(m[1]));
  CHECK(raster.height == std::stoul(m[2]));
  const double ink = disfer_test::ink_fraction(raster);
  INFO("share of dark pixels: " << ink);
  CHECK(ink > 0.02);
  CHECK(ink < 0.6);
#endif
}

TEST_CASE("many long-named series stay distinct and a long caption wraps", "[report][svg]") {
  disfer::figure f;
  disfer::line_panel p;
  p.x_ticks = {"a", "b"};
  for (int s = 0; s < 10; ++s)
    p.series.push_back({"a rather long predictor name " + std::to_string(s), {0.1 * s, 0.05 * s}, {}, {}});
  f.lines.push_back(p);
  f.caption = std::string(100, 'x') + " " + std::string(100, 'y') + " " + std::string(100, 'z');
  const std::string svg = disfer::to_svg(f);
  // Series 8 and 9 reuse colours 0 and 1, dashed: their path and their legend line.
  CHECK(count(svg, "stroke-dasharray=\"6 3\"") == 4);
  // One legend column: every legend label starts at the same x.
  const std::regex label(R"re(<text x="([0-9.]+)" y="[0-9.]+" font-size="10" text-anchor="start">a rather long)re");
  std::set<std::string> xs;
  for (std::sregex_iterator it(svg.begin(), svg.end(), label), end; it != end; ++it) xs.insert((*it)[1]);
  CHECK(xs.size() == 1);
  // 300 characters on a 360-unit figure: three caption lines, each one word.
  CHECK(count(svg, ">" + std::string(100, 'y') + "</text>") == 1);
  CHECK(svg.find(std::string(100, 'x') + " ") == std::string::npos);
}

TEST_CASE("a long title wraps into lines and crowded x ticks turn -45 degrees", "[report][svg][layout]") {
  disfer::figure f;
  f.title = "Figure 4: off-diagonal error correlation with the humans per condition (95% Fisher-z intervals)";
  f.columns = 1;
  disfer::line_panel p;
  p.x_ticks = {"original", "GB 0.8", "GN 10", "SP 0.05", "GB 1.1", "GN 20", "SP 0.1", "GB 1.4", "GN 30", "SP 0.15"};
  p.series.push_back({"model", std::vector<double>(10, 0.5), {}, {}});
  f.lines.push_back(p);
  const std::string svg = disfer::to_svg(f);
  // The 801-unit title (fontTools, see text_widths.json) cannot fit 360 units on one line: it wraps,
  // one <text> per line, and no line holds the whole title.
  CHECK(count(svg, "font-size=\"15\" text-anchor=\"middle\" font-weight=\"bold\">") >= 3);
  CHECK(svg.find(">" + f.title + "<") == std::string::npos);
  CHECK(count(svg, "transform=\"rotate(-45") == 10);
  CHECK(svg.find("font-family=\"DejaVu Sans\"") != std::string::npos);
  // Three short ticks stay horizontal.
  p.x_ticks = {"a", "b", "c"};
  p.series[0].y.resize(3);
  f.lines = {p};
  CHECK(count(disfer::to_svg(f), "rotate(-45") == 0);
}
