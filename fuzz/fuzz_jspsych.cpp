// libFuzzer target: read_jspsych_votes (a disfer jsPsych experiment's CSV or JSON exports). The
// first byte picks the options: bit 0 bad_row_policy::skip, bit 1 exclude_failed 0 (else the
// default 2), bit 2 three categories of one's own with their buttons in another order, bit 3 two
// files (the rest split at its first NUL byte, read by path) instead of one stream. The result is
// checked for consistency: parallel per-vote columns, indices in range, one vote per participant
// and stimulus, no excluded participant's vote, the participants' counts equal to what was read.
#include <disfer/io/jspsych.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"

namespace {

void check(const disfer::jspsych_votes& r, const std::vector<disfer::skipped_row>& skipped) {
  const auto& v = r.votes;
  const std::size_t n = v.size(), k = v.category_names.size();
  if (r.file.size() != n || r.line.size() != n || r.position.size() != n || r.rt.size() != n || v.rater.size() != n ||
      v.label.size() != n)
    disfer_fuzz::finding("per-vote columns of different lengths", "jspsych", "");
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t i = 0; i < n; ++i) {
    if (v.label[i] >= k || v.item[i] >= v.item_names.size() || v.rater[i] >= v.rater_names.size())
      disfer_fuzz::finding("an index out of range", "jspsych", "");
    if (!pairs.emplace(v.item[i], v.rater[i]).second) disfer_fuzz::finding("a duplicate vote", "jspsych", "");
    if (!std::isnan(r.rt[i]) && !(std::isfinite(r.rt[i]) && r.rt[i] >= 0))
      disfer_fuzz::finding("an rt that is not NaN or a finite time", "jspsych", "");
    if (r.line[i] == 0 || r.file[i].empty()) disfer_fuzz::finding("a vote without its line", "jspsych", "");
  }
  std::size_t kept = 0, checks = 0, failed = 0;
  for (const auto& p : r.participants) {
    if (p.failed > p.checks || p.excluded == p.reason.empty())
      disfer_fuzz::finding("inconsistent participant counts", "jspsych", p.id.c_str());
    if (!p.excluded) kept += p.ratings;
    checks += p.checks;
    failed += p.failed;
  }
  for (const auto& c : r.checks) {
    if (c.passed != (c.response == static_cast<std::int64_t>(c.expected)) || c.response < -1)
      disfer_fuzz::finding("an inconsistent check", "jspsych", "");
    failed -= c.passed ? 0 : 1;
  }
  if (kept != n || checks != r.checks.size() || failed != 0)
    disfer_fuzz::finding("counts that differ from the rows read", "jspsych", "");
  for (const auto& s : skipped)
    if (s.reason.rfind("read_jspsych_votes: ", 0) != 0 || s.path.empty())
      disfer_fuzz::finding("a skipped row without its message or path", "jspsych", s.reason.c_str());
  (void)disfer::vote_counts(v, k);
}

}  // namespace

DISFER_FUZZ_TARGET(jspsych)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<disfer::skipped_row> skipped;
  disfer::jspsych_options o;
  if (data[0] & 1) {
    o.bad_rows = disfer::bad_row_policy::skip;
    o.skipped = &skipped;
  }
  if (data[0] & 2) o.exclude_failed = 0;
  if (data[0] & 4) {
    o.categories = {"yes", "no", "maybe"};
    o.buttons = {"maybe", "yes", "no"};
  }
  const std::string text = disfer_fuzz::as_string(data + 1, size - 1);
  disfer_fuzz::value_or_error("read_jspsych_votes", [&] {
    if (data[0] & 8) {
      const std::size_t cut = std::min(text.find('\0'), text.size());
      const std::string a =
          disfer_fuzz::write_scratch("a.csv", reinterpret_cast<const std::uint8_t*>(text.data()), cut);
      const std::string rest = cut < text.size() ? text.substr(cut + 1) : std::string();
      const std::string b =
          disfer_fuzz::write_scratch("b.json", reinterpret_cast<const std::uint8_t*>(rest.data()), rest.size());
      check(disfer::read_jspsych_votes({a, b}, o), skipped);
    } else {
      std::istringstream in(text);
      check(disfer::read_jspsych_votes(in, "fuzz.json", o), skipped);
    }
  });
  return 0;
}
