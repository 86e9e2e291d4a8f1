// The TensorFlow.js oracle of disfer's FER-2013 network (tests/inference/test_tfjs_oracle.cpp).
// Runs the model (npm @vladmandic/human@3.3.6 models/emotion.json + emotion.bin) with
// TensorFlow.js 4.22.0 (@tensorflow/tfjs-core, -converter, -backend-cpu; the cpu backend, an
// implementation independent of disfer's) on the oracle's inputs (N x 48 x 48 uint8, written by
// the test program disfer_oracle_inputs; the names one per line in the .txt beside them) with the
// model's preprocessing: tf.image.resizeBilinear 48 -> 64 with half-pixel centres, /255,
// (x - 0.5) * 2. It writes a JSON file with, per input, the 7 probabilities and, for the
// preprocessed input and each of the graph's 21 non-constant nodes (model.execute(x, names)),
// the values at a fixed subsample of element indices (listed in the file). With --full DIR it
// also writes every tensor in full as little-endian float32 (what the live ctest compares).
//
// Regenerating the committed files (tests/inference/reference/oracle_inputs.u8, oracle_inputs.txt
// and tfjs_oracle.json) is one command, from a build configured with -DDISFER_BUILD_TESTS=ON (which
// installs TF.js into <build>/tfjs-oracle from tfjs-oracle/package-lock.json):
//   cmake --build <build> --target disfer_tfjs_oracle_regenerate
// which runs
//   <build>/tests/inference/disfer_oracle_inputs tests/inference/reference/oracle_inputs.u8
//   node tests/inference/reference/tfjs_oracle.mjs --tfjs <build>/tfjs-oracle \
//        --model <build>/share/disfer/models --inputs tests/inference/reference/oracle_inputs.u8 \
//        --out tests/inference/reference/tfjs_oracle.json
//
// Options:
//   --tfjs DIR     folder whose node_modules holds the three TF.js packages (required)
//   --model DIR    folder with emotion.json and emotion.bin (required)
//   --inputs FILE  N x 48 x 48 uint8 file; FILE with .txt instead of .u8 names the inputs (required)
//   --out FILE     the JSON to write (required)
//   --full DIR     also write DIR/preprocessed.f32 (N x 64 x 64), DIR/node_<k>.f32 (N x size of
//                  node k, k as in the JSON's "nodes") and DIR/manifest.json
//   --samples K    elements sampled per node (default 64)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const usage = 'usage: node tfjs_oracle.mjs --tfjs DIR --model DIR --inputs FILE.u8 --out FILE.json [--full DIR] [--samples K]';
const opts = { samples: '64' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; ++i) {
  const m = /^--(tfjs|model|inputs|out|full|samples)$/.exec(argv[i]);
  if (!m || i + 1 >= argv.length) {
    console.error(`tfjs_oracle: unexpected argument '${argv[i]}'\n${usage}`);
    process.exit(2);
  }
  opts[m[1]] = argv[++i];
}
for (const k of ['tfjs', 'model', 'inputs', 'out']) {
  if (!opts[k]) {
    console.error(`tfjs_oracle: --${k} is required\n${usage}`);
    process.exit(2);
  }
}
const samplesPerNode = Number(opts.samples);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tfjsDir = path.resolve(opts.tfjs);
const buildDir = path.dirname(tfjsDir);
// Paths as written into the JSON: relative to the repository, or under <build>.
const shown = (p) => {
  const a = path.resolve(p);
  if (a.startsWith(buildDir + path.sep)) return '<build>/' + path.relative(buildDir, a);
  if (a.startsWith(repoRoot + path.sep)) return path.relative(repoRoot, a);
  return a;
};
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

const require = createRequire(path.join(tfjsDir, 'package.json'));
const tf = require('@tensorflow/tfjs-core');
const tfconv = require('@tensorflow/tfjs-converter');
const tfcpu = require('@tensorflow/tfjs-backend-cpu');
await tf.setBackend('cpu');
await tf.ready();
if (tf.getBackend() !== 'cpu') throw new Error(`tfjs_oracle: backend is ${tf.getBackend()}, not cpu`);

const modelJsonBytes = fs.readFileSync(path.join(opts.model, 'emotion.json'));
const modelBin = fs.readFileSync(path.join(opts.model, 'emotion.bin'));
const modelJson = JSON.parse(modelJsonBytes.toString('utf8'));
const model = await tfconv.loadGraphModel(tf.io.fromMemory({
  modelTopology: modelJson.modelTopology,
  weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
  weightData: modelBin.buffer.slice(modelBin.byteOffset, modelBin.byteOffset + modelBin.byteLength),
}));
// Every node that computes something, in the file's order (21 for this model).
const nodeNames = modelJson.modelTopology.node.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder').map((n) => n.name);
if (nodeNames.length !== 21) throw new Error(`tfjs_oracle: expected 21 computing nodes, found ${nodeNames.length}`);

const inputBytes = fs.readFileSync(opts.inputs);
const side = 48;
if (inputBytes.length === 0 || inputBytes.length % (side * side) !== 0) {
  throw new Error(`tfjs_oracle: ${opts.inputs} has ${inputBytes.length} bytes, not a multiple of 48 x 48`);
}
const count = inputBytes.length / (side * side);
const namesPath = opts.inputs.replace(/\.u8$/, '') + '.txt';
const names = fs.readFileSync(namesPath, 'utf8').split('\n').filter((l) => l.length);
if (names.length !== count) throw new Error(`tfjs_oracle: ${namesPath} names ${names.length} inputs, ${opts.inputs} holds ${count}`);

// The model's preprocessing and all fetched nodes, for the whole batch at once (every op of the
// network works per image, so the batch gives each image's own values).
const { pre, outs } = tf.tidy(() => {
  const img = tf.tensor4d(Float32Array.from(inputBytes), [count, side, side, 1]);
  const x = tf.mul(tf.sub(tf.div(tf.image.resizeBilinear(img, [64, 64], false, true), 255), 0.5), 2);
  return { pre: tf.keep(x), outs: model.execute(x, nodeNames).map((t) => tf.keep(t)) };
});
const tensors = [pre, ...outs];
const tensorNames = ['preprocessed', ...nodeNames];
const data = tensors.map((t) => t.dataSync());
const shapes = tensors.map((t) => t.shape.slice(1));
const probs = data[tensorNames.indexOf('Identity')];

// A fixed subsample of each tensor's elements (row-major over H x W x C of one image): one index
// per stratum of size/K consecutive elements, placed at the golden-ratio fraction of the stratum,
// so the samples cover all rows and, within a stratum, varying columns and channels.
const sampleIndices = (size) => {
  if (size <= samplesPerNode) return Array.from({ length: size }, (_, j) => j);
  const phi = (Math.sqrt(5) - 1) / 2;
  return Array.from({ length: samplesPerNode }, (_, j) => Math.floor(((j + ((j * phi) % 1)) * size) / samplesPerNode));
};
// float32 values written with 9 significant digits (enough to give back the same float32).
const f32 = (v) => Number(v.toPrecision(9));

const versions = {
  node: process.version,
  'tfjs-core': tf.version_core,
  'tfjs-converter': tfconv.version_converter,
  'tfjs-backend-cpu': tfcpu.version_cpu,
  backend: tf.getBackend(),
};
for (const k of ['tfjs-core', 'tfjs-converter', 'tfjs-backend-cpu']) {
  if (versions[k] !== '4.22.0') throw new Error(`tfjs_oracle: ${k} is ${versions[k]}, not 4.22.0`);
}
const lockPath = path.join(tfjsDir, 'package-lock.json');
const tarballsPath = path.join(tfjsDir, 'tarballs.sha256');
const source = {
  tool: `TensorFlow.js ${versions['tfjs-core']} (tfjs-core, tfjs-converter, tfjs-backend-cpu), backend ${versions.backend}, node ${versions.node}`,
  command: ['node', shown(fileURLToPath(import.meta.url)), ...argv.map((a) => (a.startsWith('--') ? a : shown(a)))].join(' '),
  regenerate: 'cmake --build <build> --target disfer_tfjs_oracle_regenerate',
  versions,
  package_lock_sha256: fs.existsSync(lockPath) ? sha256(fs.readFileSync(lockPath)) : null,
  tarballs_sha256: fs.existsSync(tarballsPath)
    ? Object.fromEntries(fs.readFileSync(tarballsPath, 'utf8').split('\n').filter((l) => l).map((l) => l.split(/\s+/).reverse()))
    : null,
  model: {
    package: '@vladmandic/human@3.3.6',
    files: 'models/emotion.json, models/emotion.bin',
    'emotion.json_sha256': sha256(modelJsonBytes),
    'emotion.bin_sha256': sha256(modelBin),
  },
  preprocessing: 'tf.image.resizeBilinear(x, [64, 64], alignCorners=false, halfPixelCenters=true), /255, (x - 0.5) * 2',
};

const nodes = tensorNames.map((name, k) => ({
  name,
  source: k === 0 ? `TF.js ${versions['tfjs-core']} cpu: ${source.preprocessing}` : `TF.js ${versions['tfjs-core']} cpu: model.execute(x, ['${name}'])`,
  shape: shapes[k],
  indices: sampleIndices(shapes[k].reduce((a, b) => a * b, 1)),
}));
const cases = names.map((name, i) => {
  const p = Array.from(probs.subarray(i * 7, i * 7 + 7));
  const sorted = [...p].sort((a, b) => b - a);
  return {
    input: i,
    name,
    source: `TF.js ${versions['tfjs-core']} cpu on input ${i} of ${shown(opts.inputs)} (see the file's source)`,
    probabilities: p.map(f32),
    top_class: p.indexOf(sorted[0]),
    top_two_gap: f32(sorted[0] - sorted[1]),
    samples: nodes.map((node, k) => {
      const size = node.shape.reduce((a, b) => a * b, 1);
      return node.indices.map((j) => f32(data[k][i * size + j]));
    }),
  };
});

const doc = {
  about:
    "disfer's FER-2013 network (fer2013_xception) as TensorFlow.js runs it: per input the 7 probabilities " +
    '(FER-2013 order) and, for the preprocessed 64x64 input and each computing node of the graph, the values ' +
    'at nodes[k].indices (row-major H x W x C of one image); samples[k] follows nodes[k]. Written by ' +
    'tests/inference/reference/tfjs_oracle.mjs; read by tests/inference/test_tfjs_oracle.cpp.',
  source,
  inputs: {
    file: shown(opts.inputs),
    sha256: sha256(inputBytes),
    shape: [count, side, side],
    dtype: 'uint8',
    made_by: 'disfer_oracle_inputs (tests/inference/oracle_inputs.cpp, tests/inference/oracle_inputs.hpp)',
  },
  class_order: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'],
  sampling: `per node min(size, ${samplesPerNode}) indices: floor((j + frac(j * 0.6180339887...)) * size / ${samplesPerNode})`,
  nodes,
  cases,
};
// One case per line keeps the file diff-able.
const text = JSON.stringify({ ...doc, nodes: '@NODES@', cases: '@CASES@' }, null, 1)
  .replace('"@NODES@"', '[\n' + nodes.map((n) => '  ' + JSON.stringify(n)).join(',\n') + '\n ]')
  .replace('"@CASES@"', '[\n' + cases.map((c) => '  ' + JSON.stringify(c)).join(',\n') + '\n ]');
fs.writeFileSync(opts.out, text + '\n');

if (opts.full) {
  fs.mkdirSync(opts.full, { recursive: true });
  const buf = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  fs.writeFileSync(path.join(opts.full, 'preprocessed.f32'), buf(data[0]));
  for (let k = 1; k < tensors.length; ++k) fs.writeFileSync(path.join(opts.full, `node_${k}.f32`), buf(data[k]));
  fs.writeFileSync(path.join(opts.full, 'manifest.json'),
    JSON.stringify({ count, tensors: tensorNames.map((name, k) => ({ name, shape: shapes[k], file: k === 0 ? 'preprocessed.f32' : `node_${k}.f32` })) }, null, 1) + '\n');
}
tensors.forEach((t) => t.dispose());
console.log(`tfjs_oracle: ${count} inputs, ${nodeNames.length} nodes, ${versions.backend} backend, tfjs ${versions['tfjs-core']}, node ${versions.node} -> ${shown(opts.out)}`);
