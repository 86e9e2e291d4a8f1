// read_tfjs_weights_manifest on small weights manifests written by the tests (manifest JSON + .bin
// shards in a scratch folder), with expected values worked out by hand, and one check per failure
// path of the reader (the same code reads a graph model's weightsManifest: tfjs_graph_model::load).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "graph_builder.hpp"
#include "inference_test_support.hpp"

using nlohmann::json;

namespace {

namespace fs = std::filesystem;

template <class T>
void append(std::string& bin, T v) {
  bin.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// A manifest and its shards in a fresh scratch folder.
struct manifest_files {
  json j = json::array();
  std::vector<std::pair<std::string, std::string>> shards;  // file name, bytes

  std::string write(const std::string& scratch) const {
    const auto dir = disfer_test::scratch_dir(scratch);
    for (const auto& [name, bytes] : shards) std::ofstream(dir / name, std::ios::binary) << bytes;
    const auto path = (dir / "m-weights_manifest.json").string();
    std::ofstream(path) << j.dump();
    return path;
  }
};

// Two groups. Group 0 (two shards, split inside the uint8 weight): float32 "dense/kernel" [2, 2],
// uint8 "dense/q8" [3], uint16 "q16" [2]. Group 1 (one shard): float16 "h" [4], int32 "i" [2],
// bool "b" [2], uint8 "fa" [3] with face-api's dense0/conv0/filters scale and min.
manifest_files sample() {
  manifest_files m;
  std::string g0;
  for (float v : {1.5f, -2.0f, 0.25f, 3.0f}) append(g0, v);
  g0 += std::string("\x00\x0a\xff", 3);
  for (std::uint16_t q : {1, 65535}) append(g0, q);
  std::string g1;
  for (std::uint16_t q : {0x3C00, 0xC000, 0x3555, 0x0001}) append(g1, q);
  for (std::int32_t v : {7, -9}) append(g1, v);
  g1 += std::string("\x01\x00", 2);
  g1 += std::string("\x00\x7b\xff", 3);
  m.shards = {{"g0-1of2.bin", g0.substr(0, 17)}, {"g0-2of2.bin", g0.substr(17)}, {"g1.bin", g1}};
  m.j.push_back({{"paths", {"g0-1of2.bin", "g0-2of2.bin"}},
                 {"weights",
                  {{{"name", "dense/kernel"}, {"shape", {2, 2}}, {"dtype", "float32"}},
                   {{"name", "dense/q8"},
                    {"shape", {3}},
                    {"dtype", "float32"},
                    {"quantization", {{"dtype", "uint8"}, {"scale", 0.5}, {"min", -1.0}}}},
                   {{"name", "q16"},
                    {"shape", {2}},
                    {"dtype", "float32"},
                    {"quantization", {{"dtype", "uint16"}, {"scale", 0.25}, {"min", 2.0}}}}}}});
  m.j.push_back({{"paths", {"g1.bin"}},
                 {"weights",
                  {{{"name", "h"}, {"shape", {4}}, {"dtype", "float32"}, {"quantization", {{"dtype", "float16"}}}},
                   {{"name", "i"}, {"shape", {2}}, {"dtype", "int32"}},
                   {{"name", "b"}, {"shape", {2}}, {"dtype", "bool"}},
                   {{"name", "fa"},
                    {"shape", {3}},
                    {"dtype", "float32"},
                    {"quantization", {{"dtype", "uint8"}, {"scale", 0.005793}, {"min", -0.71254}}}}}}});
  return m;
}

// The error of reading `path`, checked to be a disfer::error from read_tfjs_weights_manifest whose
// message starts with the function and the path, and whose path() is the manifest.
std::string refused(const std::string& path) {
  try {
    disfer::read_tfjs_weights_manifest(path);
  } catch (const disfer::error& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::StartsWith("read_tfjs_weights_manifest: "));
    CHECK_THAT(what, Catch::Contains(path));
    return what;
  }
  FAIL("read " << path);
  return "";
}

std::string refused(const manifest_files& m, const std::string& scratch) {
  const auto path = m.write(scratch);
  const auto what = refused(path);
  CHECK_THAT(what, Catch::StartsWith("read_tfjs_weights_manifest: " + path + ": "));
  return what;
}

}  // namespace

TEST_CASE("tfjs_weights: a hand-written manifest with two groups and every encoding", "[inference][tfjs_weights]") {
  const auto path = sample().write("tfjs_weights_sample");
  const auto w = disfer::read_tfjs_weights_manifest(path);
  CHECK(w.path == path);
  REQUIRE(w.weights.size() == 7);
  std::vector<std::string> names;
  for (const auto& x : w.weights) names.push_back(x.name);
  CHECK(names == std::vector<std::string>{"dense/kernel", "dense/q8", "q16", "h", "i", "b", "fa"});

  const auto& k = w.at("dense/kernel");
  CHECK(k.dtype == "float32");
  CHECK(!k.quantization);
  CHECK(k.value.shape == std::vector<std::int64_t>{2, 2});
  CHECK(k.value.values == std::vector<float>{1.5f, -2.0f, 0.25f, 3.0f});

  // Dequantisation as tfjs-core io.decodeWeights (src/io/io_utils.ts): value = q * scale + min.
  // uint8 q = [0, 10, 255], scale 0.5, min -1: [0 * 0.5 - 1, 10 * 0.5 - 1, 255 * 0.5 - 1] = [-1, 4, 126.5]
  // (the bytes straddle the two shards: the group's bytes are their concatenation).
  const auto& q8 = w.at("dense/q8");
  REQUIRE(q8.quantization);
  CHECK(q8.quantization->dtype == "uint8");
  CHECK(q8.quantization->scale == 0.5);
  CHECK(q8.quantization->min == -1.0);
  CHECK(q8.value.values == std::vector<float>{-1.0f, 4.0f, 126.5f});
  // uint16 q = [1, 65535], scale 0.25, min 2: [2.25, 16383.75 + 2 = 16385.75].
  CHECK(w.at("q16").value.values == std::vector<float>{2.25f, 16385.75f});
  // float16: 0x3C00 = 1, 0xC000 = -2, 0x3555 = (1 + 341/1024) / 4 = 0.333251953125, 0x0001 = 2^-24.
  CHECK(w.at("h").quantization->dtype == "float16");
  CHECK(w.at("h").value.values == std::vector<float>{1.0f, -2.0f, 0.333251953125f, std::ldexp(1.0f, -24)});
  // int32 and bool weights are int32 tensors.
  CHECK(w.at("i").value.dtype == disfer::tensor_dtype::int32);
  CHECK(w.at("i").value.ints == std::vector<std::int32_t>{7, -9});
  CHECK(w.at("b").value.ints == std::vector<std::int32_t>{1, 0});
  // face-api's scale and min: q = [0, 123, 255]; q * 0.005793 - 0.71254 in double, then float:
  // 0 -> -0.71254; 123 * 0.005793 = 0.712539 -> -0.000001; 255 * 0.005793 = 1.477215 -> 0.764675.
  const auto& fa = w.at("fa").value.values;
  REQUIRE(fa.size() == 3);
  CHECK(fa[0] == static_cast<float>(-0.71254));
  CHECK(fa[1] == Approx(-0.000001).margin(1e-9));
  CHECK(fa[2] == Approx(0.764675).epsilon(1e-7));
  CHECK(fa[2] == static_cast<float>(255 * 0.005793 + -0.71254));

  // The two-argument form reads the shards from another folder.
  const auto elsewhere = disfer_test::scratch_dir("tfjs_weights_elsewhere") / "m.json";
  fs::copy_file(path, elsewhere);
  const auto w2 = disfer::read_tfjs_weights_manifest(elsewhere.string(), fs::path(path).parent_path().string());
  CHECK(w2.weights.size() == 7);
  CHECK(w2.at("fa").value.values == fa);
}

TEST_CASE("tfjs_weights: at() and find() for a missing name", "[inference][tfjs_weights][errors]") {
  auto m = sample();
  m.j[0]["weights"][0]["name"] = std::string("nul\0name", 8);
  const auto path = m.write("tfjs_weights_at");
  const auto w = disfer::read_tfjs_weights_manifest(path);
  CHECK(w.find("nope") == nullptr);
  CHECK(w.find("q16") == &w.weights[2]);
  CHECK(w.find(std::string("nul\0name", 8)) == &w.weights[0]);
  CHECK_THROWS_MATCHES(
      w.at("dense/nope"), disfer::error,
      Catch::Message("tfjs_weights::at: '" + path + "' has no weight 'dense/nope' (it has 7 weights)"));
  CHECK_THROWS_WITH(w.at(std::string("a\0b", 3)), Catch::Contains("has no weight 'a\\0b'"));
}

TEST_CASE("tfjs_weights: missing short and long shards", "[inference][tfjs_weights][errors]") {
  SECTION("a missing shard names the field and the file") {
    auto m = sample();
    m.shards.pop_back();
    CHECK_THAT(refused(m, "tfjs_weights_missing"), Catch::Contains("[1].paths[0] 'g1.bin': cannot open"));
  }
  SECTION("a short shard names the weight and the byte offsets") {
    auto m = sample();
    m.shards[2].second.resize(m.shards[2].second.size() - 1);  // "fa" needs bytes 18-21 of 20
    CHECK_THAT(refused(m, "tfjs_weights_short"),
               Catch::Contains("[1].weights[3]: '") && Catch::Contains("g1.bin' is truncated: weight 'fa' (group 2)") &&
                   Catch::Contains("needs bytes 18-21") && Catch::Contains("ends at byte offset 20"));
    auto m2 = sample();
    m2.shards[1].second.resize(1);  // group 0 ends inside "dense/q8" (bytes 16-19; 18 bytes present)
    CHECK_THAT(refused(m2, "tfjs_weights_short0"),
               Catch::Contains("g0-2of2.bin' is truncated: weight 'dense/q8'") && Catch::Contains("needs bytes 16-19"));
  }
  SECTION("a long shard is refused from its size") {
    auto m = sample();
    m.shards[2].second += "xy";
    CHECK_THAT(refused(m, "tfjs_weights_long"),
               Catch::Contains("[1].paths: '") &&
                   Catch::Contains("g1.bin' has 2 bytes after the last weight of group 2 (from byte offset 21)"));
  }
  SECTION("a shard path leaving the folder") {
    auto m = sample();
    m.j[1]["paths"][0] = "../g1.bin";
    CHECK_THAT(refused(m, "tfjs_weights_dotdot"), Catch::Contains("[1].paths[0] '../g1.bin': a '..' component"));
    m.j[1]["paths"][0] = "/dev/zero";
    CHECK_THAT(refused(m, "tfjs_weights_abs"), Catch::Contains("[1].paths[0] '/dev/zero': an absolute shard path"));
  }
}

TEST_CASE("tfjs_weights: malformed weight entries name the field", "[inference][tfjs_weights][errors]") {
  const auto entry = [](json m, const std::string& key, const json& value) {
    m[1]["weights"][1][key] = value;
    return m;
  };
  auto with = [&](const std::string& key, const json& value, const std::string& scratch) {
    auto m = sample();
    m.j = entry(m.j, key, value);
    return refused(m, scratch);
  };
  CHECK_THAT(with("shape", {2, -1}, "tfjs_weights_neg"),
             Catch::Contains("[1].weights[1].shape[1]: weight 'i' has a negative dimension (-1)"));
  CHECK_THAT(with("shape", {std::int64_t{1} << 32, std::int64_t{1} << 32}, "tfjs_weights_overflow"),
             Catch::Contains("[1].weights[1].shape: weight 'i' has the shape [4294967296, 4294967296], whose element "
                             "count overflows 64 bits"));
  CHECK_THAT(with("shape", {std::uint64_t{1} << 63}, "tfjs_weights_huge_dim"),
             Catch::Contains("[1].weights[1].shape[0]: weight 'i' has the dimension 9223372036854775808"));
  CHECK_THAT(with("shape", {2.5}, "tfjs_weights_float_dim"),
             Catch::Contains("[1].weights[1].shape[0]: weight 'i' has the dimension 2.5, not an integer"));
  CHECK_THAT(with("shape", 2, "tfjs_weights_shape_number"),
             Catch::Contains("[1].weights[1].shape: weight 'i' has the shape 2, not an array"));
  // A shape that fits 64 bits but not the shard: refused as truncated before anything is allocated.
  CHECK_THAT(with("shape", {std::int64_t{1} << 40}, "tfjs_weights_big"),
             Catch::Contains("weight 'i' (group 2) needs bytes 8-4398046511112"));
  CHECK_THAT(with("dtype", "complex64", "tfjs_weights_dtype"),
             Catch::Contains("[1].weights[1].dtype: weight 'i' has the unsupported dtype 'complex64'"));
  CHECK_THAT(with("dtype", 3, "tfjs_weights_dtype_number"),
             Catch::Contains("[1].weights[1].dtype: weight 'i' has the dtype 3"));
  CHECK_THAT(with("name", json::array(), "tfjs_weights_name"),
             Catch::Contains("[1].weights[1].name is [], not a string"));
  CHECK_THAT(
      with("quantization", {{"dtype", "int4"}}, "tfjs_weights_qdtype"),
      Catch::Contains("[1].weights[1].quantization.dtype: weight 'i' has the unknown quantisation dtype 'int4'"));
  CHECK_THAT(with("quantization", {{"dtype", "float16"}}, "tfjs_weights_f16_int"),
             Catch::Contains(
                 "[1].weights[1].quantization: weight 'i' has the dtype int32, which is not quantised as float16"));
  CHECK_THAT(
      with("quantization", {{"dtype", "uint8"}, {"scale", 1}}, "tfjs_weights_nomin"),
      Catch::Contains("[1].weights[1].quantization.min: weight 'i' is quantised as uint8 without a numeric min"));
  CHECK_THAT(with("quantization", {{"dtype", "uint16"}, {"scale", "0.5"}, {"min", 0}}, "tfjs_weights_strscale"),
             Catch::Contains("[1].weights[1].quantization.scale: weight 'i' is quantised as uint16 without a numeric "
                             "scale"));
  CHECK_THAT(with("quantization", "uint8", "tfjs_weights_qstring"),
             Catch::Contains("[1].weights[1].quantization: weight 'i' has the quantization \"uint8\""));
  // A quantised int32 weight whose values leave the int32 range (uint16 65535 * 1e6 > 2^31).
  auto m = sample();
  m.j[0]["weights"][2]["dtype"] = "int32";
  m.j[0]["weights"][2]["quantization"]["scale"] = 1e6;
  CHECK_THAT(refused(m, "tfjs_weights_int_range"),
             Catch::Contains("[0].weights[2].quantization: weight 'q16' element 1 dequantises to 65535000002, outside "
                             "the int32 range"));
  // Bool weights are not quantised (tfjs-core refuses them too).
  auto b = sample();
  b.j[1]["weights"][2]["quantization"] = {{"dtype", "uint8"}, {"scale", 1}, {"min", 0}};
  CHECK_THAT(refused(b, "tfjs_weights_bool_q"),
             Catch::Contains("[1].weights[2].quantization: weight 'b' has the dtype bool, which is not quantised"));
}

TEST_CASE("tfjs_weights: duplicate names and the manifest's layout", "[inference][tfjs_weights][errors]") {
  auto dup = sample();
  dup.j[1]["weights"][2]["name"] = "dense/q8";  // the second group repeats a name of the first
  CHECK_THAT(refused(dup, "tfjs_weights_dup"),
             Catch::Contains("[1].weights[2].name: a second weight named 'dense/q8'"));
  auto nul = sample();
  nul.j[0]["weights"][0]["name"] = std::string("k\0", 2);
  nul.j[0]["weights"][1]["name"] = std::string("k\0", 2);
  CHECK_THAT(refused(nul, "tfjs_weights_dup_nul"), Catch::Contains("a second weight named 'k\\0'"));
  auto obj = sample();
  obj.j = {{"paths", {"g1.bin"}}, {"weights", json::array()}};
  CHECK_THAT(refused(obj, "tfjs_weights_object"), Catch::Contains("the manifest is {\"paths\""));
  CHECK_THAT(refused(obj, "tfjs_weights_object"), Catch::Contains("not an array of weight groups"));
  auto group = sample();
  group.j[1] = 7;
  CHECK_THAT(refused(group, "tfjs_weights_group"), Catch::Contains("[1] is 7, not an object {paths, weights}"));
  auto paths = sample();
  paths.j[1]["paths"] = "g1.bin";
  CHECK_THAT(refused(paths, "tfjs_weights_paths"), Catch::Contains("[1].paths is \"g1.bin\", not an array"));
  auto weights = sample();
  weights.j[1]["weights"] = {{"name", "h"}};
  CHECK_THAT(refused(weights, "tfjs_weights_weights"),
             Catch::Contains("[1].weights is {\"name\":\"h\"}, not an array"));
  auto noweights = sample();
  noweights.j[0].erase("weights");
  CHECK_THAT(refused(noweights, "tfjs_weights_noweights"), Catch::Contains("[0] has no 'weights'"));
  auto noshape = sample();
  noshape.j[0]["weights"][1].erase("shape");
  CHECK_THAT(refused(noshape, "tfjs_weights_noshape"), Catch::Contains("[0].weights[1] has no 'shape'"));
  // The file itself.
  CHECK_THAT(refused("/nonexistent/m.json"), Catch::Contains("cannot open '/nonexistent/m.json'"));
  const auto dir = disfer_test::scratch_dir("tfjs_weights_badjson");
  std::ofstream(dir / "m.json") << "[{\"paths\": [,]}]";
  CHECK_THAT(refused((dir / "m.json").string()), Catch::Contains("is not valid JSON at byte offset 13"));
  // An empty manifest has no weights.
  manifest_files empty;
  CHECK(disfer::read_tfjs_weights_manifest(empty.write("tfjs_weights_empty")).weights.empty());
}

TEST_CASE("tfjs_weights: a graph model's weightsManifest is read by the same code", "[inference][tfjs_weights]") {
  // The small graph's weights plus a second group repeating the name "b": tfjs_graph_model::load
  // now refuses it with the field, as read_tfjs_weights_manifest does.
  disfer_test::model_files g;
  g.add_node("x", "Placeholder", {});
  g.add_float("b", {1}, {2});
  g.add_node("y", "AddV2", {"x", "b"});
  const auto ok = disfer::tfjs_graph_model::load(g.write("tfjs_weights_graph_ok"));
  CHECK(ok.run(disfer::tensor::zeros({1})).values == std::vector<float>{2});
  auto bad = g;
  bad.j["weightsManifest"].push_back(
      {{"paths", json::array()}, {"weights", {{{"name", "b"}, {"shape", {0}}, {"dtype", "float32"}}}}});
  const auto path = bad.write("tfjs_weights_graph_dup");
  CHECK_THROWS_WITH(disfer::tfjs_graph_model::load(path),
                    Catch::StartsWith("tfjs_graph_model::load: " + path +
                                      ": weightsManifest[1].weights[0].name: a second weight named 'b'"));
}
