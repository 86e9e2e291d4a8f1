// The graph runner's run-time SIMD kernels (detail/sgemm.hpp, the dispatched depthwise and pooling
// loops of detail/ops.hpp) on every path this machine has, against references computed here in
// double precision by the textbook definitions (C_ij = sum_k A_ik B_kj + bias_j, then the
// activation; depthwise and pooling by their TensorFlow definitions, tested by hand in test_ops):
// shapes with edge tiles in both directions, n <= 16 (the AVX-512 16-wide tile), k = 1, every
// epilogue; and the packed-filter cache of the graph runner, which must follow with_constants.
#include <catch2/catch.hpp>
#include <disfer/inference/detail/ops.hpp>
#include <disfer/inference/tfjs_graph.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "graph_builder.hpp"
#include "simd_paths.hpp"

namespace d = disfer::detail;
using disfer::tensor;

namespace {

// Values in [-1, 1) from a fixed linear congruential sequence (any fixed data will do).
std::vector<float> values(std::size_t n, std::uint32_t seed) {
  std::vector<float> v(n);
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed >> 8) / 8388608.0f - 1.0f;
  }
  return v;
}

double activate(double v, d::gemm_epilogue ep) {  // the fused epilogue, in double
  if (ep == d::gemm_epilogue::none) return v;
  v = std::max(v, 0.0);
  return ep == d::gemm_epilogue::relu6 ? std::min(v, 6.0) : v;
}

// Every dispatched path the CPU has (not portable: the product's portable path is Eigen's).
std::vector<d::simd_path> simd_paths_here() {
  std::vector<d::simd_path> v;
  for (const auto p : disfer_test::all_simd_paths)
    if (p != d::simd_path::portable && d::simd_path_available(p)) v.push_back(p);
  return v;
}

}  // namespace

TEST_CASE("sgemm: every SIMD path against a double-precision product", "[inference][sgemm]") {
  struct shape {
    std::int64_t m, k, n;
  };
  // Edge tiles (m not a multiple of 4, 6 or 8; n not of 8, 16 or 32), n <= 16, k = 1, and the
  // network's own shapes (29 x 29 rows, k 288, n 64; the 7-class head, k 2304).
  const shape shapes[] = {{1, 1, 1},  {7, 3, 5},   {13, 17, 33},   {50, 1, 40},   {33, 64, 16},
                          {9, 9, 32}, {25, 31, 7}, {841, 288, 64}, {36, 2304, 7}, {121, 256, 256}};
  const auto paths = simd_paths_here();
  for (const auto& s : shapes)
    for (const auto ep : {d::gemm_epilogue::none, d::gemm_epilogue::relu, d::gemm_epilogue::relu6}) {
      const auto a = values(static_cast<std::size_t>(s.m * s.k), 1), b = values(static_cast<std::size_t>(s.k * s.n), 2);
      auto bias = values(static_cast<std::size_t>(s.n), 3);
      for (auto& x : bias) x *= 4;  // so that relu6 clips some outputs
      // The kernels compute act(3 A B + 3 bias): A and the bias are scaled by 3 (exactly, in
      // float) so that relu6 clips some outputs. Reference in double, and the error bound of any
      // float32 dot product of k terms plus a bias, in any order, with or without FMA (Higham,
      // Accuracy and Stability of Numerical Algorithms, 2nd ed., eq. 3.5): gamma_{k+1} times the
      // sum of the absolute values of the terms, gamma_j = j u / (1 - j u), u = 2^-24.
      auto a3 = a;
      for (auto& x : a3) x *= 3;
      auto bias3 = bias;
      for (auto& x : bias3) x *= 3;
      std::vector<double> ref(static_cast<std::size_t>(s.m * s.n)), bound(ref.size());
      const double u = std::ldexp(1.0, -24), gamma = double(s.k + 1) * u / (1 - double(s.k + 1) * u);
      for (std::int64_t i = 0; i < s.m; ++i)
        for (std::int64_t j = 0; j < s.n; ++j) {
          double v = bias3[static_cast<std::size_t>(j)], mag = std::abs(v);
          for (std::int64_t q = 0; q < s.k; ++q) {
            const double t =
                double(a3[static_cast<std::size_t>(i * s.k + q)]) * b[static_cast<std::size_t>(q * s.n + j)];
            v += t, mag += std::abs(t);
          }
          ref[static_cast<std::size_t>(i * s.n + j)] = activate(v, ep);
          bound[static_cast<std::size_t>(i * s.n + j)] = gamma * mag;  // the activations only shrink errors
        }
      for (const auto path : paths) {
        INFO(disfer_test::simd_path_label(path)
             << ": m " << s.m << " k " << s.k << " n " << s.n << " epilogue " << int(ep));
        const std::int64_t nr = d::gemm_tile_of(path, s.n).nr;
        const auto panels = d::pack_panels(b.data(), s.k, s.n, nr);
        const auto padded = d::pad_bias(bias3.data(), s.n, nr);
        // C has one guard column each side, which must stay untouched.
        const std::int64_t ldc = s.n + 2;
        std::vector<float> c(static_cast<std::size_t>(s.m * ldc), -7.0f);
        d::sgemm_packed(path, s.m, s.k, s.n, a3.data(), s.k, panels.data(), padded.data(), c.data() + 1, ldc, ep);
        std::size_t guards = 0, outside = 0, clipped = 0;
        for (std::int64_t i = 0; i < s.m; ++i) {
          guards += c[static_cast<std::size_t>(i * ldc)] != -7.0f;
          guards += c[static_cast<std::size_t>(i * ldc + ldc - 1)] != -7.0f;
          for (std::int64_t j = 0; j < s.n; ++j) {
            const auto e = static_cast<std::size_t>(i * s.n + j);
            const double got = c[static_cast<std::size_t>(i * ldc + 1 + j)];
            outside += std::abs(got - ref[e]) > bound[e] + std::abs(ref[e]) * u;  // + the final rounding
            clipped += got == 6.0;
          }
        }
        CHECK(guards == 0);
        CHECK(outside == 0);
        if (ep == d::gemm_epilogue::relu6 && s.m * s.n >= 100) CHECK(clipped > 0);
      }
    }
}

TEST_CASE("ops: Conv2D, depthwise and pooling agree on every SIMD path", "[inference][ops][simd]") {
  // Channel counts that exercise the 128-, 64- and 16-wide depthwise blocks and the remainder
  // (multiplier 1), a multiplier 2 case, stride 2 SAME and dilation.
  struct case_ {
    std::int64_t h, w, c, m, stride, dilation;
  };
  const case_ cases[] = {
      {9, 7, 256, 1, 1, 1}, {8, 8, 64, 1, 2, 1}, {5, 6, 19, 1, 1, 2}, {6, 5, 3, 2, 2, 1}, {4, 4, 208, 1, 1, 1}};
  for (const auto& cs : cases) {
    const tensor x = tensor::from({2, cs.h, cs.w, cs.c}, values(std::size_t(2 * cs.h * cs.w * cs.c), 5));
    const tensor dw = tensor::from({3, 3, cs.c, cs.m}, values(std::size_t(9 * cs.c * cs.m), 6));
    const tensor db = tensor::from({cs.c * cs.m}, values(std::size_t(cs.c * cs.m), 7));
    const tensor cf = tensor::from({3, 3, cs.c, 21}, values(std::size_t(9 * cs.c * 21), 8));
    const tensor cb = tensor::from({21}, values(21, 9));
    d::conv_geometry g;
    g.stride_h = g.stride_w = cs.stride;
    g.dilation_h = g.dilation_w = cs.stride == 1 ? cs.dilation : 1;
    g.padding = d::padding_mode::same;
    d::conv_geometry pool = g;
    pool.dilation_h = pool.dilation_w = 1;
    tensor dw_ref, conv_ref, max_ref, avg_ref;
    {
      const disfer_test::forced_simd_path forced(d::simd_path::portable);
      dw_ref = d::depthwise_conv2d(x, dw, &db, g, d::activation::relu6);
      conv_ref = d::conv2d(x, cf, &cb, g, d::activation::relu);
      max_ref = d::pool2d(x, d::pool_kind::max, 3, 3, pool);
      avg_ref = d::pool2d(x, d::pool_kind::average, 3, 3, pool);
    }
    auto close = [](const tensor& p, const tensor& q) {
      double worst = 0;
      for (std::size_t i = 0; i < p.values.size(); ++i)
        worst = std::max(worst, double(std::abs(p.values[i] - q.values[i])) / std::max(1.0f, std::abs(q.values[i])));
      return worst;
    };
    for (const auto path : simd_paths_here()) {
      const disfer_test::forced_simd_path forced(path);
      INFO(disfer_test::simd_path_label(path) << ": " << cs.h << "x" << cs.w << "x" << cs.c << " multiplier " << cs.m
                                              << " stride " << cs.stride << " dilation " << g.dilation_h);
      const auto dwp = d::depthwise_conv2d(x, dw, &db, g, d::activation::relu6);
      REQUIRE(dwp.shape == dw_ref.shape);
      CHECK(close(dwp, dw_ref) <= 1e-6);  // 9 products: FMA or not, a few ulps
      const auto cp = d::conv2d(x, cf, &cb, g, d::activation::relu);
      REQUIRE(cp.shape == conv_ref.shape);
      // Sums of up to 9 x 256 products of values in [-1, 1) in another order than Eigen's: the
      // graph oracle's tolerance for intermediate outputs (test_tfjs_oracle.cpp).
      CHECK(close(cp, conv_ref) <= 1e-4);
      // Max and average pooling do the same operations in the same order on every path.
      CHECK(d::pool2d(x, d::pool_kind::max, 3, 3, pool).values == max_ref.values);
      CHECK(d::pool2d(x, d::pool_kind::average, 3, 3, pool).values == avg_ref.values);
    }
  }
}

TEST_CASE("tfjs_graph: the packed filters follow with_constants", "[inference][tfjs_graph][simd]") {
  // x [1, 2, 2, 1] -> Conv2D 1x1 with filter w (1 -> 3 channels): y = x * w.
  disfer_test::model_files m;
  m.add_node("x", "Placeholder", {},
             {{"shape", {{"shape", {{"dim", {{{"size", "-1"}}, {{"size", "2"}}, {{"size", "2"}}, {{"size", "1"}}}}}}}},
              {"dtype", {{"type", "DT_FLOAT"}}}});
  m.add_float("w", {1, 1, 1, 3}, {1, 2, 3});
  m.add_node("y", "Conv2D", {"x", "w"},
             {{"padding", disfer_test::str_attr("VALID")}, {"strides", disfer_test::ints_attr({1, 1, 1, 1})}});
  const auto g = disfer::tfjs_graph_model::load(m.write("packed_filter_cache"));
  const tensor x = tensor::from({1, 2, 2, 1}, {1, 2, 3, 4});
  for (const auto path : disfer_test::all_simd_paths) {
    if (!d::simd_path_available(path)) continue;
    const disfer_test::forced_simd_path forced(path);
    INFO(disfer_test::simd_path_label(path));
    CHECK(g.run(x).values == std::vector<float>{1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12});
    // A copy with another filter must use it, not the panels packed for the original; the
    // original keeps its own.
    const auto g2 = g.with_constants({{"w", tensor::from({1, 1, 1, 3}, {-1, 0, 10})}});
    CHECK(g2.run(x).values == std::vector<float>{-1, 0, 10, -2, 0, 20, -3, 0, 30, -4, 0, 40});
    CHECK(g.run(x).values == std::vector<float>{1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12});
  }
}
