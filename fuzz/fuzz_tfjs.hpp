#pragma once
// Shared by the two TF.js targets: the committed seed model (fuzz/seed_model, written by
// fuzz/make_seeds.py) and one run of a model that loaded.
#include <disfer/inference/tfjs_graph.hpp>

#include <string>

#ifndef DISFER_FUZZ_SEED_MODEL_DIR
#error "DISFER_FUZZ_SEED_MODEL_DIR must name fuzz/seed_model"
#endif

namespace disfer_fuzz {

inline std::string seed_model_dir() {
  return DISFER_FUZZ_SEED_MODEL_DIR;
}

/// Runs `m` once on zeros when its single input's shape is known up to the batch and small
/// (at most 4096 values): what load() accepted must run or throw disfer::error.
inline void run_once(const disfer::tfjs_graph_model& m) {
  if (m.input_names().size() != 1) return;
  std::vector<std::int64_t> shape = m.input_shape(0);
  if (shape.empty()) return;
  std::int64_t n = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0 && i == 0) shape[i] = 1;
    if (shape[i] < 0 || shape[i] > 4096) return;
    n *= shape[i];
    if (n > 4096) return;
  }
  (void)m.run(disfer::tensor::zeros(shape));
}

}  // namespace disfer_fuzz
