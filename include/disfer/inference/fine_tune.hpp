#pragma once
/// \file
/// Fine-tuning a bundled network's classifier head on frozen features, and the DisFER protocol:
/// the family's headers in one include.
///   - head_training.hpp: the head as multinomial logistic regression on features (fine_tune_head);
///   - graph_head.hpp: the FER-2013 Xception's head (a convolution before global average pooling);
///   - faceapi_head.hpp: face-api's FaceExpressionNet head (fully connected after average pooling);
///   - disfer_protocol.hpp: the paper's protocol (split, batches, fine_tune_disfer_protocol).

#include "disfer/inference/disfer_protocol.hpp"
#include "disfer/inference/faceapi_head.hpp"
#include "disfer/inference/graph_head.hpp"
#include "disfer/inference/head_training.hpp"
