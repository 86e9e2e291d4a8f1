// Figure 5 of Lévêque et al. (2022): the confusions of humans and models on Gaussian-blurred faces
// with the diagonal removed, and each model's off-diagonal correlation with the humans on GB (paper:
// RMN 0.67, FT RMN 0.66, DeepFace 0.33, FT DeepFace 0.27). Simulation by default, or
// --stimuli DIR --votes votes.csv. Writes figure5_blur_offdiagonal.svg.
#include <iostream>

#include "support/figure_study.hpp"

int main(int argc, char** argv) try {
  const auto s = disfer_examples::load_figure_study(
      "figure5_blur_offdiagonal", "figure5_blur_offdiagonal.svg",
      "Figure 5 of Leveque et al. (2022): the confusions of humans and models on Gaussian-blurred faces without the "
      "diagonal, and each model's off-diagonal correlation with the humans",
      argc, argv);
  const disfer::reproduction_result& r = s.result;
  std::vector<disfer::comparison_row> rows;
  for (const auto& c : r.per_condition.find(disfer::subset_level::distortion_type, "GB").correlations)
    rows.push_back({c.predictor + " vs humans on GB", c.correlation.r,
                    disfer::published("offdiag_r/" + c.predictor + "/GB"), r.origin(0, r.predictor(c.predictor))});
  std::cout << disfer::to_text(disfer::comparison_table("Off-diagonal correlation on Gaussian blur", rows));
  disfer::write_svg(s.out, disfer::reproduction_figure5(r, "GB"), s.policy);
  std::cout << "wrote " << s.out << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << "\n";
  return 1;
}
