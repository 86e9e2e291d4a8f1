#!/usr/bin/env python3
"""Checks of the stimulus manifest programs (docs/io.md, "Stimulus manifest"); run by ctest.

  check_manifest.py hashes DIR                 write_conditions' manifest: pixels_sha256 and
                                               file_sha256 of every row against hashlib
  check_manifest.py no-partial CLASSIFY IMAGE  a classify_images that fails on its manifest leaves
                                               no predictions file
  check_manifest.py refuse CLASSIFY IMAGE      an existing --out is kept and the message names
                                               --overwrite
  check_manifest.py model-dir CLASSIFY IMAGE   DISFER_MODEL_DIR=/nonexistent: exit 1, an error
                                               naming the variable and the path, no output
  check_manifest.py help PROGRAM OPTION...     PROGRAM --help exits 0 on stdout and says what it
                                               reads, what it writes, every OPTION, an example
  check_manifest.py pipeline MAKE CLASSIFY REPRODUCE FER2013_CSV WORKDIR
                                               make_disfer_stimuli -> classify_images --manifest
                                               -> reproduce_disfer --stimuli on one manifest file

Exit code 77 (skip) when classify_images says the model is not installed.
"""
import csv
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(args, env=None, expect=0):
    print("$ " + " ".join(args))
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    sys.stdout.write(p.stdout)
    sys.stdout.write(p.stderr)
    if p.returncode == 77 and expect != 77:
        print("skipped: the model is not available")
        sys.exit(77)
    if expect is not None and p.returncode != expect:
        fail("%s exited %d, expected %d" % (args[0], p.returncode, expect))
    return p


def manifest_rows(path):
    with open(path, newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


def read_pgm(path):
    """(height, width, pixel bytes) of an 8-bit P5 PGM."""
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5" or int(fields[3]) != 255:
        fail(path + ": not an 8-bit P5 PGM")
    w, h = int(fields[1]), int(fields[2])
    return h, w, data[pos + 1:pos + 1 + w * h]


def hashes(folder):
    rows = manifest_rows(os.path.join(folder, "manifest.csv"))
    if not rows:
        fail("no rows in the manifest")
    for r in rows:
        if "pixels_sha256" not in r or "file_sha256" not in r:
            fail("the manifest has no pixels_sha256 / file_sha256 column: " + ", ".join(r.keys()))
        path = os.path.join(folder, r["file"])
        file_hash = hashlib.sha256(open(path, "rb").read()).hexdigest()
        if r["file_sha256"] != file_hash:
            fail("%s: file_sha256 %s, sha256 of the file %s" % (r["file"], r["file_sha256"], file_hash))
        h, w, pixels = read_pgm(path)
        # image_sha256: rank, extents (little-endian 64-bit), then the pixels row-major.
        pixel_hash = hashlib.sha256(struct.pack("<QQQ", 2, h, w) + pixels).hexdigest()
        if r["pixels_sha256"] != pixel_hash:
            fail("%s: pixels_sha256 %s, expected %s" % (r["file"], r["pixels_sha256"], pixel_hash))
        if r["pixels_sha256"] == r["file_sha256"]:
            fail("pixels_sha256 equals file_sha256")
    print("%d rows: pixels_sha256 and file_sha256 match hashlib" % len(rows))


def no_partial(classify, image):
    with tempfile.TemporaryDirectory() as d:
        manifest = os.path.join(d, "manifest.csv")
        stem = os.path.splitext(os.path.basename(image))[0]
        with open(manifest, "w") as f:  # no condition column: an error
            f.write("id,label\n%s,happy\n" % stem)
        out = os.path.join(d, "predictions.csv")
        p = run([classify, "--manifest", manifest, "--out", out, image], expect=None)
        if p.returncode == 0:
            fail("classify_images accepted a manifest without a condition column")
        left = sorted(os.listdir(d))
        if left != ["manifest.csv"]:
            fail("a failed run left %s" % left)
        if "missing column 'condition'" not in p.stderr:
            fail("the error does not name the missing column")
    print("no output left by the failed run")


def refuse(classify, image):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "predictions.csv")
        with open(out, "w") as f:
            f.write("keep me\n")
        p = run([classify, "--out", out, image], expect=1)
        if "--overwrite" not in p.stderr or out not in p.stderr:
            fail("the refusal does not name --overwrite and the file")
        if open(out).read() != "keep me\n":
            fail("the existing file was changed")
        run([classify, "--out", out, "--overwrite", image])
        if open(out).read() == "keep me\n":
            fail("--overwrite did not replace the file")
    print("refusal names --overwrite; --overwrite replaces")


def model_dir(classify, image):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "predictions.csv")
        env = dict(os.environ, DISFER_MODEL_DIR="/nonexistent")
        p = run([classify, "--out", out, image], env=env, expect=1)
        if "DISFER_MODEL_DIR" not in p.stderr or "'/nonexistent'" not in p.stderr:
            fail("the error does not name DISFER_MODEL_DIR and its value")
        if os.listdir(d):
            fail("output written: %s" % os.listdir(d))
    print("DISFER_MODEL_DIR=/nonexistent is an error")


def pipeline(make, classify, reproduce, fer2013, work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    stimuli = os.path.join(work, "stimuli")
    manifest = os.path.join(stimuli, "manifest.csv")
    predictions = os.path.join(work, "xception.csv")
    run([make, "--input", fer2013, "--output", stimuli, "--per-emotion", "2", "--playlists", "14",
         "--playlist-size", "10", "--participants", "1", "--format", "pgm"])
    if not open(manifest).readline().startswith("#"):
        fail("make_disfer_stimuli's manifest does not start with '#' provenance lines")
    p = run([classify, "--manifest", manifest, "--out", predictions, "--threads", "2"])
    rows = manifest_rows(manifest)
    if "classified %d images" % len(rows) not in p.stdout:
        fail("classify_images did not classify the %d images of the manifest" % len(rows))
    with open(predictions, newline="") as f:
        ids = [r["stimulus"] for r in csv.DictReader(f)]
    if ids != [r["id"] for r in rows]:
        fail("the predictions' stimulus ids are not the manifest's ids")
    for cond in sorted({r["condition"] for r in rows}):
        n = sum(r["condition"] == cond for r in rows)
        if "\n%s,%d," % (cond, n) not in p.stdout:
            fail("no accuracy line for condition %s (n = %d)" % (cond, n))
    p = run([reproduce, "--stimuli", manifest, "--predictions", "Xception=" + predictions, "--out",
             os.path.join(work, "report")])
    if not re.search(r"\n +Xception +[0-9.]+ +- +- +measured", p.stdout):
        fail("reproduce_disfer does not report the measured Xception predictions")
    with open(os.path.join(work, "report", "reproduction.json")) as f:
        prov = f.read()
    if os.path.basename(predictions) not in prov or "manifest.csv" not in prov:
        fail("the reproduction's provenance does not list the manifest and the predictions")
    print("pipeline: %d stimuli, one manifest, predictions measured in the reproduction" % len(rows))


def help_text(program, *options):
    p = run([program, "--help"])
    text = p.stdout
    for word in ("Reads", "Writes", "Example") + options:
        if word not in text:
            fail("%s --help does not mention %s" % (os.path.basename(program), word))
    print("--help: exit 0, reads, writes, %d options, example" % len(options))


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    {"hashes": hashes, "no-partial": no_partial, "refuse": refuse, "model-dir": model_dir,
     "pipeline": pipeline, "help": help_text}[cmd](*args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
