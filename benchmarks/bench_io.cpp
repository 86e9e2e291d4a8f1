// Benchmarks of csv_reader (io/csv.hpp): many small inputs (a reader per file: the cost of setting
// a reader up, which the CSV fuzz targets and studies with many small files pay) and one large
// in-memory input (the block-wise scan). The full-size fer2013.csv read is in bench_design.
#include <benchmark/benchmark.h>

#include <disfer/io/csv.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// A small votes-like CSV: a header and `rows` rows with a quoted field holding a comma.
std::string small_csv(int rows) {
  std::string s = "participant,stimulus,label,comment\n";
  for (int r = 0; r < rows; ++r)
    s += "p" + std::to_string(r % 7) + ",s" + std::to_string(r) + ",happy,\"ok, " + std::to_string(r) + "\"\n";
  return s;
}

std::size_t read_all(disfer::csv_reader& csv) {
  std::size_t bytes = 0;
  while (csv.next())
    for (std::size_t c = 0; c < csv.size(); ++c) bytes += csv[c].size();
  return bytes;
}

// One reader on a 5-row input (about 150 bytes) from a stream, per iteration.
void BM_csv_small_stream(benchmark::State& state) {
  const std::string text = small_csv(5);
  for (auto _ : state) {
    std::istringstream in(text);
    disfer::csv_reader csv(in, "small.csv");
    benchmark::DoNotOptimize(read_all(csv));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_csv_small_stream);

// 100 files of 5 rows each, one reader per file, per iteration.
void BM_csv_small_files(benchmark::State& state) {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> v;
    const auto dir = std::filesystem::temp_directory_path() / "disfer-bench-csv-small";
    std::filesystem::create_directories(dir);
    for (int i = 0; i < 100; ++i) {
      v.push_back((dir / ("f" + std::to_string(i) + ".csv")).string());
      std::ofstream(v.back(), std::ios::binary) << small_csv(5);
    }
    return v;
  }();
  for (auto _ : state)
    for (const auto& p : paths) {
      disfer::csv_reader csv(p);
      benchmark::DoNotOptimize(read_all(csv));
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
}
BENCHMARK(BM_csv_small_files);

// About 11 MiB of CSV (400,000 rows) from a stream, per iteration.
void BM_csv_large_stream(benchmark::State& state) {
  const std::string text = small_csv(400000);
  for (auto _ : state) {
    std::istringstream in(text);
    disfer::csv_reader csv(in, "large.csv");
    benchmark::DoNotOptimize(read_all(csv));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_csv_large_stream)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
