// A test-only web server for a generated experiment folder (issue 21): serves the folder
// statically on 127.0.0.1 and takes the participants' data as the page's "post" save mode sends it
// (POST <save path>?participant=ID, Content-Type text/csv), writing each body to
// OUT/<participant>.csv. Not for a real study: it has no authentication and keeps one file per id.
//   node serve.cjs SITE_DIR OUT_DIR [--port N] [--save-path /save]     (prints the address)
// As a module: start({site, out, savePath, failFirst: {participant: n}}) -> {url, close, log, posts}
// failFirst makes the first n POSTs of a participant fail with 503 (the page's retries).
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css",
               ".png": "image/png", ".txt": "text/plain; charset=utf-8", ".json": "application/json"};

function start({site, out, savePath = "/save", failFirst = {}, port = 0}) {
  const root = path.resolve(site);
  const log = [];     // every request: {method, path, status, participant}
  const posts = [];   // every stored body: {participant, file, bytes}
  const failed = {};
  fs.mkdirSync(out, {recursive: true});
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, "http://127.0.0.1");
    const entry = {method: req.method, path: u.pathname, status: 0, participant: u.searchParams.get("participant")};
    log.push(entry);
    const reply = (status, body, type = "text/plain; charset=utf-8") => {
      entry.status = status;
      res.writeHead(status, {"Content-Type": type, "Cache-Control": "no-store"});
      res.end(body);
    };
    if (req.method === "POST" && u.pathname === savePath) {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const id = entry.participant;
        if (!id) return reply(400, "no participant\n");
        if (req.headers["content-type"] !== "text/csv") return reply(415, "expected text/csv\n");
        failed[id] = failed[id] || 0;
        if (failed[id] < (failFirst[id] || 0)) {
          failed[id]++;
          return reply(503, "failing on purpose (test)\n");
        }
        const file = path.join(out, id.replace(/[^A-Za-z0-9_-]/g, "_") + ".csv");
        const body = Buffer.concat(chunks);
        fs.writeFileSync(file, body);
        posts.push({participant: id, file, bytes: body.length});
        reply(200, "saved\n");
      });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") return reply(405, "method not allowed\n");
    let rel;
    try {
      rel = decodeURIComponent(u.pathname);
    } catch (e) {
      return reply(400, "bad path\n");
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(root, "." + rel);
    if (file !== root && !file.startsWith(root + path.sep)) return reply(403, "outside the folder\n");
    fs.readFile(file, (err, data) => {
      if (err) return reply(404, "not found\n");
      reply(200, req.method === "HEAD" ? "" : data, TYPES[path.extname(file)] || "application/octet-stream");
    });
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      resolve({url, log, posts, server, close: () => new Promise((r) => server.close(r))});
    });
  });
}
module.exports = {start};

if (require.main === module) {
  const a = process.argv.slice(2);
  const opt = (name, dflt) => (a.includes(name) ? a[a.indexOf(name) + 1] : dflt);
  if (a.length < 2) {
    console.log("usage: node serve.cjs SITE_DIR OUT_DIR [--port N] [--save-path /save]");
    process.exit(2);
  }
  start({site: a[0], out: a[1], port: Number(opt("--port", 0)), savePath: opt("--save-path", "/save")}).then((s) => {
    console.log(`serving ${a[0]} at ${s.url} (POST ${opt("--save-path", "/save")} -> ${a[1]}); Ctrl-C stops`);
  });
}
