// report.html in headless Chromium (issue 19, point 2): the page fits a 1280 px viewport
// (document scrollWidth <= 1280), every figure is rendered with a non-zero size, every table of the
// reproduction is present with rows, every linked file exists beside the page, and the page loads
// nothing from anywhere (no request other than the page itself).
//   node check_report_html.cjs PUPPETEER_DIR CHROMIUM REPORT_HTML [--screenshot PNG]
// PUPPETEER_DIR holds node_modules/puppeteer-core (the pinned install of the build tree).
"use strict";
const fs = require("fs");
const path = require("path");

const [dir, chromium, report, flag, shot] = process.argv.slice(2);
const puppeteer = require(path.resolve(dir, "node_modules", "puppeteer-core"));
// The titles of the terminal tables the no-data run prints (report/reproduction_tables.hpp).
const TABLES = ["Overall accuracy", "Accuracy per condition", "McNemar", "Agreement and participants",
                "per-class precision and recall", "Off-diagonal error correlation", "Table 1"];

function fail(msg) {
  console.log("FAIL: " + msg);
  process.exitCode = 1;
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1280, height: 900});
    const url = "file://" + path.resolve(report);
    const requests = [];
    page.on("request", (r) => { if (r.url() !== url) requests.push(r.url()); });
    await page.goto(url, {waitUntil: "load"});
    const m = await page.evaluate(() => {
      const svgs = [...document.querySelectorAll("figure svg")].map((s) => {
        const b = s.getBoundingClientRect();
        return {id: s.parentElement.id, width: b.width, height: b.height};
      });
      const tables = [...document.querySelectorAll("section.table")].map((s) => ({
        title: s.querySelector("h3").textContent,
        rows: s.querySelectorAll("tbody tr").length,
      }));
      const links = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"));
      return {scrollWidth: document.documentElement.scrollWidth, svgs, tables, links,
              scripts: document.querySelectorAll("script").length};
    });
    if (m.scrollWidth > 1280) fail(`scrollWidth ${m.scrollWidth} > 1280 at a 1280 px viewport`);
    if (m.svgs.length !== 4) fail(`${m.svgs.length} figures, expected 4`);
    for (const s of m.svgs)
      if (!(s.width > 0 && s.height > 0) || s.width > 1280) fail(`figure ${s.id} rendered ${s.width} x ${s.height}`);
    for (const t of TABLES) {
      const found = m.tables.find((x) => x.title.includes(t));
      if (!found) fail(`no table '${t}'`);
      else if (found.rows === 0) fail(`table '${found.title}' has no row`);
    }
    for (const l of m.links)
      if (!fs.existsSync(path.join(path.dirname(report), l))) fail(`link to ${l}, which is not beside the page`);
    if (m.scripts) fail(`${m.scripts} script elements`);
    if (requests.length) fail(`the page loaded ${requests.join(", ")}`);
    if (flag === "--screenshot") await page.screenshot({path: shot, fullPage: false});
    if (!process.exitCode)
      console.log(`ok: scrollWidth ${m.scrollWidth}, ${m.svgs.length} figures (` +
                  m.svgs.map((s) => `${Math.round(s.width)}x${Math.round(s.height)}`).join(", ") +
                  `), ${m.tables.length} tables, ${m.links.length} links`);
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.log("FAIL: " + e.stack);
  process.exitCode = 1;
});
