#!/usr/bin/env python3
"""reproduce_disfer --simulate: measured and simulated never mixed in a test (issue 19, point 3).

Usage: check_simulate.py REPRODUCE_DISFER WORKDIR [FER2013_CSV [FERPLUS_CSV]]

1. The simulation alone (no data): every row simulated.
2. One measured predictor, M (the simulation's majority votes written as a user's predictions
   file), and --simulate auto: nothing is simulated, so every row of every CSV, the JSON and the
   terminal tables is measured; no human result appears (there are no measured votes).
3. The same with --simulate missing: the simulated humans and models come back; every comparison of
   M with one of them is a row marked mixed with no test (NA, and the note saying why), every other
   pair is tested, and the Holm adjustment of the simulated pairs is the one of run 1 (adding M
   changes no adjusted p), recomputed here from the p-values by Holm's step-down (R p.adjust).
   M's own results (accuracy per condition) are those of run 2.
4. --simulate none without data is an error.
With FER2013_CSV (the real sample): --fer2013 prints no simulated row and no mixed test.
With FERPLUS_CSV too (FER+'s votes of the sample, fer2013new.csv layout): --ferplus makes FER+'s
crowd the measured humans on the originals: still nothing simulated, each original stimulus's P_i is
the one computed here from FER+'s seven emotion columns (P_i = sum_j n_j (n_j - 1) / (n (n - 1)),
Fleiss 1971), the humans-vs-network McNemar on the originals is tested, no other human result
appears; under --simulate missing the originals stay measured and tested while the distorted
conditions' comparisons with the humans are mixed and untested.
"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "report"))
from check_reproduction import CSV_FILES  # noqa: E402  (the reproduction's CSV files, one list)
NOTE = "not tested (measured vs simulated)"


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(prog, out, *args, expect_rc=0):
    p = subprocess.run([prog, "--out", out, "--replace", "--bootstrap", "50", *args], capture_output=True, text=True)
    if p.returncode != expect_rc:
        fail(f"{' '.join(args)}: exit {p.returncode}, expected {expect_rc}\n{p.stdout}\n{p.stderr}")
    return p.stdout + p.stderr


def rows(d, f):
    with open(os.path.join(d, f), newline="") as fh:
        return list(csv.DictReader(fh))


def origins_in_json(node, found):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "origin" or (k in ("votes",) and isinstance(v, str)):
                found.add(v)
            origins_in_json(v, found)
    elif isinstance(node, list):
        for v in node:
            origins_in_json(v, found)
    return found


def only_measured(d, stdout, label):
    for f in CSV_FILES:
        for r in rows(d, f):
            if r.get("origin") != "measured":
                fail(f"{label}: {f} has a row of origin {r.get('origin')}: {r}")
    with open(os.path.join(d, "reproduction.json")) as fh:
        j = json.load(fh)
    found = origins_in_json(j, set())
    if found - {"measured"}:
        fail(f"{label}: reproduction.json names origins {sorted(found)}")
    for f in CSV_FILES + ["reproduction.json"]:
        text = open(os.path.join(d, f), encoding="utf-8").read()
        for word in ("simulated", "mixed", "absent"):
            if f'"{word}"' in text or f",{word}," in text:
                fail(f"{label}: {f} names '{word}'")
    for line in stdout.splitlines():
        cells = line.split()
        if cells and cells[-1] in ("simulated", "mixed") or "not tested" in line:
            fail(f"{label}: the terminal shows a simulated or mixed row: {line!r}")
    if "simulation: none" not in stdout:
        fail(f"{label}: the header does not say 'simulation: none'")
    return j


def holm(p):
    """Holm's step-down adjustment (Holm 1979; R's p.adjust(p, "holm"))."""
    n = len(p)
    order = sorted(range(n), key=lambda i: p[i])
    out, running = [0.0] * n, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (n - rank) * p[i]))
        out[i] = running
    return out


def number(v):
    return float("nan") if v == "NA" else float(v)


def main():
    prog, work = sys.argv[1], sys.argv[2]
    fer2013 = sys.argv[3] if len(sys.argv) > 3 else ""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    sim, none, missing = (os.path.join(work, n) for n in ("sim", "none", "missing"))

    # 1. The whole simulation.
    out = run(prog, sim)
    if "simulation: all" not in out:
        fail("no data: the header does not say 'simulation: all'")
    if any(r["origin"] != "simulated" for r in rows(sim, "mcnemar.csv")):
        fail("no data: a McNemar row is not simulated")

    # M: the simulated majority votes as a user's measured predictions.
    preds = os.path.join(work, "m.csv")
    with open(preds, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["stimulus", "label"])
        for r in rows(sim, "item_agreement_per_stimulus.csv"):
            w.writerow([r["stimulus"], r["majority"]])

    # 2. auto with data = none: measured only.
    out = run(prog, none, "--predictions", f"M={preds}")
    j = only_measured(none, out, "auto with --predictions")
    if [r["predictor"] for r in rows(none, "overall_accuracy.csv")] != ["M"]:
        fail("auto with --predictions: overall_accuracy.csv should list M alone")
    if j["fleiss_kappa"] is not None or j["data"]["votes"] is not None or j["data"]["raters"] is not None:
        fail("auto with --predictions: reproduction.json reports votes that were not measured")
    if rows(none, "fleiss_kappa.csv") or rows(none, "mcnemar.csv") or rows(none, "error_correlation.csv"):
        fail("auto with --predictions: a human result or a comparison was written")
    if j["provenance"]["report_simulated"] is not False:
        fail("auto with --predictions: provenance report_simulated should be false")

    # 3. missing: simulated humans and models, mixed pairs untested.
    out = run(prog, missing, "--predictions", f"M={preds}", "--simulate", "missing")
    if "mixed: " + NOTE not in out:
        fail("--simulate missing: the terminal table does not mark the mixed pairs untested")
    mc = rows(missing, "mcnemar.csv")
    tested_cols = ["statistic", "p_value", "log10_p_value", "p_holm", "clustered_p_value", "accuracy_difference"]
    n_mixed = 0
    for r in mc:
        mixed = "M" in (r["a"], r["b"])
        if mixed != (r["origin"] == "mixed"):
            fail(f"--simulate missing: pair {r['a']} vs {r['b']} has origin {r['origin']}")
        if mixed:
            n_mixed += 1
            if any(r[c] != "NA" for c in tested_cols) or r["note"] != NOTE:
                fail(f"--simulate missing: the mixed pair {r['a']} vs {r['b']} on {r['subset']} is tested: {r}")
        elif r["note"] or math.isnan(number(r["p_value"])) and int(r["b_count"]) + int(r["c_count"]) > 0:
            fail(f"--simulate missing: the pair {r['a']} vs {r['b']} on {r['subset']} is not tested: {r}")
    subsets = {(r["level"], r["subset"]) for r in mc}
    if n_mixed != 5 * len(subsets):
        fail(f"--simulate missing: {n_mixed} mixed pairs, expected 5 per subset x {len(subsets)}")
    # Holm over the simulated pairs of each subset, and equal to run 1's.
    base = {(r["level"], r["subset"], r["a"], r["b"]): r for r in rows(sim, "mcnemar.csv")}
    for key in subsets:
        fam = [r for r in mc if (r["level"], r["subset"]) == key and r["origin"] == "simulated" and r["p_value"] != "NA"]
        want = holm([float(r["p_value"]) for r in fam])
        for r, w in zip(fam, want):
            got = float(r["p_holm"])
            if not math.isclose(got, w, rel_tol=1e-12, abs_tol=1e-300):
                fail(f"--simulate missing: Holm of {r['a']} vs {r['b']} on {key}: {got}, expected {w}")
            if r["p_holm"] != base[(r["level"], r["subset"], r["a"], r["b"])]["p_holm"]:
                fail(f"--simulate missing: adding M changed the adjusted p of {r['a']} vs {r['b']} on {key}")
    for r in rows(missing, "error_correlation.csv"):
        if (r["model"] == "M") != (r["origin"] == "mixed") or (r["origin"] == "mixed") != (r["r"] == "NA"):
            fail(f"--simulate missing: error correlation row {r}")
    acc_none = {(r["subset"], r["predictor"]): r["accuracy"] for r in rows(none, "accuracy_by_condition.csv")}
    acc_missing = {(r["subset"], r["predictor"]): r["accuracy"] for r in rows(missing, "accuracy_by_condition.csv")
                   if r["predictor"] == "M"}
    if acc_none != acc_missing or not acc_none:
        fail("M's accuracies differ between --simulate none and missing")

    # 4. none without data.
    out = run(prog, os.path.join(work, "bad"), "--simulate", "none", expect_rc=1)
    if "--simulate none needs data" not in out:
        fail(f"--simulate none without data: {out}")

    msg = f"ok: auto with data is measured only; missing marks {n_mixed} mixed pairs untested, Holm per origin"
    if fer2013:
        fer = os.path.join(work, "fer2013")
        out = run(prog, fer, "--fer2013", fer2013)
        only_measured(fer, out, "--fer2013")
        msg += "; --fer2013 measured only"
    if fer2013 and len(sys.argv) > 4:
        msg += "; " + ferplus_attach(prog, work, fer2013, sys.argv[4])
    print(msg)


EMOTIONS = ["anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"]  # FER-2013 order


def ferplus_attach(prog, work, fer2013, ferplus):
    p_i = {}
    with open(ferplus, newline="") as fh:
        for r in csv.DictReader(fh):
            if not r["Image name"]:
                continue
            n_j = [int(r[e]) for e in EMOTIONS]
            n = sum(n_j)
            # One emotion vote: no P_i (NA), as the section's single-rating rule.
            p_i[int(r["Image name"][3:10])] = sum(x * (x - 1) for x in n_j) / (n * (n - 1)) if n >= 2 else None
    out_dir = os.path.join(work, "ferplus")
    out = run(prog, out_dir, "--fer2013", fer2013, "--ferplus", ferplus)
    only_measured(out_dir, out, "--ferplus")
    row_of = {r["id"]: int(r["fer2013_row"]) for r in csv.DictReader(
        line for line in open(os.path.join(out_dir, "manifest.csv")) if not line.startswith("#"))}
    per = rows(out_dir, "item_agreement_per_stimulus.csv")
    if len(per) != 84:
        fail(f"--ferplus: {len(per)} stimuli with reported P_i, expected the 84 originals")
    for r in per:
        want = p_i[row_of[r["stimulus"]]]
        if (r["p_i"] == "NA") != (want is None) or want is not None and not math.isclose(float(r["p_i"]), want,
                                                                                         rel_tol=1e-12):
            fail(f"--ferplus: P_i of {r['stimulus']} is {r['p_i']}, FER+'s votes give {want}")
    mc = rows(out_dir, "mcnemar.csv")
    # The humans (FER+'s crowd) are measured on the originals only: their pairs are on the
    # originals, one type ("original") and one condition of the same stimuli; the two bundled
    # networks are measured on every stimulus, so their pair is tested on every subset.
    humans = [r for r in mc if "humans" in (r["a"], r["b"])]
    if {(r["level"], r["subset"]) for r in humans} != {("condition", "original"), ("type", "original")} or \
            any(r["p_value"] == "NA" for r in mc):
        fail(f"--ferplus: McNemar rows {[(r['subset'], r['a'], r['b'], r['p_value']) for r in mc]}")
    if rows(out_dir, "fleiss_kappa.csv"):
        fail("--ferplus: a kappa over the whole stimulus set (its distorted part has no real votes) was reported")
    missing = os.path.join(work, "ferplus-missing")
    run(prog, missing, "--fer2013", fer2013, "--ferplus", ferplus, "--simulate", "missing")
    for r in rows(missing, "mcnemar.csv"):
        if r["a"] == "humans" and r["b"] == "FER-2013 Xception":
            orig = r["subset"] == "original"
            if (r["origin"] == "measured") != orig or (r["p_value"] == "NA") == orig:
                fail(f"--ferplus --simulate missing: humans vs network on {r['subset']}: {r}")
    return "--ferplus: 84 originals' P_i equal FER+'s, McNemar on the originals measured"


if __name__ == "__main__":
    main()
