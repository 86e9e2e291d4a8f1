// libFuzzer target: tfjs_graph_model::load reading a fuzzed weight shard (w.bin) for one of the
// committed seed models (fuzz/seed_model); the first byte picks which: float32 weights or their
// uint8, uint16 or float16 quantisation.
#include <disfer/inference/tfjs_graph.hpp>

#include "fuzz_support.hpp"
#include "fuzz_tfjs.hpp"

DISFER_FUZZ_TARGET(tfjs_weights)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const models[4] = {"model.json", "model_uint8.json", "model_uint16.json", "model_float16.json"};
  const std::string path = disfer_fuzz::seed_model_dir() + "/" + models[data[0] & 3];
  disfer_fuzz::write_scratch("w.bin", data + 1, size - 1);
  disfer_fuzz::value_or_error("tfjs_graph_model::", [&] {
    const auto m = disfer::tfjs_graph_model::load(path, disfer_fuzz::scratch_dir());
    disfer_fuzz::run_once(m);
  });
  return 0;
}
