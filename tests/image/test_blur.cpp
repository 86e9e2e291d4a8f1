#include <catch2/catch.hpp>

#include <disfer/image.hpp>
#include <disfer/io/csv.hpp>

#include "digest_cases.hpp"
#include "support/synthetic_face.hpp"  // examples/support: the built-in synthetic face
#include "test_support.hpp"

#include <algorithm>
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
  // Source index of every (position, tap), by the border's definition (-1: outside, constant).
  auto indices = [&](long len) {
    std::vector<long> idx(static_cast<std::size_t>(len) * taps);
    for (long p = 0; p < len; ++p)
      for (long i = -r; i <= r; ++i) idx[static_cast<std::size_t>(p * (2 * r + 1) + i + r)] = ref_index(p + i, len, b);
    return idx;
  };
  const auto iy = indices(H), ix = indices(W);
  const T* px = img.data();                  // row-major H x W x C
  std::vector<long double> k2(taps * taps);  // k[i] * k[j], the 2-D kernel
  for (std::size_t i = 0; i < taps; ++i)
    for (std::size_t j = 0; j < taps; ++j) k2[i * taps + j] = k[i] * k[j];
  std::vector<long double> out(img.size());
  for (long y = 0; y < H; ++y)
    for (long x = 0; x < W; ++x)
      for (long c = 0; c < C; ++c) {
        long double acc = 0;
        for (long i = -r; i <= r; ++i)
          for (long j = -r; j <= r; ++j) {
            const long yy = iy[static_cast<std::size_t>(y * (2 * r + 1) + i + r)],
                       xx = ix[static_cast<std::size_t>(x * (2 * r + 1) + j + r)];
            const long double v = (yy < 0 || xx < 0)
                                      ? cval
                                      : static_cast<long double>(px[static_cast<std::size_t>((yy * W + xx) * C + c)]);
            acc += k2[static_cast<std::size_t>((i + r) * (2 * r + 1) + j + r)] * v;
          }
        out[static_cast<std::size_t>((y * W + x) * C + c)] = acc;
      }
  return out;
}

// The first max_faces faces of a fer2013.csv (FER-2013's pixels: optional, see DISFER_FER2013).
[[maybe_unused]] std::vector<xt::xtensor<std::uint8_t, 3>> fer2013_faces(const std::string& path,
                                                                         std::size_t max_faces) {
  std::vector<xt::xtensor<std::uint8_t, 3>> faces;
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

// Face-like test images the project makes itself (no FER-2013 pixels): the built-in synthetic face
// (examples/support/synthetic_face.hpp, 48 x 48) resized to h x w by bilinear interpolation with
// half-pixel centres (OpenCV's INTER_LINEAR geometry, rounded half up), in c channels (channel k:
// the face's tones times 1 - 0.15 k plus 20 k, so the channels differ), then one DisFER condition
// applied with key {2022, item}, so the noise and salt-and-pepper versions carry pixel-scale texture.
xt::xtensor<std::uint8_t, 3> synthetic_face_u8(std::size_t h, std::size_t w, std::size_t c,
                                               const disfer::distortion& condition, std::uint64_t item) {
  static const auto face = disfer_examples::synthetic_face(48);
  auto img = xt::xtensor<std::uint8_t, 3>::from_shape({h, w, c});
  auto source = [](std::size_t i, std::size_t out, std::size_t& i0, std::size_t& i1, double& f) {
    const double x = std::clamp((static_cast<double>(i) + 0.5) * 48.0 / static_cast<double>(out) - 0.5, 0.0, 47.0);
    i0 = static_cast<std::size_t>(x);
    i1 = std::min<std::size_t>(i0 + 1, 47);
    f = x - static_cast<double>(i0);
  };
  for (std::size_t y = 0; y < h; ++y) {
    std::size_t y0, y1;
    double fy;
    source(y, h, y0, y1, fy);
    for (std::size_t x = 0; x < w; ++x) {
      std::size_t x0, x1;
      double fx;
      source(x, w, x0, x1, fx);
      const double top = face(y0, x0) * (1 - fx) + face(y0, x1) * fx;
      const double bottom = face(y1, x0) * (1 - fx) + face(y1, x1) * fx;
      const double v = top * (1 - fy) + bottom * fy;
      for (std::size_t k = 0; k < c; ++k) {
        const double t = v * (1.0 - 0.15 * static_cast<double>(k)) + 20.0 * static_cast<double>(k);
        img(y, x, k) = static_cast<std::uint8_t>(std::clamp(std::floor(t + 0.5), 0.0, 255.0));
      }
    }
  }
  return disfer::apply(condition, img, disfer::stream_key{2022, item});
}

struct face_case {
  std::string name;
  xt::xtensor<std::uint8_t, 3> image;
};

// The synthetic face at 48 x 48 (1 and 3 channels) and resized to 31 x 57, 57 x 31, 64 x 64,
// 100 x 7 and 7 x 100 (1 and 3 channels), each under the 10 DisFER conditions: 120 images.
std::vector<face_case> synthetic_faces() {
  struct shape {
    std::size_t h, w;
  };
  const shape shapes[] = {{48, 48}, {31, 57}, {57, 31}, {64, 64}, {100, 7}, {7, 100}};
  const auto conditions = disfer::disfer_conditions();
  std::vector<face_case> faces;
  std::uint64_t item = 0;
  for (const auto& sh : shapes)
    for (std::size_t c : {1, 3})
      for (const auto& cond : conditions)
        faces.push_back(
            {std::to_string(sh.h) + "x" + std::to_string(sh.w) + "x" + std::to_string(c) + " " + disfer::label(cond),
             synthetic_face_u8(sh.h, sh.w, c, cond, item++)});
  return faces;
}

// The four borders with OpenCV's names for them.
struct border_case {
  blur_border border;
  int cv_border;  // cv::BorderTypes value (same numbers without OpenCV: 4, 2, 1, 0)
  const char* name;
};
const border_case all_borders[] = {{blur_border::reflect101, 4, "reflect101"},
                                   {blur_border::reflect, 2, "reflect"},
                                   {blur_border::replicate, 1, "replicate"},
                                   {blur_border::constant, 0, "constant"}};

// Sigmas of the face tests: the DisFER levels and others on both sides.
[[maybe_unused]] const double face_sigmas[] = {0.8, 1.1, 1.4, 0.3, 0.5, 2.0, 3.3, 5.0};

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

static_assert(cv::BORDER_REFLECT_101 == 4 && cv::BORDER_REFLECT == 2 && cv::BORDER_REPLICATE == 1 &&
              cv::BORDER_CONSTANT == 0);

template <class T>
cv::Mat to_mat(const xt::xtensor<T, 3>& img) {
  cv::Mat m(static_cast<int>(img.shape()[0]), static_cast<int>(img.shape()[1]),
            CV_MAKETYPE(cv::DataType<T>::depth, static_cast<int>(img.shape()[2])));
  std::copy(img.data(), img.data() + img.size(), m.ptr<T>());
  return m;
}

// cv::GaussianBlur(src, dst, Size(0, 0), sigma, 0, border) of img, as the pixels in img's order.
template <class T>
std::vector<T> cv_blur(const xt::xtensor<T, 3>& img, double sigma, int cv_border) {
  const cv::Mat src = to_mat(img);
  cv::Mat dst;
  cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma, 0, cv_border);
  REQUIRE(dst.isContinuous());
  return std::vector<T>(dst.ptr<T>(), dst.ptr<T>() + img.size());
}

std::size_t count_differences_u8(const xt::xtensor<std::uint8_t, 3>& img, double sigma, int cv_border,
                                 blur_border border) {
  const auto ref = cv_blur(img, sigma, cv_border);
  disfer::blur_options o;
  o.border = border;
  const auto out = disfer::gaussian_blur(img, sigma, o);
  std::size_t diff = 0;
  for (std::size_t i = 0; i < out.size(); ++i) diff += out.data()[i] != ref[i];
  return diff;
}

}  // namespace

TEST_CASE("blur parity: uint8 byte-identical to cv::GaussianBlur on synthetic faces, every shape and border",
          "[image][gaussian_blur][opencv]") {
  REQUIRE(CV_VERSION_MAJOR >= 4);
  const auto faces = synthetic_faces();
  REQUIRE(faces.size() == 120);
  std::size_t compared = 0;
  for (const auto& f : faces)
    for (const auto& b : all_borders)
      for (double sigma : face_sigmas) {
        INFO(f.name << " border " << b.name << " sigma " << sigma);
        CHECK(count_differences_u8(f.image, sigma, b.cv_border, b.border) == 0);
        ++compared;
      }
  CHECK(compared == 120 * 4 * 8);
}

TEST_CASE("blur parity: float32 and double against cv::GaussianBlur on synthetic faces, every border",
          "[image][gaussian_blur][opencv]") {
  // float32: within 1e-6 relative of OpenCV's float path (as on random textures below). double:
  // within 1e-12 absolute of OpenCV's CV_64F path (on the 0-1 scale; the tolerance of the direct
  // convolution check below). uint16 is checked against the direct convolution only: OpenCV's
  // CV_16U path is fixed point (ufixedpoint32 kernels) and disfer's is exact, and they differ by up
  // to 2 on these faces (salt-and-pepper at sigma 0.3, where 0 and 65535 meet).
  const auto faces = synthetic_faces();
  for (const auto& f : faces) {
    const auto f32 = disfer_test::convert<float>(f.image, 1.0 / 255);
    const auto f64 = disfer_test::convert<double>(f.image, 1.0 / 255);
    for (const auto& b : all_borders)
      for (double sigma : face_sigmas) {
        if (sigma > 3 && f.image.shape()[2] == 3) continue;  // the widest kernels on 1 channel only (time)
        INFO(f.name << " border " << b.name << " sigma " << sigma);
        disfer::blur_options o;
        o.border = b.border;
        const auto ref32 = cv_blur(f32, sigma, b.cv_border);
        const auto out32 = disfer::gaussian_blur(f32, sigma, o);
        std::size_t bad32 = 0;
        for (std::size_t i = 0; i < out32.size(); ++i)
          bad32 += !(std::fabs(double(out32.data()[i]) - double(ref32[i])) <= 1e-6 * std::fabs(double(ref32[i])));
        CHECK(bad32 == 0);
        const auto ref64 = cv_blur(f64, sigma, b.cv_border);
        const auto out64 = disfer::gaussian_blur(f64, sigma, o);
        double worst64 = 0;
        for (std::size_t i = 0; i < out64.size(); ++i)
          worst64 = std::max(worst64, std::fabs(out64.data()[i] - ref64[i]));
        CHECK(worst64 <= 1e-12);
      }
  }
}

TEST_CASE("blur parity: uint8 byte-identical to cv::GaussianBlur on FER-2013 faces (DISFER_FER2013)",
          "[image][gaussian_blur][opencv]") {
  REQUIRE(CV_VERSION_MAJOR >= 4);
  DISFER_REQUIRE_FER2013(fer);
  const auto faces = fer2013_faces(fer.path, 200);
  REQUIRE(!faces.empty());
  for (double sigma : {0.8, 1.1, 1.4})
    for (std::size_t f = 0; f < faces.size(); ++f)
      for (const auto& b : all_borders) {
        INFO("face " << f << " sigma " << sigma << " border " << b.name);
        CHECK(count_differences_u8(faces[f], sigma, b.cv_border, b.border) == 0);
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

TEST_CASE("blur: uint16, uint8-exact and double on synthetic faces equal the direct convolution, every border",
          "[image][gaussian_blur]") {
  // The same references as the two tests above (rounded direct 2-D convolution; 1e-12 for double)
  // on the synthetic faces, every border (constant 0): the 48 x 48 1-channel faces at the DisFER
  // sigmas, 0.5 and 2.0; every other 1-channel face and the 3-channel 48 x 48 and 100 x 7 faces at
  // 1.1 (the long double direct convolution is slow; OpenCV checks every face and sigma above).
  const auto faces = synthetic_faces();
  std::size_t compared = 0;
  for (const auto& f : faces) {
    const auto u16 = disfer_test::convert<std::uint16_t>(f.image, 257.0);
    const auto f64 = disfer_test::convert<double>(f.image, 1.0 / 255);
    const std::size_t h = f.image.shape()[0], w = f.image.shape()[1], c = f.image.shape()[2];
    std::vector<double> sigmas;
    if (c == 1 || (h == 48 && w == 48) || (h == 100 && w == 7)) sigmas = {1.1};
    if (c == 1 && h == 48 && w == 48) sigmas = {0.8, 1.1, 1.4, 0.5, 2.0};
    for (const auto& b : all_borders)
      for (double sigma : sigmas) {
        ++compared;
        INFO(f.name << " border " << b.name << " sigma " << sigma);
        disfer::blur_options o;
        o.border = b.border;
        disfer::blur_options exact = o;
        exact.arithmetic = disfer::blur_arithmetic::exact;
        const auto out16 = disfer::gaussian_blur(u16, sigma, o);
        const auto ref16 = ref_blur(u16, sigma, disfer::gaussian_blur_taps<std::uint16_t>(sigma), b.border, 0);
        const auto out8 = disfer::gaussian_blur(f.image, sigma, exact);
        const auto ref8 = ref_blur(f.image, sigma, disfer::gaussian_blur_taps<std::uint8_t>(sigma), b.border, 0);
        const auto out64 = disfer::gaussian_blur(f64, sigma, o);
        const auto ref64 = ref_blur(f64, sigma, disfer::gaussian_blur_taps<double>(sigma), b.border, 0);
        std::size_t bad = 0;
        double worst64 = 0;
        for (std::size_t i = 0; i < out16.size(); ++i) {
          // skip values within 1e-9 of a rounding tie (none expected)
          if (std::fabs(ref16[i] - std::floor(ref16[i]) - 0.5L) > 1e-9L)
            bad += out16.data()[i] != static_cast<std::uint16_t>(std::llround(static_cast<double>(ref16[i])));
          if (std::fabs(ref8[i] - std::floor(ref8[i]) - 0.5L) > 1e-9L)
            bad += out8.data()[i] != static_cast<std::uint8_t>(std::llround(static_cast<double>(ref8[i])));
          worst64 = std::max(worst64, static_cast<double>(std::fabs(out64.data()[i] - ref64[i])));
        }
        CHECK(bad == 0);
        CHECK(worst64 <= 1e-12);
      }
  }
  CHECK(compared == 4 * (10 * 5 + 50 + 20));
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
