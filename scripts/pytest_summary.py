#!/usr/bin/env python3
"""Prints how many Python tests the ctest run executed, from the JUnit files each pytest ctest
writes (python/tests/CMakeLists.txt): `pytest_summary.py <build>/python/pytest-results`."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

folder = sys.argv[1]
files = sorted(glob.glob(os.path.join(folder, "*.xml")))
if not files:
    print("Python tests: none ran (no results in %s)" % folder)
    sys.exit(0)
total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for f in files:
    root = ET.parse(f).getroot()
    for suite in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        for key in total:
            total[key] += int(suite.get(key, 0))
passed = total["tests"] - total["failures"] - total["errors"] - total["skipped"]
print("Python tests (pytest, %d files): %d passed, %d skipped, %d failed, %d errors, of %d"
      % (len(files), passed, total["skipped"], total["failures"], total["errors"], total["tests"]))
