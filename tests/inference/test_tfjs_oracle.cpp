// The TensorFlow.js oracle of the bundled FER-2013 network: TF.js 4.22.0 with its cpu backend (an
// implementation independent of disfer's) runs the same model files on inputs disfer makes itself
// (oracle_inputs.hpp: the 10 DisFER conditions of the synthetic face, 4 transformed faces, 16
// seeded random images). disfer must match it: probabilities within 1e-5 absolute, every
// intermediate output (the graph's 21 computing nodes) within 1e-4 absolute (relative where
// |value| > 1, see intermediate_tolerance), the preprocessed 64x64 input within 1e-6 absolute, and
// the top class wherever TF.js's two largest probabilities differ by >= 1e-3.
//   - "committed values": against reference/tfjs_oracle.json (written by reference/tfjs_oracle.mjs,
//     values at 64 fixed elements of every tensor of every input), on the committed inputs
//     reference/oracle_inputs.u8; needs only the model.
//   - "committed inputs": disfer still makes reference/oracle_inputs.u8 byte for byte.
//   - "live" (hidden here; the ctest "inference:tfjs oracle: live ..." with labels oracle;no-asan
//     runs it): writes the inputs with disfer_oracle_inputs, runs tfjs_oracle.mjs with node and the
//     TF.js that configure installed into <build>/tfjs-oracle (cmake/disferTfjsOracle.cmake),
//     compares full tensors, and fails when the committed values drift from what TF.js says now.
// Regenerate the committed files: cmake --build <build> --target disfer_tfjs_oracle_regenerate
#include <catch2/catch.hpp>

#include <disfer/detail/sha256.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "inference_test_support.hpp"
#include "oracle_inputs.hpp"
#include "reference_check.hpp"
#include "simd_paths.hpp"

namespace {

namespace fs = std::filesystem;
using disfer_test::read_array;
using disfer_test::read_bytes;
using disfer_test::read_json;
using image_u8 = xt::xtensor<std::uint8_t, 2>;

// Probabilities and the preprocessed input (values in [0, 1] and [-1, 1]): absolute. Intermediate
// outputs: absolute up to |TF.js value| 1, relative above (|disfer - TF.js| <= 1e-4 max(1, |TF.js|)):
// the logits reach |64|, where float32 sums of 2304 products differ by ~1e-4 between any two
// summation orders (TF.js's own conv2d_5 output is 1.1e-4 from a float64 sum of its inputs).
constexpr double probability_tolerance = 1e-5;
constexpr double intermediate_tolerance = 1e-4;
constexpr double preprocessing_tolerance = 1e-6;
constexpr double top_gap = 1e-3;
// A committed value "drifts" when TF.js now differs from it by more than this (relative to
// max(1, |value|)); the committed values are float32 written with 9 significant digits, so
// an unchanged TF.js reproduces them exactly.
constexpr double drift_tolerance = 1e-6;
const char* const regenerate_command = "cmake --build <build> --target disfer_tfjs_oracle_regenerate";

std::string reference(const std::string& name) {
  return std::string(DISFER_ORACLE_REFERENCE_DIR) + "/" + name;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::size_t element_count(const std::vector<std::int64_t>& shape) {
  std::size_t n = 1;
  for (auto d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

// One tensor TF.js reports per input: "preprocessed" (the 64x64x1 model input) or a graph node.
struct oracle_tensor {
  std::string name;
  std::vector<std::int64_t> shape;    // of one input (H, W, C or C)
  std::vector<std::size_t> elements;  // the elements given (all when the run is full)
};

// What TF.js said about one input: its 7 probabilities and, per tensor, the values at elements.
struct oracle_case {
  std::string name;
  std::vector<double> probabilities;
  std::vector<std::vector<float>> values;
};

struct oracle_run {
  std::vector<oracle_tensor> tensors;
  std::vector<oracle_case> cases;
};

// The JSON written by tfjs_oracle.mjs (committed, or written by the live test).
oracle_run run_from_json(const nlohmann::json& doc) {
  oracle_run run;
  for (const auto& n : doc.at("nodes"))
    run.tensors.push_back({n.at("name").get<std::string>(), n.at("shape").get<std::vector<std::int64_t>>(),
                           n.at("indices").get<std::vector<std::size_t>>()});
  for (const auto& c : doc.at("cases")) {
    oracle_case oc{c.at("name").get<std::string>(), c.at("probabilities").get<std::vector<double>>(), {}};
    for (const auto& s : c.at("samples")) oc.values.push_back(s.get<std::vector<float>>());
    run.cases.push_back(std::move(oc));
  }
  return run;
}

// The full tensors tfjs_oracle.mjs --full DIR writes (little-endian float32, N x size).
oracle_run run_from_full(const fs::path& dir, const std::vector<std::string>& names) {
  const auto manifest = read_json((dir / "manifest.json").string());
  const auto n = manifest.at("count").get<std::size_t>();
  REQUIRE(n == names.size());
  oracle_run run;
  run.cases.resize(n);
  for (std::size_t i = 0; i < n; ++i) run.cases[i].name = names[i];
  for (const auto& t : manifest.at("tensors")) {
    oracle_tensor ot{t.at("name").get<std::string>(), t.at("shape").get<std::vector<std::int64_t>>(), {}};
    const std::size_t size = element_count(ot.shape);
    ot.elements.resize(size);
    for (std::size_t e = 0; e < size; ++e) ot.elements[e] = e;
    const auto values = read_array<float>((dir / t.at("file").get<std::string>()).string());
    INFO(ot.name);
    REQUIRE(values.size() == n * size);
    for (std::size_t i = 0; i < n; ++i) {
      run.cases[i].values.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i * size),
                                       values.begin() + static_cast<std::ptrdiff_t>((i + 1) * size));
      if (ot.name == "Identity")
        run.cases[i].probabilities.assign(run.cases[i].values.back().begin(), run.cases[i].values.back().end());
    }
    run.tensors.push_back(std::move(ot));
  }
  return run;
}

// The images of an N x 48 x 48 uint8 file.
std::vector<image_u8> read_inputs(const std::string& path) {
  const auto bytes = read_array<std::uint8_t>(path);
  constexpr std::size_t side = disfer_test::oracle_side, area = side * side;
  REQUIRE(!bytes.empty());
  REQUIRE(bytes.size() % area == 0);
  std::vector<image_u8> images;
  for (std::size_t i = 0; i < bytes.size() / area; ++i) {
    image_u8 img = image_u8::from_shape({side, side});
    std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(i * area),
              bytes.begin() + static_cast<std::ptrdiff_t>((i + 1) * area), img.begin());
    images.push_back(std::move(img));
  }
  return images;
}

// The largest difference seen in one tensor, and where: absolute, and scaled by max(1, |TF.js|).
struct largest {
  struct at {
    double diff = -1;
    std::size_t input = 0, element = 0;
    double mine = 0, theirs = 0;
  };
  at absolute, scaled;
  void see(double a, double b, std::size_t i, std::size_t e) {
    double d = std::abs(a - b);
    if (std::isnan(d)) d = INFINITY;
    if (d > absolute.diff) absolute = {d, i, e, a, b};
    const double ds = d / std::max(1.0, std::abs(b));
    if (ds > scaled.diff) scaled = {ds, i, e, a, b};
  }
};

std::string describe(const std::string& what, const largest& w, const std::vector<oracle_case>& cases) {
  std::ostringstream s;
  auto one = [&](const largest::at& a) {
    s << std::setprecision(3) << a.diff << " (input " << a.input << " '" << cases.at(a.input).name << "', element "
      << a.element << ": " << std::setprecision(9) << a.mine << " vs " << a.theirs << ")";
  };
  s << "  " << what << "\n    absolute ";
  one(w.absolute);
  s << "\n    scaled   ";
  one(w.scaled);
  s << "\n";
  return s.str();
}

// Runs disfer on `images` and compares with what TF.js said about them (see the file comment);
// `rows` restricts the comparison to some inputs (all when empty). Prints the largest differences.
void compare_with_tfjs(const oracle_run& tfjs, const std::vector<image_u8>& images, const std::string& what,
                       std::vector<std::size_t> rows = {}) {
  const auto* model = disfer_test::fer_model();
  if (!model) return;
  REQUIRE(tfjs.cases.size() == images.size());
  REQUIRE(tfjs.tensors.size() == 22);
  REQUIRE(tfjs.tensors[0].name == "preprocessed");
  REQUIRE(tfjs.tensors.back().name == "Identity");
  if (rows.empty())
    for (std::size_t i = 0; i < images.size(); ++i) rows.push_back(i);
  std::vector<std::string> fetches;
  for (std::size_t k = 1; k < tfjs.tensors.size(); ++k) fetches.push_back(tfjs.tensors[k].name);

  std::vector<largest> worst(tfjs.tensors.size());
  std::vector<disfer::gray_image> grays;
  for (const auto i : rows) {
    const auto& c = tfjs.cases[i];
    REQUIRE(c.values.size() == tfjs.tensors.size());
    const disfer::gray_image gray = xt::cast<float>(images[i]);
    grays.push_back(gray);
    const auto x = disfer::fer2013_xception::preprocess(gray);
    REQUIRE(x.size() == 64 * 64);
    const auto out = model->graph().run(
        {{"input_1", disfer::tensor::from({1, 64, 64, 1}, std::vector<float>(x.begin(), x.end()))}}, fetches);
    for (std::size_t k = 0; k < tfjs.tensors.size(); ++k) {
      const auto& t = tfjs.tensors[k];
      const std::vector<float>& mine = k == 0 ? std::vector<float>(x.begin(), x.end()) : out.at(t.name).values;
      INFO(what << ": input " << i << " '" << c.name << "', " << t.name);
      REQUIRE(mine.size() == element_count(t.shape));
      REQUIRE(c.values[k].size() == t.elements.size());
      for (std::size_t e = 0; e < t.elements.size(); ++e)
        worst[k].see(mine.at(t.elements[e]), c.values[k][e], i, t.elements[e]);
    }
  }

  // The probabilities through the classifier interface (double, preprocessing included), and the
  // top class wherever TF.js's top two are at least top_gap apart.
  const auto p = disfer::predict(*model, grays);
  largest prob;
  std::size_t top_checked = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& c = tfjs.cases[rows[r]];
    REQUIRE(c.probabilities.size() == 7);
    for (std::size_t j = 0; j < 7; ++j) prob.see(p.probabilities(long(r), long(j)), c.probabilities[j], rows[r], j);
    std::vector<double> sorted = c.probabilities;
    std::sort(sorted.rbegin(), sorted.rend());
    if (sorted[0] - sorted[1] >= top_gap) {
      const auto top = std::max_element(c.probabilities.begin(), c.probabilities.end()) - c.probabilities.begin();
      INFO(what << ": top class of input " << rows[r] << " '" << c.name << "' (TF.js top two " << sorted[0] << ", "
                << sorted[1] << ")");
      CHECK(p.labels[r] == top);
      ++top_checked;
    }
  }

  std::ostringstream report;
  const bool full = tfjs.tensors[1].elements.size() == element_count(tfjs.tensors[1].shape);
  report << what << ": " << rows.size() << " inputs, " << (full ? "every element" : "sampled elements")
         << " of each tensor, top class checked on " << top_checked << "; largest |disfer - TF.js| (scaled: divided by "
         << "max(1, |TF.js|)):\n"
         << describe("probabilities (predict, double)", prob, tfjs.cases);
  for (std::size_t k = 0; k < worst.size(); ++k) report << describe(tfjs.tensors[k].name, worst[k], tfjs.cases);
  std::cout << report.str() << std::flush;
  INFO(report.str());
  CHECK(top_checked >= rows.size() / 2);
  CHECK(prob.absolute.diff <= probability_tolerance);
  CHECK(worst[0].absolute.diff <= preprocessing_tolerance);
  for (std::size_t k = 1; k < worst.size(); ++k) {
    INFO(tfjs.tensors[k].name);
    CHECK(worst[k].scaled.diff <= intermediate_tolerance);
  }
}

// The SHA-256 of the model files disfer loads must be those TF.js ran (source.model).
void check_model_files(const nlohmann::json& source) {
  const fs::path json_path = disfer::fer2013_xception::find_model();
  const auto json_bytes = read_bytes(json_path.string());
  const auto bin_bytes = read_bytes((json_path.parent_path() / "emotion.bin").string());
  INFO("the model disfer loads (" << json_path.string() << ") is not the one TF.js ran");
  CHECK(disfer::detail::sha256_hex(json_bytes.data(), json_bytes.size()) ==
        source.at("model").at("emotion.json_sha256").get<std::string>());
  CHECK(disfer::detail::sha256_hex(bin_bytes.data(), bin_bytes.size()) ==
        source.at("model").at("emotion.bin_sha256").get<std::string>());
}

int run_command(const std::string& command, const fs::path& log) {
  const std::string line = command + " > \"" + log.string() + "\" 2>&1";
  std::cout << "running: " << command << std::endl;
  return std::system(line.c_str());
}

std::string file_text(const fs::path& p) {
  const auto b = read_bytes(p.string());
  return std::string(b.begin(), b.end());
}

}  // namespace

TEST_CASE("tfjs oracle: the committed inputs are the ones disfer makes", "[inference][oracle]") {
  const auto inputs = disfer_test::oracle_inputs();
  const auto committed = read_array<std::uint8_t>(reference("oracle_inputs.u8"));
  const auto names = read_lines(reference("oracle_inputs.txt"));
  const auto doc = read_json(reference("tfjs_oracle.json"));
  REQUIRE(names.size() == inputs.size());
  REQUIRE(committed.size() == inputs.size() * 48 * 48);
  CHECK(disfer::detail::sha256_hex(committed.data(), committed.size()) ==
        doc.at("inputs").at("sha256").get<std::string>());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::size_t changed = 0;
    for (std::size_t p = 0; p < 48 * 48; ++p) changed += inputs[i].image.data()[p] != committed[i * 48 * 48 + p];
    INFO("input " << i << " '" << inputs[i].name << "': " << changed
                  << " of 2304 pixels differ from reference/oracle_inputs.u8 (a changed distortion kernel, random "
                     "stream or synthetic face? if intended, regenerate: "
                  << regenerate_command << ")");
    CHECK(inputs[i].name == names[i]);
    CHECK(doc.at("cases").at(i).at("name").get<std::string>() == names[i]);
    CHECK(changed == 0);
  }
}

TEST_CASE("tfjs oracle: committed TF.js values (probabilities, intermediates, preprocessing)", "[inference][oracle]") {
  const auto doc = read_json(reference("tfjs_oracle.json"));
  REQUIRE(doc.at("source").contains("command"));
  if (!disfer_test::fer_model()) return;
  check_model_files(doc.at("source"));
  const auto images = read_inputs(reference("oracle_inputs.u8"));
  std::vector<std::size_t> rows;
#ifdef DISFER_TEST_SANITIZE
  // Under ASan+UBSan: every third input (10 of 30, conditions, faces and random ones alike).
  for (std::size_t i = 0; i < images.size(); i += 3) rows.push_back(i);
#endif
  const auto tfjs = run_from_json(doc);
  // Every SIMD path the machine has (DISFER_SIMD): each against TF.js, and each against the
  // portable path (Eigen's GEMM): probabilities within 1e-5, the same top class wherever the
  // portable path's top two differ by at least 1e-3.
  std::vector<disfer::gray_image> grays;
  for (const auto& img : images) grays.push_back(xt::cast<float>(img));
  disfer::predictions portable;
  for (const auto path : disfer_test::all_simd_paths) {
    if (!disfer::detail::simd_path_available(path)) continue;
    const disfer_test::forced_simd_path forced(path);
    const std::string label = std::string("committed TF.js values, SIMD path ") + disfer_test::simd_path_label(path);
    compare_with_tfjs(tfjs, images, label.c_str(), rows);
    const auto p = disfer::predict(*disfer_test::fer_model(), grays);
    if (path == disfer::detail::simd_path::portable) {
      portable = p;
      continue;
    }
    double worst = 0;
    for (Eigen::Index i = 0; i < p.probabilities.rows(); ++i) {
      INFO(label << ": input " << i);
      for (Eigen::Index j = 0; j < 7; ++j)
        worst = std::max(worst, std::abs(p.probabilities(i, j) - portable.probabilities(i, j)));
      std::vector<double> sorted(portable.probabilities.row(i).begin(), portable.probabilities.row(i).end());
      std::sort(sorted.rbegin(), sorted.rend());
      if (sorted[0] - sorted[1] >= top_gap) CHECK(p.labels[std::size_t(i)] == portable.labels[std::size_t(i)]);
    }
    std::cout << label << ": largest |probability - portable path's| " << worst << "\n";
    CHECK(worst <= probability_tolerance);
  }
}

// Hidden from catch_discover_tests ([.]): registered in CMakeLists.txt with labels oracle;no-asan.
TEST_CASE("tfjs oracle: live TF.js run", "[.][inference][oracle][live]") {
  const std::string missing = DISFER_TFJS_ORACLE_MISSING;
  if (!missing.empty()) {
    disfer_test::skip("the TF.js oracle is unavailable: " + missing);
    return;
  }
  const fs::path tfjs_dir = DISFER_TFJS_ORACLE_DIR;
  for (const char* pkg : {"tfjs-core", "tfjs-converter", "tfjs-backend-cpu"}) {
    if (!fs::exists(tfjs_dir / "node_modules" / "@tensorflow" / pkg / "package.json")) {
      disfer_test::skip("TF.js is not installed in " + tfjs_dir.string() + " (@tensorflow/" + pkg +
                        " missing); reconfigure with npm and the npm registry available");
      return;
    }
  }
  if (!disfer_test::fer_model()) return;
  const fs::path dir = disfer_test::scratch_dir("tfjs_oracle_live");
  const fs::path inputs = dir / "oracle_inputs.u8";
  REQUIRE(run_command("\"" DISFER_ORACLE_INPUTS_EXE "\" \"" + inputs.string() + "\"", dir / "inputs.log") == 0);
  const fs::path model_dir = fs::path(disfer::fer2013_xception::find_model()).parent_path();
  const int rc = run_command("\"" DISFER_NODE_EXECUTABLE "\" \"" + reference("tfjs_oracle.mjs") + "\" --tfjs \"" +
                                 tfjs_dir.string() + "\" --model \"" + model_dir.string() + "\" --inputs \"" +
                                 inputs.string() + "\" --out \"" + (dir / "tfjs_oracle.json").string() +
                                 "\" --full \"" + (dir / "full").string() + "\"",
                             dir / "node.log");
  {
    INFO("node tfjs_oracle.mjs failed:\n" << file_text(dir / "node.log"));
    REQUIRE(rc == 0);
  }
  std::cout << file_text(dir / "node.log");

  // disfer against TF.js now, on the inputs disfer makes now, every element of every tensor.
  const auto names = read_lines((dir / "oracle_inputs.txt").string());
  const auto images = read_inputs(inputs.string());
  compare_with_tfjs(run_from_full(dir / "full", names), images, "TF.js now, full tensors");

  // The committed values against what TF.js says now.
  const auto now = read_json((dir / "tfjs_oracle.json").string());
  const auto committed = read_json(reference("tfjs_oracle.json"));
  {
    INFO(
        "the inputs disfer makes now differ from reference/oracle_inputs.u8 (see the test 'tfjs oracle: the "
        "committed inputs are the ones disfer makes'); if intended, regenerate: "
        << regenerate_command);
    REQUIRE(now.at("inputs").at("sha256") == committed.at("inputs").at("sha256"));
  }
  const auto a = run_from_json(committed), b = run_from_json(now);
  REQUIRE(a.tensors.size() == b.tensors.size());
  REQUIRE(a.cases.size() == b.cases.size());
  double drift = 0;
  std::string where = "none";
  auto see = [&](double was, double is, const std::string& what) {
    const double d = std::abs(was - is) / std::max(1.0, std::abs(was));
    if (d > drift || std::isnan(d)) {
      drift = std::isnan(d) ? INFINITY : d;
      std::ostringstream s;
      s << std::setprecision(9) << what << ": committed " << was << ", TF.js now " << is;
      where = s.str();
    }
  };
  for (std::size_t k = 0; k < a.tensors.size(); ++k) {
    INFO("tensor " << k);
    CHECK(a.tensors[k].name == b.tensors[k].name);
    CHECK(a.tensors[k].shape == b.tensors[k].shape);
    CHECK(a.tensors[k].elements == b.tensors[k].elements);
  }
  for (std::size_t i = 0; i < a.cases.size(); ++i) {
    CHECK(a.cases[i].name == b.cases[i].name);
    for (std::size_t j = 0; j < 7; ++j)
      see(a.cases[i].probabilities.at(j), b.cases[i].probabilities.at(j),
          "input " + std::to_string(i) + " probability " + std::to_string(j));
    for (std::size_t k = 0; k < a.tensors.size(); ++k)
      for (std::size_t e = 0; e < a.cases[i].values.at(k).size(); ++e)
        see(a.cases[i].values[k][e], b.cases[i].values.at(k).at(e),
            "input " + std::to_string(i) + " " + a.tensors[k].name + " element " +
                std::to_string(a.tensors[k].elements[e]));
  }
  std::cout << "committed values vs TF.js now: largest relative drift " << drift << " (" << where << ")\n";
  INFO("reference/tfjs_oracle.json drifted from what TF.js "
       << now.at("source").at("versions").dump() << " computes now; largest drift " << drift << " at " << where
       << ". Committed with " << committed.at("source").at("versions").dump()
       << ". If the change is understood, regenerate: " << regenerate_command);
  CHECK(drift <= drift_tolerance);
}
