#pragma once
/// \file
/// Comparing classifiers and humans: Borji & Itti's error correlation and the per-condition
/// analysis engine (accuracy, confusion, McNemar, error correlation, cluster bootstrap).
#include "disfer/compare/error_correlation.hpp"
#include "disfer/compare/per_condition.hpp"
