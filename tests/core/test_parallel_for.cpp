#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <disfer/detail/parallel_for.hpp>

using disfer::detail::parallel_for;
using disfer::detail::worker_count;

TEST_CASE("worker_count clamps to the items and reads 0 as the hardware", "[core][parallel_for]") {
  CHECK(worker_count(4, 10) == 4);
  CHECK(worker_count(4, 3) == 3);
  CHECK(worker_count(4, 0) == 1);
  CHECK(worker_count(1, 100) == 1);
  const std::size_t hw = std::max(1u, std::thread::hardware_concurrency());
  CHECK(worker_count(0, 1000) == std::min<std::size_t>(hw, 1000));
}

TEST_CASE("parallel_for visits every index exactly once on any thread count and chunk", "[core][parallel_for]") {
  for (const std::size_t n : {0, 1, 7, 1000}) {
    for (const std::size_t threads : {1, 2, 3, 8}) {
      for (const std::size_t chunk : {0, 1, 5, 5000}) {
        std::vector<std::atomic<int>> hits(n);
        parallel_for(
            n, threads, [&](std::size_t i) { ++hits[i]; }, chunk);
        for (std::size_t i = 0; i < n; ++i) CHECK(hits[i].load() == 1);
      }
    }
  }
}

TEST_CASE("the range form covers 0 to n with disjoint chunks of the asked size", "[core][parallel_for]") {
  const std::size_t n = 103;
  std::vector<std::atomic<int>> hits(n);
  std::atomic<std::size_t> calls{0};
  parallel_for(
      n, 3,
      [&](std::size_t begin, std::size_t end) {
        CHECK(begin < end);
        CHECK(end - begin <= 10);
        CHECK((begin % 10 == 0));
        for (std::size_t i = begin; i < end; ++i) ++hits[i];
        ++calls;
      },
      10);
  for (std::size_t i = 0; i < n; ++i) CHECK(hits[i].load() == 1);
  CHECK(calls.load() == 11);  // ceil(103 / 10)
}

TEST_CASE("the lowest failing index's exception is rethrown and every index before it runs", "[core][parallel_for]") {
  // Items 40 and 700 fail; whatever the threads and timing, the error is item 40's and items 0-39 ran.
  for (const std::size_t threads : {1, 2, 4}) {
    for (const std::size_t chunk : {1, 16}) {
      std::vector<std::atomic<int>> hits(1000);
      try {
        parallel_for(
            1000, threads,
            [&](std::size_t i) {
              if (i == 700 || i == 40) throw std::runtime_error("item " + std::to_string(i));
              ++hits[i];
            },
            chunk);
        FAIL("no throw");
      } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "item 40");
      }
      for (std::size_t i = 0; i < 40; ++i) CHECK(hits[i].load() == 1);
      CHECK(hits[40].load() == 0);
    }
  }
}

TEST_CASE("no chunk after a failure is started", "[core][parallel_for]") {
  // One worker, chunks of one: after item 5 fails nothing later may run.
  std::vector<int> hits(50, 0);
  CHECK_THROWS_AS(parallel_for(
                      50, 1,
                      [&](std::size_t i) {
                        if (i == 5) throw std::logic_error("five");
                        ++hits[i];
                      },
                      1),
                  std::logic_error);
  for (std::size_t i = 6; i < 50; ++i) CHECK(hits[i] == 0);
  // Several workers, every index from 100 on failing: each worker stops at its first failure, so
  // at most one call per worker runs past index 99, and the error is item 100's.
  std::atomic<std::size_t> calls{0};
  try {
    parallel_for(
        10000, 2,
        [&](std::size_t i) {
          ++calls;
          if (i >= 100) throw std::logic_error(std::to_string(i));
        },
        1);
    FAIL("no throw");
  } catch (const std::logic_error& e) {
    CHECK(std::string(e.what()) == "100");
  }
  CHECK(calls.load() >= 101);
  CHECK(calls.load() <= 102);
}

TEST_CASE("a bool body that returns false stops the loop", "[core][parallel_for]") {
  for (const std::size_t threads : {1, 2}) {
    std::atomic<std::size_t> ran{0};
    parallel_for(
        100000, threads,
        [&](std::size_t i) {
          ++ran;
          return i < 10;
        },
        1);
    // Every index from 10 on returns false, so each worker stops at its first such index.
    CHECK(ran.load() >= 11);
    CHECK(ran.load() <= 10 + threads);
  }
}

TEST_CASE("results written per index are the same on every thread count", "[core][parallel_for]") {
  auto run = [](std::size_t threads) {
    std::vector<double> out(5000);
    parallel_for(out.size(), threads, [&](std::size_t i) { out[i] = 1.0 / static_cast<double>(i + 1); });
    return out;
  };
  const auto one = run(1);
  CHECK(run(2) == one);
  CHECK(run(7) == one);
}
