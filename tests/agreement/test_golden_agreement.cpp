// The published agreement examples of reference/published_cases.json (kinds fleiss_kappa,
// fleiss_kappa_unequal_raters, krippendorff_alpha, cohens_kappa), whose expected values
// reference/published_cases.py computes (exact rationals, mpmath, statsmodels). Full-precision values
// bind at relative 1e-12 (non-null SEs, a sum of squares of linearised terms, at 1e-10); what a source
// printed rounded (each case's "published") at half a unit of its last digit.
#include "agreement_test_support.hpp"

#include <fstream>
#include <limits>
#include <optional>

#include <disfer/agreement.hpp>
#include <disfer/crowd/votes.hpp>

#include "test_support.hpp"

using agreement_test::counts_of;
using agreement_test::decimals_of;
using agreement_test::rounded_close;
using agreement_test::value;
using nlohmann::json;

namespace {

const json& published_case(const std::string& id) {
  static const json cases = [] {
    std::ifstream in(agreement_test::reference_dir() + "/published_cases.json");
    REQUIRE(in);
    return json::parse(in).at("cases");
  }();
  for (const auto& c : cases)
    if (c.at("id") == id) return c;
  FAIL("published case " << id << " missing");
  throw std::logic_error("unreachable");
}

void check_vector(const Eigen::VectorXd& actual, const json& expected, double rel = 1e-12) {
  REQUIRE(static_cast<std::size_t>(actual.size()) == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("entry " << i);
    CHECK_REL(actual[static_cast<Eigen::Index>(i)], value(expected[i]), rel);
  }
}

// The fields a Fleiss case shares: P_bar, p_j, P_e, kappa, se0_FNL1979, z, p_two_sided_normal (and its log10).
void check_fleiss_fields(const disfer::fleiss_kappa_result& f, const json& e) {
  CHECK_REL(f.p_bar, value(e.at("P_bar")), 1e-12);
  check_vector(f.p_j, e.at("p_j"));
  CHECK_REL(f.p_e, value(e.at("P_e")), 1e-12);
  CHECK_REL(f.kappa, value(e.at("kappa")), 1e-12);
  CHECK_REL(f.se0, value(e.at("se0_FNL1979")), 1e-12);
  CHECK_REL(f.z, value(e.at("z")), 1e-12);
  CHECK_REL(f.p_value, value(e.at("p_two_sided_normal")), 1e-12);
  CHECK_REL(f.log10_p_value, std::log10(value(e.at("p_two_sided_normal"))), 1e-12);
  CHECK_REL(f.se, value(e.at("se_nonnull_gwet2014")), 1e-10);
}

void check_rounded(double actual, double printed) {
  INFO("actual " << std::setprecision(17) << actual << ", printed " << printed);
  CHECK(rounded_close(actual, printed, decimals_of(printed)));
}

}  // namespace

// Source: Fleiss (1971) Psychological Bulletin 76(5):378-382, Table 1 (see the case's source); the
// printed kappas from the paper, the non-null SE from irrCAC's printout (the case's "published").
TEST_CASE("golden: fleiss1971_diagnoses", "[agreement][golden]") {
  const json& c = published_case("fleiss1971_diagnoses");
  const json& e = c.at("expected");
  const auto counts = counts_of(c.at("input").at("counts_subject_by_category"));

  // The raw ratings (subject x rater, categories 1-5) give the published counts via vote_counts.
  disfer::vote_table votes;
  const auto& raw = c.at("input").at("raw_ratings_subject_by_rater");
  for (std::size_t i = 0; i < raw.size(); ++i)
    for (std::size_t r = 0; r < raw[i].size(); ++r)
      votes.add(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(r), raw[i][r].get<std::uint32_t>() - 1);
  CHECK(bool(disfer::vote_counts(votes, 5) == counts));

  check_vector(disfer::item_agreement(counts), e.at("P_i"));
  for (auto margins : {disfer::kappa_margins::pooled, disfer::kappa_margins::mean_item_proportions}) {
    const auto f = disfer::fleiss_kappa(counts, margins);
    check_fleiss_fields(f, e);
    // The acceptance point: p = 9.85e-70 (relative 1e-12 above), where irr prints 0.
    CHECK(f.p_value > 9.85e-70);
    CHECK(f.p_value < 9.86e-70);
    // irrCAC's non-null SE, printed rounded to 4 decimals.
    check_rounded(f.se, c.at("published").at("irrCAC_se").get<double>());
    CHECK(f.n_items == 30);
    CHECK(f.equal_raters);
  }
  const auto ck = disfer::category_kappas(counts);
  check_vector(ck.kappa, e.at("kappa_per_category"));
  CHECK_REL(ck.se0, value(e.at("se_per_category_null")), 1e-12);
  CHECK_REL(disfer::randolph_kappa(counts), value(e.at("randolph_free_marginal_kappa")), 1e-12);
  const auto ac1 = disfer::gwet_ac1(counts);
  CHECK_REL(ac1.p_a, value(e.at("gwet_ac1").at("pa")), 1e-12);
  CHECK_REL(ac1.p_e, value(e.at("gwet_ac1").at("P_e")), 1e-12);
  CHECK_REL(ac1.ac1, value(e.at("gwet_ac1").at("ac1")), 1e-12);
  CHECK_REL(disfer::krippendorff_alpha(counts).alpha, value(e.at("krippendorff_alpha_nominal")), 1e-12);
  // Not checked: Conger's (1980) exact kappa (it needs rater identities; disfer does not offer it).
  // The paper's printed values (kappa .430; category kappas .245 .245 .520 .471 .566).
  const json& pub = c.at("published");
  check_rounded(disfer::fleiss_kappa(counts).kappa, pub.at("kappa").get<double>());
  for (int j = 0; j < 5; ++j) CHECK(rounded_close(ck.kappa[j], pub.at("kappa_per_category")[j].get<double>(), 3));
  // statsmodels' fleiss_kappa (fleiss and randolph) on the same table.
  const json& sm = c.at("observed_in_references");
  CHECK_REL(disfer::fleiss_kappa(counts).kappa, sm.at("statsmodels_fleiss_kappa").get<double>(), 1e-12);
  CHECK_REL(disfer::randolph_kappa(counts), sm.at("statsmodels_randolph").get<double>(), 1e-12);
}

// Source: https://en.wikipedia.org/wiki/Fleiss%27_kappa worked example (also statsmodels' tests).
TEST_CASE("golden: wikipedia_fleiss_10x14", "[agreement][golden]") {
  const json& c = published_case("wikipedia_fleiss_10x14");
  const json& e = c.at("expected");
  const auto counts = counts_of(c.at("input").at("counts_subject_by_category"));
  check_vector(disfer::item_agreement(counts), e.at("P_i"));
  const auto f = disfer::fleiss_kappa(counts);
  check_fleiss_fields(f, e);
  CHECK_REL(disfer::randolph_kappa(counts), value(e.at("randolph_free_marginal_kappa")), 1e-12);
  check_vector(disfer::category_kappas(counts).kappa, e.at("kappa_per_category"));
  // The page's printed figures: P-bar 0.378, P_e 0.213, kappa 0.210.
  const json& pub = c.at("published");
  check_rounded(f.p_bar, pub.at("P_bar").get<double>());
  check_rounded(f.p_e, pub.at("P_e").get<double>());
  check_rounded(f.kappa, pub.at("kappa").get<double>());
  CHECK_REL(f.kappa, c.at("observed_in_references").at("statsmodels_fleiss_kappa").get<double>(), 1e-12);
}

// Source: statsmodels' test_inter_rater.py (Randolph's online calculator) and statsmodels#4387, #7657.
TEST_CASE("golden: fleiss_corner_cases", "[agreement][golden]") {
  const json& c = published_case("fleiss_corner_cases");
  const json& t = c.at("input").at("tables");
  const json& e = c.at("expected");
  // t1 (and t3, the same table): P_e = 1 -> kappa 0/0 = NaN; Randolph stays defined (1.0).
  for (const char* name : {"t1", "t3_all_same_single_category"}) {
    const auto counts = counts_of(t.at(name));
    const auto f = disfer::fleiss_kappa(counts);
    CHECK(e.at("t1").at("fleiss").is_null());
    CHECK(std::isnan(f.kappa));
    CHECK(std::isnan(f.p_value));
    CHECK(std::isnan(f.se));
    CHECK(f.p_e == 1.0);
    CHECK_REL(disfer::randolph_kappa(counts), value(e.at("t1").at("randolph")), 1e-12);
  }
  const auto t2 = counts_of(t.at("t2"));
  CHECK_REL(disfer::fleiss_kappa(t2).kappa, value(e.at("t2").at("fleiss")), 1e-12);
  CHECK_REL(disfer::randolph_kappa(t2), value(e.at("t2").at("randolph")), 1e-12);
  const json& pub = c.at("published").at("t2");
  check_rounded(disfer::fleiss_kappa(t2).kappa, pub.at("fleiss").get<double>());
  check_rounded(disfer::randolph_kappa(t2), pub.at("randolph").get<double>());
  CHECK_REL(disfer::fleiss_kappa(t2).kappa, c.at("observed_in_references").at("statsmodels_t2").get<double>(), 1e-12);
  // t4: a correct negative kappa (-1/(n-1) = -0.5).
  CHECK_REL(disfer::fleiss_kappa(counts_of(t.at("t4_uniform_rows"))).kappa, value(e.at("t4_uniform_rows").at("fleiss")),
            1e-12);
}

// Source: Gwet (2014) handbook, dataset cac.raw4raters (kgwet/irrCAC); irrCAC fleiss.kappa.raw,
// gwet.ac1.raw and krippen.alpha.raw printouts (the case's "published").
TEST_CASE("golden: gwet_raw4raters_missing", "[agreement][golden]") {
  const json& c = published_case("gwet_raw4raters_missing");
  const json& e = c.at("expected");
  const auto counts = counts_of(c.at("input").at("counts_subject_by_category"));
  const auto& n_i = c.at("input").at("n_i");
  for (std::size_t i = 0; i < n_i.size(); ++i) CHECK(counts.row(static_cast<Eigen::Index>(i)).sum() == n_i[i]);

  // The raw ratings (null = missing) give the same counts.
  disfer::vote_table votes;
  const auto& raw = c.at("input").at("raw_ratings_subject_by_rater_null_is_missing");
  votes.n_items = raw.size();
  for (std::size_t i = 0; i < raw.size(); ++i)
    for (std::size_t r = 0; r < raw[i].size(); ++r)
      if (!raw[i][r].is_null())
        votes.add(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(r), raw[i][r].get<std::uint32_t>() - 1);
  CHECK(bool(disfer::vote_counts(votes, 5) == counts));

  // P_i over the rows with n_i >= 2 (the last row has one rating: NaN).
  const Eigen::VectorXd p_i = disfer::item_agreement(counts);
  CHECK(std::isnan(p_i[11]));
  check_vector(p_i.head(11), e.at("P_i_rows_with_n_ge_2"));
  CHECK_THROWS_WITH(disfer::item_agreement(counts, disfer::single_rating_policy::error),
                    Catch::Contains("item_agreement: row 12 has 1 rating"));

  // Convention B (Gwet / irrCAC): the single-rating row counts in the margins.
  const auto b = disfer::fleiss_kappa(counts, disfer::kappa_margins::mean_item_proportions);
  const json& eb = e.at("convention_B_gwet_mean_of_row_proportions");
  CHECK_REL(b.p_bar, value(e.at("P_bar")), 1e-12);
  check_vector(b.p_j, eb.at("pi_j"));
  CHECK_REL(b.p_e, value(eb.at("P_e")), 1e-12);
  CHECK_REL(b.kappa, value(eb.at("kappa")), 1e-12);
  CHECK(b.n_items == 11);
  CHECK(b.n_single_rating == 1);
  CHECK(b.n_margin_items == 12);
  CHECK(!b.equal_raters);
  CHECK_REL(b.se, value(eb.at("se_nonnull_gwet2014")), 1e-10);
  CHECK_REL(b.ci_low, eb.at("ci95_t_gwet2014")[0].get<double>(), 1e-10);
  CHECK(b.ci_high == 1.0);
  // irrCAC prints pa 0.8181818, pe 0.2387153, kappa 0.76117, se 0.15302 and CI (0.424, 1).
  const json& pub = c.at("published");
  check_rounded(b.p_bar, pub.at("fleiss_pa").get<double>());
  check_rounded(b.p_e, pub.at("fleiss_pe").get<double>());
  check_rounded(b.kappa, pub.at("fleiss_kappa").get<double>());
  check_rounded(b.se, pub.at("fleiss_se").get<double>());
  check_rounded(b.ci_low, pub.at("fleiss_ci")[0].get<double>());

  // Convention A (pooled) over the rows with n_i >= 2, as the golden case defines it.
  disfer::fleiss_options oa;
  oa.margins = disfer::kappa_margins::pooled;
  oa.single_ratings_in_margins = false;
  const auto a = disfer::fleiss_kappa(counts, oa);
  const json& ea = e.at("convention_A_pooled_margins_rows_n_ge_2");
  check_vector(a.p_j, ea.at("p_j"));
  CHECK_REL(a.p_e, value(ea.at("P_e")), 1e-12);
  CHECK_REL(a.kappa, value(ea.at("kappa")), 1e-12);
  CHECK(a.n_margin_items == 11);

  // An option makes a single-rating item an error naming its row.
  disfer::fleiss_options strict;
  strict.require_two_ratings = true;
  CHECK_THROWS_WITH(disfer::fleiss_kappa(counts, strict), Catch::Contains("fleiss_kappa: row 12 has 1 rating"));

  const auto ac1 = disfer::gwet_ac1(counts);
  CHECK_REL(ac1.p_e, value(e.at("gwet_ac1").at("P_e")), 1e-12);
  CHECK_REL(ac1.ac1, value(e.at("gwet_ac1").at("ac1")), 1e-12);
  check_rounded(ac1.ac1, pub.at("ac1").get<double>());

  const auto alpha = disfer::krippendorff_alpha(counts);
  CHECK_REL(alpha.alpha, value(e.at("krippendorff_alpha_nominal")), 1e-12);
  check_rounded(alpha.alpha, pub.at("alpha").get<double>());
}

// Source: Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", example C.
TEST_CASE("golden: krippendorff2011_reliability_data", "[agreement][golden]") {
  const json& c = published_case("krippendorff2011_reliability_data");
  std::vector<std::vector<std::optional<std::int64_t>>> data;
  for (const auto& row : c.at("input").at("reliability_data_coder_by_unit_null_is_missing")) {
    data.emplace_back();
    for (const auto& v : row)
      data.back().push_back(v.is_null() ? std::nullopt : std::optional<std::int64_t>(v.get<std::int64_t>()));
  }
  const auto r = disfer::krippendorff_alpha(data);
  CHECK_REL(r.alpha, value(c.at("expected").at("alpha_nominal_exact")), 1e-12);
  check_rounded(r.alpha, c.at("published").at("nominal").get<double>());
  CHECK(r.n_units == c.at("expected").at("n_pairable_units").get<std::size_t>());  // unit 12: one value
  // Not checked: published ordinal/interval/ratio alphas (issue 6 asks for nominal alpha only).
}

// Source: Gwet (2014) dataset cont3x3abstractors; kgwet/irrCAC README (kappa2.table);
// statsmodels cohens_kappa (std_kappa, std_kappa0), run by reference/published_cases.py.
TEST_CASE("golden: cohen_cont3x3abstractors", "[agreement][golden]") {
  const json& c = published_case("cohen_cont3x3abstractors");
  const json& e = c.at("expected");
  const auto t = counts_of(c.at("input").at("table_rater1_rows_rater2_cols"));
  const auto r = disfer::cohen_kappa(t);
  CHECK_REL(r.kappa, value(e.at("kappa")), 1e-12);
  CHECK_REL(r.p_o, value(e.at("p_o")), 1e-12);
  CHECK_REL(r.p_e, value(e.at("p_e")), 1e-12);
  CHECK_REL(r.se, value(e.at("se_FleissCohenEveritt1969_nonnull_statsmodels")), 1e-12);
  CHECK_REL(r.se0, value(e.at("se0_null_statsmodels")), 1e-12);
  check_rounded(r.kappa, c.at("published").at("kappa").get<double>());
  check_rounded(r.se, c.at("published").at("se").get<double>());
  CHECK(r.n == e.at("n").get<std::int64_t>());
}
