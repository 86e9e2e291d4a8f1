#include <catch2/catch.hpp>

#include <disfer/image.hpp>
#include <disfer/io/csv.hpp>

#include "digest_cases.hpp"
#include "test_support.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#ifdef DISFER_TEST_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

using disfer::blur_border;
using disfer_test::texture_u8;

namespace {

// Independent reference for the exact path: kernel from libm's std::exp, borders by their
// periodic definitions, direct 2-D convolution (not separable) in long double.
std::vector<long double> ref_kernel(double sigma, std::size_t taps) {
  std::vector<long double> k(taps);
  long double sum = 0;
  const long double r = static_cast<long double>(taps / 2);
  for (std::size_t i = 0; i < taps; ++i) {
    const long double d = static_cast<long double>(i) - r;
    k[i] = std::exp(-d * d / (2.0L * sigma * sigma));
    sum += k[i];
  }
  for (auto& v : k) v /= sum;
  return k;
}

long ref_index(long p, long len, blur_border b) {
  if (p >= 0 && p < len) return p;
  if (b == blur_border::constant) return -1;
  if (b == blur_border::replicate) return p < 0 ? 0 : len - 1;
  if (len == 1) return 0;
  if (b == blur_border::reflect101) {  // period 2(len - 1): 0 1 .. len-1 len-2 .. 1
    const long period = 2 * (len - 1);
    long q = ((p % period) + period) % period;
    return q < len ? q : period - q;
  }
  const long period = 2 * len;  // reflect: 0 .. len-1 len-1 .. 0
  long q = ((p % period) + period) % period;
  return q < len ? q : period - 1 - q;
}

template <class T>
std::vector<long double> ref_blur(const xt::xtensor<T, 3>& img, double sigma, std::size_t taps, blur_border b,
                                  double cval) {
  const long H = static_cast<long>(img.shape()[0]), W = static_cast<long>(img.shape()[1]),
             C = static_cast<long>(img.shape()[2]);
  const auto k = ref_kernel(sigma, taps);
  const long r = static_cast<long>(taps / 2);
  std::vector<long double> out(img.size());
  for (long y = 0; y < H; ++y)
    for (long x = 0; x < W; ++x)
      for (long c = 0; c < C; ++c) {
        long double acc = 0;
        for (long i = -r; i <= r; ++i)
          for (long j = -r; j <= r; ++j) {
            const long yy = ref_index(y + i, H, b), xx = ref_index(x + j, W, b);
            const long double v = (yy < 0 || xx < 0) ? cval : static_cast<long double>(img(yy, xx, c));
            acc += k[static_cast<std::size_t>(i + r)] * k[static_cast<std::size_t>(j + r)] * v;
          }
        out[static_cast<std::size_t>((y * W + x) * C + c)] = acc;
      }
  return out;
}

std::vector<xt::xtensor<std::uint8_t, 3>> shared_faces(std::size_t max_faces) {
  std::vector<xt::xtensor<std::uint8_t, 3>> faces;
  const std::string path = disfer_test::shared_path("data/fer2013-sample.csv");
  if (path.empty()) return faces;
  disfer::csv_reader csv(path);
  const std::size_t col = csv.column_index("pixels");
  while (faces.size() < max_faces && csv.next()) {
    auto img = xt::xtensor<std::uint8_t, 3>::from_shape({48, 48, 1});
    std::istringstream s(csv[col]);
    for (std::size_t i = 0; i < 2304; ++i) {
      int v = 0;
      s >> v;
      img.data()[i] = static_cast<std::uint8_t>(v);
    }
    faces.push_back(img);
  }
  return faces;
}

}  // namespace

TEST_CASE("blur: kernel extent follows OpenCV, SciPy or a fixed size", "[image][gaussian_blur]") {
  using disfer::gaussian_blur_taps;
  // OpenCV 8U: round(6 sigma + 1) | 1; 32F: round(8 sigma + 1) | 1 (distortion-anchors.md table,
  // measured with cv2 4.6.0).
  CHECK(gaussian_blur_taps<std::uint8_t>(0.8) == 7);
  CHECK(gaussian_blur_taps<std::uint8_t>(1.1) == 9);
  CHECK(gaussian_blur_taps<std::uint8_t>(1.4) == 9);
  CHECK(gaussian_blur_taps<float>(0.8) == 7);
  CHECK(gaussian_blur_taps<float>(1.1) == 11);
  CHECK(gaussian_blur_taps<float>(1.4) == 13);
  CHECK(gaussian_blur_taps<std::uint16_t>(1.4) == 13);
  // cvRound is half-to-even: sigma 0.25 gives 2.5 -> 2 | 1 = 3 taps.
  CHECK(gaussian_blur_taps<std::uint8_t>(0.25) == 3);
  // SciPy: radius = int(truncate * sigma + 0.5): 7, 9, 13 taps at truncate 4 (scipy.ndimage
  // _gaussian_kernel1d; same numbers as the anchors table).
  disfer::blur_options scipy;
  scipy.extent = disfer::blur_extent::truncate;
  CHECK(gaussian_blur_taps<std::uint8_t>(0.8, scipy) == 7);
  CHECK(gaussian_blur_taps<std::uint8_t>(1.1, scipy) == 9);
  CHECK(gaussian_blur_taps<std::uint8_t>(1.4, scipy) == 13);
  scipy.truncate = 3.0;
  CHECK(gaussian_blur_taps<std::uint8_t>(1.4, scipy) == 9);  // int(4.7) = 4
  disfer::blur_options fixed;
  fixed.extent = disfer::blur_extent::fixed_size;
  fixed.size = 5;
  CHECK(gaussian_blur_taps<double>(3.0, fixed) == 5);
}

TEST_CASE("blur: OpenCV's 8-bit fixed-point kernels for the DisFER sigmas", "[image][gaussian_blur]") {
  // Values from distortion-anchors.md (a NumPy re-implementation of
  // getGaussianKernelFixedPoint_ED that matched cv2 4.6.0 byte for byte).
  using V = std::vector<std::uint32_t>;
  CHECK(disfer::gaussian_kernel_fixed_point(0.8, 7) == V{0, 6, 58, 128, 58, 6, 0});
  CHECK(disfer::gaussian_kernel_fixed_point(1.1, 9) == V{0, 2, 18, 62, 92, 62, 18, 2, 0});
  CHECK(disfer::gaussian_kernel_fixed_point(1.4, 9) == V{1, 8, 26, 56, 74, 56, 26, 8, 1});
  for (double s : {0.3, 0.8, 2.0, 7.5, 40.0}) {
    const auto k = disfer::gaussian_kernel_fixed_point(s, disfer::gaussian_blur_taps<std::uint8_t>(s));
    std::uint32_t sum = 0;
    for (auto v : k) sum += v;
    CHECK(sum == 256);
  }
}

#ifdef DISFER_TEST_HAVE_OPENCV
namespace {

cv::Mat to_mat(const xt::xtensor<std::uint8_t, 3>& img) {
  cv::Mat m(static_cast<int>(img.shape()[0]), static_cast<int>(img.shape()[1]),
            CV_MAKETYPE(CV_8U, static_cast<int>(img.shape()[2])));
  std::copy(img.data(), img.data() + img.size(), m.data);
  return m;
}

std::size_t count_differences_u8(const xt::xtensor<std::uint8_t, 3>& img, double sigma, int cv_border,
                                 blur_border border) {
  const cv::Mat src = to_mat(img);
  cv::Mat dst;
  cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma, 0, cv_border);
  disfer::blur_options o;
  o.border = border;
  const auto out = disfer::gaussian_blur(img, sigma, o);
  std::size_t diff = 0;
  for (std::size_t i = 0; i < out.size(); ++i) diff += out.data()[i] != dst.data[i];
  return diff;
}

}  // namespace

TEST_CASE("blur parity: uint8 byte-identical to cv::GaussianBlur on 48x48 faces", "[image][gaussian_blur][opencv]") {
  REQUIRE(CV_VERSION_MAJOR >= 4);
  const auto faces = shared_faces(200);
  if (faces.empty()) {
    disfer_test::skip("../shared/data/fer2013-sample.csv is not present");
    return;
  }
  for (double sigma : {0.8, 1.1, 1.4})
    for (std::size_t f = 0; f < faces.size(); ++f) {
      INFO("face " << f << " sigma " << sigma);
      CHECK(count_differences_u8(faces[f], sigma, cv::BORDER_DEFAULT, blur_border::reflect101) == 0);
    }
}

TEST_CASE("blur parity: uint8 byte-identical to cv::GaussianBlur on random textures and shapes",
          "[image][gaussian_blur][opencv]") {
  struct shape_case {
    std::size_t h, w, c;
    double sigma;
  };
  const shape_case cases[] = {{48, 48, 1, 0.8}, {48, 48, 1, 1.1}, {48, 48, 1, 1.4}, {31, 57, 1, 2.3},  {1, 40, 1, 1.7},
                              {40, 1, 1, 0.9},  {3, 3, 1, 1.4},   {3, 3, 3, 0.8},   {48, 48, 3, 1.1},  {2, 2, 1, 5.0},
                              {1, 1, 1, 1.0},   {100, 7, 1, 0.3}, {64, 64, 1, 0.5}, {64, 64, 1, 10.0}, {20, 90, 3, 3.3},
                              {5, 200, 1, 0.2}, {48, 48, 4, 1.4}, {1, 1, 3, 2.0},   {9, 4, 1, 6.0}};
  std::uint64_t item = 10;
  for (const auto& c : cases) {
    const auto img = texture_u8(c.h, c.w, c.c, item++);
    INFO(c.h << "x" << c.w << "x" << c.c << " sigma " << c.sigma);
    CHECK(count_differences_u8(img, c.sigma, cv::BORDER_REFLECT_101, blur_border::reflect101) == 0);
    CHECK(count_differences_u8(img, c.sigma, cv::BORDER_REFLECT, blur_border::reflect) == 0);
    CHECK(count_differences_u8(img, c.sigma, cv::BORDER_REPLICATE, blur_border::replicate) == 0);
    CHECK(count_differences_u8(img, c.sigma, cv::BORDER_CONSTANT, blur_border::constant) == 0);
  }
  // A sweep of sigma over (0.05, 8) on random shapes.
  for (int t = 0; t < 150; ++t) {
    const disfer::philox_stream s(disfer::stream_key{1, static_cast<std::uint64_t>(t), disfer::purpose::user + 2});
    const auto w = s.block(0);
    const std::size_t h = 1 + w[0] % 50, wd = 1 + w[1] % 50, ch = (w[2] % 4 == 0) ? 3 : 1;
    const double sigma = 0.05 + (w[3] % 8000) / 1000.0;
    const auto img = texture_u8(h, wd, ch, 1000 + static_cast<std::uint64_t>(t));
    INFO(h << "x" << wd << "x" << ch << " sigma " << sigma);
    CHECK(count_differences_u8(img, sigma, cv::BORDER_DEFAULT, blur_border::reflect101) == 0);
  }
}

TEST_CASE("blur parity: float32 within 1e-6 relative of cv::GaussianBlur's float path",
          "[image][gaussian_blur][opencv]") {
  for (double sigma : {0.8, 1.1, 1.4, 2.7}) {
    const auto u8 = texture_u8(48, 40, 1, 7);
    const auto f = disfer_test::convert<float>(u8, 1.0 / 255);
    cv::Mat src(48, 40, CV_32F);
    std::copy(f.data(), f.data() + f.size(), src.ptr<float>());
    cv::Mat dst;
    cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma);
    const auto out = disfer::gaussian_blur(f, sigma);
    double worst = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const double ref = dst.ptr<float>()[i];
      worst = std::max(worst, std::fabs(out.data()[i] - ref) / std::fabs(ref));
    }
    INFO("sigma " << sigma << " worst relative difference " << worst);
    CHECK(worst <= 1e-6);
  }
}
#endif

TEST_CASE("blur: double within 1e-12 of a direct 2-D convolution, every border", "[image][gaussian_blur]") {
  for (auto border : {blur_border::reflect101, blur_border::reflect, blur_border::replicate, blur_border::constant})
    for (double sigma : {0.8, 1.4, 3.1}) {
      const auto img = disfer_test::convert<double>(texture_u8(13, 29, 2, 3), 1.0 / 255);
      disfer::blur_options o;
      o.border = border;
      o.constant_value = 0.3;
      const std::size_t taps = disfer::gaussian_blur_taps<double>(sigma, o);
      const auto out = disfer::gaussian_blur(img, sigma, o);
      const auto ref = ref_blur(img, sigma, taps, border, 0.3);
      double worst = 0;
      for (std::size_t i = 0; i < out.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::fabs(out.data()[i] - ref[i])));
      INFO("border " << static_cast<int>(border) << " sigma " << sigma);
      CHECK(worst <= 1e-12);
    }
}

TEST_CASE("blur: uint16 and uint8-exact equal the rounded direct convolution", "[image][gaussian_blur]") {
  const auto u8 = texture_u8(21, 17, 1, 4);
  const auto u16 = disfer_test::convert<std::uint16_t>(u8, 257.0);
  for (double sigma : {0.8, 1.1, 1.4}) {
    const auto out16 = disfer::gaussian_blur(u16, sigma);
    const auto ref16 =
        ref_blur(u16, sigma, disfer::gaussian_blur_taps<std::uint16_t>(sigma), blur_border::reflect101, 0);
    disfer::blur_options exact;
    exact.arithmetic = disfer::blur_arithmetic::exact;
    const auto out8 = disfer::gaussian_blur(u8, sigma, exact);
    const auto ref8 = ref_blur(u8, sigma, disfer::gaussian_blur_taps<std::uint8_t>(sigma), blur_border::reflect101, 0);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < out16.size(); ++i) {
      // skip values within 1e-9 of a rounding tie (none expected)
      if (std::fabs(ref16[i] - std::floor(ref16[i]) - 0.5L) > 1e-9L)
        bad += out16.data()[i] != static_cast<std::uint16_t>(std::llround(static_cast<double>(ref16[i])));
      if (std::fabs(ref8[i] - std::floor(ref8[i]) - 0.5L) > 1e-9L)
        bad += out8.data()[i] != static_cast<std::uint8_t>(std::llround(static_cast<double>(ref8[i])));
    }
    CHECK(bad == 0);
  }
}

TEST_CASE("blur: rank-2 and rank-3 single-channel images agree and the input is untouched", "[image][gaussian_blur]") {
  const auto img2 = disfer_test::texture_u8_2d(30, 20, 5);
  const auto copy = img2;
  const auto img3 = texture_u8(30, 20, 1, 5);
  const auto a = disfer::gaussian_blur(img2, 1.1);
  const auto b = disfer::gaussian_blur(img3, 1.1);
  CHECK(std::equal(a.begin(), a.end(), b.begin()));
  CHECK(bool(img2 == copy));
  // A constant image stays constant under every border except a different constant.
  xt::xtensor<std::uint8_t, 2> flat = xt::xtensor<std::uint8_t, 2>::from_shape({9, 11});
  flat.fill(200);
  CHECK(bool(disfer::gaussian_blur(flat, 2.0) == flat));
}
