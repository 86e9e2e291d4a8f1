#!/usr/bin/python3
"""An oracle ctest: reruns one committed reference script (R, Python, node) on a copy of tests/ and
fails when a committed value drifts from what the tool computes now. Exit 77 (ctest: skipped) with
the reason when a tool the script needs is not installed (scripts/setup.sh installs them all).

  oracle.py --source-dir REPO --script tests/M/reference/s.py --outputs tests/M/reference/a.json[,...]
            [--needs python:numpy,scipy] [--needs Rscript] [--needs node] [--cwd script|root] [-- ARGS]

Numbers (JSON numbers, numeric strings, CSV cells) agree when |a - b| <= 1e-12 |b| (in decimal
arithmetic, so p-values below the double range compare too); "generated_with" fields (tool
versions) are reported, not compared; anything else must be equal."""
import argparse
import csv
import decimal
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

REL = decimal.Decimal("1e-12")
decimal.getcontext().prec = 50


def skip(reason):
    print("SKIPPED: " + reason)
    sys.exit(77)


def as_decimal(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return decimal.Decimal(repr(v)) if isinstance(v, float) else decimal.Decimal(v)
    if isinstance(v, str):
        try:
            d = decimal.Decimal(v.strip())
            return d if d.is_finite() or v.strip().lower() in ("inf", "-inf", "nan") else None
        except decimal.InvalidOperation:
            return None
    return None


def same_value(a, b):
    da, db = as_decimal(a), as_decimal(b)
    if da is not None and db is not None:
        if da.is_nan() or db.is_nan():
            return da.is_nan() and db.is_nan()
        if not da.is_finite() or not db.is_finite():
            return da == db
        return abs(da - db) <= REL * abs(db)
    return a == b


def compare_json(a, b, path, diffs, versions):
    if isinstance(b, dict) and isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k == "generated_with":
                if a.get(k) != b.get(k):
                    versions.append(f"{path}.{k}: committed {b.get(k)}, now {a.get(k)}")
                continue
            if k not in a or k not in b:
                diffs.append(f"{path}.{k}: only in the {'committed file' if k in b else 'fresh run'}")
            else:
                compare_json(a[k], b[k], f"{path}.{k}", diffs, versions)
    elif isinstance(b, list) and isinstance(a, list):
        if len(a) != len(b):
            diffs.append(f"{path}: {len(b)} entries committed, {len(a)} now")
        for i, (x, y) in enumerate(zip(a, b)):
            compare_json(x, y, f"{path}[{i}]", diffs, versions)
    elif not same_value(a, b):
        diffs.append(f"{path}: committed {b!r}, now {a!r}")


def compare_csv(fresh, committed, diffs):
    with open(fresh, newline="") as f:
        a = list(csv.reader(f))
    with open(committed, newline="") as f:
        b = list(csv.reader(f))
    if len(a) != len(b):
        diffs.append(f"{len(b)} rows committed, {len(a)} now")
    for r, (x, y) in enumerate(zip(a, b)):
        if len(x) != len(y):
            diffs.append(f"line {r + 1}: {len(y)} fields committed, {len(x)} now")
        for c, (u, v) in enumerate(zip(x, y)):
            if not same_value(u, v):
                diffs.append(f"line {r + 1} field {c + 1} ({b[0][c] if c < len(b[0]) else c}): committed {v!r}, now {u!r}")


def compare_text(fresh, committed, diffs):
    """Whitespace-separated tokens, numbers to 1e-12 relative (for .txt tables)."""
    with open(fresh) as f:
        a = f.read().split("\n")
    with open(committed) as f:
        b = f.read().split("\n")
    if len(a) != len(b):
        diffs.append(f"{len(b)} lines committed, {len(a)} now")
    for r, (x, y) in enumerate(zip(a, b)):
        tx, ty = x.split(), y.split()
        if len(tx) != len(ty) or not all(same_value(u, v) for u, v in zip(tx, ty)):
            diffs.append(f"line {r + 1}: committed {y!r}, now {x!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--script", required=True)
    ap.add_argument("--outputs", required=True)
    ap.add_argument("--needs", action="append", default=[])
    ap.add_argument("--cwd", choices=["script", "root"], default="script")
    ap.add_argument("args", nargs="*")
    o = ap.parse_args()

    for need in o.needs:
        if need.startswith("python:"):
            for mod in need[len("python:"):].split(","):
                try:
                    importlib.import_module(mod)
                except ImportError:
                    skip(f"{o.script} needs the Python module {mod} for {sys.executable} (bash scripts/setup.sh installs it)")
        elif shutil.which(need) is None:
            skip(f"{o.script} needs {need} on PATH (bash scripts/setup.sh installs it)")

    with tempfile.TemporaryDirectory(prefix="disfer-oracle-") as tmp:
        shutil.copytree(os.path.join(o.source_dir, "tests"), os.path.join(tmp, "tests"))
        script = os.path.join(tmp, o.script)
        runner = {".py": [sys.executable], ".R": ["Rscript"], ".mjs": ["node"]}[os.path.splitext(script)[1]]
        cwd = os.path.dirname(script) if o.cwd == "script" else tmp
        print(f"oracle: {' '.join(runner)} {o.script} {' '.join(o.args)}", flush=True)
        run = subprocess.run(runner + [script] + o.args, cwd=cwd, capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout + run.stderr)
            print(f"oracle: {o.script} failed with exit code {run.returncode}")
            return 1
        failed = False
        for rel in o.outputs.split(","):
            fresh, committed = os.path.join(tmp, rel), os.path.join(o.source_dir, rel)
            diffs, versions = [], []
            if not os.path.exists(fresh):
                diffs.append("not written by the script")
            elif rel.endswith(".json"):
                with open(fresh) as f:
                    a = json.load(f)
                with open(committed) as f:
                    b = json.load(f)
                compare_json(a, b, "$", diffs, versions)
            elif rel.endswith(".csv"):
                compare_csv(fresh, committed, diffs)
            elif rel.endswith(".txt"):
                compare_text(fresh, committed, diffs)
            else:
                with open(fresh, "rb") as f, open(committed, "rb") as g:
                    if f.read() != g.read():
                        diffs.append("the bytes differ")
            for v in versions:
                print(f"oracle: {rel}: tool versions differ (not compared): {v}")
            if diffs:
                failed = True
                print(f"oracle: {rel}: {len(diffs)} values drifted from what the tool says now:")
                for d in diffs[:25]:
                    print("  " + d)
            else:
                print(f"oracle: {rel}: every committed value equals the tool's (relative 1e-12)")
        if failed:
            print(f"oracle: rerun {o.script} and review the change before committing its output")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
