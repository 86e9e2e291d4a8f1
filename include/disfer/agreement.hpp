#pragma once
/// \file
/// Umbrella header of the agreement module: P_i, Fleiss' kappa (both margin conventions, null and
/// non-null SE), per-category and Randolph kappas, Cohen's kappa, Krippendorff's alpha, Gwet's AC1,
/// Landis & Koch labels.
#include "disfer/agreement/count_table.hpp"
#include "disfer/agreement/item_agreement.hpp"
#include "disfer/agreement/fleiss_kappa.hpp"
#include "disfer/agreement/cohen_kappa.hpp"
#include "disfer/agreement/krippendorff_alpha.hpp"
#include "disfer/agreement/gwet_ac1.hpp"
#include "disfer/agreement/landis_koch.hpp"
