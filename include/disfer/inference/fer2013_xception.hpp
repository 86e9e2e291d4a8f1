#pragma once
/// \file
/// disfer::fer2013_xception: the FER-2013-trained Xception-style CNN that the npm package
/// `@vladmandic/human@3.3.6` ships as models/emotion.json + models/emotion.bin (Octavio Arriaga's
/// face_classification, big_XCEPTION layout, MIT licence): input 64x64x1, output 7 classes in
/// FER-2013 order, 205,127 float32 parameters, ~131.5 MFLOP per image.
///
/// Model lookup (fer2013_xception::load): an explicit path when given (only that); otherwise
/// $DISFER_MODEL_DIR when set (only that; an error naming it when it does not exist); otherwise
/// the install prefix's share/disfer/models (DISFER_MODEL_INSTALL_DIR, set by
/// find_package(disfer COMPONENTS inference)), then, for a program in a folder named bin,
/// ../share/disfer/models beside it (the installed example programs), then the build tree's copy
/// (DISFER_MODEL_BUILD_DIR, set for programs built with disfer itself).

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/inference/classifier.hpp"
#include "disfer/inference/detail/model_paths.hpp"
#include "disfer/inference/tfjs_graph.hpp"

namespace disfer {

/// The FER-2013 model and its preprocessing, as a disfer::classifier.
class fer2013_xception : public classifier {
 public:
  /// The npm package (name@version) whose models/emotion.* files this class runs.
  static constexpr const char* npm_package = "@vladmandic/human@3.3.6";
  /// Side of the model's square input.
  static constexpr std::size_t input_size = 64;

  /// The folders load() tries, in order (see the file comment). `explicit_path` (a folder or an
  /// emotion.json file) replaces the search when not empty; so does $DISFER_MODEL_DIR when set and
  /// not empty. Throws disfer::error naming the variable and its value when DISFER_MODEL_DIR names
  /// nothing that exists.
  static std::vector<std::string> search_paths(const std::string& explicit_path = "") {
    return detail::model_search_paths("fer2013_xception::load", explicit_path, "emotion.json and emotion.bin");
  }

  /// Path of the first emotion.json found (with its emotion.bin beside it) along search_paths();
  /// an explicit path to a .json file of another name (a model saved by tfjs_graph_model::save)
  /// is taken as is, its shards being those its weightsManifest names.
  /// Throws disfer::error listing every path tried and how to provide the files by hand.
  static std::string find_model(const std::string& explicit_path = "") {
    const auto paths = search_paths(explicit_path);
    std::string tried;
    for (const auto& p : paths) {
      std::filesystem::path json = p;
      std::error_code ec;
      if (std::filesystem::is_directory(json, ec) || json.extension() != ".json") json /= "emotion.json";
      const auto bin = json.parent_path() / "emotion.bin";
      // Another .json (a saved fine-tuned model, say) names its own shards in its weightsManifest.
      const bool own_shards = json.filename() != "emotion.json";
      if (std::filesystem::is_regular_file(json, ec) && (own_shards || std::filesystem::is_regular_file(bin, ec)))
        return json.string();
      tried += "\n  " + json.string() + " (+ emotion.bin)";
      if (const char* env = std::getenv("DISFER_MODEL_DIR"); explicit_path.empty() && env && *env)
        tried += " (from DISFER_MODEL_DIR)";
    }
    if (paths.empty()) tried = "\n  (none: no explicit path, DISFER_MODEL_DIR unset, no install or build folder known)";
    detail::fail("fer2013_xception::load", "model files not found; tried:", tried, "\nProvide them by hand: `npm pack ",
                 npm_package,
                 "`, extract package/models/emotion.json and package/models/emotion.bin from the .tgz into a "
                 "folder, and pass that folder to fer2013_xception::load() or set DISFER_MODEL_DIR to it "
                 "(or configure disfer with -DDISFER_MODEL_SOURCE_DIR=<folder> and install).");
  }

  /// Finds (see find_model) and loads the model; checks that it is the FER-2013 network (input
  /// [-1, 64, 64, 1], 7 outputs, 205,127 parameters). Throws disfer::error otherwise.
  static fer2013_xception load(const std::string& explicit_path = "") {
    return fer2013_xception(tfjs_graph_model::load(find_model(explicit_path)));
  }

  /// Wraps an already loaded graph; throws disfer::error when it is not the expected network.
  explicit fer2013_xception(tfjs_graph_model graph) : graph_(std::move(graph)) {
    const auto& s = graph_.input_shape();
    if (s.size() != 4 || s[1] != 64 || s[2] != 64 || s[3] != 1 || graph_.parameter_count() != 205127)
      detail::fail("fer2013_xception::load", "'", graph_.path(), "' is not the FER-2013 model of ", npm_package,
                   " (input ", shape_string(s), ", ", graph_.parameter_count(),
                   " parameters; expected [-1, 64, 64, 1] and 205127)");
  }

  /// FER-2013's class names in FER-2013 order: angry, disgust, fear, happy, sad, surprise, neutral.
  std::vector<std::string> class_names() const override {
    std::vector<std::string> v;
    for (emotion e : fer2013_order) v.emplace_back(name(e));
    return v;
  }

  /// The model's input for one gray image (any size; 0-255 scale): bilinear resize to 64x64
  /// with half-pixel centres and edge clamping (OpenCV's INTER_LINEAR on a float image), then
  /// (x / 255 - 0.5) * 2. Throws disfer::error for an empty image or a non-finite pixel.
  static xt::xtensor<float, 2> preprocess(const gray_image& img) {
    const char* fn = "fer2013_xception::preprocess";
    const std::size_t sh = img.shape()[0], sw = img.shape()[1], d = input_size;
    if (sh == 0 || sw == 0) detail::fail(fn, "the image is empty (", sh, "x", sw, ")");
    for (std::size_t r = 0; r < sh; ++r)
      for (std::size_t c = 0; c < sw; ++c)
        if (!std::isfinite(img(r, c))) detail::fail(fn, "pixel (", r, ", ", c, ") is not finite");
    struct tap {
      std::size_t i0, i1;
      float w0, w1;
    };
    // OpenCV resize (imgproc/src/resize.cpp): fx = (float)((dx + 0.5) * scale - 0.5), sx = floor(fx),
    // coefficients 1 - fx and fx in float; positions outside [0, size-1] clamp to the edge.
    auto taps = [&](std::size_t src) {
      std::vector<tap> t(d);
      const double scale = static_cast<double>(src) / static_cast<double>(d);
      for (std::size_t x = 0; x < d; ++x) {
        float f = static_cast<float>((static_cast<double>(x) + 0.5) * scale - 0.5);
        auto s = static_cast<long>(std::floor(f));
        f -= static_cast<float>(s);
        if (s < 0) f = 0, s = 0;
        if (s >= static_cast<long>(src) - 1) f = 0, s = static_cast<long>(src) - 1;
        const auto s0 = static_cast<std::size_t>(s);
        t[x] = {s0, std::min(s0 + 1, src - 1), 1.0f - f, f};
      }
      return t;
    };
    const auto ty = taps(sh), tx = taps(sw);
    xt::xtensor<float, 2> out({d, d});
    for (std::size_t y = 0; y < d; ++y)
      for (std::size_t x = 0; x < d; ++x) {
        const auto& a = tx[x];
        const auto& b = ty[y];
        const double r0 = static_cast<double>(img(b.i0, a.i0)) * a.w0 + static_cast<double>(img(b.i0, a.i1)) * a.w1;
        const double r1 = static_cast<double>(img(b.i1, a.i0)) * a.w0 + static_cast<double>(img(b.i1, a.i1)) * a.w1;
        const double v = r0 * b.w0 + r1 * b.w1;
        out(y, x) = static_cast<float>((v / 255.0 - 0.5) * 2.0);
      }
    return out;
  }

  /// Probabilities (FER-2013 order) of images[0 .. count) into the row-major count x 7 `out`.
  /// The graph runs on one image at a time: its activations stay in cache (faster than one large
  /// batch tensor), and each image's probabilities are bit-identical whatever the batch size or
  /// the number of threads. Throws disfer::error for an empty image or a non-finite pixel.
  void classify(const gray_image* images, std::size_t count, double* out) const override {
    for (std::size_t i = 0; i < count; ++i) {
      const auto p = preprocess(images[i]);
      const tensor y = graph_.run(tensor::from({1, 64, 64, 1}, std::vector<float>(p.begin(), p.end())));
      if (y.size() != 7) detail::fail("fer2013_xception::classify", "unexpected output shape ", shape_string(y.shape));
      for (std::size_t j = 0; j < 7; ++j) out[i * 7 + j] = y.values[j];
    }
  }

  /// The underlying graph (for intermediate outputs, FLOP counts).
  const tfjs_graph_model& graph() const noexcept { return graph_; }

 private:
  tfjs_graph_model graph_;
};

}  // namespace disfer
