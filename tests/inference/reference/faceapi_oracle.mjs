// The face-api oracle of disfer's second network (faceapi_expression, tests/inference/test_faceapi_expression.cpp).
// Runs face-api itself (npm @vladmandic/face-api@1.7.15, dist/face-api.node-wasm.js, on TensorFlow.js
// 4.22.0 with the cpu backend, an implementation independent of disfer's) on the oracle inputs
// (N x 48 x 48 uint8, tests/inference/reference/oracle_inputs.u8, names one per line in the .txt
// beside it). Each gray face is replicated to R = G = B as a [48, 48, 3] tensor and given to
// faceExpressionNet as face-api takes a tensor: NetInput.toBatchTensor(112) (padToSquare, a no-op
// here, then tf.image.resizeBilinear to 112 x 112 with alignCorners = halfPixelCenters = false), the
// mean subtraction and /255, the four dense blocks, the 7x7 average pool, fc and softmax. Writes a
// JSON file with, per input, the 7 probabilities (face-api's order), the 256 pooled features and
// the normalised input at a fixed subsample of element indices.
//
// Regenerating the committed tests/inference/reference/faceapi_oracle.json, from a build that
// installed the oracle's packages (<build>/faceapi-oracle, from faceapi-oracle/package-lock.json):
//   cmake --build <build> --target disfer_faceapi_oracle_regenerate
// which runs
//   node tests/inference/reference/faceapi_oracle.mjs --faceapi <build>/faceapi-oracle \
//        --inputs tests/inference/reference/oracle_inputs.u8 --out tests/inference/reference/faceapi_oracle.json
//
// Options:
//   --faceapi DIR  folder whose node_modules holds face-api and TF.js (required)
//   --model DIR    folder with face_expression_model-weights_manifest.json and its .bin (default:
//                  the package's own model/ folder)
//   --inputs FILE  N x 48 x 48 uint8 file; FILE with .txt instead of .u8 names the inputs (required)
//   --out FILE     the JSON to write (required)
//   --backend B    cpu (default) or wasm
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const usage = 'usage: node faceapi_oracle.mjs --faceapi DIR --inputs FILE.u8 --out FILE.json [--model DIR] [--backend cpu|wasm]';
const opts = { backend: 'cpu' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; ++i) {
  const m = /^--(faceapi|model|inputs|out|backend)$/.exec(argv[i]);
  if (!m || i + 1 >= argv.length) {
    console.error(`faceapi_oracle: unexpected argument '${argv[i]}'\n${usage}`);
    process.exit(2);
  }
  opts[m[1]] = argv[++i];
}
for (const k of ['faceapi', 'inputs', 'out']) {
  if (!opts[k]) {
    console.error(`faceapi_oracle: --${k} is required\n${usage}`);
    process.exit(2);
  }
}
if (opts.backend !== 'cpu' && opts.backend !== 'wasm') {
  console.error(`faceapi_oracle: --backend must be cpu or wasm, not '${opts.backend}'`);
  process.exit(2);
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const faceapiDir = path.resolve(opts.faceapi);
const buildDir = path.dirname(faceapiDir);
const shown = (p) => {
  const a = path.resolve(p);
  if (a.startsWith(buildDir + path.sep)) return '<build>/' + path.relative(buildDir, a);
  if (a.startsWith(repoRoot + path.sep)) return path.relative(repoRoot, a);
  return a;
};
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

const require = createRequire(path.join(faceapiDir, 'package.json'));
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const tf = faceapi.tf;
await tf.setBackend(opts.backend);
await tf.ready();
if (tf.getBackend() !== opts.backend) throw new Error(`faceapi_oracle: backend is ${tf.getBackend()}, not ${opts.backend}`);
const packageDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
const faceapiVersion = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
if (faceapiVersion !== '1.7.15') throw new Error(`faceapi_oracle: face-api is ${faceapiVersion}, not 1.7.15`);
if (tf.version_core !== '4.22.0') throw new Error(`faceapi_oracle: tfjs-core is ${tf.version_core}, not 4.22.0`);

const modelDir = opts.model ? path.resolve(opts.model) : path.join(packageDir, 'model');
const manifestName = 'face_expression_model-weights_manifest.json';
const manifestBytes = fs.readFileSync(path.join(modelDir, manifestName));
const binBytes = fs.readFileSync(path.join(modelDir, 'face_expression_model.bin'));
await faceapi.nets.faceExpressionNet.loadFromDisk(modelDir);
const net = faceapi.nets.faceExpressionNet;

const inputBytes = fs.readFileSync(opts.inputs);
const side = 48;
if (inputBytes.length === 0 || inputBytes.length % (side * side) !== 0) {
  throw new Error(`faceapi_oracle: ${opts.inputs} has ${inputBytes.length} bytes, not a multiple of 48 x 48`);
}
const count = inputBytes.length / (side * side);
const namesPath = opts.inputs.replace(/\.u8$/, '') + '.txt';
const names = fs.readFileSync(namesPath, 'utf8').split('\n').filter((l) => l.length);
if (names.length !== count) throw new Error(`faceapi_oracle: ${namesPath} names ${names.length} inputs, ${opts.inputs} holds ${count}`);

// A fixed subsample of the normalised input's 112 * 112 * 3 elements (row-major H x W x C): one index
// per stratum of size/K consecutive elements, at the golden-ratio fraction of the stratum.
const inputSize = 112 * 112 * 3;
const samplesPerInput = 96;
const phi = (Math.sqrt(5) - 1) / 2;
const sampleIndices = Array.from({ length: samplesPerInput }, (_, j) =>
  Math.floor(((j + ((j * phi) % 1)) * inputSize) / samplesPerInput));
const f32 = (v) => Number(v.toPrecision(9));  // 9 significant digits give back the same float32

const cases = [];
for (let i = 0; i < count; ++i) {
  const gray = Float32Array.from(inputBytes.subarray(i * side * side, (i + 1) * side * side));
  const rgb = new Float32Array(side * side * 3);
  for (let p = 0; p < side * side; ++p) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = gray[p];
  const img = tf.tensor3d(rgb, [side, side, 3], 'float32');
  // face-api's own preprocessing, as FaceFeatureExtractor.forwardInput does it before the blocks.
  const netInput = await faceapi.toNetInput(img);
  const pre = tf.tidy(() => {
    const x = tf.cast(netInput.toBatchTensor(112, true), 'float32');
    return faceapi.normalize(x, [122.782, 117.001, 104.298]).div(255);
  });
  const features = net.faceFeatureExtractor.forwardInput(await faceapi.toNetInput(img));
  const probs = net.forwardInput(await faceapi.toNetInput(img));
  const p = Array.from(probs.dataSync());
  const preData = pre.dataSync();
  const sorted = [...p].sort((a, b) => b - a);
  cases.push({
    input: i,
    name: names[i],
    source: `face-api ${faceapiVersion} on TF.js ${tf.version_core} ${tf.getBackend()}, input ${i} of ${shown(opts.inputs)} (see the file's source)`,
    probabilities: p.map(f32),
    top_class: p.indexOf(sorted[0]),
    top_two_gap: f32(sorted[0] - sorted[1]),
    features: Array.from(features.dataSync()).map(f32),
    input_samples: sampleIndices.map((j) => f32(preData[j])),
  });
  tf.dispose([img, pre, features, probs]);
}

// Non-square inputs (face-api pads them to a square with zeros before the resize): the top-left
// rows x cols of three oracle inputs, covering a wide and a tall image and an odd difference.
const crops = [{ input: 0, rows: 48, cols: 40 }, { input: 1, rows: 37, cols: 48 }, { input: 2, rows: 48, cols: 45 }];
const paddedCases = [];
for (const { input, rows, cols } of crops) {
  const rgb = new Float32Array(rows * cols * 3);
  for (let r = 0; r < rows; ++r)
    for (let c = 0; c < cols; ++c)
      rgb[3 * (r * cols + c)] = rgb[3 * (r * cols + c) + 1] = rgb[3 * (r * cols + c) + 2] =
        inputBytes[input * side * side + r * side + c];
  const img = tf.tensor3d(rgb, [rows, cols, 3], 'float32');
  const probs = net.forwardInput(await faceapi.toNetInput(img));
  const p = Array.from(probs.dataSync());
  tf.dispose([img, probs]);
  const sorted = [...p].sort((a, b) => b - a);
  paddedCases.push({
    input, rows, cols,
    source: `face-api ${faceapiVersion} on TF.js ${tf.version_core} ${tf.getBackend()}, rows 0-${rows - 1} and columns 0-${cols - 1} of input ${input} of ${shown(opts.inputs)}`,
    probabilities: p.map(f32),
    top_class: p.indexOf(sorted[0]),
    top_two_gap: f32(sorted[0] - sorted[1]),
  });
}

const lockPath = path.join(faceapiDir, 'package-lock.json');
const doc = {
  about:
    "disfer's second network (faceapi_expression) as face-api runs it: per input the 7 probabilities in face-api's " +
    'order (class_order), the 256 features after the average pool, and the normalised 112x112x3 input at ' +
    'input_indices; padded_cases: non-square crops, padded by face-api. Written by tests/inference/reference/faceapi_oracle.mjs; read by tests/inference/test_faceapi_expression.cpp.',
  source: {
    tool: `face-api ${faceapiVersion} (dist/face-api.node-wasm.js) on TensorFlow.js ${tf.version_core}, backend ${tf.getBackend()}, node ${process.version}`,
    command: ['node', shown(fileURLToPath(import.meta.url)), ...argv.map((a) => (a.startsWith('--') ? a : shown(a)))].join(' '),
    regenerate: 'cmake --build <build> --target disfer_faceapi_oracle_regenerate',
    package_lock_sha256: fs.existsSync(lockPath) ? sha256(fs.readFileSync(lockPath)) : null,
    model: {
      package: '@vladmandic/face-api@1.7.15',
      files: `model/${manifestName}, model/face_expression_model.bin`,
      manifest_sha256: sha256(manifestBytes),
      bin_sha256: sha256(binBytes),
    },
    preprocessing:
      'gray replicated to RGB, NetInput.toBatchTensor(112): tf.image.resizeBilinear(x, [112, 112], false, false); ' +
      '(x - [122.782, 117.001, 104.298]) / 255',
  },
  inputs: {
    file: shown(opts.inputs),
    sha256: sha256(inputBytes),
    shape: [count, side, side],
    dtype: 'uint8',
  },
  class_order: ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'],
  input_indices: sampleIndices,
  cases: '@CASES@',
  padded_cases: '@PADDED@',
};
const text = JSON.stringify(doc, null, 1)
  .replace('"@CASES@"', '[\n' + cases.map((c) => '  ' + JSON.stringify(c)).join(',\n') + '\n ]')
  .replace('"@PADDED@"', '[\n' + paddedCases.map((c) => '  ' + JSON.stringify(c)).join(',\n') + '\n ]');
fs.writeFileSync(opts.out, text + '\n');
console.log(`faceapi_oracle: ${count} inputs, backend ${tf.getBackend()} -> ${opts.out}`);
