#pragma once
/// \file
/// CPU kernels of the graph runner (internal): NHWC float32 convolution, depthwise convolution,
/// pooling, broadcasting addition, activations, mean, softmax and reshape, with TensorFlow's
/// SAME/VALID padding rules. Each throws disfer::error starting with the op's TensorFlow name;
/// the graph runner prefixes the node's name.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "disfer/core/error.hpp"
#include "disfer/inference/detail/sgemm.hpp"
#include "disfer/inference/tensor.hpp"

namespace disfer::detail {

/// TensorFlow's padding schemes (tf.nn.conv2d): VALID uses only full windows; SAME pads so that
/// out = ceil(in / stride), with the padding split floor(total/2) before, the rest after.
enum class padding_mode { same, valid };
/// Activation fused into a convolution.
enum class activation { none, relu, relu6 };

/// Output length and padding before the first element along one spatial axis.
struct window_axis {
  std::int64_t out = 0;
  std::int64_t pad_before = 0;
};

/// TensorFlow's output size rule (tensorflow/core/framework/kernel_shape_util.cc,
/// GetWindowedOutputSizeVerbose): effective kernel e = (k-1)*dilation + 1;
/// VALID: out = floor((in - e) / stride) + 1 (requires in >= e); SAME: out = ceil(in / stride),
/// pad_total = max((out-1)*stride + e - in, 0), pad_before = floor(pad_total / 2).
inline window_axis window(std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dilation,
                          padding_mode padding, const char* op) {
  if (k < 1 || stride < 1 || dilation < 1)
    fail(op, "kernel size, stride and dilation must be at least 1 (got ", k, ", ", stride, ", ", dilation, ")");
  const std::int64_t eff = (k - 1) * dilation + 1;
  window_axis w;
  if (padding == padding_mode::valid) {
    if (in < eff) fail(op, "VALID padding needs an input of at least ", eff, " along each axis, got ", in);
    w.out = (in - eff) / stride + 1;
  } else {
    w.out = (in + stride - 1) / stride;
    w.pad_before = std::max<std::int64_t>((w.out - 1) * stride + eff - in, 0) / 2;
  }
  return w;
}

/// Strides, dilations and padding of a 2-D window op (NHWC).
struct conv_geometry {
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  padding_mode padding = padding_mode::valid;
};

DISFER_ALWAYS_INLINE void apply_activation(float* p, std::size_t n, activation act) {
  if (act == activation::relu)
    for (std::size_t i = 0; i < n; ++i) p[i] = std::max(p[i], 0.0f);
  else if (act == activation::relu6)
    for (std::size_t i = 0; i < n; ++i) p[i] = std::min(std::max(p[i], 0.0f), 6.0f);
}

inline void require_float_rank(const tensor& t, std::size_t rank, const char* op, const char* what) {
  if (t.dtype != tensor_dtype::float32) fail(op, what, " must be float32");
  if (t.rank() != rank) fail(op, what, " must have rank ", rank, ", got shape ", shape_string(t.shape));
}

inline const float* checked_bias(const tensor* bias, std::int64_t channels, const char* op) {
  if (!bias) return nullptr;
  if (bias->dtype != tensor_dtype::float32 || bias->rank() != 1 || bias->dim(0) != channels)
    fail(op, "bias has shape ", shape_string(bias->shape), ", expected [", channels, "]");
  return bias->values.data();
}

/// Checked dimensions of a 2-D convolution: input [n, h, w, c], filter [kh, kw, c, f3] (f3: output
/// channels of Conv2D, channel multiplier of the depthwise form), output windows wy and wx.
struct conv_dims {
  std::int64_t n, h, w, c, kh, kw, f3;
  window_axis wy, wx;
};

inline conv_dims check_conv(const tensor& x, const tensor& filter, const conv_geometry& g, const char* op) {
  require_float_rank(x, 4, op, "input");
  require_float_rank(filter, 4, op, "filter");
  conv_dims d{x.dim(0), x.dim(1), x.dim(2), x.dim(3), filter.dim(0), filter.dim(1), filter.dim(3), {}, {}};
  if (filter.dim(2) != d.c)
    fail(op, "filter ", shape_string(filter.shape), " expects ", filter.dim(2), " input channels, the input ",
         shape_string(x.shape), " has ", d.c);
  d.wy = window(d.h, d.kh, g.stride_h, g.dilation_h, g.padding, op);
  d.wx = window(d.w, d.kw, g.stride_w, g.dilation_w, g.padding, op);
  return d;
}

/// A constant filter packed once per SIMD path for conv2d (the graph runner keeps one per Conv2D
/// node), instead of on every call: for the FER-2013 network that was about 1 MB of copying per
/// image. The panels are tied to the filter tensor they were made from (held, so its address cannot be
/// reused): another tensor gets none. Thread-safe.
class filter_panels {
 public:
  /// The panels of `filter` (shape [KH, KW, C, O]) for `path` (resolved, not portable), or null
  /// when this cache belongs to another filter.
  const std::vector<float>* get(simd_path path, const std::shared_ptr<const tensor>& filter) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!source_) source_ = filter;
    if (source_ != filter || filter->dtype != tensor_dtype::float32 || filter->rank() != 4 ||
        filter->values.size() != filter->size())
      return nullptr;
    const auto slot = static_cast<std::size_t>(path) % 5;
    if (!panels_[slot]) {
      const std::int64_t o = filter->dim(3), k = filter->dim(0) * filter->dim(1) * filter->dim(2);
      panels_[slot] = std::make_unique<const std::vector<float>>(
          pack_panels(filter->values.data(), k, o, gemm_tile_of(path, o).nr));
    }
    return panels_[slot].get();
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const tensor> source_;
  std::unique_ptr<const std::vector<float>> panels_[5];
};

/// Makes y a float32 tensor of `shape` whose values are unspecified, keeping its storage (no
/// allocation, no page faults) when it is large enough: for the outputs a network reuses per image.
inline void reuse_as(tensor& y, std::vector<std::int64_t> shape) {
  y.dtype = tensor_dtype::float32;
  y.shape = std::move(shape);
  y.values.resize(y.size());
}

/// Conv2D (tf.nn.conv2d, NHWC input, HWIO filter) with optional bias and activation, as
/// TensorFlow's _FusedConv2D with fused_ops BiasAdd[, Relu|Relu6]. im2col in row blocks of at most
/// ~1 MiB (1x1 stride-1 convolutions skip im2col), each multiplied by the filter with the run-time
/// dispatched sgemm_packed (bias and activation fused), or on the portable path (DISFER_SIMD=portable,
/// or no x86 SIMD) with Eigen's GEMM at the build's flags. The blocks depend only on the tensor
/// shapes, so results never depend on threads elsewhere. `prepacked`, when given, is the filter
/// packed by pack_panels for `path` (resolved), as filter_panels caches it. Complexity
/// O(N*OH*OW*KH*KW*C*O). conv2d_into writes into `y` (any tensor; reuse_as'd to the output, so a y kept across calls
/// allocates once) with the im2col block in `scratch` (null: a local buffer). x must not alias y.
inline void conv2d_into(tensor& y, const tensor& x, const tensor& filter, const tensor* bias, const conv_geometry& g,
                        activation act = activation::none, simd_path path = simd_path::automatic,
                        const std::vector<float>* prepacked = nullptr, std::vector<float>* scratch = nullptr) {
  const char* op = "Conv2D";
  const auto [n, h, w, c, kh, kw, co, wy, wx] = check_conv(x, filter, g, op);
  const float* b = checked_bias(bias, co, op);
  reuse_as(y, {n, wy.out, wx.out, co});  // every value is written below
  const std::int64_t rows = n * wy.out * wx.out, k = kh * kw * c;
  using row_matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const row_matrix> wmat(filter.values.data(), k, co);
  const bool direct = kh == 1 && kw == 1 && g.stride_h == 1 && g.stride_w == 1 && wy.pad_before == 0 &&
                      wx.pad_before == 0 && wy.out == h && wx.out == w;
  const std::int64_t block = std::clamp<std::int64_t>((std::int64_t{1} << 18) / std::max<std::int64_t>(k, 1),
                                                      std::int64_t{64}, std::int64_t{8192});
  path = simd_resolve(path);
  const bool packed = DISFER_SIMD_X86 && path != simd_path::portable;
  std::vector<float> own_panels, bias_padded;
  if (packed) {
    const std::int64_t nr = gemm_tile_of(path, co).nr;
    if (!prepacked) own_panels = pack_panels(filter.values.data(), k, co, nr);
    bias_padded = pad_bias(b, co, nr);
  }
  const float* panels_b = prepacked ? prepacked->data() : own_panels.data();
  const gemm_epilogue ep = act == activation::relu    ? gemm_epilogue::relu
                           : act == activation::relu6 ? gemm_epilogue::relu6
                                                      : gemm_epilogue::none;
  if (packed && direct) {
    sgemm_packed(path, rows, k, co, x.values.data(), k, panels_b, bias_padded.data(), y.values.data(), co, ep);
    return;
  }
  std::vector<float> own_panel;
  std::vector<float>& panel = scratch ? *scratch : own_panel;
  if (!direct) panel.resize(static_cast<std::size_t>(std::min(block, rows) * k));
  for (std::int64_t r0 = 0; r0 < rows; r0 += block) {
    const std::int64_t nr = std::min(block, rows - r0);
    const float* a = nullptr;
    if (direct) {
      a = x.values.data() + r0 * k;
    } else {
      for (std::int64_t r = 0; r < nr; ++r) {
        const std::int64_t idx = r0 + r;
        const std::int64_t ox = idx % wx.out, oy = (idx / wx.out) % wy.out, b_ = idx / (wx.out * wy.out);
        float* dst = panel.data() + r * k;
        const std::int64_t ix0 = ox * g.stride_w - wx.pad_before;
        // A window row inside the image with dilation 1 is kw * c contiguous floats: one copy.
        const bool whole_rows = g.dilation_w == 1 && ix0 >= 0 && ix0 + kw <= w;
        for (std::int64_t i = 0; i < kh; ++i) {
          const std::int64_t iy = oy * g.stride_h + i * g.dilation_h - wy.pad_before;
          if (whole_rows && iy >= 0 && iy < h) {
            const float* src = x.values.data() + ((b_ * h + iy) * w + ix0) * c;
            dst = std::copy(src, src + kw * c, dst);
            continue;
          }
          for (std::int64_t j = 0; j < kw; ++j, dst += c) {
            const std::int64_t ix = ox * g.stride_w + j * g.dilation_w - wx.pad_before;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              std::fill(dst, dst + c, 0.0f);
            } else {
              const float* src = x.values.data() + ((b_ * h + iy) * w + ix) * c;
              std::copy(src, src + c, dst);
            }
          }
        }
      }
      a = panel.data();
    }
    if (packed) {
      sgemm_packed(path, nr, k, co, a, k, panels_b, bias_padded.data(), y.values.data() + r0 * co, co, ep);
      continue;
    }
    const Eigen::Map<const row_matrix> amat(a, nr, k);
    Eigen::Map<row_matrix> out(y.values.data() + r0 * co, nr, co);
    out.noalias() = amat * wmat;
    if (b)
      for (std::int64_t r = 0; r < nr; ++r) {
        float* o = out.data() + r * co;
        for (std::int64_t j = 0; j < co; ++j) o[j] += b[j];
      }
    apply_activation(out.data(), static_cast<std::size_t>(nr * co), act);
  }
}

inline tensor conv2d(const tensor& x, const tensor& filter, const tensor* bias, const conv_geometry& g,
                     activation act = activation::none, simd_path path = simd_path::automatic,
                     const std::vector<float>* prepacked = nullptr) {
  tensor y;
  conv2d_into(y, x, filter, bias, g, act, path, prepacked);
  return y;
}

/// Calls body(args...) compiled for the resolved SIMD path's ISA (AVX-512F, AVX2+FMA, else the
/// build's flags): the loops of an always-inline body are vectorised for the wider registers.
#if DISFER_SIMD_X86
#define DISFER_SIMD_VARIANTS(name, body, params, args)                  \
  __attribute__((target("avx512f"))) inline void name##_avx512 params { \
    body args;                                                          \
  }                                                                     \
  __attribute__((target("avx2,fma"))) inline void name##_avx2 params {  \
    body args;                                                          \
  }                                                                     \
  inline void name params {                                             \
    const simd_path path_ = simd_resolve();                             \
    if (path_ == simd_path::avx512) return name##_avx512 args;          \
    if (path_ == simd_path::avx2) return name##_avx2 args;              \
    body args;                                                          \
  }
#else
#define DISFER_SIMD_VARIANTS(name, body, params, args) \
  inline void name params {                            \
    body args;                                         \
  }
#endif

/// Taps [lo, hi) of a window whose input positions p0 + t * dilation lie inside [0, len)
/// (contiguous, since the position grows with t).
struct tap_range {
  std::int64_t lo = 0, hi = 0;
};

DISFER_ALWAYS_INLINE tap_range inside_taps(std::int64_t p0, std::int64_t k, std::int64_t dilation, std::int64_t len) {
  tap_range r{0, k};
  while (r.lo < k && p0 + r.lo * dilation < 0) ++r.lo;
  while (r.hi > r.lo && p0 + (r.hi - 1) * dilation >= len) --r.hi;
  return r;
}

/// One output pixel's channels [ch0, ch0 + 16 V) of a depthwise convolution with multiplier 1:
/// V accumulators of 16 floats (GCC/Clang vector extensions: zmm registers under AVX-512F, pairs
/// of ymm under AVX2, xmm quadruples otherwise) start from the bias, sum the taps inside the image
/// in row-major order, then the activation and one store.
template <int V>
DISFER_ALWAYS_INLINE void depthwise_block(const float* __restrict xv, const float* __restrict f,
                                          const float* __restrict b, float* __restrict o, std::int64_t ch0,
                                          std::int64_t c, std::int64_t w, std::int64_t kw, std::int64_t iy0,
                                          std::int64_t ix0, tap_range ti, tap_range tj, const conv_geometry& g,
                                          activation act) {
  typedef float v16 __attribute__((vector_size(64)));
  v16 acc[V];
  for (int q = 0; q < V; ++q) {
    if (b)
      __builtin_memcpy(&acc[q], b + ch0 + 16 * q, sizeof(v16));
    else
      acc[q] = v16{};
  }
  for (std::int64_t i = ti.lo; i < ti.hi; ++i) {
    const float* __restrict row = xv + (iy0 + i * g.dilation_h) * w * c + ch0;
    const float* __restrict fi = f + i * kw * c + ch0;
    for (std::int64_t j = tj.lo; j < tj.hi; ++j) {
      const float* __restrict src = row + (ix0 + j * g.dilation_w) * c;
      const float* __restrict fk = fi + j * c;
      for (int q = 0; q < V; ++q) {
        v16 sv, fv;
        __builtin_memcpy(&sv, src + 16 * q, sizeof(v16));
        __builtin_memcpy(&fv, fk + 16 * q, sizeof(v16));
        acc[q] += sv * fv;
      }
    }
  }
  for (int q = 0; q < V; ++q) {
    float lanes[16];
    __builtin_memcpy(lanes, &acc[q], sizeof(v16));
    apply_activation(lanes, 16, act);
    __builtin_memcpy(o + ch0 + 16 * q, lanes, sizeof(v16));
  }
}

/// Output pixel (b_, oy, ox) of a depthwise sweep: its image, output, window origin and taps.
struct depthwise_pixel {
  const float* image;
  float* out;
  std::int64_t iy0, ix0;
  tap_range ti, tj;
};

/// Channels [ch0, ch0 + 16 V) (V > 0) or, with V = 0, the channels from ch0 on with any
/// multiplier accumulated in place, swept over every output pixel.
template <int V>
DISFER_ALWAYS_INLINE void depthwise_sweep(const float* __restrict xv, const float* __restrict f,
                                          const float* __restrict b, float* __restrict yv, const conv_dims& d,
                                          const conv_geometry& g, activation act, std::int64_t ch0) {
  const std::int64_t c = d.c, m = d.f3, co = c * m, h = d.h, w = d.w, kw = d.kw;
  for (std::int64_t b_ = 0; b_ < d.n; ++b_)
    for (std::int64_t oy = 0; oy < d.wy.out; ++oy) {
      const std::int64_t iy0 = oy * g.stride_h - d.wy.pad_before;
      const tap_range ti = inside_taps(iy0, d.kh, g.dilation_h, h);
      for (std::int64_t ox = 0; ox < d.wx.out; ++ox) {
        const std::int64_t ix0 = ox * g.stride_w - d.wx.pad_before;
        const tap_range tj = inside_taps(ix0, kw, g.dilation_w, w);
        const float* __restrict image = xv + b_ * h * w * c;
        float* __restrict o = yv + ((b_ * d.wy.out + oy) * d.wx.out + ox) * co;
        if constexpr (V > 0) {
          depthwise_block<V>(image, f, b, o, ch0, c, w, kw, iy0, ix0, ti, tj, g, act);
        } else {
          const std::int64_t rest = (c - ch0) * m;
          float* __restrict orest = o + ch0 * m;
          if (b)
            std::copy(b + ch0 * m, b + co, orest);
          else
            std::fill(orest, orest + rest, 0.0f);
          for (std::int64_t i = ti.lo; i < ti.hi; ++i)
            for (std::int64_t j = tj.lo; j < tj.hi; ++j) {
              const float* __restrict src = image + ((iy0 + i * g.dilation_h) * w + ix0 + j * g.dilation_w) * c;
              const float* __restrict fk = f + (i * kw + j) * c * m;
              for (std::int64_t ch = ch0; ch < c; ++ch)
                for (std::int64_t q = 0; q < m; ++q) o[ch * m + q] += src[ch] * fk[ch * m + q];
            }
          apply_activation(orest, static_cast<std::size_t>(rest), act);
        }
      }
    }
}

/// The depthwise loops. Multiplier 1: channel blocks of 128, 64 or 16 (depthwise_block; wide
/// blocks keep several FMA chains busy), each swept over the whole image so that the rows a block
/// reads stay in L1. Other channels and multipliers: accumulated in place, in the same tap order.
DISFER_ALWAYS_INLINE void depthwise_body(const float* __restrict xv, const float* __restrict f,
                                         const float* __restrict b, float* __restrict yv, const conv_dims& d,
                                         const conv_geometry& g, activation act) {
  const std::int64_t blocked = d.f3 == 1 ? d.c / 16 * 16 : 0;
  std::int64_t ch0 = 0;
  for (; ch0 + 128 <= blocked; ch0 += 128) depthwise_sweep<8>(xv, f, b, yv, d, g, act, ch0);
  for (; ch0 + 64 <= blocked; ch0 += 64) depthwise_sweep<4>(xv, f, b, yv, d, g, act, ch0);
  for (; ch0 + 16 <= blocked; ch0 += 16) depthwise_sweep<1>(xv, f, b, yv, d, g, act, ch0);
  if (ch0 < d.c) depthwise_sweep<0>(xv, f, b, yv, d, g, act, ch0);
}

DISFER_SIMD_VARIANTS(depthwise_loops, depthwise_body,
                     (const float* xv, const float* f, const float* b, float* yv, const conv_dims& d,
                      const conv_geometry& g, activation act),
                     (xv, f, b, yv, d, g, act))

/// DepthwiseConv2dNative (tf.nn.depthwise_conv2d, NHWC input, filter [KH, KW, C, M]): output
/// channel c*M + m is input channel c convolved with filter[:, :, c, m]; optional bias and
/// activation (TensorFlow's FusedDepthwiseConv2dNative). Direct loops vectorised over channels,
/// compiled for the run-time SIMD path. Complexity O(N*OH*OW*KH*KW*C*M).
/// depthwise_conv2d into `y` (reuse_as'd to the output; every value is written). x must not alias y.
inline void depthwise_conv2d_into(tensor& y, const tensor& x, const tensor& filter, const tensor* bias,
                                  const conv_geometry& g, activation act = activation::none) {
  const char* op = "DepthwiseConv2dNative";
  const conv_dims d = check_conv(x, filter, g, op);
  const float* b = checked_bias(bias, d.c * d.f3, op);
  reuse_as(y, {d.n, d.wy.out, d.wx.out, d.c * d.f3});
  depthwise_loops(x.values.data(), filter.values.data(), b, y.values.data(), d, g, act);
}

inline tensor depthwise_conv2d(const tensor& x, const tensor& filter, const tensor* bias, const conv_geometry& g,
                               activation act = activation::none) {
  tensor y;
  depthwise_conv2d_into(y, x, filter, bias, g, act);
  return y;
}

enum class pool_kind { max, average };

/// The pooling loops over output pixels; y starts at -inf (max) or 0 (average).
DISFER_ALWAYS_INLINE void pool_body(const float* __restrict xv, float* __restrict yv, pool_kind kind, std::int64_t n,
                                    std::int64_t h, std::int64_t w, std::int64_t c, std::int64_t kh, std::int64_t kw,
                                    window_axis wy, window_axis wx, const conv_geometry& g) {
  for (std::int64_t b_ = 0; b_ < n; ++b_)
    for (std::int64_t oy = 0; oy < wy.out; ++oy)
      for (std::int64_t ox = 0; ox < wx.out; ++ox) {
        float* __restrict o = yv + ((b_ * wy.out + oy) * wx.out + ox) * c;
        std::int64_t count = 0;
        for (std::int64_t i = 0; i < kh; ++i) {
          const std::int64_t iy = oy * g.stride_h + i - wy.pad_before;
          if (iy < 0 || iy >= h) continue;
          for (std::int64_t j = 0; j < kw; ++j) {
            const std::int64_t ix = ox * g.stride_w + j - wx.pad_before;
            if (ix < 0 || ix >= w) continue;
            ++count;
            const float* __restrict src = xv + ((b_ * h + iy) * w + ix) * c;
            if (kind == pool_kind::max)
              for (std::int64_t ch = 0; ch < c; ++ch) o[ch] = std::max(o[ch], src[ch]);
            else
              for (std::int64_t ch = 0; ch < c; ++ch) o[ch] += src[ch];
          }
        }
        if (kind == pool_kind::average) {
          const float inv = 1.0f / static_cast<float>(count);
          for (std::int64_t ch = 0; ch < c; ++ch) o[ch] *= inv;
        }
      }
}

DISFER_SIMD_VARIANTS(pool_loops, pool_body,
                     (const float* xv, float* yv, pool_kind kind, std::int64_t n, std::int64_t h, std::int64_t w,
                      std::int64_t c, std::int64_t kh, std::int64_t kw, window_axis wy, window_axis wx,
                      const conv_geometry& g),
                     (xv, yv, kind, n, h, w, c, kh, kw, wy, wx, g))
#undef DISFER_SIMD_VARIANTS

/// MaxPool / AvgPool (tf.nn.max_pool2d, tf.nn.avg_pool2d; NHWC). Window positions in the SAME
/// padding are ignored: max over the real elements, average divided by their count (TensorFlow's
/// rule). Compiled for the run-time SIMD path. Complexity O(N*OH*OW*KH*KW*C).
inline tensor pool2d(const tensor& x, pool_kind kind, std::int64_t kh, std::int64_t kw, const conv_geometry& g) {
  const char* op = kind == pool_kind::max ? "MaxPool" : "AvgPool";
  require_float_rank(x, 4, op, "input");
  const std::int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
  const auto wy = window(h, kh, g.stride_h, 1, g.padding, op);
  const auto wx = window(w, kw, g.stride_w, 1, g.padding, op);
  tensor y =
      tensor::zeros({n, wy.out, wx.out, c}, kind == pool_kind::max ? -std::numeric_limits<float>::infinity() : 0.0f);
  pool_loops(x.values.data(), y.values.data(), kind, n, h, w, c, kh, kw, wy, wx, g);
  return y;
}

/// Element strides of `shape` (row-major).
inline std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> s(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

/// AddV2 / Add with NumPy broadcasting (shapes aligned at the right; each pair of dimensions
/// equal or one of them 1). Throws disfer::error naming both shapes otherwise.
inline tensor add(const tensor& a, const tensor& b, const char* op = "AddV2") {
  if (a.dtype != tensor_dtype::float32 || b.dtype != tensor_dtype::float32) fail(op, "operands must be float32");
  if (a.shape == b.shape) {
    tensor y = a;
    for (std::size_t i = 0; i < y.values.size(); ++i) y.values[i] += b.values[i];
    return y;
  }
  const std::size_t rank = std::max(a.rank(), b.rank());
  std::vector<std::int64_t> sa(rank, 1), sb(rank, 1), out(rank, 1);
  std::copy(a.shape.begin(), a.shape.end(), sa.begin() + static_cast<std::ptrdiff_t>(rank - a.rank()));
  std::copy(b.shape.begin(), b.shape.end(), sb.begin() + static_cast<std::ptrdiff_t>(rank - b.rank()));
  for (std::size_t i = 0; i < rank; ++i) {
    if (sa[i] != sb[i] && sa[i] != 1 && sb[i] != 1)
      fail(op, "shapes ", shape_string(a.shape), " and ", shape_string(b.shape), " cannot be broadcast");
    out[i] = sa[i] == 1 ? sb[i] : sa[i];
  }
  auto bstrides = [&](const std::vector<std::int64_t>& s) {
    auto st = strides_of(s);
    for (std::size_t i = 0; i < rank; ++i)
      if (s[i] == 1) st[i] = 0;
    return st;
  };
  const auto ta = bstrides(sa), tb = bstrides(sb);
  tensor y = tensor::zeros(out);
  std::vector<std::int64_t> idx(rank, 0);
  for (std::size_t e = 0; e < y.values.size(); ++e) {
    std::int64_t ia = 0, ib = 0;
    for (std::size_t d = 0; d < rank; ++d) ia += idx[d] * ta[d], ib += idx[d] * tb[d];
    y.values[e] = a.values[static_cast<std::size_t>(ia)] + b.values[static_cast<std::size_t>(ib)];
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

/// Relu / Relu6 as standalone ops.
inline tensor activate(const tensor& x, activation act, const char* op) {
  if (x.dtype != tensor_dtype::float32) fail(op, "input must be float32");
  tensor y = x;
  apply_activation(y.values.data(), y.values.size(), act);
  return y;
}

/// Mean over `axes` (negative axes count from the end; repeated axes are an error), keeping the
/// reduced dimensions as 1 when keep_dims (tf.math.reduce_mean). Sums in double.
inline tensor mean(const tensor& x, const std::vector<std::int64_t>& axes, bool keep_dims) {
  const char* op = "Mean";
  if (x.dtype != tensor_dtype::float32) fail(op, "input must be float32");
  const auto rank = static_cast<std::int64_t>(x.rank());
  std::vector<bool> reduced(x.rank(), false);
  for (auto a : axes) {
    const std::int64_t ax = a < 0 ? a + rank : a;
    if (ax < 0 || ax >= rank) fail(op, "axis ", a, " is out of range for shape ", shape_string(x.shape));
    if (reduced[static_cast<std::size_t>(ax)]) fail(op, "axis ", a, " is repeated");
    reduced[static_cast<std::size_t>(ax)] = true;
  }
  std::vector<std::int64_t> kept_shape(x.rank());
  std::int64_t count = 1;
  for (std::size_t d = 0; d < x.rank(); ++d) {
    kept_shape[d] = reduced[d] ? 1 : x.shape[d];
    if (reduced[d]) count *= x.shape[d];
  }
  const auto ks = strides_of(kept_shape);
  std::vector<double> acc(static_cast<std::size_t>(x.size() / std::max<std::int64_t>(count, 1)), 0.0);
  std::vector<std::int64_t> idx(x.rank(), 0);
  for (std::size_t e = 0; e < x.values.size(); ++e) {
    std::int64_t o = 0;
    for (std::size_t d = 0; d < x.rank(); ++d)
      if (!reduced[d]) o += idx[d] * ks[d];
    acc[static_cast<std::size_t>(o)] += x.values[e];
    for (std::size_t d = x.rank(); d-- > 0;) {
      if (++idx[d] < x.shape[d]) break;
      idx[d] = 0;
    }
  }
  tensor y;
  for (std::size_t d = 0; d < x.rank(); ++d)
    if (keep_dims || !reduced[d]) y.shape.push_back(kept_shape[d]);
  y.values.resize(acc.size());
  for (std::size_t i = 0; i < acc.size(); ++i)
    y.values[i] =
        static_cast<float>(count > 0 ? acc[i] / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN());
  return y;
}

/// Softmax over the last axis (tf.nn.softmax), computed in double after subtracting the maximum.
inline tensor softmax(const tensor& x) {
  const char* op = "Softmax";
  if (x.dtype != tensor_dtype::float32 || x.rank() < 1) fail(op, "input must be a float32 tensor of rank >= 1");
  tensor y = x;
  const auto k = static_cast<std::size_t>(x.shape.back());
  if (k == 0) return y;
  for (std::size_t r = 0; r < y.values.size() / k; ++r) {
    float* p = y.values.data() + r * k;
    const double mx = *std::max_element(p, p + k);
    double sum = 0;
    std::vector<double> e(k);
    for (std::size_t i = 0; i < k; ++i) sum += e[i] = std::exp(static_cast<double>(p[i]) - mx);
    for (std::size_t i = 0; i < k; ++i) p[i] = static_cast<float>(e[i] / sum);
  }
  return y;
}

/// Reshape (tf.reshape): at most one -1 in `shape`, inferred from the element count.
inline tensor reshape(const tensor& x, std::vector<std::int64_t> shape) {
  const char* op = "Reshape";
  std::int64_t known = 1;
  int inferred = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (inferred >= 0) fail(op, "more than one -1 in the new shape ", shape_string(shape));
      inferred = static_cast<int>(i);
    } else if (shape[i] < 0) {
      fail(op, "negative dimension in the new shape ", shape_string(shape));
    } else {
      known *= shape[i];
    }
  }
  const auto total = static_cast<std::int64_t>(x.size());
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      fail(op, "cannot reshape ", shape_string(x.shape), " to ", shape_string(shape));
    shape[static_cast<std::size_t>(inferred)] = total / known;
  } else if (known != total) {
    fail(op, "cannot reshape ", shape_string(x.shape), " (", total, " elements) to ", shape_string(shape));
  }
  tensor y = x;
  y.shape = std::move(shape);
  return y;
}

}  // namespace disfer::detail
