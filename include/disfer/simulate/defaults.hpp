#pragma once
/// \file
/// The calibrated default parameters of the DisFER simulation (docs/simulation.md, "Fit").
/// The fitted numbers below are the output of examples/calibrate_simulation.cpp (deterministic;
/// its output is committed as docs/simulation-calibration.txt); the others are documented
/// assumptions, not fitted.

#include <cstddef>
#include <vector>

#include "disfer/detail/portable_math.hpp"
#include "disfer/simulate/study.hpp"

namespace disfer {

/// Logit of FER+'s mean top-vote share per top emotion on clean FER-2013 faces (FER-2013 order;
/// tests/simulate/reference/ferplus_shape.txt): the emotions' relative clarity.
inline constexpr double ferplus_clarity_logit[7] = {0.8411, 0.3073, 0.3290, 2.1729, 0.8443, 1.3339, 1.4809};
/// The shift of those logits at which the DisFER human model gives FER+'s mean P_i on FER+'s clean
/// faces (ferplus_histogram; found by examples/calibrate_simulation.cpp with the ambiguity grid):
/// FER+'s crowd's level, used only to check the model's shape against FER+.
inline constexpr double ferplus_clarity_shift = 2.0900;
/// The common shift of those logits fitted to DisFER's Fleiss kappa (examples/calibrate_simulation.cpp).
inline constexpr double disfer_clarity_shift = 3.6032;

namespace detail {
/// clarity_mean[t] = 1 / (1 + exp(-(ferplus_clarity_logit[t] + shift))), with the portable exp so
/// that the parameters (and so the simulated bytes) are the same on every platform.
inline std::vector<double> shifted_clarity(double shift) {
  std::vector<double> m(7);
  for (std::size_t t = 0; t < 7; ++t) m[t] = 1.0 / (1.0 + portable::exp(-(ferplus_clarity_logit[t] + shift)));
  return m;
}
}  // namespace detail

/// The DisFER study's simulation parameters: the DisFER design (disfer_study_design()), the human
/// model, and four classifiers in this order: "RMN", "DeepFace", "FT RMN", "FT DeepFace"
/// (pre-trained and fine-tuned Residual Masking Network and DeepFace). Categories in FER-2013
/// order (angry, disgust, fear, happy, sad, surprise, neutral); families 0 none, 1 GB, 2 GN, 3 SP.
inline simulation_parameters disfer_simulation_parameters() {
  simulation_parameters p;
  p.design = disfer_study_design();
  human_parameters& h = p.humans;
  // ---- taken from FER+'s votes on clean FER-2013 faces (tests/simulate/reference/ferplus_shape.py
  // and its committed output ferplus_shape.txt): shape only, never the paper's levels ----
  // Which other emotions a face that reads as t is also read as (rows: angry, disgust, fear, happy,
  // sad, surprise, neutral): the shares of FER+'s non-top votes.
  h.confusion = {{0.0000, 0.2246, 0.0862, 0.0831, 0.1477, 0.1785, 0.2800},
                 {0.2800, 0.0000, 0.0400, 0.0640, 0.2560, 0.0720, 0.2880},
                 {0.0800, 0.0200, 0.0000, 0.0900, 0.2300, 0.4300, 0.1500},
                 {0.1013, 0.0506, 0.0443, 0.0000, 0.0823, 0.3354, 0.3861},
                 {0.1388, 0.1068, 0.0391, 0.0569, 0.0000, 0.0747, 0.5836},
                 {0.0825, 0.0095, 0.4222, 0.1397, 0.0286, 0.0000, 0.3175},
                 {0.1649, 0.0614, 0.0351, 0.1281, 0.4842, 0.1263, 0.0000}};
  for (auto& row : h.confusion) {  // the printed rows sum to 1 within 1e-4: renormalise exactly
    double sum = 0;
    for (double v : row) sum += v;
    for (double& v : row) v /= sum;
  }
  // The ambiguity of faces, fitted to FER+'s P_i histogram on clean faces (a grid search in
  // examples/calibrate_simulation.cpp, at the clarity shift that gives FER+'s mean P_i): a quarter
  // of the faces are genuinely ambiguous, and most ambiguous faces mix three readings.
  h.ambiguous_rate = 0.30;
  h.ambiguous_clarity = 0.45;
  h.third_reading_rate = 0.7;
  h.clarity_concentration = 6.0;
  // ---- assumptions (not fitted) ----
  // Lapses go mostly to neutral, and a face whose expression a distortion has wiped out reads as
  // neutral (or sad); informed by the paper's remark that neutral is the most voted emotion.
  h.response_bias = {0.12, 0.04, 0.10, 0.10, 0.18, 0.08, 0.38};
  h.degraded_expression = {0.05, 0.02, 0.05, 0.05, 0.13, 0.05, 0.65};
  // A distortion's rate scales with the face's ambiguity (subtle cues go first), and 40% of the
  // weight it moves goes to the face's own secondary readings, 60% to degraded_expression.
  h.robustness_exponent = 1.0;
  h.degraded_share = 0.6;
  h.stimulus_concentration = 40.0;
  h.lapse_mean = 0.07;
  h.lapse_concentration = 30.0;
  h.bias_concentration = 20.0;
  // ---- fitted (examples/calibrate_simulation.cpp) ----
  // label_noise per dataset label (angry, disgust, sad and neutral share one fitted value, fear
  // has its own; happiness and surprise are assumed reliably labelled: 0)
  h.label_noise = {0.1991, 0.1991, 0.8095, 0.0000, 0.1991, 0.0000, 0.1991};
  // clarity_mean[t] = logistic(ferplus_clarity_logit[t] + shift): FER+'s relative clarity of the
  // emotions, at a level fitted to DisFER's kappa
  h.clarity_mean = detail::shifted_clarity(disfer_clarity_shift);
  // degradation gamma per family: none, GB, GN, SP (fitted: GN; assumed: GB = GN / 2, SP = 0)
  h.degradation = {0.0000, 7.7604, 15.5208, 0.0000};

  model_parameters rmn;
  rmn.name = "RMN";
  rmn.bias = {0.05, 0.01, 0.04, 0.05, 0.10, 0.03, 0.72};  // the paper: RMN tends to predict neutral
  rmn.human_likeness = 0.7;
  rmn.base_bias = 0.4146;
  rmn.degradation = {0.0000, 0.4957, 0.4957, 1.6734};  // GB and GN share one fitted value
  model_parameters deepface;
  deepface.name = "DeepFace";
  deepface.bias = {0.10, 0.02, 0.30, 0.05, 0.33, 0.05, 0.15};  // assumption: toward sad and fear
  deepface.human_likeness = 0.7;
  deepface.base_bias = 0.3602;
  deepface.degradation = {0.0000, 0.4089, 0.4089, 0.4089};  // one fitted value for all families
  const std::vector<double> mild = {0.14, 0.10, 0.14, 0.14, 0.16, 0.14, 0.18};
  model_parameters ft_rmn;
  ft_rmn.name = "FT RMN";
  ft_rmn.bias = mild;
  ft_rmn.human_likeness = 0.7;
  ft_rmn.base_bias = 0.0481;
  ft_rmn.degradation = {0.0000, 0.1340, 0.4450, 0.1071};
  model_parameters ft_deepface = ft_rmn;
  ft_deepface.name = "FT DeepFace";
  ft_deepface.base_bias = 0.0929;
  ft_deepface.degradation = {0.0000, 0.1122, 0.1792, 0.2110};
  p.models = {rmn, deepface, ft_rmn, ft_deepface};
  return p;
}

}  // namespace disfer
