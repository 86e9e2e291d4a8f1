#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds and runs the whole test
# suite (release preset: RelWithDebInfo), the Python module's pytest suite included, and prints
# the count of Python tests. Extra arguments go to ctest (e.g. -L core).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release
cmake --build --preset release
rm -rf build/release/python/pytest-results
rc=0
ctest --preset release "$@" || rc=$?
/usr/bin/python3 scripts/pytest_summary.py build/release/python/pytest-results
exit "$rc"
