#!/usr/bin/python3
"""Precision, recall and F1 with empty classes under the three zero_division rules, computed here in
exact fractions (no disfer code) by scikit-learn's documented convention (>= 1.4: F = 2 TP / (2 TP +
FP + FN), the zero_division value only where that denominator is 0; with zero_division = nan the
undefined entries are left out of the macro and weighted averages, scikit-learn >= 1.3). Debian's
scikit-learn 1.2 has no zero_division = nan: it is run for 0 and 1 and must agree (its F1 of a class
with P = R = 0 follows the same rule there).
Run: /usr/bin/python3 tests/metrics/reference/published_cases.py   (writes published_cases.json)"""
import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support  # noqa: E402

from reference_common import flt, versions, write_json  # noqa: E402

NAN = None  # undefined entries are null in the JSON


def ratio(num, den, zd):
    return F(num, den) if den else zd


def average(values, weights=None):
    pairs = [(v, w) for v, w in zip(values, weights or [1] * len(values)) if v is not NAN]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else NAN


def prf(cm, zd):
    k = len(cm)
    per = []
    for j in range(k):
        tp = cm[j][j]
        fp = sum(cm[i][j] for i in range(k)) - tp
        fn = sum(cm[j]) - tp
        per.append({"tp": tp, "fp": fp, "fn": fn, "support": tp + fn, "P": ratio(tp, tp + fp, zd),
                    "R": ratio(tp, tp + fn, zd), "F": ratio(2 * tp, 2 * tp + fp + fn, zd)})
    support = [c["support"] for c in per]
    out = {"per_class": [{k2: (flt(v) if isinstance(v, F) else v) for k2, v in c.items()} for c in per]}
    out["macro"] = {m: flt(average([c[key] for c in per])) for m, key in (("precision", "P"), ("recall", "R"),
                                                                          ("f1", "F"))}
    out["weighted"] = {m: flt(average([c[key] for c in per], support)) for m, key in (("precision", "P"),
                                                                                      ("recall", "R"), ("f1", "F"))}
    return out


y_true, y_pred, labels = [0, 1, 0, 3], [0, 1, 2, 2], [0, 1, 2, 3, 4]
cm = [[sum(1 for t, p in zip(y_true, y_pred) if t == a and p == b) for b in labels] for a in labels]
assert cm == confusion_matrix(y_true, y_pred, labels=labels).tolist()
expected = {"confusion_matrix_rows_true_cols_pred": cm}
for key, zd in (("zero_division_0", F(0)), ("zero_division_1", F(1)), ("zero_division_nan", NAN)):
    expected[key] = prf(cm, zd)
tp = sum(cm[j][j] for j in range(len(labels)))
micro = F(tp, len(y_true))
expected["micro"] = {"precision": flt(micro), "recall": flt(micro), "f1": flt(micro)}

observed = {}
for key, zd in (("zero_division_0", 0), ("zero_division_1", 1)):
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=zd)
    mine = expected[key]["per_class"]
    assert np.allclose(p, [c["P"] for c in mine], rtol=1e-15) and np.allclose(r, [c["R"] for c in mine], rtol=1e-15)
    assert np.allclose(f, [c["F"] for c in mine], rtol=1e-15) and list(s) == [c["support"] for c in mine]
    observed[key] = {"precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist()}
    for avg in ("macro", "weighted"):
        v = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=zd, average=avg)[:3]
        assert np.allclose(v, [expected[key][avg][m] for m in ("precision", "recall", "f1")], rtol=1e-15), (key, avg)
        observed[key][avg] = [float(x) for x in v]

write_json(__file__, "published_cases.json", {
    "about": "Metrics corner cases; expected values from published_cases.py beside this file; null = undefined (nan).",
    "generated_by": "/usr/bin/python3 tests/metrics/reference/published_cases.py",
    "generated_with": versions(np, sklearn),
    "cases": [{
        "id": "prf_empty_classes", "kind": "precision_recall_f1",
        "source": "y_true / y_pred of scikit-learn issue #31052 with an extra never-seen label 4; the F rule of "
                  "scikit-learn PR #27577 (>= 1.4). Expected: published_cases.py (fractions); observed: Debian's "
                  "scikit-learn precision_recall_fscore_support for zero_division 0 and 1.",
        "input": {"y_true": y_true, "y_pred": y_pred, "labels": labels},
        "expected": expected, "observed_in_references": {"sklearn": observed}}]})
