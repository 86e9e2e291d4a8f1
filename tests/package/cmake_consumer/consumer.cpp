// A user's program built against an installed disfer (by find_package or by pkg-config).
#include <disfer/disfer.hpp>
#ifdef DISFER_CONSUMER_INFERENCE
#include <disfer/inference.hpp>
#endif

#include <cmath>
#include <iostream>
#include <sstream>

int main() {
  if (disfer::parse_emotion("happiness") != disfer::emotion::happy) return 1;
  const auto perm = disfer::random_permutation(5, {1, 2, disfer::purpose::user});
  if (perm.size() != 5) return 1;
  std::istringstream in("a,b\n1,\"x,y\"\n");
  disfer::csv_reader csv(in, "inline");
  if (!csv.next() || csv[1] != "x,y") return 1;
#ifdef DISFER_CONSUMER_INFERENCE
  // The installed FER-2013 model, found without a path, classifies one image.
  const auto model = disfer::fer2013_xception::load();
  disfer::gray_image img({48, 48});
  for (std::size_t r = 0; r < 48; ++r)
    for (std::size_t c = 0; c < 48; ++c) img(r, c) = static_cast<float>((r * 5 + c * 3) % 256);
  const auto p = disfer::predict(model, std::vector<disfer::gray_image>{img});
  double sum = 0;
  for (Eigen::Index j = 0; j < p.probabilities.cols(); ++j) sum += p.probabilities(0, j);
  if (p.size() != 1 || p.labels[0] < 0 || std::abs(sum - 1.0) > 1e-5) return 1;
  std::cout << "installed model classified one image: " << p.class_names[static_cast<std::size_t>(p.labels[0])] << " ("
            << disfer::fer2013_xception::find_model() << ")\n";
#endif
  std::cout << "disfer consumer ok (disfer " << disfer::version_string << ")\n";
  return 0;
}
