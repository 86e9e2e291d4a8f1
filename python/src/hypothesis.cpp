// hypothesis: McNemar (exact, mid-p, chi-square with and without Edwards' correction) from b and c,
// a 2 x 2 table, label vectors, (id -> label) dicts or correctness arrays; paired_outcomes; the
// discordant odds ratio; Bonferroni/Holm/Benjamini-Hochberg on p and on log10 p; Cochran's Q.

#include <map>
#include <string>
#include <vector>

#include "common.hpp"
#include "disfer/hypothesis.hpp"

namespace disfer_py {

namespace {

using disfer::mcnemar_method;
using disfer::mcnemar_options;
using disfer::mcnemar_table;

mcnemar_options options_of(bool skip_correction_when_equal) {
  mcnemar_options o;
  o.skip_correction_when_equal = skip_correction_when_equal;
  return o;
}

/// Local helper: a 2 x 2 table [[both_right, b], [c, both_wrong]] (statsmodels' orientation:
/// table[0, 1] = b, table[1, 0] = c) as an mcnemar_table; errors name `fn`.
mcnemar_table table_of(const char* fn, const py::object& obj) {
  if (py::isinstance<mcnemar_table>(obj)) return obj.cast<mcnemar_table>();
  return with_counts(
      fn, obj,
      [fn](const auto& v) {
        if (v.rows() != 2 || v.cols() != 2)
          fail(fn, "table must be 2 x 2, got " + std::to_string(v.rows()) + " x " + std::to_string(v.cols()));
        for (Eigen::Index i = 0; i < 2; ++i)
          for (Eigen::Index j = 0; j < 2; ++j)
            if (v(i, j) < 0)
              fail(fn, "table[" + std::to_string(i) + ", " + std::to_string(j) +
                           "] = " + std::to_string(static_cast<long long>(v(i, j))) + " is a negative count");
        mcnemar_table t;
        t.both_right = static_cast<std::int64_t>(v(0, 0));
        t.b = static_cast<std::int64_t>(v(0, 1));
        t.c = static_cast<std::int64_t>(v(1, 0));
        t.both_wrong = static_cast<std::int64_t>(v(1, 1));
        return t;
      },
      "table");
}

/// Local helper: the table of two correctness vectors (1/True = right, 0/False = wrong).
mcnemar_table table_of_correct(const char* fn, const py::object& a, const py::object& b) {
  const auto ca = int_vector(fn, a, "correct_a"), cb = int_vector(fn, b, "correct_b");
  if (ca.size() != cb.size())
    fail(fn, "correct_a and correct_b have " + std::to_string(ca.size()) + " and " + std::to_string(cb.size()) +
                 " entries; they must have the same length");
  mcnemar_table t;
  for (std::size_t i = 0; i < ca.size(); ++i) {
    if ((ca[i] != 0 && ca[i] != 1) || (cb[i] != 0 && cb[i] != 1))
      fail(fn, "correct_a[" + std::to_string(i) + "] = " + std::to_string(ca[i]) + ", correct_b[" + std::to_string(i) +
                   "] = " + std::to_string(cb[i]) + "; correctness must be 0/1 or bool");
    ++(ca[i] ? (cb[i] ? t.both_right : t.b) : (cb[i] ? t.c : t.both_wrong));
  }
  return t;
}

bool is_integer_key(const py::handle& k) {
  return !py::isinstance<py::str>(k) && (py::isinstance<py::int_>(k) || PyIndex_Check(k.ptr()));
}

template <class K>
K key_of(const py::handle& k) {
  if constexpr (std::is_same_v<K, std::string>)
    return k.cast<std::string>();
  else
    return py::int_(py::reinterpret_borrow<py::object>(k)).cast<std::int64_t>();
}

template <class K>
std::map<K, std::int64_t> label_map(const char* fn, const py::dict& d, const char* what) {
  std::map<K, std::int64_t> out;
  for (const auto& item : d) {
    const py::object value = py::reinterpret_borrow<py::object>(item.second);
    if (!PyIndex_Check(value.ptr()) && !py::isinstance<py::int_>(value))
      fail(fn, std::string(what) + "[" + std::string(py::repr(item.first)) + "] = " + std::string(py::repr(value)) +
                   " is not an integer label");
    out.emplace(key_of<K>(item.first), py::int_(value).cast<std::int64_t>());
  }
  return out;
}

/// Local helper: calls f(truth, pred_a, pred_b) with three std::maps (keys all int or all str)
/// when the arguments are dicts, else with three std::vector<int64_t> label vectors.
template <class F>
auto with_labels(const char* fn, const py::object& truth, const py::object& a, const py::object& b, F&& f) {
  const bool dicts = py::isinstance<py::dict>(truth), da = py::isinstance<py::dict>(a),
             db = py::isinstance<py::dict>(b);
  if (dicts != da || dicts != db) fail(fn, "truth, pred_a and pred_b must be all dicts (id -> label) or all arrays");
  if (!dicts) {
    const auto vt = int_vector(fn, truth, "truth"), va = int_vector(fn, a, "pred_a"), vb = int_vector(fn, b, "pred_b");
    return without_gil([&] { return f(vt, va, vb); });
  }
  const py::dict t = truth, pa = a, pb = b;
  bool all_int = true, all_str = true;
  for (const py::dict* d : {&t, &pa, &pb})
    for (const auto& item : *d) {
      all_int = all_int && is_integer_key(item.first);
      all_str = all_str && py::isinstance<py::str>(item.first);
    }
  if (all_int) {
    const auto mt = label_map<std::int64_t>(fn, t, "truth"), ma = label_map<std::int64_t>(fn, pa, "pred_a"),
               mb = label_map<std::int64_t>(fn, pb, "pred_b");
    return without_gil([&] { return f(mt, ma, mb); });
  }
  if (!all_str) fail(fn, "stimulus ids must be all integers or all strings");
  const auto mt = label_map<std::string>(fn, t, "truth"), ma = label_map<std::string>(fn, pa, "pred_a"),
             mb = label_map<std::string>(fn, pb, "pred_b");
  return without_gil([&] { return f(mt, ma, mb); });
}

std::vector<double> doubles_1d(const char* fn, const py::object& obj, const char* what) {
  auto a = double_array(fn, obj, what);
  if (a.ndim() != 1) fail(fn, std::string(what) + " must be 1-D, got " + std::to_string(a.ndim()) + "-D");
  return std::vector<double>(a.data(), a.data() + a.size());
}

}  // namespace

void init_hypothesis(py::module_& m) {
  using namespace disfer;
  bind_enum<mcnemar_method>(m, "McnemarMethod",
                            {{"exact", mcnemar_method::exact},
                             {"mid_p", mcnemar_method::mid_p},
                             {"chi_square", mcnemar_method::chi_square},
                             {"chi_square_corrected", mcnemar_method::chi_square_corrected}},
                            "McNemar p-value: exact (binomial; statsmodels mcnemar(exact=True), R binom.test), mid_p "
                            "(Fagerland, Lydersen & Laake 2013), chi_square (statsmodels exact=False, "
                            "correction=False) or chi_square_corrected (Edwards; statsmodels' default chi-square).");
  bind_enum<p_adjustment>(m, "PAdjustment",
                          {{"none", p_adjustment::none},
                           {"bonferroni", p_adjustment::bonferroni},
                           {"holm", p_adjustment::holm},
                           {"benjamini_hochberg", p_adjustment::benjamini_hochberg}},
                          "p-value adjustment (R p.adjust 'none', 'bonferroni', 'holm', 'BH'; statsmodels "
                          "multipletests 'bonferroni', 'holm', 'fdr_bh').");

  result_class<mcnemar_result>(m, "McnemarResult", "Result of mcnemar; p underflowing to 0 is exact in log10_p_value.")
      .field("statistic", &mcnemar_result::statistic, "min(b, c) (exact, mid_p) or the chi-square statistic")
      .field("p_value", &mcnemar_result::p_value, "two-sided p (0 only where it underflows)")
      .field("log10_p_value", &mcnemar_result::log10_p_value, "log10 p, accurate also far below 1e-308")
      .field("b", &mcnemar_result::b, "items the first classifier gets right and the second wrong")
      .field("c", &mcnemar_result::c, "items the first classifier gets wrong and the second right")
      .field("method", &mcnemar_result::method)
      .done();

  result_class<mcnemar_table>(m, "McnemarTable",
                              "The paired 2 x 2 table of two classifiers on the same items (mlxtend's mcnemar_table "
                              "orientation); McnemarTable(both_right, b, c, both_wrong).")
      .field("both_right", &mcnemar_table::both_right)
      .field("b", &mcnemar_table::b, "first right, second wrong")
      .field("c", &mcnemar_table::c, "first wrong, second right")
      .field("both_wrong", &mcnemar_table::both_wrong)
      .done()
      .def(py::init([](std::int64_t both_right, std::int64_t b, std::int64_t c, std::int64_t both_wrong) {
             for (const auto v : {both_right, b, c, both_wrong})
               if (v < 0) fail("McnemarTable", std::to_string(v) + " is a negative count");
             return mcnemar_table{both_right, b, c, both_wrong};
           }),
           py::arg("both_right") = 0, py::arg("b") = 0, py::arg("c") = 0, py::arg("both_wrong") = 0)
      .def(
          "to_array",
          [](const mcnemar_table& t) {
            py::array_t<std::int64_t> a({2, 2});
            auto r = a.mutable_unchecked<2>();
            r(0, 0) = t.both_right;
            r(0, 1) = t.b;
            r(1, 0) = t.c;
            r(1, 1) = t.both_wrong;
            return a;
          },
          "[[both_right, b], [c, both_wrong]], the table statsmodels' mcnemar takes.");

  const char* mcnemar_doc =
      "McNemar's test (McNemar 1947) of two classifiers on the same items, from the discordant counts\n"
      "b (first right, second wrong) and c; exact: p = min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2);\n"
      "mid_p: 2 P(X <= m) - P(X = m) (Fagerland et al. 2013); chi_square: (b - c)^2 / (b + c);\n"
      "chi_square_corrected: (|b - c| - 1)^2 / (b + c) (Edwards 1948), 1 df. log10 p stays exact where p\n"
      "underflows. Equals statsmodels.stats.contingency_tables.mcnemar(table, exact=..., correction=...)\n"
      "(scipy.stats.binomtest for exact). Called as mcnemar(b, c), mcnemar(table) with a 2 x 2\n"
      "[[both_right, b], [c, both_wrong]] array or McnemarTable, mcnemar(truth, pred_a, pred_b) with\n"
      "label arrays or (id -> label) dicts, or mcnemar(correct_a=..., correct_b=...) with 0/1 arrays.\n"
      "skip_correction_when_equal: R mcnemar.test's rule (no correction when b == c).";
  m.def(
      "mcnemar",
      [](std::int64_t b, std::int64_t c, mcnemar_method method, bool skip) {
        return mcnemar(b, c, method, options_of(skip));
      },
      py::arg("b"), py::arg("c"), py::arg("method") = mcnemar_method::exact,
      py::arg("skip_correction_when_equal") = false, mcnemar_doc);
  m.def(
      "mcnemar",
      [](const py::object& truth, const py::object& pred_a, const py::object& pred_b, mcnemar_method method,
         bool skip) {
        return with_labels("mcnemar", truth, pred_a, pred_b, [&](const auto& t, const auto& a, const auto& b) {
          return mcnemar(t, a, b, method, options_of(skip));
        });
      },
      py::arg("truth"), py::arg("pred_a"), py::arg("pred_b"), py::arg("method") = mcnemar_method::exact,
      py::arg("skip_correction_when_equal") = false);
  m.def(
      "mcnemar",
      [](const py::object& correct_a, const py::object& correct_b, mcnemar_method method, bool skip) {
        const auto t = table_of_correct("mcnemar", correct_a, correct_b);
        return mcnemar(t.b, t.c, method, options_of(skip));
      },
      py::kw_only(), py::arg("correct_a"), py::arg("correct_b"), py::arg("method") = mcnemar_method::exact,
      py::arg("skip_correction_when_equal") = false);
  m.def(
      "mcnemar",
      [](const py::object& table, mcnemar_method method, bool skip) {
        const auto t = table_of("mcnemar", table);
        return mcnemar(t.b, t.c, method, options_of(skip));
      },
      py::arg("table"), py::arg("method") = mcnemar_method::exact, py::arg("skip_correction_when_equal") = false);

  m.def(
      "paired_outcomes",
      [](const py::object& truth, const py::object& pred_a, const py::object& pred_b) {
        return with_labels("paired_outcomes", truth, pred_a, pred_b,
                           [](const auto& t, const auto& a, const auto& b) { return paired_outcomes(t, a, b); });
      },
      py::arg("truth"), py::arg("pred_a"), py::arg("pred_b"),
      "The paired 2 x 2 table of two classifiers against the truth (mlxtend.evaluate.mcnemar_table's\n"
      "orientation: b = pred_a right and pred_b wrong). Labels: integer arrays (>= 0) or dicts\n"
      "(id -> label, ids all int or all str) joined on the id; an unmatched id raises disfer.Error.\n"
      "Also paired_outcomes(correct_a=..., correct_b=...) from 0/1 correctness arrays.");
  m.def(
      "paired_outcomes",
      [](const py::object& correct_a, const py::object& correct_b) {
        return table_of_correct("paired_outcomes", correct_a, correct_b);
      },
      py::kw_only(), py::arg("correct_a"), py::arg("correct_b"));

  result_class<odds_ratio_result>(m, "OddsRatio", "Result of discordant_odds_ratio.")
      .field("odds_ratio", &odds_ratio_result::odds_ratio, "b / c (inf when c = 0 < b; NaN when b + c = 0)")
      .field("ci_low", &odds_ratio_result::ci_low, "0 when b = 0")
      .field("ci_high", &odds_ratio_result::ci_high, "inf when c = 0")
      .field("level", &odds_ratio_result::level)
      .done();
  m.def(
      "discordant_odds_ratio",
      [](std::int64_t b, std::int64_t c, double level) { return discordant_odds_ratio(b, c, level); }, py::arg("b"),
      py::arg("c"), py::arg("level") = 0.95,
      "Discordant odds ratio b / c with its exact conditional interval: the Clopper-Pearson (1934)\n"
      "interval of pi = b / (b + c) mapped by pi / (1 - pi), as R binom.test(b, b + c)$conf.int and\n"
      "exact2x2's mcnemar.exact (statsmodels: proportion_confint(b, b + c, method='beta')).");

  m.def(
      "adjust_p_values",
      [](const py::object& p, p_adjustment how) {
        const auto v = doubles_1d("adjust_p_values", p, "p");
        const auto out = without_gil([&] { return adjust_p_values(v, how); });
        return py::array_t<double>(static_cast<py::ssize_t>(out.size()), out.data());
      },
      py::arg("p"), py::arg("how") = p_adjustment::holm,
      "Adjusted p-values in the input order: Bonferroni min(1, n p); Holm (1979) step-down; Benjamini &\n"
      "Hochberg (1995) step-up; as R p.adjust and statsmodels.stats.multitest.multipletests(p,\n"
      "method='bonferroni' | 'holm' | 'fdr_bh')[1]. A NaN or p outside [0, 1] raises disfer.Error.");
  m.def(
      "adjust_log10_p_values",
      [](const py::object& log10_p, p_adjustment how) {
        const auto v = doubles_1d("adjust_log10_p_values", log10_p, "log10_p");
        const auto out = without_gil([&] { return adjust_log10_p_values(v, how); });
        return py::array_t<double>(static_cast<py::ssize_t>(out.size()), out.data());
      },
      py::arg("log10_p"), py::arg("how") = p_adjustment::holm,
      "adjust_p_values on log10 p-values (e.g. McnemarResult.log10_p_value, valid below 1e-308); returns\n"
      "log10 of the adjusted p (R p.adjust / statsmodels multipletests in log space). Values > 0 or NaN\n"
      "raise disfer.Error.");

  result_class<cochran_q_result>(m, "CochranQ", "Result of cochran_q; NaN when every item is all-right or all-wrong.")
      .field("statistic", &cochran_q_result::statistic, "Q")
      .field("p_value", &cochran_q_result::p_value, "upper chi-square tail, df = m - 1")
      .field("log10_p_value", &cochran_q_result::log10_p_value, "accurate also where p underflows")
      .field("df", &cochran_q_result::df, "m - 1")
      .field("n_items", &cochran_q_result::n_items)
      .done();
  m.def(
      "cochran_q",
      [](const py::object& success) {
        return with_counts(
            "cochran_q", success,
            [](const auto& v) {
              const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> s = v.template cast<std::int64_t>();
              return cochran_q(s);
            },
            "success");
      },
      py::arg("success"),
      "Cochran's Q (Cochran 1950) of an items x classifiers 0/1 success table: Q = (m - 1)(m sum C_j^2 -\n"
      "N^2) / (m N - sum R_i^2) on m - 1 df; equals statsmodels.stats.contingency_tables.cochrans_q(x)\n"
      "(and mlxtend cochrans_q). Also cochran_q(truth, predictions) with one label array per classifier\n"
      "(a list, or a 2-D array with one row per classifier).");
  m.def(
      "cochran_q",
      [](const py::object& truth, const py::object& predictions) {
        constexpr const char* fn = "cochran_q";
        const auto t = int_vector(fn, truth, "truth");
        std::vector<std::vector<std::int64_t>> preds;
        if (py::isinstance<py::array>(predictions) && py::array(predictions).ndim() == 2) {
          const py::array a = predictions;
          for (py::ssize_t j = 0; j < a.shape(0); ++j)
            preds.push_back(int_vector(fn, predictions[py::int_(j)], "predictions[j]"));
        } else {
          if (!py::isinstance<py::sequence>(predictions) || py::isinstance<py::str>(predictions))
            fail(fn, "predictions must be a list of label arrays or a 2-D array (classifiers x items)");
          for (const auto& p : predictions.cast<py::sequence>())
            preds.push_back(int_vector(fn, py::reinterpret_borrow<py::object>(p), "predictions[j]"));
        }
        return without_gil([&] { return cochran_q(t, preds); });
      },
      py::arg("truth"), py::arg("predictions"));
}

}  // namespace disfer_py
