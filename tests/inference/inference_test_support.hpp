#pragma once
// Shared by the inference tests: the FER-2013 model (loaded once, or a skip when the build could
// not fetch it) and readers for the golden tensors' raw little-endian files.
#include <disfer/inference.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace disfer_test {

/// The model, or nullptr after skip() when it is unavailable (no npm/network at configure time).
inline const disfer::fer2013_xception* fer_model() {
  static std::unique_ptr<disfer::fer2013_xception> model;
  static std::string why;
  if (!model && why.empty()) {
    try {
      model = std::make_unique<disfer::fer2013_xception>(disfer::fer2013_xception::load());
    } catch (const disfer::error& e) {
      why = e.what();
    }
  }
  if (!model) skip("the FER-2013 model is unavailable: " + why);
  return model.get();
}

/// The raw bytes of a file.
inline std::vector<char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A little-endian array file of T (the golden tensors; x86 is little-endian).
template <class T>
std::vector<T> read_array(const std::string& path) {
  const auto b = read_bytes(path);
  std::vector<T> v(b.size() / sizeof(T));
  std::memcpy(v.data(), b.data(), v.size() * sizeof(T));
  return v;
}

}  // namespace disfer_test
