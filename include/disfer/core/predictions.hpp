#pragma once
/// \file
/// disfer::predictions, the class predictions of a set of images or stimuli: what predict()
/// (inference component) returns and what read_predictions_csv / write_predictions_csv
/// (io/predictions_csv.hpp) read and write. Core dependencies only (Eigen).

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace disfer {

/// Class predictions for a set of images (or stimuli).
struct predictions {
  /// The classes, in the order of the probability columns and of the label indices.
  std::vector<std::string> class_names;
  /// Identifier of each row (set by the caller or read from a CSV; empty from predict()).
  std::vector<std::string> stimuli;
  /// Row i: image i's probabilities (n x k); n x 0 when only labels are known.
  Eigen::MatrixXd probabilities;
  /// Predicted class index per row (the most probable class, lowest index on ties; -1 when every
  /// probability of the row is NaN).
  std::vector<int> labels;

  std::size_t size() const noexcept { return labels.size(); }
};

namespace detail {

/// Index of the largest value of `row` (first on ties, NaN ignored); -1 when all are NaN or k = 0.
inline int argmax_row(const double* row, std::size_t k) {
  int best = -1;
  for (std::size_t j = 0; j < k; ++j)
    if (!std::isnan(row[j]) && (best < 0 || row[j] > row[static_cast<std::size_t>(best)])) best = static_cast<int>(j);
  return best;
}

}  // namespace detail

}  // namespace disfer
