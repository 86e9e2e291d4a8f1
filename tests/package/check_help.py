#!/usr/bin/env python3
"""Every example program installed under PREFIX/bin has a full --help: exit status 0, what it reads
and writes, every option its parser accepts (found in its source: `== "--x"` and strcmp(..., "--x")),
and an example command line. The programs expected are the ones CMake built (argument list).

  check_help.py PREFIX EXAMPLES_SOURCE_DIR PROGRAM...
"""
import os
import re
import subprocess
import sys


def options_of(source_dir, program):
    path = os.path.join(source_dir, program + ".cpp")
    src = open(path).read()
    for inc in re.findall(r'#include "(support/[^"]+)"', src):
        src += open(os.path.join(source_dir, inc)).read()
    return sorted(set(re.findall(r'==\s*"(--[a-z0-9-]+)"', src)) |
                  set(re.findall(r'strcmp\([^,()]+,\s*"(--[a-z0-9-]+)"\)', src)))


def main():
    prefix, source_dir, programs = sys.argv[1], sys.argv[2], sys.argv[3:]
    bindir = os.path.join(prefix, "bin")
    problems = []
    env = {k: v for k, v in os.environ.items() if k != "DISFER_MODEL_DIR"}
    for p in programs:
        exe = os.path.join(bindir, p)
        if not os.access(exe, os.X_OK):
            problems.append(f"{p}: not installed in {bindir}")
            continue
        r = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=120, env=env)
        text = r.stdout
        missing = []
        if r.returncode != 0:
            missing.append(f"exit status {r.returncode} (want 0)")
        if not re.search(r"(?im)^\s*(reads|inputs|reads one of)\b", text):
            missing.append("what it reads (a 'Reads:' or 'Inputs:' section)")
        if not re.search(r"(?im)^\s*(writes|outputs)\b", text):
            missing.append("what it writes (a 'Writes:' or 'Outputs:' section)")
        if not re.search(r"(?im)^\s*examples?:?\s*$", text) or not re.search(rf"(?m)^\s+{re.escape(p)}\b", text):
            missing.append(f"an example (an 'Example:' line and a command line starting with {p})")
        for opt in options_of(source_dir, p):
            if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", text):
                missing.append(f"option {opt}")
        status = "ok" if not missing else "MISSING " + "; ".join(missing)
        print(f"{p:28s} {len(text.splitlines()):3d} lines  {status}")
        if missing:
            problems.append(f"{p}: " + "; ".join(missing))
    if problems:
        print("\n".join(["check_help: incomplete --help:"] + problems))
        return 1
    print(f"check_help: {len(programs)} installed programs, each with a full --help")
    return 0


if __name__ == "__main__":
    sys.exit(main())
