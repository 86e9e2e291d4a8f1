// Benchmarks of the metrics, hypothesis and compare modules (figures in docs/metrics.md and
// docs/hypothesis.md). Run: cmake --preset bench && cmake --build --preset bench --target bench_metrics
//                           && build/bench/benchmarks/bench_metrics
#include <benchmark/benchmark.h>

#include <disfer/compare.hpp>
#include <disfer/core/random.hpp>
#include <disfer/hypothesis.hpp>
#include <disfer/metrics.hpp>

#include <cstdint>
#include <vector>

namespace {

constexpr std::size_t k = 7;

// 10^8 (truth, prediction) pairs as bytes (200 MB), 60% correct; built once.
const std::vector<std::uint8_t>& labels(bool truth) {
  static std::vector<std::uint8_t> t, p;
  if (t.empty()) {
    constexpr std::size_t n = 100'000'000;
    t.resize(n);
    p.resize(n);
    disfer::random_cursor cur(disfer::stream_key{1, 0, disfer::purpose::user});
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t w = cur.next_u32();
      t[i] = static_cast<std::uint8_t>((w & 0xffff) % k);
      p[i] = (w >> 16) % 10 < 6 ? t[i] : static_cast<std::uint8_t>((w >> 20) % k);
    }
  }
  return truth ? t : p;
}

void BM_confusion_matrix_1e8(benchmark::State& state) {
  const auto& t = labels(true);
  const auto& p = labels(false);
  for (auto _ : state) {
    auto cm = disfer::confusion_matrix(t, p, k);
    benchmark::DoNotOptimize(cm.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.size() * 2));
}
BENCHMARK(BM_confusion_matrix_1e8)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reference: the same count with no validation at all (the floor a checked loop can reach).
void BM_unchecked_count_1e8(benchmark::State& state) {
  const auto& t = labels(true);
  const auto& p = labels(false);
  for (auto _ : state) {
    std::int64_t counts[k * k] = {};
    for (std::size_t i = 0; i < t.size(); ++i) ++counts[t[i] * k + p[i]];
    benchmark::DoNotOptimize(counts);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.size()));
}
BENCHMARK(BM_unchecked_count_1e8)->Unit(benchmark::kMillisecond)->UseRealTime();

// 10^6 (b, c) pairs: n = b + c uniform on [1, 10^6]; b either uniform on [0, n] (state.range(0) = 0:
// mostly far tails, p below 1e-300, log-space path) or n/2 + sqrt(n) * u, |u| <= 3 (range 1: the
// incomplete-beta path).
std::vector<std::pair<std::int64_t, std::int64_t>> discordant_pairs(bool near_centre) {
  std::vector<std::pair<std::int64_t, std::int64_t>> v(1'000'000);
  disfer::random_cursor cur(disfer::stream_key{2, near_centre ? 1u : 0u, disfer::purpose::user});
  for (auto& bc : v) {
    const auto n = static_cast<std::int64_t>(cur.next_below(1'000'000)) + 1;
    std::int64_t b = 0;
    if (near_centre) {
      const double u = 6 * cur.next_unit() - 3;
      b = std::max<std::int64_t>(
          0, std::min<std::int64_t>(n, n / 2 + static_cast<std::int64_t>(u * std::sqrt(double(n)) / 2)));
    } else {
      b = static_cast<std::int64_t>(cur.next_below(static_cast<std::uint64_t>(n) + 1));
    }
    bc = {b, n - b};
  }
  return v;
}

// state.range(0): 0 = uniform b (far tails), 1 = near the centre; state.range(1): the method.
void BM_mcnemar_1e6(benchmark::State& state) {
  const auto pairs = discordant_pairs(state.range(0) == 1);
  const auto method = static_cast<disfer::mcnemar_method>(state.range(1));
  for (auto _ : state) {
    double sum = 0;
    for (const auto& [b, c] : pairs) sum += disfer::mcnemar(b, c, method).log10_p_value;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pairs.size()));
}
BENCHMARK(BM_mcnemar_1e6)
    ->ArgNames({"centre", "method"})
    ->ArgsProduct({{0, 1},
                   {static_cast<int>(disfer::mcnemar_method::exact), static_cast<int>(disfer::mcnemar_method::mid_p),
                    static_cast<int>(disfer::mcnemar_method::chi_square)}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The DisFER-sized per-condition analysis: 840 stimuli (84 sources x 10 conditions), 5 prediction
// sets, 2000 bootstrap replicates, on state.range(0) threads.
void BM_per_condition_disfer(benchmark::State& state) {
  disfer::per_condition_input in;
  in.k = k;
  disfer::random_cursor cur(disfer::stream_key{3, 0, disfer::purpose::user});
  for (int c = 0; c < 10; ++c)
    for (int s = 0; s < 84; ++s) {
      in.condition.push_back("c" + std::to_string(c));
      in.distortion_type.push_back(c == 0 ? "original" : "t" + std::to_string((c - 1) / 3));
      in.source.push_back("s" + std::to_string(s));
      in.truth.push_back(s % 7);
    }
  const char* names[] = {"humans", "RMN", "DeepFace", "RMN FT", "DeepFace FT"};
  const double acc[] = {0.63, 0.26, 0.33, 0.52, 0.52};
  for (int j = 0; j < 5; ++j) {
    disfer::prediction_set ps{names[j], {}};
    for (const auto t : in.truth)
      ps.labels.push_back(cur.next_unit() < acc[j] ? t : static_cast<std::int64_t>(cur.next_below(k)));
    in.predictions.push_back(ps);
  }
  disfer::per_condition_options o;
  o.reference = "humans";
  o.bootstrap_replicates = 2000;
  o.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto r = disfer::analyze_per_condition(in, o);
    benchmark::DoNotOptimize(r.subsets.data());
  }
}
BENCHMARK(BM_per_condition_disfer)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
