#pragma once
/// \file
/// Classification metrics: confusion matrices, accuracy (Wilson interval), balanced accuracy,
/// precision, recall, F-beta and the classification report.
#include "disfer/metrics/confusion_matrix.hpp"
#include "disfer/metrics/precision_recall.hpp"
