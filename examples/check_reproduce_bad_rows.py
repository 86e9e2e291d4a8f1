#!/usr/bin/python3
"""reproduce_disfer --bad-rows skip (issue 18, point 1), run by ctest (examples/CMakeLists.txt).

  check_reproduce_bad_rows.py PROGRAM SCRATCH

Writes 1000 long-form votes on the simulated stimuli (src000_original, ...; every one of the 840
stimuli voted on at least once) with 3 bad rows among them, and the same file without the 3 rows.
Checks that the default policy fails naming the first bad row and writes nothing; that --bad-rows
skip gives the same CSV files and the same results in reproduction.json as the clean file (the
analysis of the 997 good rows), lists the 3 rows in OUT/skipped-rows.csv (line, column, field,
reason) and on stderr, and records them in reproduction.json's provenance (count and reasons of the
votes file; 0 for the clean run).
"""
import csv
import json
import os
import shutil
import subprocess
import sys

CONDITIONS = ["original", "GB 0.8", "GB 1.1", "GB 1.4", "GN 10", "GN 20", "GN 30", "SP 0.02", "SP 0.04", "SP 0.06"]
EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
# data row -> bad text (rows 900.. are extra votes, so every stimulus keeps a good vote)
BAD = {905: ("{id},r1,hapy", 3, "label", "unknown label 'hapy'"),
       950: ("{id},,sad", None, "rater", "empty field"),
       999: ("{id},r2,9", 4, "label", "label index 9 is outside 0-6")}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def stimuli():
    ids = []
    for s in range(84):  # 12 sources per emotion x 7, in the simulation's order
        for c in CONDITIONS:
            ids.append((f"src{s:03d}_{c}", s // 12))
    return ids


def write_votes(path, with_bad):
    ids = stimuli()
    lines = []
    with open(path, "w", newline="") as f:
        f.write("stimulus,rater,label\n")
        for r in range(1000):
            sid, label = ids[r % len(ids)]
            rater = f"r{(r // len(ids)) + (r % 7)}"
            answer = EMOTIONS[label] if r % 3 else EMOTIONS[(label + r) % 7]
            if r in BAD:
                if with_bad:
                    f.write(BAD[r][0].format(id=sid) + "\n")
                    lines.append(r + 2)
                continue
            f.write(f"{sid},{rater},{answer}\n")
    return lines


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def main(program, scratch):
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    bad, good = os.path.join(scratch, "votes_bad.csv"), os.path.join(scratch, "votes_good.csv")
    bad_lines = write_votes(bad, True)
    write_votes(good, False)
    out_bad, out_good, out_err = (os.path.join(scratch, n) for n in ("out-skip", "out-clean", "out-error"))
    common = ["--bootstrap", "0", "--quiet"]

    r = run(program, "--votes", bad, "--out", out_err, *common)
    if r.returncode != 1 or "unknown label 'hapy'" not in r.stderr or os.path.exists(out_err):
        fail(f"the default policy should fail naming 'hapy' and write nothing (exit {r.returncode}): {r.stderr}")

    s = run(program, "--votes", bad, "--bad-rows", "skip", "--out", out_bad, *common)
    g = run(program, "--votes", good, "--out", out_good, *common)
    if s.returncode != 0 or g.returncode != 0:
        fail(s.stderr + g.stderr)
    if sum("skipped row: " in l for l in s.stderr.splitlines()) != 3 or "3 bad rows skipped in " + bad not in s.stderr:
        fail("stderr should list the 3 skipped rows and a summary:\n" + s.stderr)

    files_bad, files_good = sorted(os.listdir(out_bad)), sorted(os.listdir(out_good))
    if files_bad != sorted(files_good + ["skipped-rows.csv"]):
        fail(f"skip run wrote {files_bad}, clean run {files_good}")
    for name in files_good:
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(out_bad, name), "rb") as a, open(os.path.join(out_good, name), "rb") as b:
            if a.read() != b.read():
                fail(f"{name} differs between the skip run and the clean file's run")
    with open(os.path.join(out_bad, "reproduction.json")) as a, open(os.path.join(out_good, "reproduction.json")) as b:
        jb, jg = json.load(a), json.load(b)
    pb, pg = jb.pop("provenance"), jg.pop("provenance")
    if jb != jg:
        fail("reproduction.json's results differ between the skip run and the clean file's run")
    votes_b = [i for i in pb["inputs"] if i["role"] == "votes"]
    votes_g = [i for i in pg["inputs"] if i["role"] == "votes"]
    if pb.get("bad_rows") != "skip" or pg.get("bad_rows") != "error":
        fail(f"provenance bad_rows: {pb.get('bad_rows')} / {pg.get('bad_rows')}")
    if len(votes_b) != 1 or votes_b[0]["skipped_rows"] != 3 or len(votes_b[0]["skipped_reasons"]) != 3:
        fail(f"provenance of the votes file should record 3 skipped rows: {votes_b}")
    if votes_g[0]["skipped_rows"] != 0:
        fail("the clean run records skipped rows")

    with open(os.path.join(out_bad, "skipped-rows.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 3:
        fail(f"skipped-rows.csv has {len(rows)} rows")
    for row, line, (r, (_, _, field, reason)), logged in zip(rows, bad_lines, sorted(BAD.items()),
                                                            votes_b[0]["skipped_reasons"]):
        if row["path"] != bad or int(row["line"]) != line or row["field"] != field or reason not in row["reason"]:
            fail(f"unexpected skipped row {row}; expected line {line}, {field}: {reason}")
        if row["reason"] != logged:
            fail("skipped-rows.csv and the provenance give different reasons")
    print("reproduce_disfer --bad-rows skip: the 997 good votes give the clean file's outputs; 3 rows reported")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
