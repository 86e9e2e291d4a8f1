#pragma once
/// \file
/// The per-condition analysis engine behind Figures 2-5 of Leveque et al. (2022): for every condition,
/// every distortion type and overall, the accuracy (Wilson interval), confusion matrix and
/// precision/recall of each named prediction set; McNemar's test for every pair with adjusted
/// p-values and Durkalski's clustered McNemar; the error correlation of every set with a reference
/// (the humans); and a seeded cluster bootstrap over sources for accuracy differences, so that the
/// dependence between the versions of one face is respected.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "disfer/compare/error_correlation.hpp"
#include "disfer/core/error.hpp"
#include "disfer/core/random.hpp"
#include "disfer/detail/parallel_for.hpp"
#include "disfer/hypothesis/mcnemar.hpp"
#include "disfer/hypothesis/p_adjust.hpp"
#include "disfer/hypothesis/tails.hpp"
#include "disfer/metrics/confusion_matrix.hpp"
#include "disfer/metrics/precision_recall.hpp"

namespace disfer {

/// One named set of predictions, one label per stimulus (e.g. the humans' majority vote, a model).
struct prediction_set {
  std::string name;
  std::vector<std::int64_t> labels;
};

/// Input of analyze_per_condition(): parallel vectors, one entry per stimulus.
struct per_condition_input {
  std::size_t k = 0;                         ///< number of categories (labels in [0, k))
  std::vector<std::int64_t> truth;           ///< ground-truth label per stimulus
  std::vector<std::string> condition;        ///< condition per stimulus, e.g. "GB 0.8" or "original"
  std::vector<std::string> distortion_type;  ///< type per stimulus, e.g. "GB"; empty: no type level
  std::vector<std::string> source;           ///< source (cluster) per stimulus, e.g. the FER-2013 face id
  std::vector<prediction_set> predictions;   ///< at least one set
};

/// Options of analyze_per_condition().
struct per_condition_options {
  double level = 0.95;  ///< for every interval
  zero_division zero_division_rule = zero_division::zero;
  mcnemar_method test = mcnemar_method::exact;  ///< McNemar variant for the pairs
  mcnemar_options test_options{};
  p_adjustment adjustment = p_adjustment::holm;  ///< family: the pairs of one subset
  std::string reference;                         ///< set to correlate the others with; "" = none
  normalization correlation_normalization = normalization::none;
  std::uint64_t bootstrap_replicates = 2000;  ///< 0 = no bootstrap
  std::uint64_t seed = 0;                     ///< bootstrap seed
  unsigned threads = 1;                       ///< 0 = std::thread::hardware_concurrency()
  /// Pairs (a, b) for the bootstrap of accuracy(a) - accuracy(b); empty = every pair i < j in input order.
  std::vector<std::pair<std::string, std::string>> bootstrap_pairs;
};

/// Which grouping a subset belongs to.
enum class subset_level { overall, distortion_type, condition };

/// Metrics of one prediction set on one subset.
struct predictor_summary {
  std::string name;
  proportion_interval accuracy;     ///< Wilson interval (stimuli treated as independent)
  confusion_counts confusion;       ///< rows truth, columns prediction
  precision_recall_result metrics;  ///< per class and averaged
};

/// Durkalski et al. (2003) clustered McNemar test: chi^2 = (sum_s d_s)^2 / sum_s d_s^2 on 1 df,
/// d_s = b_s - c_s the discordance within source s.
struct clustered_mcnemar_result {
  double statistic = 0;
  double p_value = 1;
  double log10_p_value = 0;
  std::int64_t clusters = 0;  ///< sources in the subset
};

/// McNemar's test of one pair of prediction sets on one subset.
struct pair_test {
  std::string a, b;
  mcnemar_result test;    ///< b = a right and b wrong; stimuli treated as independent
  double p_adjusted = 1;  ///< within the subset's family of pairs (options.adjustment)
  double log10_p_adjusted = 0;
  odds_ratio_result odds_ratio;        ///< discordant odds ratio with exact interval
  clustered_mcnemar_result clustered;  ///< respects the sources
};

/// Error correlation of one prediction set with the reference on one subset.
struct reference_correlation {
  std::string predictor;
  std::string reference;
  correlation_result correlation;  ///< off_diagonal_correlation(cm_reference, cm_predictor, ...)
};

/// Cluster-bootstrap interval of accuracy(a) - accuracy(b) on one subset.
struct bootstrap_difference {
  std::string a, b;
  double difference = 0;  ///< observed accuracy(a) - accuracy(b)
  double ci_low = 0;      ///< percentile interval (R quantile type 7) of the replicates
  double ci_high = 0;
  double standard_error = 0;     ///< standard deviation (n - 1) of the replicates
  std::uint64_t replicates = 0;  ///< replicates used (those drawing at least one stimulus of the subset)
};

/// Everything computed on one subset (overall, one distortion type, or one condition).
struct subset_result {
  subset_level level = subset_level::overall;
  std::string name;  ///< "overall", the type or the condition
  std::int64_t n_stimuli = 0;
  std::int64_t n_sources = 0;
  std::vector<predictor_summary> predictors;        ///< in input order
  std::vector<pair_test> pairs;                     ///< (i, j), i < j, in input order
  std::vector<reference_correlation> correlations;  ///< every set but the reference, in input order
  std::vector<bootstrap_difference> bootstrap;      ///< one per bootstrap pair
};

/// Result of analyze_per_condition().
struct per_condition_result {
  /// Overall first, then the distortion types, then the conditions, each in order of first appearance.
  std::vector<subset_result> subsets;
  std::uint64_t seed = 0;
  std::uint64_t bootstrap_replicates = 0;
  std::uint32_t random_stream_version = disfer::random_stream_version;

  /// The subset of the given level and name; throws disfer::error when absent.
  const subset_result& find(subset_level level, const std::string& name) const {
    for (const auto& s : subsets)
      if (s.level == level && s.name == name) return s;
    detail::fail("per_condition_result::find", "no subset named \"", name, "\" at that level");
  }
};

namespace detail {

inline clustered_mcnemar_result clustered_mcnemar(const std::vector<std::int64_t>& discordance) {
  clustered_mcnemar_result r;
  r.clusters = static_cast<std::int64_t>(discordance.size());
  double sum = 0, sum_sq = 0;
  for (const auto d : discordance) {
    sum += static_cast<double>(d);
    sum_sq += static_cast<double>(d) * static_cast<double>(d);
  }
  if (sum_sq == 0) {
    r.statistic = r.p_value = r.log10_p_value = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.statistic = sum * sum / sum_sq;
  const auto t = chi_square_upper_tail(r.statistic, 1.0);
  r.p_value = t.p;
  r.log10_p_value = t.log10_p;
  return r;
}

// R's quantile type 7 of sorted values.
inline double quantile_type7(const std::vector<double>& sorted, double prob) {
  const double h = (static_cast<double>(sorted.size()) - 1) * prob;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace detail

/// Runs the per-condition analysis (see the file comment and docs/compare.md).
///
/// Subsets: "overall" (every stimulus), each distortion type (when given) and each condition.
/// Per subset and prediction set: accuracy with Wilson interval, confusion matrix, precision/recall.
/// Per subset and pair (i < j): mcnemar(truth, set_i, set_j, options.test) (b = set_i right and set_j
/// wrong), p adjusted over the subset's pairs (options.adjustment; also on log10 p), the discordant
/// odds ratio with its exact interval, and Durkalski's clustered McNemar over the sources.
/// Per subset and set other than options.reference (if given): off_diagonal_correlation(cm_reference,
/// cm_set, options.correlation_normalization, options.level).
///
/// Cluster bootstrap (options.bootstrap_replicates = B > 0): the S distinct sources are sorted
/// (std::string order) and numbered 0..S-1. Replicate r in [0, B) draws S source numbers with
/// replacement, as random_cursor(stream_key{seed, r, purpose::bootstrap}).next_below(S), S times in
/// a row; each drawn source brings all its stimuli. One draw serves every subset and pair, so the
/// replicates of different conditions are jointly resampled. For a subset and pair (a, b) the
/// replicate value is sum_s w_s (correct_a,s - correct_b,s) / sum_s w_s n_s (w_s = times drawn,
/// n_s = the source's stimuli in the subset); replicates with no stimulus in the subset are skipped.
/// Interval: R quantile type 7 at (1 -+ level)/2. Results depend only on the input (as a set of
/// stimuli: not their order), the seed and B, never on options.threads.
///
/// Complexity: O(n (m + k) + m^2 n + k^2 (m^2 + subsets)) for the tables and tests, plus
/// O(B (S + subsets x pairs x S)) for the bootstrap, shared over the threads.
/// Throws disfer::error when k < 2, the vectors differ in length, there are no stimuli or no
/// prediction sets, a label lies outside [0, k), two sets share a name, the reference or a
/// bootstrap pair names an unknown set, or level is not in (0, 1).
inline per_condition_result analyze_per_condition(const per_condition_input& in,
                                                  const per_condition_options& opt = {}) {
  constexpr const char* fn = "analyze_per_condition";
  const std::int64_t k = detail::checked_k(in.k, fn);
  const std::size_t n = in.truth.size();
  if (n == 0) detail::fail(fn, "there are no stimuli");
  if (in.condition.size() != n) detail::fail(fn, "truth has ", n, " stimuli but condition has ", in.condition.size());
  if (in.source.size() != n) detail::fail(fn, "truth has ", n, " stimuli but source has ", in.source.size());
  if (!in.distortion_type.empty() && in.distortion_type.size() != n)
    detail::fail(fn, "truth has ", n, " stimuli but distortion_type has ", in.distortion_type.size());
  if (in.predictions.empty()) detail::fail(fn, "no prediction sets were given");
  if (!(opt.level > 0.0 && opt.level < 1.0)) detail::fail(fn, "confidence level ", opt.level, " is not in (0, 1)");
  for (std::size_t i = 0; i < n; ++i) detail::label_index(in.truth[i], k, fn, "truth", i);
  const std::size_t m = in.predictions.size();
  std::map<std::string, std::size_t> set_index;
  for (std::size_t j = 0; j < m; ++j) {
    const auto& ps = in.predictions[j];
    if (!set_index.emplace(ps.name, j).second) detail::fail(fn, "two prediction sets are named \"", ps.name, "\"");
    if (ps.labels.size() != n)
      detail::fail(fn, "prediction set \"", ps.name, "\" has ", ps.labels.size(), " labels for ", n, " stimuli");
    const std::string which = "prediction set \"" + ps.name + "\" label";
    for (std::size_t i = 0; i < n; ++i) detail::label_index(ps.labels[i], k, fn, which.c_str(), i);
  }
  auto index_of = [&](const std::string& name, const char* role) {
    const auto it = set_index.find(name);
    if (it == set_index.end()) detail::fail(fn, role, " \"", name, "\" is not one of the prediction sets");
    return it->second;
  };
  const bool has_reference = !opt.reference.empty();
  const std::size_t reference = has_reference ? index_of(opt.reference, "the reference") : 0;
  std::vector<std::pair<std::size_t, std::size_t>> boot_pairs;
  if (opt.bootstrap_pairs.empty()) {
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = a + 1; b < m; ++b) boot_pairs.emplace_back(a, b);
  } else {
    for (const auto& [a, b] : opt.bootstrap_pairs)
      boot_pairs.emplace_back(index_of(a, "bootstrap pair member"), index_of(b, "bootstrap pair member"));
  }

  // Sources, sorted, numbered 0..S-1.
  const std::set<std::string> source_set(in.source.begin(), in.source.end());
  const std::vector<std::string> sources(source_set.begin(), source_set.end());
  const std::size_t n_sources = sources.size();
  std::vector<std::size_t> source_of(n);
  for (std::size_t i = 0; i < n; ++i)
    source_of[i] =
        static_cast<std::size_t>(std::lower_bound(sources.begin(), sources.end(), in.source[i]) - sources.begin());

  // Subsets in order: overall, types, conditions (first appearance).
  struct subset_def {
    subset_level level;
    std::string name;
    std::vector<std::size_t> members;
  };
  std::vector<subset_def> defs;
  defs.push_back({subset_level::overall, "overall", {}});
  defs[0].members.resize(n);
  for (std::size_t i = 0; i < n; ++i) defs[0].members[i] = i;
  auto group = [&](const std::vector<std::string>& key, subset_level level) {
    std::map<std::string, std::size_t> where;
    for (std::size_t i = 0; i < n; ++i) {
      auto it = where.find(key[i]);
      if (it == where.end()) {
        it = where.emplace(key[i], defs.size()).first;
        defs.push_back({level, key[i], {}});
      }
      defs[it->second].members.push_back(i);
    }
  };
  if (!in.distortion_type.empty()) group(in.distortion_type, subset_level::distortion_type);
  group(in.condition, subset_level::condition);

  per_condition_result result;
  result.seed = opt.seed;
  result.bootstrap_replicates = opt.bootstrap_replicates;
  // Per subset: per source (stimuli, correct per set), for the clustered tests and the bootstrap.
  struct cluster_stats {
    std::vector<std::int64_t> stimuli;               // [source]
    std::vector<std::vector<std::int64_t>> correct;  // [set][source]
  };
  std::vector<cluster_stats> clusters(defs.size());
  for (std::size_t d = 0; d < defs.size(); ++d) {
    const auto& def = defs[d];
    subset_result s;
    s.level = def.level;
    s.name = def.name;
    s.n_stimuli = static_cast<std::int64_t>(def.members.size());
    auto& cs = clusters[d];
    cs.stimuli.assign(n_sources, 0);
    cs.correct.assign(m, std::vector<std::int64_t>(n_sources, 0));
    std::vector<std::int64_t> truth;
    truth.reserve(def.members.size());
    for (const auto i : def.members) {
      truth.push_back(in.truth[i]);
      ++cs.stimuli[source_of[i]];
      for (std::size_t j = 0; j < m; ++j)
        if (in.predictions[j].labels[i] == in.truth[i]) ++cs.correct[j][source_of[i]];
    }
    s.n_sources = static_cast<std::int64_t>(
        std::count_if(cs.stimuli.begin(), cs.stimuli.end(), [](std::int64_t v) { return v > 0; }));
    std::vector<std::vector<std::int64_t>> preds(m);
    for (std::size_t j = 0; j < m; ++j) {
      preds[j].reserve(def.members.size());
      for (const auto i : def.members) preds[j].push_back(in.predictions[j].labels[i]);
      predictor_summary p;
      p.name = in.predictions[j].name;
      p.confusion = confusion_matrix(truth, preds[j], in.k);
      p.accuracy = wilson_interval(p.confusion.trace(), p.confusion.sum(), opt.level);
      p.metrics = precision_recall(p.confusion, opt.zero_division_rule);
      s.predictors.push_back(std::move(p));
    }
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = a + 1; b < m; ++b) {
        pair_test t;
        t.a = in.predictions[a].name;
        t.b = in.predictions[b].name;
        t.test = mcnemar(truth, preds[a], preds[b], opt.test, opt.test_options);
        t.odds_ratio = discordant_odds_ratio(t.test.b, t.test.c, opt.level);
        std::vector<std::int64_t> discordance;
        for (std::size_t src = 0; src < n_sources; ++src)
          if (cs.stimuli[src] > 0) discordance.push_back(cs.correct[a][src] - cs.correct[b][src]);
        t.clustered = detail::clustered_mcnemar(discordance);
        s.pairs.push_back(std::move(t));
      }
    // NaN p-values (chi-square with b + c = 0) stay NaN and are left out of the family. The adjusted
    // p is computed on the p scale (as R's p.adjust), its log10 on the log scale (valid below 1e-308).
    std::vector<double> family_p, family_log;
    for (const auto& t : s.pairs)
      if (!std::isnan(t.test.p_value)) {
        family_p.push_back(t.test.p_value);
        family_log.push_back(t.test.log10_p_value);
      }
    const auto adjusted = adjust_p_values(family_p, opt.adjustment);
    const auto adjusted_log = adjust_log10_p_values(family_log, opt.adjustment);
    std::size_t f = 0;
    for (auto& t : s.pairs) {
      if (std::isnan(t.test.p_value)) {
        t.p_adjusted = t.log10_p_adjusted = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      t.p_adjusted = adjusted[f];
      t.log10_p_adjusted = adjusted_log[f++];
    }
    if (has_reference)
      for (std::size_t j = 0; j < m; ++j) {
        if (j == reference) continue;
        s.correlations.push_back({in.predictions[j].name, in.predictions[reference].name,
                                  off_diagonal_correlation(s.predictors[reference].confusion, s.predictors[j].confusion,
                                                           opt.correlation_normalization, opt.level)});
      }
    for (const auto& [a, b] : boot_pairs) {
      bootstrap_difference bd;
      bd.a = in.predictions[a].name;
      bd.b = in.predictions[b].name;
      bd.difference = s.predictors[a].accuracy.estimate - s.predictors[b].accuracy.estimate;
      s.bootstrap.push_back(std::move(bd));
    }
    result.subsets.push_back(std::move(s));
  }

  // Cluster bootstrap: replicate r depends only on (seed, r); threads split the replicates.
  const std::uint64_t B = opt.bootstrap_replicates;
  if (B > 0) {
    const std::size_t n_subsets = defs.size(), n_pairs = boot_pairs.size();
    // values[(subset * n_pairs + pair) * B + r]; NaN when the replicate drew no stimulus of the subset.
    std::vector<double> values(n_subsets * n_pairs * static_cast<std::size_t>(B));
    auto run = [&](std::uint64_t first, std::uint64_t last) {
      std::vector<std::int64_t> w(n_sources);
      for (std::uint64_t r = first; r < last; ++r) {
        std::fill(w.begin(), w.end(), 0);
        random_cursor cursor(stream_key{opt.seed, r, purpose::bootstrap});
        for (std::size_t draw = 0; draw < n_sources; ++draw)
          ++w[static_cast<std::size_t>(cursor.next_below(n_sources))];
        for (std::size_t d = 0; d < n_subsets; ++d) {
          const auto& cs = clusters[d];
          std::int64_t stimuli = 0;
          for (std::size_t src = 0; src < n_sources; ++src) stimuli += w[src] * cs.stimuli[src];
          for (std::size_t q = 0; q < n_pairs; ++q) {
            double& out = values[(d * n_pairs + q) * B + r];
            if (stimuli == 0) {
              out = std::numeric_limits<double>::quiet_NaN();
              continue;
            }
            const auto& ca = cs.correct[boot_pairs[q].first];
            const auto& cb = cs.correct[boot_pairs[q].second];
            std::int64_t diff = 0;
            for (std::size_t src = 0; src < n_sources; ++src) diff += w[src] * (ca[src] - cb[src]);
            out = static_cast<double>(diff) / static_cast<double>(stimuli);
          }
        }
      }
    };
    detail::parallel_for(static_cast<std::size_t>(B), opt.threads, run);
    for (std::size_t d = 0; d < n_subsets; ++d)
      for (std::size_t q = 0; q < n_pairs; ++q) {
        std::vector<double> v;
        v.reserve(static_cast<std::size_t>(B));
        for (std::uint64_t r = 0; r < B; ++r) {
          const double x = values[(d * n_pairs + q) * B + r];
          if (!std::isnan(x)) v.push_back(x);
        }
        auto& bd = result.subsets[d].bootstrap[q];
        bd.replicates = v.size();
        if (v.size() < 2) {
          bd.ci_low = bd.ci_high = bd.standard_error = std::numeric_limits<double>::quiet_NaN();
          continue;
        }
        double mean = 0;
        for (const double x : v) mean += x;
        mean /= static_cast<double>(v.size());
        double ss = 0;
        for (const double x : v) ss += (x - mean) * (x - mean);
        bd.standard_error = std::sqrt(ss / static_cast<double>(v.size() - 1));
        std::sort(v.begin(), v.end());
        bd.ci_low = detail::quantile_type7(v, (1 - opt.level) / 2);
        bd.ci_high = detail::quantile_type7(v, (1 + opt.level) / 2);
      }
  } else {
    for (auto& s : result.subsets)
      for (auto& bd : s.bootstrap)
        bd.ci_low = bd.ci_high = bd.standard_error = std::numeric_limits<double>::quiet_NaN();
  }
  return result;
}

}  // namespace disfer
