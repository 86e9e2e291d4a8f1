#!/usr/bin/env python3
"""Reference values for disfer's image tests, computed with mpmath at 60 significant digits.

Writes rounded_normal_cdf.txt: for each stddev s, the thresholds of the rounded normal's CDF on
the 2^32 scale, T_k = round_half_even(2^32 * Phi((k + 1/2) / s)), for every k where the threshold is
strictly between 0 and 2^32 (k outside that range has T = 0 below, 2^32 above). Lines "s k T".

Writes portable_math.txt: exp, log, Phi, cos(2 pi u), sin(2 pi u) at fixed arguments, as
"function argument value" with 17 significant digits (arguments are exact binary fractions).

Run: python3 rounded_normal.py   (mpmath 1.2, Debian python3-mpmath)
"""
import mpmath as mp

mp.mp.dps = 60
TWO32 = mp.mpf(2) ** 32


def phi(z):
    return mp.ncdf(z)


def round_half_even(x):
    f = mp.floor(x)
    d = x - f
    if d > mp.mpf("0.5"):
        return int(f) + 1
    if d < mp.mpf("0.5"):
        return int(f)
    return int(f) if int(f) % 2 == 0 else int(f) + 1


with open("rounded_normal_cdf.txt", "w") as out:
    out.write("# stddev k T_k = round_half_even(2^32 Phi((k + 1/2) / stddev)), mpmath dps 60\n")
    for s in ["0.5", "1", "2.5", "10", "20", "30", "100"]:
        sd = mp.mpf(s)
        k = 0
        while round_half_even(TWO32 * phi((k + mp.mpf("0.5")) / sd)) > 0:
            k -= 1
        k += 1
        while True:
            t = round_half_even(TWO32 * phi((k + mp.mpf("0.5")) / sd))
            if t >= 2 ** 32:
                break
            out.write(f"{s} {k} {t}\n")
            k += 1

args = {
    "exp": ["-745", "-700.5", "-20.25", "-1", "-0.5", "-0.0078125", "0", "0.3466", "1", "10.5", "709"],
    "log": ["1e-300", "2.2250738585072014e-308", "0.0001", "0.5", "0.70710678", "1", "1.0000001", "2", "1000", "1e300"],
    "normal_cdf": ["-37", "-20.5", "-8.75", "-5", "-3.25", "-3", "-2.99", "-1", "-0.125", "0", "0.5", "1.96", "2.99", "3", "4", "7.5"],
    "cos2pi": ["0", "0.0625", "0.125", "0.2", "0.3", "0.45", "0.5", "0.6", "0.77", "0.875", "0.99"],
    "sin2pi": ["0", "0.0625", "0.125", "0.2", "0.3", "0.45", "0.5", "0.6", "0.77", "0.875", "0.99"],
}
with open("portable_math.txt", "w") as out:
    out.write("# function argument value (mpmath dps 60; the argument is the double nearest the decimal)\n")
    for fn, xs in args.items():
        for x in xs:
            xv = mp.mpf(float(x))  # the double the C++ test parses
            if fn == "exp":
                v = mp.exp(xv)
            elif fn == "log":
                v = mp.log(xv)
            elif fn == "normal_cdf":
                v = mp.ncdf(xv)
            elif fn == "cos2pi":
                v = mp.cos(2 * mp.pi * xv)
            else:
                v = mp.sin(2 * mp.pi * xv)
            out.write(f"{fn} {x} {mp.nstr(v, 20)}\n")
