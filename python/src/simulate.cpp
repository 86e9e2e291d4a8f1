// simulate: bindings of disfer/simulate (the calibrated simulation of a DisFER-like study,
// docs/simulation.md): parameters (read/write), simulate_study, summarize_study and the CSV writers.

#include "common.hpp"
#include "disfer/simulate/csv.hpp"
#include "disfer/simulate/defaults.hpp"
#include "disfer/simulate/study.hpp"
#include "disfer/simulate/summary.hpp"

namespace disfer_py {

namespace {

/// A copy of a vector as a 1-D numpy array of its own element type.
template <class T>
py::array_t<T> array_of(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(T));
  return a;
}

/// Rows of equal length as a 2-D numpy array (rows x cols; 0 columns when there is no row).
template <class T>
py::array_t<T> matrix_of(const std::vector<std::vector<T>>& rows) {
  const std::size_t cols = rows.empty() ? 0 : rows[0].size();
  py::array_t<T> a({static_cast<py::ssize_t>(rows.size()), static_cast<py::ssize_t>(cols)});
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (cols) std::memcpy(a.mutable_data() + r * cols, rows[r].data(), cols * sizeof(T));
  return a;
}

disfer::overwrite_policy policy_of(bool overwrite) {
  return overwrite ? disfer::overwrite_policy::replace : disfer::overwrite_policy::refuse;
}

}  // namespace

void init_simulate(py::module_& m) {
  using namespace disfer;

  // ---- parameters (read/write) ----
  py::class_<study_condition>(m, "StudyCondition", "One experimental condition of a simulated study (study.hpp).")
      .def(py::init([](std::string name, std::size_t family, double severity, double level) {
             return study_condition{std::move(name), family, severity, level};
           }),
           py::arg("name") = "", py::arg("family") = 0, py::arg("severity") = 0.0, py::arg("level") = 0.0)
      .def_readwrite("name", &study_condition::name, "e.g. 'original', 'GB 0.8'")
      .def_readwrite("family", &study_condition::family, "degradation family (0 = none)")
      .def_readwrite("severity", &study_condition::severity, ">= 0; DisFER: 0 original, 1 low, 2 medium, 3 high")
      .def_readwrite("level", &study_condition::level, "the physical level, for the record")
      .def("__repr__", [](const study_condition& c) {
        return "StudyCondition(name='" + c.name + "', family=" + std::to_string(c.family) +
               ", severity=" + disfer::detail::shortest(c.severity) + ", level=" + disfer::detail::shortest(c.level) +
               ")";
      });

  py::class_<study_design>(m, "StudyDesign",
                           "Sizes of a simulated study (study.hpp). List fields are copies: assign a whole list\n"
                           "(d.conditions = [...]) rather than editing an element in place.")
      .def(py::init<>())
      .def_readwrite("k", &study_design::k)
      .def_readwrite("sources_per_class", &study_design::sources_per_class)
      .def_readwrite("conditions", &study_design::conditions)
      .def_readwrite("n_playlists", &study_design::n_playlists, "must divide the number of stimuli")
      .def_readwrite("raters_per_playlist", &study_design::raters_per_playlist)
      .def_readwrite("category_names", &study_design::category_names);

  py::class_<human_parameters>(m, "HumanParameters",
                               "The human side of the simulation (study.hpp, docs/simulation.md).")
      .def(py::init<>())
      .def_readwrite("label_noise", &human_parameters::label_noise)
      .def_readwrite("clarity_mean", &human_parameters::clarity_mean)
      .def_readwrite("clarity_concentration", &human_parameters::clarity_concentration)
      .def_readwrite("confusion", &human_parameters::confusion, "k x k, zero diagonal, rows sum to 1")
      .def_readwrite("third_reading_rate", &human_parameters::third_reading_rate,
                     "probability of a second secondary reading (three emotions)")
      .def_readwrite("ambiguous_rate", &human_parameters::ambiguous_rate, "share of genuinely ambiguous faces")
      .def_readwrite("ambiguous_clarity", &human_parameters::ambiguous_clarity, "their mean clarity")
      .def_readwrite("robustness_exponent", &human_parameters::robustness_exponent,
                     "r in the distortion rate gamma_f severity (1 - c_s)^r")
      .def_readwrite("degraded_share", &human_parameters::degraded_share,
                     "share of a distortion's weight going to degraded_expression")
      .def_readwrite("response_bias", &human_parameters::response_bias)
      .def_readwrite("degraded_expression", &human_parameters::degraded_expression)
      .def_readwrite("degradation", &human_parameters::degradation, "gamma_f per family")
      .def_readwrite("stimulus_concentration", &human_parameters::stimulus_concentration)
      .def_readwrite("lapse_mean", &human_parameters::lapse_mean)
      .def_readwrite("lapse_concentration", &human_parameters::lapse_concentration)
      .def_readwrite("bias_concentration", &human_parameters::bias_concentration);

  py::class_<model_parameters>(m, "ModelParameters", "One simulated classifier (study.hpp, docs/simulation.md).")
      .def(py::init<>())
      .def_readwrite("name", &model_parameters::name)
      .def_readwrite("base_bias", &model_parameters::base_bias)
      .def_readwrite("degradation", &model_parameters::degradation)
      .def_readwrite("bias", &model_parameters::bias)
      .def_readwrite("human_likeness", &model_parameters::human_likeness)
      .def_readwrite("idiosyncrasy_concentration", &model_parameters::idiosyncrasy_concentration)
      .def_readwrite("sharpness", &model_parameters::sharpness)
      .def("__repr__", [](const model_parameters& p) { return "ModelParameters(name='" + p.name + "')"; });

  py::class_<simulation_parameters>(
      m, "SimulationParameters",
      "Everything simulate_study needs (study.hpp). The default is the calibrated DisFER study\n"
      "(disfer_simulation_parameters(), simulate/defaults.hpp). design and humans are returned by\n"
      "reference (p.design.k = 5 edits p); models is a list of copies (assign a whole list).")
      .def(py::init([] { return disfer_simulation_parameters(); }))
      .def_readwrite("design", &simulation_parameters::design)
      .def_readwrite("humans", &simulation_parameters::humans)
      .def_readwrite("models", &simulation_parameters::models)
      .def_readwrite("threads", &simulation_parameters::threads, "0 = all cores; never changes the output");

  m.def("disfer_simulation_parameters", &disfer_simulation_parameters,
        "The calibrated DisFER parameters (simulate/defaults.hpp): 840 stimuli, 1051 raters, models RMN,\n"
        "DeepFace, FT RMN, FT DeepFace.");
  m.def("disfer_study_design", &disfer_study_design,
        "The DisFER design: 7 x 12 sources x 10 conditions, 21 playlists (20 x 50 raters, 1 x 51).");
  m.def("disfer_study_conditions", &disfer_study_conditions,
        "original, GB 0.8/1.1/1.4, GN 10/20/30, SP 0.02/0.04/0.06 (families 1-3, severities 1-3).");

  // ---- simulated study ----
  result_class<simulated_source>(m, "SimulatedSource", "One source of a simulated study.")
      .field("label", &simulated_source::label, "the dataset label")
      .field("perceived", &simulated_source::perceived, "the emotion people see")
      .field("clarity", &simulated_source::clarity, "c_s")
      .field("expression", &simulated_source::expression, "pi_s: k probabilities")
      .done();
  result_class<simulated_stimulus>(m, "SimulatedStimulus", "One stimulus (a source under a condition).")
      .field("source", &simulated_stimulus::source)
      .field("condition", &simulated_stimulus::condition)
      .field("label", &simulated_stimulus::label, "the source's dataset label")
      .field("playlist", &simulated_stimulus::playlist)
      .field("name", &simulated_stimulus::name, "identifier used in the CSV files")
      .done();
  result_class<simulated_study>(m, "SimulatedStudy",
                                "Result of simulate_study (study.hpp): votes in long form, one prediction per\n"
                                "stimulus and model, every stimulus's metadata. Arrays are copies.")
      .field("seed", &simulated_study::seed)
      .field("k", &simulated_study::k)
      .field("category_names", &simulated_study::category_names)
      .field("conditions", &simulated_study::conditions, "list of StudyCondition")
      .field("sources", &simulated_study::sources, "list of SimulatedSource")
      .field("stimuli", &simulated_study::stimuli, "list of SimulatedStimulus, indexed by stimulus id")
      .computed(
          "stimulus_expression",
          [](const simulated_study& s) {
            py::array_t<double> a({static_cast<py::ssize_t>(s.stimuli.size()), static_cast<py::ssize_t>(s.k)});
            if (!s.stimulus_expression.empty())
              std::memcpy(a.mutable_data(), s.stimulus_expression.data(),
                          s.stimulus_expression.size() * sizeof(double));
            return a;
          },
          "n_stimuli x k: the jittered pi_i")
      .computed(
          "rater_playlist", [](const simulated_study& s) { return array_of(s.rater_playlist); },
          "playlist of each rater (uint32)")
      .field("votes", &simulated_study::votes, "VoteTable; item = stimulus id, rater-major order")
      .field("model_names", &simulated_study::model_names)
      .computed(
          "predictions", [](const simulated_study& s) { return matrix_of(s.predictions); },
          "n_models x n_stimuli labels (uint32)")
      .computed(
          "labels", [](const simulated_study& s) { return array_of(s.labels()); },
          "dataset label of each stimulus (uint32)")
      .computed(
          "stimulus_names",
          [](const simulated_study& s) {
            std::vector<std::string> v;
            for (const auto& st : s.stimuli) v.push_back(st.name);
            return v;
          },
          "names of the stimuli, by id")
      .done();

  m.def(
      "simulate_study",
      [](const simulation_parameters& params, std::uint64_t seed) {
        return without_gil([&] { return simulate_study(params, seed); });
      },
      py::arg("parameters") = disfer_simulation_parameters(), py::arg("seed") = 0,
      "Simulates a DisFER-like crowdsourced study vote by vote (study.hpp, docs/simulation.md); the same\n"
      "parameters and seed give the same study on any thread count. The GIL is released.");

  // ---- summary ----
  result_class<simulated_predictor_summary>(m, "SimulatedPredictorSummary",
                                            "Accuracy and confusion matrices of one predictor (summary.hpp).")
      .field("name", &simulated_predictor_summary::name)
      .computed(
          "labels", [](const simulated_predictor_summary& p) { return array_of(p.labels); },
          "predicted label per stimulus (uint32)")
      .field("accuracy", &simulated_predictor_summary::accuracy, "against the dataset labels")
      .field("accuracy_by_condition", &simulated_predictor_summary::accuracy_by_condition)
      .field("accuracy_by_family", &simulated_predictor_summary::accuracy_by_family)
      .field("confusion", &simulated_predictor_summary::confusion, "k x k, rows = dataset label")
      .field("confusion_by_condition", &simulated_predictor_summary::confusion_by_condition)
      .done();
  result_class<participant_accuracy>(m, "ParticipantAccuracy", "Per-participant accuracy (summary.hpp).")
      .field("raters", &participant_accuracy::raters)
      .field("mean", &participant_accuracy::mean)
      .field("sd", &participant_accuracy::sd, "with n - 1")
      .field("se", &participant_accuracy::se, "sd / sqrt(raters)")
      .field("min", &participant_accuracy::min)
      .field("max", &participant_accuracy::max)
      .done();
  result_class<study_summary>(m, "StudySummary", "The paper's aggregates of one study (summary.hpp).")
      .field("predictors", &study_summary::predictors, "[0] = humans (majority vote), then the models")
      .field("counts", &study_summary::counts, "stimuli x k vote counts")
      .field("kappa", &study_summary::kappa, "FleissKappa, pooled margins")
      .field("p_i", &study_summary::p_i, "per-stimulus agreement")
      .field("agreement", &study_summary::agreement, "ItemAgreementSummary")
      .field("high_agreement_by_label", &study_summary::high_agreement_by_label, "P_i > 0.9 by majority label")
      .field("human_metrics", &study_summary::human_metrics, "PrecisionRecall of the majority vote")
      .field("participants", &study_summary::participants, "ParticipantAccuracy")
      .field("majority_ties", &study_summary::majority_ties)
      .field("always_misclassified", &study_summary::always_misclassified, "sources wrong in every condition")
      .field("accuracy_without_always_misclassified", &study_summary::accuracy_without_always_misclassified)
      .field("participant_accuracy_without_always_misclassified",
             &study_summary::participant_accuracy_without_always_misclassified)
      .field("mcnemar_log10_p", &study_summary::mcnemar_log10_p, "[a][b] between predictors")
      .field("offdiag_r_by_condition", &study_summary::offdiag_r_by_condition, "[model][condition]")
      .field("offdiag_r_mean", &study_summary::offdiag_r_mean, "[model]")
      .field("offdiag_r_by_family", &study_summary::offdiag_r_by_family, "[model][family]")
      .done();

  m.def(
      "summarize_study",
      [](const simulated_study& study, tie_policy ties, mcnemar_method mcnemar, bool comparisons) {
        summary_options o;
        o.ties = ties;
        o.mcnemar = mcnemar;
        o.comparisons = comparisons;
        return without_gil([&] { return summarize_study(study, o); });
      },
      py::arg("study"), py::kw_only(), py::arg("ties") = tie_policy::random, py::arg("mcnemar") = mcnemar_method::exact,
      py::arg("comparisons") = true,
      "Majority-vote and model accuracies, Fleiss' kappa, P_i counts, precision/recall, participants,\n"
      "always-misclassified sources, McNemar and off-diagonal error correlations (summary.hpp).");

  // ---- CSV ----
  m.def(
      "write_simulated_votes_csv",
      [](const simulated_study& study, const std::string& path, bool overwrite) {
        without_gil([&] { write_simulated_votes_csv(study, path, policy_of(overwrite)); });
      },
      py::arg("study"), py::arg("path"), py::kw_only(), py::arg("overwrite") = false,
      "Writes stimulus,rater,label (names) via a staged file; refuses an existing file unless overwrite=True.");
  m.def(
      "write_simulated_predictions_csv",
      [](const simulated_study& study, std::size_t model, const std::string& path, bool overwrite) {
        without_gil([&] { write_simulated_predictions_csv(study, model, path, policy_of(overwrite)); });
      },
      py::arg("study"), py::arg("model"), py::arg("path"), py::kw_only(), py::arg("overwrite") = false,
      "Writes model `model`'s stimulus,label via a staged file; refuses an existing file unless overwrite=True.");
  m.def(
      "write_simulated_stimuli_csv",
      [](const simulated_study& study, const std::string& path, bool overwrite) {
        without_gil([&] { write_simulated_stimuli_csv(study, path, policy_of(overwrite)); });
      },
      py::arg("study"), py::arg("path"), py::kw_only(), py::arg("overwrite") = false,
      "Writes the manifest stimulus,source,label,condition,family,severity,level,playlist,perceived via a\n"
      "staged file; refuses an existing file unless overwrite=True.");
}

}  // namespace disfer_py
