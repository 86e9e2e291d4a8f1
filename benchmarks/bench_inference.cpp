// Throughput of both bundled networks: the FER-2013 Xception (FLOPs counted from the graph, 2 per
// multiply-add of the convolutions, 131.5 MFLOP per image) and face-api's FaceExpressionNet (103
// MFLOP per image): images per second and achieved GFLOP/s at batch 1 and 256, on one and two
// threads; plus a one-core FP32 FMA peak measured on this machine (on the best SIMD path the CPU
// has, chosen at run time), to express the achieved rate as a fraction of peak. Skips (with a
// message) when a model is unavailable. And one epoch of the DisFER fine-tuning protocol on cached
// head features (fine_tune.hpp).
#include <benchmark/benchmark.h>
#include <disfer/detail/simd_dispatch.hpp>
#include <disfer/inference.hpp>

#include <chrono>
#include <cstdint>
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
// (batch 1: 32 images), so that two threads have whole batches to share. `m` null: skipped with `missing`.
void run_network(benchmark::State& state, const disfer::classifier* m, double flops_per_image, const char* missing) {
  if (!m) {
    state.SkipWithError(missing);
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
  state.counters["GFLOP/cpu-s"] = benchmark::Counter(total * flops_per_image * 1e-9, benchmark::Counter::kIsRate);
  state.counters["img/wall-s"] = total / wall;
}

void BM_fer2013_xception(benchmark::State& state) {
  const auto* m = model();
  run_network(state, m, m ? m->graph().flops_per_item() : 0.0,
              "FER-2013 model unavailable (fetched at configure time with npm)");
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

const disfer::faceapi_expression* faceapi() {
  static std::unique_ptr<disfer::faceapi_expression> m = [] {
    try {
      return std::make_unique<disfer::faceapi_expression>(disfer::faceapi_expression::load());
    } catch (const disfer::error&) {
      return std::unique_ptr<disfer::faceapi_expression>();
    }
  }();
  return m.get();
}

// The second network (face-api's FaceExpressionNet, 103 MFLOP per image) on the same 48 x 48
// images, preprocessing (48 -> 112 resize) included, as face-api's own timing
// (benchmarks/faceapi_wasm_compare.mjs) includes it. Args as BM_fer2013_xception.
void BM_faceapi_expression(benchmark::State& state) {
  run_network(state, faceapi(), disfer::faceapi_expression::flops_per_image(),
              "face-api's FaceExpressionNet unavailable (fetched at configure time with npm)");
}
BENCHMARK(BM_faceapi_expression)
    ->ArgNames({"batch", "threads"})
    ->Args({1, 1})
    ->Args({256, 1})
    ->Args({256, 2})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->MinTime(2.0);

// One epoch of the DisFER fine-tuning protocol with cached features (no network): 27 balanced
// batches of 42 rows drawn from 756 training images x 4 versions (clean + 3 levels), Adam with L2
// weight decay, then the validation loss over 84 images x 4 versions; features are 3x3x256 = 2304
// values per row (the FER-2013 head), 7 classes. Each iteration is one fine_tune_head call with
// max_epochs = epochs (the input checks of the 3360 x 2304 features, once per call, included);
// the counter ms/epoch is CPU time per epoch. Args: threads, epochs.
void BM_fine_tune_protocol_epoch(benchmark::State& state) {
  const std::size_t d = 2304, k = 7, n = 756, nv = 84, versions = 4;
  disfer::random_cursor r(disfer::stream_key{1, 0, disfer::purpose::user});
  auto make = [&](std::size_t images, std::vector<int>& labels) {
    disfer::head_training_set s;
    s.features.resize(long(images * versions), long(d));
    for (long i = 0; i < s.features.size(); ++i) s.features.data()[i] = r.next_unit();
    for (std::size_t i = 0; i < images; ++i) labels.push_back(int(i % k));
    std::vector<int> all;
    for (std::size_t v = 0; v < versions; ++v) all.insert(all.end(), labels.begin(), labels.end());
    s.targets = disfer::one_hot(all, k);
    return s;
  };
  std::vector<int> train_labels, val_labels;
  const auto train = make(n, train_labels), val = make(nv, val_labels);
  disfer::head_weights w0;
  w0.kernel = decltype(w0.kernel)::Zero(long(d), long(k));
  w0.bias = Eigen::VectorXd::Zero(long(k));
  disfer::disfer_protocol_options po;
  po.training.max_epochs = static_cast<std::size_t>(state.range(1));
  po.training.patience = 1000;
  po.training.threads = static_cast<std::size_t>(state.range(0));
  const auto schedule = disfer::disfer_protocol_schedule(train_labels, k, versions - 1, po);
  for (auto _ : state) {
    auto res = disfer::fine_tune_head(w0, train, val, po.training, schedule);
    benchmark::DoNotOptimize(res.weights.kernel.data());
  }
  // 1134 rows x (forward + gradient) + 336 validation rows, 2 FLOPs per multiply-add.
  const double epochs = double(state.iterations() * state.range(1));
  state.counters["GFLOP/cpu-s"] =
      benchmark::Counter(epochs * (1134.0 * 2 + 336.0) * double(d * k) * 2 * 1e-9, benchmark::Counter::kIsRate);
  state.counters["ms/epoch"] =
      benchmark::Counter(epochs * 1e-3, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_fine_tune_protocol_epoch)
    ->ArgNames({"threads", "epochs"})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({1, 10})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

// One core's FP32 multiply-add peak on the SIMD path the dispatcher picks at run time
// (detail::simd_resolve(): the fastest the CPU has, or the one DISFER_SIMD forces), whatever the
// compile flags: independent accumulator vectors (12 where the ISA has 16 vector registers, 16 with
// AVX-512's 32, so that none spills), each updated with a*x + y. avx512: 16 lanes, one vfmadd231ps;
// avx2: 8 lanes, FMA3 (AVX2 CPUs have it); sse2: 4 lanes, mulps + addps (no FMA before AVX2);
// portable: GCC/Clang vector extensions of the widest type the compile flags allow (the generic
// build: SSE2, 4 lanes). The label names the path; counters give lanes and GFLOP/s (2 FLOPs per
// multiply-add).
constexpr long kPeakSteps = 1 << 16;

struct peak_shape {
  int lanes, accumulators;
};

// The timed loop of every path, written out in each (the intrinsics must be inlined into a function
// compiled for their ISA).
#define DISFER_BENCH_FMA_PEAK_LOOP(update)                        \
  for (auto _ : state) {                                          \
    for (long s = 0; s < kPeakSteps; ++s)                         \
      for (int k = 0; k < acc; ++k) a[k] = update;                \
    for (int k = 0; k < acc; ++k) benchmark::DoNotOptimize(a[k]); \
  }

peak_shape fma_peak_portable(benchmark::State& state) {
#if defined(__AVX512F__)
  constexpr int lanes = 16;
#elif defined(__AVX__)
  constexpr int lanes = 8;
#else
  constexpr int lanes = 4;
#endif
  constexpr int acc = lanes == 16 ? 16 : 12;
  typedef float vec __attribute__((vector_size(lanes * 4)));
  vec a[acc], x, y;
  for (int l = 0; l < lanes; ++l) x[l] = 0.999999f, y[l] = 1e-7f;
  for (int k = 0; k < acc; ++k)
    for (int l = 0; l < lanes; ++l) a[k][l] = static_cast<float>(k + l);
  DISFER_BENCH_FMA_PEAK_LOOP(a[k] * x + y)
  return {lanes, acc};
}

#if DISFER_SIMD_X86
peak_shape fma_peak_sse2(benchmark::State& state) {
  constexpr int acc = 12;
  __m128 a[acc];
  for (int k = 0; k < acc; ++k) a[k] = _mm_set1_ps(static_cast<float>(k));
  const __m128 x = _mm_set1_ps(0.999999f), y = _mm_set1_ps(1e-7f);
  DISFER_BENCH_FMA_PEAK_LOOP(_mm_add_ps(_mm_mul_ps(a[k], x), y))
  return {4, acc};
}

__attribute__((target("avx2,fma"))) peak_shape fma_peak_avx2(benchmark::State& state) {
  constexpr int acc = 12;
  __m256 a[acc];
  for (int k = 0; k < acc; ++k) a[k] = _mm256_set1_ps(static_cast<float>(k));
  const __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
  DISFER_BENCH_FMA_PEAK_LOOP(_mm256_fmadd_ps(a[k], x, y))
  return {8, acc};
}

__attribute__((target("avx512f"))) peak_shape fma_peak_avx512(benchmark::State& state) {
  constexpr int acc = 16;
  __m512 a[acc];
  for (int k = 0; k < acc; ++k) a[k] = _mm512_set1_ps(static_cast<float>(k));
  const __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
  DISFER_BENCH_FMA_PEAK_LOOP(_mm512_fmadd_ps(a[k], x, y))
  return {16, acc};
}
#endif
#undef DISFER_BENCH_FMA_PEAK_LOOP

void BM_fp32_fma_peak(benchmark::State& state) {
  using disfer::detail::simd_path;
  const simd_path path = disfer::detail::simd_resolve();
  peak_shape shape{0, 0};
  switch (path) {
#if DISFER_SIMD_X86
    case simd_path::avx512:
      shape = fma_peak_avx512(state);
      break;
    case simd_path::avx2:
      shape = fma_peak_avx2(state);
      break;
    case simd_path::sse2:
      shape = fma_peak_sse2(state);
      break;
#endif
    default:
      shape = fma_peak_portable(state);
      break;
  }
  state.SetLabel(disfer::detail::simd_path_label(path));
  state.counters["GFLOP/cpu-s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kPeakSteps * shape.accumulators * shape.lanes * 2 * 1e-9,
      benchmark::Counter::kIsRate);
  state.counters["lanes"] = shape.lanes;
}
BENCHMARK(BM_fp32_fma_peak)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
