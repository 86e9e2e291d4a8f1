// predict(): threads, determinism, progress, cancellation and errors naming the failing image.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <mutex>
#include <vector>

#include "inference_test_support.hpp"

namespace {

// Three classes from the mean intensity m: unnormalised weights (m, 255 - m, 1) / sum. Throws for
// an image whose first pixel is negative.
class toy_classifier : public disfer::classifier {
 public:
  std::vector<std::string> class_names() const override { return {"bright", "dark", "other"}; }
  void classify(const disfer::gray_image* images, std::size_t count, double* out) const override {
    ++calls;
    for (std::size_t i = 0; i < count; ++i) {
      const auto& img = images[i];
      if (img(0, 0) < 0) throw std::runtime_error("negative pixel");
      double m = 0;
      for (float v : img) m += v;
      m /= static_cast<double>(img.size());
      const double s = 256.0;
      out[i * 3] = m / s, out[i * 3 + 1] = (255 - m) / s, out[i * 3 + 2] = 1 / s;
    }
  }
  mutable std::atomic<int> calls{0};
};

std::vector<disfer::gray_image> images(std::size_t n) {
  std::vector<disfer::gray_image> v;
  for (std::size_t i = 0; i < n; ++i) v.emplace_back(disfer::gray_image({3, 3}, static_cast<float>((i * 37) % 256)));
  return v;
}

}  // namespace

TEST_CASE("predict: probabilities, labels, class order", "[inference][predict]") {
  toy_classifier c;
  const auto p = disfer::predict(c, images(3));
  CHECK(p.class_names == std::vector<std::string>{"bright", "dark", "other"});
  REQUIRE(p.size() == 3);
  // Image 1 has mean 37: [37, 218, 1] / 256 -> label 1 (dark); image 0 (mean 0): dark.
  CHECK(p.probabilities(1, 0) == 37.0 / 256);
  CHECK(p.labels == std::vector<int>{1, 1, 1});
  // Image 4 has mean 148: [148, 107, 1] / 256 -> label 0 (bright).
  CHECK(disfer::predict(c, images(5)).labels[4] == 0);
}

TEST_CASE("predict: results do not depend on the number of threads", "[inference][predict]") {
  toy_classifier c;
  const auto imgs = images(101);
  disfer::predict_options o;
  o.batch_size = 7;
  const auto one = disfer::predict(c, imgs, o);
  for (std::size_t t : {2, 3, 8}) {
    o.threads = t;
    const auto many = disfer::predict(c, imgs, o);
    CHECK(many.labels == one.labels);
    CHECK(bool(many.probabilities == one.probabilities));
  }
}

TEST_CASE("predict: the real network gives identical results on 1 and 2 threads", "[inference][predict]") {
  const auto* model = disfer_test::fer_model();
  if (!model) return;
  std::vector<disfer::gray_image> imgs;
  for (std::size_t i = 0; i < 12; ++i) {
    disfer::gray_image img({48, 48});
    for (std::size_t p = 0; p < img.size(); ++p) img.data()[p] = static_cast<float>((p * (i + 3) * 7919) % 256);
    imgs.push_back(img);
  }
  disfer::predict_options o;
  o.batch_size = 4;
  const auto one = disfer::predict(*model, imgs, o);
  o.threads = 2;
  const auto two = disfer::predict(*model, imgs, o);
  CHECK(bool(one.probabilities == two.probabilities));
  // Another batch size changes at most the float rounding.
  o.batch_size = 1;
  const auto single = disfer::predict(*model, imgs, o);
  CHECK((single.probabilities - one.probabilities).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("predict: progress is reported in order and can cancel", "[inference][predict]") {
  toy_classifier c;
  disfer::predict_options o;
  o.threads = 3;
  o.batch_size = 10;
  std::vector<std::size_t> seen;
  o.progress = [&](std::size_t done, std::size_t total) {
    CHECK(total == 95);
    seen.push_back(done);
    return true;
  };
  disfer::predict(c, images(95), o);
  REQUIRE(seen.size() == 10);
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] > seen[i - 1]);
  CHECK(seen.back() == 95);

  o.progress = [&](std::size_t done, std::size_t) { return done < 30; };
  CHECK_THROWS_AS(disfer::predict(c, images(95), o), disfer::cancelled);
  CHECK_THROWS_WITH(disfer::predict(c, images(95), o), Catch::StartsWith("predict: cancelled after"));

  std::atomic<bool> cancel{true};
  o.progress = nullptr;
  o.cancel = &cancel;
  c.calls = 0;
  CHECK_THROWS_AS(disfer::predict(c, images(95), o), disfer::cancelled);
  CHECK(c.calls == 0);
  cancel = false;
  CHECK(disfer::predict(c, images(95), o).size() == 95);
}

TEST_CASE("predict: an exception on item k names k", "[inference][predict]") {
  toy_classifier c;
  auto imgs = images(120);
  imgs[37](0, 0) = -1;
  imgs[80](0, 0) = -1;
  for (std::size_t threads : {1, 2, 4}) {
    disfer::predict_options o;
    o.threads = threads;
    o.batch_size = 16;
    CHECK_THROWS_AS(disfer::predict(c, imgs, o), disfer::error);
    CHECK_THROWS_WITH(disfer::predict(c, imgs, o), "predict: image 37: negative pixel");
  }
  // The FER network rejects a non-finite pixel; predict names the image.
  const auto* model = disfer_test::fer_model();
  if (!model) return;
  std::vector<disfer::gray_image> bad(3, disfer::gray_image({48, 48}, 100.0f));
  bad[2](5, 6) = std::nanf("");
  CHECK_THROWS_WITH(disfer::predict(*model, bad),
                    Catch::StartsWith("predict: image 2: fer2013_xception::preprocess: pixel (5, 6)"));
}

TEST_CASE("predict: empty input and a bad classifier", "[inference][predict]") {
  toy_classifier c;
  const auto p = disfer::predict(c, std::vector<disfer::gray_image>{});
  CHECK(p.size() == 0);
  CHECK(p.probabilities.rows() == 0);
  struct bad : disfer::classifier {
    std::vector<std::string> class_names() const override { return {"a", "b"}; }
    void classify(const disfer::gray_image*, std::size_t n, double* out) const override {
      for (std::size_t i = 0; i < 2 * n; ++i) out[i] = 1.5;
    }
  } b;
  CHECK_THROWS_WITH(disfer::predict(b, images(2)),
                    Catch::Contains("returned 1.5 for class 'a', which is not a probability"));
  struct none : disfer::classifier {
    std::vector<std::string> class_names() const override { return {}; }
    void classify(const disfer::gray_image*, std::size_t, double*) const override {}
  } z;
  CHECK_THROWS_WITH(disfer::predict(z, images(2)), "predict: the classifier has no classes");
}
