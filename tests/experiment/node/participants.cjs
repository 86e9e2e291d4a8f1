// Three scripted participants complete a generated experiment in headless Chromium (issue 21).
// The folder is served by a test-only server on 127.0.0.1 (serve.cjs, port 0), which takes the
// POSTed CSV of each participant into OUT/posted/<participant>.csv. The participants take three
// different playlists (URL ?playlist=P&order=O&PROLIFIC_PID=...&STUDY_ID=...&SESSION_ID=...), click
// "I agree", "Start", then on every image one of the seven buttons drawn by a seeded PRNG, and on
// the attention checks the button asked for, except participant 2, who fails its second check.
// Participant 1's first POST fails (the page retries by itself); participant 3's first three fail,
// so the page shows its error and "Try again", and it has a Prolific completion code: the redirect
// must come after the POST was stored. What was clicked goes to OUT/clicks.json:
//   {participants: [{participant, playlist, order, order_id, file,
//                    ratings: [{position, id, response, label, category}],
//                    checks: [{position, after, expected, expected_category, clicked, clicked_category, passed}]}]}
// Checked here: each screen shows the order's next image (drawn on the canvas) with the seven buttons
// in the study's order, the checks at their places with their question, nothing requested outside
// 127.0.0.1 (the Prolific page is answered by the test), no failed GET, no page error, and the POSTed
// CSV holds exactly what was clicked with every contract column. reproduce_disfer reads the files
// back in the next ctest (check_votes.py).
//   node participants.cjs NODE_MODULES_PARENT CHROMIUM SITE_DIR OUT_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const {start} = require("./serve.cjs");

const [modules, chromium, site, out] = process.argv.slice(2);
const puppeteer = require(path.resolve(modules, "node_modules", "puppeteer-core"));
const COLUMNS = ["disfer_format", "disfer_participant", "PROLIFIC_PID", "STUDY_ID", "SESSION_ID", "disfer_playlist",
                 "disfer_order", "disfer_order_id"];
const WAIT = {timeout: 30000};  // per screen; generous for a loaded CI machine
let failures = 0;
function fail(msg) {
  failures++;
  console.log("FAIL: " + msg);
}

function mulberry32(seed) {
  return function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parseCsv(text) {  // RFC 4180, every field quoted by jsPsych, CRLF
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; } else if (c === "\n") { row.push(field.replace(/\r$/, "")); rows.push(row); row = []; field = ""; } else field += c;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  const header = rows.shift();
  return rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
}

async function participant(browser, server, study, who, log) {
  const {pid, playlist, order, code} = who;
  const p = study.playlists.find((x) => x.playlist === playlist);
  const o = p.orders[order];
  const checks = (o.checks || []).slice().sort((a, b) => a.after - b.after);
  const rnd = mulberry32(who.seed);
  const labels = study.buttons.map((b) => b.label);
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const prolific = [];
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    const u = r.url();
    if (u.startsWith(server.url) || u.startsWith("data:")) return r.continue();  // data: the fonts of jspsych.css
    if (u.startsWith("https://app.prolific.com/")) {  // answered here; only the navigation counts
      if (r.isNavigationRequest()) prolific.push({url: u, stored: server.posts.filter((x) => x.participant === pid).length});
      return r.respond({status: 200, contentType: "text/html",
                        body: "<link rel='icon' href='data:,'><p>Prolific (answered by the test)</p>"});
    }
    fail(`${pid}: the page requested ${u.slice(0, 200)}, outside the served folder`);
    r.abort();
  });
  page.on("pageerror", (e) => fail(`${pid}: page error ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error" && !/503/.test(m.text())) fail(`${pid}: console error ${m.text()}`); });
  if (code)
    await page.evaluateOnNewDocument((c) => {
      // The generated study has no completion code; this participant's copy gets one.
      let v;
      Object.defineProperty(window, "DISFER_STUDY", {configurable: true, get: () => v,
                                                     set: (x) => { x.prolific = {completion_code: c}; v = x; }});
    }, code);
  const query = `?playlist=${playlist}&order=${order}&PROLIFIC_PID=${pid}&STUDY_ID=${who.study}&SESSION_ID=${who.session}`;
  await page.goto(server.url + "index.html" + query, {waitUntil: "load"});

  // Consent, then the instructions.
  await page.waitForSelector("#jspsych-html-button-response-btngroup button", WAIT);
  const agree = await page.$$eval("#jspsych-html-button-response-btngroup button", (b) => b.map((x) => x.textContent));
  if (JSON.stringify(agree) !== '["I agree"]') fail(`${pid}: consent buttons ${JSON.stringify(agree)}`);
  await page.click("#jspsych-html-button-response-btngroup button");
  await page.waitForSelector("#jspsych-instructions-next", WAIT);
  const instructions = await page.$eval("#jspsych-display-element, body", (e) => e.innerText);
  for (const l of labels) if (!instructions.includes(l)) fail(`${pid}: the instructions do not name ${l}`);
  if (!instructions.includes(`${o.trials.length} faces`)) fail(`${pid}: the instructions do not say ${o.trials.length} faces`);
  await page.click("#jspsych-instructions-next");

  // The image screens: n ratings and the checks.
  const record = {participant: pid, playlist, order, order_id: o.order_id, ratings: [], checks: []};
  let rated = 0, checked = 0;
  for (let screen = 0; screen < o.trials.length + checks.length; screen++) {
    await page.waitForFunction(() => {
      const t = window.DisferExperiment && window.DisferExperiment.jsPsych && window.DisferExperiment.jsPsych.getCurrentTrial();
      const c = document.querySelector("#jspsych-image-button-response-stimulus");
      const b = document.querySelectorAll("#jspsych-image-button-response-btngroup button:not([disabled])");
      return t && t.data && t.data.disfer_task && c && c.width > 0 && b.length > 0;
    }, WAIT);
    const s = await page.evaluate(() => {
      const t = window.DisferExperiment.jsPsych.getCurrentTrial();
      const c = document.querySelector("#jspsych-image-button-response-stimulus");
      return {data: t.data, stimulus: t.stimulus, index: window.DisferExperiment.jsPsych.getProgress().current_trial_global,
              buttons: [...document.querySelectorAll("#jspsych-image-button-response-btngroup button")].map((b) => b.textContent),
              text: document.querySelector("#jspsych-display-element, body").innerText, size: [c.width, c.height]};
    });
    if (JSON.stringify(s.buttons) !== JSON.stringify(labels)) fail(`${pid} screen ${screen}: buttons ${s.buttons.join(",")}`);
    const check = checked < checks.length && checks[checked].after === rated ? checks[checked] : null;
    let choice;
    if (check) {
      if (s.data.disfer_task !== "attention" || s.data.disfer_position !== checked || s.stimulus !== check.image)
        fail(`${pid} screen ${screen}: expected check ${checked} (${check.image}), got ${JSON.stringify(s.data)} ${s.stimulus}`);
      const asked = labels[check.expected];
      if (!s.text.includes(`click ${asked}`) && !s.text.includes(asked)) fail(`${pid} check ${checked}: the question does not name ${asked}`);
      choice = who.failCheck === checked ? (check.expected + 1 + Math.floor(rnd() * (labels.length - 1))) % labels.length : check.expected;
      record.checks.push({position: checked, after: check.after, expected: check.expected,
                          expected_category: study.buttons[check.expected].category, clicked: choice,
                          clicked_category: study.buttons[choice].category, passed: choice === check.expected});
      checked++;
    } else {
      const t = o.trials[rated];
      if (s.data.disfer_task !== "rating" || s.data.disfer_id !== t.id || s.data.disfer_position !== rated || s.stimulus !== t.image)
        fail(`${pid} screen ${screen}: expected rating ${rated} of ${t.id}, got ${JSON.stringify(s.data)} ${s.stimulus}`);
      if (!s.text.includes("Which emotion")) fail(`${pid} rating ${rated}: no question`);
      choice = Math.floor(rnd() * labels.length);
      record.ratings.push({position: rated, id: t.id, response: choice, label: labels[choice],
                           category: study.buttons[choice].category});
      rated++;
    }
    if (!(s.size[0] > 0 && s.size[1] > 0)) fail(`${pid} screen ${screen}: the image was not drawn`);
    await page.click(`#jspsych-image-button-response-btngroup [data-choice="${choice}"]`);
    await page.waitForFunction((i) => window.DisferExperiment.jsPsych.getProgress().current_trial_global !== i, WAIT, s.index);
  }

  // Saving: participant 3's three automatic attempts fail, then the error page and "Try again".
  if ((who.failFirst || 0) >= 3) {
    await page.waitForFunction(() => document.body.innerText.includes("could not be saved"), WAIT);
    const stored = server.posts.filter((x) => x.participant === pid).length;
    if (stored) fail(`${pid}: data stored before the retry`);
    await page.click("#jspsych-html-button-response-btngroup button");
  }
  await page.waitForSelector("#disfer-complete", WAIT);
  const done = await page.$eval("#disfer-complete", (e) => e.innerText);
  if (!done.includes("Thank you")) fail(`${pid}: completion page ${JSON.stringify(done)}`);
  if (code) {
    const t0 = Date.now();
    while (!prolific.length && Date.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 50));
    const want = `https://app.prolific.com/submissions/complete?cc=${code}`;
    if (prolific.length !== 1 || prolific[0].url !== want) fail(`${pid}: Prolific redirects ${JSON.stringify(prolific)}`);
    else if (prolific[0].stored !== 1) fail(`${pid}: redirected to Prolific with ${prolific[0].stored} stored POSTs`);
  } else if (prolific.length) fail(`${pid}: redirected to Prolific without a completion code`);

  // The POSTs this participant made and what was stored.
  const mine = server.log.filter((e) => e.method === "POST" && e.participant === pid);
  const want = (who.failFirst || 0) + 1;
  if (mine.length !== want || mine[mine.length - 1].status !== 200)
    fail(`${pid}: POSTs ${mine.map((e) => e.status).join(",")}, expected ${want} ending in 200`);
  const stored = server.posts.filter((x) => x.participant === pid);
  if (stored.length !== 1) fail(`${pid}: ${stored.length} stored files`);
  else {
    record.file = stored[0].file;
    const rows = parseCsv(fs.readFileSync(stored[0].file, "utf8"));
    const values = {disfer_format: "disfer-experiment 1", disfer_participant: pid, PROLIFIC_PID: pid, STUDY_ID: who.study,
                    SESSION_ID: who.session, disfer_playlist: String(playlist), disfer_order: String(order),
                    disfer_order_id: String(o.order_id)};
    rows.forEach((r, i) => {
      for (const c of COLUMNS) if (r[c] !== values[c]) fail(`${pid} CSV row ${i + 1}: ${c} = ${JSON.stringify(r[c])}`);
    });
    const ratings = rows.filter((r) => r.disfer_task === "rating");
    const got = ratings.map((r) => [r.disfer_position, r.disfer_id, r.response, r.stimulus].join(" "));
    const exp = record.ratings.map((r) => [r.position, r.id, r.response, `images/${r.id}.png`].join(" "));
    if (JSON.stringify(got) !== JSON.stringify(exp)) fail(`${pid}: the CSV's ratings ${got.join("; ")} differ from the clicks ${exp.join("; ")}`);
    for (const r of ratings) if (!(Number(r.rt) >= 0)) fail(`${pid}: rating ${r.disfer_position} rt ${r.rt}`);
    const att = rows.filter((r) => r.disfer_task === "attention").map((r) => [r.disfer_position, r.disfer_after, r.disfer_expected, r.response].join(" "));
    const attExp = record.checks.map((c) => [c.position, c.after, c.expected, c.clicked].join(" "));
    if (JSON.stringify(att) !== JSON.stringify(attExp)) fail(`${pid}: the CSV's checks ${att.join("; ")} differ from ${attExp.join("; ")}`);
  }
  // Every image of the order and of its checks was fetched from the folder.
  const got = new Set(server.log.filter((e) => e.method === "GET" && e.status === 200).map((e) => e.path));
  for (const img of [...o.trials.map((t) => t.image), ...checks.map((c) => c.image)])
    if (!got.has("/" + img)) fail(`${pid}: ${img} was never served`);
  log.push(`${pid}: playlist ${playlist} order ${order} (order_id ${o.order_id}), ${record.ratings.length} ratings, ` +
           `${record.checks.filter((c) => !c.passed).length} of ${record.checks.length} checks failed, ` +
           `${mine.length} POST${mine.length > 1 ? "s" : ""}${code ? ", then Prolific" : ""}`);
  await context.close();
  return record;
}

(async () => {
  const t0 = Date.now();
  const ctx = {window: {}};
  vm.runInNewContext(fs.readFileSync(path.join(site, "disfer-study.js"), "utf8"), ctx);
  const study = ctx.window.DISFER_STUDY;
  if (!study || study.save.mode !== "post") throw new Error(`${site}: expected a study saving by POST`);
  const P = study.playlists.length;
  const picks = [1 % P, Math.floor(P / 2), P - 1];
  if (new Set(picks).size < 3) throw new Error(`${site}: needs 3 playlists, has ${P}`);
  const who = picks.map((i, k) => {
    const p = study.playlists[i];
    return {pid: `60d0c0ffee00000000000a0${k + 1}`, playlist: p.playlist, order: k % p.orders.length, seed: 2022 + k,
            study: "65aa00000000000000000042", session: `session-${k + 1}`};
  });
  who[0].failFirst = 1;
  who[1].failCheck = 1;
  who[2].failFirst = 3;
  who[2].code = "CDISFER1";
  const failFirst = Object.fromEntries(who.filter((w) => w.failFirst).map((w) => [w.pid, w.failFirst]));
  const posted = path.join(out, "posted");
  fs.rmSync(out, {recursive: true, force: true});
  const server = await start({site, out: posted, savePath: "/" + study.save.url.replace(/^\/+/, ""), failFirst});
  const browser = await puppeteer.launch({executablePath: chromium, headless: true,
                                          args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]});
  const log = [];
  const records = [];
  try {
    for (const w of who) records.push(await participant(browser, server, study, w, log));
  } finally {
    await browser.close();
    await server.close();
  }
  const bad = server.log.filter((e) => e.method === "GET" && e.status !== 200);
  for (const e of bad) fail(`GET ${e.path} answered ${e.status}`);
  fs.writeFileSync(path.join(out, "clicks.json"), JSON.stringify({
    source: "tests/experiment/node/participants.cjs: three scripted participants in headless Chromium",
    participants: records}, null, 1) + "\n");
  for (const l of log) console.log(l);
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (failures) {
    console.log(`FAIL: ${failures} problems (${s} s)`);
    process.exit(1);
  }
  console.log(`ok: 3 participants completed the experiment in headless Chromium; their answers are in ` +
              `${posted}, what they clicked in ${path.join(out, "clicks.json")} (${s} s)`);
})().catch((e) => {
  console.log("FAIL: " + e.stack);
  process.exit(1);
});
