// libFuzzer target: read_predictions_csv (a model's predictions: labels and/or probabilities).
// The reader takes a path, so the input is written to a scratch file first.
#include <disfer/io/predictions_csv.hpp>

#include "fuzz_support.hpp"

DISFER_FUZZ_TARGET(predictions)(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  disfer::predictions_csv_options o;
  if (data[0] & 1) o.class_names = {"cat", "dog", "0"};
  const std::string path = disfer_fuzz::write_scratch("predictions.csv", data + 1, size - 1);
  disfer_fuzz::value_or_error("read_predictions_csv", [&] {
    const auto p = disfer::read_predictions_csv(path, o);
    const std::size_t k = p.class_names.size();
    if (p.stimuli.size() != p.labels.size()) disfer_fuzz::finding("an inconsistent result", "predictions", "");
    for (auto l : p.labels)
      if (l < 0 || static_cast<std::size_t>(l) >= k) disfer_fuzz::finding("an inconsistent result", "predictions", "");
    if (p.probabilities.size() && !((p.probabilities.array() >= 0).all() && (p.probabilities.array() <= 1).all()))
      disfer_fuzz::finding("an inconsistent result", "predictions", "");
  });
  return 0;
}
