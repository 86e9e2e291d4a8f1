// Every writer of a reproduction_result refuses a result whose inner tables disagree (a hand-built
// or hand-edited result), before it reads or writes anything: the message starts with the writer's
// name and names the table and the index; no stream output, no folder (docs/reliability.md).
#include <catch2/catch.hpp>
#include <disfer/disfer.hpp>

#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace {

using disfer::reproduction_result;

// A real result: compute_reproduction on the simulation (no bootstrap, to be fast).
const reproduction_result& real_result() {
  static const reproduction_result r = [] {
    disfer::reproduction_options o;
    o.bootstrap_replicates = 0;
    return disfer::compute_reproduction(disfer::simulated_reproduction_input(disfer::disfer_simulation_parameters(), 1),
                                        o);
  }();
  return r;
}

using writer = std::function<void(std::ostream&, const reproduction_result&)>;

// Every public function that takes a reproduction_result but write_reproduction (a folder).
std::vector<std::pair<std::string, writer>> stream_writers() {
  std::vector<std::pair<std::string, writer>> w;
  for (const auto& [file, write] : disfer::reproduction_csv_files()) {
    const std::string name = file.substr(0, file.size() - 4);  // overall_accuracy.csv -> write_overall_accuracy_csv
    w.emplace_back("write_" + name + "_csv", write);
  }
  w.emplace_back("write_reproduction_json", [](std::ostream& out, const reproduction_result& r) {
    disfer::write_reproduction_json(out, r, disfer::reproduction_provenance{});
  });
  w.emplace_back("write_report_html", [](std::ostream& out, const reproduction_result& r) {
    disfer::write_report_html(out, r, disfer::reproduction_provenance{}, {}, {}, {});
  });
  w.emplace_back("reproduction_tables", [](std::ostream& out, const reproduction_result& r) {
    for (const auto& t : disfer::reproduction_tables(r)) out << disfer::to_text(t);
  });
  w.emplace_back("reproduction_figures", [](std::ostream& out, const reproduction_result& r) {
    for (const auto& f : disfer::reproduction_figures(r)) out << disfer::to_svg(f.second);
  });
  w.emplace_back("reproduction_figure2", [](std::ostream& out, const reproduction_result& r) {
    out << to_svg(disfer::reproduction_figure2(r));
  });
  w.emplace_back("reproduction_figure3", [](std::ostream& out, const reproduction_result& r) {
    out << to_svg(disfer::reproduction_figure3(r));
  });
  w.emplace_back("reproduction_figure4", [](std::ostream& out, const reproduction_result& r) {
    out << to_svg(disfer::reproduction_figure4(r));
  });
  w.emplace_back("reproduction_figure5", [](std::ostream& out, const reproduction_result& r) {
    out << to_svg(disfer::reproduction_figure5(r));
  });
  return w;
}

// Every writer refuses `r` with a message "<writer>: ...<fragment>..." and writes nothing.
void check_refused(const reproduction_result& r, const std::string& fragment) {
  const auto writers = stream_writers();
  REQUIRE(writers.size() == 20);  // 12 CSV files, the JSON, report.html, the tables, the figures (all and 2-5)
  for (const auto& [fn, write] : writers) {
    INFO(fn);
    std::ostringstream out;
    std::string message;
    try {
      write(out, r);
    } catch (const disfer::error& e) {
      message = e.what();
    }
    CHECK(message.rfind(fn + ": ", 0) == 0);
    CHECK_THAT(message, Catch::Contains(fragment));
    CHECK(out.str().empty());
  }
  const auto dir = disfer_test::scratch_dir("result_checks");
  const auto folder = dir / "missing_parent" / "out";
  std::string message;
  try {
    disfer::write_reproduction(folder.string(), r, disfer::reproduction_provenance{});
  } catch (const disfer::error& e) {
    message = e.what();
  }
  CHECK(message.rfind("write_reproduction: ", 0) == 0);
  CHECK_THAT(message, Catch::Contains(fragment));
  CHECK(std::filesystem::is_empty(dir));  // no folder, no parent, no staging leftover
}

// The first subset of that level.
disfer::subset_result& first_subset(reproduction_result& r, disfer::subset_level level) {
  for (auto& s : r.per_condition.subsets)
    if (s.level == level) return s;
  FAIL("no subset of that level");
  return r.per_condition.subsets.front();
}

}  // namespace

TEST_CASE("result checks: a real result is accepted by every writer", "[report][result_checks]") {
  const auto& r = real_result();
  for (const auto& [fn, write] : stream_writers()) {
    INFO(fn);
    std::ostringstream out;
    CHECK_NOTHROW(write(out, r));
    CHECK_FALSE(out.str().empty());
  }
  const auto folder = disfer_test::scratch_dir("result_checks_valid") / "out";
  CHECK(disfer::write_reproduction(folder.string(), r, disfer::reproduction_provenance{}).size() == 18);
}

TEST_CASE("result checks: a condition no stimulus has is drawn empty, not refused", "[report][result_checks]") {
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  auto in = disfer::simulated_reproduction_input(disfer::disfer_simulation_parameters(), 1);
  auto extra = in.conditions.back();
  extra.name = "unused";
  in.conditions.push_back(extra);
  const auto r = disfer::compute_reproduction(in, o);
  for (const auto& [fn, write] : stream_writers()) {
    INFO(fn);
    std::ostringstream out;
    CHECK_NOTHROW(write(out, r));
  }
  CHECK_THAT(disfer::to_svg(disfer::reproduction_figure3(r)), Catch::Contains("unused"));
}

TEST_CASE("result checks: no models and anonymous raters are accepted", "[report][result_checks]") {
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  auto in = disfer::simulated_reproduction_input(disfer::disfer_simulation_parameters(), 1);
  in.models.clear();
  in.raters_identified = false;
  const auto r = disfer::compute_reproduction(in, o);
  REQUIRE(r.predictor_names.size() == 1);
  REQUIRE(r.participants.empty());
  for (const auto& [fn, write] : stream_writers()) {
    INFO(fn);
    std::ostringstream out;
    CHECK_NOTHROW(write(out, r));
  }
}

TEST_CASE("result checks: predictor lists", "[report][result_checks]") {
  {
    auto r = real_result();
    r.predictor_names[0] = "crowd";
    check_refused(r, "predictor 0 is named 'crowd'; it must be 'humans'");
  }
  {
    auto r = real_result();
    REQUIRE(r.predictor_names.size() >= 3);
    r.predictor_names[2] = r.predictor_names[1];
    check_refused(r, "two predictors are named '" + r.predictor_names[1] + "'");
  }
  {
    auto r = real_result();
    r.predictor_origin.pop_back();
    check_refused(r, "origins");
  }
  {
    auto r = real_result();
    auto& s = first_subset(r, disfer::subset_level::condition);
    s.predictors.pop_back();
    check_refused(r, "subset '" + s.name + "' has " + std::to_string(s.predictors.size()) + " predictors");
  }
  {
    auto r = real_result();
    auto& s = first_subset(r, disfer::subset_level::distortion_type);
    std::swap(s.predictors[1], s.predictors[2]);
    check_refused(r, "subset '" + s.name + "', predictor 1 is '" + r.predictor_names[2] + "'; the result names '" +
                         r.predictor_names[1] + "'");
  }
}

TEST_CASE("result checks: confusion matrices and metrics are k x k and k classes", "[report][result_checks]") {
  {
    auto r = real_result();
    auto& s = first_subset(r, disfer::subset_level::condition);
    s.predictors[0].confusion.conservativeResize(6, 7);
    check_refused(r, "subset '" + s.name + "', predictor 'humans': the confusion matrix is 6 x 7; k = 7");
  }
  {
    auto r = real_result();
    r.per_condition.subsets.front().predictors[1].confusion.conservativeResize(7, 8);
    check_refused(r,
                  "subset 'overall', predictor '" + r.predictor_names[1] + "': the confusion matrix is 7 x 8; k = 7");
  }
  {
    auto r = real_result();
    r.per_condition.subsets.front().predictors[0].metrics.per_class.pop_back();
    check_refused(r, "subset 'overall', predictor 'humans': the metrics have 6 classes; k = 7");
  }
  {
    auto r = real_result();
    r.category_names.pop_back();
    check_refused(r, "k = 6");
  }
}

TEST_CASE("result checks: pairs and correlations name the result's predictors", "[report][result_checks]") {
  {
    auto r = real_result();
    r.per_condition.subsets.front().pairs[0].b = "nobody";
    check_refused(r, "subset 'overall', McNemar pair 0 is 'humans' vs 'nobody'; the predictors give 'humans' vs '" +
                         r.predictor_names[1] + "'");
  }
  {
    auto r = real_result();
    auto& s = first_subset(r, disfer::subset_level::condition);
    s.pairs.pop_back();
    check_refused(r, "subset '" + s.name + "' has " + std::to_string(s.pairs.size()) + " McNemar pairs");
  }
  {
    auto r = real_result();
    auto& s = first_subset(r, disfer::subset_level::distortion_type);
    REQUIRE_FALSE(s.correlations.empty());
    s.correlations.back().predictor = "nobody";
    check_refused(r, "subset '" + s.name + "', correlation " + std::to_string(s.correlations.size() - 1) +
                         " names predictor 'nobody', which the result does not have");
  }
  {
    auto r = real_result();
    r.summary.offdiag_r_mean.pop_back();
    check_refused(r, "summary.offdiag_r_mean has");
  }
}

TEST_CASE("result checks: stimuli, their labels and the per-stimulus tables", "[report][result_checks]") {
  {
    auto r = real_result();
    r.stimulus_label.pop_back();
    check_refused(r, "stimulus_label has " + std::to_string(r.stimulus_ids.size() - 1) + " entries for " +
                         std::to_string(r.stimulus_ids.size()) + " stimulus_ids");
  }
  {
    auto r = real_result();
    r.stimulus_label[3] = 7;
    check_refused(r, "stimulus '" + r.stimulus_ids[3] + "' (index 3) has label 7; k = 7");
  }
  {
    auto r = real_result();
    r.summary.predictors[0].labels[5] = 9;
    check_refused(r, "summary, predictor 'humans': stimulus '" + r.stimulus_ids[5] + "' (index 5) has label 9; k = 7");
  }
  {
    auto r = real_result();
    r.summary.predictors[1].labels.pop_back();
    check_refused(r, "summary, predictor '" + r.predictor_names[1] + "': ");
  }
  {
    auto r = real_result();
    r.summary.p_i.conservativeResize(r.summary.p_i.size() - 1);
    check_refused(r, "summary.p_i has");
  }
  {
    auto r = real_result();
    r.summary.counts.conservativeResize(r.summary.counts.rows() - 1, 7);
    check_refused(r, "summary.counts is");
  }
  {
    auto r = real_result();
    r.summary.high_agreement_by_label.pop_back();
    check_refused(r, "summary.high_agreement_by_label has 6 entries; k = 7");
  }
}

TEST_CASE("result checks: sources and Table 1", "[report][result_checks]") {
  {
    auto r = real_result();
    r.summary.always_misclassified.push_back(static_cast<std::uint32_t>(r.source_names.size()));
    const auto i = r.summary.always_misclassified.size() - 1;
    check_refused(r, "summary.always_misclassified[" + std::to_string(i) + "] is source " +
                         std::to_string(r.source_names.size()) + "; there are " +
                         std::to_string(r.source_names.size()) + " source_names");
  }
  {
    auto r = real_result();
    r.source_names.pop_back();
    check_refused(r, "source_names has");
  }
  {
    auto r = real_result();
    r.table1.push_back(r.table1.empty() ? disfer::always_misclassified_source{} : r.table1.front());
    check_refused(r, "table1 has " + std::to_string(r.table1.size()) + " rows");
  }
  {
    auto r = real_result();
    r.summary.always_misclassified.push_back(0);
    disfer::always_misclassified_source row;
    row.source = r.source_names[0];
    row.label = 7;
    r.table1.push_back(row);
    check_refused(r, "table1 row " + std::to_string(r.table1.size() - 1) + " (source '" + r.source_names[0] +
                         "') has label 7; k = 7");
    r.table1.back().label = 0;
    r.table1.back().majority = 8;
    check_refused(r, "has majority 8; k = 7");
  }
}

TEST_CASE("result checks: participants, conditions and families", "[report][result_checks]") {
  {
    auto r = real_result();
    REQUIRE(r.raters_identified);
    r.participants.pop_back();
    check_refused(r, "participants has " + std::to_string(r.participants.size()) + " rows; n_raters = ");
  }
  {
    auto r = real_result();
    r.raters_identified = false;
    check_refused(r, "rows but the raters are not identified");
  }
  {
    auto r = real_result();
    r.conditions[1].family = r.family_names.size();
    check_refused(r, "condition '" + r.conditions[1].name + "' (index 1) has family " +
                         std::to_string(r.family_names.size()) + "; there are " +
                         std::to_string(r.family_names.size()) + " family_names");
  }
}
