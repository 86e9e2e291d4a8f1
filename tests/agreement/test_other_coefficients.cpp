// Cohen's kappa (statsmodels 0.13.5), Gwet's AC1, Krippendorff's alpha and per-category kappas
// (base R from the published formulas), Randolph's kappa and Landis & Koch labels.
#include "agreement_test_support.hpp"

#include <disfer/agreement.hpp>

using agreement_test::reference_table;
using agreement_test::reference_values;

TEST_CASE("cohen_kappa: weights against statsmodels", "[agreement][cohen_kappa]") {
  const auto sm = reference_values("statsmodels_reference.csv");
  disfer::count_matrix abstractors(3, 3);
  abstractors << 13, 0, 0, 0, 20, 7, 0, 4, 56;
  const auto coh = reference_table("random_cohen.csv");
  struct weighting {
    const char* name;
    disfer::cohen_weights w;
  };
  for (const auto& [tname, table] : {std::pair<std::string, disfer::count_matrix>{"abstractors", abstractors},
                                     std::pair<std::string, disfer::count_matrix>{"random_cohen", coh}})
    for (const auto& w : {weighting{"unweighted", disfer::cohen_weights::unweighted},
                          weighting{"linear", disfer::cohen_weights::linear},
                          weighting{"quadratic", disfer::cohen_weights::quadratic}}) {
      const std::string tag = tname + "." + w.name;
      INFO(tag);
      // statsmodels: cohens_kappa(table, wt=...) -> kappa, std_kappa, std_kappa0
      const auto r = disfer::cohen_kappa(table, w.w);
      CHECK_REL(r.kappa, sm.at(tag + ".kappa"), 1e-12);
      CHECK_REL(r.se, sm.at(tag + ".se"), 1e-11);
      CHECK_REL(r.se0, sm.at(tag + ".se0"), 1e-11);
    }
  // Custom weights: statsmodels takes disagreement weights d; disfer takes agreement weights 1 - d.
  Eigen::MatrixXd d(5, 5);
  d << 0, 1, 2, 2, 2, 1, 0, 1, 2, 2, 2, 1, 0, 1, 2, 2, 2, 1, 0, 1, 2, 2, 2, 1, 0;
  const Eigen::MatrixXd agree = Eigen::MatrixXd::Ones(5, 5) - d / 2.0;
  const auto r = disfer::cohen_kappa(coh, agree);
  CHECK_REL(r.kappa, sm.at("random_cohen.custom.kappa"), 1e-12);
  CHECK_REL(r.se, sm.at("random_cohen.custom.se"), 1e-11);
  CHECK_REL(r.se0, sm.at("random_cohen.custom.se0"), 1e-11);
}

TEST_CASE("cohen_kappa: label vectors / missing pairs / errors", "[agreement][cohen_kappa][errors]") {
  const std::vector<std::int64_t> a = {0, 1, 2, 1, -1, 0}, b = {0, 1, 1, 1, 2, -1};
  const auto t = disfer::cohen_table(a, b, 3);
  CHECK(t.sum() == 4);
  CHECK(t(2, 1) == 1);
  CHECK_THROWS_WITH(disfer::cohen_table(a, {0, 1}, 3), Catch::StartsWith("cohen_table: rater A has 6 labels"));
  CHECK_THROWS_WITH(disfer::cohen_table({3}, {0}, 3), Catch::Contains("item 0 has label 3"));
  CHECK_THROWS_WITH(disfer::cohen_kappa(disfer::count_matrix::Ones(2, 3)), Catch::Contains("square"));
  CHECK_THROWS_WITH(disfer::cohen_kappa(disfer::count_matrix::Zero(3, 3)), Catch::Contains("no ratings"));
  CHECK_THROWS_WITH(disfer::cohen_kappa(disfer::count_matrix::Ones(3, 3), Eigen::MatrixXd::Identity(2, 2)),
                    Catch::Contains("weight matrix is 2 x 2"));
  // Both raters always use one category: p_e = 1, kappa undefined.
  disfer::count_matrix one = disfer::count_matrix::Zero(2, 2);
  one(0, 0) = 5;
  CHECK(std::isnan(disfer::cohen_kappa(one).kappa));
}

TEST_CASE("gwet_ac1: against R (irrCAC's formulas)", "[agreement][gwet_ac1]") {
  const auto r = reference_values("r_reference.csv");
  const auto t = reference_table("random_unequal.csv");
  const auto a = disfer::gwet_ac1(t);
  CHECK_REL(a.ac1, r.at("random_unequal.ac1.ac1"), 1e-12);
  CHECK_REL(a.p_e, r.at("random_unequal.ac1.p_e"), 1e-12);
  CHECK_REL(a.se, r.at("random_unequal.ac1.se"), 1e-10);
  CHECK_REL(a.ci_low, r.at("random_unequal.ac1.ci_low"), 1e-10);
  CHECK_REL(a.ci_high, r.at("random_unequal.ac1.ci_high"), 1e-10);
  CHECK_REL(a.p_value, r.at("random_unequal.ac1.p_value"), 1e-9);
  CHECK_REL(a.log10_p_value, r.at("random_unequal.ac1.log10_p_value"), 1e-11);
  disfer::count_matrix raw4(12, 5);
  raw4 << 3, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 4, 0, 3, 1,
      0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 3, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0;
  const auto b = disfer::gwet_ac1(raw4);
  CHECK_REL(b.se, r.at("raw4.ac1.se"), 1e-10);
  CHECK(b.ci_high == 1.0);
  CHECK_REL(b.ci_low, r.at("raw4.ac1.ci_low"), 1e-10);
  CHECK(b.n_items == 12);
  CHECK(b.n_pairs_items == 11);
}

TEST_CASE("krippendorff_alpha and category_kappas: against R", "[agreement][krippendorff_alpha]") {
  const auto r = reference_values("r_reference.csv");
  const auto t = reference_table("random_unequal.csv");
  CHECK_REL(disfer::krippendorff_alpha(t).alpha, r.at("random_unequal.alpha"), 1e-12);
  const auto ck = disfer::category_kappas(t);
  for (int j = 0; j < 7; ++j) CHECK_REL(ck.kappa[j], r.at("random_unequal.category.kappa_" + std::to_string(j)), 1e-12);
  CHECK_REL(ck.se0, r.at("random_unequal.category.se0"), 1e-12);
  // Unpairable only: error; all pairable values equal: D_e = 0 -> NaN.
  disfer::count_matrix lone(2, 2);
  lone << 1, 0, 0, 1;
  CHECK_THROWS_WITH(disfer::krippendorff_alpha(lone), Catch::Contains("krippendorff_alpha: no unit has 2"));
  disfer::count_matrix same(2, 2);
  same << 3, 0, 2, 0;
  CHECK(std::isnan(disfer::krippendorff_alpha(same).alpha));
  CHECK_THROWS_WITH(disfer::krippendorff_alpha(std::vector<std::vector<std::optional<std::int64_t>>>{{1, 2}, {1}}),
                    Catch::Contains("coder row 2 has 1 units"));
}

TEST_CASE("randolph_kappa counts unused categories / landis_koch bands", "[agreement][randolph_kappa]") {
  disfer::count_matrix c(2, 2);
  c << 7, 1, 3, 5;
  disfer::count_matrix wide = disfer::count_matrix::Zero(2, 4);
  wide.leftCols(2) = c;
  // Fleiss' kappa ignores unused columns; Randolph's does not (P_e = 1/k).
  CHECK_REL(disfer::fleiss_kappa(wide).kappa, disfer::fleiss_kappa(c).kappa, 1e-15);
  CHECK(disfer::randolph_kappa(wide) > disfer::randolph_kappa(c));
  CHECK(disfer::landis_koch(-0.1) == "poor");
  CHECK(disfer::landis_koch(0.0) == "slight");
  CHECK(disfer::landis_koch(0.2) == "slight");
  CHECK(disfer::landis_koch(0.21) == "fair");
  CHECK(disfer::landis_koch(0.58) == "moderate");
  CHECK(disfer::landis_koch(0.8) == "substantial");
  CHECK(disfer::landis_koch(0.81) == "almost perfect");
  CHECK(disfer::landis_koch(std::nan("")) == "undefined");
}
