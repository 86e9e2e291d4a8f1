// Laws: invariance to permuting categories and items, P_i in [0, 1], perfect agreement gives 1,
// P_e = 1 gives NaN, the lower bound -1/(n-1), inputs untouched.
#include "agreement_test_support.hpp"

#include <disfer/agreement.hpp>
#include <disfer/core/random.hpp>

using agreement_test::reference_table;

namespace {

// A random table: n_i in [0, max_n], votes drawn from Philox streams (seeded, platform-independent).
disfer::count_matrix random_table(std::uint64_t seed, Eigen::Index rows, Eigen::Index k, std::uint64_t max_n) {
  disfer::count_matrix c = disfer::count_matrix::Zero(rows, k);
  for (Eigen::Index i = 0; i < rows; ++i) {
    disfer::random_cursor cur({seed, static_cast<std::uint64_t>(i), disfer::purpose::user});
    const auto n = cur.next_below(max_n + 1);
    const auto favourite = static_cast<Eigen::Index>(cur.next_below(static_cast<std::uint64_t>(k)));
    for (std::uint64_t v = 0; v < n; ++v)
      ++c(i, cur.next_bernoulli(0.5) ? favourite : static_cast<Eigen::Index>(cur.next_below(static_cast<std::uint64_t>(k))));
  }
  return c;
}

disfer::count_matrix permute(const disfer::count_matrix& c, const std::vector<std::size_t>& rows,
                             const std::vector<std::size_t>& cols) {
  disfer::count_matrix out(c.rows(), c.cols());
  for (Eigen::Index i = 0; i < c.rows(); ++i)
    for (Eigen::Index j = 0; j < c.cols(); ++j)
      out(i, j) = c(static_cast<Eigen::Index>(rows[static_cast<std::size_t>(i)]),
                    static_cast<Eigen::Index>(cols[static_cast<std::size_t>(j)]));
  return out;
}

}  // namespace

TEST_CASE("properties: invariance to permuting categories and items", "[agreement][properties]") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto c = seed == 1 ? reference_table("random_unequal.csv") : random_table(seed, 200, 6, 12);
    const auto rows = disfer::random_permutation(static_cast<std::size_t>(c.rows()), {seed, 0, disfer::purpose::user});
    const auto cols = disfer::random_permutation(static_cast<std::size_t>(c.cols()), {seed, 1, disfer::purpose::user});
    const auto p = permute(c, rows, cols);
    INFO("seed " << seed);
    for (auto m : {disfer::kappa_margins::pooled, disfer::kappa_margins::mean_item_proportions}) {
      const auto a = disfer::fleiss_kappa(c, m), b = disfer::fleiss_kappa(p, m);
      CHECK_REL(b.kappa, a.kappa, 1e-13);
      CHECK_REL(b.p_bar, a.p_bar, 1e-13);
      CHECK_REL(b.se0, a.se0, 1e-13);
      CHECK_REL(b.se, a.se, 1e-12);
    }
    const Eigen::VectorXd pa = disfer::item_agreement(c), pb = disfer::item_agreement(p);
    for (Eigen::Index i = 0; i < c.rows(); ++i) {
      const double expected = pa[static_cast<Eigen::Index>(rows[static_cast<std::size_t>(i)])];
      if (std::isnan(expected))
        CHECK(std::isnan(pb[i]));
      else
        CHECK(pb[i] == expected);
    }
    CHECK_REL(disfer::gwet_ac1(p).ac1, disfer::gwet_ac1(c).ac1, 1e-13);
    CHECK_REL(disfer::krippendorff_alpha(p).alpha, disfer::krippendorff_alpha(c).alpha, 1e-13);
    CHECK_REL(disfer::randolph_kappa(p), disfer::randolph_kappa(c), 1e-13);
  }
}

TEST_CASE("properties: P_i between 0 and 1 / kappa >= -1/(n-1)", "[agreement][properties]") {
  for (std::uint64_t seed = 10; seed < 20; ++seed) {
    const auto c = random_table(seed, 100, 3 + static_cast<Eigen::Index>(seed % 5), 9);
    const Eigen::VectorXd p = disfer::item_agreement(c);
    for (Eigen::Index i = 0; i < p.size(); ++i) {
      if (c.row(i).sum() < 2) {
        CHECK(std::isnan(p[i]));
        continue;
      }
      CHECK(p[i] >= 0.0);
      CHECK(p[i] <= 1.0);
    }
  }
  // Every item split evenly over n = 3 categories: P_i = 0, kappa = -1/(n-1) = -0.5 (statsmodels#7657).
  disfer::count_matrix spread = disfer::count_matrix::Ones(5, 3);
  CHECK(disfer::fleiss_kappa(spread).kappa == -0.5);
}

TEST_CASE("properties: perfect agreement gives 1 / P_e = 1 gives NaN", "[agreement][properties]") {
  disfer::count_matrix c = disfer::count_matrix::Zero(6, 4);
  for (Eigen::Index i = 0; i < 6; ++i) c(i, i % 2) = 5 + i;  // two categories used, unequal n_i
  for (auto m : {disfer::kappa_margins::pooled, disfer::kappa_margins::mean_item_proportions})
    CHECK(disfer::fleiss_kappa(c, m).kappa == 1.0);
  CHECK(disfer::gwet_ac1(c).ac1 == 1.0);
  CHECK(disfer::krippendorff_alpha(c).alpha == 1.0);
  CHECK(disfer::randolph_kappa(c) == 1.0);
  // One category only: P_e = 1 -> 0/0, documented NaN (not 1, not 0).
  disfer::count_matrix one = disfer::count_matrix::Zero(3, 4);
  one.col(2).setConstant(5);
  const auto f = disfer::fleiss_kappa(one);
  CHECK(std::isnan(f.kappa));
  CHECK(std::isnan(f.z));
  CHECK(std::isnan(f.se0));
  CHECK(f.p_bar == 1.0);
  CHECK(std::isnan(disfer::category_kappas(one).kappa[2]));
  CHECK(std::isnan(disfer::krippendorff_alpha(one).alpha));
}

TEST_CASE("errors: every agreement function names itself and the row", "[agreement][errors]") {
  disfer::count_matrix neg(3, 2);
  neg << 1, 1, 2, 0, 1, -2;
  CHECK_THROWS_WITH(disfer::item_agreement(neg), Catch::Contains("item_agreement: row 3 has a negative count -2"));
  CHECK_THROWS_WITH(disfer::category_kappas(neg), Catch::Contains("category_kappas: row 3"));
  CHECK_THROWS_WITH(disfer::randolph_kappa(neg), Catch::Contains("randolph_kappa: row 3"));
  CHECK_THROWS_WITH(disfer::gwet_ac1(neg), Catch::Contains("gwet_ac1: row 3"));
  CHECK_THROWS_WITH(disfer::krippendorff_alpha(neg), Catch::Contains("krippendorff_alpha: row 3"));
  CHECK_THROWS_WITH(disfer::item_agreement(disfer::count_matrix(0, 4)), Catch::Contains("empty"));
  CHECK_THROWS_WITH(disfer::gwet_ac1(disfer::count_matrix::Ones(4, 1)), Catch::Contains("1 category"));
}
