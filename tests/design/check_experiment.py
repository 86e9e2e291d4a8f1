#!/usr/bin/env python3
"""Checks a folder written by make_experiment against the stimulus folder it was made from, with
Python's csv and json modules only (independent of disfer's readers):
  - every presentation order of presentation-orders.csv is in disfer-study.js, under its playlist,
    with the same stimuli in the same order, each image present as a PNG (copied byte for byte
    from a PNG stimulus);
  - each order has N attention checks, after round((c + 1) n / (N + 1)) ratings (half up), asking
    for a button in range, over a face the order does not show;
  - the buttons are the paper's seven in alphabetical order;
  - index.html names only relative files, and they exist (no CDN, no server code).

  check_experiment.py STIMULI_DIR EXPERIMENT_DIR CHECKS_PER_PARTICIPANT
  check_experiment.py --tampered STIMULI_DIR EXPERIMENT_DIR CHECKS_PER_PARTICIPANT
      (the checker can fail: on a copy whose first order has its first two trials swapped and
      whose first check sits on one of the order's own faces, it must find both)
"""
import csv
import json
import os
import re
import shutil
import sys
import tempfile
from collections import defaultdict

BUTTONS = [("Anger", "angry"), ("Disgust", "disgust"), ("Fear", "fear"), ("Happiness", "happy"),
           ("Neutral", "neutral"), ("Sadness", "sad"), ("Surprise", "surprise")]


def tampered(stimuli, site, n_checks):
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "site")
        shutil.copytree(site, copy)
        path = os.path.join(copy, "disfer-study.js")
        text = open(path, encoding="utf-8").read()
        prefix, body = text.split("window.DISFER_STUDY = ", 1)
        study = json.loads(body.rstrip().rstrip(";"))
        order = study["playlists"][0]["orders"][0]
        order["trials"][0], order["trials"][1] = order["trials"][1], order["trials"][0]
        order["checks"][0]["image"] = order["trials"][0]["image"]
        open(path, "w", encoding="utf-8").write(prefix + "window.DISFER_STUDY = " + json.dumps(study) + ";\n")
        problems = check(stimuli, copy, n_checks)
    want = ["trials differ from presentation-orders.csv", "one of its own faces"]
    found = [w for w in want if any(w in p for p in problems)]
    print(f"check_experiment --tampered: found {len(found)} of {len(want)} planted problems")
    return 0 if len(found) == len(want) else 1


def main():
    if sys.argv[1] == "--tampered":
        return tampered(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    stimuli, site, n_checks = sys.argv[1], sys.argv[2], int(sys.argv[3])
    problems = check(stimuli, site, n_checks)
    for p in problems[:20]:
        print("check_experiment:", p)
    if problems:
        print(f"check_experiment: {len(problems)} problems")
        return 1
    study = load_study(site)
    n_orders = sum(len(p["orders"]) for p in study["playlists"])
    print(f"check_experiment: {len(study['playlists'])} playlists, {n_orders} orders match "
          f"presentation-orders.csv, {n_checks} checks each, images and index.html relative and present")
    return 0


def load_study(site):
    text = open(os.path.join(site, "disfer-study.js"), encoding="utf-8").read()
    m = re.search(r"window\.DISFER_STUDY = (\{.*\});\s*$", text, re.S)
    return json.loads(m.group(1)) if m else None


def check(stimuli, site, n_checks):
    problems = []
    study = load_study(site)
    if study is None:
        return ["disfer-study.js does not assign window.DISFER_STUDY"]
    if study.get("format") != "disfer-experiment 1":
        problems.append(f"format {study.get('format')!r}")
    if [(b["label"], b["category"]) for b in study["buttons"]] != BUTTONS:
        problems.append(f"buttons {study['buttons']}")

    orders = defaultdict(list)
    playlist_of = {}
    with open(os.path.join(stimuli, "presentation-orders.csv"), newline="") as f:
        for row in csv.DictReader(f):
            p = int(row["participant"])
            orders[p].append((int(row["position"]), row["id"]))
            playlist_of[p] = int(row["playlist"])
    files = {}
    with open(os.path.join(stimuli, "manifest.csv"), newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    for row in csv.DictReader(lines):
        files[row["id"]] = row["file"]

    seen = set()
    for pl in study["playlists"]:
        for o in pl["orders"]:
            pid = o["order_id"]
            seen.add(pid)
            want = [i for _, i in sorted(orders.get(pid, []))]
            got = [t["id"] for t in o["trials"]]
            if playlist_of.get(pid) != pl["playlist"]:
                problems.append(f"order {pid} under playlist {pl['playlist']}, CSV says {playlist_of.get(pid)}")
            if got != want:
                problems.append(f"order {pid}: trials differ from presentation-orders.csv")
            n = len(got)
            if len(o["checks"]) != n_checks:
                problems.append(f"order {pid}: {len(o['checks'])} checks, want {n_checks}")
            for c, chk in enumerate(o["checks"]):
                after = ((c + 1) * n * 2 + n_checks + 1) // (2 * (n_checks + 1))
                if chk["after"] != after:
                    problems.append(f"order {pid}: check {c} after {chk['after']}, want {after}")
                if not 0 <= chk["expected"] < len(BUTTONS):
                    problems.append(f"order {pid}: check {c} asks for button {chk['expected']}")
                face = os.path.splitext(os.path.basename(chk["image"]))[0]
                if face in got or face not in files:
                    problems.append(f"order {pid}: check {c} shows {face}, one of its own faces or unknown")
            for t in o["trials"] + o["checks"]:
                path = os.path.join(site, t["image"])
                if t["image"].startswith("/") or "//" in t["image"] or not os.path.isfile(path):
                    problems.append(f"image {t['image']} missing or not relative")
                    continue
                data = open(path, "rb").read()
                if not data.startswith(b"\x89PNG\r\n\x1a\n"):
                    problems.append(f"{t['image']} is not a PNG")
                face = os.path.splitext(os.path.basename(t["image"]))[0]
                src = os.path.join(stimuli, files.get(face, ""))
                if src.endswith(".png") and open(src, "rb").read() != data:
                    problems.append(f"{t['image']} differs from {src}")
    if seen != set(orders):
        problems.append(f"orders in the CSV but not the study: {sorted(set(orders) - seen)[:5]}")

    html = open(os.path.join(site, "index.html"), encoding="utf-8").read()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    if not refs:
        problems.append("index.html names no script")
    for r in refs:
        if r.startswith("data:"):  # inline (the empty favicon): nothing fetched
            continue
        if re.match(r"^[a-z]+:|^//|^/", r):
            problems.append(f"index.html names a non-relative {r}")
        elif not os.path.isfile(os.path.join(site, r)):
            problems.append(f"index.html names {r}, which is missing")
    lic = os.path.join(site, "jspsych", "LICENSE-jspsych.txt")
    if not os.path.isfile(lic) or "MIT License" not in open(lic).read():
        problems.append("jspsych/LICENSE-jspsych.txt missing or not the MIT licence")

    return problems


if __name__ == "__main__":
    sys.exit(main())
