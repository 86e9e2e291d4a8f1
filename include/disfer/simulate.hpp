#pragma once
/// \file
/// Umbrella header of the simulation module: a calibrated generative model of the DisFER study at
/// the level of single votes (simulate_study), its default parameters, the paper's aggregates of a
/// study (summarize_study) and CSV writers.
#include "disfer/simulate/distributions.hpp"
#include "disfer/simulate/study.hpp"
#include "disfer/simulate/defaults.hpp"
#include "disfer/simulate/summary.hpp"
#include "disfer/simulate/csv.hpp"
#include "disfer/simulate/ferplus.hpp"
