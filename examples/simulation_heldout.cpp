// How well the calibrated DisFER simulation predicts the published aggregates it was NOT fitted to
// (docs/simulation.md, "Held-out comparison"): simulates the study under seeds 0..N-1 with the
// default parameters, computes every aggregate from the simulated votes and predictions with
// disfer's statistics (summarize_study), and prints the mean and standard deviation over the seeds
// beside the paper's value, with z = (mean - paper) / SD. The calibrated aggregates come first.
//
//   simulation_heldout [--seeds N]        (default 100)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "disfer/simulate.hpp"
#include "support/cli.hpp"

namespace {

using disfer::simulated_study;
using disfer::study_summary;

constexpr std::size_t fear = 2, happy = 3, sad = 4, surprise = 5, neutral = 6;
constexpr std::size_t humans = 0, rmn = 1, deepface = 2, ft_rmn = 3, ft_deepface = 4;

struct row {
  std::string name;
  double paper;
  std::function<double(const simulated_study&, const study_summary&)> get;
};

// Mean and SD over the stimuli versions of each always-misclassified source of P_i (the paper's
// Table 1 reports them for four such sources), averaged over those sources.
double table1(const simulated_study& st, const study_summary& s, bool sd) {
  if (s.always_misclassified.empty()) return std::nan("");
  const std::size_t n_cond = st.conditions.size();
  double total = 0;
  for (auto src : s.always_misclassified) {
    double m = 0, m2 = 0;
    for (std::size_t c = 0; c < n_cond; ++c) {
      const double p = s.p_i[static_cast<Eigen::Index>(src * n_cond + c)];
      m += p;
      m2 += p * p;
    }
    m /= static_cast<double>(n_cond);
    total += sd ? std::sqrt((m2 - static_cast<double>(n_cond) * m * m) / static_cast<double>(n_cond - 1)) : m;
  }
  return total / static_cast<double>(s.always_misclassified.size());
}

}  // namespace

void print_help() {
  std::printf(
      "simulation_heldout: the calibrated DisFER simulation beside the published aggregates it was not\n"
      "fitted to (docs/simulation.md, \"Held-out comparison\"): the mean and SD over seeds 0..N-1 of every\n"
      "aggregate, the paper's value and z = (mean - paper) / SD; the calibrated aggregates come first.\n\n"
      "Reads:   nothing (simulation parameters: simulate/defaults.hpp; the paper's values: report/paper.hpp).\n"
      "Writes:  standard output only (docs/simulation-heldout.txt is its output with the defaults).\n"
      "Options:\n"
      "  --seeds N    simulated studies (default 100, at least 2)\n"
      "  --help       this text\n"
      "Example:\n"
      "  simulation_heldout --seeds 20\n");
}

int main(int argc, char** argv) {
  if (disfer_examples::wants_help(argc, argv)) return print_help(), 0;
  int n_seeds = 100;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seeds") && i + 1 < argc) {
      n_seeds = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: simulation_heldout [--seeds N] (--help)\n");
      return 2;
    }
  }
  if (n_seeds < 2) {
    std::fprintf(stderr, "simulation_heldout: --seeds must be >= 2\n");
    return 2;
  }
  auto cls = [](std::size_t e, bool precision) {
    return [=](const simulated_study&, const study_summary& s) {
      const auto& m = s.human_metrics.per_class[e];
      return precision ? m.precision : m.recall;
    };
  };
  auto log10p = [](std::size_t a, std::size_t b) {
    return [=](const simulated_study&, const study_summary& s) { return s.mcnemar_log10_p[a][b]; };
  };
  auto offdiag_mean = [](std::size_t model) {
    return [=](const simulated_study&, const study_summary& s) { return s.offdiag_r_mean[model - 1]; };
  };
  auto offdiag_gb = [](std::size_t model) {
    return [=](const simulated_study&, const study_summary& s) { return s.offdiag_r_by_family[model - 1][1]; };
  };
  auto acc = [](std::size_t predictor, std::size_t family, double severity) {
    return [=](const simulated_study& st, const study_summary& s) {
      std::size_t right = 0, total = 0;
      for (std::size_t i = 0; i < st.stimuli.size(); ++i) {
        const auto& c = st.conditions[st.stimuli[i].condition];
        if ((family != 99 && c.family != family) || (severity >= 0 && c.severity != severity)) continue;
        ++total;
        right += s.predictors[predictor].labels[i] == st.stimuli[i].label;
      }
      return static_cast<double>(right) / static_cast<double>(total);
    };
  };
  // The calibrated aggregates first (marked "fit:"), for the record; the test
  // tests/simulate/test_calibration.cpp checks them.
  std::vector<row> rows = {
      {"fit: Fleiss kappa", 0.58, [](const simulated_study&, const study_summary& s) { return s.kappa.kappa; }},
      {"fit: humans accuracy (840)", 0.63, acc(humans, 99, -1)},
      {"fit: humans accuracy original (about 70%)", 0.70, acc(humans, 0, -1)},
      {"fit: humans accuracy SP low (checked, not fitted)", 0.70, acc(humans, 3, 1)},
      {"fit: humans recall fear", 0.22, cls(fear, false)},
      {"fit: RMN accuracy", 0.26, acc(rmn, 99, -1)},
      {"fit: RMN accuracy original", 0.46, acc(rmn, 0, -1)},
      {"fit: RMN accuracy SP low", 0.20, acc(rmn, 3, 1)},
      {"fit: DeepFace accuracy", 0.33, acc(deepface, 99, -1)},
      {"fit: DeepFace accuracy original (assumed)", 0.50, acc(deepface, 0, -1)},
      {"fit: FT RMN accuracy", 0.52, acc(ft_rmn, 99, -1)},
      {"fit: FT RMN accuracy GB / GN / SP", 0.55, acc(ft_rmn, 1, -1)},
      {"fit:", 0.38, acc(ft_rmn, 2, -1)},
      {"fit:", 0.58, acc(ft_rmn, 3, -1)},
      {"fit: FT DeepFace accuracy", 0.52, acc(ft_deepface, 99, -1)},
      {"fit: FT DeepFace accuracy GB / GN / SP", 0.54, acc(ft_deepface, 1, -1)},
      {"fit:", 0.50, acc(ft_deepface, 2, -1)},
      {"fit:", 0.48, acc(ft_deepface, 3, -1)},
      {"P_i > 0.9 (images)", 81,
       [](const simulated_study&, const study_summary& s) { return double(s.agreement.above_0_9); }},
      {"P_i > 0.9 and majority happiness", 43,
       [](const simulated_study&, const study_summary& s) { return double(s.high_agreement_by_label[happy]); }},
      {"P_i > 0.5 (images)", 513,
       [](const simulated_study&, const study_summary& s) { return double(s.agreement.above_0_5); }},
      {"P_i < 0.3 (images)", 88,
       [](const simulated_study&, const study_summary& s) { return double(s.agreement.below_0_3); }},
      {"sources misclassified in all 10 versions", 19,
       [](const simulated_study&, const study_summary& s) { return double(s.always_misclassified.size()); }},
      {"majority accuracy without them (the 82%)", 0.82,
       [](const simulated_study&, const study_summary& s) { return s.accuracy_without_always_misclassified; }},
      {"  per-participant accuracy without them", 0.82,
       [](const simulated_study&, const study_summary& s) {
         return s.participant_accuracy_without_always_misclassified;
       }},
      {"Table 1: mean P_i over versions (4 sources)", (0.34 + 0.41 + 0.54 + 0.38) / 4,
       [](const simulated_study& st, const study_summary& s) { return table1(st, s, false); }},
      {"Table 1: SD of P_i over versions (4 sources)", (0.11 + 0.13 + 0.09 + 0.07) / 4,
       [](const simulated_study& st, const study_summary& s) { return table1(st, s, true); }},
      {"per-participant accuracy, mean", 0.55,
       [](const simulated_study&, const study_summary& s) { return s.participants.mean; }},
      {"per-participant accuracy, SE (the +-0.4%)", 0.004,
       [](const simulated_study&, const study_summary& s) { return s.participants.se; }},
      {"per-participant accuracy, min", 0.30,
       [](const simulated_study&, const study_summary& s) { return s.participants.min; }},
      {"per-participant accuracy, max", 0.80,
       [](const simulated_study&, const study_summary& s) { return s.participants.max; }},
      {"humans: precision surprise", 0.85, cls(surprise, true)},
      {"humans: recall surprise", 0.94, cls(surprise, false)},
      {"humans: recall happiness", 0.90, cls(happy, false)},
      {"humans: precision happiness", 0.78, cls(happy, true)},
      {"humans: precision neutral", 0.38, cls(neutral, true)},
      {"neutral is the most voted emotion (share of seeds)", 1,
       [](const simulated_study&, const study_summary& s) {
         const auto col = s.counts.colwise().sum();
         Eigen::Index best = 0;
         col.maxCoeff(&best);
         return best == static_cast<Eigen::Index>(neutral) ? 1.0 : 0.0;
       }},
      {"fear has the worst recall (share of seeds)", 1,
       [](const simulated_study&, const study_summary& s) {
         for (std::size_t e = 0; e < s.human_metrics.per_class.size(); ++e)
           if (s.human_metrics.per_class[e].recall < s.human_metrics.per_class[fear].recall) return 0.0;
         return 1.0;
       }},
      {"humans: recall sadness (not published)", std::nan(""), cls(sad, false)},
      {"humans beat every model in every condition (share)", 1,
       [](const simulated_study& st, const study_summary& s) {
         for (std::size_t c = 0; c < st.conditions.size(); ++c)
           for (std::size_t m = 1; m < s.predictors.size(); ++m)
             if (s.predictors[m].accuracy_by_condition[c] >= s.predictors[0].accuracy_by_condition[c]) return 0.0;
         return 1.0;
       }},
      {"log10 p McNemar RMN vs FT RMN", -32, log10p(rmn, ft_rmn)},
      {"log10 p McNemar DeepFace vs FT DeepFace", -21, log10p(deepface, ft_deepface)},
      {"log10 p McNemar FT RMN vs FT DeepFace (p 0.96)", std::log10(0.96), log10p(ft_rmn, ft_deepface)},
      {"log10 p McNemar humans vs RMN", -55, log10p(humans, rmn)},
      {"log10 p McNemar humans vs DeepFace", -38, log10p(humans, deepface)},
      {"log10 p McNemar humans vs FT RMN", -8, log10p(humans, ft_rmn)},
      {"log10 p McNemar humans vs FT DeepFace", -8, log10p(humans, ft_deepface)},
      {"off-diagonal r humans-RMN, mean of 10 conditions", 0.50, offdiag_mean(rmn)},
      {"off-diagonal r humans-DeepFace, mean of 10", 0.24, offdiag_mean(deepface)},
      {"off-diagonal r humans-RMN, GB pooled (Fig. 5)", 0.67, offdiag_gb(rmn)},
      {"off-diagonal r humans-FT RMN, GB pooled", 0.66, offdiag_gb(ft_rmn)},
      {"off-diagonal r humans-DeepFace, GB pooled", 0.33, offdiag_gb(deepface)},
      {"off-diagonal r humans-FT DeepFace, GB pooled", 0.27, offdiag_gb(ft_deepface)},
  };
  const auto params = disfer::disfer_simulation_parameters();
  std::vector<std::vector<double>> values(rows.size());
  for (int seed = 0; seed < n_seeds; ++seed) {
    const simulated_study st = disfer::simulate_study(params, static_cast<std::uint64_t>(seed));
    const study_summary s = disfer::summarize_study(st);
    for (std::size_t r = 0; r < rows.size(); ++r) values[r].push_back(rows[r].get(st, s));
  }
  std::printf("Held-out aggregates of the calibrated DisFER simulation, seeds 0..%d\n", n_seeds - 1);
  std::printf("%-52s %9s %9s %9s %7s\n", "aggregate", "paper", "mean", "SD", "z");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    double m = 0, m2 = 0;
    std::size_t n = 0;
    for (double v : values[i])
      if (v == v) m += v, m2 += v * v, ++n;
    m /= static_cast<double>(n);
    const double sd =
        n > 1 ? std::sqrt(std::max(0.0, (m2 - static_cast<double>(n) * m * m) / static_cast<double>(n - 1))) : 0;
    const double z = sd > 0 ? (m - r.paper) / sd : std::nan("");
    std::printf("%-52s %9.4g %9.4g %9.3g %7.2f\n", r.name.c_str(), r.paper, m, sd, z);
  }
  return 0;
}
