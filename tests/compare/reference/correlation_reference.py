#!/usr/bin/python3
"""Reference values for tests/compare: Pearson r over the off-diagonal cells of two confusion
matrices (raw counts, row-normalised and column-normalised), its two-sided p-value and Fisher-z
interval, from scipy.stats.pearsonr (scipy 1.10.1, Debian 12) and its confidence_interval().
Writes correlation_reference.json next to this file.

Run: /usr/bin/python3 tests/compare/reference/correlation_reference.py"""
import json
import os

import numpy as np
import scipy
from scipy.stats import pearsonr

rng = np.random.default_rng(4030)


def off_diagonal(m):
    k = m.shape[0]
    return np.array([m[t, p] for t in range(k) for p in range(k) if t != p], dtype=float)


def normalise(m, how):
    m = m.astype(float)
    if how == "row":
        return m / m.sum(axis=1, keepdims=True)
    if how == "column":
        return m / m.sum(axis=0, keepdims=True)
    if how == "total":
        return m / m.sum()
    return m


cases = []
for k, scale in [(3, 20), (4, 30), (7, 40), (7, 5), (10, 15)]:
    a = rng.integers(0, scale, (k, k)) + np.diag(rng.integers(50, 200, k))
    b = np.maximum(0, a + rng.integers(-scale // 2, scale // 2 + 1, (k, k)))
    case = {"cm_a": a.tolist(), "cm_b": b.tolist(), "results": {}}
    for how in ("none", "row", "column", "total"):
        x, y = off_diagonal(normalise(a, how)), off_diagonal(normalise(b, how))
        res = pearsonr(x, y)
        entry = {"r": float(res.statistic), "p_value": float(res.pvalue), "n_cells": len(x)}
        for level in (0.95, 0.9):
            ci = res.confidence_interval(confidence_level=level)
            entry["ci_%g" % level] = [float(ci.low), float(ci.high)]
        case["results"][how] = entry
    cases.append(case)

out = {"generated_with": {"scipy": scipy.__version__, "numpy": np.__version__},
       "calls": "scipy.stats.pearsonr(off_diagonal(normalise(cm_a)), off_diagonal(normalise(cm_b))); "
                ".confidence_interval(confidence_level)",
       "cases": [dict(c, source="correlation_reference.py: scipy.stats.pearsonr on the off-diagonal cells of "
                                 "seeded random matrices (numpy default_rng(4030))") for c in cases]}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "correlation_reference.json"), "w") as fh:
    json.dump(out, fh)
    fh.write("\n")
