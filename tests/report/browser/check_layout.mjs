// The layout check of disfer's SVG figures, which does not trust disfer's font metrics: opens every
// SVG in headless Chromium (Debian's /usr/bin/chromium, driven by puppeteer-core), takes the
// rendered box of every <text> element (getBBox, the font's full line box, mapped through getCTM
// into the root SVG's user coordinates, so rotated labels are rotated boxes) and fails when
//   - a box leaves the canvas (the root viewBox, else width x height), or
//   - two boxes of different <text> elements overlap by more than --tolerance (0.5 px) on every axis
//     (separating-axis test on the two rectangles).
// One <text> element is one line (disfer wraps titles and captions into one element per line), so a
// line never overlaps itself; an element whose text is empty has no box and is ignored. It also asks
// Chromium which font drew the first text of each file (CDP CSS.getPlatformFontsForNode) and fails
// when it is not DejaVu Sans, the font the layout is measured in. Prints every violation (file,
// text, boxes) and a summary. Exit 0 all fit, 1 violations, 2 usage or browser errors, 77 (ctest:
// skipped) when --missing names what is not installed.
//   node check_layout.mjs --puppeteer DIR --chromium EXE [--missing REASON] [--tolerance PX] PATH...
// PATH: an .svg file or a folder searched recursively for .svg files.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = { tolerance: 0.5, paths: [] };
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === '--puppeteer') opt.puppeteer = args[++i];
  else if (a === '--chromium') opt.chromium = args[++i];
  else if (a === '--missing') opt.missing = args[++i];
  else if (a === '--tolerance') opt.tolerance = Number(args[++i]);
  else opt.paths.push(a);
}
if (opt.missing) {
  console.log(`SKIPPED: ${opt.missing}`);
  process.exit(77);
}
if (!opt.puppeteer || !opt.chromium || opt.paths.length === 0) {
  console.error('usage: check_layout.mjs --puppeteer DIR --chromium EXE [--missing REASON] [--tolerance PX] PATH...');
  process.exit(2);
}

function svgFiles(p) {
  if (!fs.existsSync(p)) throw new Error(`${p} does not exist`);
  if (fs.statSync(p).isFile()) return [p];
  return fs.readdirSync(p, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? svgFiles(path.join(p, e.name)) : e.name.endsWith('.svg') ? [path.join(p, e.name)] : []))
    .sort();
}

// Projections of a quad (4 corners) on an axis.
function project(quad, ax, ay) {
  let lo = Infinity, hi = -Infinity;
  for (const [x, y] of quad) {
    const v = x * ax + y * ay;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

// Overlap depth of two rectangles (quads) by the separating-axis theorem: the least overlap of
// their projections over the four edge normals; <= 0 when they are apart.
function overlapDepth(a, b) {
  let depth = Infinity;
  for (const q of [a, b]) {
    for (let i = 0; i < 2; ++i) {
      const [x0, y0] = q[i], [x1, y1] = q[i + 1];
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (len === 0) continue;
      const ax = -(y1 - y0) / len, ay = (x1 - x0) / len;
      const [alo, ahi] = project(a, ax, ay), [blo, bhi] = project(b, ax, ay);
      depth = Math.min(depth, Math.min(ahi, bhi) - Math.max(alo, blo));
    }
  }
  return depth;
}

const fmt = (b) => `[${b.x0.toFixed(1)},${b.y0.toFixed(1)} .. ${b.x1.toFixed(1)},${b.y1.toFixed(1)}]`;

const require = createRequire(path.join(path.resolve(opt.puppeteer), 'package.json'));
const puppeteer = require('puppeteer-core');

const started = Date.now();
let files = [];
try {
  files = opt.paths.flatMap(svgFiles);
} catch (e) {
  console.error(`check_layout: ${e.message}`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(`check_layout: no .svg file under ${opt.paths.join(' ')}`);
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: opt.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
});
let violations = 0, texts = 0;
try {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  for (const file of files) {
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
    const r = await page.evaluate(() => {
      const root = document.documentElement;
      const vb = root.viewBox && root.viewBox.baseVal && root.viewBox.baseVal.width > 0
        ? root.viewBox.baseVal
        : { x: 0, y: 0, width: root.width.baseVal.value, height: root.height.baseVal.value };
      const out = [];
      for (const t of root.querySelectorAll('text')) {
        if (t.textContent.trim() === '') continue;
        const b = t.getBBox(), m = t.getCTM();
        const pt = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
        const quad = [pt(b.x, b.y), pt(b.x + b.width, b.y), pt(b.x + b.width, b.y + b.height), pt(b.x, b.y + b.height)];
        out.push({ text: t.textContent, quad });
      }
      return { canvas: { x: vb.x, y: vb.y, width: vb.width, height: vb.height }, boxes: out };
    });
    const rel = path.relative(process.cwd(), file);
    const bad = [];
    // Which font drew the first text?
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'text' });
    if (nodeId) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const families = fonts.map((f) => f.familyName);
      if (!families.every((f) => /^DejaVu Sans/.test(f))) bad.push(`drawn in ${families.join(', ')}, not DejaVu Sans`);
    }
    const tol = opt.tolerance, c = r.canvas;
    const boxes = r.boxes.map((b) => {
      const xs = b.quad.map((p) => p[0]), ys = b.quad.map((p) => p[1]);
      return { ...b, x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    });
    texts += boxes.length;
    for (const b of boxes)
      if (b.x0 < c.x - tol || b.y0 < c.y - tol || b.x1 > c.x + c.width + tol || b.y1 > c.y + c.height + tol)
        bad.push(`"${b.text}" ${fmt(b)} leaves the canvas [${c.x},${c.y} .. ${c.x + c.width},${c.y + c.height}]`);
    // Candidate pairs from a grid of 64-unit cells over the bounding boxes.
    const cell = 64, grid = new Map();
    boxes.forEach((b, i) => {
      for (let gx = Math.floor(b.x0 / cell); gx <= Math.floor(b.x1 / cell); ++gx)
        for (let gy = Math.floor(b.y0 / cell); gy <= Math.floor(b.y1 / cell); ++gy) {
          const k = `${gx},${gy}`;
          if (!grid.has(k)) grid.set(k, []);
          grid.get(k).push(i);
        }
    });
    const seen = new Set();
    for (const list of grid.values())
      for (let p = 0; p < list.length; ++p)
        for (let q = p + 1; q < list.length; ++q) {
          const i = list[p], j = list[q], key = i * boxes.length + j;
          if (seen.has(key)) continue;
          seen.add(key);
          const a = boxes[i], b = boxes[j];
          if (a.x1 - b.x0 <= tol || b.x1 - a.x0 <= tol || a.y1 - b.y0 <= tol || b.y1 - a.y0 <= tol) continue;
          const d = overlapDepth(a.quad, b.quad);
          if (d > tol) bad.push(`"${a.text}" ${fmt(a)} overlaps "${b.text}" ${fmt(b)} (by ${d.toFixed(1)})`);
        }
    for (const v of bad) console.log(`${rel}: ${v}`);
    console.log(`${rel}: ${boxes.length} texts on ${c.width} x ${c.height}, ${bad.length} violations`);
    violations += bad.length;
  }
} catch (e) {
  console.error(`check_layout: ${e.stack || e}`);
  await browser.close();
  process.exit(2);
}
await browser.close();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`check_layout: ${files.length} SVG files, ${texts} texts, ${violations} violations (${seconds} s)`);
process.exit(violations ? 1 : 0);
