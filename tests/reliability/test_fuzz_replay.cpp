// Replays every input of the committed seed corpora (fuzz/corpus/<target>) and every committed
// finding (fuzz/regressions/<target>: inputs that once crashed a reader, see docs/reliability.md)
// through the fuzz targets' own checks: each reader returns a consistent value or throws a
// disfer::error naming its function. Under the asan preset this is the sanitizer replay.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fuzz_support.hpp"
#include "test_support.hpp"

#define DISFER_DECLARE_REPLAY(name) int disfer_fuzz_replay_##name(const std::uint8_t*, std::size_t);
DISFER_DECLARE_REPLAY(csv)
DISFER_DECLARE_REPLAY(fer2013)
DISFER_DECLARE_REPLAY(votes)
DISFER_DECLARE_REPLAY(count_table)
DISFER_DECLARE_REPLAY(ferplus)
DISFER_DECLARE_REPLAY(pgm)
DISFER_DECLARE_REPLAY(manifest)
DISFER_DECLARE_REPLAY(jspsych)
DISFER_DECLARE_REPLAY(png)
DISFER_DECLARE_REPLAY(predictions)
DISFER_DECLARE_REPLAY(tfjs_model)
DISFER_DECLARE_REPLAY(tfjs_weights)

namespace {

using replay_fn = int (*)(const std::uint8_t*, std::size_t);

// The targets this build compiled (png and inference are optional components).
std::map<std::string, replay_fn> targets() {
  std::map<std::string, replay_fn> all = {
      {"csv", disfer_fuzz_replay_csv},
      {"fer2013", disfer_fuzz_replay_fer2013},
      {"votes", disfer_fuzz_replay_votes},
      {"count_table", disfer_fuzz_replay_count_table},
      {"ferplus", disfer_fuzz_replay_ferplus},
      {"pgm", disfer_fuzz_replay_pgm},
      {"manifest", disfer_fuzz_replay_manifest},
      {"jspsych", disfer_fuzz_replay_jspsych},
#ifdef DISFER_REPLAY_PNG
      {"png", disfer_fuzz_replay_png},
#endif
#ifdef DISFER_REPLAY_INFERENCE
      {"predictions", disfer_fuzz_replay_predictions},
      {"tfjs_model", disfer_fuzz_replay_tfjs_model},
      {"tfjs_weights", disfer_fuzz_replay_tfjs_weights},
#endif
  };
  return all;
}

std::vector<std::filesystem::path> inputs(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(folder))
    for (const auto& e : std::filesystem::directory_iterator(folder))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::size_t replay(const std::string& folder, replay_fn f) {
  std::size_t n = 0;
  for (const auto& file : inputs(folder)) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("input " << file.string());
    CHECK_NOTHROW(f(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("fuzz replay: every seed of every target gives a value or a disfer::error", "[reliability][fuzz]") {
  const std::string dir = DISFER_FUZZ_DIR;
  for (const auto& [name, f] : targets()) {
    INFO("target " << name);
    CHECK(replay(dir + "/corpus/" + name, f) >= 3);  // every target has a committed seed corpus
  }
}

TEST_CASE("fuzz replay: every committed finding now gives a value or a disfer::error", "[reliability][fuzz]") {
  const std::string dir = DISFER_FUZZ_DIR;
  std::size_t n = 0;
  for (const auto& [name, f] : targets()) {
    INFO("target " << name);
    n += replay(dir + "/regressions/" + name, f);
  }
  CHECK(n > 0);
}
