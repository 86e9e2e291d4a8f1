#pragma once
/// \file
/// The calibrated default parameters of the DisFER simulation (docs/simulation.md, "Fit").
/// The fitted numbers below are the output of examples/calibrate_simulation.cpp (deterministic;
/// its output is committed as docs/simulation-calibration.txt); the others are documented
/// assumptions, not fitted.

#include <vector>

#include "disfer/simulate/study.hpp"

namespace disfer {

/// The DisFER study's simulation parameters: the DisFER design (disfer_study_design()), the human
/// model, and four classifiers in this order: "RMN", "DeepFace", "FT RMN", "FT DeepFace"
/// (pre-trained and fine-tuned Residual Masking Network and DeepFace). Categories in FER-2013
/// order (angry, disgust, fear, happy, sad, surprise, neutral); families 0 none, 1 GB, 2 GN, 3 SP.
inline simulation_parameters disfer_simulation_parameters() {
  simulation_parameters p;
  p.design = disfer_study_design();
  human_parameters& h = p.humans;
  // ---- assumptions (not fitted) ----
  // Which emotions an expression is confused with (rows: angry, disgust, fear, happy, sad,
  // surprise, neutral): the classic FER-2013 pattern (anger-disgust, fear-surprise, sadness-neutral,
  // everything toward neutral), set by hand.
  h.confusion = {{0.00, 0.25, 0.10, 0.02, 0.18, 0.05, 0.40}, {0.45, 0.00, 0.10, 0.05, 0.15, 0.05, 0.20},
                 {0.15, 0.05, 0.00, 0.03, 0.25, 0.32, 0.20}, {0.03, 0.04, 0.03, 0.00, 0.05, 0.15, 0.70},
                 {0.15, 0.05, 0.15, 0.03, 0.00, 0.02, 0.60}, {0.05, 0.02, 0.35, 0.20, 0.03, 0.00, 0.35},
                 {0.20, 0.03, 0.07, 0.15, 0.45, 0.10, 0.00}};
  // Lapses go mostly to neutral, and a face whose expression a distortion has wiped out reads as
  // neutral (or sad); informed by the paper's remark that neutral is the most voted emotion.
  h.response_bias = {0.12, 0.04, 0.10, 0.10, 0.18, 0.08, 0.38};
  h.degraded_expression = {0.05, 0.02, 0.05, 0.05, 0.13, 0.05, 0.65};
  h.clarity_concentration = 3.0;
  h.confusion_concentration = 1.5;
  h.stimulus_concentration = 40.0;
  h.lapse_mean = 0.04;
  h.lapse_concentration = 30.0;
  h.bias_concentration = 20.0;
  // ---- fitted (examples/calibrate_simulation.cpp) ----
  // label_noise per dataset label (angry, disgust, sad and neutral share one fitted value, fear
  // has its own; happiness and surprise are assumed reliably labelled: 0)
  h.label_noise = {0.3293, 0.3293, 0.7424, 0.0, 0.3293, 0.0, 0.3293};
  // clarity_mean: one fitted value shared by every emotion
  h.clarity_mean = std::vector<double>(7, 0.9741);
  // degradation gamma per family: none, GB, GN, SP (fitted: GN; assumed: GB = GN / 2, SP = 0)
  h.degradation = {0.0, 0.2041, 0.4082, 0.0};

  model_parameters rmn;
  rmn.name = "RMN";
  rmn.bias = {0.05, 0.01, 0.04, 0.05, 0.10, 0.03, 0.72};  // the paper: RMN tends to predict neutral
  rmn.human_likeness = 0.7;
  rmn.base_bias = 0.4192;
  rmn.degradation = {0.0, 0.4911, 0.4911, 1.7015};  // GB and GN share one fitted value
  model_parameters deepface;
  deepface.name = "DeepFace";
  deepface.bias = {0.10, 0.02, 0.30, 0.05, 0.33, 0.05, 0.15};  // assumption: toward sad and fear
  deepface.human_likeness = 0.7;
  deepface.base_bias = 0.3663;
  deepface.degradation = {0.0, 0.4019, 0.4019, 0.4019};  // one fitted value for all families
  const std::vector<double> mild = {0.14, 0.10, 0.14, 0.14, 0.16, 0.14, 0.18};
  model_parameters ft_rmn;
  ft_rmn.name = "FT RMN";
  ft_rmn.bias = mild;
  ft_rmn.human_likeness = 0.7;
  ft_rmn.base_bias = 0.0471;
  ft_rmn.degradation = {0.0, 0.1307, 0.4326, 0.0989};
  model_parameters ft_deepface = ft_rmn;
  ft_deepface.name = "FT DeepFace";
  ft_deepface.base_bias = 0.1069;
  ft_deepface.degradation = {0.0, 0.1128, 0.1714, 0.2017};
  p.models = {rmn, deepface, ft_rmn, ft_deepface};
  return p;
}

}  // namespace disfer
