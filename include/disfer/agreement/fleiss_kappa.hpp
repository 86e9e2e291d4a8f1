#pragma once
/// \file
/// Fleiss' kappa for many raters (Fleiss 1971) with each item's own number of ratings, its null
/// standard error and z test (Fleiss, Nee & Landis 1979), Gwet's linearised non-null standard error
/// and confidence interval (Gwet 2014, as in R irrCAC), per-category kappas (Fleiss 1971, eq. 13;
/// Fleiss et al. 1979) and Randolph's free-marginal kappa (Randolph 2005).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include <Eigen/Core>
#include <boost/math/distributions/students_t.hpp>

#include "disfer/agreement/count_table.hpp"
#include "disfer/agreement/detail/fleiss_scan.hpp"
#include "disfer/agreement/detail/z_test.hpp"

namespace disfer {

/// How the category proportions p_j behind P_e = sum_j p_j^2 are formed when items have different
/// numbers of ratings n_i (with equal n_i both give Fleiss' p_j).
enum class kappa_margins {
  pooled,                 ///< p_j = sum_i n_ij / sum_i n_i (Fleiss 1971; statsmodels, irr with equal n)
  mean_item_proportions,  ///< p_j = mean over items of n_ij / n_i (Gwet 2014; R irrCAC)
};

/// Options of fleiss_kappa.
struct fleiss_options {
  kappa_margins margins = kappa_margins::pooled;
  /// Items with exactly one rating have no P_i; when true (irrCAC's rule) their rating still counts
  /// in the margins p_j and in the item count of the non-null SE; when false they are left out
  /// entirely. Items with no rating are always left out.
  bool single_ratings_in_margins = true;
  /// Throw disfer::error for an item with fewer than 2 ratings instead of leaving it out of P-bar.
  bool require_two_ratings = false;
  /// Compute the non-null SE and interval (a second pass over the table).
  bool nonnull_se = true;
  /// Confidence level of [ci_low, ci_high].
  double confidence = 0.95;
};

/// Result of fleiss_kappa. Undefined quantities are NaN (see fleiss_kappa).
struct fleiss_kappa_result {
  double kappa = std::numeric_limits<double>::quiet_NaN();          ///< (P-bar - P_e) / (1 - P_e)
  double p_bar = std::numeric_limits<double>::quiet_NaN();          ///< mean P_i over items with n_i >= 2
  double p_e = std::numeric_limits<double>::quiet_NaN();            ///< sum_j p_j^2
  double se0 = std::numeric_limits<double>::quiet_NaN();            ///< SE under H0: kappa = 0 (FNL 1979)
  double z = std::numeric_limits<double>::quiet_NaN();              ///< kappa / se0
  double p_value = std::numeric_limits<double>::quiet_NaN();        ///< two-sided, erfc(|z|/sqrt 2)
  double log10_p_value = std::numeric_limits<double>::quiet_NaN();  ///< exact even when p_value underflows
  double se = std::numeric_limits<double>::quiet_NaN();             ///< non-null SE (Gwet's linearisation)
  double ci_low = std::numeric_limits<double>::quiet_NaN();         ///< kappa - t se
  double ci_high = std::numeric_limits<double>::quiet_NaN();        ///< min(1, kappa + t se)
  std::size_t n_items = 0;                                          ///< items with n_i >= 2 (those in P-bar)
  std::size_t n_single_rating = 0;                                  ///< items with n_i = 1 (no P_i)
  std::size_t n_unrated = 0;                                        ///< items with n_i = 0 (left out)
  std::size_t n_margin_items = 0;  ///< items whose ratings form the margins (and the SE's N)
  std::int64_t n_ratings = 0;      ///< ratings in the margins
  bool equal_raters = true;        ///< every item in P-bar has the same n_i
  Eigen::VectorXd p_j;             ///< the category proportions used for P_e
};

namespace detail {

// Neumaier's compensated sum: sums of 10^7 terms in double to about one ulp.
struct compensated_sum {
  double sum = 0, carry = 0;
  void add(double x) {
    const double t = sum + x;
    carry += std::fabs(sum) >= std::fabs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  long double value() const { return static_cast<long double>(sum) + carry; }
};

// Quantile of Student's t (two-sided interval at `confidence`) with `df` degrees of freedom.
inline double t_quantile(double confidence, double df) {
  boost::math::students_t_distribution<double> t(df);
  return boost::math::quantile(t, 1.0 - (1.0 - confidence) / 2.0);
}

}  // namespace detail

/// Fleiss' kappa of an items x categories count table.
///
/// P_i = sum_j n_ij(n_ij - 1) / (n_i(n_i - 1)) with each item's own n_i; P-bar is their mean over
/// the items with n_i >= 2 (items with fewer ratings are counted in n_single_rating / n_unrated,
/// or rejected with options.require_two_ratings); P_e = sum_j p_j^2 with p_j per options.margins;
/// kappa = (P-bar - P_e) / (1 - P_e), 1 - P_e formed as sum_j p_j (1 - p_j) (exactly, from integer
/// totals, with pooled margins). With equal n_i every sum is exact in 64-bit integers.
///
/// se0 (Fleiss, Nee & Landis 1979, the SE of irr's kappam.fleiss) is
/// sqrt(2 h / N * ((sum p_j q_j)^2 - sum p_j q_j (q_j - p_j))) / sum p_j q_j with h = 1/(n(n-1));
/// it assumes equal n, and with unequal n_i disfer uses h = mean over items of 1/(n_i(n_i-1)),
/// which reduces to the published form when all n_i are equal. z = kappa/se0, p two-sided from
/// erfc (so 9.85e-70 for Fleiss' 1971 data, where irr prints 0), log10_p_value always finite.
/// se0 is for the test only: an interval needs the non-null SE.
///
/// se: Gwet's linearisation (Gwet 2014, ch. 5; irrCAC fleiss.kappa.raw): over the M margin items,
/// kappa_i = (M / N2)(P_i - P_e [n_i >= 2]) / (1 - P_e), kappa_i* = kappa_i - 2 (1 - kappa) w_i
/// (pe_i - P_e) / (1 - P_e), pe_i = sum_j n_ij p_j / n_i, var = sum (kappa_i* - kappa)^2 / (M (M - 1)),
/// with w_i = 1 for mean_item_proportions (exactly irrCAC) and w_i = n_i / mean(n) for pooled
/// margins (the derivative of the pooled p_j; equal to 1 with equal n). Interval: kappa -+ t se,
/// t with M - 1 df, the upper end capped at 1 (as irrCAC).
///
/// NaN cases: P_e = 1 (every rating in one category: 0/0) gives NaN kappa, z, p and SEs; with
/// sum p_j q_j = 0 the SEs are NaN; the non-null SE needs M >= 2.
/// Complexity O(N k) per pass (two passes when options.nonnull_se). No N-sized storage, except
/// 8 bytes per item for the non-null SE of a row-major table with k <= 8 (its rows as bytes, which
/// the second pass reads instead of the table; without that memory it reads the table). Throws
/// disfer::error ("fleiss_kappa: row r ...") for an empty table, fewer than 2 categories, a
/// negative count, no item with 2 ratings, or (with require_two_ratings) an item with fewer than 2
/// ratings; and for a confidence outside (0, 1).
template <class Derived>
fleiss_kappa_result fleiss_kappa(const Eigen::MatrixBase<Derived>& counts, const fleiss_options& options) {
  constexpr const char* fn = "fleiss_kappa";
  const Eigen::Index n_rows = counts.rows(), k = counts.cols();
  if (n_rows == 0) detail::fail(fn, "the count table is empty (0 items)");
  if (k < 2) detail::fail(fn, "the count table has ", k, " categor", k == 1 ? "y" : "ies", "; at least 2 are needed");
  if (!(options.confidence > 0 && options.confidence < 1))
    detail::fail(fn, "confidence ", options.confidence, " is outside (0, 1)");
  const bool mip = options.margins == kappa_margins::mean_item_proportions;

  fleiss_kappa_result r;
  std::vector<std::int64_t> col_total(static_cast<std::size_t>(k), 0);
  std::vector<detail::compensated_sum> col_prop(mip ? static_cast<std::size_t>(k) : 0);
  detail::compensated_sum sum_p, sum_inv;
  std::int64_t pairs_total = 0, n_common = -1;
  constexpr std::int64_t small_n = 256;
  std::vector<std::int64_t> pairs_by_n(small_n, 0), items_by_n(small_n, 0);
  // The first two n_i in [2, small_n) seen: the vector scan keeps rows with these in registers (and
  // adds them to the same integer sums per n_i, so every path gives the same bits).
  std::int64_t common[2] = {-1, -1};

  // One row of the first pass, given its n_i and sum_j n_ij (n_ij - 1); `counted` when the vector
  // scan has already added its values to col_total.
  const auto add_row = [&](Eigen::Index i, std::int64_t n, std::int64_t pairs, bool counted) {
    if (!counted)
      for (Eigen::Index j = 0; j < k; ++j)
        if (counts(i, j) < 0)
          detail::fail(fn, "row ", i + 1, " has a negative count ", counts(i, j), " in column ", j + 1);
    bool in_margins = true;
    if (n < 2) {
      if (options.require_two_ratings)
        detail::fail(fn, "row ", i + 1, " has ", n, " rating", n == 1 ? "" : "s", "; every item needs at least 2");
      if (n == 0) {
        ++r.n_unrated;
        return;  // adds nothing to col_total either way
      }
      ++r.n_single_rating;
      in_margins = options.single_ratings_in_margins;
    } else {
      ++r.n_items;
      if (n < small_n) {  // exact integer sums per n_i (crowd studies have few distinct n_i)
        pairs_by_n[static_cast<std::size_t>(n)] += pairs;
        ++items_by_n[static_cast<std::size_t>(n)];
        if (common[0] < 0)
          common[0] = n;
        else if (common[1] < 0 && n != common[0])
          common[1] = n;
      } else {
        const std::int64_t denom = n * (n - 1);
        sum_p.add(static_cast<double>(pairs) / static_cast<double>(denom));
        sum_inv.add(1.0 / static_cast<double>(denom));
      }
      pairs_total += pairs;
      if (n_common < 0) n_common = n;
      if (n != n_common) r.equal_raters = false;
    }
    if (in_margins) {
      ++r.n_margin_items;
      r.n_ratings += n;
    }
    if (in_margins != counted) {
      const std::int64_t sign = in_margins ? 1 : -1;
      for (Eigen::Index j = 0; j < k; ++j) col_total[static_cast<std::size_t>(j)] += sign * counts(i, j);
    }
    if (mip && in_margins) {
      const double inv = 1.0 / static_cast<double>(n);
      for (Eigen::Index j = 0; j < k; ++j)
        col_prop[static_cast<std::size_t>(j)].add(static_cast<double>(counts(i, j)) * inv);
    }
  };
  bool scanned = false;
  using scalar = typename Derived::Scalar;
  [[maybe_unused]] constexpr bool int_table =
      std::is_same_v<scalar, std::int64_t> || std::is_same_v<scalar, std::int32_t>;
  [[maybe_unused]] constexpr bool direct = (Derived::Flags & Eigen::DirectAccessBit) != 0;
  [[maybe_unused]] constexpr bool row_major = (Derived::Flags & Eigen::RowMajorBit) != 0;
  // A row-major table's rows as bytes (k <= 8, every value below 256) for the non-null SE's pass.
  std::unique_ptr<std::uint64_t[]> packed;
  bool packed_ok = false;
#if DISFER_SIMD_X86
  if constexpr (direct && int_table) {
    // Pooled margins only: the item proportions of mean_item_proportions are a compensated sum
    // in row order, which the scalar loop keeps.
    const auto& table = counts.derived();
    if (!mip && table.innerStride() == 1 && (!row_major || k <= 8) &&
        detail::simd_resolve() >= detail::simd_path::avx2) {
      detail::fleiss_scan_sums sums;
      if constexpr (row_major) {
        if (options.nonnull_se) packed.reset(new (std::nothrow) std::uint64_t[static_cast<std::size_t>(n_rows)]);
        if (packed)
          sums = detail::fleiss_scan_rows_avx2<true>(table.data(), table.outerStride(), n_rows, k, col_total.data(),
                                                     common, add_row, packed.get(), packed_ok);
        else
          sums = detail::fleiss_scan_rows_avx2<false>(table.data(), table.outerStride(), n_rows, k, col_total.data(),
                                                      common, add_row, nullptr, packed_ok);
      } else {
        sums =
            detail::fleiss_scan_avx2(table.data(), table.outerStride(), n_rows, k, col_total.data(), common, add_row);
      }
      for (int c = 0; c < 2; ++c) {  // the kept rows have n_i = common[c], in [2, small_n)
        if (sums.rows[c] == 0) continue;
        const std::int64_t n = common[c];
        r.n_items += static_cast<std::size_t>(sums.rows[c]);
        r.n_margin_items += static_cast<std::size_t>(sums.rows[c]);
        r.n_ratings += sums.rows[c] * n;
        pairs_total += sums.pairs[c];
        pairs_by_n[static_cast<std::size_t>(n)] += sums.pairs[c];
        items_by_n[static_cast<std::size_t>(n)] += sums.rows[c];
      }
      scanned = true;
    }
  }
#endif
  if (!scanned)
    for (Eigen::Index i = 0; i < n_rows; ++i) {
      const detail::fleiss_row x =
          detail::fleiss_row_sums(k, [&](Eigen::Index j) -> std::int64_t { return counts(i, j); });
      add_row(i, x.n, x.pairs, false);
    }
  if (r.n_items == 0) detail::fail(fn, "no item has 2 or more ratings; kappa needs pairs of ratings");

  // Margins and 1 - P_e = sum_j p_j q_j.
  using ld = long double;
  const ld M = static_cast<ld>(r.n_margin_items);
  std::vector<ld> p(static_cast<std::size_t>(k));
  ld one_minus_pe = 0, pe = 0;
  if (!mip) {
    __extension__ using i128 = __int128;
    const i128 T = r.n_ratings;
    i128 sum_sq = 0;
    for (auto c : col_total) sum_sq += static_cast<i128>(c) * c;
    const ld T2 = static_cast<ld>(T * T);
    pe = static_cast<ld>(sum_sq) / T2;
    one_minus_pe = static_cast<ld>(T * T - sum_sq) / T2;
    for (Eigen::Index j = 0; j < k; ++j)
      p[static_cast<std::size_t>(j)] = static_cast<ld>(col_total[j]) / static_cast<ld>(T);
  } else {
    for (Eigen::Index j = 0; j < k; ++j) {
      const ld pj = col_prop[static_cast<std::size_t>(j)].value() / M;
      p[static_cast<std::size_t>(j)] = pj;
      pe += pj * pj;
      one_minus_pe += pj * (1 - pj);
    }
  }
  r.p_j.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) r.p_j[j] = static_cast<double>(p[static_cast<std::size_t>(j)]);

  const ld n_items = static_cast<ld>(r.n_items);
  ld sum_p_all = sum_p.value(), sum_inv_all = sum_inv.value();
  for (std::int64_t n = 2; n < small_n; ++n) {
    if (items_by_n[static_cast<std::size_t>(n)] == 0) continue;
    const ld denom = static_cast<ld>(n) * static_cast<ld>(n - 1);
    sum_p_all += static_cast<ld>(pairs_by_n[static_cast<std::size_t>(n)]) / denom;
    sum_inv_all += static_cast<ld>(items_by_n[static_cast<std::size_t>(n)]) / denom;
  }
  ld p_bar;
  if (r.equal_raters)
    p_bar = static_cast<ld>(pairs_total) / (n_items * static_cast<ld>(n_common) * static_cast<ld>(n_common - 1));
  else
    p_bar = sum_p_all / n_items;
  r.p_bar = static_cast<double>(p_bar);
  r.p_e = static_cast<double>(pe);
  if (!(one_minus_pe > 0)) return r;  // P_e = 1: kappa is 0/0

  const ld kappa = (p_bar - pe) / one_minus_pe;
  r.kappa = static_cast<double>(kappa);

  // Null SE (Fleiss, Nee & Landis 1979), h = mean 1/(n_i(n_i-1)).
  ld b = 0;
  for (auto pj : p) b += pj * (1 - pj) * ((1 - pj) - pj);
  const ld h =
      r.equal_raters ? 1.0L / (static_cast<ld>(n_common) * static_cast<ld>(n_common - 1)) : sum_inv_all / n_items;
  const ld a = one_minus_pe;
  const ld var0 = 2 * h / n_items * (a * a - b) / (a * a);
  if (var0 > 0) {
    const ld se0 = std::sqrt(var0);
    r.se0 = static_cast<double>(se0);
    const ld z = kappa / se0;
    r.z = static_cast<double>(z);
    const auto tail = detail::two_sided_normal(z);
    r.p_value = tail.p_value;
    r.log10_p_value = tail.log10_p_value;
  }

  if (!options.nonnull_se || r.n_margin_items < 2) return r;
  // Non-null SE: Gwet's linearisation over the margin items, in double (each term is O(1)), summed
  // in a fixed order of lanes and blocks (detail::fleiss_se_lanes) so every path agrees bit for bit.
  std::vector<double> p_d(static_cast<std::size_t>(k));
  for (Eigen::Index j = 0; j < k; ++j)
    p_d[static_cast<std::size_t>(j)] = static_cast<double>(p[static_cast<std::size_t>(j)]);
  detail::fleiss_se_terms terms;
  terms.pe = static_cast<double>(pe);
  terms.kappa = static_cast<double>(kappa);
  terms.inv_ope = static_cast<double>(1 / one_minus_pe);
  terms.scale = static_cast<double>(M / n_items);
  terms.inv_mean_n = static_cast<double>(M / static_cast<ld>(r.n_ratings));
  terms.slope = 2 * (1 - terms.kappa) * terms.inv_ope;
  terms.mip = mip;
  terms.single_in_margins = options.single_ratings_in_margins;
  terms.p = p_d.data();
  detail::compensated_sum acc;
  bool summed = false;
#if DISFER_SIMD_X86
  if constexpr (direct && int_table) {
    const auto& table = counts.derived();
    if (packed && packed_ok) {
      detail::fleiss_se_packed_avx2(packed.get(), n_rows, k, terms, acc);
      summed = true;
    } else if (!row_major && table.innerStride() == 1 && detail::simd_resolve() >= detail::simd_path::avx2) {
      detail::fleiss_se_avx2(table.data(), table.outerStride(), n_rows, k, terms, acc);
      summed = true;
    }
  }
#endif
  if (!summed) {
    double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    detail::fleiss_se_lanes(0, n_rows, lane, acc, [&](Eigen::Index i) {
      return terms.square_of(k, [&](Eigen::Index j) -> std::int64_t { return counts(i, j); });
    });
    detail::fleiss_flush_lanes(lane, acc);
  }
  const ld var = acc.value() / (M * (M - 1));
  r.se = static_cast<double>(std::sqrt(var));
  const double t = detail::t_quantile(options.confidence, static_cast<double>(r.n_margin_items - 1));
  r.ci_low = r.kappa - t * r.se;
  r.ci_high = std::fmin(1.0, r.kappa + t * r.se);
  return r;
}

/// fleiss_kappa with default options and the given margin convention.
template <class Derived>
fleiss_kappa_result fleiss_kappa(const Eigen::MatrixBase<Derived>& counts,
                                 kappa_margins margins = kappa_margins::pooled) {
  fleiss_options o;
  o.margins = margins;
  return fleiss_kappa(counts, o);
}

/// Per-category kappas (Fleiss 1971, eq. 13; null SE from Fleiss, Nee & Landis 1979, as irr's
/// kappam.fleiss(detail = TRUE) before its rounding).
struct category_kappa_result {
  Eigen::VectorXd kappa;  ///< 1 - mean_i[n_ij (n_i - n_ij) / (n_i (n_i - 1))] / (p_j q_j)
  Eigen::VectorXd p_j;    ///< pooled proportions over items with n_i >= 2
  double se0 = std::numeric_limits<double>::quiet_NaN();  ///< sqrt(2 h / N), the same for every category
  Eigen::VectorXd z;                                      ///< kappa_j / se0
  Eigen::VectorXd p_value;                                ///< two-sided normal
  Eigen::VectorXd log10_p_value;                          ///< log10 of p_value, exact when it underflows
  std::size_t n_items = 0;                                ///< items with n_i >= 2
};

/// Kappa of each category against all others over the items with n_i >= 2 (with equal n, Fleiss'
/// formula; with unequal n_i each item's disagreement is scaled by its own n_i(n_i - 1), h = mean
/// 1/(n_i(n_i - 1))). kappa_j is NaN when p_j is 0 or 1 (the category is never or always used).
/// Complexity O(N k). Throws disfer::error as fleiss_kappa (named `category_kappas`).
template <class Derived>
category_kappa_result category_kappas(const Eigen::MatrixBase<Derived>& counts) {
  constexpr const char* fn = "category_kappas";
  detail::check_counts(fn, counts);
  const Eigen::Index k = counts.cols();
  using ld = long double;
  std::vector<ld> disagree(static_cast<std::size_t>(k), 0);
  std::vector<std::int64_t> col(static_cast<std::size_t>(k), 0);
  std::int64_t total = 0;
  ld sum_inv = 0;
  category_kappa_result r;
  for (Eigen::Index i = 0; i < counts.rows(); ++i) {
    const std::int64_t n = counts.row(i).sum();
    if (n < 2) continue;
    ++r.n_items;
    const ld denom = static_cast<ld>(n) * (n - 1);
    sum_inv += 1 / denom;
    total += n;
    for (Eigen::Index j = 0; j < k; ++j) {
      const std::int64_t v = counts(i, j);
      col[static_cast<std::size_t>(j)] += v;
      disagree[static_cast<std::size_t>(j)] += static_cast<ld>(v * (n - v)) / denom;
    }
  }
  if (r.n_items == 0) detail::fail(fn, "no item has 2 or more ratings; kappa needs pairs of ratings");
  const ld N = static_cast<ld>(r.n_items);
  r.kappa.resize(k);
  r.p_j.resize(k);
  r.z.resize(k);
  r.p_value.resize(k);
  r.log10_p_value.resize(k);
  const ld se0 = std::sqrt(2 * (sum_inv / N) / N);
  r.se0 = static_cast<double>(se0);
  for (Eigen::Index j = 0; j < k; ++j) {
    const ld pj = static_cast<ld>(col[static_cast<std::size_t>(j)]) / static_cast<ld>(total);
    r.p_j[j] = static_cast<double>(pj);
    const ld pq = pj * (1 - pj);
    const ld kj = pq > 0 ? 1 - (disagree[static_cast<std::size_t>(j)] / N) / pq : std::numeric_limits<ld>::quiet_NaN();
    r.kappa[j] = static_cast<double>(kj);
    r.z[j] = static_cast<double>(kj / se0);
    const auto tail = detail::two_sided_normal(kj / se0);
    r.p_value[j] = tail.p_value;
    r.log10_p_value[j] = tail.log10_p_value;
  }
  return r;
}

/// Randolph's (2005) free-marginal multirater kappa: (P-bar - 1/k) / (1 - 1/k), with P-bar over the
/// items with n_i >= 2 and k the number of columns of the table, used or not (declare every
/// category the raters could choose: unused columns change this value, unlike Fleiss' kappa).
/// Defined even when every rating falls in one category. Complexity O(N k). Throws disfer::error as
/// fleiss_kappa (named `randolph_kappa`).
template <class Derived>
double randolph_kappa(const Eigen::MatrixBase<Derived>& counts) {
  constexpr const char* fn = "randolph_kappa";
  detail::check_counts(fn, counts);
  long double sum = 0;
  std::size_t used = 0;
  std::int64_t pairs_total = 0, n_common = -1;
  bool equal = true;
  for (Eigen::Index i = 0; i < counts.rows(); ++i) {
    std::int64_t n = 0, pairs = 0;
    for (Eigen::Index j = 0; j < counts.cols(); ++j) {
      n += counts(i, j);
      pairs += counts(i, j) * (counts(i, j) - 1);
    }
    if (n < 2) continue;
    ++used;
    pairs_total += pairs;
    if (n_common < 0) n_common = n;
    if (n != n_common) equal = false;
    sum += static_cast<long double>(pairs) / (static_cast<long double>(n) * (n - 1));
  }
  if (used == 0) detail::fail(fn, "no item has 2 or more ratings; kappa needs pairs of ratings");
  const long double p_bar =
      equal ? static_cast<long double>(pairs_total) /
                  (static_cast<long double>(used) * static_cast<long double>(n_common) * (n_common - 1))
            : sum / static_cast<long double>(used);
  const long double k = static_cast<long double>(counts.cols());
  return static_cast<double>((p_bar * k - 1) / (k - 1));
}

}  // namespace disfer
