#!/usr/bin/python3
"""Reference values for tests/metrics: scikit-learn and statsmodels (Debian 12: scikit-learn 1.2.1,
statsmodels 0.13.5). Writes metrics_reference.json next to this file.

Run: /usr/bin/python3 tests/metrics/reference/metrics_reference.py

Only cases where scikit-learn 1.2.1 and >= 1.4 agree are used: every class has tp > 0 whenever
zero_division = 1 is asked for, and zero_division = 0 otherwise (with tp = 0, 1.2.1 and >= 1.4 both
give F = 0 then). The zero_division = 1 / nan corner cases are in published_cases.py."""
import json
import os

import numpy as np
import sklearn
import statsmodels
from sklearn.metrics import (balanced_accuracy_score, classification_report, confusion_matrix,
                             precision_recall_fscore_support)
from statsmodels.stats.proportion import proportion_confint

rng = np.random.default_rng(20221130)


def noisy_labels(n, k, accuracy):
    truth = rng.integers(0, k, n)
    pred = truth.copy()
    flip = rng.random(n) > accuracy
    pred[flip] = rng.integers(0, k, flip.sum())
    return truth, pred


cases = []
specs = [
    ("k7_n300", 300, 7, 0.55, [0]),
    ("k3_n50", 50, 3, 0.7, [0, 1]),
    ("k2_n40", 40, 2, 0.8, [0, 1]),
    ("k5_n1000", 1000, 5, 0.3, [0]),
    ("k20_n3000", 3000, 20, 0.4, [0]),  # k > 16: the heap-table path of disfer::confusion_matrix
]
for name, n, k, acc, zds in specs:
    truth, pred = noisy_labels(n, k, acc)
    labels = list(range(k))
    case = {"id": name, "k": k, "truth": truth.tolist(), "pred": pred.tolist(),
            "confusion_matrix": confusion_matrix(truth, pred, labels=labels).tolist(),
            "normalize_true": confusion_matrix(truth, pred, labels=labels, normalize="true").tolist(),
            "normalize_pred": confusion_matrix(truth, pred, labels=labels, normalize="pred").tolist(),
            "normalize_all": confusion_matrix(truth, pred, labels=labels, normalize="all").tolist(),
            "balanced_accuracy": balanced_accuracy_score(truth, pred),
            "balanced_accuracy_adjusted": balanced_accuracy_score(truth, pred, adjusted=True),
            "prf": []}
    for zd in zds:
        for beta in (1.0, 0.5, 2.0):
            entry = {"zero_division": zd, "beta": beta}
            p, r, f, s = precision_recall_fscore_support(truth, pred, labels=labels, beta=beta,
                                                         zero_division=zd, average=None)
            entry["per_class"] = {"precision": p.tolist(), "recall": r.tolist(), "f": f.tolist(),
                                  "support": s.tolist()}
            for avg in ("macro", "weighted", "micro"):
                p, r, f, _ = precision_recall_fscore_support(truth, pred, labels=labels, beta=beta,
                                                             zero_division=zd, average=avg)
                entry[avg] = [p, r, f]
            case["prf"].append(entry)
    names = ["class %d" % i for i in range(k)]
    case["report_digits2"] = classification_report(truth, pred, labels=labels, target_names=names,
                                                   zero_division=zds[0])
    case["report_digits4"] = classification_report(truth, pred, labels=labels, target_names=names,
                                                   digits=4, zero_division=zds[0])
    cases.append(case)

# balanced accuracy when a class is predicted but absent from the truth (scikit-learn drops it).
truth = [0, 0, 1, 1, 1, 0, 1, 0]
pred = [0, 2, 1, 1, 0, 0, 2, 0]
absent = {"truth": truth, "pred": pred, "k": 3,
          "balanced_accuracy": balanced_accuracy_score(truth, pred),
          "balanced_accuracy_adjusted": balanced_accuracy_score(truth, pred, adjusted=True)}

wilson = []
for x, n, level in [(0, 10, 0.95), (10, 10, 0.95), (3, 10, 0.95), (530, 840, 0.95), (530, 840, 0.99),
                    (1, 1, 0.9), (17, 84, 0.95), (999999, 1000000, 0.95), (1, 1000000, 0.999),
                    (42, 84, 0.5)]:
    lo, hi = proportion_confint(x, n, alpha=1 - level, method="wilson")
    wilson.append({"successes": x, "trials": n, "level": level, "ci_low": lo, "ci_high": hi})

out = {"generated_with": {"sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__,
                          "numpy": np.__version__},
       "calls": "sklearn.metrics confusion_matrix / balanced_accuracy_score / "
                "precision_recall_fscore_support(labels=range(k), beta, zero_division, average) / "
                "classification_report(labels, target_names); statsmodels proportion_confint(method='wilson')",
       "cases": cases, "balanced_accuracy_absent_class": absent, "wilson": wilson}
SOURCE = "metrics_reference.py (scikit-learn / statsmodels as in 'calls', numpy default_rng(20221130) labels)"
for entry in cases + wilson + [absent]:
    entry["source"] = SOURCE
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_reference.json"), "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
