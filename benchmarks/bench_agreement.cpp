// Agreement benchmarks (Google Benchmark).
//  - fleiss_kappa on 10^6 and 10^7 items x 7 categories (point estimate and null SE, then with the
//    non-null SE; int64 and int32 tables, column-major and row-major; equal n and DisFER's 50/51
//    mix; one thread), on the dispatched SIMD path and on the portable one, against a plain
//    summing loop over the same rows in the same binary;
//  - vote_counts on 10^8 votes (10^7 items, 10 votes each, 7 categories).
// The table is the deterministic one of bench_agreement_statsmodels.py (splitmix64 of the row
// index), so the script times statsmodels' fleiss_kappa on identical data; the kappa counter here
// must equal the kappa it prints.
#include <benchmark/benchmark.h>

#include <cstdint>

#include <disfer/agreement/fleiss_kappa.hpp>
#include <disfer/detail/simd_dispatch.hpp>
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

// The same table as int32 (half the bytes), and with DisFER's mix of 50 and 51 ratings: every
// fifth row gives one rating less (its last non-zero category), so the vector scan sees two n_i.
const Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic>& table32() {
  static const Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic> t = table().cast<std::int32_t>();
  return t;
}
const disfer::count_matrix& table_50_51() {
  static const disfer::count_matrix t = [] {
    disfer::count_matrix m = table();
    for (Eigen::Index i = 0; i < kItems; i += 5)
      for (Eigen::Index j = kCategories - 1; j >= 0; --j)
        if (m(i, j) > 0) {
          --m(i, j);
          break;
        }
    return m;
  }();
  return t;
}

// Arguments: rows (10^6 or 10^7, the first rows of the table) and the SIMD path (0 = the one the
// dispatcher picks, or DISFER_SIMD's; 1 = portable, the scalar loop), so one run shows both and
// their ratio; the label names the path.
template <class Table>
void run_fleiss(benchmark::State& state, const Table& t, bool nonnull_se) {
  const Eigen::Index rows = state.range(0);
  using disfer::detail::simd_path;
  const int dispatched = disfer::detail::simd_forced_path().load();  // automatic, or DISFER_SIMD's path
  if (state.range(1) == 1) disfer::detail::simd_forced_path().store(static_cast<int>(simd_path::portable));
  disfer::fleiss_options o;
  o.nonnull_se = nonnull_se;
  double kappa = 0;
  for (auto _ : state) {
    const auto r = disfer::fleiss_kappa(t.topRows(rows), o);
    kappa = r.kappa;
    benchmark::DoNotOptimize(r.se0);
    benchmark::DoNotOptimize(r.se);
  }
  disfer::detail::simd_forced_path().store(dispatched);
  state.counters["kappa"] = kappa;
  state.SetLabel(disfer::detail::simd_path_label(
      disfer::detail::simd_resolve(state.range(1) == 1 ? simd_path::portable : simd_path::automatic)));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * rows * kCategories *
                          static_cast<std::int64_t>(sizeof(typename Table::Scalar)));
}

void fleiss_args(benchmark::internal::Benchmark* b) {
  for (const std::int64_t path : {0, 1})
    for (const std::int64_t rows : {1'000'000, 10'000'000}) b->Args({rows, path});
  b->ArgNames({"rows", "portable"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

// Point estimate and null SE only (kappa, se0, z, p: one pass).
void fleiss_kappa_int64(benchmark::State& state) {
  run_fleiss(state, table(), false);
}
BENCHMARK(fleiss_kappa_int64)->Apply(fleiss_args);
void fleiss_kappa_int32(benchmark::State& state) {
  run_fleiss(state, table32(), false);
}
BENCHMARK(fleiss_kappa_int32)->Apply(fleiss_args);
void fleiss_kappa_int64_50_51(benchmark::State& state) {
  run_fleiss(state, table_50_51(), false);
}
BENCHMARK(fleiss_kappa_int64_50_51)->Apply(fleiss_args);
// With the non-null SE and interval (a second pass).
void fleiss_kappa_int64_nonnull_se(benchmark::State& state) {
  run_fleiss(state, table(), true);
}
BENCHMARK(fleiss_kappa_int64_nonnull_se)->Apply(fleiss_args);

// The same table in row-major order (numpy's C order): one row's counts side by side.
const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>& table_rows() {
  static const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> t = table();
  return t;
}
void fleiss_kappa_int64_row_major(benchmark::State& state) {
  run_fleiss(state, table_rows(), false);
}
BENCHMARK(fleiss_kappa_int64_row_major)->Apply(fleiss_args);
void fleiss_kappa_int64_row_major_nonnull_se(benchmark::State& state) {
  run_fleiss(state, table_rows(), true);
}
BENCHMARK(fleiss_kappa_int64_row_major_nonnull_se)->Apply(fleiss_args);

// The floor: one plain pass summing every cell of the same rows.
template <class Table>
void run_plain_sum(benchmark::State& state, const Table& t) {
  const Eigen::Index rows = state.range(0);
  for (auto _ : state) {
    std::int64_t s = 0;
    for (Eigen::Index j = 0; j < kCategories; ++j) {
      const auto* p = t.data() + j * t.outerStride();
      for (Eigen::Index i = 0; i < rows; ++i) s += p[i];
    }
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * rows * kCategories *
                          static_cast<std::int64_t>(sizeof(typename Table::Scalar)));
}
void plain_sum_int64(benchmark::State& state) {
  run_plain_sum(state, table());
}
BENCHMARK(plain_sum_int64)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->ArgName("rows")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
void plain_sum_int32(benchmark::State& state) {
  run_plain_sum(state, table32());
}
BENCHMARK(plain_sum_int32)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->ArgName("rows")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

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
