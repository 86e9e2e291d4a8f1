#!/usr/bin/python3
"""Exact McNemar p-values in the far tail, for tests/hypothesis (tail accuracy).

For X ~ Binomial(n, 1/2), n = b + c, m = min(b, c), computed with mpmath at 60 significant digits:
  P(X <= m) = C(n, m) 2^-n * sum_{j=0..m} C(n, j) / C(n, m)   (terms summed until < 1e-55 relative;
              ln C(n, m) from mpmath.loggamma at 60 digits)
  exact  p = min(1, 2 P(X <= m))
  mid-p  p = 2 P(X <= m) - P(X = m)      (b != c);  1 - P(X = m)/2 (b == c);  1 (n == 0)
  chi-square p = erfc(sqrt(s / 2)), s = (b - c)^2 / n, corrected s = (|b - c| - 1)^2 / n (Edwards)
A few rows are cross-checked against exact rational sums (Python integers) at the end.
Writes mcnemar_tail.csv (values with 22 significant digits; p may be far below 1e-308, so read
it with strtod and compare log10 p where p is not a normal double).

Run: /usr/bin/python3 tests/hypothesis/reference/mcnemar_tail.py"""
import csv
import math
import os

import mpmath as mp

mp.mp.dps = 60


def tail(m, n):
    """(P(X <= m), P(X = m)) as mpf."""
    log_pmf = mp.loggamma(n + 1) - mp.loggamma(m + 1) - mp.loggamma(n - m + 1) - n * mp.log(2)
    pmf = mp.exp(log_pmf)
    s = mp.mpf(1)
    term = mp.mpf(1)
    for j in range(m, 0, -1):
        term *= mp.mpf(j) / (n - j + 1)
        s += term
        if term < s * mp.mpf("1e-55"):
            break
    return pmf * s, pmf


def chi2_p(num, n):
    if n == 0:
        return None
    s = mp.mpf(num) / n
    return mp.erfc(mp.sqrt(s / 2))


def fmt(x):
    return mp.nstr(x, 22, min_fixed=-5, max_fixed=5) if x != 0 else "0"


def flog(x):
    return mp.nstr(mp.log10(x), 22) if x != 0 else "-inf"


pairs = set()
ns = [1, 2, 3, 5, 10, 31, 100, 317, 1000, 3162, 10000, 31623, 100000, 316228, 1000000]
zs = [0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 30, 36, 37, 37.5, 38, 39, 40, 50, 80, 150, 300, 600, 1000]
for n in ns:
    cand = {0, 1, 2, n // 2, (n - 1) // 2}
    for z in zs:
        cand.add(int(math.floor(n / 2 - z * math.sqrt(n) / 2)))
    for m in cand:
        if 0 <= m <= n - m:
            pairs.add((m, n - m))
pairs.add((5, 2000))     # golden case mcnemar_tail_b5_c2000
pairs.add((0, 300))      # golden case mcnemar_tail_b0_c300
pairs.add((7, 7))
pairs.add((0, 0))
pairs.add((123456, 876544))
pairs.add((400000, 600000))
pairs.add((480000, 520000))
pairs.add((481000, 519000))
pairs.add((490000, 510000))

rows = []
for b, c in sorted(pairs, key=lambda t: (t[0] + t[1], t[0])):
    n, m = b + c, min(b, c)
    if n == 0:
        p_exact = p_mid = mp.mpf(1)
    else:
        cdf, pmf = tail(m, n)
        if b == c:
            p_exact = mp.mpf(1)
            p_mid = 1 - pmf / 2
        elif 2 * m + 1 == n:
            p_exact = mp.mpf(1)  # P(X <= (n - 1)/2) = 1/2 exactly for odd n (the sum is truncated)
            p_mid = 2 * cdf - pmf
        else:
            p_exact = min(mp.mpf(1), 2 * cdf)
            p_mid = 2 * cdf - pmf
    row = [b, c, fmt(p_exact), flog(p_exact), fmt(p_mid), flog(p_mid)]
    for num in ((b - c) ** 2, (abs(b - c) - 1) ** 2):
        p = chi2_p(num, n)
        if p is None:
            row += ["nan", "nan", "nan"]
        else:
            row += ["%d/%d" % (num, n), fmt(p), flog(p)]
    rows.append(row)

# Cross-check of the summation against exact rationals (Python integers) for a few rows.
for b, c in [(5, 2000), (100, 900), (4000, 6000), (30000, 70000)]:
    n, m = b + c, min(b, c)
    binom, total = 1, 1
    for j in range(m):
        binom = binom * (n - j) // (j + 1)
        total += binom
    exact = mp.mpf(total) / mp.mpf(2) ** n
    via_sum, _ = tail(m, n)
    assert abs(exact / via_sum - 1) < mp.mpf("1e-50"), (b, c)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mcnemar_tail.csv")
with open(out, "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["b", "c", "p_exact", "log10_p_exact", "p_midp", "log10_p_midp", "chi2", "p_chi2",
                "log10_p_chi2", "chi2_corrected", "p_chi2_corrected", "log10_p_chi2_corrected"])
    w.writerows(rows)
print(len(rows), "rows")
