#!/usr/bin/python3
"""Published worked examples of inter-rater agreement, with expected values computed here (no
disfer code): the published formulas in exact rationals (Python fractions) and, for square roots
and normal tails, mpmath at 60 digits; statsmodels (Debian python3-statsmodels) is run where it
implements the statistic (fleiss_kappa for equal raters, cohens_kappa) and must agree to 1e-13.
irr, irrCAC and krippendorff are not packaged in Debian: their printed results stay in each case's
"published" field, as rounded cross-checks, with where they were printed.

Formulas (n_ij = ratings of item i in category j, n_i = sum_j n_ij, q categories):
  P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1)) for n_i >= 2; P_bar = mean P_i (Fleiss 1971, eq. 2-4);
  p_j pooled = sum_i n_ij / sum n (Fleiss 1971) or mean_i n_ij / n_i (Gwet 2014, irrCAC);
  P_e = sum p_j^2; kappa = (P_bar - P_e) / (1 - P_e);
  se0 (Fleiss, Nee & Landis 1979): var0 = 2 h / N [(sum p q)^2 - sum p q (q - p)] / (sum p q)^2,
    h = 1 / (n (n - 1)), with unequal n_i the mean of 1 / (n_i (n_i - 1)); z = kappa / se0,
    p = erfc(|z| / sqrt 2);
  non-null se: Gwet (2014) linearisation as irrCAC fleiss.kappa.raw (see r_reference.R);
  per-category kappa_j = 1 - mean_i[n_ij (n_i - n_ij) / (n_i (n_i - 1))] / (p_j q_j) (Fleiss 1971 eq. 13),
    se0 of each = sqrt(2 h / N);
  Randolph (2005) free-marginal kappa = (P_bar - 1/q) / (1 - 1/q);
  Gwet's AC1: P_e = sum pi_j (1 - pi_j) / (q - 1), pi_j = mean_i n_ij / n_i (Gwet 2008);
  Krippendorff's nominal alpha from the coincidence matrix o_ck = sum_u n_uc (n_uk - [c = k]) / (m_u - 1),
    over units with m_u >= 2 (Krippendorff 2011);
  Cohen's kappa = (p_o - p_e) / (1 - p_e) (Cohen 1960).
Run: /usr/bin/python3 tests/agreement/reference/published_cases.py   (writes published_cases.json)"""
import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import statsmodels  # noqa: E402
from scipy.stats import t as student_t  # noqa: E402
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa  # noqa: E402

from reference_common import flt, frac, mean, mpstr, versions, write_json  # noqa: E402


def close(a, b, rel=1e-13):
    assert abs(a - b) <= rel * abs(b), (a, b)


def counts_from_raw(raw, categories):
    """Subject x rater ratings (None = missing) to subject x category counts."""
    return [[sum(1 for v in row if v == c) for c in categories] for row in raw]


def p_i(row):
    n = sum(row)
    return F(sum(x * (x - 1) for x in row), n * (n - 1)) if n >= 2 else None


def margins_of(rows, margins):
    q = len(rows[0])
    if margins == "pooled":
        total = sum(sum(r) for r in rows)
        return [F(sum(r[j] for r in rows), total) for j in range(q)]
    return [mean(F(r[j], sum(r)) for r in rows) for j in range(q)]


def fleiss(table, margins="pooled", single_in_margins=True):
    """Fleiss' kappa and its tests; rows with n_i = 0 are left out, rows with n_i = 1 count in the
    margins only when single_in_margins (disfer's documented default, irrCAC's convention)."""
    rows = [r for r in table if sum(r) >= (1 if single_in_margins else 2)]
    two = [r for r in rows if sum(r) >= 2]
    p_bar = mean(p_i(r) for r in two)
    p = margins_of(rows, margins)
    p_e = sum(x * x for x in p)
    out = {"P_bar": p_bar, "p_j": p, "P_e": p_e, "kappa": None}
    if p_e == 1:
        return out
    kappa = (p_bar - p_e) / (1 - p_e)
    h = mean(F(1, sum(r) * (sum(r) - 1)) for r in two)
    a = sum(x * (1 - x) for x in p)
    var0 = 2 * h / len(two) * (a * a - sum(x * (1 - x) * ((1 - x) - x) for x in p)) / (a * a)
    se0 = mp.sqrt(mp.mpf(var0.numerator) / var0.denominator)
    z = mp.mpf(kappa.numerator) / kappa.denominator / se0
    # Non-null SE (Gwet 2014; irrCAC): linearised per-item kappas, weights n_i / mean n for pooled margins.
    m = len(rows)
    n_bar = mean(sum(r) for r in rows)
    star = []
    for r in rows:
        n = sum(r)
        w = F(n) / n_bar if margins == "pooled" else F(1)
        k_i = F(m, len(two)) * ((p_i(r) - p_e) if n >= 2 else 0) / (1 - p_e)
        pe_i = sum(r[j] * p[j] for j in range(len(p))) / F(n)
        star.append(k_i - 2 * (1 - kappa) * w * (pe_i - p_e) / (1 - p_e))
    var = sum((s - kappa) ** 2 for s in star) / (m * (m - 1))
    se = mp.sqrt(mp.mpf(var.numerator) / var.denominator)
    tq = student_t.ppf(0.975, m - 1)
    out.update({"kappa": kappa, "se0_FNL1979": se0, "z": z, "p_two_sided_normal": mp.erfc(abs(z) / mp.sqrt(2)),
                "se_nonnull_gwet2014": se, "ci95_t": [float(kappa) - tq * float(se), min(1.0, float(kappa) + tq * float(se))]})
    return out


def category_kappas(table):
    rows = [r for r in table if sum(r) >= 2]
    p = margins_of(rows, "pooled")
    kap = []
    for j in range(len(p)):
        dis = mean(F(r[j] * (sum(r) - r[j]), sum(r) * (sum(r) - 1)) for r in rows)
        kap.append(1 - dis / (p[j] * (1 - p[j])))
    h = mean(F(1, sum(r) * (sum(r) - 1)) for r in rows)
    return kap, mp.sqrt(2 * mp.mpf(h.numerator) / h.denominator / len(rows))


def randolph(table):
    two = [r for r in table if sum(r) >= 2]
    q = len(table[0])
    return (mean(p_i(r) for r in two) - F(1, q)) / (1 - F(1, q))


def gwet_ac1(table):
    rows = [r for r in table if sum(r) >= 1]
    q = len(rows[0])
    pa = mean(p_i(r) for r in rows if sum(r) >= 2)
    pi = margins_of(rows, "mip")
    pe = sum(x * (1 - x) for x in pi) / (q - 1)
    return {"pa": pa, "P_e": pe, "ac1": (pa - pe) / (1 - pe)}


def alpha_nominal(table):
    units = [r for r in table if sum(r) >= 2]
    q = len(units[0])
    o = [[F(0)] * q for _ in range(q)]
    for u in units:
        m = sum(u)
        for c in range(q):
            for k in range(q):
                o[c][k] += F(u[c] * (u[k] - (c == k)), m - 1)
    nc = [sum(row) for row in o]
    n = sum(nc)
    d_o = (n - sum(o[c][c] for c in range(q))) / n
    d_e = (n * n - sum(x * x for x in nc)) / (n * (n - 1))
    return 1 - d_o / d_e


def fleiss_fields(f):
    return {"P_bar": frac(f["P_bar"]), "p_j": [flt(x) for x in f["p_j"]], "P_e": frac(f["P_e"]),
            "kappa": frac(f["kappa"]), "se0_FNL1979": mpstr(f["se0_FNL1979"]), "z": mpstr(f["z"]),
            "p_two_sided_normal": mpstr(f["p_two_sided_normal"]),
            "se_nonnull_gwet2014": mpstr(f["se_nonnull_gwet2014"]), "ci95_t_gwet2014": f["ci95_t"]}


def statsmodels_fleiss(table, exact):
    """statsmodels' fleiss_kappa and Randolph's kappa (equal raters only), checked against the exact
    values (`exact`: this script's fleiss(table))."""
    out = {"statsmodels_fleiss_kappa": float(fleiss_kappa(np.array(table), method="fleiss")),
           "statsmodels_randolph": float(fleiss_kappa(np.array(table), method="randolph"))}
    close(out["statsmodels_fleiss_kappa"], flt(exact["kappa"]))
    close(out["statsmodels_randolph"], flt(randolph(table)))
    return out


cases = []

# --- Fleiss (1971), Table 1: 30 patients, 6 psychiatrists, 5 diagnoses.
diagnoses_raw = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5]]
t = counts_from_raw(diagnoses_raw, [1, 2, 3, 4, 5])
f = fleiss(t)
f_mip = fleiss(t, "mip")
assert all(f[k] == f_mip[k] for k in ("P_bar", "P_e", "kappa"))  # equal raters: both margins agree
ck, ck_se0 = category_kappas(t)
ac1 = gwet_ac1(t)
sm = statsmodels_fleiss(t, f)
cases.append({
    "id": "fleiss1971_diagnoses", "kind": "fleiss_kappa",
    "source": "Fleiss (1971) Psychological Bulletin 76(5):378-382, Table 1 (30 patients, 6 psychiatrists, 5 "
              "diagnoses); the raw ratings are R package irr's dataset 'diagnoses' (also in statsmodels' "
              "test_inter_rater.py). Expected: this script (fractions, mpmath 60 digits); statsmodels fleiss_kappa.",
    "input": {"categories": ["Depression", "Personality Disorder", "Schizophrenia", "Neurosis", "Other"],
              "raw_ratings_subject_by_rater": diagnoses_raw, "counts_subject_by_category": t},
    "expected": dict(fleiss_fields(f), **{
        "P_i": [flt(p_i(r)) for r in t], "kappa_per_category": [flt(x) for x in ck],
        "se_per_category_null": mpstr(ck_se0), "randolph_free_marginal_kappa": frac(randolph(t)),
        "gwet_ac1": {"pa": frac(ac1["pa"]), "P_e": frac(ac1["P_e"]), "ac1": frac(ac1["ac1"])},
        "krippendorff_alpha_nominal": frac(alpha_nominal(t))}),
    "published": {
        "source": "Fleiss (1971) p. 381: kappa .430, category kappas .245 .245 .520 .471 .566; irrCAC 1.0 "
                  "fleiss.kappa.raw(diagnoses) printout: se 0.0542 (4 decimals)",
        "kappa": 0.430, "kappa_per_category": [0.245, 0.245, 0.520, 0.471, 0.566], "irrCAC_se": 0.0542},
    "observed_in_references": sm})

# --- Wikipedia's Fleiss' kappa worked example (10 subjects, 14 raters, 5 categories).
t = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1], [7, 7, 0, 0, 0],
     [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
f = fleiss(t)
sm = statsmodels_fleiss(t, f)
cases.append({
    "id": "wikipedia_fleiss_10x14", "kind": "fleiss_kappa",
    "source": "en.wikipedia.org/wiki/Fleiss%27_kappa, worked example (the same table is statsmodels' test "
              "table1). Expected: this script; statsmodels fleiss_kappa.",
    "input": {"counts_subject_by_category": t},
    "expected": dict(fleiss_fields(f), **{"P_i": [flt(p_i(r)) for r in t],
                                          "kappa_per_category": [flt(x) for x in category_kappas(t)[0]],
                                          "randolph_free_marginal_kappa": frac(randolph(t))}),
    "published": {"source": "the Wikipedia page's printed figures (3 decimals)", "P_bar": 0.378, "P_e": 0.213,
                  "kappa": 0.210},
    "observed_in_references": sm})

# --- Corner cases of statsmodels' tests and issues.
tables = {"t1": [[7, 0], [7, 0]], "t2": [[7, 1], [3, 5]], "t3_all_same_single_category": [[7, 0], [7, 0]],
          "t4_uniform_rows": [[1, 1, 1], [1, 1, 1]]}
t2 = fleiss(tables["t2"])
cases.append({
    "id": "fleiss_corner_cases", "kind": "fleiss_kappa",
    "source": "statsmodels' statsmodels/stats/tests/test_inter_rater.py (t1, t2 with values from Randolph's online "
              "kappa calculator) and statsmodels issues #4387 (P_e = 1) and #7657 (uniform rows). Expected: this script.",
    "input": {"tables": tables},
    "expected": {
        "t1": {"fleiss": frac(fleiss(tables["t1"])["kappa"]), "fleiss_note": "P_e = 1: 0/0, undefined (NaN)",
               "P_e": frac(fleiss(tables["t1"])["P_e"]), "randolph": frac(randolph(tables["t1"]))},
        "t2": {"fleiss": frac(t2["kappa"]), "randolph": frac(randolph(tables["t2"]))},
        "t4_uniform_rows": {"fleiss": frac(fleiss(tables["t4_uniform_rows"])["kappa"]),
                            "note": "P_i = 0 for every item, P_e = 1/3: kappa = -1/2"}},
    "published": {"source": "statsmodels' test_inter_rater.py, Randolph's calculator printout (6 decimals) for t2",
                  "t2": {"fleiss": 0.161905, "randolph": 0.214286}},
    "observed_in_references": {"statsmodels_t2": float(fleiss_kappa(np.array(tables["t2"]))),
                               "statsmodels_t4": float(fleiss_kappa(np.array(tables["t4_uniform_rows"])))}})
close(cases[-1]["observed_in_references"]["statsmodels_t2"], flt(t2["kappa"]), 1e-12)

# --- Gwet (2014): four raters with missing ratings (irrCAC's cac.raw4raters).
raw4 = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4],
        [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, None, 3, None]]
t = counts_from_raw(raw4, [1, 2, 3, 4, 5])
b = fleiss(t, "mip")
a = fleiss(t, "pooled", single_in_margins=False)
ac1 = gwet_ac1(t)
cases.append({
    "id": "gwet_raw4raters_missing", "kind": "fleiss_kappa_unequal_raters",
    "source": "Gwet, Handbook of Inter-Rater Reliability (4th ed., 2014), dataset cac.raw4raters (R package irrCAC). "
              "Expected: this script. statsmodels' fleiss_kappa refuses unequal raters.",
    "input": {"raw_ratings_subject_by_rater_null_is_missing": raw4, "categories": [1, 2, 3, 4, 5],
              "counts_subject_by_category": t, "n_i": [sum(r) for r in t]},
    "expected": {
        "P_i_rows_with_n_ge_2": [flt(p_i(r)) for r in t if sum(r) >= 2], "P_bar": frac(b["P_bar"]),
        "convention_B_gwet_mean_of_row_proportions": {
            "pi_j": [flt(x) for x in b["p_j"]], "P_e": frac(b["P_e"]), "kappa": frac(b["kappa"]),
            "se_nonnull_gwet2014": mpstr(b["se_nonnull_gwet2014"]), "ci95_t_gwet2014": b["ci95_t"]},
        "convention_A_pooled_margins_rows_n_ge_2": {"p_j": [flt(x) for x in a["p_j"]], "P_e": frac(a["P_e"]),
                                                   "kappa": frac(a["kappa"])},
        "gwet_ac1": {"P_e": frac(ac1["P_e"]), "ac1": frac(ac1["ac1"])},
        "krippendorff_alpha_nominal": frac(alpha_nominal(t))},
    "published": {
        "source": "irrCAC (kgwet/irrCAC README and Gwet 2014): fleiss.kappa.raw(cac.raw4raters) pa 0.8181818 "
                  "pe 0.2387153 kappa 0.76117 se 0.15302 CI (0.424, 1); gwet.ac1.raw 0.77544; krippen.alpha.raw 0.74342",
        "fleiss_pa": 0.8181818, "fleiss_pe": 0.2387153, "fleiss_kappa": 0.76117, "fleiss_se": 0.15302,
        "fleiss_ci": [0.424, 1.0], "ac1": 0.77544, "alpha": 0.74342}})

# --- Krippendorff (2011), example C: 4 observers x 12 units, missing values.
rel = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
       [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
units = counts_from_raw([[rel[c][u] for c in range(4)] for u in range(12)], [1, 2, 3, 4, 5])
cases.append({
    "id": "krippendorff2011_reliability_data", "kind": "krippendorff_alpha",
    "source": "Krippendorff (2011) 'Computing Krippendorff's Alpha-Reliability' (U. Pennsylvania, asc_papers/43), "
              "example C. Expected: this script (coincidence matrix in fractions; unit 12 has one value, unpairable).",
    "input": {"reliability_data_coder_by_unit_null_is_missing": rel, "value_domain": [1, 2, 3, 4, 5]},
    "expected": {"alpha_nominal_exact": frac(alpha_nominal(units)),
                 "n_pairable_units": sum(1 for u in units if sum(u) >= 2)},
    "published": {"source": "Krippendorff (2011) p. 8-10, 3 decimals", "nominal": 0.743, "ordinal": 0.815,
                  "interval": 0.849, "ratio": 0.797}})

# --- Cohen's kappa: Gwet's cont3x3abstractors.
t = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
n = sum(map(sum, t))
p_o = F(sum(t[i][i] for i in range(3)), n)
p_e = sum(F(sum(t[i]) * sum(t[r][i] for r in range(3)), n * n) for i in range(3))
sm = cohens_kappa(np.array(t))
kappa = (p_o - p_e) / (1 - p_e)
close(float(sm.kappa), flt(kappa))
cases.append({
    "id": "cohen_cont3x3abstractors", "kind": "cohens_kappa",
    "source": "Gwet (2014) dataset cont3x3abstractors (R package irrCAC). Expected: kappa, p_o, p_e by this script "
              "(fractions); the SEs are statsmodels' cohens_kappa(table).std_kappa (Fleiss, Cohen & Everitt 1969) "
              "and .std_kappa0 (null).",
    "input": {"table_rater1_rows_rater2_cols": t},
    "expected": {"kappa": frac(kappa), "p_o": frac(p_o), "p_e": frac(p_e), "n": n,
                 "se_FleissCohenEveritt1969_nonnull_statsmodels": float(sm.std_kappa),
                 "se0_null_statsmodels": float(sm.std_kappa0)},
    "published": {"source": "kgwet/irrCAC README, kappa2.table(cont3x3abstractors): kappa 0.7964094, se 0.05891072",
                  "kappa": 0.7964094, "se": 0.05891072}})

write_json(__file__, "published_cases.json", {
    "about": "Published agreement examples; expected values from published_cases.py beside this file. Exact "
             "rationals as {num, den, decimal}; mpmath values as 20-digit strings; null = undefined.",
    "generated_by": "/usr/bin/python3 tests/agreement/reference/published_cases.py",
    "generated_with": versions(np, scipy, statsmodels),
    "cases": cases})
