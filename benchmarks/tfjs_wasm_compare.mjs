// The same FER-2013 model on TensorFlow.js's WASM backend (npm @tensorflow/tfjs-backend-wasm,
// SIMD, one thread): images per second at batch 1 and 256, per wall-clock and per CPU second,
// for comparison with bench_inference. Also prints the largest difference between the WASM
// probabilities and the committed TF.js cpu-backend ones of the oracle inputs
// (tests/inference/reference: oracle_inputs.u8, tfjs_oracle.json).
//   node tfjs_wasm_compare.mjs MODEL_DIR ORACLE_REFERENCE_DIR [--quick] [--json=FILE]
// --quick: fewer repetitions (a smoke run); --json=FILE also writes the rates as JSON (for
// benchmarks/compare.sh: {"batches": {"1": {...}, "256": {...}}, "simd": ..., "oracle_max_abs_diff": ...}).
// Run through tfjs_wasm_compare.sh or compare.sh, which install the pinned npm packages
// (tfjs_wasm_install.cmake) into a scratch folder.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfconv from '@tensorflow/tfjs-converter';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const quick = process.argv.includes('--quick');
const jsonOut = (process.argv.find((a) => a.startsWith('--json=')) || '').slice('--json='.length);
const [modelDir, oracleDir] = positional;
const results = { version: tf.version_core, backend: '', simd: false, quick, batches: {} };
const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'emotion.json'), 'utf8'));
const bin = fs.readFileSync(path.join(modelDir, 'emotion.bin'));
const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);

setThreadsCount(1);
const wasmDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules/@tensorflow/tfjs-backend-wasm/dist/');
if (fs.existsSync(wasmDir)) setWasmPaths(wasmDir);
await tf.setBackend('wasm');
await tf.ready();
const model = await tfconv.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));

function timeit(batch, reps) {
  const x = tf.randomUniform([batch, 64, 64, 1], -1, 1, 'float32', 7);
  tf.tidy(() => model.predict(x).dataSync());  // warm-up
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; ++r) tf.tidy(() => model.predict(x).dataSync());
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  x.dispose();
  const n = batch * reps;
  results.backend = tf.getBackend();
  results.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  results.batches[String(batch)] = { images: n, img_per_wall_s: n / wall, img_per_cpu_s: n / cpu };
  console.log(`tfjs-wasm batch ${batch}: ${(n / wall).toFixed(1)} img/wall-s, ${(n / cpu).toFixed(1)} img/cpu-s ` +
              `(${n} images, backend ${tf.getBackend()}, simd ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, ` +
              `threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'available, set to 1' : 1})`);
}
timeit(1, quick ? 30 : 200);
timeit(256, quick ? 1 : 3);

// The oracle inputs, preprocessed as the model expects (as tests/inference/reference/tfjs_oracle.mjs).
const oracle = JSON.parse(fs.readFileSync(path.join(oracleDir, 'tfjs_oracle.json'), 'utf8'));
const [n, h, w] = oracle.inputs.shape;
const u8 = fs.readFileSync(path.join(oracleDir, 'oracle_inputs.u8'));
const y = tf.tidy(() => {
  const img = tf.tensor4d(Float32Array.from(u8.subarray(0, n * h * w)), [n, h, w, 1]);
  const x = tf.mul(tf.sub(tf.div(tf.image.resizeBilinear(img, [64, 64], false, true), 255), 0.5), 2);
  return model.predict(x).dataSync();
});
let worst = 0;
oracle.cases.forEach((c, i) => c.probabilities.forEach((p, j) => { worst = Math.max(worst, Math.abs(y[i * 7 + j] - p)); }));
results.oracle_max_abs_diff = worst;
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(results, null, 1) + '\n');
console.log(`tfjs-wasm vs the committed tfjs-cpu probabilities of ${n} oracle inputs: largest absolute difference ` +
            `${worst.toExponential(2)}`);
