#pragma once
// What the network bindings (inference.cpp, fine_tune.cpp) share: a Python batch of gray images as
// the networks' input, and a long C++ call that Ctrl-C can cancel.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "common.hpp"
#include "disfer/inference/classifier.hpp"

namespace disfer_py {

/// The batch as the networks' gray images: an N x H x W array (uint8, uint16, float32, float64;
/// 0-255 scale) or a sequence of H x W arrays of any sizes.
inline std::vector<disfer::gray_image> gray_batch(const char* fn, const py::object& images) {
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

/// predict() of `model` on a Python batch, cancellable by Ctrl-C.
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

}  // namespace disfer_py
