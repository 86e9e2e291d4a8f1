#!/usr/bin/python3
"""Writes the random count tables the agreement reference scripts and tests share.

random_equal.csv: 300 items x 7 categories, 51 ratings each (numpy PCG64 seed 20260601).
random_unequal.csv: 300 items x 7 categories, 50 or 51 ratings (same generator, continued).
random_cohen.csv: a 5 x 5 two-rater table.
Run: /usr/bin/python3 make_tables.py  (numpy 1.24.2 on Debian 12).
"""
import numpy as np

rng = np.random.Generator(np.random.PCG64(20260601))


def table(n_items, k, sizes):
    rows = []
    for i in range(n_items):
        p = rng.dirichlet(np.full(k, 0.6))
        rows.append(rng.multinomial(sizes[i], p))
    return np.array(rows, dtype=np.int64)


eq = table(300, 7, [51] * 300)
uneq = table(300, 7, rng.choice([50, 51], size=300))
coh = rng.multinomial(400, rng.dirichlet(np.ones(25))).reshape(5, 5) + np.diag([30, 25, 20, 15, 10])
for name, t in [("random_equal.csv", eq), ("random_unequal.csv", uneq), ("random_cohen.csv", coh)]:
    with open(name, "w") as f:
        f.write(",".join(f"c{j}" for j in range(t.shape[1])) + "\n")
        for row in t:
            f.write(",".join(str(int(v)) for v in row) + "\n")
