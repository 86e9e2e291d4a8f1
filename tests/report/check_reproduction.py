#!/usr/bin/env python3
"""Checks the outputs of examples/reproduce_disfer (run as ctests; standard library only: the
rendered PNG is decoded here with zlib).

  check_reproduction.py outputs DIR             every CSV, the JSON and every SVG exist; CSVs parse
  check_reproduction.py svg DIR K               each SVG renders with rsvg-convert to a PNG that is
                                                not blank; every heatmap has K x K cells
  check_reproduction.py identical DIR1 DIR2 [PATH]
                                               CSV and JSON files byte-identical (with PATH: but
                                               for provenance.simd_path, which must be PATH in DIR2)
  check_reproduction.py xception|faceapi DIR FER2013 CLASSIFY_IMAGES   that bundled network's labels
                                                on the clean sources equal classify_images
                                                --network's on those rows
"""
import csv
import json
import os
import re
import subprocess
import sys
import struct
import tempfile
import zlib


def read_png_gray(path):
    """Decodes an 8-bit, non-interlaced PNG (as rsvg-convert writes: RGBA) to rows of gray values,
    alpha composited on white."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, width, height, depth, ctype = 8, b"", 0, 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace != 0 or ctype not in (0, 2, 4, 6):
                fail(f"{path}: unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        gray = []
        for x in range(width):
            px = line[x * channels:(x + 1) * channels]
            v = sum(px[:3]) / 3 if channels >= 3 else px[0]
            alpha = px[-1] / 255 if channels in (2, 4) else 1.0
            gray.append(v * alpha + 255 * (1 - alpha))
        rows.append(gray)
    return width, height, rows

CSV_FILES = ["overall_accuracy.csv", "accuracy_by_condition.csv", "mcnemar.csv", "fleiss_kappa.csv",
             "item_agreement.csv", "item_agreement_per_stimulus.csv", "table1.csv", "participant_accuracy.csv",
             "participant_summary.csv", "precision_recall.csv", "error_correlation.csv", "confusion_matrices.csv"]
SVG_FILES = ["figure2_accuracy.svg", "figure3_confusion.svg", "figure4_error_correlation.svg",
             "figure5_blur_offdiagonal.svg"]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def outputs(d):
    with open(os.path.join(d, "reproduction.json")) as fh:
        measured_only = json.load(fh)["provenance"].get("report_simulated") is False
    # Under --simulate none (auto with data) the human results and the comparisons with them may be
    # header-only files: nothing measured to report.
    may_be_empty = {"table1.csv"} | ({"mcnemar.csv", "fleiss_kappa.csv", "item_agreement.csv",
                                      "item_agreement_per_stimulus.csv", "participant_accuracy.csv",
                                      "participant_summary.csv", "error_correlation.csv"} if measured_only else set())
    for f in CSV_FILES:
        p = os.path.join(d, f)
        if not os.path.isfile(p):
            fail(f"{p} missing")
        with open(p, newline="") as fh:
            rows = list(csv.reader(fh))
        if len(rows) < 2 and f not in may_be_empty:
            fail(f"{p} has no data row")
        if any(len(r) != len(rows[0]) for r in rows):
            fail(f"{p} is ragged")
        if "origin" in rows[0]:
            col = rows[0].index("origin")
            allowed = ("measured",) if measured_only else ("measured", "simulated", "mixed")
            bad = [r for r in rows[1:] if r[col] not in allowed]
            if bad:
                fail(f"{p}: rows without a valid origin: {bad[:2]}")
    with open(os.path.join(d, "reproduction.json")) as fh:
        j = json.load(fh)
    for key in ("provenance", "data", "accuracy", "mcnemar", "fleiss_kappa", "item_agreement", "table1",
                "participants", "precision_recall", "error_correlation", "confusion_matrices"):
        if key not in j:
            fail(f"reproduction.json lacks '{key}'")
    for key in ("disfer_version", "random_stream_version", "seed", "options", "inputs", "simd_path"):
        if key not in j["provenance"]:
            fail(f"provenance lacks '{key}'")
    if j["provenance"]["simd_path"] not in SIMD_PATHS:
        fail(f"provenance.simd_path '{j['provenance']['simd_path']}' is not one of {SIMD_PATHS}")
    for f in SVG_FILES:
        if not os.path.isfile(os.path.join(d, f)):
            fail(f"{f} missing")
    print(f"ok: {len(CSV_FILES)} CSV, reproduction.json, {len(SVG_FILES)} SVG")


def svg(d, k):
    k = int(k)
    with tempfile.TemporaryDirectory() as tmp:
        for f in SVG_FILES:
            text = open(os.path.join(d, f)).read()
            for m in re.finditer(r'<g class="heatmap" data-rows="(\d+)" data-columns="(\d+)">(.*?)</g>', text, re.S):
                rows, cols = int(m.group(1)), int(m.group(2))
                cells = len(re.findall(r'<rect class="cell"', m.group(3)))
                if rows != k or cols != k or cells != k * k:
                    fail(f"{f}: heatmap {rows} x {cols} with {cells} cells, expected {k} x {k}")
            png = os.path.join(tmp, f + ".png")
            subprocess.run(["rsvg-convert", "--zoom", "0.5", "-o", png, os.path.join(d, f)], check=True)
            width, height, gray = read_png_gray(png)
            if width == 0 or height == 0:
                fail(f"{f}: rsvg-convert gave an empty image")
            values = [v for row in gray for v in row]
            ink = sum(1 for v in values if v < 200) / len(values)
            if ink < 0.002 or min(values) == max(values):
                fail(f"{f}: rendered PNG is blank (ink share {ink})")
            heatmaps = text.count('class="heatmap"')
            print(f"ok: {f} renders ({width} x {height}, ink {ink:.3f}), {heatmaps} heatmaps")


SIMD_PATHS = ("portable", "sse2", "avx2", "avx512")


def simd_path_of(text, where):
    m = re.findall(r'"simd_path": ?"([a-z0-9]+)"', text)
    if len(m) != 1 or m[0] not in SIMD_PATHS:
        fail(f"{where}: reproduction.json has no simd_path among {SIMD_PATHS} (found {m})")
    return m[0]


def identical(a, b, path_b=None):
    n = 0
    for f in CSV_FILES + ["reproduction.json"]:
        ta = open(os.path.join(a, f), "rb").read()
        tb = open(os.path.join(b, f), "rb").read()
        if path_b is not None and f == "reproduction.json":
            pa, pb = simd_path_of(ta.decode(), a), simd_path_of(tb.decode(), b)
            if pb != path_b:
                fail(f"{b}: simd_path is '{pb}', not '{path_b}' (DISFER_SIMD)")
            ta, tb = (re.sub(rb'("simd_path": ?)"[a-z0-9]+"', rb'\1"PATH"', t) for t in (ta, tb))
            print(f"simd_path: {a}: {pa}, {b}: {pb}")
        if ta != tb:
            fail(f"{f} differs between {a} and {b}")
        n += 1
    print(f"ok: {n} files byte-identical")


PREDICTION_FILES = {"xception": "predictions_fer2013_xception.csv", "faceapi": "predictions_faceapi_expression.csv"}


def network(d, fer2013, classify_images, name="xception"):
    """A bundled network's labels on the clean sources, as reproduce_disfer wrote them, against
    classify_images --network NAME run on the same FER-2013 rows (a file holding just those rows,
    in row order)."""
    ours = {}
    with open(os.path.join(d, PREDICTION_FILES[name]), newline="") as fh:
        for r in csv.DictReader(fh):
            m = re.fullmatch(r"fer(\d+)_orig", r["stimulus"])
            if m:
                ours[int(m.group(1))] = r["label"]
    if len(ours) == 0:
        fail("no clean-source predictions")
    rows = sorted(ours)
    with open(fer2013, newline="") as fh:
        data = list(csv.reader(fh))
    with tempfile.TemporaryDirectory() as tmp:
        subset = os.path.join(tmp, "subset.csv")
        with open(subset, "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(data[0])
            for row in rows:
                w.writerow(data[row + 1])
        out = os.path.join(tmp, "classify.csv")
        subprocess.run([classify_images, "--network", name, "--fer2013", subset, "--out", out, "--threads", "2"],
                       check=True)
        with open(out, newline="") as fh:
            theirs = [r["label"] for r in csv.DictReader(fh)]
    if len(theirs) != len(rows):
        fail(f"classify_images gave {len(theirs)} labels for {len(rows)} rows")
    diff = [row for row, label in zip(rows, theirs) if ours[row] != label]
    if diff:
        fail(f"{len(diff)} of {len(rows)} clean sources differ, e.g. row {diff[0]}")
    print(f"ok: {len(rows)} clean sources: reproduce_disfer and classify_images --network {name} agree on every label")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd in PREDICTION_FILES:  # xception | faceapi: the network's clean-source labels
        network(*args, name=cmd)
    else:
        {"outputs": outputs, "svg": svg, "identical": identical}[cmd](*args)
