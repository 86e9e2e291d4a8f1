// face-api's FaceExpressionNet on its own runtime: face-api 1.7.15 (dist/face-api.node-wasm.js) on
// TensorFlow.js 4.22's WASM backend (SIMD, one thread), images per second at batch 1 and 256 per
// wall-clock and per CPU second, from 48 x 48 gray faces replicated to RGB with face-api's own
// 48 -> 112 resize (as bench_inference's BM_faceapi_expression times disfer). Also the largest
// difference between the WASM probabilities and the committed cpu-backend ones of the oracle
// inputs (tests/inference/reference/faceapi_oracle.json).
//   node faceapi_wasm_compare.mjs FACEAPI_DIR ORACLE_REFERENCE_DIR [--quick] [--json=FILE]
// FACEAPI_DIR: a folder whose node_modules holds face-api and TF.js (faceapi_wasm_compare.sh
// installs it, pinned, from tests/inference/reference/faceapi-oracle/package-lock.json).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const quick = process.argv.includes('--quick');
const jsonOut = (process.argv.find((a) => a.startsWith('--json=')) || '').slice('--json='.length);
const [faceapiDir, oracleDir] = positional;
const require = createRequire(path.join(path.resolve(faceapiDir), 'package.json'));
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const tf = faceapi.tf;
tf.setThreadsCount(1);
tf.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
await tf.setBackend('wasm');
await tf.ready();
const packageDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
await faceapi.nets.faceExpressionNet.loadFromDisk(path.join(packageDir, 'model'));
const net = faceapi.nets.faceExpressionNet;
const results = { version: tf.version_core, faceapi: '1.7.15', backend: tf.getBackend(), simd: false, quick, batches: {} };

// n gray 48 x 48 images replicated to RGB (the pixel pattern of bench_inference's images()).
function batchTensor(n) {
  const v = new Float32Array(n * 48 * 48 * 3);
  for (let i = 0; i < n; ++i)
    for (let p = 0; p < 48 * 48; ++p) v.fill((p * 131 + i * 17) % 256, (i * 2304 + p) * 3, (i * 2304 + p) * 3 + 3);
  return tf.tensor4d(v, [n, 48, 48, 3]);
}
async function timeit(batch, reps) {
  const x = batchTensor(batch);
  const faces = tf.unstack(x);  // toNetInput takes a batch as an array of [48, 48, 3] tensors
  const input = await faceapi.toNetInput(faces);
  tf.tidy(() => net.forwardInput(input).dataSync());  // warm-up
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; ++r) tf.tidy(() => net.forwardInput(input).dataSync());
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  tf.dispose([x, ...faces]);
  const n = batch * reps;
  results.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  results.batches[String(batch)] = { images: n, img_per_wall_s: n / wall, img_per_cpu_s: n / cpu };
  console.log(`face-api tfjs-wasm batch ${batch}: ${(n / wall).toFixed(1)} img/wall-s, ${(n / cpu).toFixed(1)} img/cpu-s ` +
              `(${n} images, backend ${tf.getBackend()}, simd ${results.simd}, threads 1)`);
}
await timeit(1, quick ? 30 : 200);
await timeit(256, quick ? 1 : 3);

// The oracle inputs on WASM against the committed cpu-backend probabilities.
const oracle = JSON.parse(fs.readFileSync(path.join(oracleDir, 'faceapi_oracle.json'), 'utf8'));
const u8 = fs.readFileSync(path.join(oracleDir, 'oracle_inputs.u8'));
let worst = 0;
for (let i = 0; i < oracle.cases.length; ++i) {
  const rgb = new Float32Array(48 * 48 * 3);
  for (let p = 0; p < 48 * 48; ++p) rgb.fill(u8[i * 2304 + p], 3 * p, 3 * p + 3);
  const img = tf.tensor3d(rgb, [48, 48, 3]);
  const probs = net.forwardInput(await faceapi.toNetInput(img));
  const p = probs.dataSync();
  for (let k = 0; k < 7; ++k) worst = Math.max(worst, Math.abs(p[k] - oracle.cases[i].probabilities[k]));
  tf.dispose([img, probs]);
}
results.oracle_max_abs_diff = worst;
console.log(`face-api wasm vs committed cpu-backend probabilities of the ${oracle.cases.length} oracle inputs: largest |difference| ${worst.toExponential(2)}`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(results, null, 1) + '\n');
