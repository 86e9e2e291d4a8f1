// The calibration contract (issue 9): over 100 seeds (0..99, not the fit seeds 1000..1039 of
// examples/calibrate_simulation.cpp), the mean of every aggregate the default parameters were
// calibrated to lies within 2 standard deviations (over those seeds) of the published value
// (Lévêque et al. 2022, Electronics 11(23) 4030: each value below is the paper's figure for it).
// Under ASan+UBSan 20 seeds.
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "disfer/simulate.hpp"
#include "test_support.hpp"

namespace {

using disfer::simulated_study;
using disfer::study_summary;

double accuracy_where(const simulated_study& st, const std::vector<std::uint32_t>& pred, std::size_t family,
                      double severity = -1) {
  std::size_t right = 0, total = 0;
  for (std::size_t i = 0; i < st.stimuli.size(); ++i) {
    const auto& c = st.conditions[st.stimuli[i].condition];
    if (family != 99 && c.family != family) continue;
    if (severity >= 0 && c.severity != severity) continue;
    ++total;
    right += pred[i] == st.stimuli[i].label;
  }
  return static_cast<double>(right) / static_cast<double>(total);
}

struct published {
  std::string name;
  double value;  // the paper's
  std::function<double(const simulated_study&, const study_summary&)> get;
};

}  // namespace

TEST_CASE("calibrated aggregates average within 2 SD of the published values over 100 seeds",
          "[simulate][calibration]") {
#if defined(DISFER_SANITIZE)
  const int n_seeds = 20;
#else
  const int n_seeds = 100;
#endif
  constexpr std::size_t all = 99, none = 0, gb = 1, gn = 2, sp = 3;
  auto acc = [](std::size_t predictor, std::size_t family, double severity = -1) {
    return [=](const simulated_study& st, const study_summary& s) {
      return accuracy_where(st, s.predictors[predictor].labels, family, severity);
    };
  };
  const std::vector<published> targets = {
      {"Fleiss kappa", 0.58, [](const simulated_study&, const study_summary& s) { return s.kappa.kappa; }},
      {"humans accuracy (840)", 0.63, acc(0, all)},
      {"humans accuracy original (about 70%)", 0.70, acc(0, none)},
      {"humans accuracy SP low (about 70%)", 0.70, acc(0, sp, 1)},
      {"humans recall fear", 0.22,
       [](const simulated_study&, const study_summary& s) { return s.human_metrics.per_class[2].recall; }},
      {"RMN accuracy", 0.26, acc(1, all)},
      {"RMN accuracy original", 0.46, acc(1, none)},
      {"RMN accuracy SP low", 0.20, acc(1, sp, 1)},
      {"DeepFace accuracy", 0.33, acc(2, all)},
      {"FT RMN accuracy", 0.52, acc(3, all)},
      {"FT RMN accuracy GB", 0.55, acc(3, gb)},
      {"FT RMN accuracy GN", 0.38, acc(3, gn)},
      {"FT RMN accuracy SP", 0.58, acc(3, sp)},
      {"FT DeepFace accuracy", 0.52, acc(4, all)},
      {"FT DeepFace accuracy GB", 0.54, acc(4, gb)},
      {"FT DeepFace accuracy GN", 0.50, acc(4, gn)},
      {"FT DeepFace accuracy SP", 0.48, acc(4, sp)},
  };
  const auto params = disfer::disfer_simulation_parameters();
  disfer::summary_options options;
  options.comparisons = false;
  std::vector<double> sum(targets.size(), 0), sum2(targets.size(), 0);
  for (int seed = 0; seed < n_seeds; ++seed) {
    const auto st = disfer::simulate_study(params, static_cast<std::uint64_t>(seed));
    const auto s = disfer::summarize_study(st, options);
    for (std::size_t t = 0; t < targets.size(); ++t) {
      const double v = targets[t].get(st, s);
      sum[t] += v;
      sum2[t] += v * v;
    }
  }
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const double mean = sum[t] / n_seeds;
    const double sd = std::sqrt((sum2[t] - n_seeds * mean * mean) / (n_seeds - 1));
    INFO(targets[t].name << ": mean " << mean << ", SD " << sd << ", published " << targets[t].value);
    CHECK(sd > 0);
    CHECK(std::fabs(mean - targets[t].value) <= 2 * sd);
  }
}
