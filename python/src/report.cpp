// report: the whole DisFER reproduction (reproduce_disfer's computation) from Python, on the
// user's stimuli, votes and predictions or on the calibrated simulation, with its tables and the
// files it writes.

#include "common.hpp"
#include "disfer/design/stimulus.hpp"
#include "disfer/io/predictions_csv.hpp"
#include "disfer/report.hpp"
#include "disfer/simd.hpp"
#include "disfer/simulate/defaults.hpp"

namespace disfer_py {

namespace {

py::dict table_dict(const disfer::text_table& t) {
  py::dict d;
  d["title"] = t.title;
  d["header"] = t.header;
  d["rows"] = t.rows;
  d["note"] = t.note;
  return d;
}

struct reproduction {
  disfer::reproduction_result result;
  std::vector<disfer::text_table> tables;
  std::vector<std::string> files;  // written, in order (empty without `out`)
  std::string out;
};

}  // namespace

void init_report(py::module_& m) {
  py::class_<reproduction>(m, "Reproduction", "What disfer.reproduce computed (and wrote).")
      .def_property_readonly(
          "tables",
          [](const reproduction& r) {
            py::list l;
            for (const auto& t : r.tables) l.append(table_dict(t));
            return l;
          },
          "Every table of the paper as dicts: title, header, rows (strings as printed), note.")
      .def(
          "text",
          [](const reproduction& r) {
            std::string s;
            for (const auto& t : r.tables) s += disfer::to_text(t) + "\n";
            return s;
          },
          "The tables as reproduce_disfer prints them.")
      .def_readonly("files", &reproduction::files, "The files written into `out`, in order.")
      .def_readonly("out", &reproduction::out)
      .def_property_readonly("stimulus_ids", [](const reproduction& r) { return r.result.stimulus_ids; })
      .def_property_readonly("predictor_names", [](const reproduction& r) { return r.result.predictor_names; })
      .def_property_readonly(
          "kappa", [](const reproduction& r) { return r.result.summary.kappa; },
          "Fleiss' kappa of the human votes (pooled margins).")
      .def_property_readonly(
          "p_i", [](const reproduction& r) { return r.result.summary.p_i; }, "P_i per stimulus.")
      .def_property_readonly(
          "counts", [](const reproduction& r) { return r.result.summary.counts; }, "stimuli x 7 vote counts.")
      .def_property_readonly("agreement", [](const reproduction& r) { return r.result.summary.agreement; })
      .def_property_readonly("n_votes", [](const reproduction& r) { return r.result.n_votes; })
      .def_property_readonly("n_raters", [](const reproduction& r) { return r.result.n_raters; })
      .def_property_readonly("n_sources", [](const reproduction& r) { return r.result.n_sources; })
      .def(
          "figures",
          [](const reproduction& r) {
            std::map<std::string, std::string> svg;
            py::gil_scoped_release release;
            for (const auto& entry : disfer::reproduction_figures(r.result))
              svg[entry.first] = disfer::to_svg(entry.second);
            return svg;
          },
          "The paper's figures 2-5 as SVG documents (file name -> text), as reproduce_disfer draws them.")
      .def_property_readonly(
          "per_condition", [](const reproduction& r) { return r.result.per_condition; },
          "Accuracies, confusion matrices, McNemar pairs and correlations per condition (PerConditionResult).")
      .def_property_readonly(
          "votes_origin", [](const reproduction& r) { return std::string(disfer::name(r.result.votes_origin)); },
          "'measured', 'simulated', 'mixed' or 'absent'.");

  result_class<disfer::published_value>(m, "PublishedValue", "A number the DisFER paper reports.")
      .field("key", &disfer::published_value::key, "e.g. 'accuracy/humans', 'kappa/all'")
      .field("value", &disfer::published_value::value)
      .field("where", &disfer::published_value::where, "section, figure or table of the paper")
      .done();
  m.def("disfer_published_values", &disfer::disfer_published_values,
        "Every number of Leveque et al. (Electronics 2022) that a reproduction compares with.");
  m.def("published", &disfer::published, py::arg("key"),
        "The paper's value of `key` (see disfer_published_values), or NaN when the paper gives none.");

  m.def(
      "reproduce",
      [](const std::string& stimuli, const std::string& votes, const std::map<std::string, std::string>& predictions,
         const std::string& out, std::uint64_t seed, bool replace, std::uint64_t bootstrap_replicates, unsigned threads,
         disfer::tie_policy ties, disfer::mcnemar_method mcnemar, bool simulate) {
        const char* fn = "reproduce";
        if (stimuli.empty() && (!votes.empty() || !predictions.empty()))
          fail(fn, "votes and predictions need the stimulus manifest they refer to (stimuli=...)");
        py::gil_scoped_release release;
        disfer::reproduction_provenance prov;
        prov.program = "disfer.reproduce (Python)";
        prov.simd_path = disfer::simd_path_name();
        prov.options = {{"seed", std::to_string(seed)}, {"simulate", simulate ? "missing" : "none"}};
        const auto params = disfer::disfer_simulation_parameters();
        disfer::reproduction_input in;
        if (stimuli.empty()) {
          if (!simulate) fail(fn, "without stimuli there is nothing to reproduce but the simulation (simulate=True)");
          in = disfer::simulated_reproduction_input(params, seed);
        } else {
          std::string path = stimuli;
          if (std::filesystem::is_directory(path)) path = (std::filesystem::path(path) / "manifest.csv").string();
          const auto manifest = disfer::read_stimulus_manifest(path);
          prov.inputs.push_back({"manifest", path, disfer::detail::file_sha256(path, fn)});
          in = disfer::input_from_manifest(manifest);
          if (!votes.empty()) {
            disfer::attach_votes(in, manifest, votes);
            prov.inputs.push_back({"votes", votes, disfer::detail::file_sha256(votes, fn)});
          }
          for (const auto& [name, file] : predictions) {
            const auto p = disfer::read_predictions_csv(file);
            disfer::attach_predictions(in, manifest, name, file, p.stimuli, p.labels);
            prov.inputs.push_back({"predictions:" + name, file, disfer::detail::file_sha256(file, fn)});
          }
          // As reproduce_disfer: the simulation fills in missing votes and the paper's models.
          std::vector<std::uint8_t> voted(in.stimuli.size(), 0);
          for (const auto i : in.votes.item) voted[i] = 1;
          const bool lacking = std::find(voted.begin(), voted.end(), 0) != voted.end();
          if (!simulate) {
            if (lacking) disfer::absent_votes(in);
          } else if (in.votes.size() == 0) {
            disfer::simulate_missing(in, params, seed, true, true);
          } else if (lacking) {
            disfer::reproduction_input sim = in;
            sim.votes = {};
            disfer::simulate_missing(sim, params, seed, true, true);
            disfer::fill_votes(in, sim.votes, disfer::data_origin::simulated);
            in.models = sim.models;
          } else {
            try {
              disfer::simulate_missing(in, params, seed, false, true);
            } catch (const disfer::error&) {  // measured votes on a design the simulated models cannot follow
            }
          }
        }
        disfer::reproduction_options ro;
        ro.seed = seed;
        ro.bootstrap_replicates = bootstrap_replicates;
        ro.threads = threads;
        ro.ties = ties;
        ro.mcnemar = mcnemar;
        ro.report_simulated = simulate;
        reproduction r;
        r.result = disfer::compute_reproduction(in, ro);
        r.tables = disfer::reproduction_tables(r.result);
        r.out = out;
        if (!out.empty())
          r.files = disfer::write_reproduction(
              out, r.result, prov, replace ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse);
        return r;
      },
      py::arg("stimuli") = "", py::arg("votes") = "", py::arg("predictions") = std::map<std::string, std::string>{},
      py::arg("out") = "", py::arg("seed") = 2022, py::arg("replace") = false, py::arg("bootstrap_replicates") = 1000,
      py::arg("threads") = 1, py::arg("ties") = "random", py::arg("mcnemar") = "exact", py::arg("simulate") = true,
      "The DisFER reproduction (Leveque et al., Electronics 2022), as reproduce_disfer computes it: every table and\n"
      "figure's numbers from a stimulus manifest (stimuli=, a folder or manifest.csv), its votes (votes=, long form\n"
      "or counts CSV) and models' predictions (predictions={name: csv}); with none of them, the calibrated\n"
      "simulation of the whole study (seed=). With out=, writes the CSV, JSON, HTML and SVG outputs there (a\n"
      "non-empty folder only with replace=True). The GIL is released throughout; same seed, same numbers.");
}

}  // namespace disfer_py
