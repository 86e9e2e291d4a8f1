// Figure 3 of Lévêque et al. (2022): confusion matrices (rows: dataset label, columns: prediction)
// of the humans' majority vote and of each model under each condition, and the humans' per-class
// precision and recall the paper quotes (surprise 85%/94%, happiness 78%/90%, neutral precision 38%,
// fear recall 22%). Simulation by default, or --stimuli DIR --votes votes.csv. Writes figure3_confusion.svg.
#include <iostream>

#include "support/figure_study.hpp"

int main(int argc, char** argv) try {
  const auto s = disfer_examples::load_figure_study(
      "figure3_confusion", "figure3_confusion.svg",
      "Figure 3 of Leveque et al. (2022): confusion matrices of the humans' majority vote and of each model per "
      "condition, and the humans' per-class precision and recall",
      argc, argv);
  const disfer::reproduction_result& r = s.result;
  const disfer::subset_result& all = r.per_condition.find(disfer::subset_level::overall, "overall");
  std::vector<disfer::comparison_row> rows;
  for (std::size_t j = 0; j < r.category_names.size(); ++j) {
    const disfer::class_metrics& m = all.predictors[0].metrics.per_class[j];  // predictor 0 = humans
    const std::string& c = r.category_names[j];
    rows.push_back({"precision " + c, m.precision, disfer::published("precision/" + c), r.votes_origin});
    rows.push_back({"recall " + c, m.recall, disfer::published("recall/" + c), r.votes_origin});
  }
  std::cout << disfer::to_text(disfer::comparison_table("Humans' precision and recall", rows));
  disfer::write_svg(s.out, disfer::reproduction_figure3(r), s.policy);
  std::cout << "wrote " << s.out << " (" << r.predictor_names.size() * r.conditions.size() << " matrices)\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << "\n";
  return 1;
}
