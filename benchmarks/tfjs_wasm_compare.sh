#!/usr/bin/env bash
# Runs tfjs_wasm_compare.mjs: installs @tensorflow/tfjs-core, -converter and -backend-wasm 4.22.0
# and their dependencies, pinned (tfjs_wasm_install.cmake: each tarball's SHA-256, then `npm ci`
# from benchmarks/tfjs-wasm/package-lock.json), into a scratch folder (default build/tfjs-wasm;
# nothing is committed), then times the FER-2013 model there, and compares its probabilities on
# the committed oracle inputs with the committed TF.js cpu-backend values
# (tests/inference/reference). Further arguments go to the .mjs (--quick, --json=FILE). Usage:
#   bash benchmarks/tfjs_wasm_compare.sh MODEL_DIR [WORK_DIR] [--quick] [--json=FILE]
# e.g. bash benchmarks/tfjs_wasm_compare.sh build/bench/share/disfer/models
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if (($# < 1)); then
  echo "usage: bash benchmarks/tfjs_wasm_compare.sh MODEL_DIR [WORK_DIR] [--quick] [--json=FILE]" >&2
  exit 2
fi
model="$(realpath "$1")"
shift
oracle="$(realpath "$here/../tests/inference/reference")"
work="$here/../build/tfjs-wasm"
if (($# > 0)) && [[ $1 != --* ]]; then
  work="$1"
  shift
fi
mkdir -p "$work"
work="$(realpath "$work")"
cmake -DDIR="$work/tfjs-wasm" -DRESULT="$work/tfjs-wasm.missing" -P "$here/tfjs_wasm_install.cmake" >/dev/null
if [[ -s $work/tfjs-wasm.missing ]]; then
  echo "skipped: TF.js WASM: $(cat "$work/tfjs-wasm.missing")" >&2
  exit 77
fi
cp "$here/tfjs_wasm_compare.mjs" "$work/tfjs-wasm/"
node "$work/tfjs-wasm/tfjs_wasm_compare.mjs" "$model" "$oracle" "$@"
