#pragma once
/// \file
/// The classifier head of face-api's FaceExpressionNet (faceapi_expression.hpp), for fine-tuning on
/// frozen features (head_training.hpp). The head is the fully connected layer after the 7x7
/// average pool, so its logits are exactly z = b + W^T f with f the 256 pooled features
/// (faceapi_expression::features); no rewriting of the network is needed, unlike a convolution
/// head (graph_head.hpp). head_weights here are in FER-2013 class order (column index_of(e)), the
/// order of the protocol's targets; face-api's own order (faceapi_order) is mapped on read and write.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <vector>

#include <Eigen/Core>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/detail/parallel_for.hpp"
#include "disfer/inference/faceapi_expression.hpp"
#include "disfer/inference/head_training.hpp"

namespace disfer {

/// face-api's head as doubles, FER-2013 class order: kernel 256 x 7, bias 7.
inline head_weights read_head_weights(const faceapi_expression& model) {
  const tensor k = model.head_kernel();
  const tensor& b = model.head_bias();
  const auto d = static_cast<Eigen::Index>(faceapi_expression::feature_size);
  head_weights w;
  w.kernel.resize(d, 7);
  w.bias.resize(7);
  for (std::size_t j = 0; j < 7; ++j) {
    const auto c = static_cast<Eigen::Index>(index_of(faceapi_expression::faceapi_order[j]));
    for (Eigen::Index f = 0; f < d; ++f) w.kernel(f, c) = k.values[static_cast<std::size_t>(f) * 7 + j];
    w.bias[c] = b.values[j];
  }
  return w;
}

/// A copy of `model` whose head holds `weights` (FER-2013 class order, rounded to float32). Throws
/// disfer::error (named `with_head_weights`) when the weights are not 256 x 7 + 7 or not finite.
inline faceapi_expression with_head_weights(const faceapi_expression& model, const head_weights& weights) {
  const char* fn = "with_head_weights";
  const auto d = static_cast<Eigen::Index>(faceapi_expression::feature_size);
  if (weights.kernel.rows() != d || weights.kernel.cols() != 7 || weights.bias.size() != 7)
    detail::fail(fn, "the weights are ", weights.kernel.rows(), " x ", weights.kernel.cols(), " + ",
                 weights.bias.size(), ", face-api's head needs ", d, " x 7 + 7");
  if (!weights.kernel.allFinite() || !weights.bias.allFinite()) detail::fail(fn, "a weight is not finite");
  tensor k = tensor::zeros({d, 7}), b = tensor::zeros({7});
  for (std::size_t j = 0; j < 7; ++j) {
    const auto c = static_cast<Eigen::Index>(index_of(faceapi_expression::faceapi_order[j]));
    for (Eigen::Index f = 0; f < d; ++f)
      k.values[static_cast<std::size_t>(f) * 7 + j] = static_cast<float>(weights.kernel(f, c));
    b.values[j] = static_cast<float>(weights.bias[c]);
  }
  return model.with_head(k, b);
}

/// Frozen head features of gray images (0-255 scale, any size): row i is image i's 256 pooled
/// features (faceapi_expression::features of its preprocess). Images are spread over `threads`
/// threads (0: all cores); rows do not depend on the thread count.
/// Throws disfer::error "head_features: image i: <reason>" for the lowest failing image.
/// Complexity: one forward pass of the frozen layers per image (about 103 MFLOP).
inline feature_matrix head_features(const faceapi_expression& model, const std::vector<gray_image>& images,
                                    std::size_t threads = 1) {
  constexpr std::size_t d = faceapi_expression::feature_size;
  feature_matrix out(static_cast<Eigen::Index>(images.size()), static_cast<Eigen::Index>(d));
  detail::parallel_for(images.size(), threads, [&](std::size_t i) {
    try {
      const tensor f = model.features(faceapi_expression::preprocess(images[i]));
      for (std::size_t j = 0; j < d; ++j) out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = f.values[j];
    } catch (const std::exception& e) {
      detail::fail("head_features", "image ", i, ": ", e.what());
    }
  });
  return out;
}

namespace detail {

/// The network's name in the fine-tuned models' names (fine_tune_disfer_protocol).
inline const char* network_display_name(const faceapi_expression&) {
  return "face-api FaceExpressionNet";
}

}  // namespace detail

}  // namespace disfer
