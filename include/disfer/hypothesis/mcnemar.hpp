#pragma once
/// \file
/// McNemar's test for two classifiers scored on the same items: exact (binomial), mid-p, and
/// chi-square with or without Edwards' continuity correction; the table of discordant pairs built
/// from label vectors; and the discordant odds ratio b / c with its exact (Clopper-Pearson) interval.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include <boost/math/special_functions/beta.hpp>

#include "disfer/core/error.hpp"
#include "disfer/hypothesis/tails.hpp"

namespace disfer {

/// Which McNemar p-value (conventions compared in docs/hypothesis.md).
enum class mcnemar_method {
  exact,                ///< min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2): statsmodels, mlxtend, R binom.test
  mid_p,                ///< 2 P(X <= m) - P(X = m); 1 - P(X = m)/2 when b = c (Fagerland, Lydersen & Laake 2013)
  chi_square,           ///< (b - c)^2 / (b + c) on 1 df: statsmodels `correction=False`, R `correct = FALSE`
  chi_square_corrected  ///< Edwards: (|b - c| - 1)^2 / (b + c) on 1 df: statsmodels, mlxtend, R (see options)
};

/// Options of mcnemar().
struct mcnemar_options {
  /// R's `mcnemar.test` rule: apply Edwards' correction only when b != c (statistic 0, p = 1 when
  /// b = c). Off by default, as statsmodels and mlxtend, which give (0 - 1)^2 / (b + c) at b = c.
  bool skip_correction_when_equal = false;
};

/// Result of a McNemar test.
struct mcnemar_result {
  /// exact and mid_p: min(b, c) (as statsmodels); chi-square methods: the chi-square statistic.
  double statistic = 0;
  double p_value = 1;        ///< two-sided p (0 only where it underflows: read log10_p_value)
  double log10_p_value = 0;  ///< log10 of the p-value, accurate also far below 1e-308
  std::int64_t b = 0;        ///< items the first classifier gets right and the second wrong
  std::int64_t c = 0;        ///< items the first classifier gets wrong and the second right
  mcnemar_method method = mcnemar_method::exact;
};

/// McNemar's test from the discordant counts b and c.
/// exact: p = min(1, 2 I_{1/2}(n - m, m + 1)) with n = b + c, m = min(b, c), from Boost.Math's
///   regularised incomplete beta; where that underflows (p < 2e-300) p is computed in log space as
///   2 P(X = m) sum_{j<=m} P(X = j)/P(X = m), with ln P(X = m) by Loader's saddle-point formula, so
///   log10_p_value stays accurate to ~1e-15 relative at any size (1e-600 and beyond).
/// mid_p: 2 P(X <= m - 1) + P(X = m) when b != c; 1 - P(X = m)/2 when b = c; 1 when b + c = 0.
/// chi_square(_corrected): p = Q(1/2, stat/2) = erfc(sqrt(stat/2)) (Boost gamma_q), by the
///   asymptotic expansion of erfc in log space where it underflows.
/// NaN: the chi-square methods give statistic, p and log10 p NaN when b + c = 0 (0/0).
/// Complexity O(1) while p >= 2e-300, else O(terms), at most O(sqrt(b + c)).
/// Throws disfer::error when b or c is negative.
inline mcnemar_result mcnemar(std::int64_t b, std::int64_t c, mcnemar_method method = mcnemar_method::exact,
                              mcnemar_options options = {}) {
  constexpr const char* fn = "mcnemar";
  if (b < 0) detail::fail(fn, "b = ", b, " is a negative count");
  if (c < 0) detail::fail(fn, "c = ", c, " is a negative count");
  if (b > std::numeric_limits<std::int64_t>::max() - c) detail::fail(fn, "b + c overflows");
  mcnemar_result r;
  r.b = b;
  r.c = c;
  r.method = method;
  const std::int64_t n = b + c, m = std::min(b, c);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (method) {
    case mcnemar_method::exact: {
      r.statistic = static_cast<double>(m);
      if (b == c) return r;  // p = 1, also when n = 0
      const double log_pmf = detail::log_binomial_half_pmf(m, n);
      const double tail = detail::binomial_half_tail_underflows(m, n, log_pmf) ? 0.0 : detail::binomial_half_cdf(m, n);
      if (tail >= detail::log_space_threshold) {
        r.p_value = std::min(1.0, 2 * tail);
        r.log10_p_value = std::log10(r.p_value);
      } else {
        const double ln_p = detail::ln2 + log_pmf + std::log(detail::binomial_half_tail_ratio_sum(m, n));
        r.log10_p_value = ln_p / detail::ln10;
        r.p_value = std::exp(ln_p);
      }
      return r;
    }
    case mcnemar_method::mid_p: {
      r.statistic = static_cast<double>(m);
      if (n == 0) return r;
      if (b == c) {
        const double half_pmf = detail::binomial_half_pmf(m, n) / 2;
        r.p_value = 1 - half_pmf;
        r.log10_p_value = std::log1p(-half_pmf) / detail::ln10;
        return r;
      }
      const double log_pmf = detail::log_binomial_half_pmf(m, n);
      if (!detail::binomial_half_tail_underflows(m, n, log_pmf)) {
        const double below = m == 0 ? 0.0 : detail::binomial_half_cdf(m - 1, n);
        const double pmf = detail::binomial_half_pmf(m, n);
        if (pmf >= detail::log_space_threshold) {
          r.p_value = 2 * below + pmf;
          r.log10_p_value = std::log10(r.p_value);
          return r;
        }
      }
      const double s = detail::binomial_half_tail_ratio_sum(m, n);
      const double ln_p = log_pmf + std::log(2 * s - 1);
      r.log10_p_value = ln_p / detail::ln10;
      r.p_value = std::exp(ln_p);
      return r;
    }
    case mcnemar_method::chi_square:
    case mcnemar_method::chi_square_corrected: {
      if (n == 0) {
        r.statistic = r.p_value = r.log10_p_value = nan;
        return r;
      }
      double d = std::fabs(static_cast<double>(b - c));
      if (method == mcnemar_method::chi_square_corrected && !(options.skip_correction_when_equal && b == c)) d -= 1;
      r.statistic = d * d / static_cast<double>(n);
      const auto t = detail::chi_square_upper_tail(r.statistic, 1.0);
      r.p_value = t.p;
      r.log10_p_value = t.log10_p;
      return r;
    }
  }
  detail::fail(fn, "unknown method ", static_cast<int>(method));
}

/// The paired 2 x 2 table of two classifiers on the same items.
struct mcnemar_table {
  std::int64_t both_right = 0;  ///< a right, b right
  std::int64_t b = 0;           ///< a right, b wrong
  std::int64_t c = 0;           ///< a wrong, b right
  std::int64_t both_wrong = 0;  ///< a wrong, b wrong
};

namespace detail {
template <class L>
long long label_value(const L& v, const char* function, const char* which, std::size_t i) {
  long long x = 0;
  if constexpr (std::is_enum_v<L>) {
    x = static_cast<long long>(static_cast<std::underlying_type_t<L>>(v));
  } else {
    static_assert(std::is_integral_v<L>, "labels must be integers or enumerations");
    if constexpr (std::is_unsigned_v<L>) {
      if (v > static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
        fail(function, which, "[", i, "] = ", +v, " is not a valid label");
    }
    x = static_cast<long long>(v);
  }
  if (x < 0) fail(function, which, "[", i, "] = ", x, " is negative; labels are indices >= 0");
  return x;
}
}  // namespace detail

/// Counts the paired outcomes of two prediction vectors against the truth. Orientation (as mlxtend's
/// `mcnemar_table`): b = items pred_a gets right and pred_b wrong; c = items pred_a gets wrong and
/// pred_b right. Labels: integers >= 0 or enumerations. O(n).
/// Throws disfer::error (named `paired_outcomes`) when the lengths differ or a label is negative.
template <class T, class A, class B>
mcnemar_table paired_outcomes(const T& truth, const A& pred_a, const B& pred_b);

namespace detail {

/// paired_outcomes with `fn` named in its errors (mcnemar on label vectors passes its own name).
template <class T, class A, class B>
mcnemar_table paired_outcomes_as(const T& truth, const A& pred_a, const B& pred_b, const char* fn) {
  const auto n = static_cast<std::size_t>(std::size(truth));
  if (static_cast<std::size_t>(std::size(pred_a)) != n || static_cast<std::size_t>(std::size(pred_b)) != n)
    detail::fail(fn, "truth, pred_a and pred_b have ", n, ", ", std::size(pred_a), " and ", std::size(pred_b),
                 " labels; they must have the same length");
  mcnemar_table t;
  auto it = std::begin(truth);
  auto ia = std::begin(pred_a);
  auto ib = std::begin(pred_b);
  for (std::size_t i = 0; i < n; ++i, ++it, ++ia, ++ib) {
    const long long y = detail::label_value(*it, fn, "truth", i);
    const bool ra = detail::label_value(*ia, fn, "pred_a", i) == y;
    const bool rb = detail::label_value(*ib, fn, "pred_b", i) == y;
    if (ra && rb)
      ++t.both_right;
    else if (ra)
      ++t.b;
    else if (rb)
      ++t.c;
    else
      ++t.both_wrong;
  }
  return t;
}

}  // namespace detail

template <class T, class A, class B>
mcnemar_table paired_outcomes(const T& truth, const A& pred_a, const B& pred_b) {
  return detail::paired_outcomes_as(truth, pred_a, pred_b, "paired_outcomes");
}

/// McNemar's test of two classifiers on the same items: the table of paired_outcomes (b = pred_a
/// right and pred_b wrong), then mcnemar(b, c, method, options). O(n). Throws as both.
template <class T, class A, class B, class = decltype(std::size(std::declval<const T&>()))>
mcnemar_result mcnemar(const T& truth, const A& pred_a, const B& pred_b, mcnemar_method method = mcnemar_method::exact,
                       mcnemar_options options = {}) {
  const mcnemar_table t = detail::paired_outcomes_as(truth, pred_a, pred_b, "mcnemar");
  return mcnemar(t.b, t.c, method, options);
}

namespace detail {

/// paired_outcomes of three (stimulus id -> label) maps joined on the id: every id of `truth` must
/// be in both prediction maps and neither may have an id that `truth` lacks (an unmatched id is an
/// error naming it, as confusion_matrix does for two maps).
template <class Map, class MapA, class MapB>
mcnemar_table paired_from_maps(const Map& truth, const MapA& pred_a, const MapB& pred_b, const char* fn) {
  mcnemar_table t;
  std::size_t i = 0;
  for (const auto& [id, label] : truth) {
    const auto fa = pred_a.find(id);
    if (fa == pred_a.end()) fail(fn, "stimulus ", id, " has a truth label but no prediction in pred_a");
    const auto fb = pred_b.find(id);
    if (fb == pred_b.end()) fail(fn, "stimulus ", id, " has a truth label but no prediction in pred_b");
    const long long y = label_value(label, fn, "truth", i);
    const bool ra = label_value(fa->second, fn, "pred_a", i) == y;
    const bool rb = label_value(fb->second, fn, "pred_b", i) == y;
    ++(ra ? (rb ? t.both_right : t.b) : (rb ? t.c : t.both_wrong));
    ++i;
  }
  auto no_extra = [&](const auto& pred, const char* which) {
    if (pred.size() == truth.size()) return;  // same size and every truth id found: same id set
    for (const auto& entry : pred)
      if (truth.find(entry.first) == truth.end())
        fail(fn, "stimulus ", entry.first, " has a prediction in ", which, " but no truth label");
  };
  no_extra(pred_a, "pred_a");
  no_extra(pred_b, "pred_b");
  return t;
}

}  // namespace detail

/// paired_outcomes of two classifiers' (stimulus id -> label) tables and the truth, joined on the
/// stimulus id, as confusion_matrix joins two maps: the order of the entries does not matter, and
/// an id missing from any of the three is an error naming it. In the errors the position printed is
/// the id's rank in `truth`. O(n log n).
template <class Id, class T, class A, class B, class C1, class C2, class C3, class A1, class A2, class A3>
mcnemar_table paired_outcomes(const std::map<Id, T, C1, A1>& truth, const std::map<Id, A, C2, A2>& pred_a,
                              const std::map<Id, B, C3, A3>& pred_b) {
  return detail::paired_from_maps(truth, pred_a, pred_b, "paired_outcomes");
}

/// As above for std::unordered_map (expected O(n)).
template <class Id, class T, class A, class B, class H1, class H2, class H3, class E1, class E2, class E3, class A1,
          class A2, class A3>
mcnemar_table paired_outcomes(const std::unordered_map<Id, T, H1, E1, A1>& truth,
                              const std::unordered_map<Id, A, H2, E2, A2>& pred_a,
                              const std::unordered_map<Id, B, H3, E3, A3>& pred_b) {
  return detail::paired_from_maps(truth, pred_a, pred_b, "paired_outcomes");
}

/// McNemar's test on three (stimulus id -> label) tables joined on the id (see paired_outcomes).
template <class Id, class T, class A, class B, class C1, class C2, class C3, class A1, class A2, class A3>
mcnemar_result mcnemar(const std::map<Id, T, C1, A1>& truth, const std::map<Id, A, C2, A2>& pred_a,
                       const std::map<Id, B, C3, A3>& pred_b, mcnemar_method method = mcnemar_method::exact,
                       mcnemar_options options = {}) {
  const mcnemar_table t = detail::paired_from_maps(truth, pred_a, pred_b, "mcnemar");
  return mcnemar(t.b, t.c, method, options);
}

/// As above for std::unordered_map.
template <class Id, class T, class A, class B, class H1, class H2, class H3, class E1, class E2, class E3, class A1,
          class A2, class A3>
mcnemar_result mcnemar(const std::unordered_map<Id, T, H1, E1, A1>& truth,
                       const std::unordered_map<Id, A, H2, E2, A2>& pred_a,
                       const std::unordered_map<Id, B, H3, E3, A3>& pred_b,
                       mcnemar_method method = mcnemar_method::exact, mcnemar_options options = {}) {
  const mcnemar_table t = detail::paired_from_maps(truth, pred_a, pred_b, "mcnemar");
  return mcnemar(t.b, t.c, method, options);
}

/// Discordant odds ratio b / c with its exact conditional interval: given n = b + c, b ~ Bin(n, pi)
/// and OR = pi / (1 - pi); the interval maps the Clopper-Pearson interval of pi (R
/// `binom.test(b, b + c)$conf.int`, the interval of exact2x2's `mcnemar.exact`).
struct odds_ratio_result {
  double odds_ratio = 0;  ///< b / c (+inf when c = 0 < b; NaN when b + c = 0)
  double ci_low = 0;      ///< 0 when b = 0
  double ci_high = 0;     ///< +inf when c = 0
  double level = 0.95;
};

/// See odds_ratio_result. Clopper-Pearson ends from Boost.Math's ibeta_inv (both x and 1 - x are
/// taken from it, so the ratio keeps full precision). NaN throughout when b + c = 0. O(1).
/// Throws disfer::error on negative counts or level outside (0, 1).
inline odds_ratio_result discordant_odds_ratio(std::int64_t b, std::int64_t c, double level = 0.95) {
  constexpr const char* fn = "discordant_odds_ratio";
  if (b < 0) detail::fail(fn, "b = ", b, " is a negative count");
  if (c < 0) detail::fail(fn, "c = ", c, " is a negative count");
  if (!(level > 0.0 && level < 1.0)) detail::fail(fn, "confidence level ", level, " is not in (0, 1)");
  odds_ratio_result r;
  r.level = level;
  const double inf = std::numeric_limits<double>::infinity();
  if (b + c == 0) {
    r.odds_ratio = r.ci_low = r.ci_high = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  const double alpha = 1 - level, db = static_cast<double>(b), dc = static_cast<double>(c);
  r.odds_ratio = c == 0 ? inf : db / dc;
  if (b == 0) {
    r.ci_low = 0;
  } else {
    double one_minus = 0;
    const double lo = boost::math::ibeta_inv(db, dc + 1, alpha / 2, &one_minus);
    r.ci_low = lo / one_minus;
  }
  if (c == 0) {
    r.ci_high = inf;
  } else {
    double one_minus = 0;
    const double hi = boost::math::ibetac_inv(db + 1, dc, alpha / 2, &one_minus);
    r.ci_high = hi / one_minus;
  }
  return r;
}

}  // namespace disfer
