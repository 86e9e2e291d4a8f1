// The experiment's timeline without a browser (issue 21): loads a generated experiment folder's
// index.html, with its scripts, into a jsdom window and lets jsPsych 8 run it with
// jsPsych.simulate(timeline, "data-only"), for every presentation order of every playlist, then
// checks what jsPsych recorded against disfer-study.js:
//   - the rating trials are exactly the order's ids, in order, with their positions and images;
//   - each attention check sits after its `after` ratings, asks for its button, shows its image;
//   - every row has every column of the contract (docs/experiment.md), with the right values;
//   - the data are POSTed once to the save URL (text/csv, ?participant=ID), and that CSV parses
//     back into the same rows;
// and, on one order each: the URL assignment errors, the prolific-hash assignment (FNV-1a 32 of
// PROLIFIC_PID), DataPipe's condition assignment and save, the save retried after failures (with
// the error page and its retry button), and the Prolific redirect only after the save.
// With EXPORTS_DIR, each of the every-order participants' data is also written as the POSTed CSV
// (EXPORTS_DIR/csv/<id>.csv) and as jsPsych's own JSON export (EXPORTS_DIR/json/<id>.json), for
// check_exports.py.
//   node simulate.cjs NODE_MODULES_PARENT SITE_DIR [EXPORTS_DIR]
// Exit 77 (ctest: skipped) when jsdom or the folder is not there.
"use strict";
const fs = require("fs");
const path = require("path");

const [modules, site, exportDir] = process.argv.slice(2);  // exportDir: optional folder for the data files
let JSDOM;
try {
  ({JSDOM} = require(path.resolve(modules, "node_modules", "jsdom")));
} catch (e) {
  console.log(`SKIPPED: jsdom is not installed in ${modules} (${e.message.split("\n")[0]})`);
  process.exit(77);
}
for (const f of ["index.html", "disfer-study.js", "disfer-experiment.js", "jspsych/jspsych.js"])
  if (!fs.existsSync(path.join(site, f))) {
    console.log(`SKIPPED: ${path.join(site, f)} is missing (make_experiment did not write the folder)`);
    process.exit(77);
  }

const COLUMNS = ["disfer_format", "disfer_participant", "PROLIFIC_PID", "STUDY_ID", "SESSION_ID", "disfer_playlist",
                 "disfer_order", "disfer_order_id"];
const RATING = ["disfer_task", "disfer_id", "disfer_position", "stimulus", "response", "rt"];
const CHECK = ["disfer_task", "disfer_position", "disfer_after", "disfer_expected", "stimulus", "response"];
let failures = 0;
function fail(where, msg) {
  failures++;
  if (failures <= 40) console.log(`FAIL ${where}: ${msg}`);
}

// mulberry32: the seeded PRNG jsPsych's simulated answers draw from (Math.random of the window).
function mulberry32(seed) {
  return function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// RFC 4180 with CRLF, as jsPsych's csv() writes it: every field quoted, "" for a quote.
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ",") { row.push(field); field = ""; i++; continue; }
    if (c === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i += 2; continue; }
    if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; continue; }
    field += c; i++;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// The study as generated: run disfer-study.js in a bare context.
function readStudy() {
  const vm = require("vm");
  const ctx = {window: {}};
  vm.runInNewContext(fs.readFileSync(path.join(site, "disfer-study.js"), "utf8"), ctx);
  return ctx.window.DISFER_STUDY;
}

// One participant: index.html?query in jsdom, simulated. patch(study) may change the generated
// study before the page reads it; respond(url, init, n) answers fetch (n: 0-based call count).
async function run(query, {seed = 1, patch = null, respond = null, timeout = 20000} = {}) {
  const html = fs.readFileSync(path.join(site, "index.html"), "utf8");
  const url = "file://" + path.resolve(site, "index.html") + query;
  const requests = [];
  const redirects = [];
  const downloads = [];
  const errors = [];
  const {VirtualConsole} = require(path.resolve(modules, "node_modules", "jsdom"));
  const virtualConsole = new VirtualConsole();
  virtualConsole.on("jsdomError", (e) => errors.push(String(e.message || e)));
  virtualConsole.on("error", (e) => errors.push(String(e && e.message || e)));
  const dom = new JSDOM(html, {
    url, runScripts: "dangerously", resources: "usable", pretendToBeVisual: true, virtualConsole,
    beforeParse(window) {
      window.Math.random = mulberry32(seed);
      window.URL.createObjectURL = () => "blob:disfer-test";  // jsdom has no blob URLs (localSave)
      window.HTMLAnchorElement.prototype.click = function () { downloads.push(this.download); };
      window.DISFER_SIMULATE = {mode: "data-only", backoff_ms: [5, 5], redirect: (u) => redirects.push({url: u, after: requests.length})};
      window.fetch = async (u, init = {}) => {
        const n = requests.length;
        requests.push({url: String(u), method: init.method, headers: init.headers || {}, body: init.body});
        const r = respond ? respond(String(u), init, n) : {status: 200, json: {}};
        if (r.throw) throw new Error(r.throw);
        return {ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => r.json || {}};
      };
      if (patch) {
        let value;
        Object.defineProperty(window, "DISFER_STUDY", {configurable: true, get: () => value, set: (v) => { value = patch(v); }});
      }
    },
  });
  const window = dom.window;
  const t0 = Date.now();
  while (!(window.DisferExperiment && window.DisferExperiment.started)) {
    if (Date.now() - t0 > timeout) throw new Error(`the page did not start within ${timeout} ms (${errors.join("; ")})`);
    await new Promise((r) => setTimeout(r, 5));
  }
  await window.DisferExperiment.started;
  const jsPsych = window.DisferExperiment.jsPsych;
  const result = {
    window, requests, redirects, downloads, errors,
    rows: jsPsych ? JSON.parse(jsPsych.data.get().json()) : [],
    json: jsPsych ? jsPsych.data.get().json() : "[]",
    assignment: window.DisferExperiment.assignment,
    error: window.document.getElementById("disfer-error"),
    complete: window.document.getElementById("disfer-complete"),
  };
  return result;
}

// The checks of one simulated participant of (playlist entry p, order index o).
function checkRun(where, r, study, p, o, pid) {
  const order = p.orders[o];
  const trials = order.trials;
  const checks = (order.checks || []).slice().sort((a, b) => a.after - b.after);
  if (r.error) return fail(where, `error page: ${r.error.textContent.trim()}`);
  const rows = r.rows;
  // Every row: the contract's columns.
  const want = {disfer_format: "disfer-experiment 1", disfer_participant: pid, PROLIFIC_PID: pid, STUDY_ID: "study-x",
                SESSION_ID: "session-y", disfer_playlist: p.playlist, disfer_order: o, disfer_order_id: order.order_id};
  rows.forEach((row, i) => {
    for (const c of COLUMNS)
      if (row[c] !== want[c]) fail(where, `row ${i} (${row.trial_type}): ${c} = ${JSON.stringify(row[c])}, expected ${JSON.stringify(want[c])}`);
  });
  // The sequence of tasks: consent, instructions, preload, ratings with the checks, save.
  const tasks = rows.filter((row) => row.disfer_task);
  const ratings = rows.filter((row) => row.disfer_task === "rating");
  const seen = rows.filter((row) => row.disfer_task === "attention");
  const ids = ratings.map((row) => row.disfer_id);
  if (JSON.stringify(ids) !== JSON.stringify(trials.map((t) => t.id)))
    fail(where, `rated ${ids.join(" ")}, expected the order ${trials.map((t) => t.id).join(" ")}`);
  ratings.forEach((row, i) => {
    if (row.disfer_position !== i) fail(where, `rating ${i}: disfer_position ${row.disfer_position}`);
    if (trials[i] && row.stimulus !== trials[i].image) fail(where, `rating ${i}: stimulus ${row.stimulus}, expected ${trials[i].image}`);
    if (row.trial_type !== "image-button-response") fail(where, `rating ${i}: trial_type ${row.trial_type}`);
    if (!(Number.isInteger(row.response) && row.response >= 0 && row.response < study.buttons.length))
      fail(where, `rating ${i}: response ${row.response}`);
    if (row.disfer_category !== study.buttons[row.response].category) fail(where, `rating ${i}: disfer_category ${row.disfer_category}`);
    for (const c of RATING) if (!(c in row)) fail(where, `rating ${i} has no ${c}`);
  });
  if (seen.length !== checks.length) fail(where, `${seen.length} attention checks, expected ${checks.length}`);
  seen.forEach((row, k) => {
    const c = checks[k];
    if (!c) return;
    const before = tasks.slice(0, tasks.indexOf(row)).filter((t) => t.disfer_task === "rating").length;
    if (before !== c.after) fail(where, `check ${k} after ${before} ratings, expected ${c.after}`);
    if (row.disfer_position !== k || row.disfer_after !== c.after || row.disfer_expected !== c.expected || row.stimulus !== c.image)
      fail(where, `check ${k}: ${JSON.stringify(row)} does not match ${JSON.stringify(c)}`);
    for (const col of CHECK) if (!(col in row)) fail(where, `check ${k} has no ${col}`);
  });
  // Trials without a task: consent, instructions, preload (before), the save (after).
  const first = rows.findIndex((row) => row.disfer_task);
  const types = rows.slice(0, first).map((row) => row.trial_type).join(",");
  if (types !== "html-button-response,instructions,preload") fail(where, `before the first rating: ${types}`);
  for (const row of rows)
    if (row.trial_type === "html-button-response" && "stimulus" in row) fail(where, "a page's HTML is in the data");
  // The POST: one, of the data up to the save, as CSV that parses back into the same rows.
  const posts = r.requests.filter((q) => q.method === "POST");
  if (posts.length !== 1) return fail(where, `${posts.length} POSTs`);
  const q = posts[0];
  const save = study.save.url;
  if (q.url !== `${save}${save.includes("?") ? "&" : "?"}participant=${encodeURIComponent(pid)}`) fail(where, `POST to ${q.url}`);
  if (q.headers["Content-Type"] !== "text/csv") fail(where, `Content-Type ${q.headers["Content-Type"]}`);
  const table = parseCsv(q.body);
  const header = table[0];
  for (const c of [...COLUMNS, ...RATING, ...CHECK]) if (!header.includes(c)) fail(where, `the CSV has no column ${c}`);
  const posted = rows.slice(0, rows.length - 1);  // the save trial itself ends after the POST
  if (table.length - 1 !== posted.length) fail(where, `the CSV has ${table.length - 1} rows, expected ${posted.length}`);
  table.slice(1).forEach((line, i) => {
    if (line.length !== header.length) fail(where, `CSV row ${i + 1}: ${line.length} fields, header ${header.length}`);
    const row = posted[i] || {};
    header.forEach((h, j) => {
      const v = row[h] === undefined ? "" : typeof row[h] === "object" ? JSON.stringify(row[h]) : String(row[h]);
      if (line[j] !== v) fail(where, `CSV row ${i + 1} column ${h}: ${JSON.stringify(line[j])}, data ${JSON.stringify(v)}`);
    });
  });
  if (!r.complete) fail(where, "no completion page");
  if (r.redirects.length) fail(where, `redirected to ${r.redirects[0].url} without a completion code`);
}

function fnvReference(s) {  // FNV-1a 32 over UTF-8, written again here (BigInt) to check the page's
  let h = 0x811c9dc5n;
  for (const b of Buffer.from(s, "utf8")) h = ((h ^ BigInt(b)) * 0x01000193n) & 0xffffffffn;
  return Number(h);
}

(async () => {
  const t0 = Date.now();
  const study = readStudy();
  if (!study || study.format !== "disfer-experiment 1") {
    console.log(`FAIL: ${path.join(site, "disfer-study.js")} is not a disfer-experiment 1 study`);
    process.exit(1);
  }
  let runs = 0;
  // Every order of every playlist, each a simulated participant.
  for (const p of study.playlists)
    for (let o = 0; o < p.orders.length; o++) {
      const pid = `sim${p.playlist}x${o}`;
      const where = `playlist ${p.playlist} order ${o}`;
      try {
        const r = await run(`?playlist=${p.playlist}&order=${o}&PROLIFIC_PID=${pid}&STUDY_ID=study-x&SESSION_ID=session-y`,
                            {seed: 1000 * p.playlist + o});
        checkRun(where, r, study, p, o, pid);
        if (exportDir) {  // what a study would save: the POSTed CSV, and jsPsych's own JSON export
          const posts = r.requests.filter((q) => q.method === "POST");
          for (const kind of ["csv", "json"]) fs.mkdirSync(path.join(exportDir, kind), {recursive: true});
          if (posts.length) fs.writeFileSync(path.join(exportDir, "csv", `${pid}.csv`), posts[0].body);
          fs.writeFileSync(path.join(exportDir, "json", `${pid}.json`), r.json);
        }
        r.window.close();
      } catch (e) {
        fail(where, e.stack);
      }
      runs++;
    }
  const p0 = study.playlists[0];
  const n0 = p0.orders.length;
  // The page's FNV-1a against the reference above; known values.
  {
    const r = await run(`?playlist=${p0.playlist}&order=0`);
    const f = r.window.DisferExperiment.fnv1a32;
    for (const [s, h] of [["", 0x811c9dc5], ["a", 0xe40c292c], ["foobar", 0xbf9cf968]])
      if (f(s) !== h) fail("fnv1a32", `fnv1a32(${JSON.stringify(s)}) = ${f(s)}, expected ${h}`);
    for (const s of ["5f4dcc3b5aa765d61d8327de", "ümlaut-ß", "😀x"])
      if (f(s) !== fnvReference(s)) fail("fnv1a32", `fnv1a32(${JSON.stringify(s)}) = ${f(s)}, expected ${fnvReference(s)}`);
    // No PROLIFIC_PID: a random participant id on every row.
    const ids = new Set(r.rows.map((row) => row.disfer_participant));
    if (ids.size !== 1 || !/^anon-[0-9a-f]{16}$/.test([...ids][0])) fail("random id", `participants ${[...ids].join(", ")}`);
    if (r.rows[0].PROLIFIC_PID !== "" || r.rows[0].STUDY_ID !== "") fail("random id", "PROLIFIC_PID or STUDY_ID not empty");
    r.window.close();
    runs++;
  }
  // URL assignment: what is missing is named on an error page, and nothing runs.
  for (const [query, text] of [["", "no playlist and order"], [`?playlist=${p0.playlist}`, "no order"],
                               ["?order=0", "no playlist"], [`?playlist=${p0.playlist}&order=${n0}`, "not one of the orders"],
                               ["?playlist=9999&order=0", "not a playlist of this study"]]) {
    const r = await run(query, {patch: (s) => Object.assign(s, {assignment: "url"})});
    if (!r.error || !r.error.textContent.includes(text))
      fail(`url assignment ${query || "(none)"}`, `expected an error page naming '${text}', got ${r.error ? r.error.textContent.trim() : "none"}`);
    if (r.requests.length) fail(`url assignment ${query}`, "data were sent");
    r.window.close();
    runs++;
  }
  // prolific-hash: the order is FNV-1a 32 of PROLIFIC_PID modulo the playlist's orders.
  for (const pid of ["5f4dcc3b5aa765d61d8327de", "60a1b2c3d4e5f60718293a4b", "abc"]) {
    const r = await run(`?playlist=${p0.playlist}&PROLIFIC_PID=${pid}&STUDY_ID=study-x&SESSION_ID=session-y`,
                        {patch: (s) => Object.assign(s, {assignment: "prolific-hash"})});
    const o = fnvReference(pid) % n0;
    if (!r.assignment || r.assignment.order !== o || r.assignment.how !== "prolific-hash")
      fail(`prolific-hash ${pid}`, `assigned ${JSON.stringify(r.assignment)}, expected order ${o}`);
    else checkRun(`prolific-hash ${pid}`, r, study, p0, o, pid);
    r.window.close();
    runs++;
  }
  {
    const r = await run(`?PROLIFIC_PID=abc`, {patch: (s) => Object.assign(s, {assignment: "prolific-hash"})});
    if (!r.error || !r.error.textContent.includes("names no playlist")) fail("prolific-hash without playlist", "no error page");
    r.window.close();
    runs++;
  }
  // DataPipe: condition c -> playlist c % P, order floor(c / P) % N; the CSV saved as <participant>.csv.
  const P = study.playlists.length;
  for (const c of [0, 1, P + 2, 5 * P + 3]) {
    const pid = `pipe${c}`;
    const r = await run(`?PROLIFIC_PID=${pid}&STUDY_ID=study-x&SESSION_ID=session-y`, {
      patch: (s) => Object.assign(s, {assignment: "datapipe", save: {mode: "datapipe", url: "", experiment_id: "AbCdEfGhIjKl"}}),
      respond: (u) => (u.endsWith("/api/condition/") ? {status: 200, json: {condition: c}} : {status: 200, json: {message: "ok"}}),
    });
    const p = study.playlists[c % P];
    const o = Math.floor(c / P) % p.orders.length;
    const where = `datapipe condition ${c}`;
    if (!r.assignment || r.assignment.playlist !== p.playlist || r.assignment.order !== o) {
      fail(where, `assigned ${JSON.stringify(r.assignment)}, expected playlist ${p.playlist} order ${o}`);
    } else {
      const cond = r.requests[0];
      if (!cond || cond.url !== "https://pipe.jspsych.org/api/condition/" || JSON.parse(cond.body).experimentID !== "AbCdEfGhIjKl")
        fail(where, `condition request ${JSON.stringify(cond)}`);
      const saves = r.requests.filter((q) => q.url === "https://pipe.jspsych.org/api/data/");
      if (saves.length !== 1) fail(where, `${saves.length} DataPipe saves`);
      else {
        const body = JSON.parse(saves[0].body);
        if (body.experimentID !== "AbCdEfGhIjKl" || body.filename !== `${pid}.csv`) fail(where, `saved ${body.filename} to ${body.experimentID}`);
        const table = parseCsv(body.data);
        const ids = table.slice(1).filter((l) => l[table[0].indexOf("disfer_task")] === "rating").map((l) => l[table[0].indexOf("disfer_id")]);
        if (JSON.stringify(ids) !== JSON.stringify(p.orders[o].trials.map((t) => t.id))) fail(where, "the saved CSV does not hold the order");
      }
      if (!r.complete) fail(where, "no completion page");
    }
    r.window.close();
    runs++;
  }
  {
    const r = await run(`?PROLIFIC_PID=x`, {
      patch: (s) => Object.assign(s, {assignment: "datapipe", save: {mode: "datapipe", url: "", experiment_id: "AbCdEfGhIjKl"}}),
      respond: () => ({throw: "network down"}),
    });
    if (!r.error || !r.error.textContent.includes("network down") || !r.error.querySelector("button"))
      fail("datapipe without network", `expected an error page with a retry button, got ${r.error ? r.error.textContent.trim() : "none"}`);
    r.window.close();
    runs++;
  }
  // The save, retried: 2 failures are absorbed by the automatic attempts; 4 show the error page,
  // whose "Try again" (clicked by the simulation) saves on the 5th. With a completion code, the
  // redirect comes only after the successful POST.
  for (const [failing, code] of [[2, ""], [4, "C0DE42"], [0, "C0DE42"]]) {
    const pid = `retry${failing}`;
    const r = await run(`?playlist=${p0.playlist}&order=0&PROLIFIC_PID=${pid}&STUDY_ID=study-x&SESSION_ID=session-y`, {
      patch: (s) => { s.prolific = {completion_code: code}; return s; },
      respond: (u, init, n) => (n < failing ? (n % 2 ? {throw: "offline"} : {status: 503}) : {status: 200}),
    });
    const where = `save after ${failing} failures${code ? " with a completion code" : ""}`;
    const posts = r.requests.filter((q) => q.method === "POST");
    if (posts.length !== failing + 1) fail(where, `${posts.length} POSTs, expected ${failing + 1}`);
    const firstRating = r.rows.findIndex((row) => row.disfer_task === "rating");
    const retries = r.rows.filter((row, i) => i > firstRating && row.trial_type === "html-button-response");
    if (retries.length !== (failing >= 3 ? 1 : 0)) fail(where, `${retries.length} error pages`);
    if (posts.length) {
      const last = parseCsv(posts[posts.length - 1].body);
      const ti = last[0].indexOf("disfer_task");
      if (last.slice(1).filter((l) => l[ti] === "rating").length !== p0.orders[0].trials.length) fail(where, "the saved CSV lacks ratings");
    }
    if (code) {
      const want = `https://app.prolific.com/submissions/complete?cc=${code}`;
      await new Promise((res) => setTimeout(res, 20));
      if (r.redirects.length !== 1 || r.redirects[0].url !== want) fail(where, `redirects ${JSON.stringify(r.redirects)}`);
      else if (r.redirects[0].after !== posts.length) fail(where, "redirected before the last POST");
      if (!r.complete || !r.complete.textContent.includes(code)) fail(where, "the completion page does not show the code");
    } else if (r.redirects.length) fail(where, "redirected without a completion code");
    r.window.close();
    runs++;
  }
  // Download: localSave of <participant>.csv, no request.
  {
    const r = await run(`?playlist=${p0.playlist}&order=1&PROLIFIC_PID=dl1`, {
      patch: (s) => Object.assign(s, {save: {mode: "download", url: "", experiment_id: ""}}),
    });
    if (r.requests.length) fail("download", `${r.requests.length} requests`);
    if (JSON.stringify(r.downloads) !== '["dl1.csv"]') fail("download", `downloads ${JSON.stringify(r.downloads)}`);
    if (!r.complete) fail("download", "no completion page");
    r.window.close();
    runs++;
  }
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (failures) {
    console.log(`FAIL: ${failures} problems in ${runs} simulated participants (${s} s)`);
    process.exit(1);
  }
  console.log(`ok: ${runs} simulated participants (every order of ${study.playlists.length} playlists, ` +
              `assignment, DataPipe, retries, download) in ${s} s`);
})().catch((e) => {
  console.log("FAIL: " + e.stack);
  process.exit(1);
});
