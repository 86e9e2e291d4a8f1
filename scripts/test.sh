#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds and runs the whole test
# suite (release preset: RelWithDebInfo). Extra arguments go to ctest (e.g. -L core).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release
cmake --build --preset release
ctest --preset release "$@"
