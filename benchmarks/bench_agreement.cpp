// Agreement benchmarks (Google Benchmark).
//  - fleiss_kappa on 10^7 items x 7 categories (point estimate and null SE; P_i not stored; one
//    thread) against a plain summing loop over the same table in the same binary;
//  - vote_counts on 10^8 votes (10^7 items, 10 votes each, 7 categories).
// The table is the deterministic one of bench_agreement_statsmodels.py (splitmix64 of the row
// index), so the script times statsmodels' fleiss_kappa on identical data; the kappa counter here
// must equal the kappa it prints.
#include <benchmark/benchmark.h>

#include <cstdint>

#include <disfer/agreement/fleiss_kappa.hpp>
#include <disfer/crowd/votes.hpp>

namespace {

constexpr Eigen::Index kItems = 10'000'000, kCategories = 7, kRaters = 51;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Row i: a favourite category f = h % 7 with 20 + (h >> 8) % 20 ratings; the other 51 - c_f ratings
// spread evenly over the other six categories in index order, the remainder to the first ones.
const disfer::count_matrix& table() {
  static const disfer::count_matrix t = [] {
    disfer::count_matrix m(kItems, kCategories);
    for (Eigen::Index i = 0; i < kItems; ++i) {
      const std::uint64_t h = splitmix64(static_cast<std::uint64_t>(i));
      const auto f = static_cast<Eigen::Index>(h % kCategories);
      const auto top = static_cast<std::int64_t>(20 + (h >> 8) % 20);
      const std::int64_t rest = kRaters - top, base = rest / 6, extra = rest % 6;
      std::int64_t o = 0;
      for (Eigen::Index j = 0; j < kCategories; ++j) {
        if (j == f) {
          m(i, j) = top;
          continue;
        }
        m(i, j) = base + (o < extra ? 1 : 0);
        ++o;
      }
    }
    return m;
  }();
  return t;
}

void fleiss_kappa_10M(benchmark::State& state) {
  const auto& t = table();
  disfer::fleiss_options o;
  o.nonnull_se = false;  // point estimate and null SE only (one pass)
  double kappa = 0;
  for (auto _ : state) {
    const auto r = disfer::fleiss_kappa(t, o);
    kappa = r.kappa;
    benchmark::DoNotOptimize(r.se0);
  }
  state.counters["kappa"] = kappa;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * kItems * kCategories * 8);
}
BENCHMARK(fleiss_kappa_10M)->Unit(benchmark::kMillisecond)->UseRealTime();

void fleiss_kappa_10M_with_nonnull_se(benchmark::State& state) {
  const auto& t = table();
  for (auto _ : state) benchmark::DoNotOptimize(disfer::fleiss_kappa(t).se);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * kItems * kCategories * 8);
}
BENCHMARK(fleiss_kappa_10M_with_nonnull_se)->Unit(benchmark::kMillisecond)->UseRealTime();

// The floor: one plain pass summing every cell of the same table.
void plain_sum_10M(benchmark::State& state) {
  const auto& t = table();
  for (auto _ : state) {
    std::int64_t s = 0;
    const std::int64_t* p = t.data();
    const std::size_t n = static_cast<std::size_t>(t.size());
    for (std::size_t i = 0; i < n; ++i) s += p[i];
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * kItems * kCategories * 8);
}
BENCHMARK(plain_sum_10M)->Unit(benchmark::kMillisecond)->UseRealTime();

void vote_counts_100M(benchmark::State& state) {
  static const disfer::vote_table votes = [] {
    disfer::vote_table v;
    const std::size_t n = static_cast<std::size_t>(kItems) * 10;
    v.item.resize(n);
    v.rater.resize(n);
    v.label.resize(n);
    for (std::size_t x = 0; x < n; ++x) {
      v.item[x] = static_cast<std::uint32_t>(x / 10);
      v.rater[x] = static_cast<std::uint32_t>(x % 10);
      v.label[x] = static_cast<std::uint32_t>(splitmix64(x) % kCategories);
    }
    v.n_items = static_cast<std::size_t>(kItems);
    v.n_raters = 10;
    return v;
  }();
  for (auto _ : state) benchmark::DoNotOptimize(disfer::vote_counts(votes, kCategories).data());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(votes.size()));
}
BENCHMARK(vote_counts_100M)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
