#pragma once
// reproduce_disfer --ferplus: reads FER+'s fer2013new.csv and fer2013.csv, classifies the section's
// images with each bundled network of --networks (through the caller's `classify`, when the program
// has the inference component), and computes the FER+ section
// (include/disfer/report/ferplus_section.hpp). Kept out of reproduce_disfer.cpp so that the program
// only calls it.
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <disfer/io/fer2013.hpp>
#include <disfer/io/ferplus.hpp>
#include <disfer/report/ferplus_section.hpp>
#include <disfer/report/table.hpp>

namespace disfer_examples {

struct ferplus_run {
  disfer::ferplus_section section;
  disfer::text_table table;
  std::vector<std::pair<std::string, std::string>> files;  ///< ferplus.csv, ferplus_items.csv
};

/// A network of the section: its key (the prefix of its values; empty when it is the only one),
/// its name, and its labels (FER-2013 order) of gray 48x48 images (0-255).
struct ferplus_classifier {
  std::string key, name;
  std::function<std::vector<std::int64_t>(const std::vector<xt::xtensor<float, 2>>&)> classify;
};

/// `votes`: FER+'s file as read_ferplus_csv read it. fer2013.csv's rows skipped here are the ones the
/// caller's own reading of the file reported already, and are not repeated. The section's images are
/// read only when there is a network.
inline ferplus_run run_ferplus(const disfer::ferplus_votes& votes, const std::string& fer2013_path,
                               disfer::bad_row_policy bad_rows, const std::vector<ferplus_classifier>& networks) {
  std::vector<disfer::skipped_row> fer_skipped;
  disfer::fer2013_options eo;
  eo.bad_rows = bad_rows;
  eo.skipped = &fer_skipped;
  eo.function = "reproduce_disfer --fer2013";
  const disfer::fer2013_labels labels = disfer::read_fer2013_labels(fer2013_path, eo);
  const std::vector<std::uint64_t> rows = disfer::ferplus_section_rows(votes, labels);
  std::vector<disfer::ferplus_network_labels> nets;
  if (!networks.empty()) {
    std::unordered_map<std::uint64_t, std::size_t> want;
    for (std::size_t i = 0; i < rows.size(); ++i) want.emplace(rows[i], i);
    std::vector<xt::xtensor<float, 2>> images(rows.size());
    fer_skipped.clear();
    disfer::fer2013_reader reader(fer2013_path, eo);
    while (reader.next()) {
      const auto it = want.find(reader.record().row);
      if (it != want.end()) images[it->second] = xt::cast<float>(reader.record().image());
    }
    for (const auto& n : networks) nets.push_back({n.key, n.name, n.classify(images)});
  }
  ferplus_run run;
  run.section = disfer::compute_ferplus_section(votes, labels, nets);
  run.table = disfer::ferplus_section_table(run.section);
  std::ostringstream csv, items;
  disfer::write_ferplus_section_csv(csv, run.section);
  disfer::write_ferplus_items_csv(items, votes, run.section);
  run.files = {{"ferplus.csv", csv.str()}, {"ferplus_items.csv", items.str()}};
  return run;
}

}  // namespace disfer_examples
