#pragma once
/// \file
/// Fine-tuning the classifier head of a TensorFlow.js graph model on frozen features.
///
/// The head is the tail `conv (k filters) + bias -> global average pooling (Mean over H, W) ->
/// Softmax` that ends the FER-2013 Xception (its final 3x3 convolution `conv2d_5`). Because the
/// mean is linear, the head's logits are exactly z = b + W^T f, where f (kh*kw*C values) is the
/// mean over the convolution's output positions of the (zero-padded) input patch under each tap:
/// f[(dy*kw + dx)*C + c] = 1/(OH*OW) sum_{oy,ox} x[oy*sh + dy*dh - pt, ox*sw + dx*dw - pl, c].
/// The frozen network is run once per image to get f; training is then multinomial logistic
/// regression on f (softmax cross-entropy against hard labels or probability vectors), and the
/// trained W, b are written back into the graph, which still runs through the classifier
/// interface and saves in the TF.js format (tfjs_graph_model::save).
///
/// Randomness comes from disfer's counter-based streams (core/random.hpp) only; every reduction
/// has a fixed order that does not depend on the number of threads, so a seed gives bit-identical
/// weights on any thread count.

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

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/parallel_for.hpp"
#include "disfer/image/distortion.hpp"
#include "disfer/inference/classifier.hpp"
#include "disfer/inference/fer2013_xception.hpp"
#include "disfer/inference/tfjs_graph.hpp"
#include "disfer/io/fer2013.hpp"

namespace disfer {

/// Frozen head features: one row per image (row-major, n x d).
using feature_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

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

/// The head's trainable parameters: kernel (d x k, row (dy*kw + dx)*C + c is the filter tap
/// [dy, dx, c], i.e. the TF filter's row-major layout) and bias (k).
struct head_weights {
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> kernel;
  Eigen::VectorXd bias;
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

/// A training or validation set for fine_tune_head: features (n x d) and targets (n x k), each
/// target row a probability vector (one-hot for hard labels, vote proportions for soft labels).
struct head_training_set {
  feature_matrix features;
  Eigen::MatrixXd targets;
  std::size_t size() const noexcept { return static_cast<std::size_t>(features.rows()); }
};

/// One-hot targets (n x k) of class indices. Throws disfer::error for a label outside [0, k).
inline Eigen::MatrixXd one_hot(const std::vector<int>& labels, std::size_t k) {
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(labels.size()), static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= k)
      detail::fail("one_hot", "label ", labels[i], " of row ", i, " is not a class index in [0, ", k, ")");
    t(static_cast<Eigen::Index>(i), labels[i]) = 1.0;
  }
  return t;
}

/// Optimiser of fine_tune_head.
enum class head_optimizer {
  sgd_momentum,  ///< v <- mu v + g; w <- w - lr v (PyTorch's SGD with momentum, no dampening)
  adam           ///< Kingma & Ba (ICLR 2015), Algorithm 1, with bias correction
};

/// What L2 weight decay pulls the kernel towards.
enum class l2_anchor {
  zero,    ///< (lambda/2) ||W||^2: classic weight decay
  initial  ///< (lambda/2) ||W - W0||^2: stay near the pre-trained head (L2-SP, Li et al. ICML 2018)
};

/// Options of fine_tune_head.
struct fine_tune_options {
  head_optimizer optimizer = head_optimizer::adam;
  double learning_rate = 1e-3;
  double momentum = 0.9;                              ///< sgd_momentum's mu
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  ///< adam's
  /// L2 weight decay lambda on the kernel (not the bias), added to the loss as (lambda/2)||W - A||^2
  /// and so to the gradient as lambda (W - A) (coupled L2, not AdamW's decoupled decay).
  double weight_decay = 1e-3;
  l2_anchor anchor = l2_anchor::zero;
  std::size_t batch_size = 42;  ///< for the default schedule (a seeded shuffle per epoch)
  std::size_t max_epochs = 30;
  /// Early stopping: stop after `patience` epochs without the validation loss falling by more
  /// than min_delta below its best; the best weights (possibly the initial ones, epoch 0) are
  /// returned. Without a validation set every epoch runs and the last weights are returned.
  std::size_t patience = 5;
  double min_delta = 0.0;
  std::uint64_t seed = 0;
  std::size_t threads = 1;  ///< 0: all cores; results are bit-identical for any value
};

/// Mini-batches of one epoch (row indices into the training set), given the 0-based epoch.
using batch_schedule = std::function<std::vector<std::vector<std::size_t>>(std::size_t epoch)>;

/// Loss and gradient of the head on a set of rows.
struct head_objective {
  double loss = 0;           ///< mean cross-entropy over the rows + (lambda/2)||W - A||^2
  double cross_entropy = 0;  ///< the mean cross-entropy alone
  head_weights gradient;
};

/// Result of fine_tune_head.
struct fine_tune_result {
  head_weights weights;        ///< the best weights (see fine_tune_options::patience)
  std::size_t best_epoch = 0;  ///< epoch of `weights` (0: the initial weights)
  std::size_t epochs_run = 0;
  bool stopped_early = false;
  std::vector<double> train_loss;           ///< per epoch: mean cross-entropy of its batches, before each update
  std::vector<double> validation_loss;      ///< [0]: initial weights; [e]: after epoch e
  std::vector<double> validation_accuracy;  ///< share of rows whose argmax matches the target's argmax
};

namespace detail {

/// Columns of the kernel padded to a multiple of 8 (zeros), so that the inner loops have a fixed
/// width the compiler vectorises: row r of the result is W[r, 0..k) followed by zeros.
inline std::vector<double> padded_columns(const double* src, std::size_t rows, std::size_t k, std::size_t kp) {
  std::vector<double> out(rows * kp, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < k; ++c) out[r * kp + c] = src[r * k + c];
  return out;
}

/// Logits of the given rows into z (n x k): z_c = b_c + (sum over even r + sum over odd r) of
/// f_r W_rc, each sum in ascending r: a fixed order, the same for every row and thread count.
inline void head_logits(const head_weights& w, const feature_matrix& F, const std::size_t* rows, std::size_t n,
                        double* z, std::size_t threads) {
  const auto d = static_cast<std::size_t>(w.kernel.rows()), k = static_cast<std::size_t>(w.kernel.cols());
  const std::size_t kp = (k + 7) / 8 * 8;
  const auto Wp = padded_columns(w.kernel.data(), d, k, kp);
  auto one = [&](std::size_t i) {
    const double* f = F.data() + static_cast<std::ptrdiff_t>(rows[i] * d);
    for (std::size_t c0 = 0; c0 < kp; c0 += 8) {
      double even[8] = {0, 0, 0, 0, 0, 0, 0, 0}, odd[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      const double* wp = Wp.data() + c0;
      std::size_t r = 0;
      for (; r + 1 < d; r += 2) {
        const double f0 = f[r], f1 = f[r + 1];
        const double* w0 = wp + r * kp;
        const double* w1 = w0 + kp;
        for (int j = 0; j < 8; ++j) even[j] += f0 * w0[j];
        for (int j = 0; j < 8; ++j) odd[j] += f1 * w1[j];
      }
      if (r < d)
        for (int j = 0; j < 8; ++j) even[j] += f[r] * wp[r * kp + static_cast<std::size_t>(j)];
      for (std::size_t j = 0; j < 8 && c0 + j < k; ++j)
        z[i * k + c0 + j] = (even[j] + odd[j]) + w.bias[static_cast<Eigen::Index>(c0 + j)];
    }
  };
  parallel_for(n, n * d * k >= (std::size_t{1} << 20) ? threads : 1, one);  // threads only pay off on big work
}

/// Softmax of z (in place, n x k) and the cross-entropy of each row against targets.
inline void softmax_cross_entropy(double* z, std::size_t n, std::size_t k, const Eigen::MatrixXd& T,
                                  const std::size_t* rows, double* loss) {
  for (std::size_t i = 0; i < n; ++i) {
    double* zi = z + i * k;
    double m = zi[0];
    for (std::size_t c = 1; c < k; ++c) m = std::max(m, zi[c]);
    double s = 0;
    for (std::size_t c = 0; c < k; ++c) s += std::exp(zi[c] - m);
    const double lse = m + std::log(s);
    double l = 0;
    for (std::size_t c = 0; c < k; ++c) {
      const double t = T(static_cast<Eigen::Index>(rows[i]), static_cast<Eigen::Index>(c));
      if (t != 0) l -= t * (zi[c] - lse);
      zi[c] = std::exp(zi[c] - lse);
    }
    loss[i] = l;
  }
}

/// Loss and gradient over `rows` (objective documented at head_objective).
inline head_objective objective(const head_weights& w, const feature_matrix& F, const Eigen::MatrixXd& T,
                                const std::vector<std::size_t>& rows, double lambda, const head_weights* anchor,
                                std::size_t threads) {
  const auto d = static_cast<std::size_t>(w.kernel.rows()), k = static_cast<std::size_t>(w.kernel.cols());
  const std::size_t n = rows.size();
  std::vector<double> p(n * k), loss(n);
  head_logits(w, F, rows.data(), n, p.data(), threads);
  softmax_cross_entropy(p.data(), n, k, T, rows.data(), loss.data());
  head_objective o;
  double sum = 0;
  for (double l : loss) sum += l;
  const double inv = 1.0 / static_cast<double>(n);
  // G = (P - T) / n, in place.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < k; ++c)
      p[i * k + c] = (p[i * k + c] - T(static_cast<Eigen::Index>(rows[i]), static_cast<Eigen::Index>(c))) * inv;
  o.gradient.kernel.resize(w.kernel.rows(), w.kernel.cols());
  o.gradient.bias = Eigen::VectorXd::Zero(w.bias.size());
  double* gW = o.gradient.kernel.data();
  const double* W = w.kernel.data();
  const double* A = anchor ? anchor->kernel.data() : nullptr;
  // dW[r, c] = sum_i F[row_i, r] G[i, c] (i ascending) + lambda (W - A)[r, c], computed from the
  // batch's features transposed (d x n) and G padded to 8 columns; rows of dW in blocks, each
  // element summed by one thread in the same order whatever the number of threads.
  const std::size_t kp = (k + 7) / 8 * 8;
  const auto Gp = padded_columns(p.data(), n, k, kp);
  std::vector<double> Ft(d * n);
  for (std::size_t i = 0; i < n; ++i) {
    const double* f = F.data() + static_cast<std::ptrdiff_t>(rows[i] * d);
    for (std::size_t r = 0; r < d; ++r) Ft[r * n + i] = f[r];
  }
  constexpr std::size_t block = 128;
  const std::size_t blocks = (d + block - 1) / block;
  auto one_block = [&](std::size_t bi) {
    const std::size_t r1 = std::min(d, bi * block + block);
    for (std::size_t r = bi * block; r < r1; ++r) {
      const double* fr = Ft.data() + r * n;
      for (std::size_t c0 = 0; c0 < kp; c0 += 8) {
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (std::size_t i = 0; i < n; ++i) {
          const double fi = fr[i];
          const double* g = Gp.data() + i * kp + c0;
          for (int j = 0; j < 8; ++j) acc[j] += fi * g[j];
        }
        for (std::size_t j = 0; j < 8 && c0 + j < k; ++j) {
          const std::size_t x = r * k + c0 + j;
          gW[x] = acc[j] + lambda * (W[x] - (A ? A[x] : 0.0));
        }
      }
    }
  };
  parallel_for(blocks, n * d * k >= (std::size_t{1} << 20) ? threads : 1, one_block);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < k; ++c) o.gradient.bias[static_cast<Eigen::Index>(c)] += p[i * k + c];
  double penalty = 0;
  for (std::size_t x = 0; x < d * k; ++x) {
    const double diff = W[x] - (A ? A[x] : 0.0);
    penalty += diff * diff;
  }
  o.cross_entropy = sum * inv;
  o.loss = o.cross_entropy + 0.5 * lambda * penalty;
  return o;
}

/// True when no value is NaN or infinite: an OR over the exponent bits (vectorisable, no branch).
inline bool all_finite(const double* v, std::size_t n) {
  constexpr std::uint64_t exponent = 0x7ff0000000000000ull;
  std::uint64_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t bits;
    std::memcpy(&bits, v + i, sizeof bits);
    bad |= static_cast<std::uint64_t>((bits & exponent) == exponent);
  }
  return bad == 0;
}

// One target row: entries in [0, 1] summing to 1 within 1e-6. `where()` names the row in the
// message ("the training soft labels of row 5"); it is called only on failure.
template <class Row, class Where>
void check_target_row(const Row& row, const char* fn, Where&& where) {
  double sum = 0;
  for (Eigen::Index c = 0; c < row.size(); ++c) {
    const double t = row(c);
    if (!(t >= 0 && t <= 1)) fail(fn, where(), " hold ", t, ", not a probability in [0, 1]");
    sum += t;
  }
  if (std::abs(sum - 1.0) > 1e-6) fail(fn, where(), " sum to ", sum, ", not 1 (normalise the vote counts)");
}

inline void check_training_set(const head_training_set& s, std::size_t d, std::size_t k, const char* which,
                               const char* fn) {
  if (static_cast<std::size_t>(s.features.cols()) != d)
    fail(fn, "the ", which, " features have ", s.features.cols(), " columns, the head takes ", d);
  if (static_cast<std::size_t>(s.targets.cols()) != k)
    fail(fn, "class count mismatch: the ", which, " targets have ", s.targets.cols(), " classes, the head has ", k);
  if (s.targets.rows() != s.features.rows())
    fail(fn, "the ", which, " set has ", s.features.rows(), " feature rows but ", s.targets.rows(), " target rows");
  if (!all_finite(s.features.data(), static_cast<std::size_t>(s.features.size())))
    fail(fn, "the ", which, " features hold a value that is not finite");
  for (Eigen::Index i = 0; i < s.targets.rows(); ++i)
    check_target_row(s.targets.row(i), fn, [&] { return concat("the ", which, " soft labels of row ", i); });
}

}  // namespace detail

/// Loss and gradient of the head on every row of `data` (see head_objective), for checks and
/// custom optimisers. `anchor` (may be null: zero) is A of the L2 term. Throws disfer::error as
/// fine_tune_head for mismatched shapes or targets that are not probability vectors.
/// Complexity O(n d k).
inline head_objective head_loss(const head_weights& w, const head_training_set& data, double weight_decay = 0,
                                const head_weights* anchor = nullptr, std::size_t threads = 1) {
  const auto d = static_cast<std::size_t>(w.kernel.rows()), k = static_cast<std::size_t>(w.kernel.cols());
  detail::check_training_set(data, d, k, "", "head_loss");
  if (data.size() == 0) detail::fail("head_loss", "the set is empty");
  std::vector<std::size_t> rows(data.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return detail::objective(w, data.features, data.targets, rows, weight_decay, anchor, threads);
}

/// Class probabilities (n x k) of the head on features. O(n d k). Throws disfer::error when the
/// features do not have the head's d columns.
inline Eigen::MatrixXd head_probabilities(const head_weights& w, const feature_matrix& features,
                                          std::size_t threads = 1);

namespace detail {

/// head_probabilities with `fn` named in its errors (head_predict passes its own name).
inline Eigen::MatrixXd head_probabilities_as(const head_weights& w, const feature_matrix& features, std::size_t threads,
                                             const char* fn) {
  const auto d = static_cast<std::size_t>(w.kernel.rows()), k = static_cast<std::size_t>(w.kernel.cols());
  if (static_cast<std::size_t>(features.cols()) != d)
    detail::fail(fn, "the features have ", features.cols(), " columns, the head takes ", d);
  const auto n = static_cast<std::size_t>(features.rows());
  std::vector<std::size_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = i;
  std::vector<double> z(n * k), loss(n);
  detail::head_logits(w, features, rows.data(), n, z.data(), threads);
  const Eigen::MatrixXd none = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  detail::softmax_cross_entropy(z.data(), n, k, none, rows.data(), loss.data());
  Eigen::MatrixXd p(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < k; ++c) p(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = z[i * k + c];
  return p;
}

}  // namespace detail

inline Eigen::MatrixXd head_probabilities(const head_weights& w, const feature_matrix& features, std::size_t threads) {
  return detail::head_probabilities_as(w, features, threads, "head_probabilities");
}

/// Argmax labels (lowest index on ties) of the head on features. O(n d k). Throws disfer::error
/// (named `head_predict`) as head_probabilities.
inline std::vector<int> head_predict(const head_weights& w, const feature_matrix& features, std::size_t threads = 1) {
  const Eigen::MatrixXd p = detail::head_probabilities_as(w, features, threads, "head_predict");
  std::vector<int> labels(static_cast<std::size_t>(p.rows()));
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const Eigen::VectorXd row = p.row(i).transpose();
    labels[static_cast<std::size_t>(i)] = detail::argmax_row(row.data(), static_cast<std::size_t>(p.cols()));
  }
  return labels;
}

namespace detail {

/// fine_tune_head's checks of its options, with `fn` named (fine_tune_disfer_protocol checks them
/// before its forward passes).
inline void check_fine_tune_options(const fine_tune_options& o, const char* fn) {
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
    detail::fail(fn, "learning_rate must be positive and finite, got ", o.learning_rate);
  if (!(o.weight_decay >= 0) || !std::isfinite(o.weight_decay))
    detail::fail(fn, "weight_decay must be >= 0 and finite, got ", o.weight_decay);
  if (!(o.momentum >= 0 && o.momentum < 1)) detail::fail(fn, "momentum must be in [0, 1), got ", o.momentum);
  if (!(o.beta1 >= 0 && o.beta1 < 1) || !(o.beta2 >= 0 && o.beta2 < 1) || !(o.epsilon > 0))
    detail::fail(fn, "adam needs beta1, beta2 in [0, 1) and epsilon > 0");
  if (o.batch_size == 0) detail::fail(fn, "batch_size must be at least 1");
}

}  // namespace detail

/// Fine-tunes the head from `initial` on `train` by mini-batch SGD with momentum or Adam, with L2
/// weight decay and early stopping on `validation` (may be empty: no early stopping).
/// Each epoch's batches come from `schedule` (default: a Fisher-Yates shuffle of the rows keyed
/// by stream_key{seed, epoch, purpose::training}, cut into batch_size rows, the last batch
/// shorter). One optimiser step per batch on the mean cross-entropy of the batch plus the L2 term.
/// Throws disfer::error naming the problem for: an empty training set, a class count mismatch
/// between targets and head, features of the wrong width or not finite, targets that are not
/// probability vectors (soft labels that do not sum to 1 within 1e-6), bad options, or a schedule
/// yielding an empty batch or a row out of range.
/// Complexity O(epochs * (rows drawn + validation rows) * d * k).
inline fine_tune_result fine_tune_head(const head_weights& initial, const head_training_set& train,
                                       const head_training_set& validation, const fine_tune_options& options = {},
                                       const batch_schedule& schedule = {}) {
  const char* fn = "fine_tune_head";
  const auto d = static_cast<std::size_t>(initial.kernel.rows()), k = static_cast<std::size_t>(initial.kernel.cols());
  if (k == 0 || d == 0 || initial.bias.size() != initial.kernel.cols())
    detail::fail(fn, "the initial head is ", d, " x ", k, " with ", initial.bias.size(), " biases");
  if (train.size() == 0) detail::fail(fn, "the training set is empty");
  detail::check_training_set(train, d, k, "training", fn);
  if (validation.size() > 0 || validation.features.cols() > 0 || validation.targets.cols() > 0)
    detail::check_training_set(validation, d, k, "validation", fn);
  const auto& o = options;
  detail::check_fine_tune_options(o, fn);

  batch_schedule sched = schedule;
  if (!sched)
    sched = [n = train.size(), o](std::size_t epoch) {
      const auto perm = random_permutation(n, stream_key{o.seed, epoch, purpose::training});
      std::vector<std::vector<std::size_t>> batches;
      for (std::size_t s = 0; s < n; s += o.batch_size)
        batches.emplace_back(perm.begin() + static_cast<std::ptrdiff_t>(s),
                             perm.begin() + static_cast<std::ptrdiff_t>(std::min(n, s + o.batch_size)));
      return batches;
    };

  fine_tune_result res;
  head_weights w = initial;
  const head_weights* anchor = o.anchor == l2_anchor::initial ? &initial : nullptr;
  const std::size_t P = d * k + k;
  std::vector<double> m(P, 0.0), v(P, 0.0);
  std::size_t step = 0;
  std::vector<std::size_t> vrows(validation.size());
  for (std::size_t i = 0; i < vrows.size(); ++i) vrows[i] = i;
  auto evaluate = [&](const head_weights& x) {
    const auto n = vrows.size();
    std::vector<double> z(n * k), loss(n);
    detail::head_logits(x, validation.features, vrows.data(), n, z.data(), o.threads);
    detail::softmax_cross_entropy(z.data(), n, k, validation.targets, vrows.data(), loss.data());
    double sum = 0, hits = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sum += loss[i];
      const Eigen::VectorXd t = validation.targets.row(static_cast<Eigen::Index>(i)).transpose();
      hits += detail::argmax_row(z.data() + i * k, k) == detail::argmax_row(t.data(), k);
    }
    res.validation_loss.push_back(sum / static_cast<double>(n));
    res.validation_accuracy.push_back(hits / static_cast<double>(n));
  };
  const bool validate = validation.size() > 0;
  if (validate) evaluate(w);
  double best = validate ? res.validation_loss[0] : 0;
  res.weights = w;
  std::size_t wait = 0;
  for (std::size_t epoch = 0; epoch < o.max_epochs; ++epoch) {
    const auto batches = sched(epoch);
    double epoch_loss = 0;
    std::size_t drawn = 0;
    for (std::size_t b = 0; b < batches.size(); ++b) {
      const auto& rows = batches[b];
      if (rows.empty()) detail::fail(fn, "the schedule's batch ", b, " of epoch ", epoch, " is empty");
      for (auto r : rows)
        if (r >= train.size())
          detail::fail(fn, "the schedule's batch ", b, " of epoch ", epoch, " has row ", r, " of ", train.size());
      auto obj = detail::objective(w, train.features, train.targets, rows, o.weight_decay, anchor, o.threads);
      epoch_loss += obj.cross_entropy * static_cast<double>(rows.size());
      drawn += rows.size();
      ++step;
      const double c1 = 1 - std::pow(o.beta1, static_cast<double>(step));
      const double c2 = 1 - std::pow(o.beta2, static_cast<double>(step));
      auto update = [&](double& param, double g, std::size_t idx) {
        if (o.optimizer == head_optimizer::sgd_momentum) {
          m[idx] = o.momentum * m[idx] + g;
          param -= o.learning_rate * m[idx];
        } else {
          m[idx] = o.beta1 * m[idx] + (1 - o.beta1) * g;
          v[idx] = o.beta2 * v[idx] + (1 - o.beta2) * g * g;
          param -= o.learning_rate * (m[idx] / c1) / (std::sqrt(v[idx] / c2) + o.epsilon);
        }
      };
      for (std::size_t x = 0; x < d * k; ++x) update(w.kernel.data()[x], obj.gradient.kernel.data()[x], x);
      for (std::size_t c = 0; c < k; ++c)
        update(w.bias[static_cast<Eigen::Index>(c)], obj.gradient.bias[static_cast<Eigen::Index>(c)], d * k + c);
    }
    res.train_loss.push_back(drawn ? epoch_loss / static_cast<double>(drawn) : 0.0);
    res.epochs_run = epoch + 1;
    if (!validate) {
      res.weights = w;
      res.best_epoch = epoch + 1;
      continue;
    }
    evaluate(w);
    if (res.validation_loss.back() < best - o.min_delta) {
      best = res.validation_loss.back();
      res.weights = w;
      res.best_epoch = epoch + 1;
      wait = 0;
    } else if (++wait >= o.patience) {
      res.stopped_early = true;
      break;
    }
  }
  return res;
}

// ---- the DisFER protocol ------------------------------------------------------------------------

/// Options of the DisFER fine-tuning protocol (Lévêque et al. 2022, section 3.4): per distortion
/// type, 756 training and 84 validation images (108 and 12 per class), epochs of 27 batches of
/// 42 images, each batch balanced over the 7 classes and half distorted (see
/// disfer_protocol_schedule for how the 1134 draws are taken).
struct disfer_protocol_options {
  std::uint64_t seed = 2022;
  std::size_t train_per_class = 108;
  std::size_t validation_per_class = 12;
  std::size_t batches_per_epoch = 27;
  std::size_t per_class_per_batch = 6;  ///< even: half clean, half distorted
  /// Distortion levels; empty: the kind's three levels of disfer_conditions().
  std::vector<double> levels;
  /// FER-2013 row ids never used (the evaluation sources).
  std::vector<std::uint64_t> excluded_rows;
  /// Draw only from rows whose Usage is Training (the paper's rule); false: from every row given.
  bool training_split_only = true;
  /// Optimiser, weight decay, early stopping (batch_size and the default schedule are unused).
  /// Defaults: Adam, learning rate 1e-3, weight decay 1e-3 towards zero, patience 5, 30 epochs.
  fine_tune_options training{};
};

/// The images of one fine-tuning run: indices into the records given.
struct protocol_split {
  std::vector<std::size_t> train, validation;
};

/// Draws the training and validation images: per class, the eligible records (Usage Training
/// unless training_split_only is false, not excluded) are shuffled with
/// stream_key{seed, class, purpose::source_sampling}; the first train_per_class go to training,
/// the next validation_per_class to validation. Indices are returned grouped by class, in
/// shuffled order. Throws disfer::error when a class has too few eligible images.
inline protocol_split disfer_protocol_split(const std::vector<fer2013_record>& records,
                                            const disfer_protocol_options& options, std::size_t k = 7);

namespace detail {

/// disfer_protocol_split with `fn` named in its errors (fine_tune_disfer_protocol passes its own name).
inline protocol_split disfer_protocol_split_as(const std::vector<fer2013_record>& records,
                                               const disfer_protocol_options& options, std::size_t k, const char* fn) {
  std::vector<std::uint64_t> excluded = options.excluded_rows;
  std::sort(excluded.begin(), excluded.end());
  std::vector<std::vector<std::size_t>> by_class(k);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (options.training_split_only && r.usage != fer2013_usage::training) continue;
    if (std::binary_search(excluded.begin(), excluded.end(), r.row)) continue;
    const auto c = index_of(r.label);
    if (c >= k) detail::fail(fn, "row ", r.row, " has class index ", c, " >= ", k);
    by_class[c].push_back(i);
  }
  protocol_split s;
  const std::size_t need = options.train_per_class + options.validation_per_class;
  for (std::size_t c = 0; c < k; ++c) {
    auto& v = by_class[c];
    if (v.size() < need)
      detail::fail(fn, "class '", name(emotion_from_index(c)), "' has ", v.size(), " eligible images",
                   options.training_split_only ? " in the Training split" : "", "; the protocol needs ", need, " (",
                   options.train_per_class, " training + ", options.validation_per_class, " validation)");
    shuffle(v, stream_key{options.seed, c, purpose::source_sampling});
    s.train.insert(s.train.end(), v.begin(), v.begin() + static_cast<std::ptrdiff_t>(options.train_per_class));
    s.validation.insert(s.validation.end(), v.begin() + static_cast<std::ptrdiff_t>(options.train_per_class),
                        v.begin() + static_cast<std::ptrdiff_t>(need));
  }
  return s;
}

}  // namespace detail

inline protocol_split disfer_protocol_split(const std::vector<fer2013_record>& records,
                                            const disfer_protocol_options& options, std::size_t k) {
  return detail::disfer_protocol_split_as(records, options, k, "disfer_protocol_split");
}

/// The batches of the protocol over a training set laid out as rows v * n + i (image i of n,
/// version v: 0 clean, 1..L the distortion levels). For epoch e and class c, the class's images
/// are drawn in the order of successive permutations (Fisher-Yates, keys
/// stream_key{derive_seed({seed, e, purpose::training}), c * 1024 + pass, purpose::training}),
/// each image once per pass before any repeats: 27 batches x 6 = 162 draws per class and epoch,
/// i.e. all 108 images once and 54 of them twice. Batch b takes the class's draws 6b .. 6b+5:
/// the first 3 clean, the next 3 distorted at levels (3b + j) mod L (with L = 3, one per level).
/// Batch size = k * per_class_per_batch (42). Throws disfer::error for a class without images,
/// an odd per_class_per_batch, or no levels.
inline batch_schedule disfer_protocol_schedule(const std::vector<int>& labels, std::size_t k, std::size_t levels,
                                               const disfer_protocol_options& options);

namespace detail {

/// disfer_protocol_schedule with `fn` named in its errors (fine_tune_disfer_protocol passes its own name).
inline batch_schedule disfer_protocol_schedule_as(const std::vector<int>& labels, std::size_t k, std::size_t levels,
                                                  const disfer_protocol_options& options, const char* fn) {
  const std::size_t q = options.per_class_per_batch;
  if (q == 0 || q % 2) detail::fail(fn, "per_class_per_batch must be even and positive, got ", q);
  if (levels == 0) detail::fail(fn, "no distortion levels");
  if (options.batches_per_epoch == 0) detail::fail(fn, "batches_per_epoch must be positive");
  std::vector<std::vector<std::size_t>> members(k);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= k)
      detail::fail(fn, "label ", labels[i], " of image ", i, " is not a class index in [0, ", k, ")");
    members[static_cast<std::size_t>(labels[i])].push_back(i);
  }
  for (std::size_t c = 0; c < k; ++c)
    if (members[c].empty()) detail::fail(fn, "class ", c, " has no training image");
  const std::size_t n = labels.size(), nb = options.batches_per_epoch, seed = options.seed;
  return [members, n, nb, q, k, levels, seed](std::size_t epoch) {
    const std::uint64_t es = derive_seed(stream_key{seed, epoch, purpose::training});
    std::vector<std::vector<std::size_t>> batches(nb);
    for (std::size_t c = 0; c < k; ++c) {
      const auto& mem = members[c];
      std::vector<std::size_t> draws;
      for (std::size_t pass = 0; draws.size() < nb * q; ++pass) {
        const auto perm = random_permutation(mem.size(), stream_key{es, c * 1024 + pass, purpose::training});
        for (auto p : perm) draws.push_back(mem[p]);
      }
      for (std::size_t b = 0; b < nb; ++b)
        for (std::size_t j = 0; j < q; ++j) {
          const std::size_t img = draws[b * q + j];
          const std::size_t version = j < q / 2 ? 0 : 1 + (b * (q / 2) + (j - q / 2)) % levels;
          batches[b].push_back(version * n + img);
        }
    }
    return batches;
  };
}

}  // namespace detail

inline batch_schedule disfer_protocol_schedule(const std::vector<int>& labels, std::size_t k, std::size_t levels,
                                               const disfer_protocol_options& options) {
  return detail::disfer_protocol_schedule_as(labels, k, levels, options, "disfer_protocol_schedule");
}

/// The stream key of image `row`'s fixed distorted version at level index `level` (0-based):
/// stream_key{derive_seed({seed, level, purpose::derivation}), row, purpose of the kind}.
inline stream_key protocol_distortion_key(std::uint64_t seed, std::uint64_t row, std::size_t level,
                                          distortion_kind kind) {
  return stream_key{derive_seed(stream_key{seed, level, purpose::derivation}), row, default_purpose(kind)};
}

/// Head features of images and their fixed distorted versions, rows v * n + i (v = 0 clean,
/// v = 1..L level L-1 of `kind`, each distorted on the 8-bit image with
/// protocol_distortion_key(seed, ids[i], v - 1, kind)). Computed once: the cache of the protocol.
/// Complexity: (L + 1) n forward passes of the frozen layers.
inline feature_matrix versioned_head_features(const fer2013_xception& model,
                                              const std::vector<xt::xtensor<std::uint8_t, 2>>& images,
                                              const std::vector<std::uint64_t>& ids, distortion_kind kind,
                                              const std::vector<double>& levels, std::uint64_t seed,
                                              std::size_t threads = 1) {
  const char* fn = "versioned_head_features";
  if (ids.size() != images.size()) detail::fail(fn, ids.size(), " ids for ", images.size(), " images");
  std::vector<gray_image> all;
  all.reserve(images.size() * (levels.size() + 1));
  for (const auto& img : images) all.emplace_back(xt::cast<float>(img));
  for (std::size_t l = 0; l < levels.size(); ++l)
    for (std::size_t i = 0; i < images.size(); ++i)
      all.emplace_back(xt::cast<float>(detail::apply_as(distortion{kind, levels[l]}, images[i],
                                                        protocol_distortion_key(seed, ids[i], l, kind), fn)));
  return head_features(model, all, threads);
}

/// A fine-tuned model and how it was made.
struct fine_tuned_model {
  std::string name;  ///< e.g. "FER-2013 Xception FT-GN"
  distortion_kind kind = distortion_kind::none;
  fer2013_xception model;
  head_weights weights;
  fine_tune_result training;
  protocol_split split;
};

namespace detail {

/// protocol_code with `fn` named in its errors (fine_tune_disfer_protocol passes its own name).
inline std::string protocol_code_as(distortion_kind kind, const char* fn) {
  switch (kind) {
    case distortion_kind::gaussian_blur:
      return "GB";
    case distortion_kind::gaussian_noise:
      return "GN";
    case distortion_kind::salt_and_pepper:
      return "SP";
    default:
      fail(fn, "the distortion kind must be blur, noise or salt-and-pepper");
  }
}

}  // namespace detail

/// Short code of a distortion kind as in the paper's FT rows: GB, GN, SP. Throws disfer::error for
/// any other kind.
inline std::string protocol_code(distortion_kind kind) {
  return detail::protocol_code_as(kind, "protocol_code");
}

/// The DisFER protocol for one distortion type: split (disfer_protocol_split), features of every
/// training and validation image at every version (versioned_head_features, computed once),
/// training on disfer_protocol_schedule batches with one-hot targets (or `soft_targets` rows,
/// records.size() x k, when given: the record's row is its target for every version), validation
/// on all versions of the validation images, early stopping. Returns the fine-tuned classifier.
/// Throws disfer::error (named `fine_tune_disfer_protocol`) for bad options (training options,
/// levels, batch sizes), too few images of a class, soft_targets of the wrong shape or with a row
/// that is not a probability vector, all before any forward pass; and, quoting the step, for what
/// a later step rejects (find_classifier_head, versioned_head_features, fine_tune_head, ...).
/// Complexity: 4 x 840 forward passes (about 3 CPU-seconds optimised) plus the epochs (ms each).
inline fine_tuned_model fine_tune_disfer_protocol(const fer2013_xception& model,
                                                  const std::vector<fer2013_record>& records, distortion_kind kind,
                                                  const disfer_protocol_options& options = {},
                                                  const Eigen::MatrixXd* soft_targets = nullptr) {
  const char* fn = "fine_tune_disfer_protocol";
  // What can be checked without the network is checked first, under this function's name: the
  // forward passes take seconds. The steps after that are public functions with checks of their
  // own; their errors come out as "fine_tune_disfer_protocol: <step>: ...".
  const std::string code = detail::protocol_code_as(kind, fn);
  detail::check_fine_tune_options(options.training, fn);
  std::vector<double> levels = options.levels;
  if (levels.empty())
    for (const auto& c : disfer_conditions())
      if (c.kind == kind) levels.push_back(c.level);
  for (std::size_t l = 0; l < levels.size(); ++l) {
    try {
      (void)detail::apply_as(distortion{kind, levels[l]},
                             xt::xtensor<std::uint8_t, 2>(xt::zeros<std::uint8_t>({48, 48})),
                             stream_key{options.seed, 0, 0}, nullptr);
    } catch (const error& e) {
      detail::fail(fn, "options.levels[", l, "] = ", levels[l], ": ", e.what());
    }
  }
  const auto head = detail::with_steps_named(fn, [&] { return find_classifier_head(model.graph()); });
  const auto k = static_cast<std::size_t>(head.classes);
  if (soft_targets && (static_cast<std::size_t>(soft_targets->rows()) != records.size() ||
                       static_cast<std::size_t>(soft_targets->cols()) != k))
    detail::fail(fn, "class count mismatch or wrong size: soft_targets is ", soft_targets->rows(), " x ",
                 soft_targets->cols(), ", expected ", records.size(), " x ", k);
  const auto split = detail::disfer_protocol_split_as(records, options, k, fn);
  std::vector<int> train_labels, val_labels;
  for (auto i : split.train) train_labels.push_back(static_cast<int>(index_of(records[i].label)));
  for (auto i : split.validation) val_labels.push_back(static_cast<int>(index_of(records[i].label)));
  const auto schedule = detail::disfer_protocol_schedule_as(train_labels, k, levels.size(), options, fn);
  if (soft_targets)
    for (const auto* part : {&split.train, &split.validation})
      for (auto i : *part)
        detail::check_target_row(soft_targets->row(static_cast<Eigen::Index>(i)), fn, [&] {
          return detail::concat("soft_targets row ", i, " (FER-2013 row ", records[i].row, ")");
        });
  return detail::with_steps_named(fn, [&] {
    auto build = [&](const std::vector<std::size_t>& idx, const std::vector<int>& labels) {
      std::vector<xt::xtensor<std::uint8_t, 2>> imgs;
      std::vector<std::uint64_t> ids;
      for (auto i : idx) {
        imgs.push_back(records[i].image());
        ids.push_back(records[i].row);
      }
      head_training_set s;
      s.features = versioned_head_features(model, imgs, ids, kind, levels, options.seed, options.training.threads);
      const std::size_t n = idx.size(), versions = levels.size() + 1;
      s.targets.resize(static_cast<Eigen::Index>(n * versions), static_cast<Eigen::Index>(k));
      const Eigen::MatrixXd hard = one_hot(labels, k);
      for (std::size_t v = 0; v < versions; ++v)
        for (std::size_t i = 0; i < n; ++i)
          s.targets.row(static_cast<Eigen::Index>(v * n + i)) =
              soft_targets ? soft_targets->row(static_cast<Eigen::Index>(idx[i]))
                           : hard.row(static_cast<Eigen::Index>(i));
      return s;
    };
    const auto train = build(split.train, train_labels);
    const auto val = build(split.validation, val_labels);
    const auto initial = read_head_weights(model.graph(), head);
    auto result = fine_tune_head(initial, train, val, options.training, schedule);
    return fine_tuned_model{"FER-2013 Xception FT-" + code + (soft_targets ? " (soft)" : ""),
                            kind,
                            fer2013_xception(with_head_weights(model.graph(), head, result.weights)),
                            result.weights,
                            std::move(result),
                            split};
  });
}

/// The three fine-tuned models of the paper (FT-GB, FT-GN, FT-SP, in that order) under one set
/// of options (the same seed, so the same training and validation images for each type).
inline std::vector<fine_tuned_model> fine_tune_disfer_protocol(const fer2013_xception& model,
                                                               const std::vector<fer2013_record>& records,
                                                               const disfer_protocol_options& options = {}) {
  std::vector<fine_tuned_model> out;
  for (auto kind : {distortion_kind::gaussian_blur, distortion_kind::gaussian_noise, distortion_kind::salt_and_pepper})
    out.push_back(fine_tune_disfer_protocol(model, records, kind, options));
  return out;
}

}  // namespace disfer
