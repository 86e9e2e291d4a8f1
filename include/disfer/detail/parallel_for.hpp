#pragma once
/// \file
/// The one thread loop of disfer: `parallel_for` runs a body over [0, n) on a few workers that take
/// ascending chunks from a shared counter. Callers write results only to slots owned by the index,
/// so every output is the same for any thread count; only the order in which items run differs.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace disfer {
namespace detail {

/// Workers for `threads` requested (0 = one per hardware thread) over `n` items: at least 1, at most n.
inline std::size_t worker_count(std::size_t threads, std::size_t n) noexcept {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(threads, n));
}

/// Runs `body` over [0, n) on worker_count(threads, n) workers (the calling thread alone when that is
/// 1). The body is one of
///   void(std::size_t i)                          one index;
///   bool(std::size_t i)                          one index; false stops the loop (no index after
///                                                it in the same chunk, no new chunk);
///   void(std::size_t begin, std::size_t end)     a whole chunk [begin, end).
/// Chunks of `chunk` indices (0: about eight per worker) are handed out in ascending order. When a
/// body throws, no chunk after the failing index is started, every index before it still runs, and
/// the exception of the lowest failing index (the chunk's start for the range form) is rethrown, so
/// the error does not depend on the thread count or on timing.
template <class Body>
void parallel_for(std::size_t n, std::size_t threads, Body&& body, std::size_t chunk = 0) {
  if (n == 0) return;
  constexpr bool range = std::is_invocable_v<Body&, std::size_t, std::size_t>;
  const std::size_t workers = worker_count(threads, n);
  if (chunk == 0) chunk = std::max<std::size_t>(1, n / (8 * workers));
  chunk = std::min(chunk, n);

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> lowest_failure{n};  // only decreases; guarded writes under `mutex`
  std::atomic<bool> stopped{false};
  std::mutex mutex;
  std::exception_ptr error;

  auto fail_at = [&](std::size_t index) {
    std::lock_guard<std::mutex> lock(mutex);
    if (index < lowest_failure.load()) {
      lowest_failure = index;
      error = std::current_exception();
    }
  };
  // One worker: takes chunks until they run out, the body asks to stop, or a chunk would start
  // after a failure. fetch_add overshoots n by at most one chunk per worker, far from overflow.
  auto worker = [&] {
    for (;;) {
      if (stopped.load(std::memory_order_relaxed)) return;
      const std::size_t begin = next.fetch_add(chunk);
      if (begin >= n || begin > lowest_failure.load()) return;
      const std::size_t end = std::min(n, begin + chunk);
      if constexpr (range) {
        try {
          body(begin, end);
        } catch (...) {
          fail_at(begin);
          return;
        }
      } else {
        std::size_t i = begin;
        try {
          for (; i < end; ++i) {
            if constexpr (std::is_same_v<std::invoke_result_t<Body&, std::size_t>, bool>) {
              if (stopped.load(std::memory_order_relaxed)) return;
              if (!body(i)) {
                stopped = true;
                return;
              }
            } else {
              body(i);
            }
          }
        } catch (...) {
          fail_at(i);
          return;
        }
      }
    }
  };
  if (workers == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t) {
      try {
        pool.emplace_back(worker);
      } catch (const std::system_error&) {  // no more threads: the ones started finish the work
        break;
      }
    }
    worker();  // the calling thread is a worker too
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace detail
}  // namespace disfer
