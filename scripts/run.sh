#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, then runs the DisFER example.
# Arguments go to the program (try --help). Outputs go to ./disfer-output unless --out is given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target write_conditions
exec ./build/release/examples/write_conditions "$@"
