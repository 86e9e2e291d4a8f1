#pragma once
/// \file
/// The numbers Lévêque et al. (Electronics 2022, "DisFER") publish, by key, for printing beside a
/// reproduction. Source: the paper's text (sections 4 and 5, Figures 2-5, Table 1); see
/// DISFER-FACTS.md of the project's shared folder for the readings of the "82%" (majority-vote
/// accuracy without the always-misclassified sources) and the "0.4%" (a standard error).
/// Predictor names are the paper's: "humans", "RMN", "DeepFace", "FT RMN", "FT DeepFace".

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace disfer {

/// One published number. Keys: `accuracy/<predictor>`, `accuracy/<predictor>/<condition or type>`,
/// `mcnemar_log10_p/<a>/<b>`, `kappa`, `p_i_above_0.9`, `p_i_above_0.5`, `p_i_below_0.3`,
/// `p_i_above_0.9_happy`, `always_misclassified`, `participants/mean|se|min|max`,
/// `accuracy_without_always_misclassified`, `precision/<class>`, `recall/<class>`,
/// `offdiag_r_mean/<model>`, `offdiag_r/<model>/GB`.
struct published_value {
  std::string key;
  double value;
  std::string where;  ///< section, figure or table of the paper
};

/// Every number of the paper that a reproduction compares with.
inline const std::vector<published_value>& disfer_published_values() {
  static const std::vector<published_value> v = {
      {"accuracy/humans", 0.63, "4.1"},
      {"accuracy/RMN", 0.26, "4.1"},
      {"accuracy/DeepFace", 0.33, "4.1"},
      {"accuracy/FT RMN", 0.52, "4.1"},
      {"accuracy/FT DeepFace", 0.52, "4.1"},
      {"accuracy/RMN/original", 0.46, "4.1, Figure 2"},
      {"accuracy/RMN/SP 0.02", 0.20, "4.1, Figure 2"},
      {"accuracy/humans/SP", 0.70, "4.1, Figure 2 (\"about 70%\")"},
      {"accuracy/FT RMN/GB", 0.55, "4.2"},
      {"accuracy/FT DeepFace/GB", 0.54, "4.2"},
      {"accuracy/FT RMN/SP", 0.58, "4.2"},
      {"accuracy/FT DeepFace/SP", 0.48, "4.2"},
      {"accuracy/FT RMN/GN", 0.38, "4.2"},
      {"accuracy/FT DeepFace/GN", 0.50, "4.2"},
      {"mcnemar_log10_p/RMN/FT RMN", -32, "4.1"},
      {"mcnemar_log10_p/DeepFace/FT DeepFace", -21, "4.1"},
      {"mcnemar_log10_p/FT RMN/FT DeepFace", -0.017728766960431602, "4.1 (p = 0.96)"},
      {"mcnemar_log10_p/humans/RMN", -55, "4.1"},
      {"mcnemar_log10_p/humans/DeepFace", -38, "4.1"},
      {"mcnemar_log10_p/humans/FT RMN", -8, "4.1"},
      {"mcnemar_log10_p/humans/FT DeepFace", -8, "4.1"},
      {"kappa", 0.58, "5"},
      {"p_i_above_0.9", 81, "5"},
      {"p_i_above_0.9_happy", 43, "5"},
      {"p_i_above_0.5", 513, "5"},
      {"p_i_below_0.3", 88, "5"},
      {"always_misclassified", 19, "5"},
      {"participants/mean", 0.55, "5"},
      {"participants/se", 0.004, "5 (the \"0.4%\", read as a standard error)"},
      {"participants/min", 0.30, "5"},
      {"participants/max", 0.80, "5"},
      {"accuracy_without_always_misclassified", 0.82, "5 (read as majority-vote accuracy)"},
      {"precision/surprise", 0.85, "4.2, Figure 3"},
      {"recall/surprise", 0.94, "4.2, Figure 3"},
      {"precision/happy", 0.78, "4.2, Figure 3"},
      {"recall/happy", 0.90, "4.2, Figure 3"},
      {"precision/neutral", 0.38, "4.2, Figure 3"},
      {"recall/fear", 0.22, "4.2, Figure 3"},
      {"offdiag_r_mean/RMN", 0.50, "4.3, Figure 4"},
      {"offdiag_r_mean/DeepFace", 0.24, "4.3, Figure 4"},
      {"offdiag_r/DeepFace/GB", 0.33, "4.3, Figure 5"},
      {"offdiag_r/FT DeepFace/GB", 0.27, "4.3, Figure 5"},
      {"offdiag_r/RMN/GB", 0.67, "4.3, Figure 5"},
      {"offdiag_r/FT RMN/GB", 0.66, "4.3, Figure 5"},
  };
  return v;
}

/// The published value of `key`, or NaN when the paper gives none. O(values).
inline double published(const std::string& key) {
  for (const auto& p : disfer_published_values())
    if (p.key == key) return p.value;
  return std::numeric_limits<double>::quiet_NaN();
}

/// Table 1 of the paper: P_i statistics over the 10 versions of the four sources of Figure 6
/// (misclassified in all versions).
struct published_table1_column {
  const char* figure;
  const char* label;       ///< FER-2013 label
  const char* classified;  ///< majority vote
  double mean, sd, min, max;
};

/// The four columns of Table 1.
inline const std::vector<published_table1_column>& disfer_published_table1() {
  static const std::vector<published_table1_column> t = {{"6a", "fear", "angry", 0.34, 0.11, 0.30, 0.43},
                                                         {"6b", "sad", "neutral", 0.41, 0.13, 0.30, 0.49},
                                                         {"6c", "disgust", "angry", 0.54, 0.09, 0.42, 0.70},
                                                         {"6d", "disgust", "fear", 0.38, 0.07, 0.27, 0.53}};
  return t;
}

}  // namespace disfer
