#!/usr/bin/python3
"""The off-diagonal error correlation of Borji & Itti (2014), on two fixed 7 x 7 confusion matrices
(rows = truth), computed here without disfer code: Pearson r over the 42 off-diagonal cells (raw
counts, and each row divided by its sum) in exact fractions up to one square root in mpmath (60
digits), and its exact two-sided p from the t distribution with n - 2 df,
p = I_{(n-2)/(n-2+t^2)}((n-2)/2, 1/2) (mpmath betainc); base R cor.test and scipy.stats.pearsonr are
run on the same cells and must agree to 1e-12.
Run: /usr/bin/python3 tests/compare/reference/published_cases.py   (writes published_cases.json; needs Rscript)"""
import os
import subprocess
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.stats import pearsonr  # noqa: E402

from reference_common import mpstr, versions, write_json  # noqa: E402

# Seeded random matrices (numpy default_rng), typed in so that the case does not depend on numpy's generator.
cm_a = [[126, 22, 30, 9, 19, 5, 14], [11, 124, 0, 31, 20, 0, 17], [28, 17, 191, 15, 29, 23, 17],
        [18, 4, 29, 99, 29, 28, 12], [34, 10, 32, 7, 177, 34, 8], [24, 6, 27, 22, 36, 223, 24],
        [29, 30, 24, 38, 6, 38, 99]]
cm_b = [[195, 39, 39, 2, 31, 0, 39], [18, 136, 24, 1, 15, 24, 9], [26, 7, 85, 20, 21, 18, 11],
        [15, 30, 39, 119, 34, 5, 17], [17, 29, 31, 26, 117, 16, 4], [23, 4, 34, 28, 19, 122, 20],
        [9, 15, 7, 35, 0, 13, 137]]


def cells(m, row_normalised):
    return [F(m[t][p], sum(m[t]) if row_normalised else 1) for t in range(7) for p in range(7) if t != p]


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    r2 = sxy * sxy / (sxx * syy)
    r = mp.sqrt(mp.mpf(r2.numerator) / r2.denominator) * (1 if sxy >= 0 else -1)
    df = n - 2
    t2 = df * r2 / (1 - r2)
    p = mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, mp.mpf(df) / (df + mp.mpf(t2.numerator) / t2.denominator),
                   regularized=True)
    return r, p, n


def r_cor_test(x, y):
    expr = "x <- c(%s); y <- c(%s); t <- cor.test(x, y); cat(sprintf('%%.17g', c(t$estimate, t$p.value)), sep = '\\n')" % (
        ",".join(repr(float(v)) for v in x), ",".join(repr(float(v)) for v in y))
    out = subprocess.run(["Rscript", "-e", expr], check=True, capture_output=True, text=True).stdout.split()
    return [float(v) for v in out]


expected, observed = {}, {}
for key, row in (("raw_counts", False), ("row_normalized", True)):
    x, y = cells(cm_a, row), cells(cm_b, row)
    r, p, n = pearson(x, y)
    expected[key] = {"r": mpstr(r), "p_value": mpstr(p), "n_cells": n}
    sp = pearsonr([float(v) for v in x], [float(v) for v in y])
    rr = r_cor_test(x, y)
    for what, got, want in (("scipy r", sp.statistic, r), ("scipy p", sp.pvalue, p), ("R r", rr[0], r),
                            ("R p", rr[1], p)):
        assert abs(got - float(want)) <= 1e-12 * abs(float(want)), (key, what, got, want)
    observed[key] = {"scipy_pearsonr": [float(sp.statistic), float(sp.pvalue)], "R_cor.test": rr}

r_version = subprocess.run(["Rscript", "-e", "cat(R.version.string)"], capture_output=True, text=True).stdout
write_json(__file__, "published_cases.json", {
    "about": "Off-diagonal correlation case; expected values from published_cases.py beside this file.",
    "generated_by": "/usr/bin/python3 tests/compare/reference/published_cases.py",
    "generated_with": dict(versions(np, scipy), R=r_version),
    "cases": [{
        "id": "pearson_offdiag_7x7_public", "kind": "off_diagonal_correlation",
        "source": "constructed (seeded random 7x7 confusion matrices, rows = truth); the method of Borji & Itti "
                  "(2014, CVPR, 'Human vs. computer in scene and object recognition'): Pearson r over the 42 "
                  "off-diagonal cells. Expected: published_cases.py (fractions, mpmath); observed: scipy "
                  "pearsonr, R cor.test.",
        "input": {"cm_a": cm_a, "cm_b": cm_b}, "expected": expected, "observed_in_references": observed}]})
