// make_experiment: the DisFER experiment itself. From a stimulus folder written by
// make_disfer_stimuli (manifest, presentation orders), writes a jsPsych 8 study that any static
// web host serves as written: each participant rates one playlist in its pre-drawn order, with
// instructed attention checks drawn here (design/experiment.hpp), and the data go back to
// reproduce_disfer --votes-jspsych. See docs/experiment.md.
#include <disfer/design/experiment.hpp>
#include <disfer/io/pgm.hpp>
#include <disfer/io/staged_file.hpp>
#include <disfer/report/inputs.hpp>
#ifdef DISFER_EXAMPLE_HAVE_PNG
#include <disfer/png.hpp>
#endif

#include "support/cli.hpp"
#include "support/stale.hpp"

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

const char* usage_text =
    R"(Usage: make_experiment --stimuli DIR --output FOLDER [options]

Reads (from DIR, as make_disfer_stimuli writes it):
  manifest.csv             the stimuli and their image files (PGM images are converted to PNG,
                           which needs the png component; PNG images are copied)
  presentation-orders.csv  participant, playlist, position, id: the orders participants see
Writes into FOLDER (staged beside it, renamed into place at the end; relative paths only, no
server code, no CDN, so any static host serves it as written):
  index.html, disfer-experiment.js   the experiment (jsPsych 8.3 timeline)
  disfer-study.js          the playlists, orders, attention checks, texts and save settings
  images/<id>.png          the images the orders and checks show
  jspsych/                 jsPsych 8.3.0 and its plugins (fetched from npm at build time, SHA-256
                           checked) with jsPsych's MIT licence, LICENSE-jspsych.txt
Participants open index.html?playlist=P&order=O (O indexes that playlist's orders, from 0), or a
Prolific link (PROLIFIC_PID, STUDY_ID, SESSION_ID are recorded; see --assignment).

Options:
  --stimuli DIR          the stimulus folder (make_disfer_stimuli --output). Required.
  --output FOLDER        where to write the experiment. Required. An existing non-empty folder is
                         an error unless --replace is given.
  --replace              replace an existing non-empty FOLDER.
  --remove-stale         remove what an interrupted earlier run left beside FOLDER.
  --save post|datapipe|download
                         where the data go at the end (default download): post sends the
                         jsPsych CSV to --post-url; datapipe to DataPipe (--datapipe-id), which
                         saves to an OSF project; download saves a file on the participant's
                         computer (for pilots in the lab).
  --post-url URL         with --save post: the URL (absolute, or relative to index.html).
  --datapipe-id ID       DataPipe's experiment id (--save datapipe or --assignment datapipe).
  --assignment url|datapipe|prolific-hash
                         how a participant without playlist= and order= in the URL gets them
                         (default url: they are required). datapipe: DataPipe's condition
                         counter, exact balance over playlists x orders from one link.
                         prolific-hash: playlist= from the link (one Prolific study per playlist),
                         the order from a hash of PROLIFIC_PID.
  --completion-code CODE Prolific's completion code: after the data are saved the participant is
                         sent to https://app.prolific.com/submissions/complete?cc=CODE.
  --attention-checks N   instructed attention checks per participant (default 2; 0 = none).
  --attention-after A,B  ratings shown before each check (default: evenly spaced).
  --seed N               seed of the checks' buttons and images (default 2022).
  --title TEXT           the page title (default "Facial expressions").
  --consent FILE         HTML fragment of the consent page (default: share/experiment/texts).
  --instructions FILE    HTML fragment of the instructions.
  --completion FILE      HTML fragment of the last page.
  --attention-text FILE  HTML fragment of a check's question; {label} is the button asked for.
  --templates DIR        the experiment's page and script (default: the installed or source
                         share/experiment).
  --jspsych DIR          the vendored jsPsych files (default: the installed or build tree's
                         share/disfer/jspsych).
  --help                 this text.

Example:
  make_disfer_stimuli --input fer2013.csv --output stimuli
  make_experiment --stimuli stimuli --output site --save datapipe --datapipe-id AbC123xyz \
      --assignment datapipe --completion-code C1A2B3C4
  reproduce_disfer --stimuli stimuli --votes-jspsych osf-download/*.csv --out report
)";

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw disfer::error("make_experiment: cannot open '" + path.string() + "' for reading");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first of `candidates` holding `probe`; the error names them all and what to pass instead.
fs::path find_folder(const std::vector<fs::path>& candidates, const char* probe, const char* what, const char* option) {
  std::string tried;
  for (const auto& c : candidates) {
    std::error_code ec;
    if (!c.empty() && fs::exists(c / probe, ec)) return c;
    if (!c.empty()) tried += "\n  " + c.string();
  }
  throw disfer::error(std::string("make_experiment: ") + what + " not found; looked in:" + tried + "\n(pass " + option +
                      " DIR)");
}

// <prefix>/share/disfer/<name> for a program installed in <prefix>/bin.
fs::path installed(const char* name) {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || !exe.has_parent_path() || exe.parent_path().filename() != "bin") return {};
  return exe.parent_path().parent_path() / "share" / "disfer" / name;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    constexpr const char* prog = "make_experiment";
    std::string stimuli, output, templates, jspsych;
    std::string texts[4];  // consent, instructions, completion, attention: paths
    const char* text_names[4] = {"consent", "instructions", "completion", "attention"};
    bool replace = false, remove_stale = false;
    disfer::experiment_options plan;
    disfer::experiment_study study;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw disfer::error(std::string(prog) + ": " + a + " needs a value (see --help)");
        return argv[++i];
      };
      if (a == "--help" || a == "-h") {
        std::cout << usage_text;
        return 0;
      } else if (a == "--stimuli") {
        stimuli = value();
      } else if (a == "--output") {
        output = value();
      } else if (a == "--replace") {
        replace = true;
      } else if (a == "--remove-stale") {
        remove_stale = true;
      } else if (a == "--save") {
        study.save_mode = value();
      } else if (a == "--post-url") {
        study.save_url = value();
      } else if (a == "--datapipe-id") {
        study.datapipe_id = value();
      } else if (a == "--assignment") {
        study.assignment = value();
      } else if (a == "--completion-code") {
        study.completion_code = value();
      } else if (a == "--attention-checks") {
        plan.attention_checks = disfer_examples::parse_u64(prog, a, value());
      } else if (a == "--attention-after") {
        std::stringstream list(value());
        for (std::string item; std::getline(list, item, ',');)
          plan.attention_after.push_back(disfer_examples::parse_u64(prog, a, item));
      } else if (a == "--seed") {
        plan.seed = disfer_examples::parse_u64(prog, a, value());
      } else if (a == "--title") {
        study.title = value();
      } else if (a == "--consent") {
        texts[0] = value();
      } else if (a == "--instructions") {
        texts[1] = value();
      } else if (a == "--completion") {
        texts[2] = value();
      } else if (a == "--attention-text") {
        texts[3] = value();
      } else if (a == "--templates") {
        templates = value();
      } else if (a == "--jspsych") {
        jspsych = value();
      } else {
        throw disfer::error(std::string(prog) + ": unknown option '" + a + "' (see --help)");
      }
    }
    if (stimuli.empty() || output.empty())
      throw disfer::error(std::string(prog) + ": --stimuli and --output are required (see --help)");
    if (!plan.attention_after.empty() && plan.attention_after.size() != plan.attention_checks) {
      if (plan.attention_checks != disfer::experiment_options{}.attention_checks)
        throw disfer::error(std::string(prog) + ": --attention-after lists " +
                            std::to_string(plan.attention_after.size()) + " positions but --attention-checks is " +
                            std::to_string(plan.attention_checks));
      plan.attention_checks = plan.attention_after.size();
    }

    // Where the page, the default texts and jsPsych are: given, installed beside the program, or
    // this build's (the source tree's templates, the build tree's vendored jsPsych).
    std::vector<fs::path> template_dirs = {templates, installed("experiment")};
    std::vector<fs::path> jspsych_dirs = {jspsych, installed("jspsych")};
#ifdef DISFER_EXAMPLE_EXPERIMENT_DIR
    if (templates.empty()) template_dirs.emplace_back(DISFER_EXAMPLE_EXPERIMENT_DIR);
#endif
#ifdef DISFER_EXAMPLE_JSPSYCH_DIR
    if (jspsych.empty()) jspsych_dirs.emplace_back(DISFER_EXAMPLE_JSPSYCH_DIR);
#endif
    if (!templates.empty()) template_dirs.resize(1);
    if (!jspsych.empty()) jspsych_dirs.resize(1);
    const fs::path template_dir =
        find_folder(template_dirs, "disfer-experiment.js", "the experiment's page", "--templates");
    fs::path jspsych_dir;
    try {
      jspsych_dir = find_folder(jspsych_dirs, "jspsych.js", "jsPsych (jspsych/jspsych.js)", "--jspsych");
    } catch (const disfer::error& e) {
#ifdef DISFER_EXAMPLE_JSPSYCH_MISSING
      throw disfer::error(std::string(e.what()) + "\nat build time: " + DISFER_EXAMPLE_JSPSYCH_MISSING);
#else
      throw;
#endif
    }
    for (int t = 0; t < 4; ++t)
      study.texts[text_names[t]] = read_text(
          texts[t].empty() ? template_dir / "texts" / (std::string(text_names[t]) + ".html") : fs::path(texts[t]));

    // The design, checked: every order's stimulus is in the manifest.
    fs::path manifest_path = stimuli;
    if (fs::is_directory(manifest_path)) manifest_path /= "manifest.csv";
    const fs::path folder = manifest_path.parent_path();
    const auto manifest = disfer::read_stimulus_manifest(manifest_path.string());
    const auto orders = disfer::read_presentation_orders((folder / "presentation-orders.csv").string());
    if (orders.empty())
      throw disfer::error(std::string(prog) + ": " + (folder / "presentation-orders.csv").string() + " lists no order");
    std::vector<std::string> ids;
    for (const auto& s : manifest.stimuli) ids.push_back(s.id);
    const disfer::experiment_study planned = disfer::plan_experiment(orders, ids, plan);
    study.buttons = planned.buttons;
    study.playlists = planned.playlists;
    std::ostringstream study_js;
    disfer::write_experiment_study_js(study_js, study);  // checks the save and assignment settings

    disfer_examples::report_stale_staging(prog, output, remove_stale);
    disfer_examples::check_output(prog, output, replace, "--replace");
    {  // a new output folder may sit in a folder that does not exist yet (site/pilot-1)
      const fs::path parent = fs::path(output).lexically_normal().parent_path();
      std::error_code ec;
      if (!parent.empty() && !fs::exists(parent, ec) && !fs::create_directories(parent, ec))
        throw disfer::error(std::string(prog) + ": cannot create the folder '" + parent.string() +
                            "': " + ec.message());
    }
    disfer::staged_directory out(output, replace ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse,
                                 prog);
    for (const char* f : {"index.html", "disfer-experiment.js"}) fs::copy_file(template_dir / f, out / f);
    {
      std::ofstream js(out / "disfer-study.js", std::ios::binary);
      js << study_js.str();
      if (!js.flush()) throw disfer::error(std::string(prog) + ": cannot write " + (out / "disfer-study.js").string());
    }
    fs::create_directory(out / "jspsych");
    for (const char* f :
         {"jspsych.js", "jspsych.css", "plugin-preload.js", "plugin-instructions.js", "plugin-html-button-response.js",
          "plugin-image-button-response.js", "plugin-call-function.js", "plugin-pipe.js", "LICENSE-jspsych.txt"}) {
      if (!fs::exists(jspsych_dir / f))
        throw disfer::error(std::string(prog) + ": " + (jspsych_dir / f).string() +
                            " is missing (an incomplete jsPsych copy)");
      fs::copy_file(jspsych_dir / f, out / "jspsych" / f);
    }

    // The images the orders and checks show, as PNG.
    std::vector<std::uint8_t> shown(ids.size(), 0);
    for (const auto& p : study.playlists)
      for (const auto& o : p.orders) {
        for (const auto& id : o.ids) shown[static_cast<std::size_t>(manifest.find(id))] = 1;
        for (const auto& c : o.checks) shown[static_cast<std::size_t>(manifest.find(c.image))] = 1;
      }
    fs::create_directory(out / "images");
    std::size_t images = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (!shown[i]) continue;
      if (manifest.file[i].empty())
        throw disfer::error(std::string(prog) + ": " + manifest_path.string() + " line " +
                            std::to_string(manifest.line[i]) + ": stimulus '" + ids[i] +
                            "' has no file (the manifest needs a `file` column)");
      const fs::path from = folder / manifest.file[i], to = out / "images" / (ids[i] + ".png");
      const std::string ext = from.extension().string();
      if (ext == ".png") {
        fs::copy_file(from, to);
      } else if (ext == ".pgm") {
#ifdef DISFER_EXAMPLE_HAVE_PNG
        disfer::write_png(to.string(), disfer::read_pgm<std::uint8_t>(from.string()));
#else
        throw disfer::error(std::string(prog) + ": " + from.string() +
                            " is PGM, which browsers do not show; build disfer with the png component to convert it");
#endif
      } else {
        throw disfer::error(std::string(prog) + ": " + from.string() + " is neither PNG nor PGM");
      }
      ++images;
    }
    out.commit();
    std::size_t n_orders = 0;
    for (const auto& p : study.playlists) n_orders += p.orders.size();
    std::cout << prog << ": done: " << study.playlists.size() << " playlists, " << n_orders << " orders, " << images
              << " images, " << plan.attention_checks << " attention checks per participant, save: " << study.save_mode
              << ", in " << output << "\n"
              << "templates: " << template_dir.string() << "; jsPsych: " << jspsych_dir.string() << "\n"
              << "open " << output << "/index.html?playlist=" << study.playlists.front().playlist
              << "&order=0 on a web server (e.g. python3 -m http.server in " << output << ")\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
