// classify_images: runs one of the two bundled FER networks on PGM or PNG files, on the images a stimulus
// manifest lists, or on the rows of a fer2013.csv, and writes a predictions CSV
// (stimulus,label,angry,...,neutral). With a manifest (the schema of docs/io.md, "Stimulus
// manifest": what write_conditions and make_disfer_stimuli write) it prints the accuracy per
// condition; on a fer2013.csv, the accuracy against its emotion column. See --help.
#include <disfer/inference.hpp>
#include <disfer/io/csv.hpp>
#include <disfer/io/fer2013.hpp>
#include <disfer/io/manifest.hpp>
#include <disfer/io/pgm.hpp>
#include <disfer/simd.hpp>
#ifdef DISFER_EXAMPLE_HAVE_PNG
#include <disfer/png.hpp>
#endif

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "support/cli.hpp"

namespace {

const char* usage_text =
    R"(Usage: classify_images [options] IMAGE.pgm|IMAGE.png...
       classify_images [options] --manifest MANIFEST.csv [IMAGE...]
       classify_images [options] --fer2013 fer2013.csv [--usage NAME] [--limit N]

Runs a bundled FER network on 8-bit grey images: the FER-2013 Xception (face_classification, MIT;
--network xception, the default) or face-api's FaceExpressionNet (face-api.js, MIT; --network
faceapi; its training data are not documented). Both give FER-2013's seven classes.

Reads one of:
  IMAGE...             PGM (P2/P5) or PNG files (PNG needs the png component); the stimulus id
                       of each is its file name without extension.
  --manifest FILE      a stimulus manifest (docs/io.md, "Stimulus manifest"): the manifest.csv of
                       write_conditions or make_disfer_stimuli ('#' lines first are skipped). It
                       needs the columns id (or stimulus) and condition (or distortion and level);
                       label is optional (rows without one count in n, not in the accuracy).
                       Without IMAGE arguments, the images are those its `file` column names,
                       relative to the manifest's folder; with them, each image is matched to the
                       row whose `file` is that image, else whose id is its file name.
  --fer2013 FILE       the rows of a fer2013.csv (ids fer<row>, 7 digits), accuracy against its
                       emotion column (with --manifest: per condition, rows matched by id).

Writes:
  --out FILE           the predictions CSV, stimulus,label,angry,...,neutral (default
                       predictions.csv); written under a temporary name and renamed when complete,
                       so a run that fails leaves no file. The manifest is read before the network
                       runs. An existing FILE is an error unless --overwrite.
  stdout               the line: classified N images -> FILE (network W, SIMD path P), with W
                       the network's name and P the kernels' path (see DISFER_SIMD below); then with --manifest the table
                       condition,n,accuracy,predicted (accuracy over the labelled rows, '-' when
                       none; predicted = the most frequent predicted label).

Options:
  --overwrite          replace an existing --out file.
  --network NAME       xception (default) or faceapi.
  --model DIR          the network's weights: a folder with emotion.json and emotion.bin (or a
                       model .json) for xception, with face_expression_model-weights_manifest.json
                       and its .bin (or a weights manifest) for faceapi; default
                       $DISFER_MODEL_DIR when set (an error if it does not exist), else the
                       installed or build-tree copy.
  --threads N          threads for the network (default 1; the results do not change).
  --usage NAME         with --fer2013: only rows of Training, PublicTest or PrivateTest.
  --limit N            with --fer2013: the first N rows (after --usage).
  --help               this text.

Environment: DISFER_SIMD=portable|sse2|avx2|avx512 forces the network's SIMD path (default: the
fastest this CPU has); probabilities agree across paths within 1e-5 (docs/performance.md).

Exit codes: 0 done; 1 an error (bad input, unreadable image, existing --out, a --model or
DISFER_MODEL_DIR without the model, an unknown DISFER_SIMD); 2 bad usage; 77 the model is not
installed (no --model, no DISFER_MODEL_DIR).

Example:
  write_conditions --input face.pgm --out conditions
  classify_images --manifest conditions/manifest.csv --out conditions-predictions.csv
  make_disfer_stimuli --input fer2013.csv --output stimuli
  classify_images --manifest stimuli/manifest.csv --threads 2 --out xception.csv
  reproduce_disfer --stimuli stimuli --predictions Xception=xception.csv --out report
)";

int usage(const std::string& msg) {
  std::cerr << "classify_images: " << msg << " (see --help)\n";
  return 2;
}

struct manifest_row {
  std::string id, file, condition;
  int label = -1;  // -1: unlabelled
  std::uint64_t line = 0;
};

struct manifest {
  std::string path;
  std::filesystem::path folder;
  std::vector<manifest_row> rows;
  bool has_file_column = false;
};

manifest read_manifest(const std::string& path) {
  constexpr const char* fn = "classify_images";
  disfer::manifest_reader reader(path, fn);
  auto& csv = reader.csv();
  const auto& cols = reader.columns();
  cols.require_id_and_condition(csv);
  manifest m;
  m.path = path;
  m.folder = std::filesystem::path(path).parent_path();
  m.has_file_column = cols.file.has_value();
  std::map<std::string, std::uint64_t> seen;
  while (csv.next()) {
    manifest_row r;
    r.id = std::string(disfer::detail::trim_blanks(csv[*cols.id]));
    if (r.id.empty()) csv.fail_field(*cols.id, "empty stimulus id");
    if (const auto [it, fresh] = seen.emplace(r.id, csv.line()); !fresh)
      csv.fail_field(*cols.id, "stimulus '", r.id, "' is listed twice (first on line ", it->second, ")");
    r.condition = cols.condition_of(csv);
    if (const auto l = cols.label_of(csv)) r.label = static_cast<int>(disfer::index_of(*l));
    if (cols.file) r.file = std::string(disfer::detail::trim_blanks(csv[*cols.file]));
    r.line = csv.line();
    m.rows.push_back(std::move(r));
  }
  if (m.rows.empty()) disfer::detail::fail_at(fn, path, csv.line(), 0, "the manifest lists no stimulus");
  return m;
}

disfer::gray_image read_image(const std::string& f) {
  const std::string ext = std::filesystem::path(f).extension().string();
  if (ext == ".png" || ext == ".PNG") {
#ifdef DISFER_EXAMPLE_HAVE_PNG
    return xt::cast<float>(disfer::read_png<std::uint8_t>(f));
#else
    throw disfer::error("classify_images: '" + f + "': this build has no PNG support (component png, libpng)");
#endif
  }
  return xt::cast<float>(disfer::read_pgm<std::uint8_t>(f));
}

std::string same_file_key(const std::filesystem::path& p) {
  std::error_code ec;
  const auto c = std::filesystem::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).string();
}

}  // namespace

int main(int argc, char** argv) try {
  std::string out = "predictions.csv", model_dir, manifest_path, fer2013, usage_filter, network = "xception";
  bool overwrite = false;
  std::size_t threads = 1, limit = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw disfer::error("classify_images: " + a + " needs a value (see --help)");
      return argv[++i];
    };
    if (a == "--out")
      out = value();
    else if (a == "--overwrite")
      overwrite = true;
    else if (a == "--model")
      model_dir = value();
    else if (a == "--network")
      network = value();
    else if (a == "--threads")
      threads = disfer_examples::parse_u64("classify_images", a, value());
    else if (a == "--manifest")
      manifest_path = value();
    else if (a == "--fer2013")
      fer2013 = value();
    else if (a == "--usage")
      usage_filter = value();
    else if (a == "--limit")
      limit = disfer_examples::parse_u64("classify_images", a, value());
    else if (a == "--help" || a == "-h")
      return std::cout << usage_text, 0;
    else if (!a.empty() && a[0] == '-')
      return usage("unknown option " + a);
    else
      files.push_back(a);
  }
  if (network != "xception" && network != "faceapi")
    return usage("--network takes xception or faceapi, not '" + network + "'");
  if (!fer2013.empty() && !files.empty()) return usage("give --fer2013 FILE or image files, not both");
  if (fer2013.empty() && files.empty() && manifest_path.empty())
    return usage("give image files, --manifest FILE or --fer2013 FILE");

  // Everything that can fail on the inputs is checked before the network runs and before --out
  // is written (staged: complete or absent); so is DISFER_SIMD (an unknown path is an error).
  const std::string simd_path = disfer::simd_path_name();
  disfer_examples::check_output("classify_images", out, overwrite, "--overwrite");
  std::optional<manifest> m;
  if (!manifest_path.empty()) m = read_manifest(manifest_path);

  std::vector<disfer::gray_image> images;
  std::vector<std::string> ids;
  std::vector<int> truth;                 // fer2013.csv's labels
  std::vector<const manifest_row*> rows;  // the manifest row of each image, or null
  std::map<std::string, const manifest_row*> by_id;
  if (m)
    for (const auto& r : m->rows) by_id.emplace(r.id, &r);
  if (!fer2013.empty()) {
    disfer::fer2013_options o;
    o.function = "classify_images";
    o.default_usage = disfer::fer2013_usage::training;  // files without a Usage column
    std::optional<disfer::fer2013_usage> only;
    if (!usage_filter.empty()) {
      only = disfer::parse_fer2013_usage(usage_filter);
      if (!only) return usage("--usage takes Training, PublicTest or PrivateTest");
    }
    for (disfer::fer2013_reader fer(fer2013, o); fer.next();) {
      const auto& r = fer.record();
      if (only && r.usage != *only) continue;
      disfer::gray_image img({48, 48});
      for (std::size_t p = 0; p < r.pixels.size(); ++p) img.data()[p] = static_cast<float>(r.pixels[p]);
      char id[32];
      std::snprintf(id, sizeof id, "fer%07llu", static_cast<unsigned long long>(r.row));
      ids.emplace_back(id);
      const auto it = by_id.find(id);
      rows.push_back(it == by_id.end() ? nullptr : it->second);
      truth.push_back(static_cast<int>(disfer::index_of(r.label)));
      images.push_back(std::move(img));
      if (limit && images.size() == limit) break;
    }
  } else if (files.empty()) {
    // The manifest's own images.
    if (!m->has_file_column)
      disfer::detail::fail_at("classify_images", m->path, 1, 1,
                              "missing column 'file' (the images to classify; or give the image files)");
    for (const auto& r : m->rows) {
      if (r.file.empty())
        disfer::detail::fail_at("classify_images", m->path, r.line, 0, "stimulus '", r.id, "' has no image file");
      images.push_back(read_image((m->folder / r.file).string()));
      ids.push_back(r.id);
      rows.push_back(&r);
    }
  } else {
    std::map<std::string, const manifest_row*> by_file;
    if (m)
      for (const auto& r : m->rows)
        if (!r.file.empty()) by_file.emplace(same_file_key(m->folder / r.file), &r);
    for (const auto& f : files) {
      images.push_back(read_image(f));
      const manifest_row* r = nullptr;
      if (auto it = by_file.find(same_file_key(f)); it != by_file.end())
        r = it->second;
      else if (auto jt = by_id.find(std::filesystem::path(f).stem().string()); jt != by_id.end())
        r = jt->second;
      ids.push_back(r ? r->id : std::filesystem::path(f).stem().string());
      rows.push_back(r);
    }
  }

  std::unique_ptr<disfer::classifier> model;
  std::string network_name;
  try {
    if (network == "faceapi") {
      model = std::make_unique<disfer::faceapi_expression>(disfer::faceapi_expression::load(model_dir));
      network_name = std::string("face-api FaceExpressionNet, ") + disfer::faceapi_expression::npm_package;
    } else {
      model = std::make_unique<disfer::fer2013_xception>(disfer::fer2013_xception::load(model_dir));
      network_name = std::string("FER-2013 Xception, ") + disfer::fer2013_xception::npm_package;
    }
  } catch (const disfer::error& e) {
    std::cerr << e.what() << "\n";
    // Not installed: a skip (77). A model asked for (--model, DISFER_MODEL_DIR) and not there: an error.
    const char* env = std::getenv("DISFER_MODEL_DIR");
    return model_dir.empty() && !(env && *env) ? 77 : 1;
  }

  disfer::predict_options opt;
  opt.threads = threads;
  auto pred = disfer::predict(*model, images, opt);
  pred.stimuli = ids;
  disfer::write_predictions_csv(out, pred,
                                overwrite ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse);
  std::cout << "classified " << pred.size() << " images -> " << out << " (network " << network_name << ", SIMD path "
            << simd_path << ")\n";

  if (m) {
    struct tally {
      std::size_t n = 0, labelled = 0, correct = 0;
      std::map<int, std::size_t> predicted;
    };
    std::map<std::string, tally> per;
    std::vector<std::string> order;  // conditions in the order of first appearance
    std::size_t unmatched = 0;
    for (std::size_t i = 0; i < pred.size(); ++i) {
      if (!rows[i]) {
        ++unmatched;
        continue;
      }
      if (!per.count(rows[i]->condition)) order.push_back(rows[i]->condition);
      auto& t = per[rows[i]->condition];
      ++t.n;
      ++t.predicted[pred.labels[i]];
      if (rows[i]->label >= 0) {
        ++t.labelled;
        t.correct += pred.labels[i] == rows[i]->label;
      }
    }
    const auto names = model->class_names();
    std::cout << "condition,n,accuracy,predicted\n";
    for (const auto& cond : order) {
      const tally& t = per.at(cond);
      int best = -1;
      std::size_t most = 0;
      for (const auto& [l, c] : t.predicted)
        if (c > most) best = l, most = c;
      std::cout << cond << "," << t.n << ",";
      if (t.labelled)
        std::cout << static_cast<double>(t.correct) / static_cast<double>(t.labelled);
      else
        std::cout << "-";
      std::cout << "," << (best >= 0 ? names[static_cast<std::size_t>(best)] : std::string("-")) << "\n";
    }
    if (unmatched) std::cout << unmatched << " images are not in the manifest " << m->path << "\n";
  } else if (!truth.empty()) {
    std::size_t correct = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) correct += pred.labels[i] == truth[i];
    std::cout << "accuracy against the fer2013.csv labels: "
              << static_cast<double>(correct) / static_cast<double>(truth.size()) << " (" << correct << "/"
              << truth.size() << ")\n";
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << "\n";
  return 1;
}
