#pragma once
/// \file
/// Umbrella header of the design module: source sampling, stimuli, balanced playlists.
#include "disfer/design/experiment.hpp"
#include "disfer/design/playlist.hpp"
#include "disfer/design/stimulus.hpp"
