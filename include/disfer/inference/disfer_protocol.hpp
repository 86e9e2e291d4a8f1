#pragma once
/// \file
/// The DisFER fine-tuning protocol (Lévêque et al. 2022, section 3.4): per distortion type, a
/// balanced training and validation split of FER-2013, each image with its fixed distorted
/// versions, half-distorted balanced batches, and the network's classifier head trained on frozen
/// features (head_training.hpp) for either bundled network (graph_head.hpp, faceapi_head.hpp).

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
#include "disfer/image/distortion.hpp"
#include "disfer/inference/faceapi_head.hpp"
#include "disfer/inference/graph_head.hpp"
#include "disfer/inference/head_training.hpp"
#include "disfer/io/fer2013.hpp"

namespace disfer {

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

/// Head features (head_features of `model`: a fer2013_xception or a faceapi_expression) of images
/// and their fixed distorted versions, rows v * n + i (v = 0 clean, v = 1..L level L-1 of `kind`,
/// each distorted on the 8-bit image with protocol_distortion_key(seed, ids[i], v - 1, kind)).
/// Computed once: the cache of the protocol.
/// Complexity: (L + 1) n forward passes of the frozen layers.
template <class Network>
feature_matrix versioned_head_features(const Network& model, const std::vector<xt::xtensor<std::uint8_t, 2>>& images,
                                       const std::vector<std::uint64_t>& ids, distortion_kind kind,
                                       const std::vector<double>& levels, std::uint64_t seed, std::size_t threads = 1) {
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

/// A fine-tuned network and how it was made.
template <class Network>
struct fine_tuned {
  std::string name;  ///< e.g. "FER-2013 Xception FT-GN", "face-api FaceExpressionNet FT-GB"
  distortion_kind kind = distortion_kind::none;
  Network model;
  head_weights weights;
  fine_tune_result training;
  protocol_split split;
};

/// The FER-2013 Xception fine-tuned (the name this type had before face-api's network).
using fine_tuned_model = fine_tuned<fer2013_xception>;

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
/// `model` is either bundled network, fer2013_xception (its convolution head, graph_head.hpp) or
/// faceapi_expression (its fully connected head, faceapi_head.hpp).
/// Complexity: 4 x 840 forward passes (about 3 CPU-seconds optimised) plus the epochs (ms each).
template <class Network>
fine_tuned<Network> fine_tune_disfer_protocol(const Network& model, const std::vector<fer2013_record>& records,
                                              distortion_kind kind, const disfer_protocol_options& options = {},
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
  const head_weights initial = detail::with_steps_named(fn, [&] { return read_head_weights(model); });
  const auto k = static_cast<std::size_t>(initial.bias.size());
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
    auto result = fine_tune_head(initial, train, val, options.training, schedule);
    return fine_tuned<Network>{
        std::string(detail::network_display_name(model)) + " FT-" + code + (soft_targets ? " (soft)" : ""),
        kind,
        with_head_weights(model, result.weights),
        result.weights,
        std::move(result),
        split};
  });
}

/// The three fine-tuned models of the paper (FT-GB, FT-GN, FT-SP, in that order) under one set
/// of options (the same seed, so the same training and validation images for each type).
template <class Network>
std::vector<fine_tuned<Network>> fine_tune_disfer_protocol(const Network& model,
                                                           const std::vector<fer2013_record>& records,
                                                           const disfer_protocol_options& options = {}) {
  std::vector<fine_tuned<Network>> out;
  for (auto kind : {distortion_kind::gaussian_blur, distortion_kind::gaussian_noise, distortion_kind::salt_and_pepper})
    out.push_back(fine_tune_disfer_protocol(model, records, kind, options));
  return out;
}

}  // namespace disfer
