// tfjs_graph_model on small graph models written by the tests (model.json + .bin), with expected
// values worked out by hand, and one test per failure path of the loader and the runner.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "graph_builder.hpp"
#include "inference_test_support.hpp"

using disfer_test::b64;
using disfer_test::ints_attr;
using disfer_test::model_files;
using disfer_test::str_attr;
using nlohmann::json;

namespace {

// input [-1, 4, 4, 1] -> _FusedConv2D 3x3 ones, SAME stride 2, bias -20, Relu -> MaxPool 2x2 VALID
// -> Reshape [-1, 1] -> AddV2 [0, 1]... -> Softmax.
model_files small_model() {
  model_files m;
  m.add_node("x", "Placeholder", {},
             {{"shape", {{"shape", {{"dim", {{{"size", "-1"}}, {{"size", "4"}}, {{"size", "4"}}, {{"size", "1"}}}}}}}},
              {"dtype", {{"type", "DT_FLOAT"}}}});
  m.add_float("w", {3, 3, 1, 1}, std::vector<float>(9, 1.0f));
  m.add_float("b", {1}, {-40});
  m.add_node("conv", "_FusedConv2D", {"x", "w", "b"},
             {{"padding", str_attr("SAME")},
              {"strides", ints_attr({1, 2, 2, 1})},
              {"data_format", str_attr("NHWC")},
              {"fused_ops", {{"list", {{"s", {b64("BiasAdd"), b64("Relu")}}}}}}});
  m.add_int("axes", {1, 2});
  m.add_node("mean", "Mean", {"conv", "axes"}, {{"keep_dims", {{"b", false}}}});
  m.add_float("logit_bias", {2}, {0, 1});
  m.add_node("logits", "AddV2", {"mean", "logit_bias"});
  m.add_node("probs", "Softmax", {"logits"});
  m.add_node("out", "Identity", {"probs"});
  return m;
}

disfer::tensor ramp4() {
  disfer::tensor t = disfer::tensor::zeros({1, 4, 4, 1});
  for (int i = 0; i < 16; ++i) t.values[i] = float(i);
  return t;
}

}  // namespace

TEST_CASE("tfjs_graph: a small graph runs as worked out by hand", "[inference][tfjs_graph]") {
  const auto path = small_model().write("tfjs_small");
  const auto g = disfer::tfjs_graph_model::load(path);
  CHECK(g.input_names() == std::vector<std::string>{"x"});
  CHECK(g.output_names() == std::vector<std::string>{"out"});
  CHECK(g.op_of("conv") == "_FusedConv2D");
  CHECK(g.parameter_count() == 9 + 1 + 2);
  CHECK(g.flops_per_item() == 2.0 * 2 * 2 * 9);  // 2x2 outputs, 9 taps each
  // 4x4 ramp, 3x3 ones SAME stride 2: [45, 39, 66, 50] (see test_ops); bias -40, Relu: [5, 0, 26, 10];
  // mean 41/4 = 10.25; logits [10.25, 11.25]; softmax: [1/(1+e), e/(1+e)].
  const auto out = g.run({{"x", ramp4()}}, {"conv", "mean", "out"});
  CHECK(out.at("conv").values == std::vector<float>{5, 0, 26, 10});
  CHECK(out.at("mean").values == std::vector<float>{10.25f});
  const double e = std::exp(1.0);
  CHECK(out.at("out").values[0] == Approx(1 / (1 + e)).epsilon(1e-6));
  CHECK(out.at("out").values[1] == Approx(e / (1 + e)).epsilon(1e-6));
  CHECK(g.run(ramp4()).shape == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("tfjs_graph: pooling, Relu6, Reshape, BiasAdd and a depthwise node", "[inference][tfjs_graph]") {
  model_files m;
  m.add_node("x", "Placeholder", {});
  m.add_float("dw", {1, 1, 1, 2}, {1, -1});
  m.add_float("db", {2}, {0, 10});
  m.add_node("d", "FusedDepthwiseConv2dNative", {"x", "dw", "db"},
             {{"padding", str_attr("VALID")},
              {"strides", ints_attr({1, 1, 1, 1})},
              {"fused_ops", {{"list", {{"s", {b64("BiasAdd"), b64("Relu6")}}}}}}});
  m.add_node("p", "AvgPool", {"d"},
             {{"padding", str_attr("SAME")}, {"strides", ints_attr({1, 2, 2, 1})}, {"ksize", ints_attr({1, 2, 2, 1})}});
  m.add_node(
      "q", "MaxPool", {"d"},
      {{"padding", str_attr("VALID")}, {"strides", ints_attr({1, 2, 2, 1})}, {"ksize", ints_attr({1, 2, 2, 1})}});
  m.add_float("one", {2}, {1, 1});
  m.add_node("s", "BiasAdd", {"q", "one"});
  m.add_int("shape", {-1});
  m.add_node("r", "Reshape", {"s", "shape"});
  const auto g = disfer::tfjs_graph_model::load(m.write("tfjs_misc"));
  // 4x4 ramp x: channel 0 = min(x, 6), channel 1 = clamp(10 - x, 0, 6).
  const auto out = g.run({{"x", ramp4()}}, {"p", "r"});
  // AvgPool 2x2 stride 2 (no padding needed on 4): top-left block {0,1,4,5} -> ch0 (0+1+4+5)/4 = 2.5,
  // ch1 (6+6+6+5)/4 = 5.75.
  CHECK(out.at("p").values[0] == 2.5f);
  CHECK(out.at("p").values[1] == 5.75f);
  // MaxPool blocks: ch0 maxima [5, 6, 6, 6], ch1 maxima [6, 6, 2, 0]; +1 each, flattened NHWC.
  CHECK(out.at("r").shape == std::vector<std::int64_t>{8});
  CHECK(out.at("r").values == std::vector<float>{6, 7, 7, 7, 7, 3, 7, 1});
}

TEST_CASE("tfjs_graph: quantised weights (uint8, uint16, float16) and bool", "[inference][tfjs_graph]") {
  model_files m;
  m.add_node("x", "Placeholder", {});
  auto& w = m.j["weightsManifest"][0]["weights"];
  auto& nodes = m.j["modelTopology"]["node"];
  // uint8 q = [0, 10, 255], scale 0.5, min -1: [-1, 4, 126.5].
  w.push_back({{"name", "u8"},
               {"shape", {3}},
               {"dtype", "float32"},
               {"quantization", {{"dtype", "uint8"}, {"scale", 0.5}, {"min", -1.0}}}});
  m.bin += std::string("\x00\x0a\xff", 3);
  // uint16 q = [1, 1000, 65535], scale 0.25, min 2: [2.25, 252, 16385.75].
  w.push_back({{"name", "u16"},
               {"shape", {3}},
               {"dtype", "float32"},
               {"quantization", {{"dtype", "uint16"}, {"scale", 0.25}, {"min", 2.0}}}});
  for (std::uint16_t q : {1, 1000, 65535}) m.bin.append(reinterpret_cast<const char*>(&q), 2);
  // float16 0x3C00 = 1, 0xC000 = -2, 0x3555 = 0.333251953125, 0x0001 = 2^-24 (subnormal).
  w.push_back({{"name", "f16"}, {"shape", {4}}, {"dtype", "float32"}, {"quantization", {{"dtype", "float16"}}}});
  for (std::uint16_t q : {0x3C00, 0xC000, 0x3555, 0x0001}) m.bin.append(reinterpret_cast<const char*>(&q), 2);
  // bool: one byte per value.
  w.push_back({{"name", "flags"}, {"shape", {2}}, {"dtype", "bool"}});
  m.bin += std::string("\x01\x00", 2);
  for (const char* n : {"u8", "u16", "f16", "flags"}) nodes.push_back({{"name", n}, {"op", "Const"}});
  m.add_node("a", "AddV2", {"x", "u8"});
  m.add_node("b", "AddV2", {"x", "u16"});
  m.add_node("c", "AddV2", {"x", "f16"});
  const auto g = disfer::tfjs_graph_model::load(m.write("tfjs_quant"));
  const auto out = g.run({{"x", disfer::tensor::zeros({1})}}, {"a", "b", "c"});
  CHECK(out.at("a").values == std::vector<float>{-1, 4, 126.5f});
  CHECK(out.at("b").values == std::vector<float>{2.25f, 252, 16385.75f});
  CHECK(out.at("c").values == std::vector<float>{1, -2, 0.333251953125f, std::ldexp(1.0f, -24)});
}

namespace {

std::string load_error(const std::string& path) {
  try {
    disfer::tfjs_graph_model::load(path);
  } catch (const disfer::error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("tfjs_graph: malformed files", "[inference][tfjs_graph][errors]") {
  SECTION("missing model.json") {
    CHECK_THAT(load_error("/nonexistent/model.json"), Catch::Contains("cannot open '/nonexistent/model.json'"));
  }
  SECTION("a model JSON that is not a regular file, or too large, is refused before it is read") {
    CHECK_THAT(load_error("/dev/zero"), Catch::Contains("'/dev/zero' is not a regular file"));
    const auto dir = disfer_test::scratch_dir("tfjs_json_kinds");
    CHECK_THAT(load_error(dir.string()), Catch::Contains("is not a regular file"));
    const auto big = dir / "model.json";
    { std::ofstream(big) << "{}"; }
    std::filesystem::resize_file(big, (std::uintmax_t{256} << 20) + 1);  // sparse: no disk used
    CHECK_THAT(load_error(big.string()), Catch::Contains("holds 268435457 bytes; a model JSON over 268435456"));
    std::filesystem::remove(big);
  }
  SECTION("invalid JSON names the byte offset") {
    const auto dir = disfer_test::scratch_dir("tfjs_badjson");
    std::ofstream(dir / "model.json") << "{\"modelTopology\": [1, 2,, 3]}";
    CHECK_THAT(load_error((dir / "model.json").string()), Catch::Contains("is not valid JSON at byte offset 25"));
    // A number beyond a double's range: nlohmann::json throws out_of_range (406), not parse_error
    // (found by the tfjs_model fuzz target; fuzz/regressions/tfjs_model/number_overflow.json).
    std::ofstream(dir / "big.json") << "{\"format\": 88E888888888888979447}";
    CHECK_THAT(load_error((dir / "big.json").string()), Catch::Contains("is not valid JSON") && Catch::Contains("406"));
  }
  SECTION("not a graph model") {
    const auto dir = disfer_test::scratch_dir("tfjs_notgraph");
    std::ofstream(dir / "model.json") << "{\"format\": \"layers-model\"}";
    CHECK_THAT(load_error((dir / "model.json").string()), Catch::Contains("does not have the layout of a graph model"));
  }
  SECTION("missing shard") {
    auto m = small_model();
    const auto path = m.write("tfjs_noshard");
    std::filesystem::remove(std::filesystem::path(path).parent_path() / "w.bin");
    CHECK_THAT(load_error(path), Catch::Contains("cannot open") && Catch::Contains("w.bin"));
  }
  SECTION("truncated .bin names the file and the byte offset") {
    auto m = small_model();
    m.bin.resize(m.bin.size() - 6);  // 48 bytes: the last weight (logit_bias, bytes 48-56) is cut
    CHECK_THAT(load_error(m.write("tfjs_trunc")),
               Catch::Contains("w.bin' is truncated") && Catch::Contains("weight 'logit_bias'") &&
                   Catch::Contains("needs bytes 48-56") && Catch::Contains("ends at byte offset 50"));
  }
  SECTION("trailing bytes in the .bin") {
    auto m = small_model();
    m.bin += "xyz";
    CHECK_THAT(load_error(m.write("tfjs_trailing")), Catch::Contains("has 3 bytes after the last weight"));
  }
  SECTION("unknown dtype") {
    auto m = small_model();
    m.j["weightsManifest"][0]["weights"][0]["dtype"] = "complex64";
    CHECK_THAT(load_error(m.write("tfjs_dtype")), Catch::Contains("weight 'w' has the unsupported dtype 'complex64'"));
  }
  SECTION("unknown quantisation dtype") {
    auto m = small_model();
    m.j["weightsManifest"][0]["weights"][0]["quantization"] = {{"dtype", "int4"}, {"scale", 1}, {"min", 0}};
    CHECK_THAT(load_error(m.write("tfjs_qdtype")), Catch::Contains("unknown quantisation dtype 'int4'"));
  }
  SECTION("shape mismatch between a filter and its input") {
    auto m = small_model();
    m.j["weightsManifest"][0]["weights"][0]["shape"] = {3, 1, 3, 1};  // same 9 floats, 3 input channels
    CHECK_THAT(load_error(m.write("tfjs_shape")),
               Catch::Contains("node 'conv' (op _FusedConv2D)") && Catch::Contains("expects 3 input channels"));
  }
  SECTION("bias of the wrong size") {
    auto m = small_model();
    m.j["weightsManifest"][0]["weights"][1]["shape"] = {1, 1};
    CHECK_THAT(load_error(m.write("tfjs_bias")),
               Catch::Contains("node 'conv'") && Catch::Contains("bias has shape [1, 1]"));
  }
  SECTION("missing node") {
    auto m = small_model();
    m.add_node("extra", "Relu", {"nowhere"});
    CHECK_THAT(load_error(m.write("tfjs_missing")),
               Catch::Contains("node 'extra' (op Relu): input 'nowhere' is not a node of the graph"));
  }
  SECTION("Const without a weight") {
    auto m = small_model();
    m.j["modelTopology"]["node"].push_back({{"name", "ghost"}, {"op", "Const"}});
    CHECK_THAT(load_error(m.write("tfjs_ghost")), Catch::Contains("node 'ghost' (op Const): no weight of that name"));
  }
  SECTION("unsupported op") {
    auto m = small_model();
    m.add_node("lrn", "LRN", {"conv"});
    CHECK_THAT(load_error(m.write("tfjs_op")), Catch::Contains("node 'lrn' (op LRN): unsupported op"));
  }
  SECTION("unsupported fused op, padding and layout") {
    auto m = small_model();
    m.j["modelTopology"]["node"][3]["attr"]["fused_ops"]["list"]["s"] = {b64("BiasAdd"), b64("LeakyRelu")};
    CHECK_THAT(load_error(m.write("tfjs_fused")), Catch::Contains("fused op 'LeakyRelu' is not supported"));
    auto m2 = small_model();
    m2.j["modelTopology"]["node"][3]["attr"]["padding"] = str_attr("EXPLICIT");
    CHECK_THAT(load_error(m2.write("tfjs_pad")), Catch::Contains("padding 'EXPLICIT' is not supported"));
    auto m3 = small_model();
    m3.j["modelTopology"]["node"][3]["attr"]["data_format"] = str_attr("NCHW");
    CHECK_THAT(load_error(m3.write("tfjs_nchw")), Catch::Contains("data_format NCHW is not supported"));
  }
  SECTION("a cycle") {
    model_files m;
    m.add_node("x", "Placeholder", {});
    m.add_node("a", "AddV2", {"x", "b"});
    m.add_node("b", "Relu", {"a"});
    CHECK_THAT(load_error(m.write("tfjs_cycle")), Catch::Contains("cycle"));
  }
}

TEST_CASE("tfjs_graph: run-time errors name the node and op", "[inference][tfjs_graph][errors]") {
  const auto g = disfer::tfjs_graph_model::load(small_model().write("tfjs_run"));
  CHECK_THROWS_WITH(g.run(disfer::tensor::zeros({1, 5, 4, 1})),
                    Catch::Contains("input 'x' has shape [1, 5, 4, 1], the graph expects [-1, 4, 4, 1]"));
  CHECK_THROWS_WITH(g.run({{"x", ramp4()}}, {"nope"}), Catch::Contains("the graph has no node 'nope'"));
  CHECK_THROWS_WITH(g.run({}, {"out"}), Catch::Contains("no value fed for input 'x'"));
  // A graph without a declared input shape fails when run on a tensor the filter does not fit.
  model_files m;
  m.add_node("x", "Placeholder", {});
  m.add_float("w", {1, 1, 2, 1}, {1, 1});
  m.add_node("conv", "Conv2D", {"x", "w"}, {{"padding", str_attr("VALID")}});
  const auto g2 = disfer::tfjs_graph_model::load(m.write("tfjs_run2"));
  CHECK_THROWS_WITH(g2.run(ramp4()),
                    Catch::StartsWith("tfjs_graph_model::run: node 'conv' (op Conv2D): Conv2D: filter"));
}

// ---- shard-path policy ----------------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

// The small model in `root`/model/model.json with its one group's paths replaced by `paths`; its
// correct shard is written both inside (`root`/model/w.bin) and outside the model's folder
// (`root`/outside.bin), so that only the policy refuses a path reaching the outside one.
struct shard_case {
  fs::path root, folder, json_path;
};
shard_case write_with_paths(const std::string& scratch, const json& paths) {
  const auto m = small_model();
  shard_case c;
  c.root = disfer_test::scratch_dir(scratch);
  c.folder = c.root / "model";
  c.json_path = c.folder / "model.json";
  fs::create_directories(c.folder);
  json j = m.j;
  j["format"] = "graph-model";
  j["weightsManifest"][0]["paths"] = paths;
  std::ofstream(c.json_path) << j.dump();
  std::ofstream(c.folder / "w.bin", std::ios::binary) << m.bin;
  std::ofstream(c.root / "outside.bin", std::ios::binary) << m.bin;
  return c;
}

// The error of loading `c`, checked to name the function, the model file (in the message and in
// error::path()) and `field`.
std::string refused(const shard_case& c, const std::string& field) {
  try {
    disfer::tfjs_graph_model::load(c.json_path.string());
  } catch (const disfer::error& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::StartsWith("tfjs_graph_model::load: " + c.json_path.string() + ": " + field));
    CHECK(e.path() == c.json_path.string());
    return what;
  }
  FAIL("loaded " << c.json_path);
  return "";
}

}  // namespace

TEST_CASE("tfjs_graph: shard paths must stay inside the model's folder", "[inference][tfjs_graph][errors]") {
  SECTION("a '..' component, even when the file it reaches is a valid shard") {
    const auto c = write_with_paths("tfjs_shard_dotdot", {"w.bin", "../outside.bin"});
    CHECK_THAT(refused(c, "weightsManifest[0].paths[1] '../outside.bin'"), Catch::Contains("a '..' component"));
    // A '..' that comes back inside is refused too: the rule is on the path, not where it lands.
    const auto c2 = write_with_paths("tfjs_shard_dotdot_back", {"../model/w.bin"});
    CHECK_THAT(refused(c2, "weightsManifest[0].paths[0] '../model/w.bin'"), Catch::Contains("a '..' component"));
  }
  SECTION("an absolute path, to a valid shard or to a device") {
    const auto c = write_with_paths("tfjs_shard_absolute", json::array());
    const std::string outside = (c.root / "outside.bin").string();
    json j = json::parse(std::ifstream(c.json_path));
    j["weightsManifest"][0]["paths"] = {outside};
    std::ofstream(c.json_path) << j.dump();
    CHECK_THAT(refused(c, "weightsManifest[0].paths[0] '" + outside + "'"), Catch::Contains("an absolute shard path"));
    const auto z = write_with_paths("tfjs_shard_dev_zero", {"w.bin", "/dev/zero"});
    CHECK_THAT(refused(z, "weightsManifest[0].paths[1] '/dev/zero'"), Catch::Contains("an absolute shard path"));
  }
  SECTION("an empty path or one that is not a string") {
    const auto c = write_with_paths("tfjs_shard_empty", {"w.bin", ""});
    CHECK_THAT(refused(c, "weightsManifest[0].paths[1] ''"), Catch::Contains("an empty shard path"));
    const auto n = write_with_paths("tfjs_shard_number", {7});
    CHECK_THAT(refused(n, "weightsManifest[0].paths[0] is 7"), Catch::Contains("not a file name"));
    const auto o = write_with_paths("tfjs_shard_object", "w.bin");
    CHECK_THAT(refused(o, "weightsManifest[0].paths is \"w.bin\""), Catch::Contains("not an array"));
  }
  SECTION("a symbolic link leaving the folder (to a valid shard, to /dev/zero, through a linked folder)") {
    auto c = write_with_paths("tfjs_shard_symlink", {"link.bin"});
    fs::create_symlink(c.root / "outside.bin", c.folder / "link.bin");
    CHECK_THAT(
        refused(c, "weightsManifest[0].paths[0] 'link.bin'"),
        Catch::Contains("resolves to '" + fs::canonical(c.root / "outside.bin").string() + "', outside the folder"));
    auto z = write_with_paths("tfjs_shard_symlink_zero", {"zero.bin"});
    fs::create_symlink("/dev/zero", z.folder / "zero.bin");
    CHECK_THAT(refused(z, "weightsManifest[0].paths[0] 'zero.bin'"), Catch::Contains("resolves to '/dev/zero'"));
    auto d = write_with_paths("tfjs_shard_symlink_dir", {"sub/outside.bin"});
    fs::create_directory_symlink(d.root, d.folder / "sub");
    CHECK_THAT(refused(d, "weightsManifest[0].paths[0] 'sub/outside.bin'"), Catch::Contains("outside the folder"));
  }
  SECTION("a directory or a FIFO inside the folder") {
    auto c = write_with_paths("tfjs_shard_dir", {"sub"});
    fs::create_directory(c.folder / "sub");
    CHECK_THAT(refused(c, "weightsManifest[0].paths[0] 'sub'"), Catch::Contains("is a directory"));
    auto dot = write_with_paths("tfjs_shard_dot", {"."});
    CHECK_THAT(refused(dot, "weightsManifest[0].paths[0] '.'"), Catch::Contains("is a directory"));
    auto f = write_with_paths("tfjs_shard_fifo", {"fifo.bin"});
    REQUIRE(::mkfifo((f.folder / "fifo.bin").c_str(), 0600) == 0);
    CHECK_THAT(refused(f, "weightsManifest[0].paths[0] 'fifo.bin'"), Catch::Contains("is not a regular file"));
  }
  SECTION("a missing shard") {
    const auto c = write_with_paths("tfjs_shard_missing", {"nope.bin"});
    CHECK_THAT(refused(c, "weightsManifest[0].paths[0] 'nope.bin'"),
               Catch::Contains("cannot open '" + (c.folder / "nope.bin").string() + "' for reading"));
  }
  SECTION("a shard far larger than the declared weights is refused before it is read") {
    // 64 GiB, sparse: reading it would exhaust memory (and ASan's allocator limit).
    const auto c = write_with_paths("tfjs_shard_huge", {"w.bin"});
    fs::resize_file(c.folder / "w.bin", std::uintmax_t{1} << 36);
    CHECK_THROWS_WITH(disfer::tfjs_graph_model::load(c.json_path.string()),
                      Catch::Contains("w.bin' has " + std::to_string((std::uint64_t{1} << 36) - 56) +
                                      " bytes after the last weight of group 1 (from byte offset 56)"));
    fs::remove(c.folder / "w.bin");  // no 64 GiB file (even sparse) left in the build tree
  }
  SECTION("accepted: links that stay inside, './' prefixes, sub-folders, a folder reached through a link") {
    auto c = write_with_paths("tfjs_shard_ok", {"./sub/w1.bin", "link.bin"});
    const auto m = small_model();
    fs::create_directory(c.folder / "sub");
    std::ofstream(c.folder / "sub" / "w1.bin", std::ios::binary) << m.bin.substr(0, 20);
    std::ofstream(c.folder / "rest.bin", std::ios::binary) << m.bin.substr(20);
    fs::create_symlink("rest.bin", c.folder / "link.bin");
    CHECK(disfer::tfjs_graph_model::load(c.json_path.string()).parameter_count() == 12);
    fs::create_directory_symlink(c.folder, c.root / "linked_model");
    CHECK(disfer::tfjs_graph_model::load((c.root / "linked_model" / "model.json").string()).parameter_count() == 12);
    // The two-argument load applies the policy to the folder it is given.
    CHECK(disfer::tfjs_graph_model::load(c.json_path.string(), (c.root / "linked_model").string()).size() > 0);
  }
}

TEST_CASE("tfjs_graph: the bundled FER-2013 model loads under the shard-path policy", "[inference][tfjs_graph]") {
  if (!disfer_test::fer_model()) return;
  const std::string json_path = disfer::fer2013_xception::find_model();
  const auto g = disfer::tfjs_graph_model::load(json_path);
  CHECK(g.parameter_count() == 205127);
  // Through a linked folder, as an installation might place it.
  const auto link = disfer_test::scratch_dir("tfjs_bundled_link") / "models";
  fs::create_directory_symlink(fs::absolute(fs::path(json_path).parent_path()), link);
  CHECK(disfer::tfjs_graph_model::load((link / fs::path(json_path).filename()).string()).parameter_count() == 205127);
}
