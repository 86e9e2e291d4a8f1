// A user's program: loads the FER-2013 model installed with disfer (found through the install
// prefix, no path given) and classifies one synthetic image.
#include <disfer/inference.hpp>

#include <cmath>
#include <iostream>

int main() {
  const auto model = disfer::fer2013_xception::load();
  disfer::gray_image img({48, 48});
  for (std::size_t r = 0; r < 48; ++r)
    for (std::size_t c = 0; c < 48; ++c) img(r, c) = static_cast<float>((r * 5 + c * 3) % 256);
  const auto p = disfer::predict(model, std::vector<disfer::gray_image>{img});
  double sum = 0;
  for (Eigen::Index j = 0; j < p.probabilities.cols(); ++j) sum += p.probabilities(0, j);
  if (p.size() != 1 || p.labels[0] < 0 || std::abs(sum - 1.0) > 1e-5) return 1;
  std::cout << "inference consumer ok: " << p.class_names[static_cast<std::size_t>(p.labels[0])] << " from "
            << disfer::fer2013_xception::find_model() << "\n";
  return 0;
}
