#pragma once
// The study behind the per-figure examples: the calibrated simulation, or a stimulus manifest with
// real votes (the simulation supplying the models), computed with disfer::compute_reproduction.
//   program [--seed N] [--out FILE] [--replace] [--stimuli DIR|manifest.csv --votes votes.csv]
#include <disfer/report.hpp>
#include <disfer/simulate/defaults.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "support/cli.hpp"

namespace disfer_examples {

struct figure_study {
  disfer::reproduction_result result;
  std::string out;  ///< the SVG (or CSV) to write
  disfer::overwrite_policy policy = disfer::overwrite_policy::refuse;
};

/// The full --help of a per-figure program; `what` says what it shows and prints.
inline void print_figure_help(const char* program, const std::string& default_out, const char* what) {
  std::cout << program << ": " << what << "\n\n"
            << "Reads:   nothing by default: the calibrated DisFER simulation (docs/simulation.md), seed --seed.\n"
               "         With --stimuli and --votes: a stimulus manifest (docs/io.md, \"Stimulus manifest\") and the\n"
               "         crowd's long-form votes (stimulus,rater,label); the simulation supplies the models.\n"
               "Writes:  "
            << default_out
            << " (or --out FILE), never over an existing file unless --replace; prints its table.\n"
               "Options:\n"
               "  --seed N        seed of the simulation, tie-breaks and the bootstrap (default 2022)\n"
               "  --out FILE      where to write (default "
            << default_out
            << ")\n"
               "  --replace       replace FILE if it exists\n"
               "  --stimuli DIR   a stimulus folder (DIR/manifest.csv) or a manifest file; needs --votes\n"
               "  --votes FILE    the crowd's votes on those stimuli; needs --stimuli\n"
               "  --help          this text\n"
               "Example:\n  "
            << program << " --seed 7 --out /tmp/" << default_out << " --replace\n";
}

inline figure_study load_figure_study(const char* program, const std::string& default_out, const char* what, int argc,
                                      char** argv) {
  if (wants_help(argc, argv)) {
    print_figure_help(program, default_out, what);
    std::exit(0);
  }
  std::uint64_t seed = 2022;
  std::string stimuli, votes;
  figure_study s;
  s.out = default_out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] {
      if (i + 1 >= argc) throw disfer::error(std::string(program) + ": " + a + " needs a value");
      return std::string(argv[++i]);
    };
    if (a == "--seed") {
      seed = parse_u64(program, a, value());
    } else if (a == "--out") {
      s.out = value();
    } else if (a == "--replace") {
      s.policy = disfer::overwrite_policy::replace;
    } else if (a == "--stimuli") {
      stimuli = value();
    } else if (a == "--votes") {
      votes = value();
    } else {
      throw disfer::error(std::string(program) + ": unknown option '" + a +
                          "' (options: --seed N, --out FILE, --replace, --stimuli DIR --votes FILE; --help)");
    }
  }
  if (stimuli.empty() != votes.empty())
    throw disfer::error(std::string(program) + ": --stimuli and --votes go together");
  check_output(program, s.out, s.policy == disfer::overwrite_policy::replace, "--replace");
  const auto params = disfer::disfer_simulation_parameters();
  disfer::reproduction_input in;
  if (stimuli.empty()) {
    in = disfer::simulated_reproduction_input(params, seed);  // votes and the four models, simulated
  } else {
    if (std::filesystem::is_directory(stimuli)) stimuli = (std::filesystem::path(stimuli) / "manifest.csv").string();
    const auto manifest = disfer::read_stimulus_manifest(stimuli);
    in = disfer::input_from_manifest(manifest);
    disfer::attach_votes(in, manifest, votes);                // measured votes, checked
    disfer::simulate_missing(in, params, seed, false, true);  // simulated models
  }
  disfer::reproduction_options options;
  options.seed = seed;
  s.result = disfer::compute_reproduction(in, options);
  return s;
}

}  // namespace disfer_examples
