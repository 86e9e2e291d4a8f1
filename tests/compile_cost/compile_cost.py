#!/usr/bin/env python3
"""Compile cost of disfer's umbrella headers: each `#include <disfer/X.hpp>` compiled alone at -O2,
its CPU time (user + system, of the compiler's processes) and peak memory (max RSS) measured with
wait4(2), against the ceilings committed in ceilings.json (the figures measured when they were set,
plus 15%).

CPU time depends on the machine and on what else runs, so it is judged relative to a calibration
unit (standard library, Eigen and Boost.Math headers, nothing of disfer) compiled before each
header: ceilings.json holds the ratio of the header's fastest run to the calibration's fastest run
(and, for reading, the CPU-seconds it was measured at). On the project's 2-core VM one header's
fastest of three runs still varied by up to 40% between sessions, so CPU is judged on the total
over all umbrella headers (against the sum of their ceilings), where that noise averages out; each
header's own figure is printed beside it. Peak memory is nearly deterministic (within 1% between
runs) and is judged per header. A header over a ceiling is compiled twice more and judged on its
fastest run, so a moment of load does not fail the test; what stays over fails it.

  compile_cost.py --ceilings ceilings.json --compiler g++ --compiler-id GNU-12.2.0 [--record] -- <flags...>

--record rewrites ceilings.json from this machine's figures (+15%); run it on an idle machine.
Exit 0 all within, 1 some over, 77 (skip) for another compiler than the one the ceilings are for.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

CALIBRATION = """#include <algorithm>
#include <map>
#include <string>
#include <vector>
#include <Eigen/Core>
#include <boost/math/special_functions/gamma.hpp>
double calibration(double x) { return boost::math::tgamma(x); }
"""
MARGIN = 1.15


def compile_once(compiler, flags, text, workdir):
    src = os.path.join(workdir, "probe.cpp")
    with open(src, "w") as f:
        f.write(text)
    proc = subprocess.Popen([compiler, *flags, "-c", src, "-o", os.devnull], stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"compile_cost: {text.strip()!r} does not compile:\n{err}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def timed_header(compiler, flags, text, workdir, calibrations):
    """Compiles the calibration unit, then `text`: appends the calibration's CPU-s to
    `calibrations` and returns the header's (CPU-s, MB)."""
    calibrations.append(compile_once(compiler, flags, CALIBRATION, workdir)[0])
    return compile_once(compiler, flags, text, workdir)


def compiler_banner(compiler):
    return subprocess.run([compiler, "--version"], capture_output=True, text=True).stdout.splitlines()[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ceilings", required=True)
    ap.add_argument("--compiler", required=True)
    ap.add_argument("--compiler-id", required=True, help="CMake's <compiler id>-<version>, e.g. GNU-12.2.0")
    ap.add_argument("--record", action="store_true")
    ap.add_argument("flags", nargs="*")
    args = ap.parse_args()
    with open(args.ceilings) as f:
        ceilings = json.load(f)
    compiler = args.compiler_id.split(".")[0]  # GNU-12
    if not args.record and ceilings["compiler"] != compiler:
        print(f"compile_cost: the ceilings are for {ceilings['compiler']}, this is {args.compiler_id}; "
              "skipped (record ceilings for this compiler with --record)")
        return 77
    with tempfile.TemporaryDirectory() as work:
        # Interference only ever slows a compile down, so the fastest of several runs is the
        # estimate: of each header's runs, and of every run of the calibration unit in the session
        # (one before each header run). A header is run once, or three times when recording or
        # when its first run is over a ceiling.
        calibrations = []
        runs = {}
        for header in ceilings["headers"]:
            text = f"#include <{header}>\n"
            runs[header] = [timed_header(args.compiler, args.flags, text, work, calibrations)
                            for _ in range(3 if args.record else 1)]
        calib = min(calibrations)

        def judge(header):
            cpu = min(r[0] for r in runs[header])
            mem = min(r[1] for r in runs[header])
            limit = ceilings["headers"][header]
            return cpu, mem, cpu / calib, cpu / calib <= limit["cpu_ratio"], mem <= limit["max_rss_mb"]

        def total_ratio():
            return sum(judge(h)[2] for h in ceilings["headers"])

        total_limit = sum(h["cpu_ratio"] for h in ceilings["headers"].values())
        if not args.record:
            for header in ceilings["headers"]:
                _, _, _, cpu_ok, mem_ok = judge(header)
                if not (mem_ok and cpu_ok):
                    runs[header] += [timed_header(args.compiler, args.flags, f"#include <{header}>\n", work,
                                                  calibrations) for _ in range(2)]
            calib = min(calibrations)
        print(f"calibration unit: {calib:.2f} CPU-s (fastest of {len(calibrations)} runs)")
        print(f"{'header':28s} {'CPU-s':>7s} {'ratio':>6s} {'ceiling':>8s} {'MB':>6s} {'ceiling':>8s}")
        over = []
        measured = {}
        for header, limit in ceilings["headers"].items():
            cpu, mem, ratio, cpu_ok, mem_ok = judge(header)
            measured[header] = (ratio, cpu, mem)
            verdict = ""
            if not args.record:
                if not mem_ok:
                    verdict = "  OVER (memory)"
                    over.append(header)
                elif not cpu_ok:
                    verdict = "  (CPU above its own figure; judged in the total)"
            print(f"{header:28s} {cpu:7.2f} {ratio:6.2f} {limit['cpu_ratio']:8.2f} {mem:6.0f} "
                  f"{limit['max_rss_mb']:8.0f}{verdict}")
        total = total_ratio()
        print(f"{'all umbrella headers':28s} {'':7s} {total:6.2f} {total_limit:8.2f}")
        if not args.record and total > total_limit:
            over.append("the total CPU time of the umbrella headers")
    if args.record:
        ceilings["compiler"] = compiler
        ceilings["compiler_banner"] = compiler_banner(args.compiler)
        ceilings.pop("calibration_cpu_s", None)
        ceilings["flags"] = "-std=c++17 -O2 (and the include folders)"
        for header, (ratio, cpu, mem) in measured.items():
            ceilings["headers"][header] = {"measured_cpu_s": round(cpu, 2), "measured_max_rss_mb": round(mem),
                                           "cpu_ratio": round(ratio * MARGIN, 2), "max_rss_mb": round(mem * MARGIN)}
        with open(args.ceilings, "w") as f:
            json.dump(ceilings, f, indent=2)
            f.write("\n")
        print(f"recorded in {args.ceilings}")
        return 0
    if over:
        print(f"compile_cost: over the ceiling: {', '.join(over)}. Move the heavy includes behind the functions "
              f"that need them, or raise the ceiling in {args.ceilings} with a reason in the commit.")
        return 1
    print("compile_cost: every umbrella header within its ceiling")
    return 0


if __name__ == "__main__":
    sys.exit(main())
