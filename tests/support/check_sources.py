#!/usr/bin/python3
"""Every reference value under tests/ names where it comes from (issue 16): fails, listing them,
on
- a JSON reference (tests/*/reference/*.json, tests/data/**/*.json) with a case (an object in a
  top-level list, such as "cases") that has no "source" field, or a file without cases that has no
  top-level "source", or a top level other than an object (an input fixture in a prescribed format,
  such as tests/data/jspsych's jsPsych exports, passes when a committed script names it);
- any other file in a tests/*/reference folder (CSV, text, binary outputs) that no committed script
  under tests/ names (the script that writes it) and that does not open with a '#' line saying
  where it comes from.
Run: python3 tests/support/check_sources.py [REPO]   (a ctest and a stage of .ci/run)"""
import json
import pathlib
import sys

SCRIPTS = (".py", ".R", ".mjs", ".cmake", ".sh")


def main(root):
    tests = pathlib.Path(root) / "tests"
    problems = []
    script_text = "\n".join(p.read_text(errors="replace") for p in tests.rglob("*") if p.suffix in SCRIPTS)
    json_files = sorted(set(tests.glob("*/reference/**/*.json")) | set((tests / "data").rglob("*.json")))
    for path in json_files:
        rel = path.relative_to(root)
        if "node_modules" in path.parts or path.name in ("package.json", "package-lock.json"):
            continue
        try:
            data = json.loads(path.read_text())
        except ValueError as e:
            problems.append(f"{rel}: not JSON ({e})")
            continue
        if not isinstance(data, dict):
            # An input in a format whose top level is prescribed (a jsPsych export is an array of
            # trials) cannot hold a "source": the committed script that writes it is its source.
            if path.name not in script_text:
                problems.append(f"{rel}: the top level is not an object with a source")
            continue
        lists = {k: v for k, v in data.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)}
        if not lists and "source" not in data:
            problems.append(f"{rel}: no top-level \"source\" field")
        for key, cases in lists.items():
            for i, case in enumerate(cases):
                if "source" not in case:
                    name = case.get("id", f"#{i}")
                    problems.append(f"{rel}: {key}[{i}] ({name}) has no \"source\" field")
    for path in sorted(tests.glob("*/reference/**/*")):
        if path.is_dir() or path.suffix in SCRIPTS or path.suffix in (".json", ".md") or "node_modules" in path.parts:
            continue
        with open(path, "rb") as f:
            if f.read(1) == b"#":
                continue  # the file's own header names its source (e.g. image/reference/digests.txt)
        if path.name not in script_text:
            problems.append(f"{path.relative_to(root)}: no committed script under tests/ names this file")
    for p in problems:
        print(p)
    print(f"check_sources: {len(json_files)} JSON reference files, {len(problems)} without a source")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
