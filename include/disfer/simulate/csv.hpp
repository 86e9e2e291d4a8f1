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
/// O(votes). Throws disfer::error (named `write_simulated_votes_csv`) when the file exists under
/// overwrite_policy::refuse or cannot be written.
inline void write_simulated_votes_csv(const simulated_study& study, const std::string& path,
                                      overwrite_policy policy = overwrite_policy::refuse) {
  staged_file file(path, policy, "write_simulated_votes_csv");
  auto& out = file.stream();
  write_csv_row(out, {"stimulus", "rater", "label"});
  for (std::size_t v = 0; v < study.votes.size(); ++v)
    write_csv_row(out, {study.stimuli[study.votes.item[v]].name, study.votes.rater_names[study.votes.rater[v]],
                        study.category_names[study.votes.label[v]]});
  file.commit();
}

/// Writes model `model`'s predictions as `stimulus,label`. Throws disfer::error (named
/// `write_simulated_predictions_csv`) for a model index out of range, and as staged_file.
inline void write_simulated_predictions_csv(const simulated_study& study, std::size_t model, const std::string& path,
                                            overwrite_policy policy = overwrite_policy::refuse) {
  constexpr const char* fn = "write_simulated_predictions_csv";
  if (model >= study.predictions.size())
    detail::fail(fn, "model ", model, " does not exist (", study.predictions.size(), " models)");
  staged_file file(path, policy, fn);
  auto& out = file.stream();
  write_csv_row(out, {"stimulus", "label"});
  for (std::size_t i = 0; i < study.stimuli.size(); ++i)
    write_csv_row(out, {study.stimuli[i].name, study.category_names[study.predictions[model][i]]});
  file.commit();
}

/// Writes the stimulus manifest: stimulus, source, label (name), condition (name), family,
/// severity, level, playlist, perceived (the source's latent emotion, name). Throws as staged_file
/// (named `write_simulated_stimuli_csv`).
inline void write_simulated_stimuli_csv(const simulated_study& study, const std::string& path,
                                        overwrite_policy policy = overwrite_policy::refuse) {
  staged_file file(path, policy, "write_simulated_stimuli_csv");
  auto& out = file.stream();
  write_csv_row(out,
                {"stimulus", "source", "label", "condition", "family", "severity", "level", "playlist", "perceived"});
  for (const auto& st : study.stimuli) {
    const study_condition& c = study.conditions[st.condition];
    write_csv_row(out, {st.name, detail::concat(st.source), study.category_names[st.label], c.name,
                        detail::concat(c.family), detail::concat(c.severity), detail::concat(c.level),
                        detail::concat(st.playlist), study.category_names[study.sources[st.source].perceived]});
  }
  file.commit();
}

}  // namespace disfer
