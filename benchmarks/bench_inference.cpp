// FER-2013 network throughput: images per second and achieved GFLOP/s (FLOPs counted from the
// graph: 2 per multiply-add of the convolutions, 131.5 MFLOP per image) at batch 1 and 256, on
// one and two threads; plus a one-core FP32 FMA peak measured on this machine, to express the
// achieved rate as a fraction of peak. Skips (with a message) when the model is unavailable.
// And one epoch of the DisFER fine-tuning protocol on cached head features (fine_tune.hpp).
#include <benchmark/benchmark.h>
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
