#pragma once
/// \file
/// disfer::read_tfjs_weights_manifest: reads the weights of a TensorFlow.js weights manifest
/// without a graph (the layers-style `*-weights_manifest.json` that face-api and tfjs-layers
/// write) and the shards it names, dequantised to float32 (int32 for int32 and bool weights).
///
/// The manifest is a JSON array of groups `{"paths": [shard files], "weights": [{"name", "shape",
/// "dtype", "quantization"?: {"dtype", "scale", "min"}}]}`; the bytes of a group's shards,
/// concatenated in order, hold its weights in order with no padding (tfjs-core `io/types.ts`,
/// WeightsManifestConfig). The `weightsManifest` field of a graph model's model.json has the same
/// format: tfjs_graph_model::load reads it with the same code (detail::read_tfjs_weight_groups),
/// so both loaders share one set of errors and one shard-path policy.
///
/// Weight dtypes: float32, int32, bool; quantisations (tfjs-core `io.decodeWeights`): uint8 and
/// uint16 affine `q * scale + min` (computed in double, stored as float32; int32 weights rounded),
/// float16 (IEEE binary16, float32 weights only).

// Defined by the CMake target disfer::inference (see tfjs_graph.hpp).
#ifndef DISFER_INFERENCE_COMPONENT
#error \
    "disfer's network headers need the inference component: find_package(disfer COMPONENTS inference) and \
target_link_libraries(<your target> PRIVATE disfer::inference). Without CMake: nlohmann-json, \
-DDISFER_INFERENCE_COMPONENT and -DDISFER_MODEL_INSTALL_DIR=\"<prefix>/share/disfer/models\"."
#endif

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "disfer/core/error.hpp"
#include "disfer/inference/tensor.hpp"

namespace disfer {

/// The quantisation of a stored weight (tfjs-core WeightsManifestEntry.quantization).
struct tfjs_quantization {
  std::string dtype;  ///< "uint8", "uint16" or "float16"
  double scale = 1;   ///< uint8/uint16: value = q * scale + min (1 for float16)
  double min = 0;     ///< uint8/uint16 offset (0 for float16)
};

/// One weight of a TF.js weights manifest, dequantised.
struct tfjs_weight {
  std::string name;
  std::string dtype;                              ///< "float32", "int32" or "bool" (the manifest's dtype)
  std::optional<tfjs_quantization> quantization;  ///< how it was stored, when quantised
  tensor value;                                   ///< float32 for float32 weights; int32 (0/1 for bool) otherwise
};

/// The weights of a TF.js weights manifest, in manifest order (groups in order, weights in order).
struct tfjs_weights {
  std::string path;  ///< the manifest file read
  std::vector<tfjs_weight> weights;

  /// The weight called `name`, or nullptr. O(number of weights).
  const tfjs_weight* find(const std::string& name) const noexcept {
    for (const auto& w : weights)
      if (w.name == name) return &w;
    return nullptr;
  }
  /// The weight called `name`; throws disfer::error (`tfjs_weights::at: '<path>' has no weight
  /// '<name>'`) when there is none. O(number of weights).
  const tfjs_weight& at(const std::string& name) const;
};

namespace detail {

/// `s` for an error message: NUL characters shown as `\0` (a name may hold them; a message
/// must not end at them).
inline std::string printable(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c == '\0')
      out += "\\0";
    else
      out += c;
  return out;
}

/// IEEE 754 binary16 to float (subnormals, infinities and NaN included).
inline float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h >> 15) & 1u, exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu;
  float v;
  if (exp == 0)
    v = std::ldexp(static_cast<float>(mant), -24);
  else if (exp == 31)
    v = mant ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  else
    v = std::ldexp(static_cast<float>(mant | 0x400u), static_cast<int>(exp) - 25);
  return sign ? -v : v;
}

/// A JSON integer, or a string holding one (TF.js writes int64 attributes as strings); anything
/// else throws disfer::error from `function` naming `what`.
inline std::int64_t json_int64(const nlohmann::json& x, const char* function, const std::string& what) {
  if (x.is_number_integer()) return x.get<std::int64_t>();
  if (x.is_string()) {
    const std::string& s = x.get_ref<const std::string&>();
    std::int64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty()) return v;
  }
  fail(function, what, " is ", x.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
       ", not a 64-bit integer");
}

/// The element count of `shape` (dimensions >= 0), or std::nullopt when it exceeds 2^63.
inline std::optional<std::size_t> element_count(const std::vector<std::int64_t>& shape) {
  std::uint64_t n = 1;
  for (auto d : shape) {
    const auto u = static_cast<std::uint64_t>(d);
    if (u != 0 && n > (std::uint64_t{1} << 63) / u) return std::nullopt;
    n *= u;
  }
  return static_cast<std::size_t>(n);
}

/// Appends the `size` bytes of the file `path` (named `name` in errors) to `buf`. Throws
/// disfer::error from `function` when it cannot be opened, when it holds more bytes than `size` (it
/// grew since its size was taken; fewer bytes are left to the caller's length checks) or when the
/// bytes cannot be allocated.
inline void append_file(const std::string& path, const std::string& name, std::uintmax_t size, std::vector<char>& buf,
                        const char* function) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(function, "cannot open '", name, "' for reading");
  const std::size_t at = buf.size();
  try {
    buf.resize(at + static_cast<std::size_t>(size));
  } catch (const std::bad_alloc&) {
    fail(function, "cannot allocate ", size, " bytes for the weights in '", name, "'");
  }
  in.read(buf.data() + at, static_cast<std::streamsize>(size));
  buf.resize(at + static_cast<std::size_t>(in.gcount()));
  if (in.gcount() == static_cast<std::streamsize>(size) && in.peek() != std::ifstream::traits_type::eof())
    fail(function, "'", name, "' grew while it was read (", size, " bytes when its size was taken)");
}

/// The model JSON of at most 256 MiB (real TF.js topologies and manifests are kilobytes to a few
/// MiB), read whole. Throws disfer::error from `function` for anything but a regular file (links
/// followed: the user names this path), for a larger file (so /dev/zero or a wrong path never
/// fills memory), and as append_file.
inline std::vector<char> read_binary_file(const std::string& path, const char* function) {
  namespace fs = std::filesystem;
  constexpr std::uintmax_t max_bytes = std::uintmax_t{256} << 20;
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) fail(function, "cannot open '", path, "' for reading");
  if (!fs::is_regular_file(st)) fail(function, "'", path, "' is not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) fail(function, "cannot read the size of '", path, "': ", ec.message());
  if (size > max_bytes)
    fail(function, "'", path, "' holds ", size, " bytes; a model JSON over ", max_bytes, " is refused");
  std::vector<char> buf;
  append_file(path, path, size, buf, function);
  return buf;
}

/// The JSON document in the file `path`, read as read_binary_file does; invalid JSON throws
/// disfer::error from `function` naming the path and the byte offset.
inline nlohmann::json read_json_file(const std::string& path, const char* function) {
  const auto bytes = read_binary_file(path, function);
  try {
    return nlohmann::json::parse(bytes.begin(), bytes.end());
  } catch (const nlohmann::json::parse_error& e) {
    fail(function, "'", path, "' is not valid JSON at byte offset ", e.byte, ": ", e.what());
  } catch (const nlohmann::json::exception& e) {  // e.g. out_of_range 406: a number that overflows a double
    fail(function, "'", path, "' is not valid JSON: ", e.what());
  }
}

/// Where a list of weight groups comes from, for messages: errors read
/// `function: path: field[g].weights[i].shape ...`.
struct tfjs_manifest_source {
  const char* function;  ///< e.g. "tfjs_graph_model::load"
  std::string path;      ///< the JSON file holding the groups
  std::string field;     ///< the groups' field in it ("weightsManifest"), empty for a top-level array
};

/// One entry of a group's "weights", checked, before its bytes are read.
struct tfjs_weight_spec {
  std::string field;  // "weightsManifest[0].weights[3]"
  tfjs_weight weight;
  std::size_t count = 0, elem = 4;  // elements; bytes per stored element
};

/// `x` as JSON text for a message, cut to 80 characters ("..." added).
inline std::string brief_json(const nlohmann::json& x) {
  std::string s = printable(x.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

template <class... Parts>
[[noreturn]] void fail_manifest(const tfjs_manifest_source& src, const Parts&... parts) {
  fail_at(src.function, src.path, 0, 0, parts...);
}

inline tfjs_weight_spec read_tfjs_weight_spec(const nlohmann::json& w, const std::string& field,
                                              const tfjs_manifest_source& src) {
  tfjs_weight_spec s;
  s.field = field;
  if (!w.is_object()) fail_manifest(src, field, " is ", brief_json(w), ", not an object {name, shape, dtype}");
  for (const char* key : {"name", "shape", "dtype"})
    if (!w.contains(key)) fail_manifest(src, field, " has no '", key, "'");
  const auto& jname = w.at("name");
  if (!jname.is_string()) fail_manifest(src, field, ".name is ", brief_json(jname), ", not a string");
  auto& t = s.weight;
  t.name = jname.get<std::string>();
  const std::string name = printable(t.name);
  const auto& jdtype = w.at("dtype");
  if (!jdtype.is_string()) fail_manifest(src, field, ".dtype: weight '", name, "' has the dtype ", brief_json(jdtype));
  t.dtype = jdtype.get<std::string>();
  const auto& jshape = w.at("shape");
  if (!jshape.is_array())
    fail_manifest(src, field, ".shape: weight '", name, "' has the shape ", brief_json(jshape), ", not an array");
  for (std::size_t k = 0; k < jshape.size(); ++k) {
    const std::string dim = concat(field, ".shape[", k, "]");
    const auto& jd = jshape[k];
    if (jd.is_number_unsigned() && jd.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()})
      fail_manifest(src, dim, ": weight '", name, "' has the dimension ", jd.dump(), ", which overflows 64 bits");
    std::int64_t v = 0;
    try {
      v = json_int64(jd, src.function, "it");
    } catch (const error&) {
      fail_manifest(src, dim, ": weight '", name, "' has the dimension ", brief_json(jd), ", not an integer");
    }
    if (v < 0) fail_manifest(src, dim, ": weight '", name, "' has a negative dimension (", v, ")");
    t.value.shape.push_back(v);
  }
  const auto counted = element_count(t.value.shape);
  if (!counted)
    fail_manifest(src, field, ".shape: weight '", name, "' has the shape ", shape_string(t.value.shape),
                  ", whose element count overflows 64 bits");
  s.count = *counted;
  if (t.dtype != "float32" && t.dtype != "int32" && t.dtype != "bool")
    fail_manifest(src, field, ".dtype: weight '", name, "' has the unsupported dtype '", printable(t.dtype),
                  "' (supported: float32, int32, bool and the uint8/uint16/float16 quantisations)");
  s.elem = t.dtype == "bool" ? 1 : 4;
  if (w.contains("quantization")) {
    const std::string qf = field + ".quantization";
    const auto& q = w.at("quantization");
    if (!q.is_object()) fail_manifest(src, qf, ": weight '", name, "' has the quantization ", brief_json(q));
    if (!q.contains("dtype") || !q.at("dtype").is_string())
      fail_manifest(src, qf, ".dtype: weight '", name, "' has no quantisation dtype (uint8, uint16 or float16)");
    tfjs_quantization qz;
    qz.dtype = q.at("dtype").get<std::string>();
    if (qz.dtype == "uint8" || qz.dtype == "uint16") {
      if (t.dtype == "bool")
        fail_manifest(src, qf, ": weight '", name, "' has the dtype bool, which is not quantised (", qz.dtype,
                      " is for float32 and int32 weights)");
      for (const char* key : {"scale", "min"}) {
        if (!q.contains(key) || !q.at(key).is_number())
          fail_manifest(src, qf, ".", key, ": weight '", name, "' is quantised as ", qz.dtype, " without a numeric ",
                        key);
        const double v = q.at(key).get<double>();
        if (!std::isfinite(v)) fail_manifest(src, qf, ".", key, ": weight '", name, "' has the ", key, " ", v);
        (key[0] == 's' ? qz.scale : qz.min) = v;
      }
      s.elem = qz.dtype == "uint8" ? 1 : 2;
    } else if (qz.dtype == "float16") {
      if (t.dtype != "float32")
        fail_manifest(src, qf, ": weight '", name, "' has the dtype ", t.dtype,
                      ", which is not quantised as float16 (float16 is for float32 weights)");
      s.elem = 2;
    } else {
      fail_manifest(src, qf, ".dtype: weight '", name, "' has the unknown quantisation dtype '", printable(qz.dtype),
                    "' (expected uint8, uint16 or float16)");
    }
    t.quantization = qz;
  }
  return s;
}

/// One shard file of a group, checked against the shard-path policy.
struct tfjs_shard {
  std::string file;         // the folder joined with the manifest's path (as error messages name it)
  std::string resolved;     // the checked canonical path that is read
  std::uintmax_t size = 0;  // bytes, as the file system reports them before reading
};

// The shard files of group `group_field` ("weightsManifest[0]"), each checked against the
// shard-path policy: a non-empty relative path without '..' components that resolves (symbolic
// links followed) to a regular file inside `folder` (canonical). Nothing is read here.
inline std::vector<tfjs_shard> tfjs_shard_files(const nlohmann::json& group, const std::string& group_field,
                                                const std::string& dir, const std::filesystem::path& folder,
                                                const tfjs_manifest_source& src) {
  namespace fs = std::filesystem;
  const auto& paths = group.at("paths");
  if (!paths.is_array())
    fail_manifest(src, group_field, ".paths is ", brief_json(paths), ", not an array of file names");
  std::vector<tfjs_shard> shards;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const std::string field = concat(group_field, ".paths[", k, "]");
    if (!paths[k].is_string()) fail_manifest(src, field, " is ", brief_json(paths[k]), ", not a file name");
    const std::string& name = paths[k].get_ref<const std::string&>();
    const std::string shown = printable(name);
    auto refuse = [&](const auto&... why) { fail_manifest(src, field, " '", shown, "': ", why...); };
    if (name.empty()) refuse("an empty shard path");
    if (name.find('\0') != std::string::npos) refuse("a shard path with a NUL character");
    const fs::path rel(name);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
      refuse("an absolute shard path (shard paths are relative to the folder of the model file)");
    for (const auto& part : rel)
      if (part == "..") refuse("a '..' component (shard paths must stay inside the folder of the model file)");
    tfjs_shard s;
    s.file = (fs::path(dir) / rel).string();
    std::error_code ec;
    const fs::path resolved = fs::canonical(folder / rel, ec);
    if (ec) refuse("cannot open '", s.file, "' for reading: ", ec.message());
    const fs::path inside = resolved.lexically_relative(folder);
    if (inside.empty() || *inside.begin() == "..")
      refuse("'", s.file, "' resolves to '", resolved.string(), "', outside the folder '", folder.string(),
             "' (a symbolic link leaving the model's folder is refused)");
    const auto st = fs::status(resolved, ec);
    if (ec) refuse("cannot open '", s.file, "' for reading: ", ec.message());
    if (fs::is_directory(st)) refuse("'", s.file, "' is a directory, not a weights file");
    if (!fs::is_regular_file(st)) refuse("'", s.file, "' is not a regular file (a device, FIFO or socket is refused)");
    s.size = fs::file_size(resolved, ec);
    if (ec) refuse("cannot open '", s.file, "' for reading: ", ec.message());
    s.resolved = resolved.string();
    shards.push_back(std::move(s));
  }
  return shards;
}

/// Dequantises the `s.count` stored elements at `src` into `s.weight.value` as tfjs-core
/// io.decodeWeights does: uint8/uint16 `q * scale + min` in double, float16 by half_to_float;
/// float32 weights stored as float, int32 and bool ones as int32 (quantised int32 rounded half away
/// from zero; a value outside the int32 range is an error).
inline void decode_tfjs_weight(tfjs_weight_spec& s, const char* src, const tfjs_manifest_source& where) {
  auto& t = s.weight;
  const std::string qdtype = t.quantization ? t.quantization->dtype : std::string();
  const double scale = t.quantization ? t.quantization->scale : 1, qmin = t.quantization ? t.quantization->min : 0;
  const std::size_t count = s.count;
  std::vector<double> vals(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (qdtype == "uint8") {
      vals[i] = static_cast<unsigned char>(src[i]) * scale + qmin;
    } else if (qdtype == "uint16") {
      std::uint16_t q;
      std::memcpy(&q, src + 2 * i, 2);
      vals[i] = q * scale + qmin;
    } else if (qdtype == "float16") {
      std::uint16_t q;
      std::memcpy(&q, src + 2 * i, 2);
      vals[i] = half_to_float(q);
    } else if (t.dtype == "float32") {
      float v;
      std::memcpy(&v, src + 4 * i, 4);
      vals[i] = v;
    } else if (t.dtype == "int32") {
      std::int32_t v;
      std::memcpy(&v, src + 4 * i, 4);
      vals[i] = v;
    } else {
      vals[i] = src[i] != 0 ? 1 : 0;
    }
  }
  if (t.dtype == "float32") {
    t.value.values.assign(vals.begin(), vals.end());
  } else {
    t.value.dtype = tensor_dtype::int32;
    t.value.ints.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const double v = std::round(vals[i]);
      if (!(v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max()))
        fail_manifest(where, s.field, ".quantization: weight '", printable(t.name), "' element ", i, " dequantises to ",
                      vals[i], ", outside the int32 range");
      t.value.ints[i] = static_cast<std::int32_t>(v);
    }
  }
}

/// The weights of `manifest` (an array of groups {paths, weights}), shards read from `dir` under
/// the shard-path policy of tfjs_graph_model::load, in manifest order. Throws disfer::error from
/// `src.function` naming `src.path` and the field for every malformed entry, for a duplicate weight
/// name (in any group), for a shard that cannot be read, and for a group whose shards hold fewer
/// or more bytes than its weights need (more: refused from the sizes, before reading).
inline std::vector<tfjs_weight> read_tfjs_weight_groups(const nlohmann::json& manifest, const std::string& dir,
                                                        const tfjs_manifest_source& src) {
  const char* fn = src.function;
  if (!manifest.is_array())
    fail_manifest(src, src.field.empty() ? std::string("the manifest") : src.field, " is ", brief_json(manifest),
                  ", not an array of weight groups");
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::canonical(dir, ec);
  if (ec) fail_manifest(src, "the weights folder '", dir, "' cannot be opened: ", ec.message());
  std::vector<tfjs_weight> out;
  std::set<std::string> names;
  for (std::size_t gi = 0; gi < manifest.size(); ++gi) {
    const std::size_t g = gi + 1;  // 1-based in the byte-count messages
    const auto& group = manifest[gi];
    const std::string gf = concat(src.field, "[", gi, "]");
    if (!group.is_object()) fail_manifest(src, gf, " is ", brief_json(group), ", not an object {paths, weights}");
    for (const char* key : {"paths", "weights"})
      if (!group.contains(key)) fail_manifest(src, gf, " has no '", key, "'");
    const auto& jweights = group.at("weights");
    if (!jweights.is_array())
      fail_manifest(src, gf, ".weights is ", brief_json(jweights), ", not an array of weight entries");
    // The manifest first (so that a shard larger than the weights it declares is refused
    // before it is read), then the shards' paths and sizes, then the bytes.
    std::vector<tfjs_weight_spec> specs;
    std::uintmax_t declared = 0;  // bytes the weights need, saturated at the maximum
    for (std::size_t wi = 0; wi < jweights.size(); ++wi) {
      specs.push_back(read_tfjs_weight_spec(jweights[wi], concat(gf, ".weights[", wi, "]"), src));
      const auto& s = specs.back();
      if (!names.insert(s.weight.name).second)
        fail_manifest(src, s.field, ".name: a second weight named '", printable(s.weight.name), "'");
      const auto room = std::numeric_limits<std::uintmax_t>::max() - declared;
      declared = s.count > room / s.elem ? std::numeric_limits<std::uintmax_t>::max() : declared + s.count * s.elem;
    }
    const auto shards = tfjs_shard_files(group, gf, dir, folder, src);
    std::vector<std::pair<std::string, std::uintmax_t>> shard_ends;  // file, end offset in the group
    std::uintmax_t total = 0;
    for (const auto& s : shards) {
      total = s.size > std::numeric_limits<std::uintmax_t>::max() - total ? std::numeric_limits<std::uintmax_t>::max()
                                                                          : total + s.size;
      shard_ends.emplace_back(s.file, total);
    }
    auto locate = [&](std::uintmax_t offset, std::uintmax_t size) {  // shard file and offset within it
      std::uintmax_t start = 0;
      for (const auto& [file, end] : shard_ends) {
        if (offset < end || end == size) return std::make_pair(file, offset - start);
        start = end;
      }
      return shard_ends.empty() ? std::make_pair(std::string("<no shard>"), offset)
                                : std::make_pair(shard_ends.back().first, offset - start);
    };
    auto trailing = [&](std::uintmax_t offset, std::uintmax_t size) {
      const auto where = locate(offset, size);
      fail_manifest(src, gf, ".paths: '", where.first, "' has ", size - offset,
                    " bytes after the last weight of group ", g, " (from byte offset ", where.second,
                    "): the shard does not match the manifest");
    };
    if (total > declared) trailing(declared, total);
    std::vector<char> buf;
    for (std::size_t k = 0; k < shards.size(); ++k) {
      append_file(shards[k].resolved, shards[k].file, shards[k].size, buf, fn);
      shard_ends[k].second = buf.size();
    }
    std::size_t offset = 0;
    for (auto& s : specs) {
      // count <= 2^63 and elem <= 4: compare without forming count * elem when it cannot fit.
      if (s.count > (buf.size() - offset) / s.elem) {
        const auto where = locate(buf.size(), buf.size());
        const long double end = static_cast<long double>(offset) + static_cast<long double>(s.count) * s.elem;
        fail_manifest(src, s.field, ": '", where.first, "' is truncated: weight '", printable(s.weight.name),
                      "' (group ", g, ") needs bytes ", offset, "-",
                      end < 1e19L ? concat(static_cast<std::uint64_t>(end)) : concat(double(end)),
                      " of the group's data, which ends at byte offset ", where.second, " of that file");
      }
      decode_tfjs_weight(s, buf.data() + offset, src);
      offset += s.count * s.elem;
      out.push_back(std::move(s.weight));
    }
    if (offset != buf.size()) trailing(offset, buf.size());
  }
  return out;
}

}  // namespace detail

inline const tfjs_weight& tfjs_weights::at(const std::string& name) const {
  if (const auto* w = find(name)) return *w;
  detail::fail("tfjs_weights::at", "'", path, "' has no weight '", detail::printable(name), "' (it has ",
               weights.size(), " weights)");
}

/// Reads the TF.js weights manifest `path` (a JSON array of groups {paths, weights}) and its
/// shards, read from `weights_dir` (the shard paths must stay inside it). Returns the weights in manifest order,
/// dequantised (see the file comment). O(bytes of the shards).
///
/// Throws disfer::error naming `read_tfjs_weights_manifest`, the manifest's path and the field
/// (`[g].weights[i].shape`, `[g].paths[k]`) for: a missing file, a file that is not regular or
/// over 256 MiB, invalid JSON, a manifest that is not an array of objects with array fields
/// `paths` and `weights`, a weight entry without a string name or dtype or an array shape of
/// integers >= 0, a shape whose element count overflows 64 bits, a dtype other than float32, int32
/// and bool, an unknown or unsupported quantisation (uint8/uint16 need finite numeric scale and
/// min; float16 only for float32), a duplicate weight name, a shard path outside the folder (the
/// policy of tfjs_graph_model::load: relative, no '..', symbolic links followed must stay inside,
/// regular files only), and a group whose shards hold fewer or more bytes than its weights need.
inline tfjs_weights read_tfjs_weights_manifest(const std::string& path, const std::string& weights_dir) {
  const char* fn = "read_tfjs_weights_manifest";
  tfjs_weights w;
  w.path = path;
  const auto j = detail::read_json_file(path, fn);
  try {
    w.weights = detail::read_tfjs_weight_groups(j, weights_dir, {fn, path, ""});
  } catch (const nlohmann::json::exception& e) {  // not expected: every field is checked before it is read
    detail::fail_at(fn, path, 0, 0, "does not have the layout of a weights manifest: ", e.what());
  }
  return w;
}

/// As read_tfjs_weights_manifest(path, weights_dir) with the manifest's folder as `weights_dir`.
inline tfjs_weights read_tfjs_weights_manifest(const std::string& path) {
  const std::filesystem::path p(path);
  return read_tfjs_weights_manifest(path, p.has_parent_path() ? p.parent_path().string() : std::string("."));
}

}  // namespace disfer
