#!/usr/bin/python3
"""The answers of the headless-Chromium participants, read back by reproduce_disfer (issue 21).

participants.cjs wrote what three scripted participants clicked (clicks.json) and the test server
stored what their pages POSTed (one jsPsych CSV each). This runs
    reproduce_disfer --stimuli STIMULI --votes-jspsych <posted files> --simulate missing --out OUT --replace
and checks that OUT/jspsych-votes.csv, jspsych-checks.csv and jspsych-participants.csv (the columns of
docs/experiment.md) hold exactly the clicked labels, at their positions, for the playlist and order
each participant was given, and the attention check that participant 2 failed; then, with
--exclude-failed 1 (when reproduce_disfer has it), that this participant is excluded.
Run: check_votes.py REPRODUCE_DISFER STIMULI_DIR CLICKS_JSON OUT_DIR
Exit 77 (skipped) when reproduce_disfer has no --votes-jspsych."""
import csv
import json
import os
import subprocess
import sys

VOTES = ["participant", "playlist", "order", "position", "stimulus", "label", "rt", "file", "line"]
CHECKS = ["participant", "position", "after", "expected", "response", "passed", "file", "line"]
PARTICIPANTS = ["participant", "file", "playlist", "order", "ratings", "checks", "failed", "excluded", "reason"]
problems = []


def fail(msg):
    problems.append(msg)
    if len(problems) <= 40:
        print("FAIL: " + msg)


def table(path, columns):
    if not os.path.exists(path):
        fail(f"{path} was not written")
        return []
    with open(path, newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    header = next(csv.reader(lines[:1]), [])
    missing = [c for c in columns if c not in header]
    if missing:
        fail(f"{os.path.basename(path)} has no column {', '.join(missing)} (header: {','.join(header)})")
    return rows


def run(reproduce, stimuli, files, out, extra):
    cmd = [reproduce, "--stimuli", stimuli, "--votes-jspsych", *files, "--simulate", "missing", "--out", out,
           "--replace", *extra]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
        return False
    return True


def main(reproduce, stimuli, clicks_json, out):
    helptext = subprocess.run([reproduce, "--help"], capture_output=True, text=True).stdout
    if "--votes-jspsych" not in helptext:
        print(f"SKIPPED: {reproduce} has no --votes-jspsych option yet")
        return 77
    with open(clicks_json, encoding="utf-8") as f:
        clicks = json.load(f)["participants"]
    files = [c["file"] for c in clicks]
    if not run(reproduce, stimuli, files, out, []):
        return 1
    by_file = {os.path.basename(c["file"]): c for c in clicks}
    file_lines = {}
    for c in clicks:
        with open(c["file"], encoding="utf-8", newline="") as f:
            file_lines[c["participant"]] = f.read().split("\r\n")

    # Votes: one per rating, the clicked button's category at its position.
    votes = table(os.path.join(out, "jspsych-votes.csv"), VOTES)
    want = sum(len(c["ratings"]) for c in clicks)
    if len(votes) != want:
        fail(f"jspsych-votes.csv has {len(votes)} votes, the participants clicked {want}")
    for c in clicks:
        pid = c["participant"]
        mine = sorted((v for v in votes if v.get("participant") == pid), key=lambda v: int(v.get("position", -1)))
        got = [(int(v["position"]), v["stimulus"], v["label"]) for v in mine]
        exp = [(r["position"], r["id"], r["category"]) for r in c["ratings"]]
        if got != exp:
            fail(f"{pid}: votes {got} differ from the clicks {exp}")
        for v in mine:
            if v.get("playlist") != str(c["playlist"]) or v.get("order") != str(c["order"]):
                fail(f"{pid}: vote at {v.get('position')} has playlist {v.get('playlist')} order {v.get('order')}, "
                     f"the participant had playlist {c['playlist']} order {c['order']}")
            try:
                if float(v["rt"]) < 0:
                    fail(f"{pid}: rt {v['rt']}")
            except ValueError:
                fail(f"{pid}: rt {v.get('rt')!r} is not a number")
            if os.path.basename(v.get("file", "")) != os.path.basename(c["file"]):
                fail(f"{pid}: vote names file {v.get('file')}")
            lines = file_lines[pid]
            n = int(v.get("line") or 0)
            if not (1 <= n <= len(lines)) or f'"{v["stimulus"]}"' not in lines[n - 1] or '"rating"' not in lines[n - 1]:
                fail(f"{pid}: line {n} of {os.path.basename(c['file'])} is not the rating of {v['stimulus']}")

    # Checks: each with the category asked for, the one clicked, passed or not.
    checks = table(os.path.join(out, "jspsych-checks.csv"), CHECKS)
    want = sum(len(c["checks"]) for c in clicks)
    if len(checks) != want:
        fail(f"jspsych-checks.csv has {len(checks)} checks, the participants saw {want}")
    for c in clicks:
        pid = c["participant"]
        mine = sorted((k for k in checks if k.get("participant") == pid), key=lambda k: int(k.get("position", -1)))
        got = [(int(k["position"]), int(k["after"]), k["expected"], k["response"], k["passed"]) for k in mine]
        exp = [(k["position"], k["after"], k["expected_category"], k["clicked_category"], "true" if k["passed"] else "false")
               for k in c["checks"]]
        if got != exp:
            fail(f"{pid}: checks {got} differ from the clicks {exp}")

    # Participants: ratings, checks, failures; nobody excluded under the default rule (2 failures).
    parts = table(os.path.join(out, "jspsych-participants.csv"), PARTICIPANTS)
    if len(parts) != len(clicks):
        fail(f"jspsych-participants.csv has {len(parts)} participants, expected {len(clicks)}")
    failed_one = None
    for c in clicks:
        pid = c["participant"]
        row = next((p for p in parts if p.get("participant") == pid), None)
        if row is None:
            fail(f"{pid} is not in jspsych-participants.csv")
            continue
        failed = sum(not k["passed"] for k in c["checks"])
        if failed == 1:
            failed_one = pid
        exp = {"playlist": str(c["playlist"]), "order": str(c["order"]), "ratings": str(len(c["ratings"])),
               "checks": str(len(c["checks"])), "failed": str(failed), "excluded": "false"}
        for k, v in exp.items():
            if row.get(k) != v:
                fail(f"{pid}: {k} = {row.get(k)!r}, expected {v!r}")
        if os.path.basename(row.get("file", "")) not in by_file:
            fail(f"{pid}: file {row.get('file')!r}")
    if failed_one is None:
        fail("no participant failed exactly one check (clicks.json)")

    # A stricter rule: one failure excludes.
    if "--exclude-failed" in helptext and failed_one:
        out1 = out.rstrip("/") + "-exclude1"
        if run(reproduce, stimuli, files, out1, ["--exclude-failed", "1"]):
            parts = table(os.path.join(out1, "jspsych-participants.csv"), PARTICIPANTS)
            for p in parts:
                want = "true" if p.get("participant") == failed_one else "false"
                if p.get("excluded") != want:
                    fail(f"--exclude-failed 1: {p.get('participant')} excluded = {p.get('excluded')!r}, expected {want}")
                if want == "true" and not p.get("reason"):
                    fail(f"--exclude-failed 1: {failed_one} is excluded without a reason")
    if problems:
        print(f"FAIL: {len(problems)} problems")
        return 1
    print(f"ok: reproduce_disfer --votes-jspsych read back {sum(len(c['ratings']) for c in clicks)} votes and "
          f"{sum(len(c['checks']) for c in clicks)} attention checks of {len(clicks)} participants exactly as clicked "
          f"(participant {failed_one} failed one check)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
