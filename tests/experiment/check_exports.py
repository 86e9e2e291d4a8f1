#!/usr/bin/python3
"""jsPsych's two export formats read back alike (issue 21): simulate.cjs wrote every order's
simulated participant twice, as the CSV the page POSTed and as jsPsych's own `.json()` export.
Every order of every playlist together rates every stimulus, so this runs, without simulation,
    reproduce_disfer --stimuli STIMULI --votes-jspsych <the CSV files> --exclude-failed 0 --simulate none ...
    reproduce_disfer --stimuli STIMULI --votes-jspsych <the JSON files> --exclude-failed 0 --simulate none ...
and checks that both read the same votes, checks and participants (every column but file and line),
one vote per rating trial found in the JSON files by Python's json module, with its position, its
stimulus and the category of the button clicked (the paper's alphabetical button order).
Run: check_exports.py REPRODUCE_DISFER STIMULI_DIR EXPORTS_DIR OUT_DIR"""
import csv
import glob
import json
import os
import subprocess
import sys

BUTTONS = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]


def run(reproduce, stimuli, files, out):
    # The simulated participants click at random, checks included: --exclude-failed 0 keeps them all.
    cmd = [reproduce, "--stimuli", stimuli, "--votes-jspsych", *files, "--exclude-failed", "0", "--simulate", "none",
           "--bootstrap", "0",
           "--out", out, "--replace", "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        print(f"FAIL: {' '.join(cmd[:4])} ... exited {r.returncode}: {r.stderr.strip()[-2000:]}")
        sys.exit(1)
    tables = {}
    for name in ["jspsych-votes.csv", "jspsych-checks.csv", "jspsych-participants.csv"]:
        with open(os.path.join(out, name), newline="") as f:
            tables[name] = [{k: v for k, v in row.items() if k not in ("file", "line")} for row in csv.DictReader(f)]
    return tables


def main():
    reproduce, stimuli, exports, out = sys.argv[1:5]
    csv_files = sorted(glob.glob(os.path.join(exports, "csv", "*.csv")))
    json_files = sorted(glob.glob(os.path.join(exports, "json", "*.json")))
    if not csv_files or len(csv_files) != len(json_files):
        print(f"FAIL: {len(csv_files)} CSV and {len(json_files)} JSON exports in {exports}")
        return 1
    a = run(reproduce, stimuli, csv_files, os.path.join(out, "csv"))
    b = run(reproduce, stimuli, json_files, os.path.join(out, "json"))
    problems = 0
    for name in a:
        if a[name] != b[name]:
            problems += 1
            print(f"FAIL: {name} differs between the CSV and the JSON exports ({len(a[name])} vs {len(b[name])} rows)")
    want = []
    for path in json_files:
        for row in json.load(open(path, encoding="utf-8")):
            if row.get("disfer_task") == "rating":
                want.append((row["disfer_participant"], int(row["disfer_position"]), row["disfer_id"],
                             BUTTONS[row["response"]]))
    got = [(v["participant"], int(v["position"]), v["stimulus"], v["label"]) for v in b["jspsych-votes.csv"]]
    if sorted(got) != sorted(want):
        problems += 1
        print(f"FAIL: the votes read ({len(got)}) are not the JSON files' rating trials ({len(want)})")
    if problems:
        return 1
    print(f"ok: {len(json_files)} participants' CSV and JSON exports read back alike: {len(got)} votes, "
          f"{len(b['jspsych-checks.csv'])} attention checks, every stimulus rated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
