#pragma once
/// \file
/// Confusion matrices (rows = truth, columns = prediction, as in scikit-learn's `confusion_matrix`),
/// their normalisation, accuracy with a Wilson score interval, and balanced accuracy.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>
#include <boost/math/distributions/normal.hpp>

#include "disfer/core/error.hpp"

namespace disfer {

/// A k x k table of counts: entry (t, p) counts the items whose truth is t and whose prediction is p.
using confusion_counts = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;

/// How a table of counts is turned into proportions.
enum class normalization {
  none,    ///< the counts themselves, as doubles
  row,     ///< each row divided by its total (rows sum to 1: recall-like; scikit-learn `normalize="true"`)
  column,  ///< each column divided by its total (precision-like; scikit-learn `normalize="pred"`)
  total    ///< every cell divided by the grand total (scikit-learn `normalize="all"`)
};

/// A proportion with a confidence interval.
struct proportion_interval {
  double estimate = 0;         ///< successes / trials (NaN when trials == 0)
  double ci_low = 0;           ///< lower end of the interval
  double ci_high = 0;          ///< upper end of the interval
  std::int64_t successes = 0;  ///< numerator
  std::int64_t trials = 0;     ///< denominator
  double level = 0.95;         ///< confidence level
};

namespace detail {

/// Label value -> index in [0, k), or a disfer::error naming `function`, the vector and the position.
template <class L>
std::int64_t label_index(const L& value, std::int64_t k, const char* function, const char* which,
                         std::size_t position) {
  long long v = 0;
  if constexpr (std::is_enum_v<L>) {
    v = static_cast<long long>(static_cast<std::underlying_type_t<L>>(value));
  } else {
    static_assert(std::is_integral_v<L>, "labels must be integers or enumerations");
    if constexpr (std::is_unsigned_v<L>) {
      if (value > static_cast<std::make_unsigned_t<long long>>(std::numeric_limits<long long>::max()))
        fail(function, which, "[", position, "] = ", +value, " is outside [0, ", k, ")");
    }
    v = static_cast<long long>(value);
  }
  if (v < 0 || v >= k) fail(function, which, "[", position, "] = ", v, " is outside [0, ", k, ")");
  return static_cast<std::int64_t>(v);
}

inline std::int64_t checked_k(std::size_t k, const char* function) {
  if (k < 2) fail(function, "k = ", k, "; at least 2 categories are needed");
  if (k > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    fail(function, "k = ", k, " is too large");
  return static_cast<std::int64_t>(k);
}

inline void check_confusion(const confusion_counts& cm, const char* function) {
  if (cm.rows() != cm.cols())
    fail(function, "the confusion matrix is ", cm.rows(), " x ", cm.cols(), "; it must be square");
  if (cm.rows() < 2) fail(function, "k = ", cm.rows(), "; at least 2 categories are needed");
  for (Eigen::Index t = 0; t < cm.rows(); ++t)
    for (Eigen::Index p = 0; p < cm.cols(); ++p)
      if (cm(t, p) < 0) fail(function, "cell (", t, ", ", p, ") holds the negative count ", cm(t, p));
}

inline double normal_quantile_two_sided(double level, const char* function) {
  if (!(level > 0.0 && level < 1.0)) fail(function, "confidence level ", level, " is not in (0, 1)");
  // z with P(|Z| <= z) = level, from the upper tail: z = Q^{-1}((1 - level) / 2).
  return boost::math::quantile(
      boost::math::complement(boost::math::normal_distribution<double>(), (1.0 - level) / 2.0));
}

}  // namespace detail

namespace detail {

/// A label as an unsigned number: negative values (and enumerators below 0) map to huge values, so
/// one unsigned comparison with k tests 0 <= v < k.
template <class L>
unsigned long long as_unsigned_label(const L& value) {
  if constexpr (std::is_enum_v<L>) {
    return static_cast<unsigned long long>(static_cast<std::underlying_type_t<L>>(value));
  } else {
    static_assert(std::is_integral_v<L>, "labels must be integers or enumerations");
    return static_cast<unsigned long long>(value);  // two's complement: negative -> >= 2^63
  }
}

template <class L>
struct label_number {
  using type = L;
};
template <class L>
struct label_number_enum {
  using type = std::underlying_type_t<L>;
};

/// True when the `len` labels from `it` all lie in [0, uk): a min/max scan in the labels' own type,
/// which compilers vectorise.
template <class It>
bool labels_in_range(It it, std::size_t len, unsigned long long uk) {
  using L = std::decay_t<decltype(*it)>;
  using N = typename std::conditional_t<std::is_enum_v<L>, label_number_enum<L>, label_number<L>>::type;
  if (len == 0) return true;
  N lo = static_cast<N>(*it), hi = lo;
  for (std::size_t i = 0; i < len; ++i, ++it) {
    const auto v = static_cast<N>(*it);
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  if constexpr (std::is_signed_v<N>) {
    if (lo < 0) return false;
  }
  return static_cast<unsigned long long>(hi) < uk;
}

}  // namespace detail

/// The k x k confusion matrix of two label vectors (rows = truth, columns = prediction).
/// Labels are integers or enumerations (e.g. disfer::emotion) with values in [0, k).
/// Complexity: O(n + k^2): blocks of 4096 pairs, each validated by a (vectorisable) maximum, then
/// counted; for k <= 16 into four interleaved tables on the stack, which keeps consecutive
/// increments independent (figures in docs/metrics.md).
/// Throws disfer::error when k < 2, the lengths differ, or a label lies outside [0, k) (the message
/// names the vector, the first offending position and its value).
template <class TruthRange, class PredRange>
confusion_counts confusion_matrix(const TruthRange& truth, const PredRange& pred, std::size_t k) {
  constexpr const char* fn = "confusion_matrix";
  const std::int64_t kk = detail::checked_k(k, fn);
  const auto n = static_cast<std::size_t>(std::size(truth));
  if (static_cast<std::size_t>(std::size(pred)) != n)
    detail::fail(fn, "truth has ", n, " labels but pred has ", std::size(pred));
  const auto uk = static_cast<unsigned long long>(kk);
  const auto cells = static_cast<std::size_t>(kk * kk);
  auto t_it = std::begin(truth);
  auto p_it = std::begin(pred);
  // Counts every pair into c0..c3 (pair i into c[i % 4]); validates each block before counting it.
  auto count = [&](std::int64_t* c0, std::int64_t* c1, std::int64_t* c2, std::int64_t* c3) {
    constexpr std::size_t block = 4096;
    for (std::size_t start = 0; start < n; start += block) {
      const std::size_t end = std::min(n, start + block);
      if (!detail::labels_in_range(t_it, end - start, uk) ||
          !detail::labels_in_range(p_it, end - start, uk))  // report the first offending label
        for (std::size_t i = start; i < end; ++i, ++t_it, ++p_it) {
          detail::label_index(*t_it, kk, fn, "truth", i);
          detail::label_index(*p_it, kk, fn, "pred", i);
        }
      auto cell = [&] {
        const std::size_t c =
            static_cast<std::size_t>(detail::as_unsigned_label(*t_it) * uk + detail::as_unsigned_label(*p_it));
        ++t_it;
        ++p_it;
        return c;
      };
      std::size_t i = start;
      for (; i + 4 <= end; i += 4) {
        ++c0[cell()];
        ++c1[cell()];
        ++c2[cell()];
        ++c3[cell()];
      }
      for (; i < end; ++i) ++c0[cell()];
    }
  };
  confusion_counts cm(kk, kk);
  if (cells <= 256) {
    std::int64_t local[4][256] = {};
    count(local[0], local[1], local[2], local[3]);
    for (std::int64_t t = 0; t < kk; ++t)
      for (std::int64_t p = 0; p < kk; ++p) {
        const auto c = static_cast<std::size_t>(t * kk + p);
        cm(t, p) = local[0][c] + local[1][c] + local[2][c] + local[3][c];
      }
  } else {
    std::vector<std::int64_t> flat(cells, 0);
    count(flat.data(), flat.data(), flat.data(), flat.data());
    for (std::int64_t t = 0; t < kk; ++t)
      for (std::int64_t p = 0; p < kk; ++p) cm(t, p) = flat[static_cast<std::size_t>(t * kk + p)];
  }
  return cm;
}

namespace detail {
template <class Map, class OtherMap>
confusion_counts confusion_from_maps(const Map& truth, const OtherMap& pred, std::size_t k) {
  constexpr const char* fn = "confusion_matrix";
  const std::int64_t kk = detail::checked_k(k, fn);
  confusion_counts cm = confusion_counts::Zero(kk, kk);
  for (const auto& [id, label] : truth) {
    const auto found = pred.find(id);
    if (found == pred.end()) fail(fn, "stimulus ", id, " has a truth label but no prediction");
    const std::int64_t t = label_index(label, kk, fn, "truth", 0);
    const std::int64_t p = label_index(found->second, kk, fn, "pred", 0);
    ++cm(t, p);
  }
  if (pred.size() != truth.size())
    for (const auto& [id, label] : pred) {
      (void)label;
      if (truth.find(id) == truth.end()) fail(fn, "stimulus ", id, " has a prediction but no truth label");
    }
  return cm;
}
}  // namespace detail

/// Confusion matrix of two (stimulus id -> label) maps joined on the id. Every id must appear in
/// both maps: an unmatched id throws disfer::error naming it (as do labels outside [0, k), where
/// the position printed is 0 and the id is not; use the vector form to locate bad labels).
/// Complexity: O(n log n) for std::map.
template <class Id, class L1, class L2, class C1, class C2, class A1, class A2>
confusion_counts confusion_matrix(const std::map<Id, L1, C1, A1>& truth, const std::map<Id, L2, C2, A2>& pred,
                                  std::size_t k) {
  return detail::confusion_from_maps(truth, pred, k);
}

/// As above for std::unordered_map (expected O(n)).
template <class Id, class L1, class L2, class H1, class H2, class E1, class E2, class A1, class A2>
confusion_counts confusion_matrix(const std::unordered_map<Id, L1, H1, E1, A1>& truth,
                                  const std::unordered_map<Id, L2, H2, E2, A2>& pred, std::size_t k) {
  return detail::confusion_from_maps(truth, pred, k);
}

/// The table as proportions. `row`: each row over its total; `column`: each column over its total;
/// `total`: every cell over the grand total; `none`: the counts as doubles. A row (column) whose total
/// is 0 becomes NaN, as does everything when the grand total is 0 (scikit-learn writes 0 there
/// instead). Works on any non-negative table, square or not. Complexity O(rows x cols).
/// Throws disfer::error on an empty table (0 rows or 0 columns: nothing to normalise, as
/// accuracy() and precision_recall() refuse it) and on negative counts.
inline Eigen::MatrixXd normalize(const confusion_counts& cm, normalization how) {
  if (cm.rows() == 0 || cm.cols() == 0)
    detail::fail("normalize", "the table is empty (", cm.rows(), " x ", cm.cols(), ")");
  for (Eigen::Index t = 0; t < cm.rows(); ++t)
    for (Eigen::Index p = 0; p < cm.cols(); ++p)
      if (cm(t, p) < 0) detail::fail("normalize", "cell (", t, ", ", p, ") holds the negative count ", cm(t, p));
  Eigen::MatrixXd out = cm.cast<double>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (how) {
    case normalization::none:
      break;
    case normalization::row:
      for (Eigen::Index t = 0; t < cm.rows(); ++t) {
        const auto total = cm.row(t).sum();
        if (total == 0)
          out.row(t).setConstant(nan);
        else
          out.row(t) /= static_cast<double>(total);
      }
      break;
    case normalization::column:
      for (Eigen::Index p = 0; p < cm.cols(); ++p) {
        const auto total = cm.col(p).sum();
        if (total == 0)
          out.col(p).setConstant(nan);
        else
          out.col(p) /= static_cast<double>(total);
      }
      break;
    case normalization::total: {
      const auto total = cm.sum();
      if (total == 0)
        out.setConstant(nan);
      else
        out /= static_cast<double>(total);
      break;
    }
  }
  return out;
}

/// Wilson score interval for successes / trials (Wilson 1927; statsmodels
/// `proportion_confint(method="wilson")`, R `prop.test(correct = FALSE)`):
/// centre (x + z^2/2) / (n + z^2), half-width z sqrt(x(n - x)/n + z^2/4) / (n + z^2),
/// z the two-sided normal quantile of `level`. trials == 0 gives NaN throughout.
/// Throws disfer::error when successes < 0, successes > trials, or level is not in (0, 1).
inline proportion_interval wilson_interval(std::int64_t successes, std::int64_t trials, double level = 0.95);

namespace detail {

/// wilson_interval with `fn` named in its errors (accuracy_interval passes its own name).
inline proportion_interval wilson_interval_as(std::int64_t successes, std::int64_t trials, double level,
                                              const char* fn) {
  if (successes < 0 || trials < 0 || successes > trials)
    detail::fail(fn, "successes = ", successes, " and trials = ", trials, " do not satisfy 0 <= successes <= trials");
  const double z = detail::normal_quantile_two_sided(level, fn);
  proportion_interval r;
  r.successes = successes;
  r.trials = trials;
  r.level = level;
  if (trials == 0) {
    r.estimate = r.ci_low = r.ci_high = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  const double x = static_cast<double>(successes), n = static_cast<double>(trials), z2 = z * z;
  r.estimate = x / n;
  const double centre = (x + z2 / 2.0) / (n + z2);
  const double half = z * std::sqrt(x * (n - x) / n + z2 / 4.0) / (n + z2);
  r.ci_low = successes == 0 ? 0.0 : centre - half;
  r.ci_high = successes == trials ? 1.0 : centre + half;
  return r;
}

}  // namespace detail

inline proportion_interval wilson_interval(std::int64_t successes, std::int64_t trials, double level) {
  return detail::wilson_interval_as(successes, trials, level, "wilson_interval");
}

/// Accuracy: trace / total. NaN for an empty table. O(k^2). Throws disfer::error on a non-square
/// table, k < 2 or negative counts.
inline double accuracy(const confusion_counts& cm) {
  detail::check_confusion(cm, "accuracy");
  const auto total = cm.sum();
  if (total == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(cm.trace()) / static_cast<double>(total);
}

/// Accuracy with its Wilson score interval (see wilson_interval). O(k^2). Throws disfer::error
/// (named `accuracy_interval`) as accuracy() and for a level outside (0, 1).
inline proportion_interval accuracy_interval(const confusion_counts& cm, double level = 0.95) {
  constexpr const char* fn = "accuracy_interval";
  detail::check_confusion(cm, fn);
  return detail::wilson_interval_as(cm.trace(), cm.sum(), level, fn);
}

/// Balanced accuracy: the mean of the per-class recalls over the classes that occur in the truth
/// (rows with a non-zero total), as scikit-learn's `balanced_accuracy_score` (which warns and drops
/// absent classes too). `adjusted`: (score - 1/c) / (1 - 1/c) with c the number of classes kept,
/// so that chance scores 0 (scikit-learn `adjusted=True`). NaN when no class occurs, or when
/// adjusted and only one class occurs. O(k^2). Throws as accuracy().
inline double balanced_accuracy(const confusion_counts& cm, bool adjusted = false) {
  detail::check_confusion(cm, "balanced_accuracy");
  double sum = 0;
  std::int64_t classes = 0;
  for (Eigen::Index t = 0; t < cm.rows(); ++t) {
    const auto total = cm.row(t).sum();
    if (total == 0) continue;
    sum += static_cast<double>(cm(t, t)) / static_cast<double>(total);
    ++classes;
  }
  if (classes == 0) return std::numeric_limits<double>::quiet_NaN();
  const double score = sum / static_cast<double>(classes);
  if (!adjusted) return score;
  if (classes == 1) return std::numeric_limits<double>::quiet_NaN();
  const double chance = 1.0 / static_cast<double>(classes);
  return (score - chance) / (1.0 - chance);
}

}  // namespace disfer
