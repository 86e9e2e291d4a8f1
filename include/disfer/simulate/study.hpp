#pragma once
/// \file
/// A generative model of a DisFER-like crowdsourced FER study at the level of single votes
/// (docs/simulation.md): sources with a latent expression, stimuli = sources x conditions, playlists
/// rated by crowds of raters with their own skill and response tendencies, and classifiers that
/// degrade with each distortion in their own way. `simulate_study(parameters, seed)` returns votes
/// in long form, one prediction per stimulus and model, and the metadata of every stimulus.
/// Every aggregate the paper reports (majority-vote accuracy, Fleiss' kappa, P_i, per-class
/// precision and recall, the sources misclassified in all versions, McNemar, error correlations)
/// is computed from these outputs, never drawn from a target table.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "disfer/core/emotion.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/crowd/votes.hpp"
#include "disfer/detail/parallel_for.hpp"
#include "disfer/detail/portable_math.hpp"
#include "disfer/simulate/distributions.hpp"

namespace disfer {

/// One experimental condition. `family` indexes the per-family degradation vectors of the humans
/// and of every model; family 0 means "undistorted" and never degrades. In the DisFER design the
/// families are numbered as disfer::distortion_kind (0 none, 1 Gaussian blur, 2 Gaussian noise,
/// 3 salt-and-pepper) and the conditions come in the order of disfer_conditions().
struct study_condition {
  std::string name;        ///< e.g. "original", "GB 0.8" (as disfer::label(distortion))
  std::size_t family = 0;  ///< degradation family (0 = none)
  double severity = 0;     ///< >= 0; DisFER: 0 original, 1 low, 2 medium, 3 high
  double level = 0;        ///< the physical level (sigma, noise SD, SP probability), for the record
};

/// Sizes of a study. Sources: `sources_per_class` per category, source s labelled s / sources_per_class.
/// Stimuli: every source under every condition, stimulus id = source * n_conditions + condition.
/// Playlists: the stimuli are dealt to n_playlists playlists of equal size, balanced over
/// configurations (label x condition); every rater of playlist p rates each of its stimuli once.
struct study_design {
  std::size_t k = 7;  ///< number of categories
  std::size_t sources_per_class = 12;
  std::vector<study_condition> conditions;       ///< at least one
  std::size_t n_playlists = 21;                  ///< must divide the number of stimuli
  std::vector<std::size_t> raters_per_playlist;  ///< one entry per playlist, each >= 1
  std::vector<std::string> category_names;       ///< k names (used by the CSV writers)
};

/// The human side of the model (docs/simulation.md, "Humans"). Vectors have k entries, matrices
/// k x k, degradation one entry per family.
struct human_parameters {
  /// Per dataset label y: probability that a source is mislabelled: the emotion people see, t, is then
  /// drawn from row y of `confusion`. Mislabelled faces are ambiguous ones (see `clarity_mean`).
  std::vector<double> label_noise;
  /// Mean clarity of a clear source whose perceived emotion is t: the weight c_s of its main reading,
  /// c_s ~ Beta(m nu, (1 - m) nu). A mislabelled source draws c_s ~ Beta(m nu, (1 - m) nu + 1), the
  /// Beta tilted by (1 - c): the chance that a labeller picked another reading than the face's main
  /// one is taken proportional to the weight of the other readings.
  std::vector<double> clarity_mean;
  double clarity_concentration = 12.0;  ///< nu
  /// Share rho of genuinely ambiguous faces (an item-level latent class), whose clarity is drawn with
  /// mean `ambiguous_clarity` instead of clarity_mean[t]; a mislabelled source is ambiguous with the
  /// tilted probability rho (1 - m_a) / (rho (1 - m_a) + (1 - rho)(1 - m_t)).
  double ambiguous_rate = 0.30;
  double ambiguous_clarity = 0.35;  ///< m_a in (0, 1)
  /// Row t: which other emotions a face that reads as t is also read as (zero diagonal, rows sum to
  /// 1); the secondary readings of a face are drawn from it without replacement.
  std::vector<std::vector<double>> confusion;
  /// Probability that a face has two secondary readings (a mixture over three emotions) rather than
  /// one; the first takes a share u ~ U(1/2, 1) of the weight 1 - c_s, the second the rest.
  double third_reading_rate = 0.7;
  /// r >= 0: a distortion's rate gamma_f severity is multiplied by (1 - c_s)^r, so subtle cues go
  /// first and clear faces resist (0: every face degrades alike).
  double robustness_exponent = 1.0;
  /// Share of the weight a distortion takes off a face that goes to degraded_expression; the rest
  /// goes to the face's own secondary readings (a blurred sad face reads as its neutral reading).
  double degraded_share = 0.6;
  /// What raters answer when they lapse (the centre of each rater's own bias; sums to 1).
  std::vector<double> response_bias;
  /// What a face reads as once a distortion has wiped its expression out (sums to 1).
  std::vector<double> degraded_expression;
  /// Per family: gamma_f in delta = 1 - exp(-gamma_f severity (1 - c_s)^r), the weight a distortion
  /// takes off the face's expression. Entry 0 is ignored.
  std::vector<double> degradation;
  /// Concentration tau of the per-stimulus jitter: pi_i ~ Dirichlet(tau * pi_(s,c)).
  double stimulus_concentration = 40.0;
  double lapse_mean = 0.07;           ///< mean rater lapse rate g_r ~ Beta
  double lapse_concentration = 30.0;  ///< concentration of that Beta
  double bias_concentration = 20.0;   ///< rater's own bias b_r ~ Dirichlet(conc * response_bias)
};

/// One classifier (docs/simulation.md, "Models"). Its prediction for stimulus (s, c) is one draw
/// from (1 - beta) sharpen(h pi_s + (1 - h) psi_(m,s)) + beta bias, with
/// beta = 1 - (1 - base_bias) exp(-gamma_f severity) and sharpen(v) = v^kappa / sum(v^kappa).
struct model_parameters {
  std::string name;
  double base_bias = 0.3;                   ///< beta on undistorted stimuli, in [0, 1]
  std::vector<double> degradation;          ///< gamma_f per family (entry 0 ignored), each >= 0
  std::vector<double> bias;                 ///< k: where the model's predictions go when it fails (sums to 1)
  double human_likeness = 0.7;              ///< h in [0, 1]: weight of the human percept pi_s
  double idiosyncrasy_concentration = 7.0;  ///< psi_(m,s) ~ Dirichlet(conc * (1/k, ..., 1/k))
  /// kappa >= 0: the model predicts from v^kappa / sum(v^kappa), v = h pi_s + (1 - h) psi_(m,s)
  /// (a classifier is closer to an argmax than to a sample of its view; 0 = uniform).
  double sharpness = 4.0;
};

/// Everything simulate_study needs.
struct simulation_parameters {
  study_design design;
  human_parameters humans;
  std::vector<model_parameters> models;
  unsigned threads = 1;  ///< worker threads (0 = hardware concurrency); never changes the output
};

/// One source of a simulated study.
struct simulated_source {
  std::uint32_t label = 0;         ///< the dataset label (FER-2013's)
  std::uint32_t perceived = 0;     ///< the emotion people see (differs from label with label_noise)
  double clarity = 0;              ///< c_s
  std::vector<double> expression;  ///< pi_s: k probabilities
};

/// One stimulus (a source under a condition).
struct simulated_stimulus {
  std::uint32_t source = 0;
  std::uint32_t condition = 0;
  std::uint32_t label = 0;  ///< the source's dataset label (the ground truth of the study)
  std::uint32_t playlist = 0;
  std::string name;  ///< "src007_GB 0.8"-like identifier used in the CSV files
};

/// The output of simulate_study.
struct simulated_study {
  std::uint64_t seed = 0;
  std::size_t k = 0;
  std::vector<std::string> category_names;
  std::vector<study_condition> conditions;
  std::vector<simulated_source> sources;
  std::vector<simulated_stimulus> stimuli;    ///< indexed by stimulus id
  std::vector<double> stimulus_expression;    ///< n_stimuli x k, row-major: the jittered pi_i
  std::vector<std::uint32_t> rater_playlist;  ///< playlist of each rater
  vote_table votes;                           ///< item = stimulus id; rater-major order
  std::vector<std::string> model_names;
  std::vector<std::vector<std::uint32_t>> predictions;  ///< [model][stimulus] -> label
  /// Dataset labels of the stimuli (the truth vector for confusion matrices).
  std::vector<std::uint32_t> labels() const {
    std::vector<std::uint32_t> y(stimuli.size());
    for (std::size_t i = 0; i < stimuli.size(); ++i) y[i] = stimuli[i].label;
    return y;
  }
};

/// The DisFER conditions: original, GB 0.8/1.1/1.4, GN 10/20/30, SP 0.02/0.04/0.06 (families 1, 2, 3;
/// severities 1, 2, 3), in the order of disfer_conditions().
inline std::vector<study_condition> disfer_study_conditions() {
  return {{"original", 0, 0, 0.0}, {"GB 0.8", 1, 1, 0.8},  {"GB 1.1", 1, 2, 1.1}, {"GB 1.4", 1, 3, 1.4},
          {"GN 10", 2, 1, 10.0},   {"GN 20", 2, 2, 20.0},  {"GN 30", 2, 3, 30.0}, {"SP 0.02", 3, 1, 0.02},
          {"SP 0.04", 3, 2, 0.04}, {"SP 0.06", 3, 3, 0.06}};
}

/// The DisFER design: 7 emotions x 12 sources x 10 conditions = 840 stimuli in 21 playlists of 40,
/// 20 playlists rated by 50 raters and the last by 51 (1051 raters, 42,040 votes).
inline study_design disfer_study_design() {
  study_design d;
  d.k = emotion_count;
  d.sources_per_class = 12;
  d.conditions = disfer_study_conditions();
  d.n_playlists = 21;
  d.raters_per_playlist.assign(21, 50);
  d.raters_per_playlist.back() = 51;
  for (emotion e : fer2013_order) d.category_names.emplace_back(name(e));
  return d;
}

namespace detail {

/// Item tags of the simulation's streams: stream_key{seed, tag << 56 | sub << 40 | index,
/// purpose::simulation}, so every use draws from its own stream.
enum class sim_stream : std::uint64_t {
  source = 1,
  stimulus = 2,
  playlist = 3,
  rater = 4,
  model_source = 5,
  model_stimulus = 6,
  vote_drop = 7  ///< ferplus_histogram: how many of an item's votes are kept
};

inline stream_key sim_key(std::uint64_t seed, sim_stream tag, std::uint64_t sub, std::uint64_t index) {
  return stream_key{seed, (static_cast<std::uint64_t>(tag) << 56) | (sub << 40) | index, purpose::simulation};
}

inline void check_distribution(const char* fn, const char* what, const std::vector<double>& p, std::size_t k,
                               bool zero_ok_diag = false, std::size_t diag = 0) {
  if (p.size() != k) fail(fn, what, " has ", p.size(), " entries; k = ", k);
  double s = 0;
  for (std::size_t j = 0; j < k; ++j) {
    if (!(p[j] >= 0.0) || !std::isfinite(p[j])) fail(fn, what, "[", j, "] = ", p[j], " is not a probability");
    if (zero_ok_diag && j == diag && p[j] != 0.0) fail(fn, what, "[", j, "] must be 0 (the diagonal)");
    s += p[j];
  }
  if (std::fabs(s - 1.0) > 1e-9) fail(fn, what, " sums to ", s, ", not 1");
}

inline void check_unit(const char* fn, const char* what, double v) {
  if (!(v >= 0.0 && v <= 1.0)) fail(fn, what, " = ", v, " must lie in [0, 1]");
}

inline void check_positive(const char* fn, const char* what, double v) {
  if (!(v > 0.0) || !std::isfinite(v)) fail(fn, what, " = ", v, " must be finite and > 0");
}

inline void check_degradation(const char* fn, const char* what, const std::vector<double>& g, std::size_t families) {
  if (g.size() < families) fail(fn, what, " has ", g.size(), " entries but the conditions use ", families, " families");
  for (std::size_t f = 0; f < g.size(); ++f)
    if (!(g[f] >= 0.0) || !std::isfinite(g[f])) fail(fn, what, "[", f, "] = ", g[f], " must be >= 0");
}

/// The checks of simulate_study, with `fn` named in the errors (simulate_missing and
/// simulated_reproduction_input check under their own names before they simulate).
inline void check_parameters(const simulation_parameters& p, const char* fn = "simulate_study") {
  const study_design& d = p.design;
  const std::size_t k = d.k;
  if (k < 2 || k > 255) fail(fn, "k = ", k, "; the simulation supports 2 to 255 categories");
  if (d.sources_per_class == 0) fail(fn, "sources_per_class is 0");
  if (d.conditions.empty()) fail(fn, "the design has no condition");
  std::size_t families = 1;
  for (std::size_t c = 0; c < d.conditions.size(); ++c) {
    const auto& cond = d.conditions[c];
    if (!(cond.severity >= 0.0) || !std::isfinite(cond.severity))
      fail(fn, "condition ", c, " ('", cond.name, "') has severity ", cond.severity, "; it must be finite and >= 0");
    if (cond.family + 1 > families) families = cond.family + 1;
  }
  const std::size_t n_stimuli = k * d.sources_per_class * d.conditions.size();
  if (n_stimuli > (std::size_t{1} << 32) - 1) fail(fn, "the design has ", n_stimuli, " stimuli; at most 2^32 - 1");
  if (d.n_playlists == 0 || n_stimuli % d.n_playlists != 0)
    fail(fn, n_stimuli, " stimuli cannot be split into ", d.n_playlists, " playlists of equal size");
  if (d.raters_per_playlist.size() != d.n_playlists)
    fail(fn, "raters_per_playlist has ", d.raters_per_playlist.size(), " entries for ", d.n_playlists, " playlists");
  for (std::size_t q = 0; q < d.n_playlists; ++q)
    if (d.raters_per_playlist[q] == 0) fail(fn, "playlist ", q, " has no rater");
  if (!d.category_names.empty() && d.category_names.size() != k)
    fail(fn, "category_names has ", d.category_names.size(), " names; k = ", k);
  const human_parameters& h = p.humans;
  if (h.label_noise.size() != k) fail(fn, "humans.label_noise has ", h.label_noise.size(), " entries; k = ", k);
  for (double v : h.label_noise) check_unit(fn, "humans.label_noise", v);
  if (h.clarity_mean.size() != k) fail(fn, "humans.clarity_mean has ", h.clarity_mean.size(), " entries; k = ", k);
  for (std::size_t j = 0; j < k; ++j)
    if (!(h.clarity_mean[j] > 0.0 && h.clarity_mean[j] < 1.0))
      fail(fn, "humans.clarity_mean[", j, "] = ", h.clarity_mean[j], " must lie in (0, 1)");
  check_positive(fn, "humans.clarity_concentration", h.clarity_concentration);
  if (h.confusion.size() != k) fail(fn, "humans.confusion has ", h.confusion.size(), " rows; k = ", k);
  for (std::size_t j = 0; j < k; ++j) check_distribution(fn, "humans.confusion row", h.confusion[j], k, true, j);
  check_unit(fn, "humans.third_reading_rate", h.third_reading_rate);
  check_unit(fn, "humans.ambiguous_rate", h.ambiguous_rate);
  check_unit(fn, "humans.degraded_share", h.degraded_share);
  if (!(h.robustness_exponent >= 0.0) || !std::isfinite(h.robustness_exponent))
    fail(fn, "humans.robustness_exponent = ", h.robustness_exponent, " must be finite and >= 0");
  if (!(h.ambiguous_clarity > 0.0 && h.ambiguous_clarity < 1.0))
    fail(fn, "humans.ambiguous_clarity = ", h.ambiguous_clarity, " must lie in (0, 1)");
  check_distribution(fn, "humans.response_bias", h.response_bias, k);
  check_distribution(fn, "humans.degraded_expression", h.degraded_expression, k);
  check_degradation(fn, "humans.degradation", h.degradation, families);
  check_positive(fn, "humans.stimulus_concentration", h.stimulus_concentration);
  if (!(h.lapse_mean > 0.0 && h.lapse_mean < 1.0))
    fail(fn, "humans.lapse_mean = ", h.lapse_mean, " must lie in (0, 1)");
  check_positive(fn, "humans.lapse_concentration", h.lapse_concentration);
  check_positive(fn, "humans.bias_concentration", h.bias_concentration);
  for (const auto& m : p.models) {
    check_unit(fn, "model base_bias", m.base_bias);
    check_unit(fn, "model human_likeness", m.human_likeness);
    check_degradation(fn, "model degradation", m.degradation, families);
    check_distribution(fn, "model bias", m.bias, k);
    check_positive(fn, "model idiosyncrasy_concentration", m.idiosyncrasy_concentration);
    if (!(m.sharpness >= 0.0) || !std::isfinite(m.sharpness) || m.sharpness > 64.0)
      fail(fn, "model sharpness = ", m.sharpness, " must lie in [0, 64]");
  }
  if (p.models.size() >= (std::size_t{1} << 16)) fail(fn, "at most 65535 models");
}

}  // namespace detail

/// Simulates one study. Generative model (docs/simulation.md):
/// 1. Source s (label y = s / sources_per_class): with probability label_noise[y] it is mislabelled
///    and the emotion people see, t, is drawn from confusion[y]; else t = y. The face is ambiguous
///    with probability ambiguous_rate (tilted if mislabelled); its clarity c_s ~ Beta(m nu, (1 - m)
///    nu) (+ 1 on the second shape if mislabelled), m = ambiguous_clarity if ambiguous, else
///    clarity_mean[t]. Secondary readings j1 and, with probability third_reading_rate, j2 are drawn
///    from confusion[t] without replacement; pi_s = c_s e_t + (1 - c_s)(u e_j1 + (1 - u) e_j2), u = 1
///    with one secondary reading, else u ~ U(1/2, 1).
/// 2. Stimulus (s, c): delta = 1 - exp(-gamma_f severity (1 - c_s)^r); pi_i ~ Dirichlet(tau ((1 -
///    delta) pi_s + delta (w degraded_expression + (1 - w) sigma_s))), w = degraded_share, sigma_s
///    the face's secondary readings (pi_s without its main reading, renormalised).
/// 3. Playlists: stimuli ordered by (label, condition) with the sources shuffled within each
///    configuration, then dealt in turn to the playlists.
/// 4. Rater r: lapse g_r ~ Beta, bias b_r ~ Dirichlet; each vote is drawn from
///    (1 - g_r) pi_i + g_r b_r.
/// 5. Model m, stimulus (s, c): one draw from (1 - beta) sharpen(h pi_s + (1 - h) psi_(m,s)) + beta bias_m.
/// Randomness: Philox streams stream_key{seed, tag/sub/index, purpose::simulation}, one per source,
/// stimulus, rater, (model, source) and (model, stimulus), and the variates of
/// simulate/distributions.hpp (portable, bit-identical across platforms). The result depends
/// only on (parameters, seed): not on `threads`.
/// Complexity O(votes k + stimuli k (models + 1)); the DisFER design (42,040 votes) takes a few
/// milliseconds. Throws disfer::error (named `simulate_study`) for inconsistent parameters:
/// vector sizes not k, probabilities outside [0, 1] or not summing to 1, a confusion row with a
/// non-zero diagonal, stimuli not divisible into the playlists, a playlist without raters.
inline simulated_study simulate_study(const simulation_parameters& params, std::uint64_t seed) {
  detail::check_parameters(params);
  const study_design& d = params.design;
  const human_parameters& h = params.humans;
  const std::size_t k = d.k;
  const std::size_t n_cond = d.conditions.size();
  const std::size_t n_sources = k * d.sources_per_class;
  const std::size_t n_stimuli = n_sources * n_cond;
  const std::size_t n_models = params.models.size();
  using detail::sim_key;
  using detail::sim_stream;

  simulated_study out;
  out.seed = seed;
  out.k = k;
  out.conditions = d.conditions;
  if (d.category_names.empty()) {
    for (std::size_t j = 0; j < k; ++j) out.category_names.push_back(detail::concat(j));
  } else {
    out.category_names = d.category_names;
  }

  // 1. Sources.
  out.sources.resize(n_sources);
  detail::parallel_for(n_sources, params.threads, [&](std::size_t s) {
    random_cursor rng(sim_key(seed, sim_stream::source, 0, s));
    simulated_source& src = out.sources[s];
    src.label = static_cast<std::uint32_t>(s / d.sources_per_class);
    src.perceived = src.label;
    const bool mislabelled = rng.next_bernoulli(h.label_noise[src.label]);
    if (mislabelled) src.perceived = detail::categorical_variate(rng, h.confusion[src.label].data(), k);
    const double mt = h.clarity_mean[src.perceived], ma = h.ambiguous_clarity, rho = h.ambiguous_rate;
    const double p_ambiguous = mislabelled ? rho * (1.0 - ma) / (rho * (1.0 - ma) + (1.0 - rho) * (1.0 - mt)) : rho;
    const double m = rng.next_bernoulli(p_ambiguous) ? ma : mt, nu = h.clarity_concentration;
    src.clarity = detail::beta_variate(rng, m * nu, (1.0 - m) * nu + (mislabelled ? 1.0 : 0.0));
    const std::vector<double>& row = h.confusion[src.perceived];
    const std::uint32_t first = detail::categorical_variate(rng, row.data(), k);
    src.expression.assign(k, 0.0);
    src.expression[src.perceived] = src.clarity;
    double u = 1.0;
    if (rng.next_bernoulli(h.third_reading_rate) && row[first] < 1.0) {
      std::vector<double> rest(row);  // confusion[t] without the first secondary reading
      rest[first] = 0.0;
      const double left = 1.0 - row[first];
      for (double& v : rest) v /= left;
      u = 0.5 + 0.5 * rng.next_unit();
      src.expression[detail::categorical_variate(rng, rest.data(), k)] += (1.0 - src.clarity) * (1.0 - u);
    }
    src.expression[first] += (1.0 - src.clarity) * u;
  });

  // 2. Stimuli: metadata and jittered percept.
  out.stimuli.resize(n_stimuli);
  out.stimulus_expression.assign(n_stimuli * k, 0.0);
  detail::parallel_for(n_stimuli, params.threads, [&](std::size_t i) {
    const std::size_t s = i / n_cond, c = i % n_cond;
    const study_condition& cond = d.conditions[c];
    simulated_stimulus& st = out.stimuli[i];
    st.source = static_cast<std::uint32_t>(s);
    st.condition = static_cast<std::uint32_t>(c);
    st.label = out.sources[s].label;
    char id[24];
    std::snprintf(id, sizeof id, "src%03zu_", s);
    st.name = std::string(id) + (cond.name.empty() ? detail::concat("c", c) : cond.name);
    // A distortion wipes out the subtle cues first: its rate gamma_f severity is scaled by the
    // face's ambiguity 1 - c_s raised to robustness_exponent (0: every face alike).
    const double ambiguity = 1.0 - out.sources[s].clarity;
    const double ambiguity_scale = h.robustness_exponent == 0.0 ? 1.0
                                   : ambiguity > 0.0
                                       ? detail::portable::exp(h.robustness_exponent * detail::portable::log(ambiguity))
                                       : 0.0;
    const double delta =
        cond.family == 0 ? 0.0
                         : 1.0 - detail::portable::exp(-h.degradation[cond.family] * cond.severity * ambiguity_scale);
    // The weight delta leaves the main reading: a share degraded_share to degraded_expression, the
    // rest to the face's own secondary readings (a blurred sad face reads as its neutral reading).
    const simulated_source& src = out.sources[s];
    const double own = src.clarity < 1.0 ? (1.0 - h.degraded_share) : 0.0;
    std::vector<double> alpha(k);
    for (std::size_t j = 0; j < k; ++j) {
      const double secondary = j == src.perceived || own == 0.0 ? 0.0 : src.expression[j] / (1.0 - src.clarity);
      alpha[j] = h.stimulus_concentration * ((1.0 - delta) * src.expression[j] +
                                             delta * ((1.0 - own) * h.degraded_expression[j] + own * secondary));
    }
    random_cursor rng(sim_key(seed, sim_stream::stimulus, 0, i));
    const std::vector<double> pi = detail::dirichlet_variate(rng, alpha);
    for (std::size_t j = 0; j < k; ++j) out.stimulus_expression[i * k + j] = pi[j];
  });

  // 3. Playlists: configuration-major order, sources shuffled within a configuration, dealt in turn.
  const std::size_t playlist_size = n_stimuli / d.n_playlists;
  std::vector<std::vector<std::uint32_t>> playlists(d.n_playlists);
  {
    std::vector<std::uint32_t> order;
    order.reserve(n_stimuli);
    random_cursor rng(sim_key(seed, sim_stream::playlist, 0, 0));
    std::vector<std::uint32_t> block(d.sources_per_class);
    for (std::size_t y = 0; y < k; ++y)
      for (std::size_t c = 0; c < n_cond; ++c) {
        for (std::size_t t = 0; t < d.sources_per_class; ++t)
          block[t] = static_cast<std::uint32_t>((y * d.sources_per_class + t) * n_cond + c);
        for (std::size_t t = block.size(); t > 1; --t) std::swap(block[t - 1], block[rng.next_below(t)]);
        order.insert(order.end(), block.begin(), block.end());
      }
    for (std::size_t j = 0; j < n_stimuli; ++j) {
      const std::size_t q = j % d.n_playlists;
      playlists[q].push_back(order[j]);
      out.stimuli[order[j]].playlist = static_cast<std::uint32_t>(q);
    }
  }

  // 4. Raters and votes (rater-major; each rater's votes in its playlist's order).
  std::vector<std::size_t> first_rater(d.n_playlists + 1, 0);
  for (std::size_t q = 0; q < d.n_playlists; ++q) first_rater[q + 1] = first_rater[q] + d.raters_per_playlist[q];
  const std::size_t n_raters = first_rater.back();
  out.rater_playlist.resize(n_raters);
  for (std::size_t q = 0; q < d.n_playlists; ++q)
    for (std::size_t r = first_rater[q]; r < first_rater[q + 1]; ++r)
      out.rater_playlist[r] = static_cast<std::uint32_t>(q);
  const std::size_t n_votes = n_raters * playlist_size;
  out.votes.item.resize(n_votes);
  out.votes.rater.resize(n_votes);
  out.votes.label.resize(n_votes);
  out.votes.n_items = n_stimuli;
  out.votes.n_raters = n_raters;
  out.votes.category_names = out.category_names;
  const double lapse_a = h.lapse_mean * h.lapse_concentration, lapse_b = (1.0 - h.lapse_mean) * h.lapse_concentration;
  detail::parallel_for(n_raters, params.threads, [&](std::size_t r) {
    random_cursor rng(sim_key(seed, sim_stream::rater, 0, r));
    const double g = detail::beta_variate(rng, lapse_a, lapse_b);
    std::vector<double> alpha(k);
    for (std::size_t j = 0; j < k; ++j) alpha[j] = h.bias_concentration * h.response_bias[j];
    const std::vector<double> bias = detail::dirichlet_variate(rng, alpha);
    const auto& list = playlists[out.rater_playlist[r]];
    std::size_t v = r * playlist_size;
    for (const std::uint32_t i : list) {
      const bool lapse = rng.next_bernoulli(g);
      const double* p = lapse ? bias.data() : &out.stimulus_expression[std::size_t{i} * k];
      out.votes.item[v] = i;
      out.votes.rater[v] = static_cast<std::uint32_t>(r);
      out.votes.label[v] = detail::categorical_variate(rng, p, k);
      ++v;
    }
  });
  out.votes.item_names.resize(n_stimuli);
  for (std::size_t i = 0; i < n_stimuli; ++i) out.votes.item_names[i] = out.stimuli[i].name;
  out.votes.rater_names.resize(n_raters);
  for (std::size_t r = 0; r < n_raters; ++r) {
    char id[24];
    std::snprintf(id, sizeof id, "r%04zu", r);
    out.votes.rater_names[r] = id;
  }

  // 5. Models.
  out.model_names.resize(n_models);
  out.predictions.assign(n_models, std::vector<std::uint32_t>(n_stimuli, 0));
  for (std::size_t m = 0; m < n_models; ++m) {
    const model_parameters& mp = params.models[m];
    out.model_names[m] = mp.name.empty() ? detail::concat("model ", m) : mp.name;
    std::vector<double> view(n_sources * k);  // h pi_s + (1 - h) psi_(m,s)
    detail::parallel_for(n_sources, params.threads, [&](std::size_t s) {
      random_cursor rng(sim_key(seed, sim_stream::model_source, m, s));
      const std::vector<double> psi = detail::dirichlet_variate(
          rng, std::vector<double>(k, mp.idiosyncrasy_concentration / static_cast<double>(k)));
      double total = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const double v = mp.human_likeness * out.sources[s].expression[j] + (1.0 - mp.human_likeness) * psi[j];
        view[s * k + j] = v > 0.0 ? detail::portable::exp(mp.sharpness * detail::portable::log(v)) : 0.0;
        total += view[s * k + j];
      }
      for (std::size_t j = 0; j < k; ++j)
        view[s * k + j] = total > 0.0 ? view[s * k + j] / total : 1.0 / static_cast<double>(k);
    });
    detail::parallel_for(n_stimuli, params.threads, [&](std::size_t i) {
      const std::size_t s = i / n_cond;
      const study_condition& cond = d.conditions[i % n_cond];
      const double keep =
          (1.0 - mp.base_bias) *
          (cond.family == 0 ? 1.0 : detail::portable::exp(-mp.degradation[cond.family] * cond.severity));
      std::vector<double> p(k);
      for (std::size_t j = 0; j < k; ++j) p[j] = keep * view[s * k + j] + (1.0 - keep) * mp.bias[j];
      random_cursor rng(sim_key(seed, sim_stream::model_stimulus, m, i));
      out.predictions[m][i] = detail::categorical_variate(rng, p.data(), k);
    });
  }
  return out;
}

}  // namespace disfer
