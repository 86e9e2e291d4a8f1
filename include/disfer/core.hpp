#pragma once
/// \file
/// Umbrella header of the core module: emotions, errors, predictions, counter-based random numbers.
#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/predictions.hpp"
#include "disfer/core/random.hpp"
#include "disfer/version.hpp"
