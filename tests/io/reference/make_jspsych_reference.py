#!/usr/bin/env python3
"""Reference values for tests/io/test_jspsych.cpp (read_jspsych_votes): reads the jsPsych export
fixtures of tests/data/jspsych with Python's csv and json modules and applies the reader's rules
(docs/io.md, "jsPsych exports"; issue 21 contract) independently of the C++ code. Writes beside
this script:
  jspsych_votes.csv         every rating of p01.csv p02.json p03.json p04_edited.csv read together
                            (participant,stimulus,label,position,file,line,rt,excluded; excluded =
                            the participant's status under the default rule, 2 failed checks)
  jspsych_checks.csv        their attention checks (participant,file,line,position,after,expected,response,passed)
  jspsych_participants.csv  their participants (id,file,playlist,order,order_id,prolific_pid,study_id,
                            session_id,ratings,checks,failed,excluded)
  jspsych_skip_votes.csv    the ratings bad_rows.csv keeps under bad_row_policy::skip
  jspsych_skipped.csv       the rows it leaves out (file,line,field)
Run: python3 make_jspsych_reference.py"""
import csv
import io
import json
import math
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "..", "data", "jspsych")
FER2013 = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
BUTTONS = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]  # the paper's order
CONDITIONS = ["disfer_playlist", "disfer_order", "disfer_order_id", "PROLIFIC_PID", "STUDY_ID", "SESSION_ID"]
REQUIRED = ["disfer_task", "disfer_participant", "response", "stimulus"]
BLANKS = " \t\n\r\v\f"
NESTED = object()  # a JSON object or array


class Bad(Exception):
    def __init__(self, field):
        self.field = field


def classify(text):
    """A field's text: None for empty, 'null' stays the null marker, else the trimmed text."""
    t = text.strip(BLANKS)
    return None if t == "" else t


def csv_rows(text):
    """(line of the row, {column: value}) of a CSV file; values as classify() gives them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    start = reader.line_num + 1
    for fields in reader:
        if len(fields) != len(header):
            yield start, None  # a ragged row
        else:
            yield start, {h: classify(f) for h, f in zip(header, fields)}
        start = reader.line_num + 1
    return


def csv_columns(text):
    return next(csv.reader(io.StringIO(text, newline="")))


def json_rows(text):
    """(line of the row's '{', {key: value}) of a JSON array, numbers kept as written."""
    dec = json.JSONDecoder(parse_float=str, parse_int=str)
    i = text.index("[") + 1
    ws = re.compile(r"[ \t\r\n]*")
    i = ws.match(text, i).end()
    if text[i] == "]":
        return
    while True:
        obj, end = dec.raw_decode(text, i)
        row = {}
        for k, v in obj.items():
            if isinstance(v, (dict, list)):
                row[k] = NESTED
            elif v is None:
                row[k] = "null"
            elif isinstance(v, bool):
                row[k] = "true" if v else "false"
            else:
                row[k] = classify(v)
        yield text.count("\n", 0, i) + 1, row
        i = ws.match(text, end).end()
        if text[i] == "]":
            return
        i = ws.match(text, i + 1).end()  # the comma


def integer(v):
    return v is not None and v is not NESTED and re.fullmatch(r"-?[0-9]+", v) is not None


class reader:
    def __init__(self, skip=False):
        self.skip = skip
        self.votes, self.checks, self.skipped = [], [], []
        self.participants = {}  # id -> dict, in order of first appearance
        self.rated = {}         # (participant, stimulus) -> (file, line)

    def read(self, name):
        with open(os.path.join(data, name), encoding="utf-8-sig", newline="") as f:
            text = f.read()
        if text.lstrip(" \t\r\n").startswith("["):
            rows = list(json_rows(text))
            columns = set().union(*(r.keys() for _, r in rows))
        else:
            rows = list(csv_rows(text))
            columns = set(csv_columns(text))
        assert all(c in columns for c in REQUIRED)
        for line, row in rows:
            if row is None:
                if not self.skip:
                    raise RuntimeError("ragged row")
                self.skipped.append((name, line, ""))
                continue
            task = row.get("disfer_task")
            if task is None or task == "null":
                continue
            try:
                self.row(name, line, row, columns)
            except Bad as e:
                if not self.skip:
                    raise
                self.skipped.append((name, line, e.field))

    def row(self, name, line, row, columns):
        get = lambda k: row.get(k)
        task = get("disfer_task")
        if task not in ("rating", "attention"):
            raise Bad("disfer_task")
        fmt = get("disfer_format")
        if fmt is NESTED or (fmt not in (None, "null") and fmt != "disfer-experiment 1"):
            raise Bad("disfer_format")

        def text(k):
            v = get(k)
            if v is NESTED:
                raise Bad(k)
            return "" if v in (None, "null") else v

        pid = text("disfer_participant")
        if pid == "":
            raise Bad("disfer_participant")
        cond = [text(k) for k in CONDITIONS]
        p = self.participants.get(pid)
        if p is not None:
            for k, a, b in zip(CONDITIONS, cond, p["cond"]):
                if a != b:
                    raise Bad(k)

        def button(k, null_ok):
            v = get(k)
            if v == "null" and null_ok:
                return -1
            if not integer(v) or not 0 <= int(v) < len(BUTTONS):
                raise Bad(k)
            return int(v)

        def count(k, fallback):
            if k not in columns:
                return fallback
            v = get(k)
            if not integer(v) or int(v) < 0:
                raise Bad(k)
            return int(v)

        n_ratings = p["ratings"] if p else 0
        n_checks = p["checks"] if p else 0
        if task == "rating":
            label = FER2013.index(BUTTONS[button("response", False)])
            stim, key = text("disfer_id"), "disfer_id"
            if stim == "":
                key = "stimulus"
                path = text("stimulus")
                stim = os.path.splitext(path.rsplit("/", 1)[-1])[0]
                if stim == "":
                    raise Bad("stimulus")
            rt = get("rt")
            if rt in (None, "null"):
                rt = math.nan
            elif rt is NESTED or not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", rt):
                raise Bad("rt")
            else:
                rt = float(rt)
                if not math.isfinite(rt) or rt < 0:
                    raise Bad("rt")
            position = count("disfer_position", n_ratings)
            if (pid, stim) in self.rated:
                raise Bad(key)
            p = self.keep(pid, cond, name)
            self.rated[(pid, stim)] = (name, line)
            self.votes.append(dict(participant=pid, stimulus=stim, label=FER2013[label], position=position,
                                   file=name, line=line, rt=rt))
            p["ratings"] += 1
        else:
            expected = button("disfer_expected", False)
            response = button("response", True)
            position = count("disfer_position", n_checks)
            after = count("disfer_after", n_ratings)
            p = self.keep(pid, cond, name)
            passed = response == expected
            self.checks.append(dict(participant=pid, file=name, line=line, position=position, after=after,
                                    expected=expected, response=response, passed=int(passed)))
            p["checks"] += 1
            p["failed"] += 0 if passed else 1

    def keep(self, pid, cond, name):
        if pid not in self.participants:
            self.participants[pid] = dict(id=pid, file=name, cond=cond, ratings=0, checks=0, failed=0)
        return self.participants[pid]


def write(name, columns, rows):
    with open(os.path.join(here, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if isinstance(r[c], float) and math.isnan(r[c]) else
                        repr(r[c]) if isinstance(r[c], float) else r[c] for c in columns])


VOTE_COLUMNS = ["participant", "stimulus", "label", "position", "file", "line", "rt", "excluded"]

main = reader()
for f in ["p01.csv", "p02.json", "p03.json", "p04_edited.csv"]:
    main.read(f)
excluded = {pid for pid, p in main.participants.items() if p["failed"] >= 2}
for v in main.votes:
    v["excluded"] = int(v["participant"] in excluded)
write("jspsych_votes.csv", VOTE_COLUMNS, main.votes)
write("jspsych_checks.csv", ["participant", "file", "line", "position", "after", "expected", "response", "passed"],
      main.checks)
parts = []
for pid, p in main.participants.items():
    parts.append(dict(id=pid, file=p["file"], **dict(zip(["playlist", "order", "order_id", "prolific_pid", "study_id",
                                                             "session_id"], p["cond"])),
                      ratings=p["ratings"], checks=p["checks"], failed=p["failed"], excluded=int(pid in excluded)))
write("jspsych_participants.csv", ["id", "file", "playlist", "order", "order_id", "prolific_pid", "study_id",
                                   "session_id", "ratings", "checks", "failed", "excluded"], parts)

bad = reader(skip=True)
bad.read("bad_rows.csv")
for v in bad.votes:
    v["excluded"] = 0
write("jspsych_skip_votes.csv", VOTE_COLUMNS, bad.votes)
write("jspsych_skipped.csv", ["file", "line", "field"], [dict(file=f, line=l, field=k) for f, l, k in bad.skipped])
