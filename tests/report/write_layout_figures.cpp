// Writes the four reproduction figures for synthetic studies of 1, 3, 10 and 25 conditions and 1, 5
// and 12 predictors (the humans and 0, 4 or 11 models, some with long names) into the folder given,
// as <figure>_c<conditions>_p<predictors>.svg (45: Figure 2 has no panel when there is only the
// original condition): the inputs of the Chromium layout check
// (tests/report/browser/check_layout.mjs). Deterministic: a fixed linear congruential generator.
//   write_layout_figures OUT_DIR
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "disfer/core/emotion.hpp"
#include "disfer/report/figures.hpp"

namespace {

struct lcg {
  std::uint64_t s;
  std::uint32_t next(std::uint32_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>((s >> 33) % n);
  }
};

const std::vector<std::string> model_names = {"Xception (FER-2013)",
                                              "fine-tuned DeepFace (GB 1.4)",
                                              "VGG-Face",
                                              "FT-GB",
                                              "face-api.js expression net (tiny, 2020 weights)",
                                              "FT-GN",
                                              "FT-SP",
                                              "ResNet-50 fine-tuned on all three distortions",
                                              "M9",
                                              "Ensemble of the Xception and DeepFace models (mean probabilities)",
                                              "Humans again (a second crowd)",
                                              "κ-weighted model ± 0.05"};

disfer::reproduction_input study(std::size_t n_conditions, std::size_t n_models) {
  disfer::reproduction_input in;
  for (const auto e : disfer::fer2013_order) in.category_names.emplace_back(disfer::name(e));
  const char* family[] = {"GB", "GN", "SP"};
  const double base[] = {0.8, 10, 0.05};
  in.conditions.push_back({"original", 0, 0, 0});
  for (std::size_t c = 1; c < n_conditions; ++c) {
    const std::size_t f = (c - 1) % 3, sev = 1 + (c - 1) / 3;
    const double level = base[f] * static_cast<double>(sev);
    in.conditions.push_back({std::string(family[f]) + " " + disfer::detail::svg::number(level, f == 2 ? 2 : 1), f + 1,
                             static_cast<double>(sev), level});
  }
  lcg g{n_conditions * 1000 + n_models};
  const std::size_t k = in.category_names.size(), sources_per_class = 3, raters = 6;
  for (std::size_t s = 0; s < k * sources_per_class; ++s)
    for (std::size_t c = 0; c < n_conditions; ++c)
      in.stimuli.push_back({"s" + std::to_string(s) + "_c" + std::to_string(c), "src" + std::to_string(s),
                            static_cast<std::uint32_t>(s / sources_per_class), c});
  in.votes.n_items = in.stimuli.size();
  in.votes.n_raters = raters;
  for (std::size_t r = 0; r < raters; ++r) in.votes.rater_names.push_back("rater" + std::to_string(r));
  const auto noisy = [&](std::uint32_t truth, std::uint32_t wrong_in_10) {
    return g.next(10) < wrong_in_10 ? g.next(static_cast<std::uint32_t>(k)) : truth;
  };
  for (std::size_t i = 0; i < in.stimuli.size(); ++i)
    for (std::size_t r = 0; r < raters; ++r)
      in.votes.add(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(r), noisy(in.stimuli[i].label, 3));
  for (std::size_t m = 0; m < n_models; ++m) {
    disfer::reproduction_predictor p;
    p.name = model_names[m % model_names.size()];
    for (const auto& st : in.stimuli) p.labels.push_back(noisy(st.label, static_cast<std::uint32_t>(2 + m % 5)));
    p.origin = m % 2 ? disfer::data_origin::simulated : disfer::data_origin::measured;
    in.models.push_back(std::move(p));
  }
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_layout_figures OUT_DIR\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);
  disfer::reproduction_options o;
  o.bootstrap_replicates = 0;
  std::size_t written = 0;
  for (const std::size_t conditions : {1, 3, 10, 25})
    for (const std::size_t predictors : {1, 5, 12}) {
      const auto r = disfer::compute_reproduction(study(conditions, predictors - 1), o);
      for (const auto& [file, fig] : disfer::reproduction_figures(r)) {
        if (fig.lines.empty() && fig.heatmaps.empty()) continue;  // Figure 2 without a distortion type
        const std::string stem = file.substr(0, file.size() - 4);
        disfer::write_svg(
            (out / (stem + "_c" + std::to_string(conditions) + "_p" + std::to_string(predictors) + ".svg")).string(),
            fig, disfer::overwrite_policy::replace);
        ++written;
      }
    }
  std::cout << "wrote " << written << " figures to " << out.string() << "\n";
  return 0;
}
