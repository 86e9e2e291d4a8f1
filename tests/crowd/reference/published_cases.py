#!/usr/bin/python3
"""Majority vote with ties, computed here (no disfer code): vote fractions in exact fractions, and
crowd-kit's rule reproduced with pandas (crowd-kit 1.4.1 MajorityVote: the label columns of the
task x label vote table sorted by label, then pandas idxmax, so a tie goes to the smallest label;
crowd-kit is not packaged in Debian, pandas is). Worker skills as crowd-kit reports them: each
worker's accuracy against the majority-vote labels.
Run: /usr/bin/python3 tests/crowd/reference/published_cases.py   (writes published_cases.json)"""
import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
import pandas as pd  # noqa: E402

from reference_common import flt, versions, write_json  # noqa: E402

votes = [["t1", "w1", "b"], ["t1", "w2", "a"], ["t2", "w1", "c"], ["t2", "w2", "c"], ["t2", "w3", "a"],
         ["t3", "w1", "c"], ["t3", "w2", "b"], ["t3", "w3", "a"], ["t4", "w1", "b"], ["t4", "w2", "b"],
         ["t4", "w3", "c"], ["t4", "w4", "c"], ["t4", "w5", "a"]]
labels = ["a", "b", "c"]
tasks = sorted({t for t, _, _ in votes})
count = {t: {lab: sum(1 for v in votes if v[0] == t and v[2] == lab) for lab in labels} for t in tasks}
frac = {t: {lab: F(count[t][lab], sum(count[t].values())) for lab in labels} for t in tasks}
top = {t: max(count[t].values()) for t in tasks}
tied = {t: sum(1 for lab in labels if count[t][lab] == top[t]) > 1 for t in tasks}

df = pd.DataFrame(votes, columns=["task", "worker", "label"])
table = df.groupby(["task", "label"]).size().unstack(fill_value=0).reindex(columns=labels, fill_value=0)
mv = table.idxmax(axis=1).to_dict()
smallest = {t: min(lab for lab in labels if count[t][lab] == top[t]) for t in tasks}
assert mv == smallest, (mv, smallest)
skills = (df.assign(correct=df["label"] == df["task"].map(mv)).groupby("worker")["correct"].mean()).to_dict()

write_json(__file__, "published_cases.json", {
    "about": "Majority-vote tie cases; expected values from published_cases.py beside this file.",
    "generated_by": "/usr/bin/python3 tests/crowd/reference/published_cases.py",
    "generated_with": versions(pd),
    "cases": [{
        "id": "majority_vote_ties", "kind": "majority_vote",
        "source": "constructed (4 tasks, a two-way, a three-way and a two-way tie among 5 workers); crowd-kit 1.4.1's "
                  "MajorityVote rule (Toloka/crowd-kit crowdkit/aggregation/classification/majority_vote.py, "
                  "utils.get_most_probable_labels) reproduced with pandas idxmax by published_cases.py.",
        "input": {"votes_task_worker_label": votes},
        "expected": {"vote_fractions": {t: {lab: flt(frac[t][lab]) for lab in labels} for t in tasks},
                     "is_tie": tied, "label_policy_smallest_label": smallest,
                     "label_policy_abstain_on_tie": {t: None if tied[t] else smallest[t] for t in tasks}},
        "observed_in_references": {"pandas_idxmax_as_crowdkit_MajorityVote": mv,
                                   "crowdkit_worker_skills_accuracy_vs_MV": {w: float(v) for w, v in skills.items()}}}]})
