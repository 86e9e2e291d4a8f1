#pragma once
// Writes small TensorFlow.js graph models (model.json + one .bin shard) for the inference tests.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace disfer_test {

using nlohmann::json;

inline std::string b64(const std::string& s) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned val = 0;  // unsigned: the shifts wrap harmlessly
  int bits = -6;
  for (unsigned char c : s) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) out.push_back(t[(val >> bits) & 0x3F]), bits -= 6;
  }
  if (bits > -6) out.push_back(t[((val << 8) >> (bits + 8)) & 0x3Fu]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

inline json str_attr(const std::string& s) {
  return {{"s", b64(s)}};
}
inline json ints_attr(std::vector<int> v) {
  json l = json::array();
  for (int x : v) l.push_back(std::to_string(x));
  return {{"list", {{"i", l}}}};
}

struct model_files {
  json j;
  std::string bin;  // bytes of the single shard

  void add_float(const std::string& name, std::vector<std::int64_t> shape, const std::vector<float>& v) {
    j["weightsManifest"][0]["weights"].push_back({{"name", name}, {"shape", shape}, {"dtype", "float32"}});
    bin.append(reinterpret_cast<const char*>(v.data()), v.size() * 4);
    j["modelTopology"]["node"].push_back(
        {{"name", name}, {"op", "Const"}, {"attr", {{"dtype", {{"type", "DT_FLOAT"}}}}}});
  }
  void add_int(const std::string& name, const std::vector<std::int32_t>& v) {
    j["weightsManifest"][0]["weights"].push_back(
        {{"name", name}, {"shape", {static_cast<int>(v.size())}}, {"dtype", "int32"}});
    bin.append(reinterpret_cast<const char*>(v.data()), v.size() * 4);
    j["modelTopology"]["node"].push_back({{"name", name}, {"op", "Const"}});
  }
  void add_node(const std::string& name, const std::string& op, std::vector<std::string> inputs,
                json attr = json::object()) {
    j["modelTopology"]["node"].push_back({{"name", name}, {"op", op}, {"input", inputs}, {"attr", attr}});
  }
  std::string write(const std::string& scratch) const {
    const auto dir = disfer_test::scratch_dir(scratch);
    json jj = j;
    jj["format"] = "graph-model";
    jj["weightsManifest"][0]["paths"] = {"w.bin"};
    std::ofstream(dir / "model.json") << jj.dump();
    std::ofstream(dir / "w.bin", std::ios::binary) << bin;
    return (dir / "model.json").string();
  }
};

}  // namespace disfer_test
