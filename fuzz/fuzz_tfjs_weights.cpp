// libFuzzer target: the TF.js weight readers. The first byte picks the mode:
//   bit 2 clear: tfjs_graph_model::load reading a fuzzed weight shard (w.bin) for one of the
//     committed seed models (fuzz/seed_model; bits 0-1: float32 weights or their uint8, uint16 or
//     float16 quantisation), then one run on zeros;
//   bit 2 set, bit 0 clear: read_tfjs_weights_manifest on a fuzzed weights manifest (the rest of
//     the input), its shards read from fuzz/seed_model (w.bin);
//   bit 2 set, bit 0 set: read_tfjs_weights_manifest on the committed manifest
//     fuzz/seed_model/weights_manifest.json (every dtype and quantisation) with a fuzzed w.bin.
#include <disfer/inference/tfjs_graph.hpp>
#include <disfer/inference/tfjs_weights.hpp>

#include "fuzz_support.hpp"
#include "fuzz_tfjs.hpp"

DISFER_FUZZ_TARGET(tfjs_weights)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  if (mode & 4) {
    if (mode & 1) {
      disfer_fuzz::write_scratch("w.bin", data + 1, size - 1);
      disfer_fuzz::value_or_error("read_tfjs_weights_manifest", [&] {
        (void)disfer::read_tfjs_weights_manifest(disfer_fuzz::seed_model_dir() + "/weights_manifest.json",
                                                 disfer_fuzz::scratch_dir());
      });
    } else {
      const std::string path = disfer_fuzz::write_scratch("weights_manifest.json", data + 1, size - 1);
      disfer_fuzz::value_or_error("read_tfjs_weights_manifest", [&] {
        (void)disfer::read_tfjs_weights_manifest(path, disfer_fuzz::seed_model_dir());
      });
    }
    return 0;
  }
  static const char* const models[4] = {"model.json", "model_uint8.json", "model_uint16.json", "model_float16.json"};
  const std::string path = disfer_fuzz::seed_model_dir() + "/" + models[mode & 3];
  disfer_fuzz::write_scratch("w.bin", data + 1, size - 1);
  disfer_fuzz::value_or_error("tfjs_graph_model::", [&] {
    const auto m = disfer::tfjs_graph_model::load(path, disfer_fuzz::scratch_dir());
    disfer_fuzz::run_once(m);
  });
  return 0;
}
