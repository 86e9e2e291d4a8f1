#!/usr/bin/env python3
"""Reference values for tests/report/test_reproduction.cpp: a tiny study (3 categories, 4 sources x
2 conditions = 8 stimuli, 5 raters who rate every stimulus, one model) and its aggregates computed
with statsmodels and SciPy. Writes tiny_study_votes.csv, tiny_study_model.csv and
tiny_study_expected.csv beside this script. Run: python3 tiny_study.py"""
import csv
import math
import os

import numpy as np
from scipy.stats import pearsonr
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.inter_rater import fleiss_kappa
from statsmodels.stats.proportion import proportion_confint

here = os.path.dirname(os.path.abspath(__file__))
cats = ["a", "b", "c"]
# stimulus id, source, label, condition
stimuli = [("s1_orig", "s1", 0, "original"), ("s1_gb", "s1", 0, "GB 0.8"),
           ("s2_orig", "s2", 1, "original"), ("s2_gb", "s2", 1, "GB 0.8"),
           ("s3_orig", "s3", 2, "original"), ("s3_gb", "s3", 2, "GB 0.8"),
           ("s4_orig", "s4", 0, "original"), ("s4_gb", "s4", 0, "GB 0.8")]
# votes[rater][stimulus]: no majority ties (5 raters)
votes = [[0, 0, 1, 1, 2, 1, 1, 1],
         [0, 1, 1, 1, 2, 2, 1, 2],
         [0, 0, 1, 2, 2, 2, 1, 1],
         [1, 0, 0, 1, 2, 0, 2, 1],
         [0, 0, 1, 0, 1, 2, 1, 0]]
model = [0, 2, 1, 2, 2, 1, 0, 0]

with open(os.path.join(here, "tiny_study_votes.csv"), "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["stimulus", "rater", "label"])
    for r, row in enumerate(votes):
        for i, lab in enumerate(row):
            w.writerow([stimuli[i][0], f"r{r + 1}", cats[lab]])
with open(os.path.join(here, "tiny_study_model.csv"), "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["stimulus", "label"])
    for i, lab in enumerate(model):
        w.writerow([stimuli[i][0], cats[lab]])

n = len(stimuli)
truth = np.array([s[2] for s in stimuli])
counts = np.zeros((n, 3), dtype=int)
for row in votes:
    for i, lab in enumerate(row):
        counts[i, lab] += 1
majority = counts.argmax(axis=1)
assert all(sorted(c)[-1] > sorted(c)[-2] for c in counts), "a majority tie"
expected = []
expected.append(("kappa", fleiss_kappa(counts, method="fleiss")))
m = 5
p_i = (np.sum(counts * (counts - 1), axis=1)) / (m * (m - 1))
for i in range(n):
    expected.append((f"p_i/{stimuli[i][0]}", p_i[i]))
for name, pred in (("humans", majority), ("model", np.array(model))):
    ok = int(np.sum(pred == truth))
    lo, hi = proportion_confint(ok, n, alpha=0.05, method="wilson")
    expected += [(f"accuracy/{name}", ok / n), (f"ci_low/{name}", lo), (f"ci_high/{name}", hi)]
# McNemar exact, humans vs model: b = humans right & model wrong
hr, mr = majority == truth, np.array(model) == truth
table = [[int(np.sum(hr & mr)), int(np.sum(hr & ~mr))], [int(np.sum(~hr & mr)), int(np.sum(~hr & ~mr))]]
res = mcnemar(table, exact=True)
expected += [("mcnemar_b", table[0][1]), ("mcnemar_c", table[1][0]), ("mcnemar_p", res.pvalue)]
# Per-participant accuracy
acc = [np.mean(np.array(row) == truth) for row in votes]
expected += [("participants/mean", np.mean(acc)), ("participants/sd", np.std(acc, ddof=1)),
             ("participants/min", min(acc)), ("participants/max", max(acc))]
# Sources misclassified by the majority in both versions, and accuracy without them
wrong_all = [s for s in ("s1", "s2", "s3", "s4")
             if all(majority[i] != truth[i] for i in range(n) if stimuli[i][1] == s)]
expected.append(("always_misclassified", len(wrong_all)))
keep = [i for i in range(n) if stimuli[i][1] not in wrong_all]
expected.append(("accuracy_without/humans", np.mean(majority[keep] == truth[keep])))
expected.append(("accuracy_without/model", np.mean(np.array(model)[keep] == truth[keep])))
# Off-diagonal correlation (row-normalised confusion matrices), overall
def cm(pred):
    c = np.zeros((3, 3))
    for t, p in zip(truth, pred):
        c[t, p] += 1
    return c / c.sum(axis=1, keepdims=True)
off = ~np.eye(3, dtype=bool)
r, p = pearsonr(cm(majority)[off], cm(np.array(model))[off])
expected += [("offdiag_r", r), ("offdiag_p", p)]

with open(os.path.join(here, "tiny_study_expected.csv"), "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["key", "value"])
    for k, v in expected:
        w.writerow([k, repr(float(v))])
print("\n".join(f"{k} = {float(v)!r}" for k, v in expected))
