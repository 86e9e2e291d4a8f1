#pragma once
/// \file
/// Umbrella header of the image module: Gaussian blur, Gaussian noise, salt-and-pepper, and the
/// DisFER distortion conditions.
#include "disfer/image/condition.hpp"
#include "disfer/image/distortion.hpp"
#include "disfer/image/gaussian_blur.hpp"
#include "disfer/image/gaussian_noise.hpp"
#include "disfer/image/image.hpp"
#include "disfer/image/salt_and_pepper.hpp"
