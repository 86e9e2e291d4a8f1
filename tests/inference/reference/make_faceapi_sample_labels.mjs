// Reference per-image labels of face-api's FaceExpressionNet on the FER-2013 sample: runs face-api
// itself (npm @vladmandic/face-api@1.7.15, dist/face-api.node-wasm.js, TF.js 4.22.0 cpu backend) on
// every row of ../shared/data/fer2013-sample.csv as faceapi_oracle.mjs feeds it (gray replicated to
// RGB, face-api's own 48 -> 112 resize), prints the clean accuracy and writes each row's predicted
// label (FER-2013 index, face-api's order mapped with [6, 3, 4, 0, 2, 1, 5]) to the given CSV
// (tests/data/inference/faceapi_sample_labels.csv). No pixels and no original labels are written.
//   node tests/inference/reference/make_faceapi_sample_labels.mjs <build>/faceapi-oracle \
//        ../shared/data/fer2013-sample.csv tests/data/inference/faceapi_sample_labels.csv
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [faceapiDir, csvPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node make_faceapi_sample_labels.mjs <faceapi-oracle dir> <fer2013-sample.csv> <out.csv>');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(faceapiDir), 'package.json'));
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const tf = faceapi.tf;
await tf.setBackend('cpu');
await tf.ready();
const packageDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
await faceapi.nets.faceExpressionNet.loadFromDisk(path.join(packageDir, 'model'));
const ferOfFaceapi = [6, 3, 4, 0, 2, 1, 5];

const lines = fs.readFileSync(csvPath, 'utf8').split(/\r?\n/).filter((l) => l.length);
const header = lines.shift().split(',');
const ie = header.indexOf('emotion'), ip = header.indexOf('pixels');
let correct = 0;
const out = [];
for (let row = 0; row < lines.length; ++row) {
  const f = lines[row].split(',');
  const gray = f[ip].trim().split(/\s+/).map(Number);
  const rgb = new Float32Array(48 * 48 * 3);
  for (let p = 0; p < 48 * 48; ++p) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = gray[p];
  const img = tf.tensor3d(rgb, [48, 48, 3], 'float32');
  const probs = faceapi.nets.faceExpressionNet.forwardInput(await faceapi.toNetInput(img));
  const p = Array.from(probs.dataSync());
  tf.dispose([img, probs]);
  const label = ferOfFaceapi[p.indexOf(Math.max(...p))];
  if (label === Number(f[ie])) ++correct;
  out.push(`${row},${label}`);
}
console.log(`face-api ${tf.version_core} cpu clean accuracy ${(correct / lines.length).toFixed(4)} (${correct}/${lines.length})`);
fs.writeFileSync(outPath, 'row,predicted\n' + out.join('\n') + '\n');
