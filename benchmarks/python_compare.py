#!/usr/bin/python3
"""disfer's Python module against the Python tools people would otherwise use, in one run.

    PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/python_compare.py [--quick] [--json out.json]
        [--cpp-ns NS] [--cv2-threads N] [--max-overhead-ns NS]

Measured with time.perf_counter: each case is called `number` times per repeat (number chosen so
that a repeat lasts at least --min-repeat-s), several repeats; the table shows the minimum and the
median time per call, and ratios are taken on the medians.

Targets (PASS/FAIL):
  * disfer.fleiss_kappa vs statsmodels.stats.inter_rater.fleiss_kappa(method='fleiss') on a
    10^6 x 7 int64 table of 50 ratings per item: disfer >= 10x faster.
  * disfer.gaussian_blur(img, sigma) vs cv2.GaussianBlur(img, (0, 0), sigma) on uint8 48x48 and
    1024x1024 (OpenCV limited to --cv2-threads threads, 1 by default, as disfer's blur is one
    thread): disfer at least as fast. Skipped with a message when the module has no gaussian_blur.
  * Per-call overhead of a 48x48 blur beyond the C++ call: with --cpp-ns (the C++ Google Benchmark
    time of the same blur) overhead = Python time - cpp-ns; without it, the Python call of a trivial
    binding (disfer.landis_koch(0.5)) is measured as the binding overhead floor and reported. PASS/FAIL
    only when --max-overhead-ns is given, otherwise INFO.
"""
import argparse
import json
import platform
import statistics
import sys
import time

import numpy as np


def measure(fn, repeats, min_repeat_s):
    """(min, median) seconds per call of fn(), with `number` calls per repeat."""
    fn()  # warm up (first-touch, lazy imports)
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= min_repeat_s or number >= 1 << 24:
            break
        number *= max(2, min(10, int(min_repeat_s / max(elapsed, 1e-9)) + 1))
    per_call = [elapsed / number]
    for _ in range(repeats - 1):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        per_call.append((time.perf_counter() - t0) / number)
    return {"min_s": min(per_call), "median_s": statistics.median(per_call), "number": number, "repeats": repeats}


def fmt_time(s):
    if s is None:
        return "-"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return "%.3g %s" % (s / scale, unit)
    return "%.3g ns" % (s / 1e-9)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats and shorter repeats (a smoke run)")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON ('-' for stdout)")
    ap.add_argument("--cpp-ns", type=float, help="C++ Google Benchmark time of the 48x48 blur, in ns")
    ap.add_argument("--cpp-bench", metavar="BENCH_IMAGE",
                    help="run this bench_image (the bench preset's) for the C++ 48x48 blur time in the same run "
                         "(its DisFER levels: --sigma 0.8, 1.1 or 1.4)")
    ap.add_argument("--cv2-threads", type=int, default=1, help="cv2.setNumThreads (default 1)")
    ap.add_argument("--max-overhead-ns", type=float, help="make the per-call overhead a PASS/FAIL target")
    ap.add_argument("--sigma", type=float, default=1.0, help="Gaussian sigma (default 1.0)")
    ap.add_argument("--rows", type=int, default=10 ** 6, help="rows of the Fleiss table (default 10^6)")
    args = ap.parse_args()
    if args.cpp_bench:
        import subprocess
        levels = {0.8: 0, 1.1: 1, 1.4: 2}
        if args.sigma not in levels:
            sys.exit("python_compare.py: --cpp-bench needs --sigma 0.8, 1.1 or 1.4 (bench_image's levels)")
        import tempfile
        with tempfile.NamedTemporaryFile(suffix=".json") as out:  # bench_image's console reporter is its own
            subprocess.run([args.cpp_bench, "--benchmark_filter=^disfer_blur/48/%d$" % levels[args.sigma],
                            "--benchmark_out=" + out.name, "--benchmark_out_format=json",
                            "--benchmark_min_time=0.5", "--benchmark_repetitions=5"],
                           check=True, capture_output=True, text=True)
            runs = [b for b in json.load(open(out.name))["benchmarks"] if b.get("run_type") == "iteration"]
        args.cpp_ns = statistics.median(b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]] for b in runs)
    repeats = 3 if args.quick else 7
    min_repeat_s = 0.02 if args.quick else 0.2

    import disfer

    rows, results, verdicts = [], {}, []

    def row(case, ours, theirs, ref_name, target=None, passed=None, note=""):
        ratio = theirs["median_s"] / ours["median_s"] if ours and theirs else None
        rows.append((case, ours and ours["min_s"], ours and ours["median_s"], ref_name,
                     theirs and theirs["min_s"], theirs and theirs["median_s"], ratio, target, passed, note))
        results[case] = {"disfer": ours, "reference": ref_name, "reference_time": theirs, "speedup": ratio,
                         "target": target, "pass": passed, "note": note}

    # 1. Fleiss' kappa on a 10^6 x 7 table.
    rng = np.random.default_rng(2022)
    probs = rng.dirichlet(np.ones(7) * 0.5, size=1)[0]
    table = rng.multinomial(50, probs, size=args.rows).astype(np.int64)
    try:
        from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss
        ours = measure(lambda: disfer.fleiss_kappa(table), repeats, min_repeat_s)
        theirs = measure(lambda: sm_fleiss(table, method="fleiss"), max(3, repeats // 2), min_repeat_s)
        agree = abs(disfer.fleiss_kappa(table).kappa - sm_fleiss(table, method="fleiss"))
        ratio = theirs["median_s"] / ours["median_s"]
        passed = ratio >= 10
        row("fleiss_kappa %dx7 int64" % args.rows, ours, theirs, "statsmodels fleiss_kappa", ">= 10x", passed,
            "|kappa diff| = %.1e" % agree)
        verdicts.append(("fleiss_kappa >= 10x statsmodels", passed, "%.1fx" % ratio))
        # The same table in Fortran order: the layout the C++ vector passes read in place.
        fortran = np.asfortranarray(table)
        ours_f = measure(lambda: disfer.fleiss_kappa(fortran), repeats, min_repeat_s)
        ratio_f = theirs["median_s"] / ours_f["median_s"]
        row("fleiss_kappa Fortran order", ours_f, theirs, "statsmodels fleiss_kappa", ">= 10x", ratio_f >= 10,
            "np.asfortranarray of the same table")
        verdicts.append(("fleiss_kappa (Fortran) >= 10x", ratio_f >= 10, "%.1fx" % ratio_f))
        # statsmodels computes kappa only; disfer's default also computes Gwet's non-null SE.
        bare = measure(lambda: disfer.fleiss_kappa(table, nonnull_se=False), repeats, min_repeat_s)
        row("fleiss_kappa nonnull_se=False", bare, theirs, "statsmodels fleiss_kappa", None, None,
            "kappa, null SE and z only (informational)")
    except ImportError as e:
        print("fleiss_kappa: skipped (%s)" % e)
        verdicts.append(("fleiss_kappa >= 10x statsmodels", None, "skipped: %s" % e))

    # 2. Gaussian blur against OpenCV.
    blur = getattr(disfer, "gaussian_blur", None)
    try:
        import cv2
        cv2.setNumThreads(args.cv2_threads)
    except ImportError as e:
        cv2 = None
        print("gaussian_blur: OpenCV missing (%s); blur comparisons skipped" % e)
    img48 = rng.integers(0, 256, (48, 48), dtype=np.uint8)
    img1024 = rng.integers(0, 256, (1024, 1024), dtype=np.uint8)
    python_48_ns = None
    if blur is None:
        msg = "skipped: this build of disfer has no gaussian_blur (the image bindings)"
        print("gaussian_blur: " + msg)
        for size in (48, 1024):
            verdicts.append(("gaussian_blur %dx%d >= cv2" % (size, size), None, msg))
    elif cv2 is not None:
        for size, img in ((48, img48), (1024, img1024)):
            ours = measure(lambda: blur(img, args.sigma), repeats, min_repeat_s)
            theirs = measure(lambda: cv2.GaussianBlur(img, (0, 0), args.sigma), repeats, min_repeat_s)
            diff = int(np.max(np.abs(blur(img, args.sigma).astype(np.int32) -
                                     cv2.GaussianBlur(img, (0, 0), args.sigma).astype(np.int32))))
            ratio = theirs["median_s"] / ours["median_s"]
            passed = ratio >= 1.0
            row("gaussian_blur uint8 %dx%d" % (size, size), ours, theirs, "cv2.GaussianBlur", ">= 1x", passed,
                "max |diff| = %d" % diff)
            verdicts.append(("gaussian_blur %dx%d >= cv2" % (size, size), passed, "%.2fx" % ratio))
            if size == 48:
                python_48_ns = ours["median_s"] * 1e9

    # 3. Per-call overhead of the 48x48 blur beyond the C++ call.
    if blur is not None and python_48_ns is None:
        python_48_ns = measure(lambda: blur(img48, args.sigma), repeats, min_repeat_s)["median_s"] * 1e9
    floor = measure(lambda: disfer.landis_koch(0.5), repeats, min_repeat_s)
    floor_ns = floor["median_s"] * 1e9
    overhead = {"trivial_binding_ns": floor_ns, "python_blur_48_ns": python_48_ns, "cpp_ns": args.cpp_ns}
    if python_48_ns is not None and args.cpp_ns is not None:
        overhead["overhead_ns"] = python_48_ns - args.cpp_ns
        note = "48x48 blur from Python %.0f ns - C++ %.0f ns = %.0f ns overhead (trivial binding: %.0f ns)" % (
            python_48_ns, args.cpp_ns, overhead["overhead_ns"], floor_ns)
    else:
        overhead["overhead_ns"] = None
        note = "binding overhead floor (disfer.landis_koch(0.5)): %.0f ns per call" % floor_ns
        if python_48_ns is not None:
            note += "; 48x48 blur from Python: %.0f ns (pass --cpp-ns for the overhead beyond C++)" % python_48_ns
    passed = None
    if args.max_overhead_ns is not None and overhead["overhead_ns"] is not None:
        passed = overhead["overhead_ns"] <= args.max_overhead_ns
    elif args.max_overhead_ns is not None:
        passed = floor_ns <= args.max_overhead_ns
    row("per-call overhead", floor, None, "-", args.max_overhead_ns and "<= %g ns" % args.max_overhead_ns, passed,
        note)
    verdicts.append(("per-call overhead", passed, note))

    # Table.
    head = ("case", "disfer min", "disfer median", "reference", "ref min", "ref median", "speedup", "target", "result")
    lines = [head]
    for case, omin, omed, ref, tmin, tmed, ratio, target, ok, _ in rows:
        lines.append((case, fmt_time(omin), fmt_time(omed), ref, fmt_time(tmin), fmt_time(tmed),
                      "-" if ratio is None else "%.2fx" % ratio, target or "-",
                      "INFO" if ok is None else ("PASS" if ok else "FAIL")))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    print("disfer %s, numpy %s, Python %s, %s" % (disfer.__version__, np.__version__, platform.python_version(),
                                                 platform.machine()))
    for i, line in enumerate(lines):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for case, *_rest in rows:
        if results[case]["note"]:
            print("%s: %s" % (case, results[case]["note"]))
    print()
    for name, ok, detail in verdicts:
        print("%-34s %s  (%s)" % (name, "SKIP" if ok is None and detail.startswith("skipped") else
                                  ("INFO" if ok is None else ("PASS" if ok else "FAIL")), detail))

    if args.json:
        out = {"python": platform.python_version(), "numpy": np.__version__, "disfer": disfer.__version__,
               "quick": args.quick, "repeats": repeats, "cases": results, "overhead": overhead,
               "verdicts": [{"target": n, "pass": ok, "detail": d} for n, ok, d in verdicts]}
        text = json.dumps(out, indent=1)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as fh:
                fh.write(text + "\n")
    return 1 if any(ok is False for _, ok, _ in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
