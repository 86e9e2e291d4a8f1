#pragma once
/// \file
/// CSV writers for a simulated study: votes in long form (stimulus,rater,label: what
/// read_votes_csv reads), one prediction file per model (stimulus,label), and the stimulus
/// manifest (stimulus,source,label,condition,family,severity,level,playlist). Every writer stages
/// its file and renames it into place when complete (io/staged_file.hpp), and refuses to replace an
/// existing file unless asked.

#include <cstddef>
#include <string>

#include "disfer/core/error.hpp"
#include "disfer/io/csv.hpp"
#include "disfer/io/staged_file.hpp"
#include "disfer/simulate/study.hpp"

namespace disfer {

/// Writes the votes as `stimulus,rater,label` with stimulus and rater names and label names.
/// O(votes). Throws disfer::error (named `write_simulated_votes_csv`) for a study without votes,
/// when the file exists under overwrite_policy::refuse, or when it cannot be written.
inline void write_simulated_votes_csv(const simulated_study& study, const std::string& path,
                                      overwrite_policy policy = overwrite_policy::refuse) {
  if (study.votes.size() == 0) detail::fail("write_simulated_votes_csv", "the study has no votes");
  staged_file file(path, policy, "write_simulated_votes_csv");
  auto& out = file.stream();
  write_csv_row(out, {"stimulus", "rater", "label"});
  for (std::size_t v = 0; v < study.votes.size(); ++v) {
    // A hand-built study may index past its tables: refuse rather than read out of bounds.
    if (study.votes.item[v] >= study.stimuli.size() || study.votes.rater[v] >= study.votes.rater_names.size() ||
        study.votes.label[v] >= study.category_names.size())
      detail::fail("write_simulated_votes_csv", "vote ", v + 1, " names stimulus ", study.votes.item[v], ", rater ",
                   study.votes.rater[v], " or label ", study.votes.label[v], " outside the study's ",
                   study.stimuli.size(), " stimuli, ", study.votes.rater_names.size(), " raters, ",
                   study.category_names.size(), " categories");
    write_csv_row(out, {study.stimuli[study.votes.item[v]].name, study.votes.rater_names[study.votes.rater[v]],
                        study.category_names[study.votes.label[v]]});
  }
  file.commit();
}

/// Writes model `model`'s predictions as `stimulus,label`. Throws disfer::error (named
/// `write_simulated_predictions_csv`) for a model index out of range, a prediction count other than
/// the stimulus count or a label outside the categories, and as staged_file.
inline void write_simulated_predictions_csv(const simulated_study& study, std::size_t model, const std::string& path,
                                            overwrite_policy policy = overwrite_policy::refuse) {
  constexpr const char* fn = "write_simulated_predictions_csv";
  if (model >= study.predictions.size())
    detail::fail(fn, "model ", model, " does not exist (", study.predictions.size(), " models)");
  if (study.predictions[model].size() != study.stimuli.size())
    detail::fail(fn, "model ", model, " has ", study.predictions[model].size(), " predictions for ",
                 study.stimuli.size(), " stimuli");
  for (std::size_t i = 0; i < study.stimuli.size(); ++i)
    if (study.predictions[model][i] >= study.category_names.size())
      detail::fail(fn, "model ", model, " predicts label ", study.predictions[model][i], " for stimulus ",
                   study.stimuli[i].name, "; the study has ", study.category_names.size(), " categories");
  staged_file file(path, policy, fn);
  auto& out = file.stream();
  write_csv_row(out, {"stimulus", "label"});
  for (std::size_t i = 0; i < study.stimuli.size(); ++i)
    write_csv_row(out, {study.stimuli[i].name, study.category_names[study.predictions[model][i]]});
  file.commit();
}

/// Writes the stimulus manifest: stimulus, source, label (name), condition (name), family,
/// severity, level, playlist, perceived (the source's latent emotion, name). Throws disfer::error
/// (named `write_simulated_stimuli_csv`) for a study without stimuli, and as staged_file.
inline void write_simulated_stimuli_csv(const simulated_study& study, const std::string& path,
                                        overwrite_policy policy = overwrite_policy::refuse) {
  if (study.stimuli.empty()) detail::fail("write_simulated_stimuli_csv", "the study has no stimuli");
  staged_file file(path, policy, "write_simulated_stimuli_csv");
  auto& out = file.stream();
  write_csv_row(out,
                {"stimulus", "source", "label", "condition", "family", "severity", "level", "playlist", "perceived"});
  for (const auto& st : study.stimuli) {
    if (st.condition >= study.conditions.size() || st.source >= study.sources.size() ||
        st.label >= study.category_names.size() || study.sources[st.source].perceived >= study.category_names.size())
      detail::fail("write_simulated_stimuli_csv", "stimulus ", st.name,
                   " names a condition, source or label outside the study's tables");
    const study_condition& c = study.conditions[st.condition];
    write_csv_row(out, {st.name, detail::concat(st.source), study.category_names[st.label], c.name,
                        detail::concat(c.family), detail::concat(c.severity), detail::concat(c.level),
                        detail::concat(st.playlist), study.category_names[study.sources[st.source].perceived]});
  }
  file.commit();
}

}  // namespace disfer
