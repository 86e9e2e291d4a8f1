// inference: the bundled networks (the FER-2013 Xception of @vladmandic/human and face-api's
// FaceExpressionNet) on numpy batches, with the GIL released and Ctrl-C cancelling a long run.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "common.hpp"
#include "disfer/inference/classifier.hpp"
#include "disfer/inference/faceapi_expression.hpp"
#include "disfer/inference/fer2013_xception.hpp"

namespace disfer_py {

namespace {

/// The batch as the networks' gray images: an N x H x W array (uint8, uint16, float32, float64;
/// 0-255 scale) or a sequence of H x W arrays of any sizes.
std::vector<disfer::gray_image> gray_batch(const char* fn, const py::object& images) {
  std::vector<disfer::gray_image> out;
  auto one = [&](const py::array& a, std::size_t index) {
    if (a.ndim() != 2)
      fail(fn, "image " + std::to_string(index) + " must be H x W, got " + std::to_string(a.ndim()) + "-D");
    const char kind = a.dtype().kind();
    if (kind != 'u' && kind != 'i' && kind != 'f')
      fail(fn,
           "image " + std::to_string(index) + " has dtype " + std::string(py::str(a.dtype())) + "; expected numbers");
    out.push_back(to_xtensor<float, 2>(a));
  };
  if (py::isinstance<py::array>(images)) {
    py::array a = py::array::ensure(images);
    if (a.ndim() == 2) {
      one(a, 0);
      return out;
    }
    if (a.ndim() != 3)
      fail(fn, "images must be N x H x W (or a list of H x W arrays), got " + std::to_string(a.ndim()) + "-D");
    const char kind = a.dtype().kind();
    if (kind != 'u' && kind != 'i' && kind != 'f')
      fail(fn, "images have dtype " + std::string(py::str(a.dtype())) + "; expected numbers");
    auto c = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(a);
    const auto n = static_cast<std::size_t>(c.shape(0)), h = static_cast<std::size_t>(c.shape(1)),
               w = static_cast<std::size_t>(c.shape(2));
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto img = disfer::gray_image::from_shape({h, w});
      std::copy(c.data() + i * h * w, c.data() + (i + 1) * h * w, img.data());
      out.push_back(std::move(img));
    }
    return out;
  }
  std::size_t i = 0;
  for (const auto& item : images) {
    py::array a = py::array::ensure(item);
    if (!a) fail(fn, "image " + std::to_string(i) + " is not an array");
    one(a, i++);
  }
  return out;
}

/// Runs `work(cancel)` on a thread of its own while this thread, without the GIL, checks for
/// Ctrl-C every 50 ms (Python runs signal handlers in the main thread only, and only while it holds
/// the GIL): on KeyboardInterrupt, sets `cancel`, waits for the work to stop and re-raises.
template <class Result, class Work>
Result cancellable(Work&& work) {
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  Result result;
  std::exception_ptr failure;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result = work(cancel);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      done = true;
      finished.notify_one();
    });
    bool interrupted = false;
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      if (finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) break;
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          interrupted = true;
          cancel = true;
          PyErr_Clear();
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
    if (interrupted) {
      py::gil_scoped_acquire gil;
      PyErr_SetNone(PyExc_KeyboardInterrupt);
      throw py::error_already_set();
    }
  }
  if (failure) std::rethrow_exception(failure);
  return result;
}

template <class Network>
disfer::predictions predict_with(const Network& model, const char* fn, const py::object& images, std::size_t threads,
                                 std::size_t batch_size) {
  auto batch = gray_batch(fn, images);
  return cancellable<disfer::predictions>([&](const std::atomic<bool>& cancel) {
    disfer::predict_options o;
    o.threads = threads;
    o.batch_size = batch_size;
    o.cancel = &cancel;
    return disfer::predict(model, batch, o);
  });
}

template <class Network>
void bind_network(py::module_& m, const char* name, const char* doc, const char* fn) {
  py::class_<Network>(m, name, doc)
      .def(py::init([](const std::string& path) {
             std::string where = path;
             if (where.empty()) {
               // The package's own models folder first (a wheel or an installed module), then the
               // library's search (DISFER_MODEL_DIR, the build tree's folder).
               const py::object dir = py::module_::import("disfer").attr("MODEL_DIR");
               if (!dir.is_none() && !std::getenv("DISFER_MODEL_DIR")) where = dir.cast<std::string>();
             }
             py::gil_scoped_release release;
             return Network::load(where);
           }),
           py::arg("path") = "",
           "Loads the network's weights from `path` (a folder or the model file), else from DISFER_MODEL_DIR, the\n"
           "package's models folder or the build tree's; disfer.Error listing every path tried when absent.")
      .def_property_readonly("class_names", &Network::class_names, "FER-2013's names in FER-2013 order.")
      .def_property_readonly_static("npm_package", [](const py::object&) { return std::string(Network::npm_package); })
      .def_property_readonly_static("input_size", [](const py::object&) { return Network::input_size; })
      .def(
          "predict",
          [fn](const Network& self, const py::object& images, std::size_t threads, std::size_t batch_size) {
            return predict_with(self, fn, images, threads, batch_size);
          },
          py::arg("images"), py::arg("threads") = 1, py::arg("batch_size") = 32,
          "Class probabilities of each image: `images` is N x H x W (or a list of H x W arrays) on the 0-255 scale,\n"
          "of any size (resized as the network's own preprocessing does). The GIL is released; Ctrl-C stops\n"
          "the run after the batches in progress (KeyboardInterrupt). Bit-identical for any `threads` (0 = all "
          "cores).");
}

}  // namespace

void init_inference(py::module_& m) {
  result_class<disfer::predictions>(m, "Predictions", "A network's output on a batch.")
      .field("class_names", &disfer::predictions::class_names, "the probability columns' classes")
      .field("stimuli", &disfer::predictions::stimuli, "row identifiers (empty from predict)")
      .field("probabilities", &disfer::predictions::probabilities, "N x k probabilities")
      .computed(
          "labels",
          [](const disfer::predictions& p) {
            py::array_t<std::int64_t> a(static_cast<py::ssize_t>(p.labels.size()));
            for (std::size_t i = 0; i < p.labels.size(); ++i) a.mutable_data()[i] = p.labels[i];
            return a;
          },
          "the most probable class per row (lowest index on ties; -1 when a row is all NaN)")
      .done();
  bind_network<disfer::fer2013_xception>(
      m, "Fer2013Xception",
      "The FER-2013 mini-Xception of @vladmandic/human 3.3.6 (Arriaga et al. 2017, face_classification), run by\n"
      "disfer's own TF.js graph runner: 64 x 64 gray input, 7 classes in FER-2013 order; matches TF.js to 1e-5.",
      "Fer2013Xception.predict");
  bind_network<disfer::faceapi_expression>(
      m, "FaceapiExpression",
      "face-api's FaceExpressionNet (@vladmandic/face-api 1.7.15): 112 x 112 input from the gray image,\n"
      "7 classes mapped to FER-2013 order; matches face-api on TF.js to 1e-5.",
      "FaceapiExpression.predict");
}

}  // namespace disfer_py
