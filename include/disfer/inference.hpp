#pragma once
/// \file
/// The optional inference component (CMake target disfer::inference; needs nlohmann-json):
/// the classifier interface and predict(), the TensorFlow.js graph runner, the TF.js weights-manifest reader and
/// the bundled FER-2013 network, and fine-tuning of its classifier head. (Predictions CSV is in the io module,
/// disfer/io/predictions_csv.hpp; included here for existing code.)

#include "disfer/inference/classifier.hpp"
#include "disfer/inference/faceapi_expression.hpp"
#include "disfer/inference/fer2013_xception.hpp"
#include "disfer/inference/fine_tune.hpp"
#include "disfer/inference/predictions_csv.hpp"
#include "disfer/inference/tensor.hpp"
#include "disfer/inference/tfjs_graph.hpp"
#include "disfer/inference/tfjs_weights.hpp"
