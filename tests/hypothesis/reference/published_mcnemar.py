#!/usr/bin/python3
"""Published and constructed McNemar cases, with expected values computed here (no disfer code):
exact binomial sums in Python fractions, logs and chi-square tails in mpmath at 60 digits; base R
(Debian r-base-core: binom.test, mcnemar.test), statsmodels' mcnemar and scipy's binomtest are run
on the same tables and must agree with the exact values to 1e-11 wherever their p is not
underflowed to 0 (their values are kept in observed_in_references).

Definitions (X ~ Binomial(b + c, 1/2), m = min(b, c)):
  p_exact = min(1, 2 P(X <= m));
  p_midp = 2 P(X <= m) - P(X = m) if b != c, else 1 - P(X = m) / 2 (Fagerland, Lydersen & Laake 2013),
    1 when b = c = 0;
  chi2_uncorrected = (b - c)^2 / (b + c); chi2_corrected_edwards = (|b - c| - 1)^2 / (b + c);
  chi2_corrected_R = the same, but 0 when b = c (R's mcnemar.test applies no correction then);
  p = P(chi2_1 > s) = erfc(sqrt(s / 2)).
Run: /usr/bin/python3 tests/hypothesis/reference/published_mcnemar.py   (writes published_mcnemar.json;
needs Rscript on PATH)"""
import os
import subprocess
import sys
from fractions import Fraction as F
from math import comb

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import statsmodels  # noqa: E402
from scipy.stats import binomtest  # noqa: E402
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar  # noqa: E402

from reference_common import frac, mpstr, versions, write_json  # noqa: E402

DEFINITIONS = __doc__.split("Definitions")[1].split("Run:")[0].strip()


def log10(x):
    return mp.log10(mp.mpf(x.numerator) / x.denominator) if isinstance(x, F) else mp.log10(x)


def chi2_p(s):
    return mp.erfc(mp.sqrt(mp.mpf(s.numerator) / s.denominator / 2))


def exact_values(b, c):
    n = b + c
    m = min(b, c)
    cdf = F(sum(comb(n, k) for k in range(m + 1)), 2**n)
    pmf = F(comb(n, m), 2**n)
    p_exact = min(F(1), 2 * cdf)
    p_mid = (2 * cdf - pmf) if b != c else (1 - pmf / 2 if n else F(1))
    e = {"p_exact": mpstr(mp.mpf(p_exact.numerator) / p_exact.denominator), "log10_p_exact": mpstr(log10(p_exact)),
         "p_midp": mpstr(mp.mpf(p_mid.numerator) / p_mid.denominator), "log10_p_midp": mpstr(log10(p_mid))}
    if n == 0:
        e["chi2_uncorrected"] = {"statistic": None, "p": None, "note": "0/0: undefined"}
        return e
    for key, s in (("chi2_uncorrected", F((b - c) ** 2, n)), ("chi2_corrected_edwards", F((abs(b - c) - 1) ** 2, n)),
                   ("chi2_corrected_R", F((abs(b - c) - 1) ** 2, n) if b != c else F(0))):
        p = chi2_p(s)
        e[key] = {"statistic": frac(s), "p": mpstr(p), "log10_p": mpstr(mp.log10(p))}
    return e


def r_values(b, c):
    """R's binom.test and mcnemar.test (with and without correction) on the 2x2 table."""
    expr = ("x <- matrix(c(0, %d, %d, 0), 2); o <- c(binom.test(%d, %d)$p.value, "
            "mcnemar.test(x, correct = TRUE)$statistic, mcnemar.test(x, correct = TRUE)$p.value, "
            "mcnemar.test(x, correct = FALSE)$statistic, mcnemar.test(x, correct = FALSE)$p.value); "
            "cat(sprintf('%%.17g', o), sep = '\\n')") % (c, b, min(b, c), b + c)
    v = [float(x) for x in subprocess.run(["Rscript", "-e", expr], check=True, capture_output=True,
                                          text=True).stdout.split()]
    return {"R_binom.test_p": v[0], "R_mcnemar.test_corrected": [v[1], v[2]], "R_mcnemar.test_uncorrected": [v[3], v[4]]}


def agree(observed, exact, what):
    exact = float(mp.mpf(exact))
    if observed == 0.0 and exact < 1e-300:
        return  # the reference underflowed
    assert abs(observed - exact) <= 1e-11 * abs(exact), (what, observed, exact)


CASES = [
    ("mcnemar_agresti_presidential_approval", [[794, 150], [86, 570]],
     "Agresti, Categorical Data Analysis (2nd ed. 2002) Table 10.1 / An Introduction to Categorical Data Analysis "
     "Table 8.1: presidential approval, two surveys of 1600 people",
     {"source": "Agresti (2002) p. 411: z = -4.17, z^2 = 17.36 (uncorrected)", "rounded_to_decimals": 2,
      "z": -4.17, "chi2_uncorrected": 17.36}),
    ("mcnemar_fagerland2013_ahr", [[1, 1], [7, 12]],
     "Fagerland, Lydersen & Laake (2013) BMC Med Res Methodol 13:91, example (Bentur et al., airway "
     "hyper-responsiveness, n = 21)",
     {"source": "Fagerland et al. (2013) Table 2: exact p 0.070, mid-p 0.039, asymptotic p 0.034",
      "rounded_to_decimals": 3,
      "p_exact": 0.070, "p_midp": 0.039, "p_chi2_uncorrected": 0.034}),
    ("mcnemar_mlxtend_docs_table", [[101, 121], [59, 33]],
     "the 2x2 table of mlxtend's McNemar documentation and tests (rasbt/mlxtend: mlxtend/evaluate/tests/"
     "test_mcnemar_test.py)",
     {"source": "mlxtend test_mcnemar_test.py expected values (printed to 17 digits)",
      "chi2_corrected": 20.672222222222221, "p_chi2_corrected": 5.4500948254271171e-06,
      "chi2_uncorrected": 21.355555555555554, "p_chi2_uncorrected": 3.8151358651125936e-06,
      "p_exact": 4.4344492637555101e-06}),
    ("mcnemar_b_equals_c", [[10, 7], [7, 10]], "constructed: b = c (R applies no continuity correction)", None),
    ("mcnemar_b_c_zero", [[10, 0], [0, 10]], "constructed: no discordant pairs (chi-square 0/0)", None),
    ("mcnemar_tail_b0_c300", [[0, 0], [300, 0]], "constructed extreme tail: exact p = 2^-299", None),
    ("mcnemar_tail_b5_c2000", [[0, 5], [2000, 0]],
     "constructed extreme tail: exact p ~ 1e-589, below the double range: only log10 p is representable", None),
]

cases = []
for cid, table, source, published in CASES:
    b, c = table[0][1], table[1][0]
    e = exact_values(b, c)
    obs = {}
    sm_exact = sm_mcnemar(np.array(table), exact=True)
    obs["statsmodels_exact_p"] = float(sm_exact.pvalue)
    obs["scipy_binomtest_two_sided"] = float(binomtest(min(b, c), b + c).pvalue) if b + c else 1.0
    agree(obs["statsmodels_exact_p"], e["p_exact"], "statsmodels exact")
    agree(obs["scipy_binomtest_two_sided"], e["p_exact"], "scipy binomtest")
    if b + c:
        for corr, key in ((True, "chi2_corrected_edwards"), (False, "chi2_uncorrected")):
            r = sm_mcnemar(np.array(table), exact=False, correction=corr)
            obs["statsmodels_" + ("chi2_corrected" if corr else "chi2_uncorrected")] = [float(r.statistic),
                                                                                       float(r.pvalue)]
            agree(float(r.pvalue), e[key]["p"], "statsmodels " + key)
        obs.update(r_values(b, c))
        agree(obs["R_binom.test_p"], e["p_exact"], "R binom.test")
        agree(obs["R_mcnemar.test_corrected"][1], e["chi2_corrected_R"]["p"], "R mcnemar.test corrected")
        agree(obs["R_mcnemar.test_uncorrected"][1], e["chi2_uncorrected"]["p"], "R mcnemar.test uncorrected")
    case = {"id": cid, "kind": "mcnemar",
            "source": source + ". Expected: published_mcnemar.py (fractions, mpmath 60 digits); observed: R "
                      "binom.test / mcnemar.test, statsmodels mcnemar, scipy binomtest, run by the same script.",
            "input": {"table": table, "b": b, "c": c}, "definitions": DEFINITIONS, "expected": e,
            "observed_in_references": obs}
    if published:
        case["published"] = published
    cases.append(case)

r_version = subprocess.run(["Rscript", "-e", "cat(R.version.string)"], capture_output=True, text=True).stdout
write_json(__file__, "published_mcnemar.json", {
    "about": "McNemar cases; expected values from published_mcnemar.py beside this file (p below 1e-300: compare "
             "log10 p). Decimal strings have 20 significant digits.",
    "generated_by": "/usr/bin/python3 tests/hypothesis/reference/published_mcnemar.py",
    "generated_with": dict(versions(np, scipy, statsmodels), R=r_version),
    "cases": cases})
