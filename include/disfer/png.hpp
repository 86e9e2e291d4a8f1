#pragma once
/// \file
/// Umbrella header of the optional `png` component (libpng): link `disfer::png`
/// (`find_package(disfer COMPONENTS png)`).
#include "disfer/io/png.hpp"
