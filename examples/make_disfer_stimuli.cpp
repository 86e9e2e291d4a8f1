// make_disfer_stimuli: the first half of the DisFER study (Lévêque et al., Electronics 2022,
// section 3) in one call: from FER-2013's fer2013.csv, sample 12 faces per emotion, make the
// 840 stimuli (original + Gaussian blur, Gaussian noise, salt-and-pepper at three levels), and
// split them into 21 balanced playlists of 40 with per-participant presentation orders.
#include <disfer/design.hpp>
#include <disfer/simd.hpp>

#include "support/cli.hpp"
#include "support/stale.hpp"
#ifdef DISFER_EXAMPLE_HAVE_PNG
#include <disfer/png.hpp>
#endif

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

const char* usage_text =
    R"(Usage: make_disfer_stimuli --input fer2013.csv --output FOLDER [options]

Reads FER-2013's fer2013.csv (columns emotion,pixels[,Usage]; 48x48 faces), samples
--per-emotion faces of each emotion, and makes every source under the 10 DisFER conditions.

Writes into FOLDER (staged in a temporary folder beside it, renamed at the end):
  <id>.png or <id>.pgm     one image per stimulus, e.g. fer28712_gn20.png
  manifest.csv             the stimulus manifest (docs/io.md, "Stimulus manifest"): '#'
                           provenance lines first, then id,index,source_id,fer2013_row,usage,
                           label,emotion,distortion,level,condition,key_seed,key_item,
                           key_purpose,file; classify_images --manifest and
                           reproduce_disfer --stimuli read it
  playlists.csv            playlist, position, id and the stimulus's attributes
  presentation-orders.csv  participant, playlist, position, id (seeded Fisher-Yates)

Options:
  --input PATH         FER-2013's fer2013.csv (columns emotion,pixels,Usage). Required.
  --output FOLDER      where to write the set. Required. An existing non-empty folder is an
                       error unless --replace is given.
  --replace            replace an existing non-empty FOLDER.
  --remove-stale       remove what an interrupted earlier run left beside FOLDER (hidden
                       .FOLDER.partial-N and .FOLDER.old-N folders; they are reported otherwise).
  --seed N             seed of the distortions, playlists and orders (default 2022).
  --sampling-seed N    seed of the choice of source faces (default: the --seed value).
  --per-emotion N      source faces per emotion (default 12, the paper's).
  --usage LIST         comma-separated FER-2013 splits to draw from: Training, PublicTest,
                       PrivateTest (default PublicTest,PrivateTest; Training prints a warning,
                       since FER-2013 models are trained on it).
  --playlists N        number of playlists (default 21).
  --playlist-size N    stimuli per playlist (default 40). N x playlist-size must equal the
                       number of stimuli (7 x per-emotion x 10).
  --participants N     presentation orders written per playlist (default 50).
  --format png|pgm     image format (default png when built with the png component, else pgm).
  --threads N          threads for the distortions (default: all cores; the bytes do not change).
  --help               this text.
Progress goes to stderr; nothing is written to FOLDER's place until everything succeeded.

Example:
  make_disfer_stimuli --input fer2013.csv --output stimuli
  classify_images --manifest stimuli/manifest.csv --threads 2 --out xception.csv
  reproduce_disfer --stimuli stimuli --predictions Xception=xception.csv --out report
)";

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string input, output, format;
#ifdef DISFER_EXAMPLE_HAVE_PNG
    format = "png";
#else
    format = "pgm";
#endif
    std::uint64_t seed = 2022, participants = 50, playlists = 21, playlist_size = 40;
    bool sampling_seed_given = false, replace = false, remove_stale = false;
    disfer::source_options sources;
    disfer::batch_options batch;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw disfer::error("make_disfer_stimuli: " + a + " needs a value (see --help)");
        return argv[++i];
      };
      if (a == "--help" || a == "-h") {
        std::cout << usage_text;
        return 0;
      } else if (a == "--input") {
        input = value();
      } else if (a == "--output") {
        output = value();
      } else if (a == "--replace") {
        replace = true;
      } else if (a == "--remove-stale") {
        remove_stale = true;
      } else if (a == "--seed") {
        seed = disfer_examples::parse_u64("make_disfer_stimuli", a, value());
      } else if (a == "--sampling-seed") {
        sources.seed = disfer_examples::parse_u64("make_disfer_stimuli", a, value());
        sampling_seed_given = true;
      } else if (a == "--per-emotion") {
        sources.per_emotion = disfer_examples::parse_u64("make_disfer_stimuli", a, value());
      } else if (a == "--usage") {
        sources.usages.clear();
        std::stringstream list(value());
        for (std::string item; std::getline(list, item, ',');) {
          const auto u = disfer::parse_fer2013_usage(item);
          if (!u)
            throw disfer::error("make_disfer_stimuli: unknown usage '" + item +
                                "' (expected Training, PublicTest or PrivateTest)");
          sources.usages.push_back(*u);
        }
      } else if (a == "--playlists") {
        playlists = disfer_examples::parse_u64("make_disfer_stimuli", a, value());
      } else if (a == "--playlist-size") {
        playlist_size = disfer_examples::parse_u64("make_disfer_stimuli", a, value());
      } else if (a == "--participants") {
        participants = disfer_examples::parse_u64("make_disfer_stimuli", a, value());
      } else if (a == "--format") {
        format = value();
        if (format != "png" && format != "pgm")
          throw disfer::error("make_disfer_stimuli: --format must be png or pgm, got '" + format + "'");
#ifndef DISFER_EXAMPLE_HAVE_PNG
        if (format == "png")
          throw disfer::error("make_disfer_stimuli: built without the png component; use --format pgm");
#endif
      } else if (a == "--threads") {
        batch.threads = static_cast<unsigned>(disfer_examples::parse_u64("make_disfer_stimuli", a, value()));
      } else {
        throw disfer::error("make_disfer_stimuli: unknown option '" + a + "' (see --help)");
      }
    }
    if (input.empty() || output.empty())
      throw disfer::error("make_disfer_stimuli: --input and --output are required (see --help)");
    if (!sampling_seed_given) sources.seed = seed;
    disfer_examples::report_stale_staging("make_disfer_stimuli", output, remove_stale);
    disfer_examples::check_output("make_disfer_stimuli", output, replace, "--replace");

    std::cerr << "make_disfer_stimuli: reading " << input << " ...\n";
    const auto sample = disfer::sample_sources(input, sources);
    for (const auto& w : sample.warnings) std::cerr << "warning: " << w << "\n";
    std::cerr << "make_disfer_stimuli: " << sample.input_rows << " rows read, " << sample.sources.size()
              << " sources sampled; distorting ...\n";
    const auto conditions = disfer::disfer_conditions();
    const auto stimuli = disfer::make_stimuli(sample, conditions, seed, batch);
    std::cerr << "make_disfer_stimuli: " << stimuli.size() << " stimuli; balancing " << playlists << " playlists of "
              << playlist_size << " ...\n";
    const auto sets = disfer::make_playlists(stimuli, playlists, playlist_size, seed);
    const auto check = disfer::check_playlists(stimuli, sets);
    if (!check.ok) throw disfer::error(check.violations.front().message);

    disfer::stimuli_write_options options;
    options.overwrite = replace ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse;
#ifdef DISFER_EXAMPLE_HAVE_PNG
    if (format == "png")
      options.encoder = {".png",
                         [](std::ostream& o, const xt::xtensor<std::uint8_t, 2>& img) { disfer::write_png(o, img); }};
#endif
    std::ostringstream playlists_csv, orders_csv;
    disfer::write_playlists_csv(playlists_csv, stimuli, sets);
    disfer::write_presentation_orders(orders_csv, stimuli, sets, participants, seed);
    options.extra_files = {{"playlists.csv", playlists_csv.str()}, {"presentation-orders.csv", orders_csv.str()}};
    const std::string simd_path = disfer::simd_path_name();  // an unknown DISFER_SIMD is an error
    std::cerr << "make_disfer_stimuli: writing " << output << " ...\n";
    disfer::write_stimuli(output, stimuli, sample, conditions, seed, options);
    // The path is reported, not written into manifest.csv: the image bytes are the same on every
    // path (tests/image), so the manifest stays a function of the inputs and the seed.
    std::cerr << "make_disfer_stimuli: done: " << stimuli.size() << " images, manifest.csv, playlists.csv, "
              << "presentation-orders.csv in " << output << " (SIMD path " << simd_path
              << "; the images are the same on every path)\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
