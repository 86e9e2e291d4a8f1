#pragma once
/// \file
/// Everything in disfer whose dependencies are the core ones (Eigen, Boost.Math, xtensor,
/// Random123). Optional components (inference, PNG) have their own umbrella headers.
#include "disfer/core.hpp"
#include "disfer/io.hpp"
#include "disfer/image.hpp"
#include "disfer/design.hpp"
#include "disfer/crowd.hpp"
#include "disfer/agreement.hpp"
#include "disfer/metrics.hpp"
#include "disfer/hypothesis.hpp"
#include "disfer/compare.hpp"
#include "disfer/simulate.hpp"
#include "disfer/report.hpp"
#include "disfer/simd.hpp"
