#pragma once
/// \file
/// Umbrella header of the crowd module: votes and counts, majority vote, soft labels, rater quality
/// control, Dawid-Skene.
#include "disfer/crowd/votes.hpp"
#include "disfer/crowd/majority_vote.hpp"
#include "disfer/crowd/soft_labels.hpp"
#include "disfer/crowd/rater_quality.hpp"
#include "disfer/crowd/dawid_skene.hpp"
