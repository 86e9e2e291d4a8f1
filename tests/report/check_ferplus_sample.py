#!/usr/bin/env python3
"""Checks reproduce_disfer's FER+ section (OUT/ferplus.csv) against the independent base-R reference
tests/report/reference/ferplus_reference.R, run here on the same two files, with the networks' labels
taken from OUT/ferplus_items.csv (one column per network; each network and each pair of them) (the only input the script takes from the program): counts exactly,
every other number to 1e-12 relative (the SEs and the correlation's p-value to 1e-10).
Also checks that reproduction.json holds the same section. Exit 77 (skipped) when Rscript is missing.
Usage: check_ferplus_sample.py REPO OUT FERPLUS.csv FER2013.csv"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile


def main(repo, out, ferplus, fer2013):
    if not shutil.which("Rscript"):
        print("SKIPPED: needs Rscript (scripts/setup.sh installs r-base-core)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        ref_path = os.path.join(tmp, "ref.csv")
        subprocess.run(["Rscript", os.path.join(repo, "tests/report/reference/ferplus_reference.R"), "--ferplus", ferplus,
                        "--fer2013", fer2013, "--network", os.path.join(out, "ferplus_items.csv"), "--out", ref_path],
                       check=True)
        ref = {r["name"]: (math.nan if r["value"] in ("NA", "NaN") else float(r["value"])) for r in csv.DictReader(open(ref_path))}
    ours = {r["quantity"]: (float(r["value"]) if r["value"] else math.nan)
            for r in csv.DictReader(open(os.path.join(out, "ferplus.csv")))}
    section = json.load(open(os.path.join(out, "reproduction.json")))["ferplus"]["values"]
    bad = []
    if set(ours) != set(ref):
        bad.append(f"keys differ: ours only {sorted(set(ours) - set(ref))}, reference only {sorted(set(ref) - set(ours))}")
    for k in sorted(set(ours) & set(ref)):
        a, e = ours[k], ref[k]
        count = float(e).is_integer() and not any(s in k for s in ("kappa", "fraction", "accuracy", "precision", "recall",
                                                                      "mean", "_p", "_r"))
        rel = 0 if count else (1e-10 if k.endswith("_se") or k.endswith("error_correlation_p") else 1e-12)
        same = (math.isnan(a) and math.isnan(e)) or a == e or abs(a - e) <= rel * abs(e)
        j = section.get(k, {}).get("value")
        same_json = (j is None and math.isnan(a)) or (j is not None and (j == a or abs(j - a) <= 1e-15 * abs(a)))
        print(f"{k:32s} ours {a!r:24} reference {e!r:24} {'ok' if same and same_json else 'DIFFERS'}")
        if not (same and same_json):
            bad.append(k)
    if bad:
        print("FAILED:", ", ".join(bad))
        return 1
    print(f"{len(ref)} values agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
