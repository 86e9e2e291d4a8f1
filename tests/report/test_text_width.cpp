// Tests of the text measurement the SVG layout rests on (report/svg.hpp: detail::svg::text_width):
// widths of a few strings against fontTools reading the DejaVu font files directly
// (tests/report/reference/text_widths.json, written by scripts/generate_font_metrics.py), and UTF-8
// decoding. The browser check (tests/report/browser/check_layout.mjs) measures the real rendering.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

#include "disfer/report/svg.hpp"

namespace {

nlohmann::json reference_widths() {
  std::ifstream in(std::string(DISFER_REPORT_REFERENCE_DIR) + "/text_widths.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("text_width agrees with fontTools on the DejaVu fonts", "[report][svg][text_width]") {
  namespace s = disfer::detail::svg;
  const auto ref = reference_widths();
  REQUIRE(ref["cases"].size() >= 8);
  for (const auto& c : ref["cases"]) {
    const std::string text = c["text"];
    INFO(c["id"].get<std::string>() << ": \"" << text << "\"  (" << c["source"].get<std::string>() << ")");
    // python3 scripts/generate_font_metrics.py  (fontTools: cmap, GSUB liga, hmtx, GPOS kern)
    CHECK(s::text_width(text, c["font_size"].get<double>(), c["bold"].get<bool>()) ==
          Approx(c["width"].get<double>()).epsilon(1e-12));
  }
}

TEST_CASE("text_width: kerning, ligatures and bold change the width", "[report][svg][text_width]") {
  namespace s = disfer::detail::svg;
  // "AV" is kerned in DejaVu Sans: narrower than A and V measured apart.
  CHECK(s::text_width("AV", 10) < s::text_width("A", 10) + s::text_width("V", 10));
  // Ligatures (ffi in "office") are in the fontTools reference above; DejaVu gives them the
  // advance of their letters, so they change no width today.
  CHECK(s::text_width("Humans", 10, true) > s::text_width("Humans", 10));
  CHECK(s::text_width("Humans", 20) == Approx(2 * s::text_width("Humans", 10)));
  CHECK(s::text_width("", 10) == 0);
}

TEST_CASE("UTF-8 is decoded, malformed bytes count as one replacement each", "[report][svg][text_width]") {
  namespace s = disfer::detail::svg;
  const std::string kappa = "\xce\xba";  // U+03BA
  std::size_t i = 0;
  CHECK(s::next_code_point(kappa, i) == 0x03BA);
  CHECK(i == 2);
  const std::string bad = "\xce";  // truncated two-byte sequence
  i = 0;
  CHECK(s::next_code_point(bad, i) == 0xFFFD);
  CHECK(i == 1);
  const std::string overlong = "\xc0\xaf";  // overlong '/'
  i = 0;
  CHECK(s::next_code_point(overlong, i) == 0xFFFD);
  CHECK(i == 1);
  const std::string emoji = "\xf0\x9f\x98\x80";  // U+1F600, not tabulated: one em
  i = 0;
  CHECK(s::next_code_point(emoji, i) == 0x1F600);
  CHECK(i == 4);
  CHECK(s::text_width(emoji, 10) == Approx(10));
  // A two-byte character is one glyph, not two: κ is narrower than two fallback ems.
  CHECK(s::text_width(kappa, 10) < 10);
}
