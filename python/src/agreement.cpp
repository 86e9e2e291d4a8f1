// agreement: P_i, Fleiss' kappa (either margin convention, SEs, z test, interval), per-category
// kappas, Randolph, Cohen (weighted), Krippendorff's nominal alpha, Gwet's AC1, Landis & Koch.

#include "common.hpp"
#include "disfer/agreement.hpp"

DISFER_PY_STRING_ENUM(disfer::kappa_margins)
DISFER_PY_STRING_ENUM(disfer::single_rating_policy)
DISFER_PY_STRING_ENUM(disfer::cohen_weights)

namespace disfer_py {

void init_agreement(py::module_& m) {
  using namespace disfer;
  bind_enum<kappa_margins>(
      m, "KappaMargins",
      {{"pooled", kappa_margins::pooled}, {"mean_item_proportions", kappa_margins::mean_item_proportions}},
      "How Fleiss' p_j are formed when items have different numbers of ratings: pooled "
      "(Fleiss 1971; statsmodels) or mean_item_proportions (Gwet 2014; R irrCAC).");
  bind_enum<single_rating_policy>(m, "SingleRatingPolicy",
                                  {{"nan", single_rating_policy::nan}, {"error", single_rating_policy::error}},
                                  "What item_agreement does with an item rated fewer than twice.");
  bind_enum<cohen_weights>(m, "CohenWeights",
                           {{"unweighted", cohen_weights::unweighted},
                            {"linear", cohen_weights::linear},
                            {"quadratic", cohen_weights::quadratic}},
                           "Cohen's kappa weights (statsmodels' wt=None, 'linear', 'quadratic').");

  result_class<fleiss_kappa_result>(m, "FleissKappa", "Result of fleiss_kappa; undefined quantities are NaN.")
      .field("kappa", &fleiss_kappa_result::kappa, "(P-bar - P_e) / (1 - P_e)")
      .field("p_bar", &fleiss_kappa_result::p_bar, "mean P_i over items rated at least twice")
      .field("p_e", &fleiss_kappa_result::p_e, "sum_j p_j^2")
      .field("se0", &fleiss_kappa_result::se0, "SE under kappa = 0 (Fleiss, Nee & Landis 1979)")
      .field("z", &fleiss_kappa_result::z, "kappa / se0")
      .field("p_value", &fleiss_kappa_result::p_value, "two-sided normal p of z")
      .field("log10_p_value", &fleiss_kappa_result::log10_p_value, "log10 p, exact when p underflows")
      .field("se", &fleiss_kappa_result::se, "non-null SE (Gwet's linearisation, as R irrCAC)")
      .field("ci_low", &fleiss_kappa_result::ci_low, "kappa - t se")
      .field("ci_high", &fleiss_kappa_result::ci_high, "min(1, kappa + t se)")
      .field("n_items", &fleiss_kappa_result::n_items, "items with n_i >= 2")
      .field("n_single_rating", &fleiss_kappa_result::n_single_rating, "items with n_i = 1")
      .field("n_unrated", &fleiss_kappa_result::n_unrated, "items with n_i = 0")
      .field("n_margin_items", &fleiss_kappa_result::n_margin_items, "items whose ratings form the margins")
      .field("n_ratings", &fleiss_kappa_result::n_ratings, "ratings in the margins")
      .field("equal_raters", &fleiss_kappa_result::equal_raters, "every item in P-bar has the same n_i")
      .field("p_j", &fleiss_kappa_result::p_j, "the category proportions behind P_e")
      .done();

  m.def(
      "fleiss_kappa",
      [](const py::object& counts, kappa_margins margins, bool single_ratings_in_margins, bool require_two_ratings,
         bool nonnull_se, double confidence) {
        fleiss_options o;
        o.margins = margins;
        o.single_ratings_in_margins = single_ratings_in_margins;
        o.require_two_ratings = require_two_ratings;
        o.nonnull_se = nonnull_se;
        o.confidence = confidence;
        return with_counts("fleiss_kappa", counts, [&](const auto& v) { return fleiss_kappa(v, o); });
      },
      py::arg("counts"), py::arg("margins") = kappa_margins::pooled, py::arg("single_ratings_in_margins") = true,
      py::arg("require_two_ratings") = false, py::arg("nonnull_se") = true, py::arg("confidence") = 0.95,
      "Fleiss' kappa (Fleiss 1971) of an items x categories count table whose rows may have different\n"
      "numbers of ratings (50 and 51, say), with the null SE and z test (Fleiss, Nee & Landis 1979) and\n"
      "Gwet's non-null SE and t interval (Gwet 2014; R irrCAC). With margins='pooled' it equals\n"
      "statsmodels.stats.inter_rater.fleiss_kappa(counts, method='fleiss').\n"
      "counts: 2-D int32/int64 (read in place) or any integer array.");

  m.def(
      "item_agreement",
      [](const py::object& counts, single_rating_policy policy) {
        return with_counts("item_agreement", counts, [&](const auto& v) { return item_agreement(v, policy); });
      },
      py::arg("counts"), py::arg("policy") = single_rating_policy::nan,
      "P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1)) per item (Fleiss 1971, eq. 2), each item with its own\n"
      "n_i; NaN (or disfer.Error with policy='error') for items rated fewer than twice.");

  result_class<item_agreement_summary>(m, "ItemAgreementSummary", "Counts of P_i as the DisFER paper reports them.")
      .field("items", &item_agreement_summary::items)
      .field("undefined", &item_agreement_summary::undefined, "NaN entries (n_i < 2)")
      .field("above_0_9", &item_agreement_summary::above_0_9, "P_i > 0.9")
      .field("above_0_5", &item_agreement_summary::above_0_5, "P_i > 0.5")
      .field("below_0_3", &item_agreement_summary::below_0_3, "P_i < 0.3")
      .field("mean", &item_agreement_summary::mean, "mean of the defined P_i (P-bar)")
      .done();
  m.def(
      "summarize_item_agreement",
      [](const py::object& p_i) {
        auto a = double_array("summarize_item_agreement", p_i, "p_i");
        if (a.ndim() != 1) fail("summarize_item_agreement", "p_i must be 1-D");
        Eigen::VectorXd v = Eigen::Map<const Eigen::VectorXd>(a.data(), a.size());
        return summarize_item_agreement(v);
      },
      py::arg("p_i"), "How many P_i exceed 0.9 and 0.5, fall below 0.3, and their mean.");

  result_class<category_kappa_result>(m, "CategoryKappas", "Result of category_kappas.")
      .field("kappa", &category_kappa_result::kappa, "per category (Fleiss 1971, eq. 13)")
      .field("p_j", &category_kappa_result::p_j)
      .field("se0", &category_kappa_result::se0, "sqrt(2 h / N), the same for every category")
      .field("z", &category_kappa_result::z)
      .field("p_value", &category_kappa_result::p_value)
      .field("log10_p_value", &category_kappa_result::log10_p_value)
      .field("n_items", &category_kappa_result::n_items)
      .done();
  m.def(
      "category_kappas",
      [](const py::object& counts) {
        return with_counts("category_kappas", counts, [&](const auto& v) { return category_kappas(v); });
      },
      py::arg("counts"), "Kappa of each category against all others (Fleiss 1971, eq. 13; Fleiss et al. 1979).");
  m.def(
      "randolph_kappa",
      [](const py::object& counts) {
        return with_counts("randolph_kappa", counts, [&](const auto& v) { return randolph_kappa(v); });
      },
      py::arg("counts"),
      "Randolph's free-marginal kappa (Randolph 2005): P_e = 1/k "
      "(statsmodels fleiss_kappa(method='randolph')).");

  result_class<cohen_kappa_result>(m, "CohenKappa", "Result of cohen_kappa; NaN where undefined.")
      .field("kappa", &cohen_kappa_result::kappa)
      .field("p_o", &cohen_kappa_result::p_o, "weighted observed agreement")
      .field("p_e", &cohen_kappa_result::p_e, "weighted chance agreement")
      .field("se", &cohen_kappa_result::se, "non-null SE (Fleiss, Cohen & Everitt 1969; statsmodels std_kappa)")
      .field("se0", &cohen_kappa_result::se0, "SE under kappa = 0 (statsmodels std_kappa0)")
      .field("z", &cohen_kappa_result::z)
      .field("p_value", &cohen_kappa_result::p_value)
      .field("log10_p_value", &cohen_kappa_result::log10_p_value)
      .field("ci_low", &cohen_kappa_result::ci_low)
      .field("ci_high", &cohen_kappa_result::ci_high)
      .field("n", &cohen_kappa_result::n, "number of rated pairs")
      .done();
  m.def(
      "cohen_kappa",
      [](const py::object& table, const py::object& weights, double confidence) {
        if (py::isinstance<py::array>(weights) || py::isinstance<py::list>(weights)) {
          auto w = double_array("cohen_kappa", weights, "weights");
          if (w.ndim() != 2) fail("cohen_kappa", "a weight matrix must be 2-D");
          Eigen::MatrixXd wm = Eigen::Map<const row_major<double>>(w.data(), w.shape(0), w.shape(1));
          return with_counts(
              "cohen_kappa", table, [&](const auto& v) { return cohen_kappa(v, wm, confidence); }, "table");
        }
        const auto scheme = weights.is_none() ? cohen_weights::unweighted : weights.cast<cohen_weights>();
        return with_counts(
            "cohen_kappa", table, [&](const auto& v) { return cohen_kappa(v, scheme, confidence); }, "table");
      },
      py::arg("table"), py::arg("weights") = py::none(), py::arg("confidence") = 0.95,
      "Cohen's kappa of a k x k table (rows: rater A), unweighted, 'linear', 'quadratic' or with a k x k\n"
      "agreement weight matrix; SEs as statsmodels.stats.inter_rater.cohens_kappa (Fleiss, Cohen & Everitt 1969).");
  m.def(
      "cohen_table",
      [](const py::object& a, const py::object& b, std::size_t k) {
        auto va = int_vector("cohen_table", a, "rater_a"), vb = int_vector("cohen_table", b, "rater_b");
        return without_gil([&] { return cohen_table(va, vb, k); });
      },
      py::arg("rater_a"), py::arg("rater_b"), py::arg("k"), "The k x k table of two raters' labels (0..k-1).");
  m.def("cohen_weight_matrix", &cohen_weight_matrix, py::arg("weights"), py::arg("k"),
        "The k x k agreement weights of a scheme.");

  result_class<krippendorff_alpha_result>(m, "KrippendorffAlpha", "Result of krippendorff_alpha.")
      .field("alpha", &krippendorff_alpha_result::alpha, "1 - D_o / D_e")
      .field("observed_disagreement", &krippendorff_alpha_result::observed_disagreement)
      .field("expected_disagreement", &krippendorff_alpha_result::expected_disagreement)
      .field("n_pairable", &krippendorff_alpha_result::n_pairable, "values in units with at least 2")
      .field("n_units", &krippendorff_alpha_result::n_units, "units with at least 2 values")
      .done();
  m.def(
      "krippendorff_alpha",
      [](const py::object& counts) {
        return with_counts("krippendorff_alpha", counts, [&](const auto& v) { return krippendorff_alpha(v); });
      },
      py::arg("counts"),
      "Krippendorff's nominal alpha (Krippendorff 2011) from a units x values count table; equals the\n"
      "krippendorff package's alpha(value_counts=..., level_of_measurement='nominal').");

  result_class<gwet_ac1_result>(m, "GwetAC1", "Result of gwet_ac1.")
      .field("ac1", &gwet_ac1_result::ac1)
      .field("p_a", &gwet_ac1_result::p_a)
      .field("p_e", &gwet_ac1_result::p_e)
      .field("se", &gwet_ac1_result::se, "linearised SE (Gwet 2008)")
      .field("ci_low", &gwet_ac1_result::ci_low)
      .field("ci_high", &gwet_ac1_result::ci_high)
      .field("p_value", &gwet_ac1_result::p_value, "two-sided, t with N - 1 df")
      .field("log10_p_value", &gwet_ac1_result::log10_p_value)
      .field("n_items", &gwet_ac1_result::n_items)
      .field("n_pairs_items", &gwet_ac1_result::n_pairs_items)
      .done();
  m.def(
      "gwet_ac1",
      [](const py::object& counts, double confidence) {
        return with_counts("gwet_ac1", counts, [&](const auto& v) { return gwet_ac1(v, confidence); });
      },
      py::arg("counts"), py::arg("confidence") = 0.95,
      "Gwet's AC1 (Gwet 2008) with its SE, as R irrCAC's gwet.ac1.raw.");
  m.def(
      "landis_koch", [](double kappa) { return std::string(landis_koch(kappa)); }, py::arg("kappa"),
      "Landis & Koch's (1977) label of a kappa: 'poor', 'slight', 'fair', 'moderate', 'substantial', 'almost "
      "perfect'.");
}

}  // namespace disfer_py
