#!/usr/bin/env bash
# Runs faceapi_wasm_compare.mjs: installs face-api 1.7.15 with TF.js 4.22.0 and its WASM backend,
# pinned (faceapi_wasm_install.cmake: the face-api oracle's lockfile and tarball SHA-256), into a
# scratch folder (default build/faceapi-wasm; nothing is committed), then times face-api's
# FaceExpressionNet there and compares its WASM probabilities on the committed oracle inputs with
# the committed cpu-backend values (tests/inference/reference). Further arguments go to the .mjs
# (--quick, --json=FILE). Usage:
#   bash benchmarks/faceapi_wasm_compare.sh [WORK_DIR] [--quick] [--json=FILE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
oracle="$(realpath "$here/../tests/inference/reference")"
work="$here/../build/faceapi-wasm"
if (($# > 0)) && [[ $1 != --* ]]; then
  work="$1"
  shift
fi
mkdir -p "$work"
work="$(realpath "$work")"
cmake -DDIR="$work/faceapi-wasm" -DRESULT="$work/faceapi-wasm.missing" -P "$here/faceapi_wasm_install.cmake" >/dev/null
if [[ -s $work/faceapi-wasm.missing ]]; then
  echo "skipped: face-api on TF.js WASM: $(cat "$work/faceapi-wasm.missing")" >&2
  exit 77
fi
node "$here/faceapi_wasm_compare.mjs" "$work/faceapi-wasm" "$oracle" "$@"
