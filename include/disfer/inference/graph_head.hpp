#pragma once
/// \file
/// The classifier head of a TensorFlow.js graph model (the FER-2013 Xception's), for fine-tuning
/// on frozen features (head_training.hpp).
///
/// The head is the tail `conv (k filters) + bias -> global average pooling (Mean over H, W) ->
/// Softmax` that ends the FER-2013 Xception (its final 3x3 convolution `conv2d_5`). Because the
/// mean is linear, the head's logits are exactly z = b + W^T f, where f (kh*kw*C values) is the
/// mean over the convolution's output positions of the (zero-padded) input patch under each tap:
/// f[(dy*kw + dx)*C + c] = 1/(OH*OW) sum_{oy,ox} x[oy*sh + dy*dh - pt, ox*sw + dx*dw - pl, c].
/// The frozen network is run once per image to get f; the trained W, b are written back into the
/// graph, which still runs through the classifier interface and saves in the TF.js format
/// (tfjs_graph_model::save).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "disfer/core/error.hpp"
#include "disfer/detail/parallel_for.hpp"
#include "disfer/inference/fer2013_xception.hpp"
#include "disfer/inference/head_training.hpp"
#include "disfer/inference/tfjs_graph.hpp"

namespace disfer {

/// Where the classifier head of a graph is and its geometry (see find_classifier_head).
struct classifier_head {
  std::string conv_node;    ///< the head's convolution (a _FusedConv2D, or the Conv2D before a BiasAdd)
  std::string input_node;   ///< the node whose output the convolution reads (the frozen features' source)
  std::string filter_name;  ///< Const holding the filter [kh, kw, C, k]
  std::string bias_name;    ///< Const holding the bias [k]
  std::int64_t kh = 0, kw = 0, channels = 0, classes = 0;
  std::int64_t height = 0, width = 0;  ///< spatial size of the convolution's input
  std::int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  std::int64_t out_h = 0, out_w = 0, pad_top = 0, pad_left = 0;

  /// Length d = kh * kw * C of a feature vector.
  std::size_t feature_size() const noexcept { return static_cast<std::size_t>(kh * kw * channels); }
};

namespace detail {

inline const char* const head_fn = "find_classifier_head";

/// Follows Identity nodes upwards from `name`.
inline tfjs_graph_model::node_info skip_identity(const tfjs_graph_model& g, std::string name) {
  for (;;) {
    auto n = g.describe(name);
    if (n.op != "Identity") return n;
    name = n.inputs.at(0);
  }
}

}  // namespace detail

/// Finds the classifier head of `graph`: from the first output, through Identity nodes, a
/// Softmax, then a Mean over axes {1, 2} of a rank-4 tensor, then either a _FusedConv2D with
/// fused BiasAdd and no activation or a BiasAdd of a Conv2D; filter and bias must be float32
/// Const nodes and the convolution's input shape must be known.
/// Throws disfer::error "find_classifier_head: ... has no recognisable classifier head: <why>".
/// O(1) graph lookups.
inline classifier_head find_classifier_head(const tfjs_graph_model& graph) {
  auto fail = [&](const auto&... why) {
    detail::fail(detail::head_fn, "'", graph.path(), "' has no recognisable classifier head: ", why...);
  };
  if (graph.output_names().empty()) fail("the graph has no output");
  const auto soft = detail::skip_identity(graph, graph.output_names()[0]);
  if (soft.op != "Softmax") fail("its output '", soft.name, "' is a ", soft.op, ", not a Softmax");
  const auto mean = detail::skip_identity(graph, soft.inputs.at(0));
  if (mean.op != "Mean")
    fail("the Softmax reads '", mean.name, "', a ", mean.op, ", not a global-average-pooling Mean");
  const auto axes = graph.describe(mean.inputs.at(1));
  std::vector<std::int32_t> ax = axes.value ? axes.value->ints : std::vector<std::int32_t>{};
  for (auto& a : ax)
    if (a < 0) a += 4;
  std::sort(ax.begin(), ax.end());
  if (ax != std::vector<std::int32_t>{1, 2}) fail("the Mean '", mean.name, "' does not average over axes 1 and 2");
  auto conv = detail::skip_identity(graph, mean.inputs.at(0));
  std::string bias_name;
  if (conv.op == "BiasAdd" || conv.op == "AddV2" || conv.op == "Add") {
    bias_name = conv.inputs.at(1);
    conv = detail::skip_identity(graph, conv.inputs.at(0));
    if (conv.op != "Conv2D") fail("the bias is added to '", conv.name, "', a ", conv.op, ", not a Conv2D");
  } else if (conv.op == "_FusedConv2D") {
    if (!conv.fused_bias || !conv.fused_activation.empty())
      fail("the convolution '", conv.name, "' fuses ",
           conv.fused_activation.empty() ? "no bias" : conv.fused_activation, " (a linear head needs BiasAdd alone)");
    bias_name = conv.inputs.at(2);
  } else {
    fail("the Mean reads '", conv.name, "', a ", conv.op, ", not a convolution with a bias");
  }
  const auto filter = graph.describe(conv.inputs.at(1));
  const auto bias = detail::skip_identity(graph, bias_name);
  if (!filter.value || filter.value->dtype != tensor_dtype::float32 || filter.value->rank() != 4)
    fail("the filter of '", conv.name, "' is not a float32 Const of rank 4");
  if (!bias.value || bias.value->dtype != tensor_dtype::float32 || bias.value->rank() != 1 ||
      bias.value->dim(0) != filter.value->dim(3))
    fail("the bias of '", conv.name, "' is not a float32 Const [k] matching the filter ",
         shape_string(filter.value->shape));
  const auto input = graph.describe(conv.inputs.at(0));
  if (input.shape.size() != 4 || input.shape[1] <= 0 || input.shape[2] <= 0)
    fail("the shape of the convolution's input '", input.name, "' is unknown");
  classifier_head h;
  h.conv_node = conv.name;
  h.input_node = input.name;
  h.filter_name = filter.name;
  h.bias_name = bias.name;
  h.kh = filter.value->dim(0);
  h.kw = filter.value->dim(1);
  h.channels = filter.value->dim(2);
  h.classes = filter.value->dim(3);
  h.height = input.shape[1];
  h.width = input.shape[2];
  h.stride_h = conv.stride_h;
  h.stride_w = conv.stride_w;
  h.dilation_h = conv.dilation_h;
  h.dilation_w = conv.dilation_w;
  const auto mode = conv.same_padding ? detail::padding_mode::same : detail::padding_mode::valid;
  const auto wy = detail::window(h.height, h.kh, h.stride_h, h.dilation_h, mode, detail::head_fn);
  const auto wx = detail::window(h.width, h.kw, h.stride_w, h.dilation_w, mode, detail::head_fn);
  h.out_h = wy.out;
  h.out_w = wx.out;
  h.pad_top = wy.pad_before;
  h.pad_left = wx.pad_before;
  return h;
}

/// The head's current weights as doubles. Throws disfer::error when `head` does not fit `graph`.
inline head_weights read_head_weights(const tfjs_graph_model& graph, const classifier_head& head) {
  tfjs_graph_model::node_info f, b;
  try {
    f = graph.describe(head.filter_name);
    b = graph.describe(head.bias_name);
  } catch (const error& e) {  // a node the graph lacks: name this function, not describe
    detail::fail("read_head_weights", "the head does not fit the graph '", graph.path(), "': ", e.what());
  }
  const auto d = static_cast<Eigen::Index>(head.feature_size()), k = static_cast<Eigen::Index>(head.classes);
  if (!f.value || !b.value || static_cast<Eigen::Index>(f.value->values.size()) != d * k ||
      static_cast<Eigen::Index>(b.value->values.size()) != k)
    detail::fail("read_head_weights", "the head does not fit the graph '", graph.path(), "'");
  head_weights w;
  w.kernel.resize(d, k);
  w.bias.resize(k);
  for (Eigen::Index i = 0; i < d * k; ++i) w.kernel.data()[i] = f.value->values[static_cast<std::size_t>(i)];
  for (Eigen::Index c = 0; c < k; ++c) w.bias[c] = b.value->values[static_cast<std::size_t>(c)];
  return w;
}

/// A copy of `graph` whose head holds `weights` (rounded to float32). Throws disfer::error when
/// the shapes differ from the head's or a weight is not finite.
inline tfjs_graph_model with_head_weights(const tfjs_graph_model& graph, const classifier_head& head,
                                          const head_weights& weights) {
  const char* fn = "with_head_weights";
  const auto d = static_cast<Eigen::Index>(head.feature_size()), k = static_cast<Eigen::Index>(head.classes);
  if (weights.kernel.rows() != d || weights.kernel.cols() != k || weights.bias.size() != k)
    detail::fail(fn, "the weights are ", weights.kernel.rows(), " x ", weights.kernel.cols(), " + ",
                 weights.bias.size(), ", the head needs ", d, " x ", k, " + ", k);
  if (!weights.kernel.allFinite() || !weights.bias.allFinite()) detail::fail(fn, "a weight is not finite");
  tensor f = tensor::zeros({head.kh, head.kw, head.channels, head.classes});
  for (Eigen::Index i = 0; i < d * k; ++i)
    f.values[static_cast<std::size_t>(i)] = static_cast<float>(weights.kernel.data()[i]);
  tensor b = tensor::zeros({head.classes});
  for (Eigen::Index c = 0; c < k; ++c) b.values[static_cast<std::size_t>(c)] = static_cast<float>(weights.bias[c]);
  return graph.with_constants({{head.filter_name, f}, {head.bias_name, b}});
}

/// The FER-2013 model's head weights (read_head_weights of its graph's find_classifier_head).
inline head_weights read_head_weights(const fer2013_xception& model) {
  return read_head_weights(model.graph(), find_classifier_head(model.graph()));
}

/// The FER-2013 model with its head replaced by `weights` (runs through the classifier
/// interface like the original; save it with .graph().save(path)).
inline fer2013_xception with_head_weights(const fer2013_xception& model, const head_weights& weights) {
  const auto head = find_classifier_head(model.graph());
  return fer2013_xception(with_head_weights(model.graph(), head, weights));
}

/// Frozen features of one activation tensor [1, H, W, C] (the head's input) into out[0 .. d).
/// Throws disfer::error (named `head_features_of`) for a tensor of another shape.
inline void head_features_of(const classifier_head& head, const tensor& x, double* out);

namespace detail {

/// head_features_of with `fn` named in its errors (head_features passes its own name).
inline void head_features_of_as(const classifier_head& head, const tensor& x, double* out, const char* fn) {
  if (x.rank() != 4 || x.dim(0) != 1 || x.dim(1) != head.height || x.dim(2) != head.width || x.dim(3) != head.channels)
    detail::fail(fn, "the head's input has shape ", shape_string(x.shape), ", expected [1, ", head.height, ", ",
                 head.width, ", ", head.channels, "]");
  const auto C = static_cast<std::size_t>(head.channels);
  std::fill(out, out + head.feature_size(), 0.0);
  for (std::int64_t dy = 0; dy < head.kh; ++dy)
    for (std::int64_t dx = 0; dx < head.kw; ++dx) {
      double* f = out + static_cast<std::size_t>(dy * head.kw + dx) * C;
      for (std::int64_t oy = 0; oy < head.out_h; ++oy) {
        const std::int64_t iy = oy * head.stride_h + dy * head.dilation_h - head.pad_top;
        if (iy < 0 || iy >= head.height) continue;
        for (std::int64_t ox = 0; ox < head.out_w; ++ox) {
          const std::int64_t ix = ox * head.stride_w + dx * head.dilation_w - head.pad_left;
          if (ix < 0 || ix >= head.width) continue;
          const float* src = x.values.data() + static_cast<std::size_t>((iy * head.width + ix) * head.channels);
          for (std::size_t c = 0; c < C; ++c) f[c] += src[c];
        }
      }
    }
  const double inv = 1.0 / static_cast<double>(head.out_h * head.out_w);
  for (std::size_t i = 0; i < head.feature_size(); ++i) out[i] *= inv;
}

}  // namespace detail

inline void head_features_of(const classifier_head& head, const tensor& x, double* out) {
  detail::head_features_of_as(head, x, out, "head_features_of");
}

/// Frozen head features of gray images (0-255 scale, any size) through the FER-2013 model's
/// preprocessing and every layer before its head: row i is image i's. Images are spread over
/// `threads` threads (0: all cores); rows do not depend on the thread count.
/// Throws disfer::error "head_features: image i: <reason>" for the lowest failing image.
/// Complexity: one forward pass of the frozen layers per image (about 130 MFLOP for FER-2013).
inline feature_matrix head_features(const fer2013_xception& model, const std::vector<gray_image>& images,
                                    std::size_t threads = 1) {
  const auto head = find_classifier_head(model.graph());
  feature_matrix out(static_cast<Eigen::Index>(images.size()), static_cast<Eigen::Index>(head.feature_size()));
  const auto& g = model.graph();
  const std::string input = g.input_names().at(0);
  detail::parallel_for(images.size(), threads, [&](std::size_t i) {
    try {
      const auto p = fer2013_xception::preprocess(images[i]);
      const auto x = tensor::from({1, 64, 64, 1}, std::vector<float>(p.begin(), p.end()));
      const auto act = g.run({{input, x}}, {head.input_node});
      detail::head_features_of_as(head, act.at(head.input_node),
                                  out.data() + static_cast<std::ptrdiff_t>(i * head.feature_size()), "head_features");
    } catch (const std::exception& e) {
      detail::fail("head_features", "image ", i, ": ", e.what());
    }
  });
  return out;
}

namespace detail {

/// The network's name in the fine-tuned models' names (fine_tune_disfer_protocol).
inline const char* network_display_name(const fer2013_xception&) {
  return "FER-2013 Xception";
}

}  // namespace detail

}  // namespace disfer
