#!/usr/bin/env python3
"""Independent checker of disfer playlists (standard library only; no disfer code).

Usage: check_playlists.py FOLDER [FOLDER ...]
Each FOLDER holds manifest.csv (disfer's stimulus manifest, '#' provenance lines first) and one
or more playlists-*.csv (disfer's write_playlists_csv). For every playlists file it checks the
rules of the issue, from the CSV alone:
  - every manifest stimulus is in exactly one playlist, and nothing else is;
  - every playlist holds N / P stimuli;
  - the playlist's attributes agree with the manifest (source, label, distortion, level);
  - for source, condition (distortion + level), distortion kind, emotion, (emotion, kind) and
    (emotion, condition): each category with n stimuli appears floor(n / P) or ceil(n / P) times
    in every playlist.
Exit status 0 when every file passes; 1 with one line per violation otherwise.
"""
import collections
import csv
import glob
import os
import sys


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


def condition(row):
    return "none" if row["distortion"] == "none" else f"{row['distortion']} {float(row['level'])!r}"


FAMILIES = {
    "source": lambda r: r["source_id"],
    "condition": condition,
    "kind": lambda r: r["distortion"],
    "emotion": lambda r: r["label"],
    "emotion x kind": lambda r: (r["label"], r["distortion"]),
    "emotion x condition": lambda r: (r["label"], condition(r)),
}


def check(manifest, path):
    errors = []
    stimuli = {r["id"]: r for r in manifest}
    rows = read_csv(path)
    where = collections.defaultdict(list)
    playlists = collections.defaultdict(list)
    for r in rows:
        where[r["id"]].append(r["playlist"])
        playlists[r["playlist"]].append(r)
        m = stimuli.get(r["id"])
        if m is None:
            errors.append(f"{path}: unknown stimulus {r['id']}")
            continue
        for col in ("source_id", "label", "distortion"):
            if r[col] != m[col]:
                errors.append(f"{path}: {r['id']}: {col} {r[col]} != manifest {m[col]}")
        if float(r["level"]) != float(m["level"]):
            errors.append(f"{path}: {r['id']}: level differs from the manifest")
    for sid in stimuli:
        if len(where[sid]) != 1:
            errors.append(f"{path}: stimulus {sid} is in {len(where[sid])} playlists")
    n_playlists = len(playlists)
    if n_playlists == 0 or len(stimuli) % n_playlists:
        return errors + [f"{path}: {len(stimuli)} stimuli do not split into {n_playlists} equal playlists"]
    size = len(stimuli) // n_playlists
    for p, members in playlists.items():
        if len(members) != size:
            errors.append(f"{path}: playlist {p} holds {len(members)}, expected {size}")
    for family, key in FAMILIES.items():
        totals = collections.Counter(key(r) for r in manifest)
        for p, members in playlists.items():
            counts = collections.Counter(key(stimuli[r["id"]]) for r in members if r["id"] in stimuli)
            for cat, n in totals.items():
                lo, hi = n // n_playlists, -(-n // n_playlists)
                if not lo <= counts.get(cat, 0) <= hi:
                    errors.append(f"{path}: playlist {p}: {family} {cat}: {counts.get(cat, 0)} not in [{lo}, {hi}]")
    return errors


def main(folders):
    errors, files = [], 0
    for folder in folders:
        manifest = read_csv(os.path.join(folder, "manifest.csv"))
        paths = sorted(glob.glob(os.path.join(folder, "playlists*.csv")))
        if not paths:
            errors.append(f"{folder}: no playlists*.csv")
        for path in paths:
            errors += check(manifest, path)
            files += 1
    for e in errors[:50]:
        print(e)
    print(f"check_playlists.py: {files} playlist files, {len(errors)} violations")
    return 1 if errors or files == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
