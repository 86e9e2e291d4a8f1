// Table 1 and the agreement figures of Lévêque et al. (2022), section 5: Fleiss' kappa (0.58), the
// per-image agreement P_i (81 images above 0.9, 513 above 0.5, 88 below 0.3), the sources whose
// majority vote is wrong in all ten versions (19 of 84) and, for each, P_i over its versions (Table 1).
// Simulation by default, or --stimuli DIR --votes votes.csv. Writes table1.csv.
#include <fstream>
#include <iostream>

#include "support/figure_study.hpp"

int main(int argc, char** argv) try {
  const auto s = disfer_examples::load_figure_study(
      "table1_agreement", "table1.csv",
      "Table 1 and the agreement figures of Leveque et al. (2022), section 5: Fleiss' kappa, the P_i counts, the "
      "sources misclassified in all ten versions and their P_i",
      argc, argv);
  const disfer::reproduction_result& r = s.result;
  const disfer::item_agreement_summary& a = r.summary.agreement;
  const auto o = r.votes_origin;
  std::cout << disfer::to_text(disfer::comparison_table(
      "Agreement", {{"Fleiss' kappa", r.summary.kappa.kappa, disfer::published("kappa"), o, 3},
                    {"P_i > 0.9", static_cast<double>(a.above_0_9), disfer::published("p_i_above_0.9"), o, 0},
                    {"P_i > 0.5", static_cast<double>(a.above_0_5), disfer::published("p_i_above_0.5"), o, 0},
                    {"P_i < 0.3", static_cast<double>(a.below_0_3), disfer::published("p_i_below_0.3"), o, 0},
                    {"sources wrong in every version", static_cast<double>(r.table1.size()),
                     disfer::published("always_misclassified"), o, 0}}));
  disfer::text_table t;
  t.title = "Table 1: P_i over the versions of each always-misclassified source";
  t.header = {"source", "label", "majority", "mean", "sd", "min", "max"};
  for (const disfer::always_misclassified_source& row : r.table1)
    t.rows.push_back({row.source, r.category_names[row.label], r.category_names[static_cast<std::size_t>(row.majority)],
                      disfer::fixed(row.mean), disfer::fixed(row.sd), disfer::fixed(row.min), disfer::fixed(row.max)});
  std::cout << disfer::to_text(t);
  disfer::staged_file file(s.out, s.policy, "table1_agreement");
  disfer::write_table1_csv(file.stream(), r);
  file.commit();
  std::cout << "wrote " << s.out << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << "\n";
  return 1;
}
