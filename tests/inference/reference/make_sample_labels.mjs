// Reference per-image labels for the FER-2013 sample test: runs the same model with TensorFlow.js
// (npm @tensorflow/tfjs-core/-converter/-backend-wasm 4.22.0, an independent implementation) on
// ../shared/data/fer2013-sample.csv with the model's preprocessing (tf.image.resizeBilinear 48->64
// with half-pixel centres, /255, (x-0.5)*2), prints the clean accuracy, and writes the predicted
// label of every 30th row (the 32 rows both test runs check) to the given CSV.
// No pixels and no original labels are written.
//   mkdir -p /tmp/tfjs && cd /tmp/tfjs && echo '{"type":"module"}' > package.json &&
//   npm install @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-converter@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0
//   cp <repo>/tests/inference/reference/make_sample_labels.mjs . &&
//   node make_sample_labels.mjs <models dir> <fer2013-sample.csv> <repo>/tests/data/inference/sample_subset_labels.csv
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfconv from '@tensorflow/tfjs-converter';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const [modelDir, csvPath, outPath] = process.argv.slice(2);
const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'emotion.json'), 'utf8'));
const bin = fs.readFileSync(path.join(modelDir, 'emotion.bin'));
setThreadsCount(1);
setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm');
const model = await tfconv.loadGraphModel(tf.io.fromMemory({
  modelTopology: json.modelTopology,
  weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
  weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
}));
const lines = fs.readFileSync(csvPath, 'utf8').split(/\r?\n/).filter((l) => l.length);
const header = lines.shift().split(',');
const ie = header.indexOf('emotion'), ip = header.indexOf('pixels');
let correct = 0;
const subset = [];
lines.forEach((line, row) => {
  const f = line.split(',');
  const px = Float32Array.from(f[ip].trim().split(/\s+/).map(Number));
  const label = tf.tidy(() => {
    const img = tf.tensor4d(px, [1, 48, 48, 1]);
    const x = tf.mul(tf.sub(tf.div(tf.image.resizeBilinear(img, [64, 64], false, true), 255), 0.5), 2);
    return tf.argMax(model.predict(x), -1).dataSync()[0];
  });
  if (label === Number(f[ie])) ++correct;
  if (row % 30 === 0 && subset.length < 32) subset.push(`${row},${label}`);
});
console.log(`tfjs-wasm clean accuracy ${(correct / lines.length).toFixed(4)} (${correct}/${lines.length})`);
fs.writeFileSync(outPath, 'row,predicted\n' + subset.join('\n') + '\n');
