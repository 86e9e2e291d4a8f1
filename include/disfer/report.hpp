#pragma once
/// \file
/// Umbrella header of the report module: terminal tables, JSON, SVG figures, the DisFER
/// reproduction (inputs, computation, CSV/JSON outputs, figures) and the paper's published values.
#include "disfer/report/ferplus_section.hpp"
#include "disfer/report/attach_ferplus.hpp"
#include "disfer/report/attach_jspsych.hpp"
#include "disfer/report/attach_votes.hpp"
#include "disfer/report/figures.hpp"
#include "disfer/report/html.hpp"
#include "disfer/report/inputs.hpp"
#include "disfer/report/json.hpp"
#include "disfer/report/outputs.hpp"
#include "disfer/report/paper.hpp"
#include "disfer/report/reproduction.hpp"
#include "disfer/report/simulate_missing.hpp"
#include "disfer/report/svg.hpp"
#include "disfer/report/table.hpp"
#include "disfer/report/write.hpp"
