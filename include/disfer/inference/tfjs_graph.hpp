#pragma once
/// \file
/// disfer::tfjs_graph_model: loads a TensorFlow.js graph model (model.json plus the .bin shards
/// named in its weightsManifest) and runs it on the CPU in float32, NHWC.
///
/// Supported ops: Placeholder, Const, Identity, Conv2D, _FusedConv2D (fused_ops BiasAdd,
/// BiasAdd+Relu, BiasAdd+Relu6), DepthwiseConv2dNative, FusedDepthwiseConv2dNative (same fused
/// ops), MaxPool, AvgPool, AddV2, Add, BiasAdd, Relu, Relu6, Mean, Softmax, Reshape; attributes as
/// TensorFlow defines them (data_format NHWC; padding SAME or VALID; strides and dilations).
/// Weight dtypes: float32, int32, bool, and the quantised encodings of the tfjs converter
/// (uint8 and uint16 affine `q * scale + min`, float16). The weightsManifest is read by
/// tfjs_weights.hpp (detail::read_tfjs_weight_groups), as read_tfjs_weights_manifest reads a
/// weights manifest without a graph: the same errors, shard-path policy and dequantisation.
///
/// Every malformed file throws disfer::error naming the file (and the byte offset for JSON syntax
/// errors and short shards); every graph problem names the node and its op. Weight shards are
/// read only from inside the model's folder (see load()).

// Defined by the CMake target disfer::inference, whose definitions also tell the model search where
// the installed model is: without them a program would build and then fail at run time.
#ifndef DISFER_INFERENCE_COMPONENT
#error \
    "disfer's network headers need the inference component: find_package(disfer COMPONENTS inference) and \
target_link_libraries(<your target> PRIVATE disfer::inference). Without CMake: nlohmann-json, \
-DDISFER_INFERENCE_COMPONENT and -DDISFER_MODEL_INSTALL_DIR=\"<prefix>/share/disfer/models\"."
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "disfer/core/error.hpp"
#include "disfer/inference/detail/ops.hpp"
#include "disfer/io/staged_file.hpp"
#include "disfer/inference/tensor.hpp"
#include "disfer/inference/tfjs_weights.hpp"

namespace disfer {

namespace detail {

inline std::string base64_decode(const std::string& in) {
  auto value = [](char ch) -> int {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+' || ch == '-') return 62;
    if (ch == '/' || ch == '_') return 63;
    return -1;
  };
  std::string out;
  int bits = 0;
  std::uint32_t acc = 0;  // only the low 14 bits matter; unsigned so the shift never overflows
  for (char ch : in) {
    if (ch == '=') break;
    const int v = value(ch);
    if (v < 0) fail("tfjs_graph_model::load", "invalid base64 character in the attribute '", in, "'");
    acc = ((acc << 6) | static_cast<std::uint32_t>(v)) & 0xFFFFFFu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace detail

/// A TensorFlow.js graph model ready to run. Immutable after load(); run() is const and may be
/// called from several threads at once.
class tfjs_graph_model {
 public:
  /// Loads `model_json_path`; the weight shards are read from the same folder.
  /// Throws disfer::error for a missing or malformed file (for the weightsManifest: the errors of
  /// read_tfjs_weights_manifest, fields named `weightsManifest[g]...`, a duplicate weight name
  /// included), an unsupported op or attribute, a missing node or weight, or inconsistent shapes
  /// (checked at load by shape inference when the input's shape is known up to the batch size).
  ///
  /// Shard paths (weightsManifest[g].paths[k]) must be non-empty relative paths without '..'
  /// components that resolve, symbolic links followed, to a regular file inside the model file's
  /// folder: an absolute path, a '..', a symbolic link leaving the folder, a directory or a device
  /// is an error naming the model file, the field and the path, so that a model folder from
  /// elsewhere cannot make disfer read other files. Shards larger in total than the weights the
  /// group declares are refused before they are read.
  static tfjs_graph_model load(const std::string& model_json_path) {
    const std::filesystem::path p(model_json_path);
    return load(model_json_path, p.has_parent_path() ? p.parent_path().string() : std::string("."));
  }

  /// Loads `model_json_path` reading the shards from `weights_dir` (the shard paths must then
  /// stay inside `weights_dir`, under the same policy).
  static tfjs_graph_model load(const std::string& model_json_path, const std::string& weights_dir) {
    tfjs_graph_model m;
    m.path_ = model_json_path;
    const nlohmann::json j = detail::read_json_file(model_json_path, fn);
    try {
      m.read_weights(j, weights_dir);
      m.document_ = std::make_shared<const nlohmann::json>(j);
      m.read_topology(j);
    } catch (const nlohmann::json::exception& e) {
      detail::fail(fn, "'", model_json_path, "' does not have the layout of a graph model: ", e.what());
    }
    m.infer_shapes();
    return m;
  }

  /// Names of the graph's inputs (Placeholder nodes) and outputs (signature outputs, else the
  /// nodes nobody consumes).
  const std::vector<std::string>& input_names() const noexcept { return input_names_; }
  const std::vector<std::string>& output_names() const noexcept { return output_names_; }
  /// Shape of input `i` as declared (-1 for an unknown dimension, usually the batch).
  const std::vector<std::int64_t>& input_shape(std::size_t i = 0) const { return nodes_.at(inputs_.at(i)).shape; }
  /// Number of nodes.
  std::size_t size() const noexcept { return nodes_.size(); }
  /// Names of every node, in a topological order.
  std::vector<std::string> node_names() const {
    std::vector<std::string> v;
    for (auto i : order_) v.push_back(nodes_[i].name);
    return v;
  }
  /// Op of the node called `name`; throws disfer::error when there is none.
  const std::string& op_of(const std::string& name) const { return nodes_[find(name, "op_of")].op; }
  /// Floating-point operations for one image (batch 1), counted from the graph as is customary:
  /// 2 per multiply-add of the convolutions (Conv2D and depthwise, fused or not). Biases,
  /// activations, pooling, additions, mean and softmax are not counted (< 0.5% for CNNs).
  double flops_per_item() const noexcept { return flops_; }
  /// Number of parameters (elements of the float Const tensors).
  std::size_t parameter_count() const noexcept {
    std::size_t n = 0;
    for (const auto& nd : nodes_)
      if (nd.value && nd.value->dtype == tensor_dtype::float32) n += nd.value->size();
    return n;
  }
  /// The path given to load().
  const std::string& path() const noexcept { return path_; }

  /// What the graph says about one node (for tools that inspect the graph, such as the
  /// classifier-head search of fine_tune.hpp).
  struct node_info {
    std::string name, op;
    std::vector<std::string> inputs;  ///< names of the input nodes (control inputs dropped)
    std::vector<std::int64_t> shape;  ///< inferred shape at batch 1 (declared for Placeholder; may be empty)
    const tensor* value = nullptr;    ///< the tensor of a Const node, else nullptr
    std::int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
    bool same_padding = false;     ///< SAME (true) or VALID (false) for window ops
    bool fused_bias = false;       ///< a fused op with BiasAdd (third input is the bias)
    std::string fused_activation;  ///< "", "Relu" or "Relu6" for fused ops
    bool keep_dims = false;        ///< Mean's keep_dims
  };
  /// The node called `name`; throws disfer::error when there is none.
  node_info describe(const std::string& name) const {
    const auto& nd = nodes_[find(name, "tfjs_graph_model::describe")];
    node_info v;
    v.name = nd.name;
    v.op = nd.op;
    v.inputs = nd.input_names;
    v.shape = nd.shape;
    v.value = nd.value.get();
    v.stride_h = nd.geometry.stride_h;
    v.stride_w = nd.geometry.stride_w;
    v.dilation_h = nd.geometry.dilation_h;
    v.dilation_w = nd.geometry.dilation_w;
    v.same_padding = nd.geometry.padding == detail::padding_mode::same;
    v.fused_bias = nd.bias;
    v.fused_activation = nd.act == detail::activation::relu    ? "Relu"
                         : nd.act == detail::activation::relu6 ? "Relu6"
                                                               : "";
    v.keep_dims = nd.keep_dims;
    return v;
  }

  /// A copy of the model in which the Const nodes named in `values` hold the given float32
  /// tensors instead. Throws disfer::error when a name is not a Const node or a replacement's
  /// dtype or shape differs from the original's. O(number of nodes) plus the copies.
  tfjs_graph_model with_constants(const std::map<std::string, tensor>& values) const {
    const char* f = "tfjs_graph_model::with_constants";
    tfjs_graph_model m = *this;
    for (const auto& [name, t] : values) {
      auto& nd = m.nodes_[m.find(name, f)];
      if (nd.op != "Const" || !nd.value) detail::fail(f, "node '", name, "' is a ", nd.op, ", not a Const");
      if (t.dtype != nd.value->dtype || t.shape != nd.value->shape)
        detail::fail(f, "the replacement of '", name, "' has shape ", shape_string(t.shape), ", the graph's has ",
                     shape_string(nd.value->shape), (t.dtype != nd.value->dtype ? " (and another dtype)" : ""));
      if (t.dtype == tensor_dtype::float32 && t.values.size() != t.size())
        detail::fail(f, "the replacement of '", name, "' has ", t.values.size(), " values for shape ",
                     shape_string(t.shape));
      auto copy = std::make_shared<const tensor>(t);
      nd.value = copy;
      m.weights_[name] = copy;
    }
    // Fresh filter caches: the copied ones are tied to the old filters.
    for (auto& nd : m.nodes_)
      if (nd.panels) nd.panels = std::make_shared<detail::filter_panels>();
    return m;
  }

  /// Saves the model in the TensorFlow.js graph-model format: `model_json_path` (the loaded
  /// model.json with its weightsManifest replaced) and one weights shard beside it named after it
  /// (`x.json` -> `x.bin`), every weight stored unquantised (float32, int32). Both files are
  /// written through staged_file (complete or absent); an existing file is an error unless
  /// `policy` is overwrite_policy::replace. Throws disfer::error for a path without the .json
  /// extension, an existing file, or a write error. O(parameters).
  void save(const std::string& model_json_path, overwrite_policy policy = overwrite_policy::refuse) const {
    const char* f = "tfjs_graph_model::save";
    const std::filesystem::path jp(model_json_path);
    if (jp.extension() != ".json") detail::fail(f, "'", model_json_path, "' must end in .json");
    if (!document_) detail::fail(f, "the model has no loaded model.json to save from");
    std::filesystem::path bp = jp;
    bp.replace_extension(".bin");
    nlohmann::json j = *document_;
    nlohmann::json entries = nlohmann::json::array();
    staged_file bin(bp.string(), policy, f);
    staged_file json(jp.string(), policy, f);
    for (const auto& [name, t] : weights_) {
      entries.push_back(
          {{"name", name}, {"shape", t->shape}, {"dtype", t->dtype == tensor_dtype::float32 ? "float32" : "int32"}});
      if (t->dtype == tensor_dtype::float32)
        bin.stream().write(reinterpret_cast<const char*>(t->values.data()),
                           static_cast<std::streamsize>(t->values.size() * sizeof(float)));
      else
        bin.stream().write(reinterpret_cast<const char*>(t->ints.data()),
                           static_cast<std::streamsize>(t->ints.size() * sizeof(std::int32_t)));
    }
    j["weightsManifest"] = nlohmann::json::array({{{"paths", {bp.filename().string()}}, {"weights", entries}}});
    json.stream() << j.dump();
    bin.commit();
    json.commit();
  }

  /// Runs the graph on one input and returns the first output.
  tensor run(const tensor& input) const {
    if (inputs_.size() != 1) detail::fail("tfjs_graph_model::run", "the graph has ", inputs_.size(), " inputs, not 1");
    auto out = run({{input_names_[0], input}}, {output_names_.at(0)});
    return std::move(out.begin()->second);
  }

  /// Runs the graph on `feeds` (input name -> tensor) and returns the nodes named in `fetches`
  /// (any node, for intermediate outputs). Only the nodes the fetches need are evaluated;
  /// intermediate tensors are freed after their last use.
  std::map<std::string, tensor> run(const std::map<std::string, tensor>& feeds,
                                    const std::vector<std::string>& fetches) const {
    const char* f = "tfjs_graph_model::run";
    std::vector<std::shared_ptr<const tensor>> values(nodes_.size());
    std::vector<int> uses(nodes_.size(), 0);
    std::vector<bool> needed(nodes_.size(), false);
    std::vector<std::size_t> stack;
    for (const auto& name : fetches) stack.push_back(find(name, f));
    std::vector<bool> fetched(nodes_.size(), false);
    for (auto i : stack) fetched[i] = true;
    while (!stack.empty()) {
      const auto i = stack.back();
      stack.pop_back();
      if (needed[i]) continue;
      needed[i] = true;
      for (auto in : nodes_[i].inputs) stack.push_back(in);
    }
    for (auto i : order_)
      if (needed[i])
        for (auto in : nodes_[i].inputs) ++uses[in];
    for (const auto& [name, t] : feeds) {
      const auto i = find(name, f);
      if (nodes_[i].op != "Placeholder") detail::fail(f, "'", name, "' is not an input (op ", nodes_[i].op, ")");
    }
    for (auto i : order_) {
      if (!needed[i]) continue;
      const node& nd = nodes_[i];
      if (nd.op == "Placeholder") {
        auto it = feeds.find(nd.name);
        if (it == feeds.end()) detail::fail(f, "no value fed for input '", nd.name, "'");
        check_input(nd, it->second);
        values[i] = std::make_shared<const tensor>(it->second);
      } else if (nd.value) {
        values[i] = nd.value;
      } else {
        try {
          values[i] = evaluate(nd, values);
        } catch (const error& e) {
          detail::fail(f, "node '", nd.name, "' (op ", nd.op, "): ", e.what());
        }
      }
      for (auto in : nd.inputs)
        if (--uses[in] == 0 && !fetched[in]) values[in].reset();
    }
    std::map<std::string, tensor> out;
    for (const auto& name : fetches) out[name] = *values[find(name, f)];
    return out;
  }

 private:
  static constexpr const char* fn = "tfjs_graph_model::load";

  struct node {
    std::string name, op;
    std::vector<std::string> input_names;
    std::vector<std::size_t> inputs;
    std::shared_ptr<const tensor> value;  // Const
    std::vector<std::int64_t> shape;      // Placeholder's declared shape; inferred shape otherwise
    detail::conv_geometry geometry;
    detail::activation act = detail::activation::none;
    bool bias = false;
    bool keep_dims = false;
    std::int64_t kh = 1, kw = 1;
    std::shared_ptr<detail::filter_panels> panels;  // Conv2D: the packed filter, per SIMD path
  };

  std::string path_;
  std::vector<node> nodes_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::size_t> order_, inputs_;
  std::vector<std::string> input_names_, output_names_;
  std::map<std::string, std::shared_ptr<const tensor>> weights_;
  std::shared_ptr<const nlohmann::json> document_;  // the model.json as loaded (for save())
  double flops_ = 0;

  std::size_t find(const std::string& name, const char* f) const {
    std::string key = name;
    if (auto colon = key.rfind(':');
        colon != std::string::npos && key.find_first_not_of("0123456789", colon + 1) == std::string::npos)
      key.resize(colon);
    auto it = index_.find(key);
    if (it == index_.end()) detail::fail(f, "the graph has no node '", name, "'");
    return it->second;
  }

  template <class... Parts>
  [[noreturn]] void fail_node(const node& nd, const Parts&... parts) const {
    detail::fail(fn, "'", path_, "': node '", nd.name, "' (op ", nd.op, "): ", parts...);
  }

  // ---- weights (tfjs_weights.hpp: the same format as a weights manifest) ---------------------
  void read_weights(const nlohmann::json& j, const std::string& dir) {
    if (!j.contains("weightsManifest")) return;
    for (auto& w : detail::read_tfjs_weight_groups(j.at("weightsManifest"), dir, {fn, path_, "weightsManifest"}))
      weights_[w.name] = std::make_shared<const tensor>(std::move(w.value));
  }

  // ---- topology ------------------------------------------------------------------------------
  static std::string attr_string(const nlohmann::json& attr, const char* key) {
    return detail::base64_decode(attr.at(key).at("s").get<std::string>());
  }
  static std::vector<std::int64_t> attr_ints(const nlohmann::json& attr, const char* key) {
    std::vector<std::int64_t> v;
    const auto& list = attr.at(key).at("list");
    if (!list.contains("i")) return v;
    for (const auto& x : list.at("i"))
      v.push_back(detail::json_int64(x, fn, std::string("an element of the attribute '") + key + "'"));
    return v;
  }

  void read_window_attrs(node& nd, const nlohmann::json& attr, bool pool) {
    if (attr.contains("data_format") && attr_string(attr, "data_format") != "NHWC")
      fail_node(nd, "data_format ", attr_string(attr, "data_format"), " is not supported (only NHWC)");
    if (!attr.contains("padding")) fail_node(nd, "missing attribute 'padding'");
    const auto pad = attr_string(attr, "padding");
    if (pad == "SAME")
      nd.geometry.padding = detail::padding_mode::same;
    else if (pad == "VALID")
      nd.geometry.padding = detail::padding_mode::valid;
    else
      fail_node(nd, "padding '", pad, "' is not supported (only SAME and VALID)");
    auto four = [&](const char* key, std::int64_t def) {
      std::vector<std::int64_t> v = attr.contains(key) ? attr_ints(attr, key) : std::vector<std::int64_t>{};
      if (v.empty()) v = {1, def, def, 1};
      if (v.size() != 4 || v[0] != 1 || v[3] != 1)
        fail_node(nd, "attribute '", key, "' must be [1, h, w, 1], got ", shape_string(v));
      return v;
    };
    const auto s = four("strides", 1);
    nd.geometry.stride_h = s[1];
    nd.geometry.stride_w = s[2];
    if (pool) {
      const auto k = four("ksize", 1);
      nd.kh = k[1];
      nd.kw = k[2];
    } else {
      const auto d = four("dilations", 1);
      nd.geometry.dilation_h = d[1];
      nd.geometry.dilation_w = d[2];
    }
  }

  void read_fused_ops(node& nd, const nlohmann::json& attr) {
    std::vector<std::string> ops;
    if (attr.contains("fused_ops") && attr.at("fused_ops").at("list").contains("s"))
      for (const auto& s : attr.at("fused_ops").at("list").at("s"))
        ops.push_back(detail::base64_decode(s.get<std::string>()));
    if (ops.empty() || ops[0] != "BiasAdd" || ops.size() > 2)
      fail_node(nd, "fused_ops must be BiasAdd, BiasAdd+Relu or BiasAdd+Relu6");
    nd.bias = true;
    if (ops.size() == 2) {
      if (ops[1] == "Relu")
        nd.act = detail::activation::relu;
      else if (ops[1] == "Relu6")
        nd.act = detail::activation::relu6;
      else
        fail_node(nd, "fused op '", ops[1], "' is not supported (only Relu and Relu6 after BiasAdd)");
    }
  }

  void read_topology(const nlohmann::json& j) {
    const auto& topo = j.at("modelTopology");
    for (const auto& jn : topo.at("node")) {
      node nd;
      nd.name = jn.at("name").get<std::string>();
      nd.op = jn.at("op").get<std::string>();
      if (index_.count(nd.name)) fail_node(nd, "duplicate node name");
      if (jn.contains("input"))
        for (const auto& in : jn.at("input")) {
          auto s = in.get<std::string>();
          if (!s.empty() && s[0] == '^') continue;  // control dependency
          if (auto colon = s.rfind(':'); colon != std::string::npos) {
            if (s.substr(colon + 1) != "0")
              fail_node(nd, "input '", s, "' uses a secondary output, which no supported op has");
            s.resize(colon);
          }
          nd.input_names.push_back(s);
        }
      const nlohmann::json attr = jn.contains("attr") ? jn.at("attr") : nlohmann::json::object();
      const std::string& op = nd.op;
      auto arity = [&](std::size_t k) {
        if (nd.input_names.size() != k) fail_node(nd, "expects ", k, " inputs, has ", nd.input_names.size());
      };
      if (op == "Placeholder") {
        arity(0);
        if (attr.contains("shape") && attr.at("shape").contains("shape") &&
            attr.at("shape").at("shape").contains("dim"))
          for (const auto& d : attr.at("shape").at("shape").at("dim"))
            nd.shape.push_back(detail::json_int64(d.at("size"), fn, "a dimension of input '" + nd.name + "'"));
        for (auto d : nd.shape)
          if (d < -1 || d > (std::int64_t{1} << 31))
            fail_node(nd, "input dimension ", d, " is outside -1 (unknown) .. 2^31");
        if (attr.contains("dtype") && attr.at("dtype").at("type").get<std::string>() != "DT_FLOAT")
          fail_node(nd, "input dtype ", attr.at("dtype").at("type").get<std::string>(),
                    " is not supported (only DT_FLOAT)");
        inputs_.push_back(nodes_.size());
        input_names_.push_back(nd.name);
      } else if (op == "Const") {
        arity(0);
        auto it = weights_.find(nd.name);
        if (it == weights_.end()) fail_node(nd, "no weight of that name in the weightsManifest");
        nd.value = it->second;
        nd.shape = it->second->shape;
      } else if (op == "Conv2D" || op == "DepthwiseConv2dNative") {
        arity(2);
        read_window_attrs(nd, attr, false);
        if (op == "Conv2D") nd.panels = std::make_shared<detail::filter_panels>();
      } else if (op == "_FusedConv2D" || op == "FusedDepthwiseConv2dNative") {
        read_window_attrs(nd, attr, false);
        read_fused_ops(nd, attr);
        arity(3);
        if (op == "_FusedConv2D") nd.panels = std::make_shared<detail::filter_panels>();
      } else if (op == "MaxPool" || op == "AvgPool") {
        arity(1);
        read_window_attrs(nd, attr, true);
      } else if (op == "AddV2" || op == "Add" || op == "BiasAdd") {
        arity(2);
        if (op == "BiasAdd" && attr.contains("data_format") && attr_string(attr, "data_format") != "NHWC")
          fail_node(nd, "data_format must be NHWC");
      } else if (op == "Identity" || op == "Relu" || op == "Relu6" || op == "Softmax") {
        arity(1);
      } else if (op == "Mean") {
        arity(2);
        nd.keep_dims = attr.contains("keep_dims") && attr.at("keep_dims").value("b", false);
      } else if (op == "Reshape") {
        arity(2);
      } else {
        fail_node(nd,
                  "unsupported op (supported: Placeholder, Const, Identity, Conv2D, _FusedConv2D, "
                  "DepthwiseConv2dNative, FusedDepthwiseConv2dNative, MaxPool, AvgPool, AddV2, Add, BiasAdd, "
                  "Relu, Relu6, Mean, Softmax, Reshape)");
      }
      index_[nd.name] = nodes_.size();
      nodes_.push_back(std::move(nd));
    }
    for (auto& nd : nodes_)
      for (const auto& in : nd.input_names) {
        auto it = index_.find(in);
        if (it == index_.end()) fail_node(nd, "input '", in, "' is not a node of the graph");
        nd.inputs.push_back(it->second);
      }
    // Topological order (depth-first, iterative), rejecting cycles.
    std::vector<int> state(nodes_.size(), 0);
    for (std::size_t root = 0; root < nodes_.size(); ++root) {
      if (state[root]) continue;
      std::vector<std::pair<std::size_t, std::size_t>> st{{root, 0}};
      state[root] = 1;
      while (!st.empty()) {
        auto& [i, k] = st.back();
        if (k < nodes_[i].inputs.size()) {
          const auto nx = nodes_[i].inputs[k++];
          if (state[nx] == 1) fail_node(nodes_[nx], "the graph has a cycle through this node");
          if (state[nx] == 0) {
            state[nx] = 1;
            st.emplace_back(nx, 0);
          }
        } else {
          state[i] = 2;
          order_.push_back(i);
          st.pop_back();
        }
      }
    }
    // Outputs: the signature's, else the nodes without consumers.
    if (j.contains("userDefinedMetadata") && j.at("userDefinedMetadata").contains("signature") &&
        j.at("userDefinedMetadata").at("signature").contains("outputs")) {
      for (const auto& [key, val] : j.at("userDefinedMetadata").at("signature").at("outputs").items()) {
        std::string name = val.contains("name") ? val.at("name").get<std::string>() : key;
        if (auto colon = name.rfind(':'); colon != std::string::npos) name.resize(colon);
        if (!index_.count(name)) detail::fail(fn, "'", path_, "': the signature's output '", name, "' is not a node");
        output_names_.push_back(name);
      }
    }
    if (output_names_.empty()) {
      std::vector<bool> consumed(nodes_.size(), false);
      for (const auto& nd : nodes_)
        for (auto in : nd.inputs) consumed[in] = true;
      for (auto i : order_)
        if (!consumed[i] && nodes_[i].op != "Const") output_names_.push_back(nodes_[i].name);
    }
    if (inputs_.empty()) detail::fail(fn, "'", path_, "': the graph has no Placeholder input");
  }

  // ---- shape inference and FLOPs (batch 1) -----------------------------------------------------
  void infer_shapes() {
    std::vector<std::vector<std::int64_t>> shapes(nodes_.size());
    for (auto i : inputs_)
      for (std::size_t d = 0; d < nodes_[i].shape.size(); ++d)
        if (nodes_[i].shape[d] < (d == 0 ? -1 : 0)) return;  // unknown non-batch size: checked at run time
    flops_ = 0;
    for (auto i : order_) {
      node& nd = nodes_[i];
      auto in = [&](std::size_t k) -> const std::vector<std::int64_t>& { return shapes[nd.inputs[k]]; };
      auto numel = [](const std::vector<std::int64_t>& s) {
        double v = 1;
        for (auto d : s) v *= static_cast<double>(d);
        return v;
      };
      if (nd.op == "Placeholder") {
        shapes[i] = nd.shape;
        if (shapes[i].empty()) return;
        if (shapes[i][0] == -1) shapes[i][0] = 1;
        continue;
      }
      if (nd.op == "Const") {
        shapes[i] = nd.shape;
        continue;
      }
      try {
        const std::string& op = nd.op;
        if (op == "Conv2D" || op == "_FusedConv2D" || op == "DepthwiseConv2dNative" ||
            op == "FusedDepthwiseConv2dNative") {
          const bool depthwise = op.find("Depthwise") != std::string::npos;
          const auto& x = in(0);
          const auto& f = in(1);
          if (x.size() != 4) detail::fail(op.c_str(), "input must have rank 4, got shape ", shape_string(x));
          if (f.size() != 4) detail::fail(op.c_str(), "filter must have rank 4, got shape ", shape_string(f));
          if (f[2] != x[3])
            detail::fail(op.c_str(), "filter ", shape_string(f), " expects ", f[2], " input channels, the input ",
                         shape_string(x), " has ", x[3]);
          const std::int64_t co = depthwise ? f[2] * f[3] : f[3];
          if (nd.bias && (in(2).size() != 1 || in(2)[0] != co))
            detail::fail(op.c_str(), "bias has shape ", shape_string(in(2)), ", expected [", co, "]");
          const auto wy =
              detail::window(x[1], f[0], nd.geometry.stride_h, nd.geometry.dilation_h, nd.geometry.padding, op.c_str());
          const auto wx =
              detail::window(x[2], f[1], nd.geometry.stride_w, nd.geometry.dilation_w, nd.geometry.padding, op.c_str());
          shapes[i] = {x[0], wy.out, wx.out, co};
          const double outs = numel(shapes[i]);
          flops_ += 2.0 * outs * static_cast<double>(f[0] * f[1] * (depthwise ? 1 : f[2]));
        } else if (op == "MaxPool" || op == "AvgPool") {
          const auto& x = in(0);
          if (x.size() != 4) detail::fail(op.c_str(), "input must have rank 4, got shape ", shape_string(x));
          const auto wy = detail::window(x[1], nd.kh, nd.geometry.stride_h, 1, nd.geometry.padding, op.c_str());
          const auto wx = detail::window(x[2], nd.kw, nd.geometry.stride_w, 1, nd.geometry.padding, op.c_str());
          shapes[i] = {x[0], wy.out, wx.out, x[3]};
        } else if (op == "AddV2" || op == "Add" || op == "BiasAdd") {
          const auto& sa = in(0);
          const auto& sb = in(1);
          const std::size_t rank = std::max(sa.size(), sb.size());
          std::vector<std::int64_t> out(rank, 1);
          for (std::size_t d = 0; d < rank; ++d) {
            const std::int64_t da = d + sa.size() >= rank ? sa[d + sa.size() - rank] : 1;
            const std::int64_t db = d + sb.size() >= rank ? sb[d + sb.size() - rank] : 1;
            if (da != db && da != 1 && db != 1)
              detail::fail(op.c_str(), "shapes ", shape_string(sa), " and ", shape_string(sb), " cannot be broadcast");
            out[d] = da == 1 ? db : da;
          }
          shapes[i] = out;
        } else if (op == "Identity") {
          shapes[i] = in(0);
        } else if (op == "Relu" || op == "Relu6" || op == "Softmax") {
          shapes[i] = in(0);
        } else if (op == "Mean" || op == "Reshape") {
          const auto& c = nodes_[nd.inputs[1]];
          if (!c.value || c.value->dtype != tensor_dtype::int32)
            detail::fail(op.c_str(), "the second input must be an int32 Const");
          std::vector<std::int64_t> arg(c.value->ints.begin(), c.value->ints.end());
          tensor stand_in;
          stand_in.shape = in(0);
          if (op == "Reshape") {
            stand_in.values.resize(stand_in.size());
            shapes[i] = detail::reshape(stand_in, arg).shape;
          } else {
            // Shape rule of mean() without computing it.
            std::vector<bool> red(in(0).size(), false);
            for (auto a : arg) {
              const auto r = static_cast<std::int64_t>(in(0).size());
              const std::int64_t ax = a < 0 ? a + r : a;
              if (ax < 0 || ax >= r)
                detail::fail("Mean", "axis ", a, " is out of range for shape ", shape_string(in(0)));
              red[static_cast<std::size_t>(ax)] = true;
            }
            for (std::size_t d = 0; d < in(0).size(); ++d)
              if (!red[d])
                shapes[i].push_back(in(0)[d]);
              else if (nd.keep_dims)
                shapes[i].push_back(1);
          }
        }
      } catch (const error& e) {
        fail_node(nd, e.what());
      }
      nd.shape = shapes[i];
    }
  }

  // ---- evaluation ----------------------------------------------------------------------------
  void check_input(const node& nd, const tensor& t) const {
    const char* f = "tfjs_graph_model::run";
    if (t.dtype != tensor_dtype::float32) detail::fail(f, "input '", nd.name, "' must be float32");
    if (t.values.size() != t.size())
      detail::fail(f, "input '", nd.name, "' has ", t.values.size(), " values for shape ", shape_string(t.shape));
    bool ok = nd.shape.empty() || nd.shape.size() == t.rank();
    for (std::size_t d = 0; ok && d < nd.shape.size(); ++d) ok = nd.shape[d] < 0 || nd.shape[d] == t.shape[d];
    if (!ok)
      detail::fail(f, "input '", nd.name, "' has shape ", shape_string(t.shape), ", the graph expects ",
                   shape_string(nd.shape), " (-1: any)");
  }

  std::shared_ptr<const tensor> evaluate(const node& nd, const std::vector<std::shared_ptr<const tensor>>& v) const {
    auto in = [&](std::size_t k) -> const tensor& { return *v[nd.inputs[k]]; };
    const std::string& op = nd.op;
    auto make = [](tensor t) { return std::make_shared<const tensor>(std::move(t)); };
    if (op == "Identity") return v[nd.inputs[0]];
    if (op == "Conv2D" || op == "_FusedConv2D") {
      const detail::simd_path path = detail::simd_resolve();
      const auto* packed =
          nd.panels && path != detail::simd_path::portable ? nd.panels->get(path, v[nd.inputs[1]]) : nullptr;
      return make(detail::conv2d(in(0), in(1), nd.bias ? &in(2) : nullptr, nd.geometry, nd.act, path, packed));
    }
    if (op == "DepthwiseConv2dNative" || op == "FusedDepthwiseConv2dNative")
      return make(detail::depthwise_conv2d(in(0), in(1), nd.bias ? &in(2) : nullptr, nd.geometry, nd.act));
    if (op == "MaxPool") return make(detail::pool2d(in(0), detail::pool_kind::max, nd.kh, nd.kw, nd.geometry));
    if (op == "AvgPool") return make(detail::pool2d(in(0), detail::pool_kind::average, nd.kh, nd.kw, nd.geometry));
    if (op == "AddV2" || op == "Add" || op == "BiasAdd") return make(detail::add(in(0), in(1), op.c_str()));
    if (op == "Relu") return make(detail::activate(in(0), detail::activation::relu, "Relu"));
    if (op == "Relu6") return make(detail::activate(in(0), detail::activation::relu6, "Relu6"));
    if (op == "Softmax") return make(detail::softmax(in(0)));
    const tensor& arg = in(1);
    if (arg.dtype != tensor_dtype::int32) detail::fail(op.c_str(), "the second input must be int32");
    std::vector<std::int64_t> ints(arg.ints.begin(), arg.ints.end());
    if (op == "Mean") return make(detail::mean(in(0), ints, nd.keep_dims));
    return make(detail::reshape(in(0), ints));  // Reshape
  }
};

}  // namespace disfer
