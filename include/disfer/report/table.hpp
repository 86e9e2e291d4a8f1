#pragma once
/// \file
/// Terminal tables for reports: a plain text table with aligned columns, and the comparison table
/// of a reproduction (quantity, our value, the paper's value, the difference, and whether our
/// value comes from measured data, from the simulation, or from both).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "disfer/core/error.hpp"

namespace disfer {

/// Where a number comes from: data the user gave (measured), the calibrated simulation, a mix
/// (e.g. McNemar between measured predictions and simulated votes), or nothing: `absent` marks a
/// placeholder that fills a slot (reproduce_disfer --simulate none without votes) and that no
/// output reports.
enum class data_origin { measured, simulated, mixed, absent };

/// "measured", "simulated", "mixed" or "absent".
inline const char* name(data_origin o) noexcept {
  switch (o) {
    case data_origin::measured:
      return "measured";
    case data_origin::simulated:
      return "simulated";
    case data_origin::absent:
      return "absent";
    default:
      return "mixed";
  }
}

/// The origin of a number computed from inputs of origins a and b: equal -> that, else mixed.
inline data_origin combine(data_origin a, data_origin b) noexcept {
  return a == b ? a : data_origin::mixed;
}

/// A table of text cells printed with aligned columns (numbers right-aligned: a cell is treated as
/// a number when all of it reads as one, as strtod reads it, or it is "-").
struct text_table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< each as many cells as the header (shorter: blank)
  std::string note;                            ///< printed under the table when not empty
};

/// `v` with `decimals` digits after the point ("%.*f"), or "-" for NaN. Locale-independent for
/// the C locale the programs run in.
inline std::string fixed(double v, int decimals = 2) {
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

/// Renders a text_table: title line, header, a rule, the rows, the note. O(cells). Throws
/// disfer::error (named `to_text`) for a row with more cells than the header (they would be lost).
inline std::string to_text(const text_table& t) {
  const std::size_t nc = t.header.size();
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (t.rows[i].size() > nc)
      detail::fail("to_text", "table '", t.title, "': row ", i, " has ", t.rows[i].size(), " cells; the header ", nc);
  std::vector<std::size_t> width(nc, 0);
  for (std::size_t c = 0; c < nc; ++c) width[c] = t.header[c].size();
  for (const auto& r : t.rows)
    for (std::size_t c = 0; c < nc && c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  auto numeric = [](const std::string& s) {
    if (s == "-") return true;
    char* end = nullptr;
    (void)std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size();
  };
  std::string out;
  if (!t.title.empty()) out += t.title + "\n";
  auto line = [&](const std::vector<std::string>& cells, bool head) {
    std::string l;
    for (std::size_t c = 0; c < nc; ++c) {
      const std::string cell = c < cells.size() ? cells[c] : std::string();
      const std::string pad(width[c] - cell.size(), ' ');
      l += c ? "  " : "  ";
      l += (!head && c > 0 && numeric(cell)) ? pad + cell : cell + pad;
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(t.header, true);
  std::size_t total = 0;
  for (std::size_t c = 0; c < nc; ++c) total += width[c] + 2;
  out += "  " + std::string(total > 2 ? total - 2 : 0, '-') + "\n";
  for (const auto& r : t.rows) line(r, false);
  if (!t.note.empty()) out += "  " + t.note + "\n";
  return out;
}

/// One line of a comparison with the paper.
struct comparison_row {
  std::string quantity;
  double value = std::nan("");  ///< ours
  double paper = std::nan("");  ///< published (NaN: the paper gives none)
  data_origin origin = data_origin::simulated;
  int decimals = 2;
};

/// The comparison table: quantity, ours, paper, ours - paper, data (origin). Differences are
/// shown only where the paper gives a value.
inline text_table comparison_table(std::string title, const std::vector<comparison_row>& rows, std::string note = {}) {
  text_table t;
  t.title = std::move(title);
  t.header = {"quantity", "ours", "paper", "difference", "data"};
  for (const auto& r : rows)
    t.rows.push_back({r.quantity, fixed(r.value, r.decimals), fixed(r.paper, r.decimals),
                      std::isnan(r.paper) ? std::string("-") : fixed(r.value - r.paper, r.decimals), name(r.origin)});
  t.note = std::move(note);
  return t;
}

}  // namespace disfer
