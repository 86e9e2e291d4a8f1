# Reference for examples/plan_study.cpp (--check): run with Debian python3 (scipy).
# Output: 0.25045585639305523 0.9058408913308271 0.04165279489108824
# Power of the exact McNemar test (statsmodels' p = min(1, 2 * Bin(d, 1/2).cdf(min(b, c)))):
# sum over d of P(D = d) * P(reject | d), D ~ Bin(n, p10 + p01), b | d ~ Bin(d, p10 / (p10 + p01)).
from scipy.stats import binom
import numpy as np
def power(n, p10, p01, alpha=0.05):
    pd = p10 + p01; pi = p10 / pd; tot = 0.0
    for d in range(1, n + 1):
        w = binom.pmf(d, n, pd)
        if w < 1e-300: continue
        k = np.arange(0, d // 2 + 1)
        ok = np.minimum(1.0, 2 * binom.cdf(k, d, 0.5)) <= alpha
        if not ok[0]: continue
        m = int(np.nonzero(ok)[0].max())
        r = binom.cdf(m, d, pi)
        if d - m > m: r += binom.sf(d - m - 1, d, pi)
        tot += w * r
    return tot
print(repr(power(840, 0.10, 0.08)), repr(power(840, 0.12, 0.07)), repr(power(840, 0.10, 0.10)))
