#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, then reproduces every DisFER table and
# figure (examples/reproduce_disfer.cpp; on the calibrated simulation unless data are given).
# Arguments go to the program (try --help). Outputs go to ./disfer-output unless --out is given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target reproduce_disfer
exec ./build/release/examples/reproduce_disfer "$@"
