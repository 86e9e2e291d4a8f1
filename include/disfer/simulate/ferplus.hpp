#pragma once
/// \file
/// What the simulation takes from FER+'s real votes, and the check that it reproduces them
/// (docs/simulation.md, "What the model takes from FER+"). FER+ (Barsoum et al., ICMI 2016) gave
/// every FER-2013 face 10 crowd votes; the constants below are aggregates of those votes on a
/// 954-face PublicTest sample, the committed output of tests/simulate/reference/ferplus_shape.py
/// (tests/simulate/reference/ferplus_shape.txt; the votes themselves are not redistributed).
/// Category order: FER-2013's (angry, disgust, fear, happy, sad, surprise, neutral).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "disfer/agreement/item_agreement.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/simulate/distributions.hpp"
#include "disfer/simulate/study.hpp"

namespace disfer {

/// FER+'s aggregates on the sample (ferplus_shape.txt).
struct ferplus_sample_facts {
  /// Share of items with P_i in [0, 0.1), ..., [0.8, 0.9), [0.9, 1] (7 emotions, the votes for
  /// contempt, unknown and not-a-face dropped).
  std::array<double, 10> histogram{{0.0031, 0.0220, 0.0639, 0.1059, 0.1342, 0.0860, 0.1195, 0.0681, 0.1237, 0.2736}};
  double mean_p_i = 0.6645;
  /// Items per FER-2013 label.
  std::array<std::size_t, 7> label_counts{{149, 55, 150, 150, 150, 150, 150}};
  /// Items keeping 10, 9, ..., 2 of their 10 votes once those three categories are dropped.
  std::array<std::size_t, 9> kept_votes{{592, 224, 75, 34, 17, 5, 3, 1, 3}};
};

/// The P_i histogram of clean faces rated as in FER+, under the simulation's human model.
struct clean_face_histogram {
  std::array<double, 10> histogram{};  ///< shares, as ferplus_sample_facts::histogram
  double mean_p_i = 0;
};

namespace detail {
inline std::size_t p_i_bin(double p) {
  return std::min<std::size_t>(9, static_cast<std::size_t>(std::floor(p * 10.0 + 1e-9)));
}
}  // namespace detail

/// Simulates the faces of FER+'s sample under the human model of `p` (its `humans`; its design
/// and models are ignored): `sources_per_class` undistorted sources per label, each rated by 10
/// raters (playlists of 10 stimuli), then each item keeps only the first n_i of its votes, n_i drawn
/// from FER+'s kept-votes distribution (stream sim_key{seed, 7, 0, item}), as FER+'s items lose
/// their votes for contempt, unknown and not-a-face. Returns the P_i histogram with the labels
/// weighted as in FER+'s sample, and the weighted mean P_i. Same bytes for every `threads`.
/// Throws disfer::error (named `ferplus_histogram`) unless k = 7 and sources_per_class is a
/// positive multiple of 10, and for the errors of simulate_study.
inline clean_face_histogram ferplus_histogram(const simulation_parameters& p, std::uint64_t seed,
                                              std::size_t sources_per_class = 150,
                                              const ferplus_sample_facts& facts = ferplus_sample_facts{}) {
  constexpr const char* fn = "ferplus_histogram";
  if (p.design.k != 7) detail::fail(fn, "k = ", p.design.k, "; FER+'s sample has the 7 FER-2013 emotions");
  if (sources_per_class == 0 || sources_per_class % 10 != 0)
    detail::fail(fn, "sources_per_class = ", sources_per_class, " must be a positive multiple of 10");
  simulation_parameters q;
  q.humans = p.humans;
  q.threads = p.threads;
  q.design = p.design;
  q.design.conditions = {study_condition{"original", 0, 0.0, 0.0}};
  q.design.sources_per_class = sources_per_class;
  q.design.n_playlists = 7 * sources_per_class / 10;
  q.design.raters_per_playlist.assign(q.design.n_playlists, 10);
  const simulated_study st = simulate_study(q, seed);
  const std::size_t n = st.stimuli.size();
  std::size_t total_items = 0;
  for (std::size_t c : facts.kept_votes) total_items += c;
  std::vector<std::size_t> keep(n), seen(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    random_cursor rng(detail::sim_key(seed, detail::sim_stream::vote_drop, 0, i));
    std::size_t r = rng.next_below(total_items), t = 0;
    while (r >= facts.kept_votes[t]) r -= facts.kept_votes[t++];
    keep[i] = 10 - t;
  }
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 7> counts =
      Eigen::Matrix<std::int64_t, Eigen::Dynamic, 7>::Zero(static_cast<Eigen::Index>(n), 7);
  for (std::size_t v = 0; v < st.votes.item.size(); ++v) {
    const std::size_t i = st.votes.item[v];
    if (seen[i]++ < keep[i]) ++counts(static_cast<Eigen::Index>(i), st.votes.label[v]);
  }
  const Eigen::VectorXd p_i = item_agreement(counts);  // every item keeps >= 2 votes
  double label_total = 0;
  for (std::size_t c : facts.label_counts) label_total += static_cast<double>(c);
  clean_face_histogram out;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = static_cast<double>(facts.label_counts[st.stimuli[i].label]) / label_total /
                     static_cast<double>(sources_per_class);
    out.histogram[detail::p_i_bin(p_i[static_cast<Eigen::Index>(i)])] += w;
    out.mean_p_i += w * p_i[static_cast<Eigen::Index>(i)];
  }
  return out;
}

/// Total variation distance between two histograms of shares: half the sum of |a_b - b_b|.
inline double total_variation(const std::array<double, 10>& a, const std::array<double, 10>& b) {
  double d = 0;
  for (std::size_t j = 0; j < 10; ++j) d += std::fabs(a[j] - b[j]);
  return d / 2.0;
}

}  // namespace disfer
