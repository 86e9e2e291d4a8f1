// reproduce_disfer: the main job. Turns a DisFER-style study's data into every table and figure of
// Lévêque et al. (Electronics 2022), printed beside the published numbers. Whatever is not given
// can come from the calibrated simulation (docs/simulation.md, --simulate), every table says which
// rows are measured and which are simulated, and a measured result is never tested against a
// simulated one. All inputs are read and checked against each other before
// anything is written; outputs are staged and renamed into place at the end. See docs/reproduce.md.
#include <disfer/design.hpp>
#include <disfer/io/predictions_csv.hpp>
#include <disfer/report/attach_jspsych.hpp>
#include <disfer/report.hpp>
#include <disfer/simd.hpp>
#include <disfer/simulate/defaults.hpp>
#ifdef DISFER_EXAMPLE_HAVE_INFERENCE
#include <disfer/inference.hpp>
#endif
#ifdef DISFER_EXAMPLE_HAVE_PNG
#include <disfer/png.hpp>
#endif

#include "support/cli.hpp"
#include "support/ferplus_run.hpp"
#include "support/stale.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace {

const char* usage_text = R"(Usage: reproduce_disfer [options]

Every DisFER table and figure from the data you have; the calibrated simulation supplies the rest.

Inputs (all optional):
  --fer2013 PATH         FER-2013's fer2013.csv: 12 sources per emotion sampled from the test splits
                         (design module), distorted under the 10 conditions, and classified by the
                         bundled networks (--networks; needs the inference component and the models).
  --stimuli DIR          an existing stimulus set: DIR/manifest.csv (or a manifest file) as written by
                         make_disfer_stimuli or write_simulated_stimuli_csv (the stimulus manifest,
                         docs/io.md: columns id, label, condition or distortion + level, fer2013_row
                         or source_id or source; optional file; '#' lines first are skipped).
  --fine-tune            with --fer2013: also fine-tune each bundled network's classifier head
                         (--networks) per distortion type on frozen features (the paper's protocol,
                         inference/fine_tune.hpp: 108 training and 12 validation images per emotion
                         from the Training split, never the evaluation sources) and add
                         "FER-2013 Xception FT-GB/GN/SP" and "face-api FaceExpressionNet FT-GB/GN/SP".
  --fine-tune-size T,V   training and validation images per emotion (default 108,12).
  --fine-tune-any-split  draw them from every split of the file, not only Training (e.g. a sample
                         without Training rows; the evaluation sources stay excluded).
  --ferplus PATH         with --fer2013: FER+'s fer2013new.csv (Microsoft's 10 crowd votes per image).
                         The sources are drawn from the rows FER+ gives emotion votes, and FER+'s votes
                         are the humans (measured) on their undistorted versions; FER+'s crowd saw no
                         distorted image. Adds the FER+ section (every PublicTest/PrivateTest image FER+
                         and fer2013.csv share; report/ferplus_section.hpp; each network of --networks
                         against the crowd and against each other) to the tables, report.html,
                         OUT/ferplus.csv, OUT/ferplus_items.csv and reproduction.json ("ferplus").
  --classify             with --stimuli: classify the manifest's images (its `file` column, PGM, or
                         PNG with the png component) with the bundled networks (--networks).
  --networks LIST        the bundled networks --fer2013 and --classify measure: xception (the FER-2013
                         Xception), faceapi (face-api's FaceExpressionNet, training data undocumented)
                         or both, comma-separated (default xception,faceapi). Each adds a measured
                         predictor and OUT/predictions_<network>.csv.
  --votes PATH           crowd votes for those stimuli: long form (stimulus,rater,label) or a count
                         table (stimulus,angry,disgust,fear,happy,sad,surprise,neutral).
  --votes-columns S,R,L  the long-form columns naming stimulus, rater and label (default
                         stimulus,rater,label), e.g. image,participant_id,response.
  --votes-jspsych FILES... the data of the experiment make_experiment wrote (jsPsych CSV or JSON,
                         one file per participant or several in one; io/jspsych.hpp): one rater
                         per participant, attention checks left out of the votes and reported;
                         a participant failing --exclude-failed checks or more is excluded.
                         Writes OUT/jspsych-votes.csv, jspsych-checks.csv, jspsych-participants.csv.
                         A pilot whose participants cover only some playlists needs
                         --simulate missing (the other stimuli's votes are then simulated).
  --exclude-failed N     with --votes-jspsych: exclude a participant failing N attention checks or
                         more (default 2, Prolific's rule; 0 = exclude nobody).
  --predictions NAME=PATH  one model's predictions (stimulus,label and/or one probability column
                         per emotion); repeatable. NAME joins the predictor list (e.g. RMN).
  --bad-rows error|skip  a row of an input (manifest, votes, predictions, fer2013.csv) with a bad field
                         (unknown label, empty field, bad number, duplicate id, ragged row): error
                         (default) stops naming file, line and column; skip leaves the row out, lists it
                         on stderr and in OUT/skipped-rows.csv (path,line,column,field,reason), and
                         records per input file the number of skipped rows and their reasons in
                         reproduction.json's provenance. Missing columns and unreadable files stay
                         errors, as do checks across files (a vote for a stimulus not in the manifest).
  --simulate auto|missing|none
                         what the calibrated simulation supplies. auto (default): everything when no
                         data is given (--fer2013, --stimuli, --votes, --predictions), else nothing
                         (as none). missing: what the data lack (the human votes, RMN, DeepFace,
                         fine-tuned models); comparisons of a measured with a simulated predictor are
                         then reported untested, with the reason in the row. none: nothing; only
                         measured results are printed and written (without votes, no human results).
  --seed N               seed of the simulation, source sampling, distortions, tie-breaks and the
                         bootstrap (default 2022).
Outputs:
  --out DIR              output folder (default ./disfer-output); refused when not empty...
  --replace              ...unless this is given.
  --remove-stale         remove what an interrupted earlier run left beside DIR (hidden .DIR.partial-N
                         and .DIR.old-N folders; they are reported on stderr otherwise, never removed).
  --bootstrap N          cluster-bootstrap replicates (default 1000; 0 = none).
  --threads N            threads for classification and the bootstrap (default 2).
  --model DIR            folder of the bundled models (emotion.json and emotion.bin; face-api's
                         face_expression_model-weights_manifest.json and .bin when DIR holds them).
  --quiet                print only the list of files written.
  --help                 this text.
Without --stimuli or --fer2013, the stimuli are the simulation's (ids src000_original, ...), and
--votes/--predictions must use those ids.
Example:
  reproduce_disfer --stimuli disfer-stimuli --votes votes.csv --predictions RMN=rmn.csv --out my-run
)";

struct options {
  std::string fer2013, stimuli, votes, out = "disfer-output", model, ferplus;
  std::vector<std::string> votes_jspsych;
  std::uint64_t exclude_failed = 2;
  std::vector<std::pair<std::string, std::string>> predictions;
  disfer::votes_csv_options votes_columns;
  std::uint64_t seed = 2022, bootstrap = 1000, threads = 2;
  bool replace = false, quiet = false, classify = false, remove_stale = false;
  bool fine_tune = false, fine_tune_any_split = false;
  std::uint64_t fine_tune_train = 108, fine_tune_validation = 12;
  disfer::bad_row_policy bad_rows = disfer::bad_row_policy::error;
  std::string simulate = "auto";
  std::vector<std::string> networks = {"xception", "faceapi"};
};

std::string sha256_of(const std::string& path) {
  return disfer::detail::file_sha256(path, "reproduce_disfer");
}

// The file name of a bundled network's predictions in the output folder.
std::string predictions_file(const std::string& network) {
  return network == "faceapi" ? "predictions_faceapi_expression.csv" : "predictions_fer2013_xception.csv";
}

#ifdef DISFER_EXAMPLE_HAVE_INFERENCE
// face-api's network. --model names the Xception's folder or file; face-api's weights are used from
// it when it is a folder holding them, else from the usual places.
disfer::faceapi_expression load_faceapi(const options& o) {
  std::error_code ec;
  const bool here =
      !o.model.empty() &&
      std::filesystem::is_regular_file(std::filesystem::path(o.model) / disfer::faceapi_expression::manifest_name, ec);
  return disfer::faceapi_expression::load(here ? o.model : "");
}
#endif

#ifdef DISFER_EXAMPLE_HAVE_INFERENCE
// A bundled network of --networks ("xception" or "faceapi") on gray images; `name` gets its name.
disfer::predictions predict_bundled(const options& o, const std::string& network,
                                    const std::vector<disfer::gray_image>& images, std::string& name) {
  std::unique_ptr<disfer::classifier> model;
  if (network == "faceapi") {
    model = std::make_unique<disfer::faceapi_expression>(load_faceapi(o));
    name = "face-api FaceExpressionNet";
  } else {
    model = std::make_unique<disfer::fer2013_xception>(disfer::fer2013_xception::load(o.model));
    name = "FER-2013 Xception";
  }
  disfer::predict_options po;
  po.threads = o.threads;
  return disfer::predict(*model, images, po);
}
#endif

// The FER+ section's networks: every one of --networks with the inference component (keyed by
// its predictions file's name when there are several), none without it.
std::vector<disfer_examples::ferplus_classifier> ferplus_networks(const options& o) {
  std::vector<disfer_examples::ferplus_classifier> out;
#ifdef DISFER_EXAMPLE_HAVE_INFERENCE
  for (const auto& n : o.networks) {
    const std::string f = predictions_file(n);  // predictions_<key>.csv
    const std::string key = o.networks.size() == 1 ? std::string() : f.substr(12, f.size() - 16);
    const std::string name = n == "faceapi" ? "face-api FaceExpressionNet (bundled)" : "FER-2013 Xception (bundled)";
    out.push_back({key, name, [&o, n](const std::vector<disfer::gray_image>& images) {
                     std::string ignored;
                     const auto p = predict_bundled(o, n, images, ignored);
                     return std::vector<std::int64_t>(p.labels.begin(), p.labels.end());
                   }});
  }
#else
  (void)o;
#endif
  return out;
}

// A bundled network (--networks) on the stimuli's images: attached to `in` as a measured predictor,
// and returned as a predictions CSV (stimulus, label, 7 probabilities) for the output folder.
std::string classify_stimuli(disfer::reproduction_input& in, const disfer::stimulus_manifest& manifest,
                             const std::vector<xt::xtensor<std::uint8_t, 2>>& pixels, const options& o,
                             const std::string& network) {
#ifdef DISFER_EXAMPLE_HAVE_INFERENCE
  std::string name;
  std::vector<disfer::gray_image> images;
  for (const auto& img : pixels) images.emplace_back(xt::cast<float>(img));
  const disfer::predictions pred = predict_bundled(o, network, images, name);
  std::vector<std::string> ids;
  for (const auto& s : manifest.stimuli) ids.push_back(s.id);
  disfer::attach_predictions(in, manifest, name, "<bundled model>", ids, pred.labels);
  std::ostringstream csv;
  std::vector<std::string> head = {"stimulus", "label"};
  for (const auto& c : pred.class_names) head.push_back(c);
  disfer::write_csv_row(csv, head);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::vector<std::string> row = {ids[i], pred.class_names[static_cast<std::size_t>(pred.labels[i])]};
    for (Eigen::Index j = 0; j < pred.probabilities.cols(); ++j)
      row.push_back(disfer::detail::shortest(pred.probabilities(static_cast<Eigen::Index>(i), j)));
    disfer::write_csv_row(csv, row);
  }
  return csv.str();
#else
  (void)in, (void)manifest, (void)pixels, (void)o, (void)network;
  throw disfer::error(
      "reproduce_disfer: classifying images needs the bundled networks, but this build has no inference "
      "component (it needs nlohmann-json: Debian nlohmann-json3-dev; reconfigure)");
#endif
}

// The paper's fine-tuned models (4.1), here each bundled network's classifier head (--networks)
// fine-tuned per distortion type on frozen features (docs/fine_tuning.md): attached to `in` as
// measured predictors; returns a CSV of the training runs (for the output folder).
std::string fine_tune_stimuli(disfer::reproduction_input& in, const disfer::stimulus_manifest& manifest,
                              const std::vector<xt::xtensor<std::uint8_t, 2>>& pixels,
                              const disfer::source_sample& sources, const options& o) {
#ifdef DISFER_EXAMPLE_HAVE_INFERENCE
  disfer::disfer_protocol_options po;
  po.seed = o.seed;
  po.train_per_class = o.fine_tune_train;
  po.validation_per_class = o.fine_tune_validation;
  po.training_split_only = !o.fine_tune_any_split;
  po.training.threads = o.threads;
  for (const auto& s : sources.sources) po.excluded_rows.push_back(s.fer2013_row);
  std::vector<disfer::skipped_row> skipped_again;  // the rows sample_sources already reported
  disfer::fer2013_options fo;
  fo.bad_rows = o.bad_rows;
  fo.skipped = &skipped_again;
  const auto records = disfer::read_fer2013(o.fer2013, {}, fo);
  std::vector<disfer::gray_image> images;
  for (const auto& img : pixels) images.emplace_back(xt::cast<float>(img));
  std::vector<std::string> ids;
  for (const auto& s : manifest.stimuli) ids.push_back(s.id);
  std::ostringstream csv;
  disfer::write_csv_row(csv, {"model", "train_images", "validation_images", "epochs_run", "best_epoch",
                              "validation_loss", "validation_accuracy"});
  // The same split and batches for both networks (one seed); one pass of the frozen network over
  // the stimuli serves its three heads.
  auto tune = [&](const auto& model) {
    const auto tuned = disfer::fine_tune_disfer_protocol(model, records, po);
    const auto features = disfer::head_features(model, images, o.threads);
    for (const auto& t : tuned) {
      disfer::attach_predictions(in, manifest, t.name, "<fine-tuned " + t.name + ">", ids,
                                 disfer::head_predict(t.weights, features, o.threads));
      const auto& r = t.training;
      disfer::write_csv_row(csv,
                            {t.name, std::to_string(t.split.train.size()), std::to_string(t.split.validation.size()),
                             std::to_string(r.epochs_run), std::to_string(r.best_epoch),
                             disfer::detail::shortest(r.validation_loss.at(r.best_epoch)),
                             disfer::detail::shortest(r.validation_accuracy.at(r.best_epoch))});
    }
  };
  for (const auto& n : o.networks) {
    if (n == "faceapi")
      tune(load_faceapi(o));
    else
      tune(disfer::fer2013_xception::load(o.model));
  }
  return csv.str();
#else
  (void)in, (void)manifest, (void)pixels, (void)sources, (void)o;
  throw disfer::error("reproduce_disfer: --fine-tune needs the inference component (see --fer2013)");
#endif
}

}  // namespace

int main(int argc, char** argv) try {
  constexpr const char* prog = "reproduce_disfer";
  options o;
  std::vector<std::pair<std::string, std::string>> given;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw disfer::error(std::string(prog) + ": " + a + " needs a value");
      given.emplace_back(a.substr(2), argv[i + 1]);
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << usage_text;
      return 0;
    } else if (a == "--fer2013") {
      o.fer2013 = value();
    } else if (a == "--ferplus") {
      o.ferplus = value();
    } else if (a == "--stimuli") {
      o.stimuli = value();
    } else if (a == "--votes") {
      o.votes = value();
    } else if (a == "--votes-jspsych") {
      if (i + 1 >= argc || std::string(argv[i + 1]).rfind("--", 0) == 0)
        throw disfer::error(std::string(prog) + ": --votes-jspsych needs at least one file");
      while (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
        o.votes_jspsych.emplace_back(argv[++i]);
        given.emplace_back("votes-jspsych", o.votes_jspsych.back());
      }
    } else if (a == "--exclude-failed") {
      o.exclude_failed = disfer_examples::parse_u64(prog, a, value());
    } else if (a == "--predictions") {
      const std::string v = value();
      const auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
        throw disfer::error(std::string(prog) + ": --predictions takes NAME=PATH, got '" + v + "'");
      o.predictions.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (a == "--votes-columns") {
      const std::string v = value();
      std::vector<std::string> parts;
      std::string cur;
      for (char ch : v + ",")
        if (ch == ',') {
          parts.push_back(cur);
          cur.clear();
        } else {
          cur.push_back(ch);
        }
      if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty())
        throw disfer::error(std::string(prog) + ": --votes-columns takes STIMULUS,RATER,LABEL, got '" + v + "'");
      o.votes_columns.stimulus_column = parts[0];
      o.votes_columns.rater_column = parts[1];
      o.votes_columns.label_column = parts[2];
    } else if (a == "--simulate") {
      o.simulate = value();
      if (o.simulate != "auto" && o.simulate != "missing" && o.simulate != "none")
        throw disfer::error(std::string(prog) + ": --simulate takes auto, missing or none, got '" + o.simulate + "'");
    } else if (a == "--bad-rows") {
      o.bad_rows = disfer::parse_bad_row_policy(value(), "reproduce_disfer --bad-rows");
    } else if (a == "--out") {
      o.out = value();
      given.pop_back();  // where the outputs go is not part of their provenance (same bytes elsewhere)
    } else if (a == "--model") {
      o.model = value();
    } else if (a == "--networks") {
      o.networks.clear();
      std::stringstream list(value());
      for (std::string n; std::getline(list, n, ',');) {
        if (n != "xception" && n != "faceapi")
          throw disfer::error(std::string(prog) +
                              ": --networks takes xception, faceapi or both (comma-separated), not '" + n + "'");
        if (std::find(o.networks.begin(), o.networks.end(), n) != o.networks.end())
          throw disfer::error(std::string(prog) + ": --networks names '" + n + "' twice");
        o.networks.push_back(n);
      }
      if (o.networks.empty()) throw disfer::error(std::string(prog) + ": --networks needs at least one network");
    } else if (a == "--seed") {
      o.seed = disfer_examples::parse_u64(prog, a, value());
    } else if (a == "--bootstrap") {
      o.bootstrap = disfer_examples::parse_u64(prog, a, value());
    } else if (a == "--threads") {
      o.threads = disfer_examples::parse_u64(prog, a, value());
    } else if (a == "--replace") {
      o.replace = true;
      given.emplace_back("replace", "true");
    } else if (a == "--classify") {
      o.classify = true;
      given.emplace_back("classify", "true");
    } else if (a == "--fine-tune") {
      o.fine_tune = true;
      given.emplace_back("fine-tune", "true");
    } else if (a == "--fine-tune-any-split") {
      o.fine_tune_any_split = true;
      given.emplace_back("fine-tune-any-split", "true");
    } else if (a == "--fine-tune-size") {
      const std::string v = value();
      const auto comma = v.find(',');
      if (comma == std::string::npos)
        throw disfer::error(std::string(prog) + ": --fine-tune-size takes TRAIN,VALIDATION, got '" + v + "'");
      o.fine_tune_train = disfer_examples::parse_u64(prog, a, v.substr(0, comma));
      o.fine_tune_validation = disfer_examples::parse_u64(prog, a, v.substr(comma + 1));
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a == "--remove-stale") {
      o.remove_stale = true;
    } else {
      std::cerr << prog << ": unknown option '" << a << "'\n" << usage_text;
      return 2;
    }
  }
  if (o.classify && o.stimuli.empty())
    throw disfer::error(std::string(prog) + ": --classify classifies the images of --stimuli; give --stimuli");
  if ((o.fine_tune || o.fine_tune_any_split) && o.fer2013.empty())
    throw disfer::error(std::string(prog) + ": --fine-tune trains on FER-2013 images; give --fer2013");
  if (!o.ferplus.empty() && o.fer2013.empty())
    throw disfer::error(std::string(prog) + ": --ferplus needs --fer2013 (FER-2013's labels and images)");
  if ((!o.ferplus.empty()) + (!o.votes.empty()) + (!o.votes_jspsych.empty()) > 1)
    throw disfer::error(std::string(prog) +
                        ": give one of --votes, --votes-jspsych and --ferplus (each would be the humans)");
  if (!o.votes_jspsych.empty() && o.stimuli.empty())
    throw disfer::error(std::string(prog) +
                        ": --votes-jspsych needs --stimuli (the folder the experiment was made from)");
  if (!o.fer2013.empty() && !o.stimuli.empty())
    throw disfer::error(std::string(prog) + ": give --fer2013 or --stimuli, not both");
  const bool data_given = !o.fer2013.empty() || !o.stimuli.empty() || !o.votes.empty() || !o.predictions.empty() ||
                          !o.votes_jspsych.empty();
  if (o.simulate == "none" && !data_given)
    throw disfer::error(std::string(prog) +
                        ": --simulate none needs data (--fer2013, --stimuli, --votes or --predictions): without "
                        "any there is nothing measured to report");
  // auto: the whole simulation without data, nothing as soon as any real input is given.
  const std::string simulate = o.simulate != "auto" ? o.simulate : data_given ? "none" : "all";
  const auto t0 = std::chrono::steady_clock::now();

  // 0. The output folder: refuse early (before any work, and before --remove-stale removes
  // anything) when it is not empty; then report what an interrupted run left beside it.
  {
    std::error_code ec;
    if (std::filesystem::exists(o.out, ec) && !o.replace &&
        (!std::filesystem::is_directory(o.out, ec) || !std::filesystem::is_empty(o.out, ec)))
      throw disfer::error(std::string(prog) + ": '" + o.out +
                          "' exists and is not empty; refusing to replace it (give --replace or another --out)");
  }
  disfer_examples::report_stale_staging(prog, o.out, o.remove_stale);

  disfer::reproduction_provenance prov;
  prov.program = prog;
  prov.simd_path = disfer::simd_path_name();
  prov.options = given;
  prov.options.emplace_back("seed (effective)", std::to_string(o.seed));
  prov.options.emplace_back("simulate (effective)", simulate);
  prov.bad_rows = o.bad_rows;
  // Rows the readers skipped (--bad-rows skip), all inputs; each input's own go to its provenance.
  std::vector<disfer::skipped_row> skipped;
  auto record_skipped = [&](const std::vector<disfer::skipped_row>& rows) {
    if (rows.empty()) return;
    disfer::reproduction_provenance::skipped_input f{prov.inputs.back().role, {}};
    for (const auto& r : rows) f.reasons.push_back(r.reason);
    prov.skipped.push_back(std::move(f));
    skipped.insert(skipped.end(), rows.begin(), rows.end());
  };
  const disfer::simulation_parameters params = disfer::disfer_simulation_parameters();
  std::vector<std::pair<std::string, std::string>> extra_files;

  // 1. The stimuli: a manifest, the FER-2013 sample, or the simulation's.
  disfer::stimulus_manifest manifest;
  disfer::reproduction_input in;
  disfer::ferplus_votes ferplus;  // --ferplus
  if (!o.stimuli.empty()) {
    std::string path = o.stimuli;
    if (std::filesystem::is_directory(path)) path = (std::filesystem::path(path) / "manifest.csv").string();
    std::vector<disfer::skipped_row> rows;
    disfer::stimulus_manifest_options mo;
    mo.bad_rows = o.bad_rows;
    mo.skipped = &rows;
    manifest = disfer::read_stimulus_manifest(path, mo);
    prov.inputs.push_back({"manifest", path, sha256_of(path)});
    record_skipped(rows);
    in = disfer::input_from_manifest(manifest);
    if (o.classify) {
      std::vector<xt::xtensor<std::uint8_t, 2>> pixels;
      const auto folder = std::filesystem::path(path).parent_path();
      for (std::size_t i = 0; i < manifest.stimuli.size(); ++i) {
        if (manifest.file[i].empty())
          disfer::detail::fail_at(prog, path, manifest.line[i], 0, "stimulus '", manifest.stimuli[i].id,
                                  "' has no image file (column 'file'); --classify needs one per stimulus");
        const std::string f = (folder / manifest.file[i]).string();
        const std::string ext = std::filesystem::path(f).extension().string();
        if (ext == ".png" || ext == ".PNG") {
#ifdef DISFER_EXAMPLE_HAVE_PNG
          pixels.push_back(disfer::read_png<std::uint8_t>(f));
#else
          throw disfer::error(std::string(prog) + ": '" + f + "': this build has no PNG support (component png)");
#endif
        } else {
          pixels.push_back(disfer::read_pgm<std::uint8_t>(f));
        }
      }
      for (const auto& n : o.networks)
        extra_files.emplace_back(predictions_file(n), classify_stimuli(in, manifest, pixels, o, n));
    }
  } else if (!o.fer2013.empty()) {
    disfer::source_options so;
    so.seed = o.seed;
    if (!o.ferplus.empty()) {  // the sources are drawn from the rows FER+ gives emotion votes
      std::vector<disfer::skipped_row> rows;
      disfer::ferplus_csv_options fo;
      fo.bad_rows = o.bad_rows;
      fo.skipped = &rows;
      ferplus = disfer::read_ferplus_csv(o.ferplus, fo);
      prov.inputs.push_back({"ferplus", o.ferplus, sha256_of(o.ferplus)});
      record_skipped(rows);
      so.only_rows = ferplus.fer2013_row;
    }
    std::vector<disfer::skipped_row> rows;
    so.bad_rows = o.bad_rows;
    so.skipped = &rows;
    const disfer::source_sample sources = disfer::sample_sources(o.fer2013, so);
    prov.inputs.push_back({"fer2013", o.fer2013, sources.input_sha256});
    record_skipped(rows);
    const auto conditions = disfer::disfer_conditions();
    disfer::batch_options bo;
    bo.threads = static_cast<unsigned>(o.threads);
    const std::vector<disfer::stimulus> stimuli = disfer::make_stimuli(sources, conditions, o.seed, bo);
    manifest.path = "<stimuli sampled from " + o.fer2013 + ">";
    manifest.category_names = disfer::fer2013_category_names();
    manifest.conditions = disfer::study_conditions_of(conditions);
    for (const auto& s : stimuli) {
      manifest.add({s.id, "fer" + std::to_string(s.fer2013_row), static_cast<std::uint32_t>(disfer::index_of(s.label)),
                    s.condition_index});
    }
    std::ostringstream m;
    disfer::write_manifest(m, stimuli, sources, conditions, o.seed);
    extra_files.emplace_back("manifest.csv", m.str());
    in = disfer::input_from_manifest(manifest);
    if (!o.ferplus.empty()) {  // FER+'s crowd on the originals: measured humans there
      std::vector<std::uint64_t> source_rows;
      for (const auto& s : stimuli) source_rows.push_back(s.fer2013_row);
      disfer::attach_ferplus_votes(in, source_rows, ferplus);
    }
    std::vector<xt::xtensor<std::uint8_t, 2>> pixels;
    for (const auto& s : stimuli) pixels.push_back(s.image);
    for (const auto& n : o.networks)
      extra_files.emplace_back(predictions_file(n), classify_stimuli(in, manifest, pixels, o, n));
    if (o.fine_tune) extra_files.emplace_back("fine_tuning.csv", fine_tune_stimuli(in, manifest, pixels, sources, o));
  } else {
    const disfer::reproduction_input sim = disfer::simulated_reproduction_input(params, o.seed);
    manifest.path = "<simulated stimuli>";
    manifest.category_names = sim.category_names;
    manifest.conditions = sim.conditions;
    for (const auto& s : sim.stimuli) manifest.add(s);
    in = disfer::input_from_manifest(manifest);
  }

  // 2. Votes and predictions given by the user, checked against the stimuli.
  if (!o.votes.empty()) {
    std::vector<disfer::skipped_row> rows;
    disfer::votes_csv_options vo = o.votes_columns;
    vo.bad_rows = o.bad_rows;
    vo.skipped = &rows;
    disfer::attach_votes(in, manifest, o.votes, vo);
    prov.inputs.push_back({"votes", o.votes, sha256_of(o.votes)});
    record_skipped(rows);
  }
  if (!o.votes_jspsych.empty()) {
    std::vector<disfer::skipped_row> rows;
    disfer::jspsych_options jo;
    jo.exclude_failed = o.exclude_failed;
    jo.bad_rows = o.bad_rows;
    jo.skipped = &rows;
    const disfer::jspsych_votes jv = disfer::read_jspsych_votes(o.votes_jspsych, jo);
    disfer::attach_jspsych_votes(in, manifest, jv, simulate == "missing");
    for (const auto& f : o.votes_jspsych) {
      prov.inputs.push_back({"votes-jspsych", f, sha256_of(f)});
      std::vector<disfer::skipped_row> mine;
      for (const auto& r : rows)
        if (r.path == f) mine.push_back(r);
      record_skipped(mine);
    }
    std::size_t excluded = 0, failed = 0;
    for (const auto& p : jv.participants) excluded += p.excluded;
    for (const auto& c : jv.checks) failed += !c.passed;
    std::cerr << prog << ": jsPsych: " << jv.participants.size() << " participants (" << excluded << " excluded), "
              << jv.votes.size() << " votes, " << jv.checks.size() << " attention checks (" << failed << " failed)\n";
    for (const auto& p : jv.participants)
      if (p.excluded) std::cerr << prog << ": excluded participant " << p.id << ": " << p.reason << "\n";
    std::ostringstream votes_csv, checks_csv, participants_csv;
    disfer::write_jspsych_votes_csv(votes_csv, jv);
    std::vector<std::string> buttons;  // make_experiment's: the paper's alphabetical order
    for (const auto& b : disfer::disfer_buttons()) buttons.push_back(b.category);
    disfer::write_jspsych_checks_csv(checks_csv, jv, buttons);
    disfer::write_jspsych_participants_csv(participants_csv, jv);
    extra_files.emplace_back("jspsych-votes.csv", votes_csv.str());
    extra_files.emplace_back("jspsych-checks.csv", checks_csv.str());
    extra_files.emplace_back("jspsych-participants.csv", participants_csv.str());
  }
  for (const auto& [name, path] : o.predictions) {
    for (const auto& m : in.models)
      if (m.name == name) throw disfer::error(std::string(prog) + ": two predictor sets are named '" + name + "'");
    std::vector<disfer::skipped_row> rows;
    disfer::predictions_csv_options po;
    po.bad_rows = o.bad_rows;
    po.skipped = &rows;
    const disfer::predictions p = disfer::read_predictions_csv(path, po);
    disfer::attach_predictions(in, manifest, name, path, p.stimuli, p.labels);
    prov.inputs.push_back({"predictions:" + name, path, sha256_of(path)});
    record_skipped(rows);
  }
  std::vector<disfer::text_table> extra_tables;  // the FER+ section (support/ferplus_run.hpp)
  if (!o.ferplus.empty()) {
    auto run = disfer_examples::run_ferplus(ferplus, o.fer2013, o.bad_rows, ferplus_networks(o));
    extra_tables.push_back(run.table);
    extra_files.insert(extra_files.end(), run.files.begin(), run.files.end());
    prov.json_sections.emplace_back(
        "ferplus", [s = run.section](disfer::json_writer& j) { disfer::write_ferplus_section_json(j, s); });
  }
  if (!skipped.empty()) {
    for (const auto& r : skipped) std::cerr << prog << ": skipped row: " << r.reason << "\n";
    for (const auto& [file, n] : disfer::skipped_rows_per_file(skipped))
      std::cerr << prog << ": " << n << " bad row" << (n == 1 ? "" : "s") << " skipped in " << file << "\n";
    std::ostringstream csv;
    disfer::write_skipped_rows_csv(csv, skipped);
    extra_files.emplace_back("skipped-rows.csv", csv.str());
  }

  // 3. The simulation fills in what is missing (the votes, and the paper's four models), or,
  // under none, placeholder votes that no output reports stand in for missing votes.
  const bool has_votes = in.votes.size() > 0;  // --votes, or FER+'s on the originals
  std::vector<std::uint8_t> voted(in.stimuli.size(), 0);
  for (const auto i : in.votes.item) voted[i] = 1;
  const bool lacking = std::find(voted.begin(), voted.end(), 0) != voted.end();
  if (simulate == "none") {
    if (lacking) disfer::absent_votes(in);
  } else if (!has_votes) {
    disfer::simulate_missing(in, params, o.seed, true, true);
  } else if (!o.ferplus.empty() || lacking) {
    // FER+ on the originals, or a pilot's playlists; the simulation on the other stimuli
    disfer::reproduction_input sim = in;
    sim.votes = {};
    disfer::simulate_missing(sim, params, o.seed, true, true);
    disfer::fill_votes(in, sim.votes, disfer::data_origin::simulated);
    in.models = sim.models;
  } else {
    try {  // with measured votes, simulated models are a bonus: skipped when the design does not allow them
      disfer::simulate_missing(in, params, o.seed, false, true);
    } catch (const disfer::error& e) {
      std::cerr << prog << ": note: no simulated models (" << e.what() << ")\n";
    }
  }

  // 4. Compute, print, write.
  disfer::reproduction_options ro;
  ro.seed = o.seed;
  ro.bootstrap_replicates = o.bootstrap;
  ro.threads = static_cast<unsigned>(o.threads);
  ro.report_simulated = simulate != "none";
  const disfer::reproduction_result r = disfer::compute_reproduction(in, ro);
  if (!o.quiet) {
    std::cout << "DisFER reproduction: " << r.stimulus_ids.size() << " stimuli from " << r.n_sources << " sources, ";
    const std::string measured_on = r.conditions_with_measured_votes();
    if (r.reported(r.votes_origin))
      std::cout << r.n_votes << " votes by " << r.n_raters << " raters (" << disfer::name(r.votes_origin) << ")";
    else if (!measured_on.empty())
      std::cout << "human votes measured on " << measured_on << " only";
    else
      std::cout << "no human votes";
    std::size_t models = 0;
    for (std::size_t p = 1; p < r.predictor_names.size(); ++p) models += r.reported(r.predictor_origin[p]);
    std::cout << ", " << models << " models; simulation: " << simulate << "; seed " << o.seed << "\n\n";
    for (const auto& t : disfer::reproduction_tables(r)) std::cout << disfer::to_text(t) << "\n";
    for (const auto& t : extra_tables) std::cout << disfer::to_text(t) << "\n";
  }
  const auto files = disfer::write_reproduction(
      o.out, r, prov, o.replace ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse, extra_files,
      extra_tables);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "wrote " << files.size() << " files to " << o.out << ":";
  for (const auto& f : files) std::cout << " " << f;
  std::cout << "\ndone in " << disfer::fixed(secs, 1) << " s\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << "\n";
  return 1;
}
