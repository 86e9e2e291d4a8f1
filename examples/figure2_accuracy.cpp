// Figure 2 of Lévêque et al. (2022): accuracy of the humans' majority vote and of each model per
// distortion type and level, with 95% Wilson intervals. On the calibrated simulation by default, or
// on your manifest and votes (--stimuli DIR --votes votes.csv). Writes figure2_accuracy.svg.
#include <iostream>

#include "support/figure_study.hpp"

int main(int argc, char** argv) try {
  const auto s =
      disfer_examples::load_figure_study("figure2_accuracy", "figure2_accuracy.svg",
                                         "Figure 2 of Leveque et al. (2022): accuracy of the humans' majority vote and "
                                         "of each model per condition, with 95% Wilson intervals",
                                         argc, argv);
  const disfer::reproduction_result& r = s.result;
  // One row per condition, one column per predictor: accuracy [Wilson interval].
  disfer::text_table t;
  t.title = "Accuracy per condition (" + std::string(disfer::name(r.votes_origin)) + " votes)";
  t.header = {"condition"};
  for (const auto& p : r.predictor_names) t.header.push_back(p);
  for (const auto& c : r.conditions) {
    const disfer::subset_result& sub = r.per_condition.find(disfer::subset_level::condition, c.name);
    std::vector<std::string> row = {c.name};
    for (const auto& p : sub.predictors)
      row.push_back(disfer::fixed(p.accuracy.estimate) + " [" + disfer::fixed(p.accuracy.ci_low) + ", " +
                    disfer::fixed(p.accuracy.ci_high) + "]");
    t.rows.push_back(row);
  }
  std::cout << disfer::to_text(t);
  disfer::write_svg(s.out, disfer::reproduction_figure2(r), s.policy);
  std::cout << "wrote " << s.out << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << "\n";
  return 1;
}
