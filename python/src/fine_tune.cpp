// fine_tune: the classifier heads of the bundled networks on frozen features (head_training.hpp,
// graph_head.hpp, faceapi_head.hpp), the DisFER fine-tuning protocol (disfer_protocol.hpp) and the
// free function predict (classifier.hpp) for either network.

#include "batches.hpp"
#include "common.hpp"
#include "disfer/inference/classifier.hpp"
#include "disfer/inference/disfer_protocol.hpp"
#include "disfer/inference/faceapi_expression.hpp"
#include "disfer/inference/faceapi_head.hpp"
#include "disfer/inference/fer2013_xception.hpp"
#include "disfer/inference/graph_head.hpp"
#include "disfer/inference/head_training.hpp"

DISFER_PY_STRING_ENUM(disfer::head_optimizer)
DISFER_PY_STRING_ENUM(disfer::l2_anchor)

namespace disfer_py {

namespace {

/// 8-bit images: N x H x W (uint8, or integral values 0-255 of another dtype) or a sequence of H x W.
std::vector<xt::xtensor<std::uint8_t, 2>> uint8_batch(const char* fn, const py::object& images) {
  std::vector<xt::xtensor<std::uint8_t, 2>> out;
  for (auto& g : gray_batch(fn, images)) {
    for (std::size_t p = 0; p < g.size(); ++p)
      if (!(g.data()[p] >= 0 && g.data()[p] <= 255 && g.data()[p] == static_cast<float>(static_cast<int>(g.data()[p]))))
        fail(fn, "image " + std::to_string(out.size()) + " has a pixel that is not an integer in 0-255");
    out.emplace_back(xt::cast<std::uint8_t>(g));
  }
  return out;
}

/// A 2-D float array (n x d) as a feature matrix; errors name `fn` and `what`.
disfer::feature_matrix features_of(const char* fn, const py::object& obj, const char* what = "features") {
  auto a = double_array(fn, obj, what);
  if (a.ndim() != 2) fail(fn, std::string(what) + " must be 2-D (n x d), got " + std::to_string(a.ndim()) + "-D");
  return Eigen::Map<const disfer::feature_matrix>(a.data(), a.shape(0), a.shape(1));
}

/// Class labels 0..k-1 (1-D integers), errors naming `fn`.
std::vector<int> labels_of(const char* fn, const py::object& obj, std::size_t k, const char* what = "labels") {
  const auto v = int_vector(fn, obj, what);
  std::vector<int> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] < 0 || static_cast<std::size_t>(v[i]) >= k)
      fail(fn, std::string(what) + "[" + std::to_string(i) + "] = " + std::to_string(v[i]) +
                   " is not a class index in [0, " + std::to_string(k) + ")");
    out[i] = static_cast<int>(v[i]);
  }
  return out;
}

/// Targets: 1-D class labels (one-hot) or a 2-D n x k array of probability rows.
Eigen::MatrixXd targets_of(const char* fn, const py::object& obj, std::size_t k, const char* what = "targets") {
  py::array a = py::array::ensure(obj);
  if (!a) fail(fn, std::string(what) + " must be an array of labels or of probability rows");
  if (a.ndim() == 1) return disfer::one_hot(labels_of(fn, obj, k, what), k);
  auto d = double_array(fn, obj, what);
  if (d.ndim() != 2) fail(fn, std::string(what) + " must be 1-D labels or 2-D probabilities");
  return Eigen::Map<const row_major<double>>(d.data(), d.shape(0), d.shape(1));
}

disfer::head_training_set training_set(const char* fn, const py::object& features, const py::object& targets,
                                       std::size_t k, const char* which) {
  disfer::head_training_set s;
  s.features = features_of(fn, features, (std::string(which) + "features").c_str());
  s.targets = targets_of(fn, targets, k, (std::string(which) + "targets").c_str());
  return s;
}

/// fine_tune_options from keyword arguments (the C++ field names); an unknown key is an error.
disfer::fine_tune_options training_options(const char* fn, const py::kwargs& kw) {
  disfer::fine_tune_options o;
  for (const auto& item : kw) {
    const auto key = item.first.cast<std::string>();
    const py::handle v = item.second;
    if (key == "optimizer")
      o.optimizer = v.cast<disfer::head_optimizer>();
    else if (key == "learning_rate")
      o.learning_rate = v.cast<double>();
    else if (key == "momentum")
      o.momentum = v.cast<double>();
    else if (key == "beta1")
      o.beta1 = v.cast<double>();
    else if (key == "beta2")
      o.beta2 = v.cast<double>();
    else if (key == "epsilon")
      o.epsilon = v.cast<double>();
    else if (key == "weight_decay")
      o.weight_decay = v.cast<double>();
    else if (key == "anchor")
      o.anchor = v.cast<disfer::l2_anchor>();
    else if (key == "batch_size")
      o.batch_size = v.cast<std::size_t>();
    else if (key == "max_epochs")
      o.max_epochs = v.cast<std::size_t>();
    else if (key == "patience")
      o.patience = v.cast<std::size_t>();
    else if (key == "min_delta")
      o.min_delta = v.cast<double>();
    else if (key == "seed")
      o.seed = v.cast<std::uint64_t>();
    else if (key == "threads")
      o.threads = v.cast<std::size_t>();
    else
      fail(fn, "unknown option '" + key +
                   "' (optimizer, learning_rate, momentum, beta1, beta2, epsilon, weight_decay, anchor, batch_size, "
                   "max_epochs, patience, min_delta, seed, threads)");
  }
  return o;
}

/// FER-2013 records from arrays: 48 x 48 uint8 images, labels 0-6 (FER-2013 order), usages
/// (None: all Training; else Fer2013Usage values or names: 'training'/'Training', 'public_test'/
/// 'PublicTest', 'private_test'/'PrivateTest') and row ids (None: 0..n-1).
std::vector<disfer::fer2013_record> records_of(const char* fn, const py::object& images, const py::object& labels,
                                               const py::object& usages, const py::object& rows) {
  const auto imgs = uint8_batch(fn, images);
  const auto lab = labels_of(fn, labels, disfer::emotion_count);
  if (lab.size() != imgs.size())
    fail(fn, std::to_string(lab.size()) + " labels for " + std::to_string(imgs.size()) + " images");
  std::vector<disfer::fer2013_record> out(imgs.size());
  std::vector<std::int64_t> ids;
  if (!rows.is_none()) {
    ids = int_vector(fn, rows, "rows");
    if (ids.size() != imgs.size())
      fail(fn, std::to_string(ids.size()) + " rows for " + std::to_string(imgs.size()) + " images");
  }
  std::vector<disfer::fer2013_usage> use(imgs.size(), disfer::fer2013_usage::training);
  if (!usages.is_none()) {
    std::size_t i = 0;
    for (const auto& u : usages) {
      if (i >= use.size()) fail(fn, "more usages than images");
      if (py::isinstance<py::str>(u)) {
        const auto s = u.cast<std::string>();
        if (s == "training" || s == "Training")
          use[i] = disfer::fer2013_usage::training;
        else if (s == "public_test" || s == "PublicTest")
          use[i] = disfer::fer2013_usage::public_test;
        else if (s == "private_test" || s == "PrivateTest")
          use[i] = disfer::fer2013_usage::private_test;
        else
          fail(fn, "usages[" + std::to_string(i) + "] = '" + s + "' is not a FER-2013 usage");
      } else {
        use[i] = static_cast<disfer::fer2013_usage>(
            py::int_(py::reinterpret_borrow<py::object>(u)).cast<int>());  // a Fer2013Usage member
      }
      ++i;
    }
    if (i != use.size()) fail(fn, std::to_string(i) + " usages for " + std::to_string(use.size()) + " images");
  }
  for (std::size_t i = 0; i < imgs.size(); ++i) {
    if (imgs[i].shape()[0] != disfer::fer2013_side || imgs[i].shape()[1] != disfer::fer2013_side)
      fail(fn, "image " + std::to_string(i) + " is not 48 x 48");
    auto& r = out[i];
    r.row = ids.empty() ? i : static_cast<std::uint64_t>(ids[i]);
    r.line = i + 2;
    r.label = disfer::emotion_from_index(lab[i]);
    r.usage = use[i];
    std::copy(imgs[i].data(), imgs[i].data() + disfer::fer2013_pixel_count, r.pixels.begin());
  }
  return out;
}

disfer::disfer_protocol_options protocol_options(std::uint64_t seed, std::size_t train_per_class,
                                                 std::size_t validation_per_class, std::size_t batches_per_epoch,
                                                 std::size_t per_class_per_batch, std::vector<double> levels,
                                                 std::vector<std::uint64_t> excluded_rows, bool training_split_only) {
  disfer::disfer_protocol_options o;
  o.seed = seed;
  o.train_per_class = train_per_class;
  o.validation_per_class = validation_per_class;
  o.batches_per_epoch = batches_per_epoch;
  o.per_class_per_batch = per_class_per_batch;
  o.levels = std::move(levels);
  o.excluded_rows = std::move(excluded_rows);
  o.training_split_only = training_split_only;
  return o;
}

template <class T>
py::array_t<std::int64_t> int64_array(const std::vector<T>& v) {
  py::array_t<std::int64_t> a(static_cast<py::ssize_t>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) a.mutable_data()[i] = static_cast<std::int64_t>(v[i]);
  return a;
}

const char* const protocol_doc =
    "The DisFER fine-tuning protocol (Leveque et al. 2022, sec. 3.4; disfer_protocol.hpp) on FER-2013 records\n"
    "given as arrays: `images` N x 48 x 48 uint8, `labels` 0-6 (FER-2013 order), `usages` (None: all Training)\n"
    "and `rows` (image ids, None: 0..N-1). kind: a DistortionKind other than none; None: GB, GN and SP (a list).\n"
    "soft_targets: N x 7 probability rows (the record's target for every version). The remaining keywords\n"
    "are the training options of fine_tune_head. The GIL is released; Ctrl-C is not checked during a run.";

template <class Network>
void bind_network_functions(py::module_& m, const char* fine_tuned_name) {
  using namespace disfer;
  result_class<fine_tuned<Network>>(m, fine_tuned_name,
                                    "A fine-tuned network and how it was made (disfer_protocol.hpp).")
      .field("name", &fine_tuned<Network>::name, "e.g. 'FER-2013 Xception FT-GN'")
      .field("kind", &fine_tuned<Network>::kind)
      .field("model", &fine_tuned<Network>::model, "the tuned network (predict works on it)")
      .field("weights", &fine_tuned<Network>::weights, "HeadWeights")
      .field("training", &fine_tuned<Network>::training, "FineTuneResult")
      .field("split", &fine_tuned<Network>::split, "ProtocolSplit (indices into the records)")
      .done();

  m.def(
      "head_features",
      [](const Network& model, const py::object& images, std::size_t threads) {
        auto batch = gray_batch("head_features", images);
        return without_gil([&] { return head_features(model, batch, threads); });
      },
      py::arg("model"), py::arg("images"), py::arg("threads") = 1,
      "Frozen head features (n x d float64) of gray images (0-255, any size, N x H x W or a list) through the\n"
      "network's preprocessing and every layer before its head (graph_head.hpp: d = 3*3*C of the Xception's\n"
      "last convolution, averaged; faceapi_head.hpp: face-api's 256 pooled features). The GIL is released.");
  m.def(
      "read_head_weights", [](const Network& model) { return read_head_weights(model); }, py::arg("model"),
      "The network's classifier head as HeadWeights (FER-2013 class order).");
  m.def(
      "with_head_weights",
      [](const Network& model, const head_weights& w) {
        return without_gil([&] { return with_head_weights(model, w); });
      },
      py::arg("model"), py::arg("weights"),
      "A new network whose head holds `weights` (rounded to float32); the original is unchanged.");
  m.def(
      "versioned_head_features",
      [](const Network& model, const py::object& images, const py::object& ids, distortion_kind kind,
         const std::vector<double>& levels, std::uint64_t seed, std::size_t threads) {
        const char* fn = "versioned_head_features";
        auto imgs = uint8_batch(fn, images);
        const auto raw = int_vector(fn, ids, "ids");
        std::vector<std::uint64_t> id(raw.begin(), raw.end());
        return without_gil([&] { return versioned_head_features(model, imgs, id, kind, levels, seed, threads); });
      },
      py::arg("model"), py::arg("images"), py::arg("ids"), py::arg("kind"), py::arg("levels"), py::arg("seed"),
      py::arg("threads") = 1,
      "Head features of 8-bit images and their fixed distorted versions, rows v * n + i (v = 0 clean, v = l + 1\n"
      "level l, distorted with protocol_distortion_key(seed, ids[i], l, kind)); disfer_protocol.hpp.");
  m.def(
      "fine_tune_disfer_protocol",
      [](const Network& model, const py::object& images, const py::object& labels, const py::object& kind,
         const py::object& usages, const py::object& rows, const py::object& soft_targets, std::uint64_t seed,
         std::size_t train_per_class, std::size_t validation_per_class, std::size_t batches_per_epoch,
         std::size_t per_class_per_batch, const std::vector<double>& levels,
         const std::vector<std::uint64_t>& excluded_rows, bool training_split_only,
         const py::kwargs& training) -> py::object {
        const char* fn = "fine_tune_disfer_protocol";
        auto o = protocol_options(seed, train_per_class, validation_per_class, batches_per_epoch, per_class_per_batch,
                                  levels, excluded_rows, training_split_only);
        o.training = training_options(fn, training);
        const auto records = records_of(fn, images, labels, usages, rows);
        if (kind.is_none()) {
          if (!soft_targets.is_none()) fail(fn, "soft_targets needs one kind");
          return py::cast(without_gil([&] { return fine_tune_disfer_protocol(model, records, o); }));
        }
        const auto k = kind.cast<distortion_kind>();
        Eigen::MatrixXd soft;
        if (!soft_targets.is_none()) {
          auto d = double_array(fn, soft_targets, "soft_targets");
          if (d.ndim() != 2) fail(fn, "soft_targets must be 2-D (records x 7)");
          soft = Eigen::Map<const row_major<double>>(d.data(), d.shape(0), d.shape(1));
        }
        const Eigen::MatrixXd* sp = soft_targets.is_none() ? nullptr : &soft;
        return py::cast(without_gil([&] { return fine_tune_disfer_protocol(model, records, k, o, sp); }));
      },
      py::arg("model"), py::arg("images"), py::arg("labels"), py::arg("kind") = py::none(), py::kw_only(),
      py::arg("usages") = py::none(), py::arg("rows") = py::none(), py::arg("soft_targets") = py::none(),
      py::arg("seed") = 2022, py::arg("train_per_class") = 108, py::arg("validation_per_class") = 12,
      py::arg("batches_per_epoch") = 27, py::arg("per_class_per_batch") = 6, py::arg("levels") = std::vector<double>{},
      py::arg("excluded_rows") = std::vector<std::uint64_t>{}, py::arg("training_split_only") = true, protocol_doc);
  m.def(
      "predict",
      [](const Network& model, const py::object& images, std::size_t threads, std::size_t batch_size) {
        return predict_with(model, "predict", images, threads, batch_size);
      },
      py::arg("model"), py::arg("images"), py::arg("threads") = 1, py::arg("batch_size") = 32,
      "classifier.hpp's predict: the network's Predictions on gray images (0-255, N x H x W or a list);\n"
      "the same as model.predict. The GIL is released; Ctrl-C stops the run (KeyboardInterrupt).");
}

}  // namespace

void init_fine_tune(py::module_& m) {
  using namespace disfer;
  bind_enum<head_optimizer>(
      m, "HeadOptimizer", {{"sgd_momentum", head_optimizer::sgd_momentum}, {"adam", head_optimizer::adam}},
      "Optimiser of fine_tune_head: PyTorch-style SGD with momentum, or Adam (Kingma & Ba 2015).");
  bind_enum<l2_anchor>(m, "L2Anchor", {{"zero", l2_anchor::zero}, {"initial", l2_anchor::initial}},
                       "What L2 weight decay pulls the kernel towards: zero, or the initial head (L2-SP, Li et al. "
                       "2018).");

  py::class_<head_weights>(m, "HeadWeights",
                           "A linear head (head_training.hpp): kernel d x k and bias k; logits = bias + f @ kernel.")
      .def(py::init([](const py::object& kernel, const py::object& bias) {
             const char* fn = "HeadWeights";
             auto kd = double_array(fn, kernel, "kernel");
             auto bd = double_array(fn, bias, "bias");
             if (kd.ndim() != 2) fail(fn, "kernel must be 2-D (d x k)");
             if (bd.ndim() != 1 || bd.shape(0) != kd.shape(1))
               fail(fn, "bias must be 1-D with k = " + std::to_string(kd.shape(1)) + " entries");
             head_weights w;
             w.kernel = Eigen::Map<const row_major<double>>(kd.data(), kd.shape(0), kd.shape(1));
             w.bias = Eigen::Map<const Eigen::VectorXd>(bd.data(), bd.shape(0));
             return w;
           }),
           py::arg("kernel"), py::arg("bias"))
      .def_readwrite("kernel", &head_weights::kernel, "d x k")
      .def_readwrite("bias", &head_weights::bias, "k")
      .def("__repr__", [](const head_weights& w) {
        return "HeadWeights(" + std::to_string(w.kernel.rows()) + " x " + std::to_string(w.kernel.cols()) + ")";
      });

  result_class<head_objective>(m, "HeadObjective", "Result of head_loss.")
      .field("loss", &head_objective::loss, "mean cross-entropy + (lambda/2)||W - A||^2")
      .field("cross_entropy", &head_objective::cross_entropy, "the mean cross-entropy alone")
      .field("gradient", &head_objective::gradient, "HeadWeights")
      .done();
  result_class<fine_tune_result>(m, "FineTuneResult", "Result of fine_tune_head.")
      .field("weights", &fine_tune_result::weights, "the best weights (HeadWeights)")
      .field("best_epoch", &fine_tune_result::best_epoch, "epoch of `weights` (0: the initial ones)")
      .field("epochs_run", &fine_tune_result::epochs_run)
      .field("stopped_early", &fine_tune_result::stopped_early)
      .field("train_loss", &fine_tune_result::train_loss, "per epoch")
      .field("validation_loss", &fine_tune_result::validation_loss, "[0]: initial weights; [e]: after epoch e")
      .field("validation_accuracy", &fine_tune_result::validation_accuracy)
      .done();
  result_class<protocol_split>(m, "ProtocolSplit", "Result of disfer_protocol_split: indices into the records.")
      .computed(
          "train", [](const protocol_split& s) { return int64_array(s.train); }, "grouped by class, shuffled")
      .computed(
          "validation", [](const protocol_split& s) { return int64_array(s.validation); }, "grouped by class")
      .done();
  result_class<classifier_head>(m, "ClassifierHead", "Where a TF.js graph's classifier head is (graph_head.hpp).")
      .field("conv_node", &classifier_head::conv_node)
      .field("input_node", &classifier_head::input_node)
      .field("filter_name", &classifier_head::filter_name)
      .field("bias_name", &classifier_head::bias_name)
      .field("kh", &classifier_head::kh)
      .field("kw", &classifier_head::kw)
      .field("channels", &classifier_head::channels)
      .field("classes", &classifier_head::classes)
      .field("height", &classifier_head::height)
      .field("width", &classifier_head::width)
      .field("stride_h", &classifier_head::stride_h)
      .field("stride_w", &classifier_head::stride_w)
      .field("dilation_h", &classifier_head::dilation_h)
      .field("dilation_w", &classifier_head::dilation_w)
      .field("out_h", &classifier_head::out_h)
      .field("out_w", &classifier_head::out_w)
      .field("pad_top", &classifier_head::pad_top)
      .field("pad_left", &classifier_head::pad_left)
      .computed(
          "feature_size", [](const classifier_head& h) { return h.feature_size(); }, "d = kh * kw * channels")
      .done();
  m.def(
      "find_classifier_head", [](const fer2013_xception& model) { return find_classifier_head(model.graph()); },
      py::arg("model"), "The FER-2013 Xception's head: Softmax <- Mean over H, W <- conv + bias (graph_head.hpp).");

  bind_network_functions<fer2013_xception>(m, "FineTunedFer2013Xception");
  bind_network_functions<faceapi_expression>(m, "FineTunedFaceapiExpression");

  m.def(
      "one_hot",
      [](const py::object& labels, std::size_t k) {
        auto v = labels_of("one_hot", labels, k);
        return one_hot(v, k);
      },
      py::arg("labels"), py::arg("k") = 7, "One-hot targets (n x k float64) of class indices 0..k-1.");
  m.def(
      "head_probabilities",
      [](const head_weights& w, const py::object& features, std::size_t threads) {
        auto f = features_of("head_probabilities", features);
        return without_gil([&] { return head_probabilities(w, f, threads); });
      },
      py::arg("weights"), py::arg("features"), py::arg("threads") = 1,
      "softmax(bias + features @ kernel), n x k (head_training.hpp).");
  m.def(
      "head_predict",
      [](const head_weights& w, const py::object& features, std::size_t threads) {
        auto f = features_of("head_predict", features);
        return int64_array(without_gil([&] { return head_predict(w, f, threads); }));
      },
      py::arg("weights"), py::arg("features"), py::arg("threads") = 1,
      "Argmax labels (lowest index on ties) of the head on features.");
  m.def(
      "head_loss",
      [](const head_weights& w, const py::object& features, const py::object& targets, double weight_decay,
         const head_weights* anchor, std::size_t threads) {
        auto s = training_set("head_loss", features, targets, static_cast<std::size_t>(w.kernel.cols()), "");
        return without_gil([&] { return head_loss(w, s, weight_decay, anchor, threads); });
      },
      py::arg("weights"), py::arg("features"), py::arg("targets"), py::arg("weight_decay") = 0.0,
      py::arg("anchor") = nullptr, py::arg("threads") = 1,
      "Mean softmax cross-entropy against `targets` (1-D labels or n x k probabilities) plus\n"
      "(weight_decay/2) ||kernel - anchor.kernel||^2 (anchor None: zero), and its gradient (head_training.hpp).");
  m.def(
      "fine_tune_head",
      [](const head_weights& initial, const py::object& features, const py::object& targets,
         const py::object& validation_features, const py::object& validation_targets, const py::object& schedule,
         const py::kwargs& kw) {
        const char* fn = "fine_tune_head";
        const auto k = static_cast<std::size_t>(initial.kernel.cols());
        const auto o = training_options(fn, kw);
        auto train = training_set(fn, features, targets, k, "");
        head_training_set val;
        if (validation_features.is_none() != validation_targets.is_none())
          fail(fn, "give both validation_features and validation_targets, or neither");
        if (!validation_features.is_none())
          val = training_set(fn, validation_features, validation_targets, k, "validation ");
        batch_schedule sched;
        if (!schedule.is_none()) sched = schedule.cast<batch_schedule>();  // called with the GIL retaken
        return without_gil([&] { return fine_tune_head(initial, train, val, o, sched); });
      },
      py::arg("initial"), py::arg("features"), py::arg("targets"), py::arg("validation_features") = py::none(),
      py::arg("validation_targets") = py::none(), py::kw_only(), py::arg("schedule") = py::none(),
      "Trains the head (multinomial logistic regression) from `initial` on frozen features with Adam or\n"
      "SGD-momentum, coupled L2 weight decay and early stopping on the validation set (head_training.hpp).\n"
      "targets: 1-D labels or n x k probability rows. schedule(epoch) -> list of row-index batches (default: a\n"
      "seeded shuffle). Keywords (defaults): optimizer ('adam'), learning_rate (1e-3), momentum (0.9), beta1,\n"
      "beta2, epsilon, weight_decay (1e-3), anchor ('zero'), batch_size (42), max_epochs (30), patience (5),\n"
      "min_delta (0), seed (0), threads (1). Bit-identical for any threads. The GIL is released.");

  m.def(
      "disfer_protocol_split",
      [](const py::object& images, const py::object& labels, const py::object& usages, const py::object& rows,
         std::uint64_t seed, std::size_t train_per_class, std::size_t validation_per_class,
         const std::vector<std::uint64_t>& excluded_rows, bool training_split_only, std::size_t k) {
        const char* fn = "disfer_protocol_split";
        const auto records = records_of(fn, images, labels, usages, rows);
        const auto o = protocol_options(seed, train_per_class, validation_per_class, 27, 6, {}, excluded_rows,
                                        training_split_only);
        return without_gil([&] { return disfer_protocol_split(records, o, k); });
      },
      py::arg("images"), py::arg("labels"), py::kw_only(), py::arg("usages") = py::none(), py::arg("rows") = py::none(),
      py::arg("seed") = 2022, py::arg("train_per_class") = 108, py::arg("validation_per_class") = 12,
      py::arg("excluded_rows") = std::vector<std::uint64_t>{}, py::arg("training_split_only") = true, py::arg("k") = 7,
      "Per class, the eligible records (Training unless training_split_only=False, rows not excluded) shuffled\n"
      "with stream_key{seed, class, source_sampling}: the first train_per_class to training, the next\n"
      "validation_per_class to validation (disfer_protocol.hpp). Records as in fine_tune_disfer_protocol.");
  m.def(
      "disfer_protocol_schedule",
      [](const py::object& labels, std::size_t k, std::size_t levels, std::uint64_t seed, std::size_t batches_per_epoch,
         std::size_t per_class_per_batch) {
        const auto lab = int_vector("disfer_protocol_schedule", labels, "labels");
        const std::vector<int> v(lab.begin(), lab.end());
        const auto o = protocol_options(seed, 108, 12, batches_per_epoch, per_class_per_batch, {}, {}, true);
        return disfer_protocol_schedule(v, k, levels, o);
      },
      py::arg("labels"), py::arg("k") = 7, py::arg("levels") = 3, py::kw_only(), py::arg("seed") = 2022,
      py::arg("batches_per_epoch") = 27, py::arg("per_class_per_batch") = 6,
      "The protocol's batches (disfer_protocol.hpp) as a function epoch -> list of batches of row indices\n"
      "v * n + i (v = 0 clean, 1..levels distorted); usable as fine_tune_head's schedule.");
  m.def("protocol_code", &protocol_code, py::arg("kind"), "'GB', 'GN' or 'SP' (the paper's FT rows).");
  m.def(
      "protocol_distortion_key",
      [](std::uint64_t seed, std::uint64_t row, std::size_t level, distortion_kind kind) {
        return protocol_distortion_key(seed, row, level, kind);
      },
      py::arg("seed"), py::arg("row"), py::arg("level"), py::arg("kind"),
      "The StreamKey of image `row`'s fixed distorted version at level index `level`.");
}

}  // namespace disfer_py
