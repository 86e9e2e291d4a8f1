#!/usr/bin/python3
"""Times statsmodels' fleiss_kappa on the table of bench_agreement.cpp (its first 10^6 and all 10^7
items x 7 categories, 51 ratings each, built from splitmix64 of the row index exactly as there),
best of 3 runs.

Run: /usr/bin/python3 benchmarks/bench_agreement_statsmodels.py [--quick] [--json FILE]
(statsmodels 0.13.5, numpy 1.24.2). --quick: the best of 2 runs instead of 3 (the first run on
the 10^7 table is several times slower than the next ones: fresh pages for its temporaries);
--json FILE also writes {"statsmodels": version, "runs": {"<rows>": {"seconds": best, "kappa":
kappa}}} (for benchmarks/compare.sh).
"""
import argparse
import json
import time

import numpy as np
import statsmodels
from statsmodels.stats.inter_rater import fleiss_kappa

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="the best of 2 runs instead of 3")
parser.add_argument("--json", metavar="FILE", help="also write the times as JSON")
args = parser.parse_args()
RUNS = 2 if args.quick else 3

ITEMS, K, RATERS = 10_000_000, 7, 51


def splitmix64(x):
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


h = splitmix64(np.arange(ITEMS, dtype=np.uint64))
fav = (h % np.uint64(K)).astype(np.int64)
top = (np.uint64(20) + (h >> np.uint64(8)) % np.uint64(20)).astype(np.int64)
rest = RATERS - top
base, extra = rest // 6, rest % 6
table = np.empty((ITEMS, K), dtype=np.int64)
# Position of column j among the non-favourite columns: j if j < fav else j - 1.
for j in range(K):
    o = np.where(j < fav, j, j - 1)
    table[:, j] = np.where(j == fav, top, base + (o < extra))
assert (table.sum(axis=1) == RATERS).all()

results = {"statsmodels": statsmodels.__version__, "numpy": np.__version__, "runs_per_size": RUNS, "runs": {}}
for rows in (1_000_000, ITEMS):
    part = table[:rows]
    best = float("inf")
    for _ in range(RUNS):
        t0 = time.perf_counter()
        kappa = fleiss_kappa(part, method="fleiss")
        best = min(best, time.perf_counter() - t0)
    results["runs"][str(rows)] = {"seconds": best, "kappa": kappa}
    print(f"statsmodels fleiss_kappa, {rows} x {K}: best of {RUNS} = {best * 1e3:.1f} ms; kappa = {kappa:.17g}")
if args.json:
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
