// The bundled FER-2013 network: its size, its preprocessing against OpenCV
// (reference/make_preprocess_reference.py), and its clean accuracy on FER-2013's pixels (the last
// test case says where they come from). Its probabilities, every intermediate output and, through
// TF.js's own preprocessing, its preprocessed inputs are checked against TensorFlow.js in
// test_tfjs_oracle.cpp.
#include <catch2/catch.hpp>

#include <disfer/io/fer2013.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <disfer/io/pgm.hpp>

#include "inference_test_support.hpp"

using disfer_test::read_array;

namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("fer2013_xception: the graph has the documented size", "[inference][fer2013_xception]") {
  const auto* model = disfer_test::fer_model();
  if (!model) return;
  CHECK(model->graph().parameter_count() == 205127);
  // 2 FLOPs per multiply-add of the 9 convolutions and 4 depthwise convolutions, counted by hand
  // from the layer shapes (e.g. block1_conv2: 29*29*64 outputs * 3*3*32 taps): 131,536,576.
  CHECK(model->graph().flops_per_item() == 131536576.0);
  CHECK(model->class_names() ==
        std::vector<std::string>{"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"});
}

TEST_CASE("fer2013_xception: preprocessing matches OpenCV INTER_LINEAR on float", "[inference][fer2013_xception]") {
  // reference/make_preprocess_reference.py: cv2.resize(float32(src), (64, 64), interpolation=
  // cv2.INTER_LINEAR) / 255 - 0.5) * 2 on images of several sizes (up- and downscaling).
  std::ifstream list(disfer_test::data_path("inference/preprocess/cases.txt"));
  REQUIRE(list);
  std::string name;
  int cases = 0;
  while (list >> name) {
    const disfer::gray_image img = xt::cast<float>(
        disfer::read_pgm<std::uint8_t>(disfer_test::data_path("inference/preprocess/" + name + ".pgm")));
    const auto want = read_array<float>(disfer_test::data_path("inference/preprocess/" + name + ".f32"));
    REQUIRE(want.size() == 64 * 64);
    const auto x = disfer::fer2013_xception::preprocess(img);
    double worst = 0;
    for (std::size_t p = 0; p < 64 * 64; ++p) worst = std::max(worst, std::abs(double(x.data()[p]) - want[p]));
    INFO(name);
    CHECK(worst <= 1e-6);
    ++cases;
  }
  CHECK(cases >= 3);
}

TEST_CASE("fer2013_xception: preprocessing rejects empty and non-finite images", "[inference][fer2013_xception]") {
  CHECK_THROWS_AS(disfer::fer2013_xception::preprocess(disfer::gray_image({0, 5})), disfer::error);
  disfer::gray_image img({4, 4}, 1.0f);
  img(2, 3) = std::nanf("");
  CHECK_THROWS_WITH(disfer::fer2013_xception::preprocess(img), Catch::Contains("pixel (2, 3) is not finite"));
}

TEST_CASE("fer2013_xception: clean accuracy on the FER-2013 sample", "[inference][fer2013_xception][accuracy]") {
  DISFER_REQUIRE_SHARED(csv_path, "data/fer2013-sample.csv");
  DISFER_REQUIRE_SHARED(facts_path, "data/sample-facts.json");
  const auto* model = disfer_test::fer_model();
  if (!model) return;
  std::vector<disfer::gray_image> images;
  std::vector<int> truth;
  for (const auto& r : disfer::read_fer2013(csv_path)) {
    truth.push_back(static_cast<int>(disfer::index_of(r.label)));
    disfer::gray_image img({48, 48});
    for (std::size_t p = 0; p < r.pixels.size(); ++p) img.data()[p] = static_cast<float>(r.pixels[p]);
    images.push_back(std::move(img));
  }
  REQUIRE(images.size() == 956);
  std::vector<std::size_t> rows(images.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
#ifdef DISFER_TEST_SANITIZE
  // Under ASan+UBSan: a subset of 32 images (every 30th row), checked against the same original
  // labels and the same per-image reference labels as the full run.
  std::vector<disfer::gray_image> sub;
  std::vector<int> sub_truth;
  rows.clear();
  for (std::size_t i = 0; i < images.size() && sub.size() < 32; i += 30)
    sub.push_back(images[i]), sub_truth.push_back(truth[i]), rows.push_back(i);
  images.swap(sub);
  truth.swap(sub_truth);
#endif
  disfer::predict_options opt;
  opt.threads = 2;
  const auto p = disfer::predict(*model, images, opt);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < images.size(); ++i) correct += p.labels[i] == truth[i];
  const double acc = double(correct) / double(images.size());
  const double want = read_json(facts_path).at("fer2013_xception_clean_accuracy").get<double>();
  INFO("accuracy " << acc << " on " << images.size() << " images; reference " << want);
#ifdef DISFER_TEST_SANITIZE
  CHECK(correct >= 12);  // 32 images: the reference's 62.66% +- a wide binomial margin
#else
  CHECK(std::abs(acc - want) <= 0.003);
#endif
  // Per-image labels of rows 0, 30, ..., 930 from TensorFlow.js's WASM backend running the same model
  // (tests/inference/reference/make_sample_labels.mjs): both runs check the same 32 images.
  disfer::csv_reader ref(disfer_test::data_path("inference/sample_subset_labels.csv"));
  std::size_t checked = 0;
  while (ref.next()) {
    const auto row = std::stoul(ref[0]);
    const auto at = std::find(rows.begin(), rows.end(), row);
    REQUIRE(at != rows.end());
    INFO("row " << row);
    CHECK(p.labels[static_cast<std::size_t>(at - rows.begin())] == std::stoi(ref[1]));
    ++checked;
  }
  CHECK(checked == 32);
}
