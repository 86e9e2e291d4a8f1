#pragma once
/// \file
/// disfer::faceapi_expression: face-api's FaceExpressionNet, the second open FER network, built in
/// C++ from the weights that npm `@vladmandic/face-api@1.7.15` ships as
/// model/face_expression_model-weights_manifest.json + face_expression_model.bin (architecture and
/// weights from face-api.js 0.22.2 by Vincent Muehler, MIT; the package MIT, Vladimir Mandic). Its
/// training data are not documented.
///
/// The network, op for op as the package's TypeScript defines it (src/faceFeatureExtractor/
/// FaceFeatureExtractor.ts, denseBlock.ts, src/common/depthwiseSeparableConv.ts,
/// src/faceProcessor/FaceProcessor.ts, src/faceExpressionNet/FaceExpressionNet.ts), NHWC, every
/// convolution with TensorFlow's SAME padding:
///   input 112 x 112 x 3 (RGB, 0-255), x = (x - [122.782, 117.001, 104.298]) / 255;
///   four dense blocks of 32, 64, 128 and 256 channels, each halving the size (56, 28, 14, 7):
///     o1 = relu(conv0(x)), o2 = sep1(o1), o3 = sep2(relu(o1 + o2)), o4 = sep3(relu(o1 + (o2 + o3))),
///     out = relu(o1 + (o2 + (o3 + o4)));
///   conv0 is a 3x3 stride-2 conv2d + bias in the first block, a separable convolution of stride 2
///   in the others; sep = depthwise 3x3 (multiplier 1) -> pointwise 1x1 -> + bias, no activation;
///   7x7 average pool (stride 2, VALID) -> 256 features -> fc 256 x 7 + bias -> softmax.
/// 49 tensors, 323,687 parameters (the filters uint8-quantised in the file), 103 MFLOP per image
/// (flops_per_image()).
/// face-api's classes, in its order: neutral, happy, sad, angry, fearful, disgusted, surprised.
///
/// Model lookup (load): as fer2013_xception's (an explicit folder or manifest, else
/// $DISFER_MODEL_DIR, else the installed and build-tree share/disfer/models).

#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/inference/classifier.hpp"
#include "disfer/inference/detail/model_paths.hpp"
#include "disfer/inference/detail/ops.hpp"
#include "disfer/inference/tensor.hpp"
#include "disfer/inference/tfjs_weights.hpp"

namespace disfer {

/// face-api's FaceExpressionNet and its preprocessing, as a disfer::classifier (FER-2013 order).
class faceapi_expression : public classifier {
 public:
  /// The npm package (name@version) whose model/face_expression_model* files this class runs.
  static constexpr const char* npm_package = "@vladmandic/face-api@1.7.15";
  /// The weights manifest's file name (its .bin shard beside it).
  static constexpr const char* manifest_name = "face_expression_model-weights_manifest.json";
  /// Side of the network's square RGB input.
  static constexpr std::size_t input_size = 112;
  /// Features after the average pool (the fully connected head's input).
  static constexpr std::size_t feature_size = 256;
  /// Parameters of the network (all 49 tensors).
  static constexpr std::size_t parameters = 323687;
  /// face-api's output order (FACE_EXPRESSION_LABELS in src/faceExpressionNet/FaceExpressions.ts).
  static constexpr std::array<emotion, 7> faceapi_order = {emotion::neutral, emotion::happy, emotion::sad,
                                                           emotion::angry,   emotion::fear,  emotion::disgust,
                                                           emotion::surprise};

  /// The folders load() tries (detail::model_search_paths).
  static std::vector<std::string> search_paths(const std::string& explicit_path = "") {
    return detail::model_search_paths("faceapi_expression::load", explicit_path,
                                      "face_expression_model-weights_manifest.json and face_expression_model.bin");
  }

  /// Path of the first weights manifest found along search_paths(): a folder holding manifest_name,
  /// or an explicit path to a manifest file of any name. Throws disfer::error listing every path
  /// tried and how to provide the files by hand.
  static std::string find_model(const std::string& explicit_path = "") {
    const auto paths = search_paths(explicit_path);
    std::string tried;
    for (const auto& p : paths) {
      std::filesystem::path manifest = p;
      std::error_code ec;
      if (std::filesystem::is_directory(manifest, ec) || manifest.extension() != ".json") manifest /= manifest_name;
      if (std::filesystem::is_regular_file(manifest, ec)) return manifest.string();
      tried += "\n  " + manifest.string();
    }
    if (paths.empty()) tried = "\n  (none: no explicit path, DISFER_MODEL_DIR unset, no install or build folder known)";
    detail::fail("faceapi_expression::load", "model files not found; tried:", tried,
                 "\nProvide them by hand: `npm pack ", npm_package, "`, extract package/model/", manifest_name,
                 " and package/model/face_expression_model.bin from the .tgz into a folder, and pass that folder to "
                 "faceapi_expression::load() or set DISFER_MODEL_DIR to it.");
  }

  /// Finds (find_model) and loads the network; throws disfer::error when a tensor is missing or has
  /// another shape than the architecture's.
  static faceapi_expression load(const std::string& explicit_path = "") {
    return faceapi_expression(read_tfjs_weights_manifest(find_model(explicit_path)));
  }

  /// Builds the network from loaded weights (names as face-api's manifest: dense0/conv0/filters,
  /// denseK/convJ/{depthwise_filter, pointwise_filter, bias}, fc/weights, fc/bias). Throws
  /// disfer::error naming the weight when one is missing or has the wrong shape.
  explicit faceapi_expression(const tfjs_weights& w) : path_(w.path) {
    const char* fn = "faceapi_expression::load";
    std::size_t used = 0;
    auto take = [&](const std::string& name, std::vector<std::int64_t> shape) {
      const tfjs_weight& t = w.at(name);
      if (t.value.dtype != tensor_dtype::float32 || t.value.shape != shape)
        detail::fail(fn, "'", w.path, "': weight '", name, "' has shape ", shape_string(t.value.shape), ", expected ",
                     shape_string(shape), " (is this face-api's face_expression_model?)");
      used += t.value.size();
      return std::make_shared<const tensor>(t.value);
    };
    const std::int64_t channels[4] = {32, 64, 128, 256};
    std::int64_t in = 3;
    for (std::size_t b = 0; b < 4; ++b) {
      const std::string prefix = "dense" + std::to_string(b) + "/conv";
      const std::int64_t c = channels[b];
      dense_block& blk = blocks_[b];
      for (std::size_t j = 0; j < 4; ++j) {
        const std::string p = prefix + std::to_string(j) + "/";
        const std::int64_t ci = j == 0 ? in : c;
        separable& s = blk.conv[j];
        if (b == 0 && j == 0) {
          s.pointwise = take(p + "filters", {3, 3, ci, c});
        } else {
          s.depthwise = take(p + "depthwise_filter", {3, 3, ci, 1});
          s.pointwise = take(p + "pointwise_filter", {1, 1, ci, c});
        }
        s.bias = take(p + "bias", {c});
        s.panels = std::make_shared<detail::filter_panels>();
      }
      in = c;
    }
    fc_.pointwise = std::make_shared<const tensor>(
        detail::reshape(*take("fc/weights", {static_cast<std::int64_t>(feature_size), 7}), {1, 1, 256, 7}));
    fc_.bias = take("fc/bias", {7});
    fc_.panels = std::make_shared<detail::filter_panels>();
    if (used != parameters)
      detail::fail(fn, "'", w.path, "' holds ", used, " parameters in the network's tensors, expected ", parameters);
    if (w.weights.size() != 49)
      detail::fail(fn, "'", w.path, "' holds ", w.weights.size(), " tensors, expected the network's 49");
  }

  /// FER-2013's class names in FER-2013 order (classify() maps face-api's order onto it).
  std::vector<std::string> class_names() const override {
    std::vector<std::string> v;
    for (emotion e : fer2013_order) v.emplace_back(name(e));
    return v;
  }

  /// The network's input for one gray image (any size, 0-255 scale) as face-api makes it from a
  /// tensor (src/dom/NetInput.ts, toBatchTensor(112, true)): gray replicated to R = G = B; a
  /// non-square image padded to a square with zeros (src/ops/padToSquare.ts, centred: of the d
  /// missing rows or columns, round(d / 2) after the image and the rest before it); then
  /// tf.image.resizeBilinear to 112 x 112 with alignCorners = halfPixelCenters = false (the legacy
  /// mapping src = dst * in / out, its floor and ceil clamped to the image; computed in double and
  /// stored as float32, as tfjs-backend-cpu's ResizeBilinear does); then (x - mean_rgb) / 255 in
  /// float32 (src/ops/normalize.ts). Returns [1, 112, 112, 3]. Throws disfer::error for an empty
  /// image or a non-finite pixel.
  static tensor preprocess(const gray_image& img) {
    const char* fn = "faceapi_expression::preprocess";
    const std::size_t h = img.shape()[0], w = img.shape()[1], d = input_size;
    if (h == 0 || w == 0) detail::fail(fn, "the image is empty (", h, "x", w, ")");
    for (std::size_t r = 0; r < h; ++r)
      for (std::size_t c = 0; c < w; ++c)
        if (!std::isfinite(img(r, c))) detail::fail(fn, "pixel (", r, ", ", c, ") is not finite");
    // padToSquare: Math.round(diff * 0.5) appended (halves round up), the remainder prepended.
    const std::size_t side = std::max(h, w), diff = side - std::min(h, w);
    const std::size_t before = diff - (diff + 1) / 2;
    const std::size_t top = h < w ? before : 0, left = w < h ? before : 0;
    auto pixel = [&](std::size_t r, std::size_t c) -> double {
      if (r < top || c < left || r - top >= h || c - left >= w) return 0.0;
      return img(r - top, c - left);
    };
    struct tap {
      std::size_t lo, hi;
      double frac;
    };
    std::vector<tap> t(d);
    const double ratio = static_cast<double>(side) / static_cast<double>(d);
    for (std::size_t x = 0; x < d; ++x) {
      const double f = ratio * static_cast<double>(x);
      const double fl = std::floor(f);
      t[x] = {static_cast<std::size_t>(fl), std::min(side - 1, static_cast<std::size_t>(std::ceil(f))), f - fl};
    }
    static constexpr float mean_rgb[3] = {122.782f, 117.001f, 104.298f};
    tensor x = tensor::zeros({1, static_cast<std::int64_t>(d), static_cast<std::int64_t>(d), 3});
    float* out = x.values.data();
    for (std::size_t r = 0; r < d; ++r)
      for (std::size_t c = 0; c < d; ++c) {
        const tap& a = t[r];
        const tap& b = t[c];
        const double tl = pixel(a.lo, b.lo), tr = pixel(a.lo, b.hi), bl = pixel(a.hi, b.lo), br = pixel(a.hi, b.hi);
        const double upper = tl + (tr - tl) * b.frac, lower = bl + (br - bl) * b.frac;
        const auto v = static_cast<float>(upper + (lower - upper) * a.frac);
        for (std::size_t ch = 0; ch < 3; ++ch) *out++ = (v - mean_rgb[ch]) / 255.0f;
      }
    return x;
  }

  /// The 256 pooled features of preprocessed inputs x [N, 112, 112, 3]: [N, 1, 1, 256].
  /// Each thread keeps its intermediate tensors between calls (about 4 MB for a 112 x 112
  /// input), so an image allocates nothing big (no page faults: those, with copies, took most
  /// of the time of a pass).
  tensor features(const tensor& x) const {
    static thread_local workspace ws;
    const tensor* in = &x;  // no copy of the input
    for (std::size_t b = 0; b < 4; ++b) in = &dense_block_forward(blocks_[b], *in, ws.block[b]);
    detail::conv_geometry pool;
    pool.stride_h = pool.stride_w = 2;
    return detail::pool2d(*in, detail::pool_kind::average, 7, 7, pool);
  }

  /// Probabilities in face-api's order (faceapi_order) of preprocessed inputs x: [N, 7].
  tensor run(const tensor& x) const {
    const tensor f = features(x);
    const tensor logits = pointwise(fc_, f, detail::activation::none);
    return detail::softmax(detail::reshape(logits, {f.dim(0), 7}));
  }

  /// Probabilities (FER-2013 order) of images[0 .. count) into the row-major count x 7 `out`, one
  /// image at a time (results do not depend on the batch or the threads). Throws disfer::error for
  /// an empty image or a non-finite pixel.
  void classify(const gray_image* images, std::size_t count, double* out) const override {
    for (std::size_t i = 0; i < count; ++i) {
      const tensor y = run(preprocess(images[i]));
      for (std::size_t k = 0; k < 7; ++k) out[i * 7 + static_cast<std::size_t>(faceapi_order[k])] = y.values[k];
    }
  }

  /// Floating-point operations per image, 2 per multiply-add of the convolutions and the fully
  /// connected layer (as tfjs_graph_model::flops_per_item counts them): the first 3x3 conv2d
  /// (56 x 56 x 32 x 27), per separable layer the depthwise 3x3 (out x out x c_in x 9) and the
  /// pointwise (out x out x c_in x c_out), the 256 x 7 head.
  static constexpr double flops_per_image() {
    double macs = 56.0 * 56 * 32 * 27;
    const double channels[4] = {32, 64, 128, 256}, size[4] = {56, 28, 14, 7};
    for (int b = 0; b < 4; ++b)
      for (int j = 0; j < 4; ++j) {
        if (b == 0 && j == 0) continue;
        const double c_in = j == 0 ? channels[b - 1] : channels[b], px = size[b] * size[b];
        macs += px * c_in * 9 + px * c_in * channels[b];
      }
    return 2 * (macs + 256.0 * 7);
  }

  /// The fully connected head in face-api's class order (faceapi_order): weights [256, 7] (row f,
  /// column j: feature f's weight for class j) and bias [7]; faceapi_head.hpp reads it for fine-tuning.
  tensor head_kernel() const { return detail::reshape(*fc_.pointwise, {static_cast<std::int64_t>(feature_size), 7}); }
  const tensor& head_bias() const noexcept { return *fc_.bias; }

  /// A copy of the network whose fully connected head is `kernel` [256, 7] and `bias` [7], float32,
  /// in face-api's class order (the frozen layers shared with this one). Throws disfer::error
  /// (named `faceapi_expression::with_head`) for another shape or dtype or a non-finite value.
  faceapi_expression with_head(const tensor& kernel, const tensor& bias) const {
    const char* fn = "faceapi_expression::with_head";
    const std::vector<std::int64_t> ks = {static_cast<std::int64_t>(feature_size), 7}, bs = {7};
    if (kernel.dtype != tensor_dtype::float32 || kernel.shape != ks || bias.dtype != tensor_dtype::float32 ||
        bias.shape != bs)
      detail::fail(fn, "the head is ", shape_string(kernel.shape), " + ", shape_string(bias.shape),
                   " (float32 expected), the network needs ", shape_string(ks), " + ", shape_string(bs));
    for (const auto* t : {&kernel, &bias})
      for (float v : t->values)
        if (!std::isfinite(v)) detail::fail(fn, "a weight of the head is not finite");
    faceapi_expression out = *this;
    out.fc_.pointwise = std::make_shared<const tensor>(detail::reshape(kernel, {1, 1, ks[0], 7}));
    out.fc_.bias = std::make_shared<const tensor>(bias);
    out.fc_.panels = std::make_shared<detail::filter_panels>();
    return out;
  }

  /// The manifest the weights were read from.
  const std::string& path() const noexcept { return path_; }

 private:
  // One convolution: separable (depthwise then pointwise + bias) or, with no depthwise filter, a
  // plain conv2d + bias (the first block's conv0; `pointwise` then holds its 3x3 filter).
  struct separable {
    std::shared_ptr<const tensor> depthwise, pointwise, bias;
    std::shared_ptr<detail::filter_panels> panels;  // `pointwise` packed per SIMD path
  };
  struct dense_block {
    separable conv[4];
  };

  // A dense block's tensors: the four layer outputs, the depthwise output, the summed input of
  // layers 3 and 4, the im2col block of the first block's plain convolution.
  struct block_workspace {
    tensor o[4], depthwise, sum;
    std::vector<float> im2col;
  };
  struct workspace {
    block_workspace block[4];
  };

  static void convolve(tensor& y, const separable& s, const tensor& x, const detail::conv_geometry& g,
                       detail::activation act, std::vector<float>* scratch = nullptr) {
    const detail::simd_path path = detail::simd_resolve();
    const auto* packed = path != detail::simd_path::portable ? s.panels->get(path, s.pointwise) : nullptr;
    detail::conv2d_into(y, x, *s.pointwise, s.bias.get(), g, act, path, packed, scratch);
  }
  static tensor pointwise(const separable& s, const tensor& x, detail::activation act) {
    tensor y;
    convolve(y, s, x, detail::conv_geometry{}, act);
    return y;
  }
  // tf.separableConv2d(x, depthwise, pointwise, stride, 'same') + bias, or conv2d(x, filters,
  // stride, 'same') + bias, into y: the bias is added after the sum in both (TF.js adds it as a
  // separate op).
  static void layer(tensor& y, const separable& s, const tensor& x, std::int64_t stride, detail::activation act,
                    block_workspace& ws) {
    detail::conv_geometry g;
    g.stride_h = g.stride_w = stride;
    g.padding = detail::padding_mode::same;
    if (!s.depthwise) return convolve(y, s, x, g, act, &ws.im2col);
    detail::depthwise_conv2d_into(ws.depthwise, x, *s.depthwise, nullptr, g);
    convolve(y, s, ws.depthwise, detail::conv_geometry{}, act);
  }
  // denseBlock4 (src/faceFeatureExtractor/denseBlock.ts) with isScaleDown: relu(o1 + o2),
  // relu(o1 + (o2 + o3)), relu(o1 + (o2 + (o3 + o4))), each sum in face-api's order (float addition
  // is not associative) and fused into one pass; the result is ws.o[3].
  static const tensor& dense_block_forward(const dense_block& blk, const tensor& x, block_workspace& ws) {
    using detail::activation;
    tensor &o1 = ws.o[0], &o2 = ws.o[1], &o3 = ws.o[2], &o4 = ws.o[3], &in = ws.sum;
    layer(o1, blk.conv[0], x, 2, activation::relu, ws);
    layer(o2, blk.conv[1], o1, 1, activation::none, ws);
    const std::size_t n = o1.values.size();
    detail::reuse_as(in, o1.shape);
    const float *a = o1.values.data(), *b = o2.values.data();
    float* t = in.values.data();
    for (std::size_t i = 0; i < n; ++i) t[i] = a[i] + b[i];
    detail::apply_activation(t, n, activation::relu);
    layer(o3, blk.conv[2], in, 1, activation::none, ws);
    const float* c = o3.values.data();
    for (std::size_t i = 0; i < n; ++i) t[i] = a[i] + (b[i] + c[i]);
    detail::apply_activation(t, n, activation::relu);
    layer(o4, blk.conv[3], in, 1, activation::none, ws);
    float* d = o4.values.data();
    for (std::size_t i = 0; i < n; ++i) d[i] = a[i] + (b[i] + (c[i] + d[i]));
    detail::apply_activation(d, n, activation::relu);
    return o4;
  }

  std::string path_;
  dense_block blocks_[4];
  separable fc_;
};

}  // namespace disfer
