// Fine-tuning the classifier head (fine_tune.hpp): the head's linear identity against the graph
// runner, gradients against central finite differences, thread-count determinism, save/load in
// the TF.js format, every input error, and the acceptance run on the FER-2013 sample.
#include <catch2/catch.hpp>

#include <disfer/hypothesis/mcnemar.hpp>
#include <disfer/inference/fine_tune.hpp>
#include <disfer/io/csv.hpp>
#include <disfer/io/fer2013.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "graph_builder.hpp"
#include "inference_test_support.hpp"

using disfer_test::b64;
using disfer_test::ints_attr;
using disfer_test::model_files;
using disfer_test::str_attr;

namespace {

std::vector<float> uniform_floats(std::size_t n, std::uint64_t seed, double lo, double hi) {
  disfer::random_cursor r(disfer::stream_key{seed, 0, disfer::purpose::user});
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(lo + (hi - lo) * r.next_unit());
  return v;
}

// x [-1, 5, 4, 2] -> _FusedConv2D 3x3 (2 -> 3 classes), SAME, stride (2, 1), BiasAdd -> Mean over
// axes 1, 2 -> Softmax -> Identity: a classifier head like the FER-2013 model's.
model_files head_model() {
  model_files m;
  m.add_node("x", "Placeholder", {},
             {{"shape", {{"shape", {{"dim", {{{"size", "-1"}}, {{"size", "5"}}, {{"size", "4"}}, {{"size", "2"}}}}}}}},
              {"dtype", {{"type", "DT_FLOAT"}}}});
  m.add_float("w", {3, 3, 2, 3}, uniform_floats(54, 1, -1, 1));
  m.add_float("b", {3}, {0.1f, -0.2f, 0.3f});
  m.add_node("conv", "_FusedConv2D", {"x", "w", "b"},
             {{"padding", str_attr("SAME")},
              {"strides", ints_attr({1, 2, 1, 1})},
              {"data_format", str_attr("NHWC")},
              {"fused_ops", {{"list", {{"s", {b64("BiasAdd")}}}}}}});
  m.add_int("axes", {1, 2});
  m.add_node("mean", "Mean", {"conv", "axes"}, {{"keep_dims", {{"b", false}}}});
  m.add_node("probs", "Softmax", {"mean"});
  m.add_node("out", "Identity", {"probs"});
  return m;
}

disfer::head_training_set random_set(std::size_t n, std::size_t d, std::size_t k, std::uint64_t seed, bool soft) {
  disfer::random_cursor r(disfer::stream_key{seed, 1, disfer::purpose::user});
  disfer::head_training_set s;
  s.features.resize(long(n), long(d));
  for (long i = 0; i < s.features.size(); ++i) s.features.data()[i] = 2 * r.next_unit() - 1;
  s.targets = Eigen::MatrixXd::Zero(long(n), long(k));
  for (std::size_t i = 0; i < n; ++i) {
    if (soft) {
      double sum = 0;
      for (std::size_t c = 0; c < k; ++c) sum += s.targets(long(i), long(c)) = r.next_unit();
      s.targets.row(long(i)) /= sum;
    } else {
      s.targets(long(i), long(r.next_below(k))) = 1;
    }
  }
  return s;
}

disfer::head_weights random_head(std::size_t d, std::size_t k, std::uint64_t seed) {
  disfer::random_cursor r(disfer::stream_key{seed, 2, disfer::purpose::user});
  disfer::head_weights w;
  w.kernel.resize(long(d), long(k));
  w.bias.resize(long(k));
  for (long i = 0; i < w.kernel.size(); ++i) w.kernel.data()[i] = 0.2 * (2 * r.next_unit() - 1);
  for (long c = 0; c < long(k); ++c) w.bias[c] = 0.2 * (2 * r.next_unit() - 1);
  return w;
}

bool same_bits(const disfer::head_weights& a, const disfer::head_weights& b) {
  return a.kernel.size() == b.kernel.size() && a.bias.size() == b.bias.size() &&
         std::memcmp(a.kernel.data(), b.kernel.data(), sizeof(double) * std::size_t(a.kernel.size())) == 0 &&
         std::memcmp(a.bias.data(), b.bias.data(), sizeof(double) * std::size_t(a.bias.size())) == 0;
}

}  // namespace

TEST_CASE("fine_tune: the head is found and its features reproduce the graph", "[inference][fine_tune]") {
  const auto g = disfer::tfjs_graph_model::load(head_model().write("fine_tune_head"));
  const auto h = disfer::find_classifier_head(g);
  CHECK(h.conv_node == "conv");
  CHECK(h.input_node == "x");
  CHECK(h.filter_name == "w");
  CHECK(h.bias_name == "b");
  CHECK(h.feature_size() == 18);
  CHECK(h.classes == 3);
  CHECK(h.out_h == 3);  // ceil(5 / 2)
  CHECK(h.out_w == 4);
  // softmax(b + W^T f) from the features against the graph runner's own convolution + mean.
  const auto w = disfer::read_head_weights(g, h);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto x = disfer::tensor::from({1, 5, 4, 2}, uniform_floats(40, 10 + seed, -3, 3));
    disfer::feature_matrix f(1, 18);
    disfer::head_features_of(h, x, f.data());
    const Eigen::MatrixXd p = disfer::head_probabilities(w, f);
    const auto y = g.run(x);
    for (int c = 0; c < 3; ++c) CHECK(p(0, c) == Approx(y.values[std::size_t(c)]).epsilon(1e-6));
  }
}

TEST_CASE("fine_tune: analytic gradients match central differences", "[inference][fine_tune]") {
  // Double precision, h = 1e-5: central differences of the loss (mean soft-label cross-entropy +
  // L2 towards an anchor) against the analytic gradient, 1e-6 relative.
  const std::size_t d = 12, k = 4;
  for (bool soft : {false, true}) {
    const auto data = random_set(9, d, k, soft ? 5 : 6, soft);
    const auto w = random_head(d, k, 7);
    const auto anchor = random_head(d, k, 8);
    const double lambda = 0.3;
    const auto obj = disfer::head_loss(w, data, lambda, &anchor);
    const double h = 1e-5;
    double worst = 0, largest = 0;
    auto check = [&](double& param, double analytic) {
      const double keep = param;
      param = keep + h;
      const double up = disfer::head_loss(w, data, lambda, &anchor).loss;
      param = keep - h;
      const double down = disfer::head_loss(w, data, lambda, &anchor).loss;
      param = keep;
      const double numeric = (up - down) / (2 * h);
      largest = std::max(largest, std::abs(analytic));
      if (std::abs(analytic) > 1e-3) worst = std::max(worst, std::abs(numeric - analytic) / std::abs(analytic));
      CHECK(std::abs(numeric - analytic) <= 1e-6 * std::max(std::abs(analytic), 1e-3));
    };
    auto& ww = const_cast<disfer::head_weights&>(w);
    for (long i = 0; i < ww.kernel.size(); ++i) check(ww.kernel.data()[i], obj.gradient.kernel.data()[i]);
    for (long c = 0; c < ww.bias.size(); ++c) check(ww.bias[c], obj.gradient.bias[c]);
    INFO("largest relative error " << worst);
    CHECK(worst <= 1e-6);
    CHECK(largest > 1e-2);
  }
}

TEST_CASE("fine_tune: a seed gives bit-identical weights on 1 and 2 threads", "[inference][fine_tune]") {
  // Batches of 128 x 2304 x 7 are large enough for the threaded paths (>= 2^20 multiply-adds).
  const std::size_t d = 2304, k = 7;
  const auto train = random_set(384, d, k, 21, false);
  const auto val = random_set(64, d, k, 22, true);
  const auto init = random_head(d, k, 23);
  for (auto opt : {disfer::head_optimizer::adam, disfer::head_optimizer::sgd_momentum}) {
    disfer::fine_tune_options o;
    o.optimizer = opt;
    o.batch_size = 128;
    o.max_epochs = 3;
    o.seed = 99;
    o.anchor = disfer::l2_anchor::initial;
    o.threads = 1;
    const auto one = disfer::fine_tune_head(init, train, val, o);
    o.threads = 2;
    const auto two = disfer::fine_tune_head(init, train, val, o);
    CHECK(same_bits(one.weights, two.weights));
    CHECK(one.validation_loss == two.validation_loss);
    CHECK(one.train_loss.size() == 3);
    CHECK(!same_bits(one.weights, init));
    o.seed = 100;
    CHECK(!same_bits(disfer::fine_tune_head(init, train, val, o).weights, one.weights));
  }
}

TEST_CASE("fine_tune: training lowers the loss and early stopping keeps the best epoch", "[inference][fine_tune]") {
  const std::size_t d = 10, k = 3;
  // Separable data: the class is the argmax of the first three features.
  auto train = random_set(300, d, k, 31, false);
  for (long i = 0; i < 300; ++i) {
    long c;
    train.features.row(i).head(3).maxCoeff(&c);
    train.targets.row(i).setZero();
    train.targets(i, c) = 1;
  }
  disfer::head_training_set val;
  val.features = train.features.topRows(60);
  val.targets = train.targets.topRows(60);
  disfer::head_weights zero{decltype(disfer::head_weights::kernel)::Zero(long(d), long(k)),
                            Eigen::VectorXd::Zero(long(k))};
  disfer::fine_tune_options o;
  o.learning_rate = 0.05;
  o.batch_size = 30;
  o.max_epochs = 40;
  o.weight_decay = 0;
  const auto r = disfer::fine_tune_head(zero, train, val, o);
  CHECK(r.validation_loss.front() == Approx(std::log(3.0)));
  CHECK(r.validation_loss[r.best_epoch] < 0.3);
  CHECK(r.validation_accuracy[r.best_epoch] > 0.9);
  CHECK(*std::min_element(r.validation_loss.begin(), r.validation_loss.end()) == r.validation_loss[r.best_epoch]);
  // A huge learning rate makes the loss go up at once: early stopping returns the initial weights.
  o.learning_rate = 1e3;
  o.optimizer = disfer::head_optimizer::sgd_momentum;
  o.patience = 2;
  const auto bad = disfer::fine_tune_head(zero, train, val, o);
  CHECK(bad.stopped_early);
  CHECK(bad.best_epoch == 0);
  CHECK(bad.epochs_run == 2);
  CHECK(same_bits(bad.weights, zero));
}

TEST_CASE("fine_tune: the protocol's schedule and split", "[inference][fine_tune]") {
  // 7 classes of 108 images: 27 batches of 42, each 6 per class, 21 clean and 7 per level.
  std::vector<int> labels;
  for (int c = 0; c < 7; ++c) labels.insert(labels.end(), 108, c);
  const disfer::disfer_protocol_options o;
  const auto sched = disfer::disfer_protocol_schedule(labels, 7, 3, o);
  const auto batches = sched(0);
  REQUIRE(batches.size() == 27);
  std::vector<int> per_image(756, 0);
  for (const auto& b : batches) {
    REQUIRE(b.size() == 42);
    std::vector<int> per_class(7, 0), per_version(4, 0);
    for (auto row : b) {
      per_class[std::size_t(labels[row % 756])]++;
      per_version[row / 756]++;
      per_image[row % 756]++;
    }
    CHECK(per_class == std::vector<int>(7, 6));
    CHECK(per_version == std::vector<int>{21, 7, 7, 7});
  }
  // 162 draws per class from 108 images: every image once, 54 of each class twice.
  CHECK(std::count(per_image.begin(), per_image.end(), 1) == 7 * 54);
  CHECK(std::count(per_image.begin(), per_image.end(), 2) == 7 * 54);
  CHECK(sched(0) == batches);
  CHECK(sched(1) != batches);
  CHECK_THROWS_WITH(disfer::disfer_protocol_schedule({0, 1, 1}, 3, 3, o),
                    Catch::Contains("class 2 has no training image"));
  // The split needs 120 images per class from the Training split.
  const auto small = disfer::read_fer2013(disfer_test::data_path("fer2013-small.csv"));
  CHECK_THROWS_WITH(disfer::disfer_protocol_split(small, o),
                    Catch::Contains("in the Training split; the protocol needs 120"));
  disfer::disfer_protocol_options tiny;
  tiny.train_per_class = 1;
  tiny.validation_per_class = 0;
  tiny.training_split_only = false;
  const auto s = disfer::disfer_protocol_split(small, tiny);
  CHECK(s.train.size() == 7);
}

TEST_CASE("fine_tune: bad input throws disfer::error naming the problem", "[inference][fine_tune]") {
  const std::size_t d = 6, k = 3;
  const auto train = random_set(20, d, k, 41, false);
  const auto w = random_head(d, k, 42);
  const disfer::head_training_set none;
  // Class count mismatch.
  auto wrong_k = train;
  wrong_k.targets = Eigen::MatrixXd::Constant(20, 4, 0.25);
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, wrong_k, none),
                    Catch::Contains("class count mismatch: the training targets have 4 classes, the head has 3"));
  // Empty training set.
  disfer::head_training_set empty;
  empty.features.resize(0, long(d));
  empty.targets.resize(0, long(k));
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, empty, none),
                    Catch::Contains("fine_tune_head: the training set is empty"));
  // Soft labels that do not sum to 1.
  auto soft = train;
  soft.targets.row(7) << 0.5, 0.3, 0.1;
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, soft, none), Catch::Contains("soft labels of row 7 sum to 0.9, not 1"));
  soft.targets.row(7) << 1.5, -0.5, 0;
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, soft, none), Catch::Contains("row 7 hold 1.5, not a probability"));
  // Features of the wrong width, non-finite features, bad options, bad labels.
  auto narrow = train;
  narrow.features.conservativeResize(20, 5);
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, narrow, none), Catch::Contains("have 5 columns, the head takes 6"));
  auto nan = train;
  nan.features(3, 2) = std::nan("");
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, nan, none), Catch::Contains("not finite"));
  disfer::fine_tune_options o;
  o.learning_rate = 0;
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, train, none, o), Catch::Contains("learning_rate must be positive"));
  CHECK_THROWS_WITH(disfer::one_hot({0, 3}, 3), Catch::Contains("label 3 of row 1 is not a class index in [0, 3)"));
  CHECK_THROWS_WITH(disfer::fine_tune_head(w, train, none, {},
                                           [](std::size_t) {
                                             return std::vector<std::vector<std::size_t>>{{0, 25}};
                                           }),
                    Catch::Contains("has row 25 of 20"));
  // A model without a recognisable head: a Relu before the mean, a bias added after it.
  model_files m;
  m.add_node("x", "Placeholder", {},
             {{"shape", {{"shape", {{"dim", {{{"size", "-1"}}, {{"size", "2"}}, {{"size", "2"}}, {{"size", "1"}}}}}}}},
              {"dtype", {{"type", "DT_FLOAT"}}}});
  m.add_float("w", {1, 1, 1, 2}, {1, 2});
  m.add_float("b", {2}, {0, 0});
  m.add_node("conv", "_FusedConv2D", {"x", "w", "b"},
             {{"padding", str_attr("VALID")},
              {"strides", ints_attr({1, 1, 1, 1})},
              {"fused_ops", {{"list", {{"s", {b64("BiasAdd"), b64("Relu")}}}}}}});
  m.add_int("axes", {1, 2});
  m.add_node("mean", "Mean", {"conv", "axes"});
  m.add_node("probs", "Softmax", {"mean"});
  const auto relu = disfer::tfjs_graph_model::load(m.write("fine_tune_relu_head"));
  CHECK_THROWS_WITH(disfer::find_classifier_head(relu),
                    Catch::Contains("has no recognisable classifier head: the convolution 'conv' fuses Relu"));
  m.add_node("probs2", "Relu", {"probs"});
  const auto no_softmax = disfer::tfjs_graph_model::load(m.write("fine_tune_no_softmax"));
  CHECK_THROWS_WITH(disfer::find_classifier_head(no_softmax),
                    Catch::Contains("output 'probs2' is a Relu, not a Softmax"));
  // Replacing weights with the wrong shape.
  const auto g = disfer::tfjs_graph_model::load(head_model().write("fine_tune_head_bad"));
  CHECK_THROWS_WITH(disfer::with_head_weights(g, disfer::find_classifier_head(g), w),
                    Catch::Contains("the weights are 6 x 3 + 3, the head needs 18 x 3 + 3"));
}

TEST_CASE("fine_tune: a fine-tuned graph saves and loads in the TF.js format", "[inference][fine_tune]") {
  const auto g = disfer::tfjs_graph_model::load(head_model().write("fine_tune_save_src"));
  const auto h = disfer::find_classifier_head(g);
  auto w = disfer::read_head_weights(g, h);
  w.kernel *= -0.5;
  w.bias[1] = 2.0;
  const auto tuned = disfer::with_head_weights(g, h, w);
  const auto dir = disfer_test::scratch_dir("fine_tune_saved");
  const auto path = (dir / "tuned.json").string();
  tuned.save(path);
  CHECK(std::filesystem::exists(dir / "tuned.bin"));
  CHECK_THROWS_WITH(tuned.save(path), Catch::Contains("exists; refusing to overwrite"));
  tuned.save(path, disfer::overwrite_policy::replace);
  const auto back = disfer::tfjs_graph_model::load(path);
  const auto x = disfer::tensor::from({1, 5, 4, 2}, uniform_floats(40, 77, -2, 2));
  CHECK(back.run(x).values == tuned.run(x).values);
  CHECK(back.run(x).values != g.run(x).values);
  const auto wb = disfer::read_head_weights(back, disfer::find_classifier_head(back));
  CHECK((wb.kernel - w.kernel).cwiseAbs().maxCoeff() <= 1e-7);
  CHECK_THROWS_WITH(tuned.save((dir / "x.txt").string()), Catch::Contains("must end in .json"));
}

TEST_CASE("fine_tune: the FER-2013 model's head, features and a saved fine-tuned model", "[inference][fine_tune]") {
  const auto* model = disfer_test::fer_model();
  if (!model) return;
  const auto h = disfer::find_classifier_head(model->graph());
  CHECK(h.conv_node == "StatefulPartitionedCall/model_1/conv2d_5/BiasAdd");
  CHECK(h.feature_size() == 3 * 3 * 256);
  CHECK(h.classes == 7);
  std::vector<disfer::gray_image> imgs;
  for (int i = 0; i < 4; ++i) {
    disfer::gray_image img({48, 48});
    const auto v = uniform_floats(48 * 48, 50 + std::uint64_t(i), 0, 255);
    std::copy(v.begin(), v.end(), img.begin());
    imgs.push_back(img);
  }
  const auto f1 = disfer::head_features(*model, imgs, 1);
  const auto f2 = disfer::head_features(*model, imgs, 2);
  CHECK(std::memcmp(f1.data(), f2.data(), sizeof(double) * std::size_t(f1.size())) == 0);
  // Pre-trained head on features = the whole network.
  const auto w = disfer::read_head_weights(model->graph(), h);
  const auto before = disfer::predict(*model, imgs);
  CHECK((disfer::head_probabilities(w, f1) - before.probabilities).cwiseAbs().maxCoeff() <= 1e-5);
  // A changed head through the classifier interface, saved and loaded back.
  auto w2 = w;
  w2.bias[3] -= 3;
  w2.kernel.col(0) *= 1.5;
  const auto tuned = disfer::with_head_weights(*model, w2);
  const auto after = disfer::predict(tuned, imgs);
  CHECK((disfer::head_probabilities(w2, f1) - after.probabilities).cwiseAbs().maxCoeff() <= 1e-5);
  const auto path = (disfer_test::scratch_dir("fine_tune_fer") / "emotion-ft.json").string();
  tuned.graph().save(path);
  const auto loaded = disfer::fer2013_xception::load(path);
  CHECK(disfer::predict(loaded, imgs).probabilities == after.probabilities);
}
