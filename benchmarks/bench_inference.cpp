// FER-2013 network throughput: images per second and achieved GFLOP/s (FLOPs counted from the
// graph: 2 per multiply-add of the convolutions, 131.5 MFLOP per image) at batch 1 and 256, on
// one and two threads; plus a one-core FP32 FMA peak measured on this machine, to express the
// achieved rate as a fraction of peak. Skips (with a message) when the model is unavailable.
#include <benchmark/benchmark.h>
#include <disfer/inference.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace {

const disfer::fer2013_xception* model() {
  static std::unique_ptr<disfer::fer2013_xception> m = [] {
    try {
      return std::make_unique<disfer::fer2013_xception>(disfer::fer2013_xception::load());
    } catch (const disfer::error&) {
      return std::unique_ptr<disfer::fer2013_xception>();
    }
  }();
  return m.get();
}

std::vector<disfer::gray_image> images(std::size_t n) {
  std::vector<disfer::gray_image> v;
  for (std::size_t i = 0; i < n; ++i) {
    disfer::gray_image img({48, 48});
    for (std::size_t p = 0; p < img.size(); ++p) img.data()[p] = static_cast<float>((p * 131 + i * 17) % 256);
    v.push_back(std::move(img));
  }
  return v;
}

// Args: batch size (images per classify call), threads. Each iteration classifies 512 images
// (batch 1: 32 images), so that two threads have whole batches to share.
void BM_fer2013_xception(benchmark::State& state) {
  const auto* m = model();
  if (!m) {
    state.SkipWithError("FER-2013 model unavailable (fetched at configure time with npm)");
    return;
  }
  const auto batch = static_cast<std::size_t>(state.range(0));
  const auto threads = static_cast<std::size_t>(state.range(1));
  const std::size_t n = batch == 1 ? 32 : 2 * batch;
  const auto imgs = images(n);
  disfer::predict_options o;
  o.batch_size = batch;
  o.threads = threads;
  double wall = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto p = disfer::predict(*m, imgs, o);
    benchmark::DoNotOptimize(p.probabilities.data());
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const double total = static_cast<double>(state.iterations() * n);
  // Rates per second of process CPU time (all threads): per-core efficiency, robust on a shared
  // machine; and images per second of wall-clock time (what a user waits).
  state.counters["img/cpu-s"] = benchmark::Counter(total, benchmark::Counter::kIsRate);
  state.counters["GFLOP/cpu-s"] =
      benchmark::Counter(total * m->graph().flops_per_item() * 1e-9, benchmark::Counter::kIsRate);
  state.counters["img/wall-s"] = total / wall;
}
BENCHMARK(BM_fer2013_xception)
    ->ArgNames({"batch", "threads"})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Args({256, 1})
    ->Args({256, 2})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->MinTime(2.0);

// One core's FP32 multiply-add peak as compiled here: 16 independent accumulator vectors of the
// widest vector type the flags allow, each updated with a*x + b (one FMA where the ISA has it).
void BM_fp32_fma_peak(benchmark::State& state) {
#if defined(__AVX512F__)
  constexpr int lanes = 16;
#elif defined(__AVX__)
  constexpr int lanes = 8;
#else
  constexpr int lanes = 4;
#endif
  typedef float vec __attribute__((vector_size(lanes * 4)));
  constexpr int acc = 16;
  vec a[acc], x, y;
  for (int l = 0; l < lanes; ++l) x[l] = 0.999999f, y[l] = 1e-7f;
  for (int k = 0; k < acc; ++k)
    for (int l = 0; l < lanes; ++l) a[k][l] = static_cast<float>(k + l);
  constexpr long steps = 1 << 16;
  for (auto _ : state) {
    for (long s = 0; s < steps; ++s)
      for (int k = 0; k < acc; ++k) a[k] = a[k] * x + y;
    for (int k = 0; k < acc; ++k) benchmark::DoNotOptimize(a[k]);
  }
  state.counters["GFLOP/cpu-s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * steps * acc * lanes * 2 * 1e-9, benchmark::Counter::kIsRate);
  state.counters["lanes"] = lanes;
}
BENCHMARK(BM_fp32_fma_peak)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
