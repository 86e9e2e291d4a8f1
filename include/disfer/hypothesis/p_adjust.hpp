#pragma once
/// \file
/// Adjustment of p-values for a family of tests: Bonferroni, Holm (1979) and Benjamini-Hochberg
/// (1995), as R's `p.adjust` and statsmodels' `multipletests`; also on log10 p-values, so that
/// p-values far below 1e-308 can be adjusted.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <vector>

#include "disfer/core/error.hpp"

namespace disfer {

/// Which family-wise (Bonferroni, Holm) or false-discovery-rate (Benjamini-Hochberg) adjustment.
enum class p_adjustment { none, bonferroni, holm, benjamini_hochberg };

namespace detail {

// Core on either scale: `log_scale` false: values are p, factor multiplies; true: values are
// log10 p, log10(factor) adds; the cap is 1 (resp. 0).
inline std::vector<double> adjust_impl(const std::vector<double>& v, p_adjustment how, bool log_scale, const char* fn) {
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = log_scale ? (v[i] <= 0.0) : (v[i] >= 0.0 && v[i] <= 1.0);  // NaN fails both
    if (!ok) fail(fn, "p-value [", i, "] = ", v[i], log_scale ? " is not a log10 p-value <= 0" : " is not in [0, 1]");
  }
  const double cap = log_scale ? 0.0 : 1.0;
  auto scale = [&](double x, double factor) { return log_scale ? x + std::log10(factor) : x * factor; };
  std::vector<double> out(v);
  if (n == 0 || how == p_adjustment::none) return out;
  const double dn = static_cast<double>(n);
  if (how == p_adjustment::bonferroni) {
    for (auto& x : out) x = std::min(cap, scale(x, dn));
    return out;
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (how == p_adjustment::holm) {
    // R: o <- order(p); pmin(1, cummax((n - i + 1) * p[o]))[order(o)], i = 1..n
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    double running = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      running = std::max(running, scale(v[order[i]], dn - static_cast<double>(i)));
      out[order[i]] = std::min(cap, running);
    }
    return out;
  }
  // Benjamini-Hochberg. R: o <- order(p, decreasing = TRUE); pmin(1, cummin(n / i * p[o]))[order(o)],
  // i = n..1
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] > v[b]; });
  double running = std::numeric_limits<double>::infinity();
  for (std::size_t r = 0; r < n; ++r) {
    const double rank = dn - static_cast<double>(r);
    running = std::min(running, scale(v[order[r]], dn / rank));
    out[order[r]] = std::min(cap, running);
  }
  return out;
}

}  // namespace detail

/// Adjusted p-values in the input order (R `p.adjust(p, "bonferroni" | "holm" | "BH")`):
/// Bonferroni min(1, n p); Holm: step-down, min(1, max_{j<=i} (n - j + 1) p_(j)); Benjamini-Hochberg:
/// step-up, min(1, min_{j>=i} n p_(j) / j). O(n log n). Throws disfer::error when a p-value is NaN
/// or outside [0, 1] (R would drop NA; disfer asks the caller to decide).
inline std::vector<double> adjust_p_values(const std::vector<double>& p, p_adjustment how) {
  return detail::adjust_impl(p, how, false, "adjust_p_values");
}

/// The same adjustment on log10 p-values (for p-values below the smallest double, e.g. from
/// mcnemar_result::log10_p_value); returns log10 of the adjusted p-values. Throws disfer::error when
/// a value is NaN or > 0.
inline std::vector<double> adjust_log10_p_values(const std::vector<double>& log10_p, p_adjustment how) {
  return detail::adjust_impl(log10_p, how, true, "adjust_log10_p_values");
}

}  // namespace disfer
