# What the DisFER simulation takes from FER+'s real votes (docs/simulation.md, "What the model takes
# from FER+"), and the histogram it is checked against. Run with Debian python3 (numpy) from the
# project root, with ../shared/data present (the votes may not be committed; only these aggregates
# are):   python3 tests/simulate/reference/ferplus_shape.py > tests/simulate/reference/ferplus_shape.txt
#
# Input: ../shared/data/ferplus-votes-sample.csv (10 FER+ votes for each of 956 FER-2013 PublicTest
# faces) and ../shared/data/fer2013-sample.csv (their FER-2013 labels). Votes for contempt, unknown
# and NF are dropped (6.7% of the votes), leaving the 7 FER-2013 emotions; items with fewer than 2
# votes left are dropped (2 items).
#
# Output (FER-2013 order: angry, disgust, fear, happy, sad, surprise, neutral):
# - confusion: row t = the shares of the non-top votes over the other emotions, among the faces
#   whose top vote is t (which emotions a face that reads as t is also read as);
# - clarity_logit: per top emotion, logit of the mean top-vote share (the model uses these as
#   relative offsets; the common level is fitted to DisFER's kappa, not taken from FER+);
# - clarity_concentration: nu of a Beta clarity, by the method of moments on the top-vote share
#   with the binomial part removed: Var(c) = Var(ts) - mean(ts (1 - ts) / (n - 1)), pooled within
#   top emotions, nu = m (1 - m) / Var(c) - 1;
# - third_reading_rate: among faces with at least two emotions of >= 2 votes, the share with three;
# - kept_votes: how many items keep 10, 9, ..., 2 of their 10 votes; mean_p_i: the mean P_i;
# - histogram: P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1)) in 10 equal bins [0, 0.1), ...,
#   [0.9, 1] (the share of items in each), per FER-2013 label and pooled, with the label counts.
import csv
import os
import sys

import numpy as np

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared", "data")
votes_path = os.path.join(root, "ferplus-votes-sample.csv")
labels_path = os.path.join(root, "fer2013-sample.csv")
if not os.path.exists(votes_path):
    sys.exit("ferplus_shape.py: " + votes_path + " is missing")
names = ["anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"]
rows = list(csv.DictReader(open(votes_path)))
labels = np.array([int(r["emotion"]) for r in csv.DictReader(open(labels_path))])
votes = np.array([[int(r[n]) for n in names] for r in rows])
n = votes.sum(1)
keep = n >= 2
votes, n, labels = votes[keep], n[keep], labels[keep]
p_i = (votes * (votes - 1)).sum(1) / (n * (n - 1))
top = votes.argmax(1)
share = votes.max(1) / n

conf = np.zeros((7, 7))
for v, t in zip(votes, top):
    w = v.astype(float)
    w[t] = 0
    conf[t] += w
conf /= conf.sum(1, keepdims=True)

mean_ts = np.array([share[top == t].mean() for t in range(7)])
logit = np.log(mean_ts / (1 - mean_ts))
within = np.concatenate([share[top == t] - mean_ts[t] for t in range(7)])
var_c = (within ** 2).mean() - (share * (1 - share) / (n - 1)).mean()
m = share.mean()
nu = m * (1 - m) / var_c - 1
strong = (votes >= 2).sum(1)
third = (strong >= 3).sum() / (strong >= 2).sum()

edges = np.linspace(0, 1, 11)
def hist(x):
    h = np.histogram(x, bins=edges)[0]  # numpy's last bin is closed: [0.9, 1]
    return h / h.sum()

print("# ferplus_shape.py output: FER+ votes on the 956-face FER-2013 PublicTest sample (%d items kept)" % len(n))
print("confusion")
for t in range(7):
    print(" ".join("%.4f" % x for x in conf[t]))
print("clarity_logit " + " ".join("%.4f" % x for x in logit))
print("clarity_concentration %.4f" % nu)
print("third_reading_rate %.4f" % third)
print("kept_votes " + " ".join(str((n == v).sum()) for v in range(10, 1, -1)))
print("mean_p_i %.4f" % p_i.mean())
print("label_counts " + " ".join(str((labels == e).sum()) for e in range(7)))
for e in range(7):
    print("histogram_label_%d " % e + " ".join("%.4f" % x for x in hist(p_i[labels == e])))
print("histogram_pooled " + " ".join("%.4f" % x for x in hist(p_i)))
