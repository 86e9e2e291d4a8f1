#pragma once
/// \file
/// The classifier interface (a gray image in, k probabilities out, the class order stated) and
/// predict(), which runs a classifier over a batch of images on several threads.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include "disfer/core/error.hpp"
#include "disfer/core/predictions.hpp"
#include "disfer/detail/parallel_for.hpp"

namespace disfer {

/// A gray image, height x width, intensities on the 0-255 scale (any image type converts to it
/// through predict()'s template overload).
using gray_image = xt::xtensor<float, 2>;

/// Any image classifier: maps a gray image to k class probabilities, in the order of
/// class_names(). Implementations must allow concurrent calls to classify() (it is const).
class classifier {
 public:
  virtual ~classifier() = default;
  /// Names of the k classes, in the order of the probabilities.
  virtual std::vector<std::string> class_names() const = 0;
  /// Probabilities of images[0 .. count): row i of the row-major count x k array `out` is image
  /// i's. Throws (any exception) for an image it cannot classify.
  virtual void classify(const gray_image* images, std::size_t count, double* out) const = 0;
};

/// Thrown by predict() when a run is cancelled (not a disfer::error: nothing was wrong with the input).
class cancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Options of predict().
struct predict_options {
  /// Worker threads; 0 means std::thread::hardware_concurrency().
  std::size_t threads = 1;
  /// Images per classify() call. Results depend on the batch composition at most through float
  /// rounding, and never on the number of threads: batches are fixed before threads take them.
  std::size_t batch_size = 32;
  /// Called after each batch with (images done, total), from the worker threads but never
  /// concurrently, with strictly increasing counts. Returning false cancels the run.
  std::function<bool(std::size_t done, std::size_t total)> progress;
  /// When set and it becomes true, the run stops after the batches in progress and throws
  /// disfer::cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

/// Runs `model` on every image: returns the n x k probabilities and the argmax labels.
///
/// Images are cut into fixed batches of options.batch_size, which options.threads workers take in
/// order; the output is bit-identical for any number of threads. When classify() throws for a
/// batch, its images are retried one by one to find the culprit, and the lowest failing image k
/// is reported as `disfer::error("predict: image k: <reason>")`; batches after it are not started.
/// Throws disfer::cancelled when options.cancel becomes true or options.progress returns false;
/// disfer::error when the classifier has no classes or returns rows that are not k probabilities.
/// Complexity: n classifier calls' worth of work over `threads` threads.
inline predictions predict(const classifier& model, const std::vector<gray_image>& images,
                           const predict_options& options = {}) {
  const char* fn = "predict";
  predictions p;
  p.class_names = model.class_names();
  const std::size_t k = p.class_names.size(), n = images.size();
  if (k == 0) detail::fail(fn, "the classifier has no classes");
  for (std::size_t i = 0; i < n; ++i)  // an empty image never reaches the classifier (which checks the pixels)
    if (images[i].size() == 0)
      detail::fail(fn, "image ", i, " is empty (", images[i].shape()[0], " x ", images[i].shape()[1], ")");
  const std::size_t batch = std::max<std::size_t>(options.batch_size, 1);
  const std::size_t batches = (n + batch - 1) / batch;
  std::vector<double> out(n * k, 0.0);  // row-major

  std::mutex mutex;  // guards done, cancel_requested and the progress calls
  std::size_t done = 0;
  bool cancel_requested = false;
  // One batch per chunk, taken in order. A failure throws from its batch; parallel_for starts no
  // batch after it and rethrows the lowest failing batch's error, so the image named is the lowest.
  detail::parallel_for(
      batches, options.threads,
      [&](std::size_t b) {
        if (options.cancel && options.cancel->load()) return false;
        const std::size_t first = b * batch, count = std::min(batch, n - first);
        try {
          model.classify(images.data() + first, count, out.data() + first * k);
        } catch (const std::exception&) {
          for (std::size_t i = first; i < first + count; ++i) {
            try {
              model.classify(images.data() + i, 1, out.data() + i * k);
            } catch (const std::exception& e) {
              detail::fail(fn, "image ", i, ": ", e.what());
            }
          }
          detail::fail(fn, "image ", first, ": the batch of images ", first, "-", first + count - 1,
                       " failed, but each image alone succeeded");
        }
        std::lock_guard<std::mutex> lock(mutex);
        done += count;
        if (options.progress && !cancel_requested && !options.progress(done, n)) cancel_requested = true;
        return !cancel_requested;
      },
      1);
  if (cancel_requested || (options.cancel && options.cancel->load() && done < n))
    throw cancelled("predict: cancelled after " + std::to_string(done) + " of " + std::to_string(n) + " images");

  p.probabilities.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  p.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      const double v = out[i * k + j];
      if (!(v >= 0.0 && v <= 1.0) && !std::isnan(v))
        detail::fail(fn, "image ", i, ": the classifier returned ", v, " for class '", p.class_names[j],
                     "', which is not a probability");
      p.probabilities(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
    }
    p.labels[i] = detail::argmax_row(out.data() + i * k, k);
  }
  return p;
}

/// predict() for images of another pixel type (uint8_t, uint16_t, double, ...): converts each to
/// float on the 0-255 scale as is (no rescaling) and runs the float overload.
template <class T>
predictions predict(const classifier& model, const std::vector<xt::xtensor<T, 2>>& images,
                    const predict_options& options = {}) {
  std::vector<gray_image> converted;
  converted.reserve(images.size());
  for (const auto& img : images) converted.emplace_back(xt::cast<float>(img));
  return predict(model, converted, options);
}

}  // namespace disfer
