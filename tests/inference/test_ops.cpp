// The graph runner's kernels against hand-computed cases (each expected value is worked out in
// the comment beside it), including TensorFlow's SAME padding with stride 2 on odd and even sizes
// (TensorFlow: out = ceil(in / stride), pad_before = floor(pad_total / 2)).
#include <catch2/catch.hpp>
#include <disfer/inference/detail/ops.hpp>

#include <cmath>
#include <vector>

using disfer::tensor;
namespace d = disfer::detail;

namespace {

// 1 x h x w x 1 tensor with x[i][j] = i*w + j.
tensor ramp(std::int64_t h, std::int64_t w) {
  tensor t = tensor::zeros({1, h, w, 1});
  for (std::size_t i = 0; i < t.values.size(); ++i) t.values[i] = static_cast<float>(i);
  return t;
}

d::conv_geometry same2() {
  d::conv_geometry g;
  g.stride_h = g.stride_w = 2;
  g.padding = d::padding_mode::same;
  return g;
}

}  // namespace

TEST_CASE("ops: TensorFlow's window rule", "[inference][ops]") {
  // SAME, stride 2: in 5, k 3 -> out ceil(5/2) = 3, pad_total (3-1)*2 + 3 - 5 = 2, before 1.
  auto w = d::window(5, 3, 2, 1, d::padding_mode::same, "op");
  CHECK(w.out == 3);
  CHECK(w.pad_before == 1);
  // SAME, stride 2: in 4, k 3 -> out 2, pad_total 2 + 3 - 4 = 1, before 0 (after 1).
  w = d::window(4, 3, 2, 1, d::padding_mode::same, "op");
  CHECK(w.out == 2);
  CHECK(w.pad_before == 0);
  // SAME, 1x1 kernel, stride 2 on 29 (the model's residual branch): out 15, no padding.
  w = d::window(29, 1, 2, 1, d::padding_mode::same, "op");
  CHECK(w.out == 15);
  CHECK(w.pad_before == 0);
  // VALID: floor((64 - 3) / 2) + 1 = 31 (the model's first convolution).
  CHECK(d::window(64, 3, 2, 1, d::padding_mode::valid, "op").out == 31);
  // Dilation 2 makes a 3-tap kernel span 5.
  CHECK(d::window(5, 3, 1, 2, d::padding_mode::valid, "op").out == 1);
  CHECK_THROWS_WITH(d::window(2, 3, 1, 1, d::padding_mode::valid, "Conv2D"),
                    Catch::StartsWith("Conv2D: VALID padding needs an input of at least 3"));
  CHECK_THROWS_AS(d::window(5, 3, 0, 1, d::padding_mode::same, "op"), disfer::error);
}

TEST_CASE("ops: Conv2D SAME stride 2 on an odd size (5x5)", "[inference][ops]") {
  const tensor f = tensor::zeros({3, 3, 1, 1}, 1.0f);  // sums of 3x3 windows
  const tensor y = d::conv2d(ramp(5, 5), f, nullptr, same2());
  REQUIRE(y.shape == std::vector<std::int64_t>{1, 3, 3, 1});
  // pad before 1: output (r, c) sums rows 2r-1..2r+1, columns 2c-1..2c+1 of x = 5i + j.
  // (0,0): 0+1+5+6 = 12; (0,1): 1+2+3+6+7+8 = 27; (1,1): 6+7+8+11+12+13+16+17+18 = 108;
  // (2,2): 18+19+23+24 = 84; (2,0): 15+16+20+21 = 72.
  CHECK(y.values[0] == 12);
  CHECK(y.values[1] == 27);
  CHECK(y.values[4] == 108);
  CHECK(y.values[8] == 84);
  CHECK(y.values[6] == 72);
}

TEST_CASE("ops: Conv2D SAME stride 2 on an even size (4x4)", "[inference][ops]") {
  const tensor f = tensor::zeros({3, 3, 1, 1}, 1.0f);
  const tensor y = d::conv2d(ramp(4, 4), f, nullptr, same2());
  REQUIRE(y.shape == std::vector<std::int64_t>{1, 2, 2, 1});
  // pad before 0, after 1; x = 4i + j. (0,0): rows 0-2, cols 0-2: 3+15+27 = 45;
  // (0,1): rows 0-2, cols 2-3: 5+13+21 = 39; (1,0): rows 2-3, cols 0-2: 27+39 = 66;
  // (1,1): 10+11+14+15 = 50.
  CHECK(y.values == std::vector<float>{45, 39, 66, 50});
}

TEST_CASE("ops: Conv2D channels, bias, Relu and Relu6", "[inference][ops]") {
  const tensor x = tensor::from({1, 1, 1, 2}, {1, 2});
  // HWIO filter: w[ci][co] = [[1, -3], [2, 0.5]]: co0 = 1*1 + 2*2 = 5, co1 = 1*-3 + 2*0.5 = -2.
  const tensor f = tensor::from({1, 1, 2, 2}, {1, -3, 2, 0.5f});
  const tensor b = tensor::from({2}, {0.5f, 1});
  d::conv_geometry g;
  CHECK(d::conv2d(x, f, nullptr, g).values == std::vector<float>{5, -2});
  CHECK(d::conv2d(x, f, &b, g).values == std::vector<float>{5.5f, -1});
  CHECK(d::conv2d(x, f, &b, g, d::activation::relu).values == std::vector<float>{5.5f, 0});
  const tensor b2 = tensor::from({2}, {1.5f, 1});  // 6.5 and -1 -> Relu6 -> 6 and 0
  CHECK(d::conv2d(x, f, &b2, g, d::activation::relu6).values == std::vector<float>{6, 0});
}

TEST_CASE("ops: Conv2D with dilation, batch and VALID", "[inference][ops]") {
  d::conv_geometry g;
  g.dilation_h = g.dilation_w = 2;
  const tensor f = tensor::zeros({3, 3, 1, 1}, 1.0f);
  // Rows and columns {0, 2, 4} of x = 5i + j: sum = 3*5*(0+2+4) + 3*(0+2+4) = 108.
  CHECK(d::conv2d(ramp(5, 5), f, nullptr, g).values == std::vector<float>{108});
  // Two images in a batch: the second is the first plus 1 everywhere -> each 2x2 VALID window sum + 4.
  tensor x = tensor::zeros({2, 3, 3, 1});
  for (int i = 0; i < 9; ++i) x.values[i] = float(i), x.values[9 + i] = float(i + 1);
  const tensor y = d::conv2d(x, tensor::zeros({2, 2, 1, 1}, 1.0f), nullptr, d::conv_geometry{});
  // Windows of 0..8 in 3x3: (0,0) 0+1+3+4 = 8, (0,1) 12, (1,0) 20, (1,1) 24.
  CHECK(y.values == std::vector<float>{8, 12, 20, 24, 12, 16, 24, 28});
}

TEST_CASE("ops: Conv2D rejects inconsistent shapes", "[inference][ops]") {
  CHECK_THROWS_WITH(d::conv2d(ramp(4, 4), tensor::zeros({3, 3, 2, 1}), nullptr, d::conv_geometry{}),
                    Catch::Contains("expects 2 input channels") && Catch::Contains("has 1"));
  const tensor b = tensor::zeros({3});
  CHECK_THROWS_WITH(d::conv2d(ramp(4, 4), tensor::zeros({1, 1, 1, 2}), &b, d::conv_geometry{}),
                    Catch::Contains("bias has shape [3], expected [2]"));
  CHECK_THROWS_AS(d::conv2d(tensor::zeros({4, 4}), tensor::zeros({1, 1, 1, 1}), nullptr, d::conv_geometry{}),
                  disfer::error);
}

TEST_CASE("ops: DepthwiseConv2dNative, SAME, channel multiplier", "[inference][ops]") {
  // 3x3 input, channel 0 = 3i + j, channel 1 = 1; filter ones on channel 0, twos on channel 1.
  tensor x = tensor::zeros({1, 3, 3, 2});
  for (int p = 0; p < 9; ++p) x.values[2 * p] = float(p), x.values[2 * p + 1] = 1;
  tensor f = tensor::zeros({3, 3, 2, 1});
  for (int t = 0; t < 9; ++t) f.values[2 * t] = 1, f.values[2 * t + 1] = 2;
  d::conv_geometry g;
  g.padding = d::padding_mode::same;
  const tensor y = d::depthwise_conv2d(x, f, nullptr, g);
  REQUIRE(y.shape == std::vector<std::int64_t>{1, 3, 3, 2});
  // Corner (0,0): channel 0 sums 0+1+3+4 = 8, channel 1 sums 4 taps * 2 = 8.
  CHECK(y.values[0] == 8);
  CHECK(y.values[1] == 8);
  // Centre: 0+...+8 = 36 and 9*2 = 18.
  CHECK(y.values[8] == 36);
  CHECK(y.values[9] == 18);
  // SAME stride 2 on the odd 5x5: same windows as the Conv2D case with one channel; besides the
  // sums worked out there, (1,0) = 5+6+10+11+15+16 = 63, (1,2) = 8+9+13+14+18+19 = 81,
  // (2,1) = 16+17+18+21+22+23 = 117, (0,2) = 3+4+8+9 = 24.
  const tensor y2 = d::depthwise_conv2d(ramp(5, 5), tensor::zeros({3, 3, 1, 1}, 1.0f), nullptr, same2());
  CHECK(y2.values == std::vector<float>{12, 27, 24, 63, 108, 81, 72, 117, 84});
  // Multiplier 2 on one channel: out channels [2x, -x], bias [1, 1], Relu.
  const tensor f2 = tensor::from({1, 1, 1, 2}, {2, -1});
  const tensor b = tensor::from({2}, {1, 1});
  const tensor y3 =
      d::depthwise_conv2d(tensor::from({1, 1, 2, 1}, {3, -4}), f2, &b, d::conv_geometry{}, d::activation::relu);
  // pixel 0: 2*3+1 = 7, -3+1 -> 0; pixel 1: -8+1 -> 0, 4+1 = 5.
  CHECK(y3.values == std::vector<float>{7, 0, 0, 5});
}

TEST_CASE("ops: MaxPool and AvgPool, SAME stride 2, odd and even sizes", "[inference][ops]") {
  // 5x5, x = 5i + j: windows as in the Conv2D case. Max: (0,0) 6, (1,1) 18, (2,2) 24.
  tensor y = d::pool2d(ramp(5, 5), d::pool_kind::max, 3, 3, same2());
  CHECK(y.values == std::vector<float>{6, 8, 9, 16, 18, 19, 21, 23, 24});
  // Average ignores the padding: (0,0) 12/4 = 3; (0,1) 27/6 = 4.5; (1,1) 108/9 = 12.
  y = d::pool2d(ramp(5, 5), d::pool_kind::average, 3, 3, same2());
  CHECK(y.values[0] == 3);
  CHECK(y.values[1] == 4.5f);
  CHECK(y.values[4] == 12);
  // 4x4, x = 4i + j, pad after only: max (0,0) 10, (0,1) 11, (1,0) 14, (1,1) 15; avg (1,1) 50/4.
  y = d::pool2d(ramp(4, 4), d::pool_kind::max, 3, 3, same2());
  CHECK(y.values == std::vector<float>{10, 11, 14, 15});
  y = d::pool2d(ramp(4, 4), d::pool_kind::average, 3, 3, same2());
  CHECK(y.values == std::vector<float>{5, 6.5f, 11, 12.5f});
  // Negative values: the padding never wins the max.
  tensor neg = ramp(5, 5);
  for (auto& v : neg.values) v = -v - 1;
  CHECK(d::pool2d(neg, d::pool_kind::max, 3, 3, same2()).values[0] == -1);
}

TEST_CASE("ops: AddV2 broadcasting", "[inference][ops]") {
  const tensor a = tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK(d::add(a, tensor::from({3}, {10, 20, 30})).values == std::vector<float>{11, 22, 33, 14, 25, 36});
  const tensor col = tensor::from({2, 1}, {1, 2}), row = tensor::from({1, 3}, {10, 20, 30});
  const tensor outer = d::add(col, row);
  CHECK(outer.shape == std::vector<std::int64_t>{2, 3});
  CHECK(outer.values == std::vector<float>{11, 21, 31, 12, 22, 32});
  CHECK(d::add(a, a).values == std::vector<float>{2, 4, 6, 8, 10, 12});
  CHECK_THROWS_WITH(d::add(a, tensor::from({2}, {1, 2})), Catch::Contains("[2, 3] and [2] cannot be broadcast"));
}

TEST_CASE("ops: Relu, Relu6, Mean, Softmax, Reshape", "[inference][ops]") {
  const tensor x = tensor::from({4}, {-1, 0.5f, 7, 3});
  CHECK(d::activate(x, d::activation::relu, "Relu").values == std::vector<float>{0, 0.5f, 7, 3});
  CHECK(d::activate(x, d::activation::relu6, "Relu6").values == std::vector<float>{0, 0.5f, 6, 3});
  // Mean over H and W of a 1x2x2x3 tensor holding 0..11: channel c averages c, c+3, c+6, c+9 = c + 4.5.
  tensor m = tensor::zeros({1, 2, 2, 3});
  for (int i = 0; i < 12; ++i) m.values[i] = float(i);
  auto y = d::mean(m, {1, 2}, false);
  CHECK(y.shape == std::vector<std::int64_t>{1, 3});
  CHECK(y.values == std::vector<float>{4.5f, 5.5f, 6.5f});
  y = d::mean(m, {-3, -2}, true);
  CHECK(y.shape == std::vector<std::int64_t>{1, 1, 1, 3});
  CHECK_THROWS_WITH(d::mean(m, {4}, false), Catch::StartsWith("Mean: axis 4 is out of range"));
  CHECK_THROWS_WITH(d::mean(m, {1, 1}, false), Catch::Contains("repeated"));
  // softmax([1, 2, 3]) = exp(v) / (e + e^2 + e^3): scipy.special.softmax([1, 2, 3])
  // = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219].
  y = d::softmax(tensor::from({1, 3}, {1, 2, 3}));
  CHECK(y.values[0] == Approx(0.09003057317038046).epsilon(1e-6));
  CHECK(y.values[1] == Approx(0.24472847105479767).epsilon(1e-6));
  CHECK(y.values[2] == Approx(0.6652409557748219).epsilon(1e-6));
  // Large logits do not overflow.
  CHECK(d::softmax(tensor::from({2}, {1000, 1000})).values == std::vector<float>{0.5f, 0.5f});
  y = d::reshape(m, {-1, 6});
  CHECK(y.shape == std::vector<std::int64_t>{2, 6});
  CHECK(y.values == m.values);
  CHECK_THROWS_WITH(d::reshape(m, {5, -1}), Catch::StartsWith("Reshape: cannot reshape [1, 2, 2, 3]"));
  CHECK_THROWS_WITH(d::reshape(m, {-1, -1}), Catch::Contains("more than one -1"));
}
