#pragma once
/// \file
/// Training a linear classifier head on frozen features: multinomial logistic regression
/// (softmax cross-entropy against hard labels or probability vectors) with SGD-momentum or Adam,
/// L2 weight decay (towards zero or the pre-trained head), early stopping on a validation set.
/// The features come from a network's frozen layers (graph_head.hpp for the FER-2013 Xception,
/// faceapi_head.hpp for face-api); fine_tune.hpp gathers the family.
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

#include "disfer/core/error.hpp"
#include "disfer/core/predictions.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/parallel_for.hpp"

namespace disfer {

/// Frozen head features: one row per image (row-major, n x d).
using feature_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The head's trainable parameters: kernel (d x k; for a convolution head, graph_head.hpp, row
/// (dy*kw + dx)*C + c is the filter tap [dy, dx, c], the TF filter's row-major layout) and bias (k).
struct head_weights {
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> kernel;
  Eigen::VectorXd bias;
};

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

}  // namespace disfer
