// classify_images: runs the bundled FER-2013 network on PGM or PNG files or on the rows of a
// fer2013.csv and writes a predictions CSV (stimulus,label,angry,...,neutral). With a stimulus
// manifest (columns stimulus, label and condition, or distortion and level) it prints the accuracy
// per condition; on a fer2013.csv without a manifest, the accuracy against its emotion column.
//
//   classify_images [options] IMAGE.pgm|IMAGE.png...   (8-bit gray; PNG needs the png component)
//   classify_images [options] --fer2013 fer2013.csv [--usage PublicTest] [--limit N]
// Options: --out FILE (default predictions.csv), --overwrite, --model DIR, --threads N,
//          --manifest FILE. Exit code 77 when the model is unavailable.
#include <disfer/inference.hpp>
#include <disfer/io/fer2013.hpp>
#include <disfer/io/csv.hpp>
#include <disfer/io/pgm.hpp>
#ifdef DISFER_EXAMPLE_HAVE_PNG
#include <disfer/png.hpp>
#endif

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

int usage(const char* msg) {
  std::cerr << "classify_images: " << msg
            << "\nusage: classify_images [--out FILE] [--overwrite] [--model DIR] [--threads N] [--manifest FILE]"
               " (IMAGE.pgm|IMAGE.png... | --fer2013 FILE [--usage NAME] [--limit N])\n";
  return 2;
}

struct manifest_row {
  int label;
  std::string condition;
};

std::map<std::string, manifest_row> read_manifest(const std::string& path) {
  disfer::csv_options o;
  o.function = "classify_images";
  disfer::csv_reader csv(path, o);
  const auto stim = csv.find_column("stimulus") ? csv.column_index("stimulus") : csv.column_index("id");
  const auto label = csv.column_index("label");
  const auto cond = csv.find_column("condition");
  const auto kind = csv.find_column("distortion"), level = csv.find_column("level");
  if (!cond && !(kind && level))
    disfer::detail::fail("classify_images", path,
                         ": the manifest needs a 'condition' column or 'distortion' and 'level'");
  std::map<std::string, manifest_row> m;
  while (csv.next()) {
    int l;
    try {
      l = static_cast<int>(disfer::index_of(disfer::parse_emotion(csv[label])));
    } catch (const disfer::error&) {
      l = static_cast<int>(disfer::index_of(disfer::emotion_from_index(std::stoll(csv[label]))));
    }
    m[csv[stim]] = {l, cond ? csv[*cond] : csv[*kind] + " " + csv[*level]};
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) try {
  std::string out = "predictions.csv", model_dir, manifest, fer2013, usage_filter;
  bool overwrite = false;
  std::size_t threads = 1, limit = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--out")
      out = value();
    else if (a == "--overwrite")
      overwrite = true;
    else if (a == "--model")
      model_dir = value();
    else if (a == "--threads")
      threads = std::stoul(value());
    else if (a == "--manifest")
      manifest = value();
    else if (a == "--fer2013")
      fer2013 = value();
    else if (a == "--usage")
      usage_filter = value();
    else if (a == "--limit")
      limit = std::stoul(value());
    else if (a == "--help" || a == "-h")
      return usage("classify PGM images or fer2013.csv rows"), 0;
    else if (!a.empty() && a[0] == '-')
      return usage(("unknown option " + a).c_str());
    else
      files.push_back(a);
  }
  if (fer2013.empty() == files.empty()) return usage("give either image files or --fer2013 FILE");

  std::unique_ptr<disfer::fer2013_xception> model;
  try {
    model = std::make_unique<disfer::fer2013_xception>(disfer::fer2013_xception::load(model_dir));
  } catch (const disfer::error& e) {
    std::cerr << e.what() << "\n";
    return 77;
  }

  std::vector<disfer::gray_image> images;
  std::vector<std::string> ids;
  std::vector<int> truth;  // fer2013.csv's labels
  if (!fer2013.empty()) {
    disfer::fer2013_options o;
    o.function = "classify_images";
    o.default_usage = disfer::fer2013_usage::training;  // files without a Usage column
    std::optional<disfer::fer2013_usage> only;
    if (!usage_filter.empty()) {
      only = disfer::parse_fer2013_usage(usage_filter);
      if (!only) return usage("--usage takes Training, PublicTest or PrivateTest"), 2;
    }
    for (disfer::fer2013_reader fer(fer2013, o); fer.next();) {
      const auto& r = fer.record();
      if (only && r.usage != *only) continue;
      disfer::gray_image img({48, 48});
      for (std::size_t p = 0; p < r.pixels.size(); ++p) img.data()[p] = static_cast<float>(r.pixels[p]);
      char id[32];
      std::snprintf(id, sizeof id, "fer%07llu", static_cast<unsigned long long>(r.row));
      ids.emplace_back(id);
      truth.push_back(static_cast<int>(disfer::index_of(r.label)));
      images.push_back(std::move(img));
      if (limit && images.size() == limit) break;
    }
  } else {
    for (const auto& f : files) {
      const std::string ext = std::filesystem::path(f).extension().string();
      if (ext == ".png" || ext == ".PNG") {
#ifdef DISFER_EXAMPLE_HAVE_PNG
        images.emplace_back(xt::cast<float>(disfer::read_png<std::uint8_t>(f)));
#else
        throw disfer::error("classify_images: '" + f + "': this build has no PNG support (component png, libpng)");
#endif
      } else {
        images.emplace_back(xt::cast<float>(disfer::read_pgm<std::uint8_t>(f)));
      }
      ids.push_back(std::filesystem::path(f).stem().string());
    }
  }

  disfer::predict_options opt;
  opt.threads = threads;
  auto pred = disfer::predict(*model, images, opt);
  pred.stimuli = ids;
  disfer::write_predictions_csv(out, pred,
                                overwrite ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse);
  std::cout << "classified " << pred.size() << " images -> " << out << "\n";

  if (!manifest.empty()) {
    const auto m = read_manifest(manifest);
    std::map<std::string, std::pair<std::size_t, std::size_t>> per;  // condition -> correct, total
    for (std::size_t i = 0; i < pred.size(); ++i) {
      auto it = m.find(ids[i]);
      if (it == m.end()) continue;
      auto& c = per[it->second.condition];
      c.first += pred.labels[i] == it->second.label;
      ++c.second;
    }
    std::cout << "condition,n,accuracy\n";
    for (const auto& [cond, c] : per)
      std::cout << cond << "," << c.second << "," << static_cast<double>(c.first) / static_cast<double>(c.second)
                << "\n";
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
