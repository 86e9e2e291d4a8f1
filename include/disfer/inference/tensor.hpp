#pragma once
/// \file
/// disfer::tensor: the dense, row-major value that flows between the nodes of a graph model
/// (float32 data; int32 data for the index tensors that some ops take, such as Mean's axes).

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "disfer/core/error.hpp"

namespace disfer {

/// Element type of a disfer::tensor.
enum class tensor_dtype { float32, int32 };

/// A dense row-major tensor. Image tensors are NHWC (batch, height, width, channels).
/// Float data live in `values`, int32 data (axes, shapes) in `ints`; the other vector is empty.
struct tensor {
  std::vector<std::int64_t> shape;
  tensor_dtype dtype = tensor_dtype::float32;
  std::vector<float> values;
  std::vector<std::int32_t> ints;

  /// Number of elements (the product of the shape; 1 for a scalar).
  std::size_t size() const noexcept {
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    return n;
  }
  /// Rank (number of dimensions).
  std::size_t rank() const noexcept { return shape.size(); }
  /// Dimension `i`.
  std::int64_t dim(std::size_t i) const noexcept { return shape[i]; }

  /// A float32 tensor of the given shape filled with `fill`.
  static tensor zeros(std::vector<std::int64_t> shape_, float fill = 0.0f) {
    tensor t;
    t.shape = std::move(shape_);
    t.values.assign(t.size(), fill);
    return t;
  }
  /// A float32 tensor holding `data` with the given shape; throws disfer::error when the sizes differ.
  static tensor from(std::vector<std::int64_t> shape_, std::vector<float> data) {
    tensor t;
    t.shape = std::move(shape_);
    if (t.size() != data.size())
      detail::fail("tensor::from", "shape holds ", t.size(), " elements but ", data.size(), " values were given");
    t.values = std::move(data);
    return t;
  }
};

/// "[1, 64, 64, 1]": a shape as text, for error messages.
inline std::string shape_string(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace disfer
