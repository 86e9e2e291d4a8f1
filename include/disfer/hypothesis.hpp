#pragma once
/// \file
/// Hypothesis tests for comparing classifiers: McNemar (exact, mid-p, chi-square), the discordant
/// odds ratio, Cochran's Q, and Bonferroni/Holm/Benjamini-Hochberg adjustment.
#include "disfer/hypothesis/cochran_q.hpp"
#include "disfer/hypothesis/mcnemar.hpp"
#include "disfer/hypothesis/p_adjust.hpp"
#include "disfer/hypothesis/tails.hpp"
