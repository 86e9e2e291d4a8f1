#!/usr/bin/python3
"""Reference values from statsmodels 0.13.5 (Debian 12) for tests/agreement.

Writes statsmodels_reference.csv (name,value with 17 significant digits).
Run from this folder: /usr/bin/python3 statsmodels_reference.py
"""
import csv
import numpy as np
from statsmodels.stats.inter_rater import fleiss_kappa, cohens_kappa


def load(name):
    with open(name) as f:
        rows = list(csv.reader(f))[1:]
    return np.array([[int(v) for v in r] for r in rows])


out = []
eq = load("random_equal.csv")
out.append(("random_equal.fleiss", fleiss_kappa(eq, method="fleiss")))
out.append(("random_equal.randolph", fleiss_kappa(eq, method="randolph")))
# statsmodels refuses unequal rows (AssertionError), so random_unequal has no statsmodels value.

coh = load("random_cohen.csv")
abstractors = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]])
custom = np.array([[0, 1, 2, 2, 2], [1, 0, 1, 2, 2], [2, 1, 0, 1, 2], [2, 2, 1, 0, 1], [2, 2, 2, 1, 0]]) / 2.0
for tname, t in [("abstractors", abstractors), ("random_cohen", coh)]:
    for wname, kw in [("unweighted", {}), ("linear", {"wt": "linear"}), ("quadratic", {"wt": "quadratic"})]:
        r = cohens_kappa(t, **kw)
        out += [(f"{tname}.{wname}.kappa", r.kappa), (f"{tname}.{wname}.se", r.std_kappa),
                (f"{tname}.{wname}.se0", r.std_kappa0)]
# Custom disagreement weights (statsmodels takes disagreement weights; disfer agreement = 1 - these).
r = cohens_kappa(coh, weights=custom)
out += [("random_cohen.custom.kappa", r.kappa), ("random_cohen.custom.se", r.std_kappa),
        ("random_cohen.custom.se0", r.std_kappa0)]

with open("statsmodels_reference.csv", "w") as f:
    f.write("name,value\n")
    for name, v in out:
        f.write(f"{name},{float(v):.17g}\n")
