#pragma once
/// \file
/// Umbrella header of the io module (core dependencies only).
#include "disfer/io/bad_rows.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/manifest.hpp"
#include "disfer/io/pgm.hpp"
#include "disfer/io/staged_file.hpp"
#include "disfer/io/fer2013.hpp"
#include "disfer/io/votes_csv.hpp"
#include "disfer/io/predictions_csv.hpp"
#include "disfer/io/ferplus.hpp"
#include "disfer/io/jspsych.hpp"
