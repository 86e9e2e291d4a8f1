// fleiss_kappa against the committed reference outputs: reference/r_reference.csv (base R from the
// published formulas; reproduces irrCAC's printed SE and one-sided p) and
// reference/statsmodels_reference.csv (statsmodels 0.13.5).
#include "agreement_test_support.hpp"

#include <disfer/agreement/fleiss_kappa.hpp>

#include <cmath>
#include <cstdint>
#include <random>

#include "simd_paths.hpp"

using agreement_test::reference_table;
using agreement_test::reference_values;

namespace {

void check_against_r(const disfer::fleiss_kappa_result& f, const std::map<std::string, double>& r,
                     const std::string& tag) {
  INFO("reference tag " << tag);
  CHECK_REL(f.kappa, r.at(tag + ".kappa"), 1e-12);
  CHECK_REL(f.p_bar, r.at(tag + ".p_bar"), 1e-12);
  CHECK_REL(f.p_e, r.at(tag + ".p_e"), 1e-12);
  CHECK_REL(f.se0, r.at(tag + ".se0"), 1e-12);
  CHECK_REL(f.z, r.at(tag + ".z"), 1e-12);
  // The p-values of the random tables underflow (z ~ 285): only log10 p is representable.
  if (r.at(tag + ".p_value") > 0)
    CHECK_REL(f.p_value, r.at(tag + ".p_value"), 1e-11);
  else
    CHECK(f.p_value == 0.0);
  CHECK_REL(f.log10_p_value, r.at(tag + ".log10_p_value"), 1e-12);
  CHECK_REL(f.se, r.at(tag + ".se"), 1e-10);
  CHECK_REL(f.ci_low, r.at(tag + ".ci_low"), 1e-10);
  CHECK_REL(f.ci_high, r.at(tag + ".ci_high"), 1e-10);
}

disfer::count_matrix raw4() {
  disfer::count_matrix c(12, 5);
  c << 3, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 4, 0, 3, 1, 0,
      0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 3, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0;
  return c;
}

}  // namespace

TEST_CASE("fleiss_kappa: equal raters against R and statsmodels", "[agreement][fleiss_kappa]") {
  const auto r = reference_values("r_reference.csv");
  const auto sm = reference_values("statsmodels_reference.csv");
  const auto eq = reference_table("random_equal.csv");
  const auto f = disfer::fleiss_kappa(eq);
  check_against_r(f, r, "random_equal.pooled");
  // statsmodels: fleiss_kappa(table, method='fleiss') and method='randolph'.
  CHECK_REL(f.kappa, sm.at("random_equal.fleiss"), 1e-12);
  CHECK_REL(disfer::randolph_kappa(eq), sm.at("random_equal.randolph"), 1e-12);
  CHECK(f.equal_raters);
  CHECK(f.n_items == 300);
  CHECK(f.n_ratings == 300 * 51);
  // With equal n both margin conventions coincide.
  const auto g = disfer::fleiss_kappa(eq, disfer::kappa_margins::mean_item_proportions);
  CHECK_REL(g.kappa, f.kappa, 1e-14);
  CHECK_REL(g.se, f.se, 1e-12);
}

TEST_CASE("fleiss_kappa: unequal raters (50/51) against R / both margin conventions", "[agreement][fleiss_kappa]") {
  const auto r = reference_values("r_reference.csv");
  const auto t = reference_table("random_unequal.csv");
  const auto pooled = disfer::fleiss_kappa(t, disfer::kappa_margins::pooled);
  check_against_r(pooled, r, "random_unequal.pooled");
  const auto mip = disfer::fleiss_kappa(t, disfer::kappa_margins::mean_item_proportions);
  check_against_r(mip, r, "random_unequal.mip");
  CHECK(!pooled.equal_raters);
  // The two conventions differ, by little (stats-anchors: about 5e-4 at 50/51 raters).
  CHECK(pooled.kappa != mip.kappa);
  CHECK(std::fabs(pooled.kappa - mip.kappa) < 1e-3);
}

TEST_CASE("fleiss_kappa: Fleiss 1971 and Gwet's raw4raters against R (irrCAC's formulas)",
          "[agreement][fleiss_kappa]") {
  const auto r = reference_values("r_reference.csv");
  const auto c = raw4();
  check_against_r(disfer::fleiss_kappa(c, disfer::kappa_margins::mean_item_proportions), r, "raw4.mip");
  check_against_r(disfer::fleiss_kappa(c, disfer::kappa_margins::pooled), r, "raw4.pooled");
  disfer::fleiss_options o;
  o.single_ratings_in_margins = false;
  check_against_r(disfer::fleiss_kappa(c, o), r, "raw4.pooled_pairable");
  // irrCAC 1.0's one-sided p, 1 - pt(kappa/se, n-1) = 0.00020958651926528127 (golden case source):
  // reproduced from disfer's SE with Boost's t distribution.
  const auto b = disfer::fleiss_kappa(c, disfer::kappa_margins::mean_item_proportions);
  boost::math::students_t_distribution<double> t11(11);
  CHECK_REL(boost::math::cdf(boost::math::complement(t11, b.kappa / b.se)), 0.00020958651926528127, 1e-9);
}

TEST_CASE("fleiss_kappa: non-null SE agrees with the jackknife at very unequal n", "[agreement][fleiss_kappa]") {
  // 400 items with 2 to 60 ratings each. R (r_reference.R): delete-one jackknife SE of kappa under each
  // margin convention. The linearised SE is asymptotically the same quantity: within 0.5% (0.05-0.07% here).
  const auto r = reference_values("r_reference.csv");
  const auto t = reference_table("random_very_unequal.csv");
  for (auto [m, tag] :
       {std::pair{disfer::kappa_margins::pooled, std::string("random_very_unequal.pooled")},
        std::pair{disfer::kappa_margins::mean_item_proportions, std::string("random_very_unequal.mip")}}) {
    const auto f = disfer::fleiss_kappa(t, m);
    CHECK_REL(f.kappa, r.at(tag + ".kappa"), 1e-12);
    CHECK_REL(f.se, r.at(tag + ".se_jackknife"), 0.005);
  }
}

TEST_CASE("fleiss_kappa: log10 p far below the smallest double", "[agreement][fleiss_kappa]") {
  // 2000 items, 10 raters, perfect agreement spread over 4 categories: z ~ 190, p ~ 1e-7900.
  disfer::count_matrix c = disfer::count_matrix::Zero(2000, 4);
  for (Eigen::Index i = 0; i < 2000; ++i) c(i, i % 4) = 10;
  const auto f = disfer::fleiss_kappa(c);
  CHECK(f.kappa == 1.0);
  CHECK(f.p_value == 0.0);
  // log10(erfc(z / sqrt 2)) from mpmath: mp.dps = 50; z = f.z;  log10(erfc(z/sqrt(2)))
  // with z = sqrt(2000 * 10 * 9 / 2) * (3/16) / sqrt((3/16)^2 - sum p q (q - p)) computed exactly:
  // sum p q = 3/4, sum p q (q - p) = 4 * (1/4)(3/4)(1/2) = 3/8, var0 = 2/(2000*90) * (9/16 - 3/8)/(9/16).
  const double z = 1.0 / std::sqrt(2.0 / (2000.0 * 90.0) * (9.0 / 16 - 3.0 / 8) / (9.0 / 16));
  CHECK_REL(f.z, z, 1e-13);
  CHECK(std::isfinite(f.log10_p_value));
  CHECK(f.log10_p_value < -300);
  // Asymptotic check: log10 p = log10 erfc(x), x = z/sqrt2, ~ (-x^2 - ln(x sqrt(pi))) / ln 10.
  const double x = z / std::sqrt(2.0);
  CHECK_REL(f.log10_p_value, (-x * x - std::log(x * std::sqrt(M_PI)) - std::log1p(1 / (2 * x * x))) / std::log(10.0),
            1e-8);
}

TEST_CASE("fleiss_kappa: options / counts and errors", "[agreement][fleiss_kappa][errors]") {
  disfer::count_matrix c(4, 3);
  c << 3, 0, 0, 0, 2, 1, 0, 0, 0, 1, 1, 1;
  const auto f = disfer::fleiss_kappa(c);
  CHECK(f.n_items == 3);
  CHECK(f.n_unrated == 1);
  CHECK(f.n_single_rating == 0);
  CHECK(f.n_margin_items == 3);

  disfer::count_matrix neg(2, 3);
  neg << 1, 2, 0, 0, -1, 3;
  CHECK_THROWS_WITH(disfer::fleiss_kappa(neg), Catch::Contains("fleiss_kappa: row 2 has a negative count -1"));
  CHECK_THROWS_AS(disfer::fleiss_kappa(neg), disfer::error);
  CHECK_THROWS_WITH(disfer::fleiss_kappa(disfer::count_matrix(0, 3)),
                    Catch::Contains("fleiss_kappa: the count table is empty"));
  CHECK_THROWS_WITH(disfer::fleiss_kappa(disfer::count_matrix::Constant(3, 1, 4)),
                    Catch::Contains("fleiss_kappa: the count table has 1 category"));
  disfer::count_matrix single(2, 2);
  single << 1, 0, 0, 1;
  CHECK_THROWS_WITH(disfer::fleiss_kappa(single), Catch::Contains("no item has 2 or more ratings"));
  disfer::fleiss_options bad;
  bad.confidence = 1.5;
  CHECK_THROWS_WITH(disfer::fleiss_kappa(c, bad), Catch::Contains("confidence"));
  // The input is never modified, and blocks / maps work without a copy.
  const disfer::count_matrix before = c;
  (void)disfer::fleiss_kappa(c.topRows(3));
  CHECK(bool(c == before));
}

namespace {

// A table that exercises every branch of the vector scan: runs of the common n, other n (50/51,
// and n >= 256), unrated rows, single ratings, values of 2^24 and more, a ragged tail.
disfer::count_matrix scan_table(std::uint32_t seed, Eigen::Index rows) {
  std::mt19937 g(seed);  // the table's bytes only need to be the same within one run
  disfer::count_matrix c = disfer::count_matrix::Zero(rows, 7);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::uint32_t kind = g() % 100;
    std::int64_t n = kind < 60 ? 51 : kind < 85 ? 50 : kind < 88 ? 0 : kind < 91 ? 1 : kind < 94 ? 300 : 2 + g() % 40;
    if (kind == 99) n = (std::int64_t{1} << 24) + 5;  // cells of about 2^22.4: past the 2^20 of the SE pass
    if (kind == 98) {                                 // one cell of 2^24 + 1: past the 2^24 of the first pass
      c(i, static_cast<Eigen::Index>(g() % 7)) = (std::int64_t{1} << 24) + 1;
      continue;
    }
    for (std::int64_t v = 0; v < n;) {
      const std::int64_t step = n > 1000 ? n / 3 + 1 : 1;
      c(i, static_cast<Eigen::Index>(g() % 7)) += std::min(step, n - v);
      v += step;
    }
  }
  return c;
}

// Bit for bit (NaN where both are undefined): every path forms the same integer sums.
bool same(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

void check_same(const disfer::fleiss_kappa_result& a, const disfer::fleiss_kappa_result& b) {
  CHECK(same(a.kappa, b.kappa));
  CHECK(same(a.p_bar, b.p_bar));
  CHECK(same(a.p_e, b.p_e));
  CHECK(same(a.se0, b.se0));
  CHECK(same(a.z, b.z));
  CHECK(same(a.log10_p_value, b.log10_p_value));
  CHECK(same(a.se, b.se));
  CHECK(a.n_items == b.n_items);
  CHECK(a.n_single_rating == b.n_single_rating);
  CHECK(a.n_unrated == b.n_unrated);
  CHECK(a.n_margin_items == b.n_margin_items);
  CHECK(a.n_ratings == b.n_ratings);
  CHECK(a.equal_raters == b.equal_raters);
  CHECK(bool(a.p_j == b.p_j));
}

template <class Table>
std::string error_of(const Table& c, const disfer::fleiss_options& o) {
  try {
    (void)disfer::fleiss_kappa(c, o);
  } catch (const disfer::error& e) {
    return e.what();
  }
  return "";
}

// Errors name the same first bad row on every path: a negative count in the last row of `c`, and
// (with require_two_ratings) a single rating in row 2 rows / 3. Returns the portable path's two messages.
template <class Table>
std::pair<std::string, std::string> check_errors_agree(const Table& c) {
  using disfer_test::forced_simd_path;
  using disfer_test::simd_path;
  const Eigen::Index rows = c.rows();
  Table bad = c;
  bad(rows - 1, 2) = -1;
  Table one = c;
  one.row(2 * rows / 3).setZero();
  one(2 * rows / 3, 4) = 1;
  disfer::fleiss_options strict;
  strict.require_two_ratings = true;
  std::pair<std::string, std::string> portable;
  {
    const forced_simd_path force(simd_path::portable);
    portable = {error_of(bad, {}), error_of(one, strict)};
  }
  CHECK_THAT(portable.first, Catch::Contains("row " + std::to_string(rows) + " has a negative count -1"));
  for (const simd_path p : disfer_test::all_simd_paths) {
    if (!disfer::detail::simd_path_available(p)) continue;
    const forced_simd_path force(p);
    CHECK(error_of(bad, {}) == portable.first);
    CHECK(error_of(one, strict) == portable.second);
  }
  return portable;
}

}  // namespace

// Row-major tables (numpy's C order) take their own vector pass for k <= 8, and the non-null SE
// reads a byte copy of the rows when every value is below 256; the results must be the column-major
// table's bits on every path.
TEST_CASE("fleiss_kappa: row-major tables give the bits of the column-major ones on every SIMD path",
          "[agreement][fleiss_kappa][simd]") {
  using disfer_test::forced_simd_path;
  using disfer_test::simd_path;
  using rows64 = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using rows32 = Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  int tested = 0;
  for (const Eigen::Index rows : {Eigen::Index{5}, Eigen::Index{8}, Eigen::Index{1003}, Eigen::Index{40000}}) {
    const disfer::count_matrix c = scan_table(static_cast<std::uint32_t>(rows) + 7, rows);
    disfer::count_matrix bytes = c;  // every value below 256: the byte copy is used
    for (Eigen::Index i = 0; i < rows; ++i)
      if (bytes.row(i).maxCoeff() > 255) bytes.row(i) << 30, 0, 21, 0, 0, 0, 0;
    disfer::count_matrix eight(rows, 8);  // k = 8: no masked lane
    eight << bytes, bytes.col(1);
    const disfer::count_matrix three = bytes.leftCols(3);
    disfer::count_matrix wide = disfer::count_matrix::Zero(rows, 9);  // k = 9: the scalar loop
    wide.leftCols(7) = bytes;
    wide.col(8) = bytes.col(0);
    for (const bool singles : {true, false})
      for (const disfer::kappa_margins margins :
           {disfer::kappa_margins::pooled, disfer::kappa_margins::mean_item_proportions}) {
        disfer::fleiss_options o;
        o.single_ratings_in_margins = singles;
        o.margins = margins;
        const auto portable = [&](const disfer::count_matrix& t) {
          const forced_simd_path scalar(simd_path::portable);
          return disfer::fleiss_kappa(t, o);
        };
        const auto expect_c = portable(c), expect_bytes = portable(bytes), expect_eight = portable(eight),
                   expect_three = portable(three), expect_wide = portable(wide);
        for (const simd_path p : disfer_test::all_simd_paths) {
          if (!disfer::detail::simd_path_available(p)) continue;
          const forced_simd_path force(p);
          INFO(disfer_test::simd_path_label(p) << ", " << rows << " rows, single ratings in margins " << singles
                                               << ", margins " << static_cast<int>(margins));
          check_same(disfer::fleiss_kappa(rows64(c), o), expect_c);  // values of 300 and 2^24 + 1
          check_same(disfer::fleiss_kappa(rows32(c.cast<std::int32_t>()), o), expect_c);
          check_same(disfer::fleiss_kappa(rows64(bytes), o), expect_bytes);
          check_same(disfer::fleiss_kappa(rows32(bytes.cast<std::int32_t>()), o), expect_bytes);
          check_same(disfer::fleiss_kappa(rows64(eight), o), expect_eight);
          check_same(disfer::fleiss_kappa(rows64(three), o), expect_three);
          check_same(disfer::fleiss_kappa(rows64(wide), o), expect_wide);
          // A block of a wider row-major table: row stride 8, not k = 7.
          const rows64 eight_rows = eight;
          check_same(disfer::fleiss_kappa(eight_rows.leftCols(7), o), expect_bytes);
          ++tested;
        }
      }
    // Errors name the same first bad row on every path.
    CHECK_THAT(check_errors_agree(rows64(bytes)).second, Catch::Contains("fleiss_kappa: row "));
  }
  CHECK(tested > 0);
}

TEST_CASE("fleiss_kappa: every SIMD path gives the same result bit for bit (int32 and int64 tables)",
          "[agreement][fleiss_kappa][simd]") {
  using disfer_test::forced_simd_path;
  using disfer_test::simd_path;
  int tested = 0;
  for (const Eigen::Index rows : {Eigen::Index{5}, Eigen::Index{8}, Eigen::Index{1003}, Eigen::Index{40000}}) {
    const auto c = scan_table(static_cast<std::uint32_t>(rows), rows);
    const Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic> c32 = c.cast<std::int32_t>();
    disfer::count_matrix equal = disfer::count_matrix::Zero(rows, 7);
    equal.col(0).setConstant(30);
    equal.col(3).setConstant(21);
    for (Eigen::Index i = 0; i < rows; i += 3) equal.row(i) << 10, 10, 10, 11, 5, 5, 0;
    Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic> wide =
        Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic>::Zero(rows, 130);
    wide.leftCols(7) = c32;
    wide.col(129) = c32.col(0);
    disfer::count_matrix large_n = c;  // the first n_i seen are 300 and 301: never kept in registers
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(rows, 16); ++i) large_n.row(i) << 300 + i % 2, 0, 0, 0, 0, 0, 0;
    for (const bool singles : {true, false}) {
      disfer::fleiss_options o;
      o.single_ratings_in_margins = singles;
      disfer::fleiss_kappa_result portable, portable_equal;
      {
        const forced_simd_path force(simd_path::portable);
        portable = disfer::fleiss_kappa(c, o);
        portable_equal = disfer::fleiss_kappa(equal, o);
      }
      for (const simd_path p : disfer_test::all_simd_paths) {
        if (!disfer::detail::simd_path_available(p)) {
          WARN("fleiss_kappa: path " << disfer_test::simd_path_label(p) << " not available here; not tested");
          continue;
        }
        const forced_simd_path force(p);
        INFO(disfer_test::simd_path_label(p) << ", " << rows << " rows, single ratings in margins " << singles);
        check_same(disfer::fleiss_kappa(c, o), portable);
        check_same(disfer::fleiss_kappa(c32, o), portable);
        check_same(disfer::fleiss_kappa(c.topRows(rows - 1), o), [&] {
          const forced_simd_path scalar(simd_path::portable);
          return disfer::fleiss_kappa(c.topRows(rows - 1), o);
        }());
        check_same(disfer::fleiss_kappa(equal, o), portable_equal);
        check_same(disfer::fleiss_kappa(large_n, o), [&] {
          const forced_simd_path scalar(simd_path::portable);
          return disfer::fleiss_kappa(large_n, o);
        }());
        check_same(disfer::fleiss_kappa(wide, o), [&] {  // int32 with k > 127: the 64-bit lanes
          const forced_simd_path scalar(simd_path::portable);
          return disfer::fleiss_kappa(wide, o);
        }());
        CHECK(disfer::fleiss_kappa(equal, o).equal_raters);
        ++tested;
      }
    }
    // Errors name the same first bad row on every path.
    const std::string portable_strict = check_errors_agree(c).second;
    if (rows > 8)  // scan_table puts 0/1-rating rows in about one row in 16
      CHECK_THAT(portable_strict, Catch::Contains("fleiss_kappa: row "));
    else
      CHECK_THAT(portable_strict,
                 Catch::Contains("fleiss_kappa: row " + std::to_string(2 * rows / 3 + 1) + " has 1 rating"));
  }
  CHECK(tested > 0);
}
