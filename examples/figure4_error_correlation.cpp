// Figure 4 of Lévêque et al. (2022): how alike are the models' errors and the humans'? Pearson r
// between the off-diagonal cells of the row-normalised confusion matrices of each model and of the
// humans' majority vote (Borji & Itti), per condition, with Fisher-z intervals; the paper's means are
// RMN 0.50 and DeepFace 0.24. Simulation by default, or --stimuli DIR --votes votes.csv.
#include <iostream>

#include "support/figure_study.hpp"

int main(int argc, char** argv) try {
  const auto s = disfer_examples::load_figure_study(
      "figure4_error_correlation", "figure4_error_correlation.svg",
      "Figure 4 of Leveque et al. (2022): Pearson r between the off-diagonal cells of each model's and the humans' "
      "row-normalised confusion matrices (Borji & Itti), per condition, with Fisher-z intervals",
      argc, argv);
  const disfer::reproduction_result& r = s.result;
  disfer::text_table t;
  t.title = "Off-diagonal correlation with the humans (r)";
  t.header = {"condition"};
  for (std::size_t m = 1; m < r.predictor_names.size(); ++m) t.header.push_back(r.predictor_names[m]);
  for (const auto& c : r.conditions) {
    std::vector<std::string> row = {c.name};
    for (const auto& corr : r.per_condition.find(disfer::subset_level::condition, c.name).correlations)
      row.push_back(disfer::fixed(corr.correlation.r));
    t.rows.push_back(row);
  }
  std::vector<std::string> mean = {"mean (paper)"};
  for (std::size_t m = 1; m < r.predictor_names.size(); ++m)
    mean.push_back(disfer::fixed(r.summary.offdiag_r_mean[m - 1]) + " (" +
                   disfer::fixed(disfer::published("offdiag_r_mean/" + r.predictor_names[m])) + ")");
  t.rows.push_back(mean);
  std::cout << disfer::to_text(t);
  disfer::write_svg(s.out, disfer::reproduction_figure4(r), s.policy);
  std::cout << "wrote " << s.out << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << "\n";
  return 1;
}
