#!/usr/bin/python3
"""Builds the ratio table of benchmarks/compare.sh from the Google Benchmark JSON it collected.

    python3 benchmarks/compare_table.py RESULTS_DIR [--out FILE]

Standard library only. RESULTS_DIR holds (compare.sh writes it; tests/benchmarks/data has a small
committed example):
  header.md            printed first, verbatim (machine, compiler, commit, commands)
  columns.tsv          one column per line: <folder>\t<title>, in order (default first)
  <folder>/bench_inference.json, bench_image.json, bench_agreement.json
                       Google Benchmark JSON (--benchmark_out_format=json) of that column's run;
                       <folder>/<name>.skipped (one line, the reason) instead when it did not run
  tfjs.json            tfjs_wasm_compare.mjs --json output, or tfjs.skipped
  faceapi.json         faceapi_wasm_compare.mjs --json output (face-api on TF.js WASM), or faceapi.skipped
  statsmodels.json     bench_agreement_statsmodels.py --json output, or statsmodels.skipped
  notes.md             optional lines printed after the table (forced paths this CPU lacks, ...)

Each benchmark's value is the median aggregate when the run had repetitions, else the median of
its iteration runs. A cell whose inputs are missing or failed reads "n/a [k]"; note k below the
table says why. The references (TF.js, face-api, statsmodels) are measured once and shared by all columns.
"""
import argparse
import json
import math
import os
import statistics
import sys

TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
BLUR_SIGMAS = ("0.8", "1.1", "1.4")
NOISE_SIGMAS = ("10", "20", "30")
SP_AMOUNTS = ("0.02", "0.04", "0.06")


class Missing(Exception):
    """A value that cannot be computed; the message says why (it becomes a note)."""


class BenchFile:
    """One Google Benchmark JSON file: the runs by run_name, or the reason it is absent."""

    def __init__(self, path):
        self.path = path
        self.runs = {}
        self.reason = None
        skipped = os.path.splitext(path)[0] + ".skipped"
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)  # a malformed file is an error, not a skip
            if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
                raise ValueError(f"{path}: not Google Benchmark JSON (no 'benchmarks' list)")
            groups = {}
            for b in data["benchmarks"]:
                groups.setdefault(b.get("run_name", b["name"]), []).append(b)
            for name, entries in groups.items():
                self.runs[name] = entries
        elif os.path.exists(skipped):
            with open(skipped, encoding="utf-8") as f:
                self.reason = f.read().strip() or "skipped"
        else:
            self.reason = f"{os.path.basename(path)} was not produced"

    def run(self, name):
        """The entries of the run named `name` (exactly, or `name` followed by /options)."""
        if self.reason:
            raise Missing(self.reason)
        for key, entries in self.runs.items():
            if key == name or key.startswith(name + "/"):
                errors = [e for e in entries if e.get("error_occurred")]
                if errors:
                    raise Missing(f"{name}: {errors[0].get('error_message', 'error')}")
                return entries
        raise Missing(f"{name} is not in {os.path.basename(self.path)}")

    def value(self, name, field):
        """The median of `field` (real_time / cpu_time in seconds, or a counter) of a run."""
        entries = self.run(name)
        medians = [e for e in entries if e.get("run_type") == "aggregate" and e.get("aggregate_name") == "median"]
        chosen = medians if medians else [e for e in entries if e.get("run_type", "iteration") == "iteration"]
        values = []
        for e in chosen:
            if field not in e:
                raise Missing(f"{name} has no {field}")
            v = float(e[field])
            if field in ("real_time", "cpu_time"):
                v *= TIME_UNITS[e.get("time_unit", "ns")]
            values.append(v)
        if not values:
            raise Missing(f"{name} has no iteration or median run")
        return statistics.median(values)

    def label(self, name):
        return self.run(name)[0].get("label", "")


class Reference:
    """tfjs.json / statsmodels.json, or the reason they are absent."""

    def __init__(self, results_dir, stem, what):
        self.data = None
        self.reason = None
        path = os.path.join(results_dir, stem + ".json")
        skipped = os.path.join(results_dir, stem + ".skipped")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                self.data = json.load(f)
        elif os.path.exists(skipped):
            with open(skipped, encoding="utf-8") as f:
                self.reason = f"{what}: " + (f.read().strip() or "skipped")
        else:
            self.reason = f"{what}: {stem}.json was not produced"

    def get(self, *keys):
        if self.reason:
            raise Missing(self.reason)
        v = self.data
        for k in keys:
            if not isinstance(v, dict) or k not in v:
                raise Missing(f"{'/'.join(keys)} is not in the reference's JSON")
            v = v[k]
        return float(v)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def times(x):
    return f"{x:.2f}x"


def percent(x):
    return f"{x:.0f}%" if x >= 10 else f"{x:.1f}%"


# Row definitions: (section, label, function(column) -> cell text, function(column) -> raw text or None).
def row_definitions(tfjs, statsmodels, faceapi):
    rows = []

    def xception(batch, threads):
        return f"BM_fer2013_xception/batch:{batch}/threads:{threads}"

    for batch in (1, 256):
        rows.append((
            "network",
            f"FER-2013 network, batch {batch}, 1 thread: disfer ÷ TF.js 4.22 WASM-SIMD (images per CPU-second)",
            lambda c, b=batch: times(c.inference.value(xception(b, 1), "img/cpu-s") / tfjs.get("batches", str(b), "img_per_cpu_s")),
            lambda c, b=batch: f"{c.inference.value(xception(b, 1), 'img/cpu-s'):.1f} vs "
                               f"{tfjs.get('batches', str(b), 'img_per_cpu_s'):.1f} img/CPU-s",
        ))
    def faceapi_net(batch, threads):
        return f"BM_faceapi_expression/batch:{batch}/threads:{threads}"

    for batch in (1, 256):
        rows.append((
            "network",
            f"face-api network, batch {batch}, 1 thread: disfer ÷ face-api 1.7.15 on TF.js 4.22 WASM-SIMD (images per CPU-second)",
            lambda c, b=batch: times(c.inference.value(faceapi_net(b, 1), "img/cpu-s") /
                                     faceapi.get("batches", str(b), "img_per_cpu_s")),
            lambda c, b=batch: f"{c.inference.value(faceapi_net(b, 1), 'img/cpu-s'):.1f} vs "
                               f"{faceapi.get('batches', str(b), 'img_per_cpu_s'):.1f} img/CPU-s",
        ))
    for batch in (1, 256):
        rows.append((
            "network",
            f"FER-2013 network, batch {batch}, 1 thread: GFLOP per CPU-second as % of the measured FP32 FMA peak (path)",
            lambda c, b=batch: percent(100 * c.inference.value(xception(b, 1), "GFLOP/cpu-s") /
                                       c.inference.value("BM_fp32_fma_peak", "GFLOP/cpu-s"))
                               + f" ({c.inference.label('BM_fp32_fma_peak') or '?'})",
            lambda c, b=batch: f"{c.inference.value(xception(b, 1), 'GFLOP/cpu-s'):.1f} of "
                               f"{c.inference.value('BM_fp32_fma_peak', 'GFLOP/cpu-s'):.1f} GFLOP/CPU-s",
        ))
    rows.append((
        "network",
        "FER-2013 network, batch 256: 2 threads ÷ 1 thread (images per wall-clock second)",
        lambda c: times(c.inference.value(xception(256, 2), "img/wall-s") / c.inference.value(xception(256, 1), "img/wall-s")),
        lambda c: f"{c.inference.value(xception(256, 2), 'img/wall-s'):.1f} vs "
                  f"{c.inference.value(xception(256, 1), 'img/wall-s'):.1f} img/wall-s",
    ))

    def image_ratio(c, kind, n, level):
        return c.image.value(f"opencv_{kind}/{n}/{level}", "cpu_time") / c.image.value(f"disfer_{kind}/{n}/{level}", "cpu_time")

    def image_raw(c, kind, levels, n):
        d = [c.image.value(f"disfer_{kind}/{n}/{l}", "cpu_time") for l in levels]
        o = [c.image.value(f"opencv_{kind}/{n}/{l}", "cpu_time") for l in levels]
        return f"{geomean(d) * 1e6:.4g} vs {geomean(o) * 1e6:.4g} us"

    for n in (48, 1024):
        for level, sigma in enumerate(BLUR_SIGMAS):
            rows.append((
                "image",
                f"Gaussian blur {n}x{n} uint8, sigma {sigma}: OpenCV 4 time ÷ disfer time",
                lambda c, n=n, level=level: times(image_ratio(c, "blur", n, level)),
                lambda c, n=n, level=level: image_raw(c, "blur", [level], n),
            ))
    for kind, title, what in (("noise", "Gaussian noise", f"sigma {'/'.join(NOISE_SIGMAS)}"),
                              ("salt_and_pepper", "salt-and-pepper", f"p {'/'.join(SP_AMOUNTS)}")):
        for n in (48, 1024):
            rows.append((
                "image",
                f"{title} {n}x{n} uint8 ({what}, geometric mean): OpenCV 4 time ÷ disfer time",
                lambda c, n=n, kind=kind: times(geomean([image_ratio(c, kind, n, l) for l in range(3)])),
                lambda c, n=n, kind=kind: image_raw(c, kind, range(3), n),
            ))

    def fleiss(rows_, nonnull):
        return f"fleiss_kappa_int64{'_nonnull_se' if nonnull else ''}/rows:{rows_}/portable:0"

    def plain(rows_):
        return f"plain_sum_int64/rows:{rows_}"

    for nonnull, what in ((False, "kappa + se0, z, p"), (True, "with the non-null SE and interval")):
        for n, exp in ((1_000_000, "10^6"), (10_000_000, "10^7")):
            rows.append((
                "agreement",
                f"Fleiss' kappa {exp} x 7 int64, {what}: disfer time ÷ plain-sum floor (1.00 = at the floor)",
                lambda c, n=n, nonnull=nonnull: times(c.agreement.value(fleiss(n, nonnull), "real_time") /
                                                      c.agreement.value(plain(n), "real_time")),
                lambda c, n=n, nonnull=nonnull: f"{c.agreement.value(fleiss(n, nonnull), 'real_time') * 1e3:.3g} vs "
                                                f"{c.agreement.value(plain(n), 'real_time') * 1e3:.3g} ms",
            ))
    for nonnull, what in ((False, "kappa + se0, z, p"), (True, "with the non-null SE")):
        for n, exp in ((1_000_000, "10^6"), (10_000_000, "10^7")):
            rows.append((
                "agreement",
                f"Fleiss' kappa {exp} x 7, {what}: statsmodels time (kappa only) ÷ disfer time",
                lambda c, n=n, nonnull=nonnull: times(statsmodels.get("runs", str(n), "seconds") /
                                                      c.agreement.value(fleiss(n, nonnull), "real_time")),
                lambda c, n=n, nonnull=nonnull: f"{c.agreement.value(fleiss(n, nonnull), 'real_time') * 1e3:.3g} vs "
                                                f"{statsmodels.get('runs', str(n), 'seconds') * 1e3:.4g} ms",
            ))
    return rows


class Column:
    def __init__(self, results_dir, folder, title):
        self.folder = folder
        self.title = title
        base = os.path.join(results_dir, folder)
        self.inference = BenchFile(os.path.join(base, "bench_inference.json"))
        self.image = BenchFile(os.path.join(base, "bench_image.json"))
        self.agreement = BenchFile(os.path.join(base, "bench_agreement.json"))


def read_columns(results_dir):
    path = os.path.join(results_dir, "columns.tsv")
    columns = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            folder, _, title = line.partition("\t")
            columns.append(Column(results_dir, folder, title or folder))
    if not columns:
        raise ValueError(f"{path} names no column")
    return columns


def build(results_dir):
    """Returns (columns, rows, notes): rows as [label, cell per column..., values of the first
    column], notes as the reasons of the n/a cells in the order of their numbers."""
    columns = read_columns(results_dir)
    tfjs = Reference(results_dir, "tfjs", "TF.js WASM")
    statsmodels = Reference(results_dir, "statsmodels", "statsmodels")
    faceapi = Reference(results_dir, "faceapi", "face-api on TF.js WASM")
    notes = []

    def note(reason):
        if reason not in notes:
            notes.append(reason)
        return f"n/a [{notes.index(reason) + 1}]"

    rows = []
    for _section, label, cell, raw_cell in row_definitions(tfjs, statsmodels, faceapi):
        cells = [label]
        for c in columns:
            try:
                cells.append(cell(c))
            except Missing as e:
                cells.append(note(str(e)))
        try:
            cells.append(raw_cell(columns[0]))
        except Missing as e:
            cells.append(note(str(e)))
        rows.append(cells)
    return columns, rows, notes


def markdown(results_dir):
    """The whole text compare.sh prints: header.md, the table, the notes."""
    columns, rows, notes = build(results_dir)
    out = []
    header = os.path.join(results_dir, "header.md")
    if os.path.exists(header):
        with open(header, encoding="utf-8") as f:
            out.append(f.read().rstrip("\n"))
        out.append("")
    titles = [c.title for c in columns] + [f"values behind the ratio ({columns[0].title}): disfer vs reference"]
    out.append("| work item: ratio | " + " | ".join(titles) + " |")
    out.append("|---|" + "---|" * len(titles))
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    if notes:
        out.append("")
        for i, n in enumerate(notes, 1):
            out.append(f"- [{i}] n/a: {n}")
    extra = os.path.join(results_dir, "notes.md")
    if os.path.exists(extra):
        with open(extra, encoding="utf-8") as f:
            text = f.read().rstrip("\n")
        if text:
            out.append("")
            out.append(text)
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description="The ratio table of benchmarks/compare.sh")
    parser.add_argument("results_dir")
    parser.add_argument("--out", help="also write the table to this file")
    args = parser.parse_args(argv)
    text = markdown(args.results_dir)
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
