// The 10 DisFER conditions (original; Gaussian blur sigma 0.8/1.1/1.4; Gaussian noise 10/20/30;
// salt-and-pepper 0.02/0.04/0.06) of one 8-bit grey image as PGM files plus manifest.csv (the
// stimulus manifest of docs/io.md, which classify_images --manifest reads), and what each
// distortion did. See --help.
#include <disfer/disfer.hpp>
#include <disfer/io/manifest.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>

#include "support/cli.hpp"
#include "support/stale.hpp"
#include "support/synthetic_face.hpp"

namespace {

const char* usage =
    R"(Usage: write_conditions [options]

Writes the 10 DisFER conditions of one 8-bit grey image: original; Gaussian blur sigma 0.8, 1.1,
1.4; Gaussian noise sigma 10, 20, 30; salt-and-pepper 0.02, 0.04, 0.06 (docs/image.md).

Reads:
  --input PATH     an 8-bit PGM (P2 or P5); default: a built-in synthetic 48x48 face.

Writes into --out DIR (staged in a hidden folder beside DIR, renamed into place at the end, so a
failed run leaves nothing):
  NN_<condition>.pgm   one binary PGM per condition, e.g. 04_GN_10.pgm
  manifest.csv         the stimulus manifest (docs/io.md, "Stimulus manifest"), one row per image:
                       id,file,label,condition,distortion,level,key_seed,key_item,key_purpose,
                       random_stream_version,disfer_version,source,pixels_sha256,file_sha256
                       (pixels_sha256 hashes the shape and pixels, image_sha256(); file_sha256 is
                       sha256sum of the PGM file; label is empty without --label)
and prints the mean, the share of changed pixels and the PSNR of each condition.

Options:
  --input PATH     the image to distort (see above).
  --out DIR        output folder (default: disfer-output); must not exist or be empty.
  --replace        replace a non-empty output folder.
  --remove-stale   remove what an interrupted earlier run left beside DIR (hidden .DIR.partial-N
                   and .DIR.old-N folders; they are reported otherwise).
  --seed N         seed of the random streams (default: 2022).
  --id N           item id of the image in the streams (default: 0); the stimulus ids are
                   item<N>_<code> (item0_orig, item0_gb0.8, ...).
  --label NAME     the image's true emotion (FER-2013 name or index), written to the label
                   column so that classify_images --manifest reports an accuracy.
  --help           this text.

Example:
  write_conditions --input face.pgm --label happy --out conditions
  classify_images --manifest conditions/manifest.csv --out conditions-predictions.csv
)";

struct summary {
  double mean = 0, changed = 0, psnr = 0;
};

summary compare(const xt::xtensor<std::uint8_t, 2>& a, const xt::xtensor<std::uint8_t, 2>& b) {
  summary s;
  double se = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = double(b.data()[i]) - double(a.data()[i]);
    s.mean += b.data()[i];
    s.changed += d != 0;
    se += d * d;
  }
  const double n = static_cast<double>(a.size());
  s.mean /= n;
  s.changed /= n;
  s.psnr = se == 0 ? INFINITY : 10 * std::log10(255.0 * 255.0 / (se / n));
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string input, out = "disfer-output";
  std::optional<disfer::emotion> true_label;
  std::uint64_t seed = 2022, id = 0;
  bool replace = false, remove_stale = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw disfer::error("write_conditions: " + a + " needs a value");
        return argv[++i];
      };
      if (a == "--help" || a == "-h") {
        std::cout << usage;
        return 0;
      } else if (a == "--input") {
        input = value();
      } else if (a == "--out") {
        out = value();
      } else if (a == "--seed") {
        seed = disfer_examples::parse_u64("write_conditions", a, value());
      } else if (a == "--id") {
        id = disfer_examples::parse_u64("write_conditions", a, value());
      } else if (a == "--label") {
        const std::string v = value();
        try {
          true_label = v.find_first_not_of("0123456789") == std::string::npos && !v.empty()
                           ? disfer::emotion_from_index(std::stoll(v))
                           : disfer::parse_emotion(v);
        } catch (const std::exception&) {
          throw disfer::error("write_conditions: --label takes an emotion name or FER-2013 index 0-6, got '" + v + "'");
        }
      } else if (a == "--replace") {
        replace = true;
      } else if (a == "--remove-stale") {
        remove_stale = true;
      } else {
        throw disfer::error("write_conditions: unknown option '" + a + "' (see --help)");
      }
    }

    disfer_examples::report_stale_staging("write_conditions", out, remove_stale);
    disfer_examples::check_output("write_conditions", out, replace, "--replace");
    const auto image = input.empty() ? disfer_examples::synthetic_face() : disfer::read_pgm<std::uint8_t>(input);
    const auto policy = replace ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse;
    disfer::staged_directory folder(out, policy, "write_conditions");

    std::ofstream manifest(folder / "manifest.csv", std::ios::binary);
    namespace col = disfer::manifest_column;
    disfer::write_csv_row(manifest, {col::id, col::file, col::label, col::condition, col::distortion, col::level,
                                     col::key_seed, col::key_item, col::key_purpose, "random_stream_version",
                                     "disfer_version", col::source, col::pixels_sha256, col::file_sha256});
    std::cout << "disfer " << disfer::version_string << ": the 10 DisFER conditions of "
              << (input.empty() ? std::string("the built-in synthetic face") : input) << " (" << image.shape()[1] << "x"
              << image.shape()[0] << "), seed " << seed << ", item " << id << ", SIMD path " << disfer::simd_path_name()
              << "\n\n"
              << std::left << std::setw(14) << "condition" << std::right << std::setw(10) << "mean" << std::setw(12)
              << "changed %" << std::setw(12) << "PSNR dB"
              << "  file\n";
    const auto conditions = disfer::disfer_conditions();
    for (std::size_t c = 0; c < conditions.size(); ++c) {
      const auto& d = conditions[c];
      const disfer::stream_key key{seed, id, disfer::default_purpose(d.kind)};
      const auto distorted = disfer::apply(d, image, key);
      const std::string label_text = disfer::label(d);
      std::string file = (c < 10 ? "0" : "") + std::to_string(c) + "_" + label_text + ".pgm";
      for (auto& ch : file)
        if (ch == ' ') ch = '_';
      const std::string path = (folder / file).string();
      disfer::write_pgm(path, distorted);
      disfer::write_csv_row(
          manifest, {"item" + std::to_string(id) + "_" + disfer::condition_code(d), file,
                     true_label ? std::string(disfer::name(*true_label)) : std::string(), label_text,
                     disfer::name(d.kind), disfer::detail::concat(d.level), std::to_string(seed), std::to_string(id),
                     std::to_string(key.purpose), std::to_string(disfer::random_stream_version), disfer::version_string,
                     input.empty() ? "synthetic_face" : input, disfer::image_sha256(distorted),
                     disfer::detail::file_sha256(path, "write_conditions")});
      const auto s = compare(image, distorted);
      std::cout << std::left << std::setw(14) << label_text << std::right << std::fixed << std::setprecision(2)
                << std::setw(10) << s.mean << std::setw(12) << 100 * s.changed << std::setw(12) << s.psnr << "  "
                << file << "\n";
    }
    manifest.close();
    if (!manifest) throw disfer::error("write_conditions: write error on manifest.csv");
    folder.commit();
    std::cout << "\nwrote " << conditions.size() << " PGM files and manifest.csv to " << out << "\n";
    return 0;
  } catch (const disfer::error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
