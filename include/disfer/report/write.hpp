#pragma once
/// \file
/// Writes a whole reproduction into one folder, atomically: every CSV of report/outputs.hpp,
/// reproduction.json, the four SVG figures and report.html (report/html.hpp), staged in a hidden folder beside the
/// target and renamed into place only when everything is written (io/staged_file.hpp).

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"
#include "disfer/io/staged_file.hpp"
#include "disfer/report/figures.hpp"
#include "disfer/report/html.hpp"
#include "disfer/report/outputs.hpp"
#include "disfer/report/svg.hpp"

namespace disfer {

/// Writes the reproduction `r` into `folder` (CSV files, reproduction.json, SVG figures, then the
/// `extra_files` given as name and content, then report.html with the `extra_tables` after the
/// reproduction's) and returns the file names in the order written.
/// Missing parent folders are created. An existing non-empty folder is replaced only under
/// overwrite_policy::replace. Throws disfer::error (named `write_reproduction`) for a result
/// whose tables disagree (detail::check_reproduction_result: not as compute_reproduction builds
/// them), a non-empty folder under refuse, an extra file named like an output or with a folder in
/// its name, and I/O errors (nothing is left behind).
inline std::vector<std::string> write_reproduction(
    const std::string& folder, const reproduction_result& r, const reproduction_provenance& provenance,
    overwrite_policy policy = overwrite_policy::refuse,
    const std::vector<std::pair<std::string, std::string>>& extra_files = {},
    const std::vector<text_table>& extra_tables = {}) {
  constexpr const char* fn = "write_reproduction";
  detail::check_reproduction_result(fn, r);
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& [name, writer] : reproduction_csv_files()) {
    std::ostringstream o;
    writer(o, r);
    files.emplace_back(name, o.str());
  }
  {
    std::ostringstream o;
    write_reproduction_json(o, r, provenance);
    files.emplace_back("reproduction.json", o.str());
  }
  const auto figures = reproduction_figures(r);
  for (const auto& [name, fig] : figures) files.emplace_back(name, to_svg(fig));
  for (const auto& e : extra_files) {
    if (e.first.empty() || e.first.find('/') != std::string::npos || e.first[0] == '.')
      detail::fail(fn, "extra file name '", e.first, "' is not allowed");
    for (const auto& f : files)
      if (f.first == e.first || e.first == "report.html")
        detail::fail(fn, "extra file '", e.first, "' has the name of an output");
    files.push_back(e);
  }
  {
    std::vector<std::string> linked;
    for (const auto& f : files) linked.push_back(f.first);
    std::ostringstream o;
    write_report_html(o, r, provenance, figures, extra_tables, linked);
    files.emplace_back("report.html", o.str());
  }
  {  // a missing parent folder is created (the outputs themselves are staged)
    const auto parent = std::filesystem::path(folder).lexically_normal().parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) std::filesystem::create_directories(parent, ec);
  }
  staged_directory staged(folder, policy, fn);
  std::vector<std::string> names;
  for (const auto& [name, text] : files) {
    const auto path = staged / name;
    std::ofstream out(path, std::ios::binary);
    if (!out) detail::fail(fn, "cannot write '", path.string(), "'");
    out << text;
    out.close();
    if (!out) detail::fail(fn, "write error on '", path.string(), "'");
    names.push_back(name);
  }
  staged.commit();
  return names;
}

}  // namespace disfer
