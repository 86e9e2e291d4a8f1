#pragma once
/// \file
/// Umbrella header of the core module: emotions, errors, counter-based random numbers. (The
/// predictions type, core/predictions.hpp, needs Eigen: it comes with io.hpp and inference.hpp.)
#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/version.hpp"
