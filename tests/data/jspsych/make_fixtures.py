#!/usr/bin/env python3
"""Writes the jsPsych export fixtures of tests/io/test_jspsych.cpp (the files beside this script):
the data of a disfer experiment (issue 21 contract, "Data columns") as jsPsych 8 would record it,
saved the ways a study saves it. The trial objects follow jsPsych 8's order of keys (the trial's
`data` parameter, the plugin's data, trial_type, trial_index, plugin_version, time_elapsed, then
the addProperties columns); the CSV is jsPsych's JSON2CSV (packages/jspsych/src/modules/data/
utils.ts: header = union of the keys in order of first appearance, every field quoted, objects
as JSON text, null as the text null, CRLF) and the JSON is JSON.stringify (compact, or with tabs as
.json(true) pretty-prints). The expected votes do not come from here: make_jspsych_reference.py
reads these files back with Python's csv and json modules. Run: python3 make_fixtures.py"""
import csv
import io
import json
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
BUTTONS = ["Anger", "Disgust", "Fear", "Happiness", "Neutral", "Sadness", "Surprise"]
CONSENT = ('<p>This study is run by the DisFER team, "Distorted Facial Expressions".</p><p>By clicking '
           '"I agree", you confirm that you are 18 or older, that you read the information sheet, and that '
           'you take part voluntarily.</p>')
INSTRUCTIONS = ["<p>You will see 40 faces, one at a time.</p>",
                "<p>Click the emotion you see. There is no time limit, but please answer every face.</p>"]


def js_csv(trials):
    """jsPsych's JSON2CSV."""
    columns = []
    for t in trials:
        for k in t:
            if k not in columns:
                columns.append(k)
    out = ",".join('"' + c.replace('"', '""') + '"' for c in columns) + "\r\n"
    for t in trials:
        cells = []
        for c in columns:
            v = t.get(c, "")
            if v is None or isinstance(v, (dict, list)):
                v = json.dumps(v, separators=(",", ":"), ensure_ascii=False)
            elif isinstance(v, bool):
                v = "true" if v else "false"
            cells.append('"' + str(v).replace('"', '""') + '"')
        out += ",".join(cells) + "\r\n"
    return out


class session:
    def __init__(self, participant, prolific, study, sess, playlist, order, order_id, seed):
        self.rng = random.Random(seed)
        self.trials = []
        self.t = 0
        self.props = {"disfer_format": "disfer-experiment 1", "disfer_participant": participant,
                      "PROLIFIC_PID": prolific, "STUDY_ID": study, "SESSION_ID": sess,
                      "disfer_playlist": playlist, "disfer_order": order, "disfer_order_id": order_id}
        self.ratings = 0
        self.checks = 0

    def trial(self, data, result, plugin, rt_ms):
        self.t += rt_ms + self.rng.randint(20, 60)
        row = dict(data)
        row.update(result)
        row.update({"trial_type": plugin, "trial_index": len(self.trials), "plugin_version": "2.1.0",
                    "time_elapsed": self.t})
        row.update(self.props)
        self.trials.append(row)

    def start(self, images):
        self.trial({}, {"success": True, "timeout": False, "failed_images": [], "failed_audio": [],
                        "failed_video": []}, "preload", 850)
        rt = self.rng.randint(4000, 20000)
        self.trial({}, {"rt": rt, "stimulus": CONSENT, "response": 0}, "html-button-response", rt)
        pages = [self.rng.randint(2000, 9000) for _ in INSTRUCTIONS]
        self.trial({}, {"view_history": [{"page_index": i, "viewing_time": v} for i, v in enumerate(pages)],
                        "rt": sum(pages)}, "instructions", sum(pages))

    def rate(self, stim, button, rt="draw"):
        rt = self.rng.randint(700, 4000) if rt == "draw" else rt
        self.trial({"disfer_task": "rating", "disfer_id": stim, "disfer_position": self.ratings},
                   {"rt": rt, "stimulus": "images/%s.png" % stim, "response": button},
                   "image-button-response", rt if isinstance(rt, int) else 1500)
        self.ratings += 1

    def check(self, image, expected, response):
        rt = self.rng.randint(700, 3000)
        self.trial({"disfer_task": "attention", "disfer_position": self.checks, "disfer_after": self.ratings,
                    "disfer_expected": expected},
                   {"rt": rt, "stimulus": "images/%s.png" % image, "response": response},
                   "image-button-response", rt)
        self.checks += 1

    def demographics(self, comments):
        rt = self.rng.randint(5000, 15000)
        self.trial({}, {"rt": rt, "response": {"age": "34", "comments": comments}, "question_order": [0, 1]},
                   "survey-text", rt)


def write(name, text):
    with open(os.path.join(here, name), "w", newline="", encoding="utf-8") as f:
        f.write(text)


# p01.csv: a Prolific participant, jsPsych's own CSV (CRLF, every field quoted; the consent text,
# written as a multi-line template string, puts a line break inside a quoted field); one rt null;
# the second check failed (1 of 2: kept).
a = session("60d1f3a7c2b9e84f1a2b3c4d", "60d1f3a7c2b9e84f1a2b3c4d", "6650a1b2c3d4e5f601234567",
            "sess_8f2k1m9q", 3, 1, 7, 1)
a.start([])
a.trials[1]["stimulus"] = CONSENT.replace("</p><p>", "</p>\n<p>")
a.demographics('first time, "fun"\nthanks')
for i, (stim, b) in enumerate([("fer12_original", 3), ("fer40_gb08", 5), ("fer7_gn20", 0), ("fer31_sp004", 6),
                               ("fer5_gb11", 4), ("fer18_original", 1), ("fer22_gn10", 2), ("fer9_sp002", 3)]):
    a.rate(stim, b, rt=None if i == 4 else "draw")
    if a.ratings == 3:
        a.check("fer2_original", 5, 5)
    if a.ratings == 6:
        a.check("fer3_original", 1, 2)
write("p01.csv", js_csv(a.trials))

# p02.json: no Prolific id (a random disfer id), compact JSON as .json() writes it, one line; a
# survey trial with an object response; 2 of 3 checks failed: excluded by the default rule.
b = session("dsf-4kq9z2", "", "", "", 0, 2, 2, 2)
b.start([])
for stim, btn in [("fer1_original", 6), ("fer44_gb08", 3), ("fer8_gn20", 3)]:
    b.rate(stim, btn)
b.check("fer2_original", 0, 4)
for stim, btn in [("fer13_sp004", 5), ("fer27_original", 0)]:
    b.rate(stim, btn)
b.check("fer3_original", 2, 2)
b.rate("fer16_gb11", 1, rt=None)
b.check("fer4_original", 6, 3)
b.demographics('Some faces were blurry, "hard" to tell')
write("p02.json", json.dumps(b.trials, separators=(",", ":"), ensure_ascii=False))

# p03.json: pretty-printed with tabs (.json(true)), LF, non-ASCII text; one check, passed.
c = session("5e7a90c1d2f3a4b5c6d7e8f9", "5e7a90c1d2f3a4b5c6d7e8f9", "6650a1b2c3d4e5f601234567",
            "sess_2n7c5x0w", 3, 0, 6, 3)
c.start([])
c.trials[1]["stimulus"] = CONSENT + "<p>Merci ! Données anonymisées — «pseudonymes» seulement.</p>"
for stim, btn in [("fer12_original", 3), ("fer40_gb08", 4), ("fer7_gn20", 0)]:
    c.rate(stim, btn)
c.check("fer2_original", 4, 4)
for stim, btn in [("fer31_sp004", 5), ("fer5_gb11", 4)]:
    c.rate(stim, btn)
write("p03.json", json.dumps(c.trials, indent="\t", ensure_ascii=False) + "\n")

# p04_edited.csv: two participants in one file, re-saved by a spreadsheet: UTF-8 byte-order mark,
# LF, quotes only where needed, no disfer_id column (stimulus ids from the image file names), an
# empty rt; p04a fails 1 of 2 checks (kept), p04b passes both.
rows = []
for pid, seed, plan in [("p04a", 4, [(3, 0, 0), (5, 1, 3), (2, 2, 2)]), ("p04b", 5, [(3, 4, 4), (5, 6, 6)])]:
    s = session(pid, "", "", "", 7, 0 if pid == "p04a" else 1, 14 if pid == "p04a" else 15, seed)
    s.start([])
    stims = ["fer60_original", "fer61_gb08", "fer62_gn20", "fer63_sp004", "fer64_gb11", "fer65_gn10"]
    checks = {k[0]: k[1:] for k in plan}
    for i, stim in enumerate(stims):
        s.rate(stim, (i * 3 + seed) % 7, rt="" if (pid == "p04b" and i == 2) else "draw")
        if s.ratings in checks:
            exp, resp = checks[s.ratings]
            s.check("fer%d_original" % (70 + s.checks), exp, resp)
    for t in s.trials:
        t.pop("disfer_id", None)
        t.pop("plugin_version", None)
    rows += s.trials
cols = []
for t in rows:
    for k in t:
        if k not in cols:
            cols.append(k)
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(cols)
for t in rows:
    w.writerow([json.dumps(t[k], separators=(",", ":")) if isinstance(t.get(k), (dict, list))
                else ("true" if t[k] is True else "false" if t[k] is False else "null" if t[k] is None else t[k])
                if k in t else "" for k in cols])
write("p04_edited.csv", "\ufeff" + buf.getvalue())

# bad_rows.csv: jsPsych's CSV with bad rows among good ones, for the skip policy: a rating with a
# null response, one with button 7, an unknown task, a check without its expected button, a
# second rating of one stimulus, an rt that is no number, and a ragged row.
d = session("p05", "", "", "", 1, 0, 3, 6)
d.start([])
d.rate("fer80_original", 3)
d.rate("fer81_gb08", None)
d.rate("fer82_gn20", 2)
d.rate("fer83_sp004", 7)
d.check("fer2_original", 1, 1)
d.rate("fer84_gb11", 4)
d.trials[-1]["disfer_task"] = "ratng"
d.rate("fer85_original", 5)
d.check("fer3_original", 1, 1)
d.trials[-1]["disfer_expected"] = ""
d.rate("fer82_gn20", 6)
d.rate("fer86_gn10", 0, rt="fast")
d.rate("fer87_sp002", 1)
text = js_csv(d.trials).split("\r\n")
text.insert(len(text) - 2, text[-2] + ',"extra"')  # a ragged copy of the last row, before it
write("bad_rows.csv", "\r\n".join(text))
