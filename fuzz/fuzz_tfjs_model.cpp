// libFuzzer target: tfjs_graph_model::load on a fuzzed model.json, reading the weight shards from
// the committed seed model's folder (fuzz/seed_model: w.bin). A model that loads is run once on
// zeros when its input shape is known and small.
#include <disfer/inference/tfjs_graph.hpp>

#include "fuzz_support.hpp"
#include "fuzz_tfjs.hpp"

DISFER_FUZZ_TARGET(tfjs_model)(const std::uint8_t* data, std::size_t size) {
  const std::string path = disfer_fuzz::write_scratch("model.json", data, size);
  disfer_fuzz::value_or_error("tfjs_graph_model::", [&] {
    const auto m = disfer::tfjs_graph_model::load(path, disfer_fuzz::seed_model_dir());
    disfer_fuzz::run_once(m);
  });
  return 0;
}
