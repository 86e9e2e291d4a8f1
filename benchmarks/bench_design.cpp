// Benchmarks of the design module: reading a full-size fer2013.csv (35,887 rows, the size of
// FER-2013) and building playlists. Acceptance: the read takes under 1.5 s on one core.
#include <benchmark/benchmark.h>

#include <disfer/design.hpp>
#include <disfer/io/fer2013.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "synthetic.hpp"  // tests/design: the stimuli of the playlist tests

namespace {

// A synthetic fer2013.csv with FER-2013's row count and value distribution (uniform 0-255, so
// about 3.6 characters per value, as in the real file): about 300 MB, written once per run.
const std::string& synthetic_fer2013() {
  static const std::string path = [] {
    const auto p = std::filesystem::temp_directory_path() / "disfer-bench-fer2013.csv";
    std::ofstream out(p, std::ios::binary);
    out << "emotion,pixels,Usage\n";
    std::uint64_t state = 12345;
    std::string line;
    for (int r = 0; r < 35887; ++r) {
      line.clear();
      line += std::to_string(r % 7);
      line += ',';
      for (int i = 0; i < 2304; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;  // Knuth's MMIX LCG
        if (i) line += ' ';
        line += std::to_string((state >> 33) % 256);
      }
      line += r < 28709 ? ",Training\n" : (r < 32298 ? ",PublicTest\n" : ",PrivateTest\n");
      out << line;
    }
    return p.string();
  }();
  return path;
}

void BM_read_fer2013_full(benchmark::State& state) {
  const auto& path = synthetic_fer2013();
  const auto bytes = std::filesystem::file_size(path);
  for (auto _ : state) {
    disfer::fer2013_reader reader(path);
    std::uint64_t sum = 0;
    while (reader.next()) sum += reader.record().pixels[1000];
    benchmark::DoNotOptimize(sum);
    if (reader.rows() != 35887) state.SkipWithError("wrong row count");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["rows"] = 35887;
}
BENCHMARK(BM_read_fer2013_full)->Unit(benchmark::kMillisecond)->Iterations(3);

// make_playlists on DisFER's shape (840 stimuli into 21 x 40), one seed per iteration.
void BM_make_playlists_disfer(benchmark::State& state) {
  const auto stimuli = disfer_test::synthetic_stimuli(84, disfer::disfer_conditions());
  std::uint64_t seed = 0;
  for (auto _ : state) benchmark::DoNotOptimize(disfer::make_playlists(stimuli, 21, 40, seed++));
}
BENCHMARK(BM_make_playlists_disfer)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
