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
#include "reference_check.hpp"

using disfer_test::read_array;
using disfer_test::read_json;

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
  // FER-2013's pixels: DISFER_FER2013, else ../shared/data/fer2013-sample.csv. On the sample (known
  // by its SHA-256) its TensorFlow.js accuracy and per-image labels; on any other fer2013.csv, the
  // accuracy on its PublicTest rows well above chance.
  DISFER_REQUIRE_FER2013(fer);
  const auto facts = read_json(disfer_test::data_path("fer2013_sample_facts.json"));
  CHECK(facts.at("sha256").at("value").get<std::string>() == disfer_test::fer2013_sample_sha256);
  const auto* model = disfer_test::fer_model();
  if (!model) return;
  std::vector<disfer::gray_image> images;
  std::vector<int> truth;
  std::vector<std::size_t> rows;  // data rows of the file
  for (const auto& r : disfer::read_fer2013(fer.path)) {
    if (r.usage != disfer::fer2013_usage::public_test) continue;
    truth.push_back(static_cast<int>(disfer::index_of(r.label)));
    rows.push_back(r.row);
    disfer::gray_image img({48, 48});
    for (std::size_t p = 0; p < r.pixels.size(); ++p) img.data()[p] = static_cast<float>(r.pixels[p]);
    images.push_back(std::move(img));
  }
  if (fer.is_sample) {
    REQUIRE(images.size() == 956);  // all PublicTest (tests/data/fer2013_sample_facts.json)
  } else if (images.size() < 100) {
    disfer_test::skip("an accuracy check needs at least 100 PublicTest rows; " + fer.path + " has " +
                      std::to_string(images.size()));
    return;
  }
#ifdef DISFER_TEST_SANITIZE
  // Under ASan+UBSan: a subset of 32 images (every 30th PublicTest row), checked against the same
  // original labels and, on the sample, the same per-image reference labels as the full run.
  std::vector<disfer::gray_image> sub;
  std::vector<int> sub_truth;
  std::vector<std::size_t> sub_rows;
  for (std::size_t i = 0; i < images.size() && sub.size() < 32; i += 30)
    sub.push_back(images[i]), sub_truth.push_back(truth[i]), sub_rows.push_back(rows[i]);
  images.swap(sub);
  truth.swap(sub_truth);
  rows.swap(sub_rows);
#endif
  disfer::predict_options opt;
  opt.threads = 2;
  const auto p = disfer::predict(*model, images, opt);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < images.size(); ++i) correct += p.labels[i] == truth[i];
  const double acc = double(correct) / double(images.size());
  if (!fer.is_sample) {
    // Any fer2013.csv: PublicTest accuracy well above chance (1/7, or the most frequent label's
    // share): at least 0.45 and 0.15 above that share (the sample's 0.6266 is far above; a
    // model or preprocessing broken enough to fall below is caught).
    std::array<std::size_t, 7> per_class{};
    for (int t : truth) ++per_class[static_cast<std::size_t>(t)];
    const double majority = double(*std::max_element(per_class.begin(), per_class.end())) / double(truth.size());
    std::cout << "accuracy " << acc << " on " << images.size() << " PublicTest images of " << fer.path
              << "; most frequent label's share " << majority << std::endl;
#ifdef DISFER_TEST_SANITIZE
    CHECK(correct >= 12);  // 32 images: a wide binomial margin below ~0.6
#else
    CHECK(acc >= 0.45);
    CHECK(acc >= majority + 0.15);
#endif
    return;
  }
  const double want = facts.at("fer2013_xception_clean_accuracy").at("value").get<double>();
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
