#!/usr/bin/python3
"""Checks of agreement_report (issue 18, points 1 and 7), run by ctest (examples/CMakeLists.txt).

  check_agreement_report.py help PROGRAM
      --help exits 0 and names every option, what it reads and writes, and an example.
  check_agreement_report.py columns PROGRAM SOURCE_DIR
      the table has a header line naming its columns, and the printed Fleiss' kappa (pooled margins)
      of tests/agreement/reference/random_equal.csv equals statsmodels' fleiss_kappa
      (statsmodels_reference.csv) and its se0(null), z, log10_p, se(non-null) and 95% CI the R/irrCAC
      values of r_reference.csv (6 significant digits as printed).
  check_agreement_report.py skip PROGRAM SCRATCH
      a 1000-row votes file with 3 bad rows: the default policy fails naming the first; --bad-rows skip
      prints the analysis of the 997 good rows (the same as for the file without the 3 rows), lists
      the 3 rows on stderr with a summary line, and --skipped-rows writes them (line, column, field,
      reason).
"""
import csv
import os
import re
import subprocess
import sys

OPTIONS = ["--counts", "--id", "--columns", "--bad-rows", "--skipped-rows", "--help"]
COLUMNS = ["value", "se0(null)", "z", "log10_p", "se(non-null)", "95% CI"]


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check_help(program):
    r = run(program, "--help")
    if r.returncode != 0:
        fail(f"--help exits {r.returncode}, expected 0")
    for o in OPTIONS:
        if o not in r.stdout:
            fail(f"--help does not name {o}")
    for word in ("Reads:", "Writes", "Example:", "se0(null)", "se(non-null)"):
        if word not in r.stdout:
            fail(f"--help does not say '{word}'")
    r = run(program, "--no-such-option")
    if r.returncode != 2:
        fail(f"an unknown option exits {r.returncode}, expected 2")
    print("help: exit 0, names " + ", ".join(OPTIONS))


def table_rows(stdout):
    """The agreement table: {statistic: {column: text}}, from the header line naming the columns."""
    lines = stdout.splitlines()
    head = [i for i, l in enumerate(lines) if l.startswith("statistic") and all(c in l for c in COLUMNS)]
    if not head:
        fail("no header line naming the columns " + ", ".join(COLUMNS) + " in:\n" + stdout)
    rows = {}
    for line in lines[head[0] + 1:]:
        m = re.match(r"^(\S.*?\))\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+\[(\S+), (\S+)\]$", line) or re.match(
            r"^(gwet_ac1)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+\[(\S+), (\S+)\]$", line)
        if not m:
            break
        rows[m.group(1)] = dict(zip(["value", "se0", "z", "log10_p", "se", "ci_low", "ci_high"], m.groups()[1:]))
    return rows


def reference(path):
    with open(path, newline="") as f:
        return {r["name"]: float(r["value"]) for r in csv.DictReader(f)}


def check_columns(program, source):
    ref_dir = os.path.join(source, "tests", "agreement", "reference")
    r = run(program, "--counts", os.path.join(ref_dir, "random_equal.csv"))
    if r.returncode != 0:
        fail(r.stderr)
    rows = table_rows(r.stdout)
    pooled = rows.get("fleiss_kappa (pooled margins)")
    if not pooled:
        fail("no row 'fleiss_kappa (pooled margins)' under the header:\n" + r.stdout)
    sm = reference(os.path.join(ref_dir, "statsmodels_reference.csv"))
    rr = reference(os.path.join(ref_dir, "r_reference.csv"))
    expected = {"value": sm["random_equal.fleiss"], "se0": rr["random_equal.pooled.se0"],
                "z": rr["random_equal.pooled.z"], "se": rr["random_equal.pooled.se"],
                "ci_low": rr["random_equal.pooled.ci_low"], "ci_high": rr["random_equal.pooled.ci_high"]}
    for key, want in expected.items():
        got = float(pooled[key])
        if abs(got - want) > 5e-6 * abs(want):
            fail(f"{key}: printed {pooled[key]}, reference {want!r}")
    if abs(float(pooled["log10_p"]) - rr["random_equal.pooled.log10_p_value"]) > 5e-4:
        fail(f"log10_p: printed {pooled['log10_p']}, reference {rr['random_equal.pooled.log10_p_value']!r}")
    # The two SEs differ here by a factor of 11: the columns must not be swapped.
    if not float(pooled["se0"]) < float(pooled["se"]):
        fail("se0(null) and se(non-null) look swapped")
    if "gwet_ac1" not in rows or rows["gwet_ac1"]["se0"] != "-":
        fail("gwet_ac1 row missing or shows a null SE it does not have")
    print("columns: header present; pooled kappa, se0, z, log10_p, se, CI match statsmodels / R (random_equal)")


EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
BAD = {17: "s1,r7,hapy", 500: "s50,,sad", 998: "s99,r8,9"}  # data row -> its text


def write_votes(path, with_bad):
    with open(path, "w", newline="") as f:
        f.write("stimulus,rater,label\n")
        for r in range(1000):
            if r in BAD:
                if with_bad:
                    f.write(BAD[r] + "\n")
                continue
            f.write(f"s{r // 10},r{r % 10},{EMOTIONS[(r * 3 + r // 10) % 7]}\n")


def check_skip(program, scratch):
    os.makedirs(scratch, exist_ok=True)
    bad, good = os.path.join(scratch, "votes_bad.csv"), os.path.join(scratch, "votes_good.csv")
    listed = os.path.join(scratch, "skipped-rows.csv")
    write_votes(bad, True)
    write_votes(good, False)
    if os.path.exists(listed):
        os.remove(listed)
    r = run(program, bad)
    if r.returncode != 1 or "unknown label 'hapy'" not in r.stderr:
        fail(f"the default policy should fail naming 'hapy' (exit {r.returncode}): {r.stderr}")
    s = run(program, "--bad-rows", "skip", "--skipped-rows", listed, bad)
    g = run(program, good)
    if s.returncode != 0 or g.returncode != 0:
        fail(s.stderr + g.stderr)
    body = lambda out: [l for l in out.splitlines()[1:] if not l.startswith("bad rows skipped")]  # noqa: E731
    if body(s.stdout) != body(g.stdout):
        fail("the analysis under skip differs from that of the file without the bad rows:\n" + s.stdout)
    if not s.stdout.startswith(f"votes {bad}: 997 votes"):
        fail("expected 997 votes: " + s.stdout.splitlines()[0])
    if "bad rows skipped: 3" not in s.stdout:
        fail("stdout does not say 3 rows were skipped")
    lines = [l for l in s.stderr.splitlines() if l.startswith("agreement_report: skipped row: ")]
    if len(lines) != 3 or not re.search(r"3 bad rows skipped in .*votes_bad.csv", s.stderr):
        fail("stderr should list 3 skipped rows and a summary line:\n" + s.stderr)
    with open(listed, newline="") as f:
        rows = list(csv.DictReader(f))
    want = [(19, 7, "label", "unknown label 'hapy'"), (502, 5, "rater", "empty field"),
            (1000, 8, "label", "label index 9 is outside 0-6")]
    if len(rows) != 3:
        fail(f"{listed} has {len(rows)} rows, expected 3")
    for row, (line, column, field, reason) in zip(rows, want):
        if (row["path"], int(row["line"]), int(row["column"]), row["field"]) != (bad, line, column, field) or \
                reason not in row["reason"] or f"{bad}:{line}:{column}:" not in row["reason"]:
            fail(f"unexpected skipped row {row}, expected line {line} column {column} {field}: {reason}")
    r = run(program, "--bad-rows", "skip", "--skipped-rows", listed, bad)
    if r.returncode != 1 or "exists" not in r.stderr:
        fail("an existing --skipped-rows file should be refused")
    print("skip: 997 of 1000 rows analysed as the clean file; the 3 bad rows listed on stderr and in " + listed)


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "help":
        check_help(sys.argv[2])
    elif what == "columns":
        check_columns(sys.argv[2], sys.argv[3])
    elif what == "skip":
        check_skip(sys.argv[2], sys.argv[3])
    else:
        fail("unknown check " + what)
