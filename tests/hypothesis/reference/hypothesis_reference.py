#!/usr/bin/python3
"""Reference values for tests/hypothesis that no golden case covers: Cochran's Q (statsmodels),
Holm / Benjamini-Hochberg / Bonferroni adjustment (R p.adjust, cross-checked with statsmodels
multipletests), and the exact interval of the discordant odds ratio (R binom.test's Clopper-Pearson
interval mapped by pi / (1 - pi), cross-checked with mpmath root finding on the regularised incomplete beta).
Writes hypothesis_reference.json next to this file. Needs Rscript (r-base-core) on PATH.

Run: /usr/bin/python3 tests/hypothesis/reference/hypothesis_reference.py"""
import json
import os
import subprocess

import numpy as np
import statsmodels
import mpmath as mp
from statsmodels.stats.contingency_tables import cochrans_q
from statsmodels.stats.multitest import multipletests

mp.mp.dps = 40
rng = np.random.default_rng(7)

cochran = []
for n, m, probs in [(20, 3, [0.5, 0.6, 0.7]), (200, 5, [0.3, 0.5, 0.5, 0.55, 0.6]), (40, 2, [0.4, 0.7]),
                    (840, 5, [0.63, 0.26, 0.33, 0.52, 0.52]), (12, 4, [0.5, 0.5, 0.5, 0.5])]:
    x = (rng.random((n, m)) < np.array(probs)).astype(int)
    r = cochrans_q(x)
    cochran.append({"success": x.tolist(), "statistic": float(r.statistic), "p_value": float(r.pvalue),
                    "df": int(r.df)})

families = [
    [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 1.0, 0.0],
    [1e-32, 1e-21, 0.96, 1e-55, 1e-38, 1e-8, 1e-8],  # the paper's McNemar p-values
    rng.random(25).round(4).tolist(),
    [0.5],
]


def r_p_adjust(p, method):
    expr = "cat(sprintf('%%.17g', p.adjust(c(%s), method = '%s')), sep = '\\n')" % (
        ",".join(repr(float(v)) for v in p), method)
    out = subprocess.run(["Rscript", "-e", expr], check=True, capture_output=True, text=True).stdout
    return [float(v) for v in out.split()]


adjust = []
for p in families:
    entry = {"p": p}
    for r_name, sm_name, key in [("holm", "holm", "holm"), ("BH", "fdr_bh", "benjamini_hochberg"),
                                 ("bonferroni", "bonferroni", "bonferroni")]:
        values = r_p_adjust(p, r_name)
        sm = multipletests(p, method=sm_name)[1]
        assert np.allclose(values, sm, rtol=1e-13, atol=0), (r_name, values, sm)
        entry[key] = values
    adjust.append(entry)

odds = []
for b, c, level in [(150, 86, 0.95), (1, 7, 0.95), (121, 59, 0.99), (0, 12, 0.95), (12, 0, 0.95),
                    (30, 30, 0.9), (5, 2000, 0.95), (3, 1, 0.8)]:
    n = b + c
    expr = ("ci <- binom.test(%d, %d, conf.level = %r)$conf.int; "
            "cat(sprintf('%%.17g', c(ci[1], ci[2], ci[1] / (1 - ci[1]), ci[2] / (1 - ci[2]))), sep = '\\n')"
            % (b, n, level))
    vals = [float(v) for v in subprocess.run(["Rscript", "-e", expr], check=True, capture_output=True,
                                             text=True).stdout.split()]
    # Cross-check R's qbeta-based ends against mpmath (40 digits). scipy 1.10's
    # binomtest(b, n).proportion_ci("exact") is NOT used: it solves with brentq's default tolerance
    # and is off by up to 3e-10 relative (b = 5, n = 2005: 0.00081019927156 vs 0.00081019927183).
    for x, tail_p, lo_side in ((vals[0], (1 - level) / 2, True), (vals[1], (1 + level) / 2, False)):
        if (lo_side and b == 0) or (not lo_side and c == 0):
            continue
        a1, b1 = (b, n - b + 1) if lo_side else (b + 1, n - b)
        root = mp.findroot(lambda t: mp.betainc(a1, b1, 0, t, regularized=True) - mp.mpf(tail_p), mp.mpf(x))
        assert abs(root / x - 1) < 1e-13, (b, c, x, root)
    odds.append({"b": b, "c": c, "level": level, "pi_low": vals[0], "pi_high": vals[1],
                 "ci_low": vals[2], "ci_high": vals[3] if c > 0 else "inf"})

r_version = subprocess.run(["Rscript", "-e", "cat(R.version.string)"], capture_output=True, text=True).stdout
out = {"generated_with": {"R": r_version, "statsmodels": statsmodels.__version__},
       "calls": "statsmodels.stats.contingency_tables.cochrans_q(x); R p.adjust(p, method) (== statsmodels "
                "multipletests); R binom.test(b, b + c, conf.level)$conf.int, odds = pi / (1 - pi) "
                "(== mpmath root of betainc to 1e-13)",
       "cochran_q": cochran, "p_adjust": adjust, "odds_ratio": odds}
for key, src in (("cochran_q", "statsmodels cochrans_q on seeded random 0/1 tables (numpy default_rng(7))"),
                 ("p_adjust", "R p.adjust (== statsmodels multipletests); the paper's McNemar p-values and seeded ones"),
                 ("odds_ratio", "R binom.test(b, b + c, conf.level)$conf.int mapped by pi / (1 - pi), checked with mpmath")):
    for entry in out[key]:
        entry["source"] = "hypothesis_reference.py: " + src
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hypothesis_reference.json"), "w") as fh:
    json.dump(out, fh, indent=None)
    fh.write("\n")
