#pragma once
/// \file
/// Forwarding header: predictions CSV reading and writing moved to the io module
/// (disfer/io/predictions_csv.hpp, core dependencies only); this path keeps existing includes working.
#include "disfer/io/predictions_csv.hpp"
