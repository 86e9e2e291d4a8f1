// libFuzzer target: the reproduction's readers. The first byte picks the reader: 0 mod 3
// read_stimulus_manifest on the rest; 1 attach_votes and 2 attach_predictions (the rest parsed as
// "stimulus,label" lines after an optional such header) against a fixed two-stimulus manifest. A manifest that loads is
// checked for consistency (ids, labels, conditions, lines), and attached votes or labels must be in range.
#include <disfer/report/attach_votes.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

namespace {

const disfer::stimulus_manifest& fixed_manifest() {
  static const disfer::stimulus_manifest m = [] {
    const std::string text = "id,label,condition,fer2013_row\ns1,happy,original,1\ns2,sad,GB 0.8,2\n";
    return disfer::read_stimulus_manifest(disfer_fuzz::write_scratch(
        "fixed_manifest.csv", reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }();
  return m;
}

void check_manifest(const disfer::stimulus_manifest& m) {
  const std::size_t k = m.category_names.size();
  if (m.stimuli.empty() || m.line.size() != m.stimuli.size() || m.file.size() != m.stimuli.size())
    disfer_fuzz::finding("an inconsistent result", "read_stimulus_manifest", "sizes");
  for (std::size_t i = 0; i < m.stimuli.size(); ++i) {
    const auto& s = m.stimuli[i];
    if (s.label >= k || s.condition >= m.conditions.size() || s.id.empty() ||
        m.find(s.id) != static_cast<std::int64_t>(i) || m.line[i] < 2)
      disfer_fuzz::finding("an inconsistent result", "read_stimulus_manifest", s.id.c_str());
  }
}

void check_input(const disfer::reproduction_input& in, const char* function) {
  const std::size_t k = in.category_names.size(), n = in.stimuli.size();
  for (std::size_t q = 0; q < in.votes.size(); ++q)
    if (in.votes.label[q] >= k || in.votes.item[q] >= n) disfer_fuzz::finding("a vote out of range", function, "");
  for (const auto& p : in.models) {
    if (p.labels.size() != n) disfer_fuzz::finding("a predictor of the wrong size", function, "");
    for (const auto y : p.labels)
      if (y >= k) disfer_fuzz::finding("a predicted label out of range", function, "");
  }
}

}  // namespace

DISFER_FUZZ_TARGET(manifest)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  const std::string path = disfer_fuzz::write_scratch("input.csv", data + 1, size - 1);
  if (mode == 0) {
    disfer_fuzz::value_or_error("read_stimulus_manifest",
                                [&] { check_manifest(disfer::read_stimulus_manifest(path)); });
    return 0;
  }
  const auto& m = fixed_manifest();
  disfer::reproduction_input in = disfer::input_from_manifest(m);
  if (mode == 1) {
    // attach_votes reads the file as read_votes_csv / read_count_table_csv do, naming itself.
    disfer_fuzz::value_or_error("attach_votes", [&] {
      disfer::attach_votes(in, m, path);
      check_input(in, "attach_votes");
    });
    return 0;
  }
  // attach_predictions: "id,label" per line (no header), labels as integers (anything else: -1).
  std::vector<std::string> ids;
  std::vector<int> labels;
  std::istringstream lines(disfer_fuzz::as_string(data + 1, size - 1));
  bool first = true;
  for (std::string line; std::getline(lines, line); first = false) {
    if (first && line == "stimulus,label") continue;  // the header, so that errors can name lines
    const auto comma = line.find(',');
    ids.push_back(line.substr(0, comma));
    int y = -1;
    if (comma != std::string::npos) {
      try {
        y = std::stoi(line.substr(comma + 1));
      } catch (const std::exception&) {
        y = -1;
      }
    }
    labels.push_back(y);
  }
  disfer_fuzz::value_or_error("attach_predictions", [&] {
    disfer::attach_predictions(in, m, "model", path, ids, labels);
    check_input(in, "attach_predictions");
  });
  return 0;
}
