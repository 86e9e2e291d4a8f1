#pragma once
/// \file
/// The written results of a reproduction, in one include: the CSV files (report/reproduction_csv.hpp),
/// reproduction.json with its provenance block (report/reproduction_json.hpp, report/provenance.hpp)
/// and the terminal tables beside the paper's values (report/reproduction_tables.hpp).

#include "disfer/report/provenance.hpp"
#include "disfer/report/reproduction_csv.hpp"
#include "disfer/report/reproduction_json.hpp"
#include "disfer/report/reproduction_tables.hpp"
