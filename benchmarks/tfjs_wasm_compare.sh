#!/usr/bin/env bash
# Runs tfjs_wasm_compare.mjs: installs @tensorflow/tfjs-core, -converter and -backend-wasm (pinned)
# into a scratch folder (default build/tfjs-wasm; nothing is committed), then times the FER-2013
# model there, and compares its probabilities on the committed oracle inputs with the committed
# TF.js cpu-backend values (tests/inference/reference). Usage:
#   bash benchmarks/tfjs_wasm_compare.sh MODEL_DIR [WORK_DIR]
# e.g. bash benchmarks/tfjs_wasm_compare.sh build/bench-native/share/disfer/models
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
model="$(realpath "$1")"
oracle="$(realpath "$here/../tests/inference/reference")"
work="${2:-$here/../build/tfjs-wasm}"
mkdir -p "$work"
cd "$work"
[[ -f package.json ]] || echo '{"private": true, "type": "module"}' > package.json
if [[ ! -d node_modules/@tensorflow/tfjs-backend-wasm ]]; then
  npm install --no-audit --no-fund @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-converter@4.22.0 \
    @tensorflow/tfjs-backend-wasm@4.22.0 >/dev/null
fi
cp "$here/tfjs_wasm_compare.mjs" .
node tfjs_wasm_compare.mjs "$model" "$oracle"
