// fine_tune: the paper's fine-tuned models (Lévêque et al. 2022, sections 3.4 and 4.1) with the
// bundled FER-2013 network: one head fine-tuned per distortion type (FT-GB, FT-GN, FT-SP) by the
// DisFER protocol on frozen features, plus one on FER+ vote distributions (soft labels, noise
// protocol) when --votes is given; then the accuracy of every model under the 10 conditions on
// the evaluation images, with McNemar's exact test between the pre-trained model and each
// fine-tuned one per condition.
//
//   fine_tune --input fer2013.csv [--votes ferplus.csv] [--seed N] [--threads N] [--save DIR [--replace]]
//             [--split-half] [--train-per-class N] [--validation-per-class N]
//
// Default: training images from the Training split (108 + 12 per class), evaluation on the
// PublicTest rows. --split-half (for files without a Training split, e.g. a PublicTest sample):
// a stratified 50/50 split by the seed; the protocol draws from the first half (per class
// counts default to 90% / 10% of the smallest class's half), the second half is evaluated.
// --votes: FER+ counts (`row,neutral,happiness,...`; the 7 FER-2013 emotions kept, contempt,
// unknown and NF dropped). --save DIR: writes each fine-tuned model as DIR/emotion-ft-xx.json +
// .bin (an existing file is an error unless --replace, checked before training). Exit code 77 when the model is
// unavailable.
#include <disfer/hypothesis/mcnemar.hpp>
#include <disfer/inference.hpp>
#include <disfer/io/csv.hpp>
#include <disfer/io/fer2013.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/cli.hpp"

namespace {

const char* const program = "fine_tune";

void print_help() {
  std::cout
      << "fine_tune: the paper's fine-tuned models (Leveque et al. 2022, sections 3.4 and 4.1) with the bundled\n"
         "FER-2013 network: one classifier head fine-tuned per distortion type (FT-GB, FT-GN, FT-SP) on frozen\n"
         "features, plus one on FER+ vote distributions with --votes; then every model's accuracy under the 10\n"
         "conditions on the evaluation images, with McNemar's exact test against the pre-trained model.\n\n"
         "Reads:   a fer2013.csv (--input): training images from its Training split (108 + 12 per class),\n"
         "         evaluation on its PublicTest rows; optionally FER+ counts (--votes: row,neutral,happiness,...;\n"
         "         contempt, unknown and NF are dropped). The bundled model (DISFER_MODEL_DIR to override).\n"
         "Writes:  standard output; with --save DIR, each fine-tuned model as DIR/emotion-ft-xx.json + .bin\n"
         "         (never over existing files). Exit status 77 when the model is unavailable.\n"
         "Options:\n"
         "  --input FILE                fer2013.csv (required)\n"
         "  --votes FILE                FER+ vote counts for the soft-label model\n"
         "  --seed N                    seed of the draws and distortions (default 2022)\n"
         "  --threads N                 worker threads (default 2; results do not depend on it)\n"
         "  --save DIR                  write the fine-tuned models there\n"
         "  --replace                   with --save: replace model files that exist there\n"
         "  --split-half                for files without a Training split: a stratified 50/50 split by the\n"
         "                              seed; the protocol draws from the first half, the second is evaluated\n"
         "  --train-per-class N         training images per class (default 108; 90% of the half with --split-half)\n"
         "  --validation-per-class N    validation images per class (default 12; 10% with --split-half)\n"
         "  --help                      this text\n"
         "Example:\n"
         "  fine_tune --input fer2013.csv --votes fer2013new.csv --save ft-models\n";
}

int usage(const std::string& msg) {
  std::cerr << program << ": " << msg
            << "\nusage: fine_tune --input fer2013.csv [--votes ferplus.csv] [--seed N] [--threads N] [--save DIR]"
               " [--replace] [--split-half] [--train-per-class N] [--validation-per-class N]\n";
  return 2;
}

// FER+ vote counts -> row-stochastic targets (records.size() x 7) by the record's `row`; rows
// without votes among the 7 emotions keep their one-hot FER-2013 label.
Eigen::MatrixXd read_soft_labels(const std::string& path, const std::vector<disfer::fer2013_record>& recs,
                                 std::size_t& without_votes) {
  disfer::csv_options o;
  o.function = program;
  disfer::csv_reader csv(path, o);
  const auto row_col = csv.column_index("row");
  std::vector<std::pair<std::size_t, std::size_t>> cols;  // csv column -> FER-2013 index
  for (const char* nm : {"anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"})
    cols.emplace_back(csv.column_index(nm), disfer::index_of(disfer::parse_emotion(nm)));
  std::map<std::uint64_t, Eigen::VectorXd> votes;
  while (csv.next()) {
    Eigen::VectorXd v = Eigen::VectorXd::Zero(7);
    for (const auto& [c, e] : cols) v[long(e)] = std::stod(csv[c]);
    votes[std::stoull(csv[row_col])] = v;
  }
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(long(recs.size()), 7);
  without_votes = 0;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const auto it = votes.find(recs[i].row);
    if (it != votes.end() && it->second.sum() > 0) {
      t.row(long(i)) = it->second.transpose() / it->second.sum();
    } else {
      t(long(i), long(disfer::index_of(recs[i].label))) = 1;
      ++without_votes;
    }
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) try {
  std::string input, votes, save;
  bool split_half = false, replace = false;
  std::uint64_t seed = 2022, threads = 2;
  std::optional<std::uint64_t> train_per_class, validation_per_class;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw disfer::error(std::string(program) + ": " + a + " needs a value");
      return argv[++i];
    };
    if (a == "--input")
      input = value();
    else if (a == "--votes")
      votes = value();
    else if (a == "--save")
      save = value();
    else if (a == "--replace")
      replace = true;
    else if (a == "--split-half")
      split_half = true;
    else if (a == "--seed")
      seed = disfer_examples::parse_u64(program, a, value());
    else if (a == "--threads")
      threads = disfer_examples::parse_u64(program, a, value());
    else if (a == "--train-per-class")
      train_per_class = disfer_examples::parse_u64(program, a, value());
    else if (a == "--validation-per-class")
      validation_per_class = disfer_examples::parse_u64(program, a, value());
    else if (a == "--help")
      return print_help(), 0;
    else
      return usage("unknown option '" + a + "'");
  }
  if (input.empty()) return usage("--input is required");
  // The files --save will write (see below), checked before the training.
  if (!save.empty())
    for (std::string code : {"gb", "gn", "sp", "gn-soft"})
      for (const char* ext : {".json", ".bin"})
        disfer_examples::check_output(program, (std::filesystem::path(save) / ("emotion-ft-" + code + ext)).string(),
                                      replace, "--replace");
  std::unique_ptr<disfer::fer2013_xception> model;
  try {
    model = std::make_unique<disfer::fer2013_xception>(disfer::fer2013_xception::load());
  } catch (const disfer::error& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 77;
  }
  const auto recs = disfer::read_fer2013(input);
  const std::size_t k = 7;

  // Training pool and evaluation images.
  disfer::disfer_protocol_options po;
  po.seed = seed;
  po.training.seed = seed;
  po.training.threads = threads;
  std::vector<std::size_t> eval;
  if (split_half) {
    std::vector<std::vector<std::size_t>> by_class(k);
    for (std::size_t i = 0; i < recs.size(); ++i) by_class[disfer::index_of(recs[i].label)].push_back(i);
    std::size_t smallest = recs.size();
    for (std::size_t c = 0; c < k; ++c) {
      auto& v = by_class[c];
      disfer::shuffle(v, disfer::stream_key{seed, c, disfer::purpose::source_sampling});
      const std::size_t half = v.size() / 2;
      smallest = std::min(smallest, half);
      for (std::size_t j = half; j < v.size(); ++j) {
        eval.push_back(v[j]);
        po.excluded_rows.push_back(recs[v[j]].row);
      }
    }
    po.training_split_only = false;
    po.train_per_class = smallest - smallest / 10;
    po.validation_per_class = smallest / 10;
  } else {
    for (std::size_t i = 0; i < recs.size(); ++i)
      if (recs[i].usage == disfer::fer2013_usage::public_test) {
        eval.push_back(i);
        po.excluded_rows.push_back(recs[i].row);
      }
  }
  if (train_per_class) po.train_per_class = *train_per_class;
  if (validation_per_class) po.validation_per_class = *validation_per_class;
  if (eval.empty()) return usage("no evaluation images (no PublicTest rows; try --split-half)");
  std::cout << "training " << po.train_per_class << " + validation " << po.validation_per_class << " images per class; "
            << eval.size() << " evaluation images; seed " << seed << "\n";

  // Fine-tuned models.
  auto models = disfer::fine_tune_disfer_protocol(*model, recs, po);
  if (!votes.empty()) {
    std::size_t without = 0;
    const auto soft = read_soft_labels(votes, recs, without);
    models.push_back(
        disfer::fine_tune_disfer_protocol(*model, recs, disfer::distortion_kind::gaussian_noise, po, &soft));
    std::cout << "soft labels: " << without << " images without votes among the 7 emotions keep their label\n";
  }
  for (const auto& m : models) {
    std::cout << m.name << ": " << m.training.epochs_run << " epochs, best epoch " << m.training.best_epoch;
    if (!m.training.validation_loss.empty())
      std::cout << ", validation loss " << m.training.validation_loss.front() << " -> "
                << m.training.validation_loss[m.training.best_epoch];
    std::cout << "\n";
    if (!save.empty()) {
      std::string code = m.name.substr(m.name.rfind("FT-") + 3, 2);
      std::transform(code.begin(), code.end(), code.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
      if (m.name.find("soft") != std::string::npos) code += "-soft";
      std::filesystem::create_directories(save);
      const auto path = (std::filesystem::path(save) / ("emotion-ft-" + code + ".json")).string();
      m.model.graph().save(path, replace ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse);
      std::cout << "  saved " << path << "\n";
    }
  }

  // Evaluation: features of the evaluation images under each condition (computed once), then
  // every head on them. Distortion keys: stream_key{seed + 1, FER-2013 row}.
  std::vector<int> truth;
  for (auto i : eval) truth.push_back(int(disfer::index_of(recs[i].label)));
  const auto pre_w = disfer::read_head_weights(model->graph(), disfer::find_classifier_head(model->graph()));
  std::printf("\n%-10s %10s", "condition", "pre-tr.");
  for (const auto& m : models) std::printf(" %20s", m.name.substr(m.name.find("FT-")).c_str());
  std::printf("   (accuracy; McNemar exact p vs pre-trained in brackets)\n");
  for (const auto& cond : disfer::disfer_conditions()) {
    std::vector<disfer::gray_image> imgs;
    for (auto i : eval)
      imgs.emplace_back(
          xt::cast<float>(disfer::apply(cond, recs[i].image(), disfer::stream_key{seed + 1, recs[i].row})));
    const auto f = disfer::head_features(*model, imgs, threads);
    const auto pre = disfer::head_predict(pre_w, f, threads);
    auto acc = [&](const std::vector<int>& p) {
      std::size_t hits = 0;
      for (std::size_t i = 0; i < p.size(); ++i) hits += p[i] == truth[i];
      return double(hits) / double(p.size());
    };
    std::printf("%-10s %10.4f", disfer::label(cond).c_str(), acc(pre));
    for (const auto& m : models) {
      const auto ft = disfer::head_predict(m.weights, f, threads);
      char cell[64];
      std::snprintf(cell, sizeof cell, "%.4f (p %.2g)", acc(ft), disfer::mcnemar(truth, pre, ft).p_value);
      std::printf(" %20s", cell);
    }
    std::printf("\n");
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << program << ": " << e.what() << "\n";
  return 1;
}
