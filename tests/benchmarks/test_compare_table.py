#!/usr/bin/python3
"""The table-building part of benchmarks/compare.sh (benchmarks/compare_table.py) on the committed
fixture data/compare-fixture: hand-made Google Benchmark JSON with round numbers, so that each
expected ratio below is checked by hand. No timing is run.

    python3 tests/benchmarks/test_compare_table.py SOURCE_DIR

Fixture: column 'default' has single iteration runs; column 'portable' has the network's runs
failed (error_occurred), the image runs as 3 repetitions whose median differs from their mean
(the median must be used), and bench_agreement skipped. TF.js, face-api and statsmodels are present; a copy
without statsmodels.json (and with statsmodels.skipped) must give n/a cells naming the reason; a
malformed JSON must fail, not give a table. Prints "N passed, N failed".
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

source = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
spec = importlib.util.spec_from_file_location("compare_table", os.path.join(source, "benchmarks", "compare_table.py"))
compare_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_table)
fixture = os.path.join(source, "tests", "benchmarks", "data", "compare-fixture")

passed = failed = 0


def check(what, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}: got {got!r}, want {want!r}")


def row(rows, start):
    """The row whose label starts with `start` (exactly one)."""
    found = [r for r in rows if r[0].startswith(start)]
    if len(found) != 1:
        raise AssertionError(f"{len(found)} rows start with {start!r}")
    return found[0]


columns, rows, notes = compare_table.build(fixture)
check("column titles", [c.title for c in columns], ["default (avx512)", "DISFER_SIMD=portable"])
check("row count (7 network, 10 image, 8 agreement)", len(rows), 25)

# Network: 400/80, 300/100 img/CPU-s; 52.6 and 39.45 of a 100 GFLOP/s peak; 551/290 wall.
net1 = row(rows, "FER-2013 network, batch 1, 1 thread: disfer ÷ TF.js")
check("network batch 1 vs TF.js", net1[1:3], ["5.00x", "n/a [1]"])
check("network batch 1 values", net1[3], "400.0 vs 80.0 img/CPU-s")
check("network batch 256 vs TF.js", row(rows, "FER-2013 network, batch 256, 1 thread: disfer ÷ TF.js")[1], "3.00x")
check("network batch 1 % of peak", row(rows, "FER-2013 network, batch 1, 1 thread: GFLOP")[1], "53% (avx512)")
check("network batch 256 % of peak", row(rows, "FER-2013 network, batch 256, 1 thread: GFLOP")[1], "39% (avx512)")
check("network 2 threads vs 1", row(rows, "FER-2013 network, batch 256: 2 threads")[1], "1.90x")
check("failed network run is n/a with its error",
      notes[int(net1[2][len("n/a ["):-1]) - 1],
      "BM_fer2013_xception/batch:1/threads:1: FER-2013 model unavailable (fetched at configure time with npm)")

# The second network: 200/40 and 300/50 img/CPU-s against face-api on TF.js; the portable column
# has no BM_faceapi_expression run, so its cell is n/a naming the run.
fa1 = row(rows, "face-api network, batch 1, 1 thread: disfer ÷ face-api")
check("face-api network batch 1", fa1[1], "5.00x")
check("face-api network batch 1 values", fa1[3], "200.0 vs 40.0 img/CPU-s")
check("face-api network batch 256", row(rows, "face-api network, batch 256, 1 thread: disfer ÷ face-api")[1], "6.00x")
check("face-api network missing run is n/a", notes[int(fa1[2][len("n/a ["):-1]) - 1].startswith("BM_faceapi_expression/batch:1/threads:1"), True)

# Image: OpenCV/disfer CPU time; portable uses the medians (20000 / 2000 = 10, the means give 5).
check("blur 48 sigma 0.8", row(rows, "Gaussian blur 48x48 uint8, sigma 0.8")[1:3], ["15.00x", "10.00x"])
check("blur 48 sigma 1.1", row(rows, "Gaussian blur 48x48 uint8, sigma 1.1")[1], "16.00x")
check("blur 1024 sigma 1.4", row(rows, "Gaussian blur 1024x1024 uint8, sigma 1.4")[1], "13.00x")
check("blur 48 sigma 0.8 values", row(rows, "Gaussian blur 48x48 uint8, sigma 0.8")[3], "2 vs 30 us")
check("noise 1024", row(rows, "Gaussian noise 1024x1024")[1:3], ["4.00x", "10.00x"])
# salt-and-pepper 48: ratios 8, 4, 2 -> geometric mean 4.
check("salt-and-pepper 48 (geometric mean)", row(rows, "salt-and-pepper 48x48")[1], "4.00x")

# Agreement: Fleiss / plain sum (2.5/2.0 with the floor in us; 25/25 with it in s), statsmodels / Fleiss.
check("Fleiss 10^6 vs floor", row(rows, "Fleiss' kappa 10^6 x 7 int64, kappa")[1], "1.25x")
check("Fleiss 10^7 vs floor", row(rows, "Fleiss' kappa 10^7 x 7 int64, kappa")[1], "1.00x")
check("Fleiss 10^6 non-null SE vs floor", row(rows, "Fleiss' kappa 10^6 x 7 int64, with")[1], "2.50x")
check("Fleiss 10^7 non-null SE vs floor", row(rows, "Fleiss' kappa 10^7 x 7 int64, with")[1], "2.40x")
check("Fleiss 10^6 vs statsmodels", row(rows, "Fleiss' kappa 10^6 x 7, kappa")[1], "30.00x")
check("Fleiss 10^7 vs statsmodels", row(rows, "Fleiss' kappa 10^7 x 7, kappa")[1], "60.00x")
check("Fleiss 10^7 non-null SE vs statsmodels", row(rows, "Fleiss' kappa 10^7 x 7, with")[1], "25.00x")
skipped = row(rows, "Fleiss' kappa 10^7 x 7, kappa")[2]
check("skipped bench_agreement is n/a with its reason",
      notes[int(skipped[len("n/a ["):-1]) - 1], "bench_agreement failed (exit 1), see portable/bench_agreement.log")

# The printed text: header, the table, the notes and notes.md.
text = compare_table.markdown(fixture)
check("header first", text.splitlines()[0].startswith("Fixture of tests/benchmarks/test_compare_table.py"), True)
check("table header", "| work item: ratio | default (avx512) | DISFER_SIMD=portable |" in text, True)
check("notes.md printed", "- DISFER_SIMD=avx2: not run" in text, True)

with tempfile.TemporaryDirectory() as tmp:
    # Without statsmodels: n/a cells naming the reason, in both columns.
    copy = os.path.join(tmp, "no-statsmodels")
    shutil.copytree(fixture, copy)
    os.remove(os.path.join(copy, "statsmodels.json"))
    with open(os.path.join(copy, "statsmodels.skipped"), "w", encoding="utf-8") as f:
        f.write("no python3 with statsmodels and numpy\n")
    _, rows2, notes2 = compare_table.build(copy)
    cell = row(rows2, "Fleiss' kappa 10^6 x 7, kappa")[1]
    check("statsmodels skipped: n/a", cell.startswith("n/a ["), True)
    check("statsmodels skipped: reason", notes2[int(cell[len("n/a ["):-1]) - 1],
          "statsmodels: no python3 with statsmodels and numpy")
    check("statsmodels skipped: the floor rows still computed", row(rows2, "Fleiss' kappa 10^6 x 7 int64, kappa")[1], "1.25x")

    # A benchmark missing from a file: n/a naming it.
    copy = os.path.join(tmp, "missing-run")
    shutil.copytree(fixture, copy)
    path = os.path.join(copy, "default", "bench_image.json")
    with open(path, encoding="utf-8") as f:
        data = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(data.replace('"opencv_blur/48/0"', '"opencv_blur/48/9"'))
    _, rows3, notes3 = compare_table.build(copy)
    cell = row(rows3, "Gaussian blur 48x48 uint8, sigma 0.8")[1]
    check("missing run: reason", notes3[int(cell[len("n/a ["):-1]) - 1], "opencv_blur/48/0 is not in bench_image.json")

    # A malformed JSON: the script fails (exit status not 0) and prints no table.
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"benchmarks": [')
    run = subprocess.run([sys.executable, os.path.join(source, "benchmarks", "compare_table.py"), copy],
                         capture_output=True, text=True, check=False)
    check("malformed JSON fails", run.returncode != 0, True)
    check("malformed JSON prints no table", "| work item" in run.stdout, False)
    check("malformed JSON names the error", "JSONDecodeError" in run.stderr, True)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
