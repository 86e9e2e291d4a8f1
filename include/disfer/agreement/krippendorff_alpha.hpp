#pragma once
/// \file
/// Krippendorff's alpha for nominal data with missing ratings (Krippendorff 2011, "Computing
/// Krippendorff's alpha-reliability", sections C and E), from value counts per unit.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include <Eigen/Core>

#include "disfer/agreement/count_table.hpp"

namespace disfer {

/// Result of krippendorff_alpha.
struct krippendorff_alpha_result {
  double alpha = std::numeric_limits<double>::quiet_NaN();  ///< 1 - D_o / D_e
  double observed_disagreement = std::numeric_limits<double>::quiet_NaN();  ///< D_o
  double expected_disagreement = std::numeric_limits<double>::quiet_NaN();  ///< D_e
  std::int64_t n_pairable = 0;  ///< n: values in units with at least 2 values
  std::size_t n_units = 0;      ///< units with at least 2 values (the others are unpairable)
};

/// Nominal alpha from a units x values count table (n_uc = number of coders giving unit u value c):
/// with m_u = sum_c n_uc, only units with m_u >= 2 enter (pairable values), n = sum m_u,
/// n_c = sum_u n_uc, D_o = (1/n) sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1) and
/// D_e = (n^2 - sum_c n_c^2) / (n (n - 1)); alpha = 1 - D_o / D_e, computed as
/// 1 - (n - 1) sum_u[...] / (n^2 - sum_c n_c^2) from exact integers (Krippendorff 2011, eq. for
/// nominal data via the coincidence matrix). Even with equal m_u alpha differs from Fleiss' kappa by
/// a small-sample term. NaN when D_e = 0 (all pairable values equal). Complexity O(N k) (no
/// pairwise loop, no units x V x V array). Throws disfer::error (named `krippendorff_alpha`) for an
/// empty table, fewer than 2 values, negative counts, or no pairable unit.
template <class Derived>
krippendorff_alpha_result krippendorff_alpha(const Eigen::MatrixBase<Derived>& counts) {
  constexpr const char* fn = "krippendorff_alpha";
  detail::check_counts(fn, counts);
  using ld = long double;
  __extension__ using i128 = __int128;
  const Eigen::Index k = counts.cols();
  std::vector<std::int64_t> nc(static_cast<std::size_t>(k), 0);
  ld within = 0;  // sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1)
  krippendorff_alpha_result r;
  for (Eigen::Index u = 0; u < counts.rows(); ++u) {
    std::int64_t m = 0;
    i128 sq = 0;
    for (Eigen::Index c = 0; c < k; ++c) {
      m += counts(u, c);
      sq += static_cast<i128>(counts(u, c)) * counts(u, c);
    }
    if (m < 2) continue;
    ++r.n_units;
    r.n_pairable += m;
    for (Eigen::Index c = 0; c < k; ++c) nc[static_cast<std::size_t>(c)] += counts(u, c);
    within += static_cast<ld>(static_cast<i128>(m) * m - sq) / static_cast<ld>(m - 1);
  }
  if (r.n_units == 0) detail::fail(fn, "no unit has 2 or more values; alpha needs pairable values");
  const i128 n = r.n_pairable;
  i128 sum_nc2 = 0;
  for (auto v : nc) sum_nc2 += static_cast<i128>(v) * v;
  const ld between = static_cast<ld>(n * n - sum_nc2);
  const ld nn = static_cast<ld>(n);
  r.observed_disagreement = static_cast<double>(within / nn);
  r.expected_disagreement = static_cast<double>(between / (nn * (nn - 1)));
  if (between > 0) r.alpha = static_cast<double>(1 - (nn - 1) * within / between);
  return r;
}

/// Nominal alpha from reliability data: `data[c][u]` is coder c's value for unit u, or
/// std::nullopt when missing (Krippendorff's layout: coders x units). Values are arbitrary
/// integers; only their equality matters. Throws disfer::error (named `krippendorff_alpha`) for
/// no coder, no unit, rows of different lengths, or no pairable unit.
inline krippendorff_alpha_result krippendorff_alpha(const std::vector<std::vector<std::optional<std::int64_t>>>& data) {
  constexpr const char* fn = "krippendorff_alpha";
  if (data.empty() || data.front().empty()) detail::fail(fn, "the reliability data are empty");
  const std::size_t units = data.front().size();
  std::map<std::int64_t, Eigen::Index> values;
  for (std::size_t c = 0; c < data.size(); ++c) {
    if (data[c].size() != units)
      detail::fail(fn, "coder row ", c + 1, " has ", data[c].size(), " units; row 1 has ", units);
    for (const auto& v : data[c])
      if (v) values.emplace(*v, 0);
  }
  Eigen::Index next = 0;
  for (auto& kv : values) kv.second = next++;
  count_matrix counts = count_matrix::Zero(static_cast<Eigen::Index>(units), std::max<Eigen::Index>(next, 2));
  for (const auto& row : data)
    for (std::size_t u = 0; u < units; ++u)
      if (row[u]) ++counts(static_cast<Eigen::Index>(u), values[*row[u]]);
  return krippendorff_alpha(counts);
}

}  // namespace disfer
