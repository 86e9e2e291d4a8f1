"""Helpers of the reference scripts under tests/<module>/reference (not disfer code; nothing here
computes a statistic). Encodings, as the tests read them (tests/support/reference_check.hpp):
- an exact rational as {"num": "...", "den": "...", "decimal": 25 significant digits};
- an mpmath value as a decimal string of 20 significant digits (computed at 60 digits);
- an undefined value (0/0) as null.
A script writes beside itself; the oracle ctests (tests/support/oracle.py) run it on a copy of tests/
and compare what it wrote with the committed files."""
import json
import os
import platform
import sys
from fractions import Fraction

import mpmath as mp

mp.mp.dps = 60


def frac(x):
    """An exact rational (Fraction or int) in the {num, den, decimal} encoding; None stays None."""
    if x is None:
        return None
    x = Fraction(x)
    return {"num": str(x.numerator), "den": str(x.denominator),
            "decimal": mp.nstr(mp.mpf(x.numerator) / x.denominator, 25)}


def mpstr(x):
    """An mpmath number as 20 significant digits; None stays None."""
    return None if x is None else mp.nstr(mp.mpf(x), 20, min_fixed=-5, max_fixed=5)


def flt(x):
    """A Fraction (correctly rounded) or mpmath number as a double, for vectors of values."""
    return float(x)


def mean(values):
    values = list(values)
    return sum(values, Fraction(0)) / len(values)


def versions(*modules):
    """Python and the given modules' versions, for a file's generated_with field."""
    out = {"python": platform.python_version(), "mpmath": mp.__version__}
    for m in modules:
        out[m.__name__] = getattr(m, "__version__", "?")
    return out


def write_json(script_file, name, obj):
    """Writes obj as JSON beside script_file (one case per line, so diffs stay readable)."""
    path = os.path.join(os.path.dirname(os.path.abspath(script_file)), name)
    cases = obj.pop("cases", None)
    with open(path, "w") as fh:
        head = json.dumps(obj, indent=1)
        if cases is None:
            fh.write(head + "\n")
        else:
            fh.write(head[:-2] + ',\n "cases": [\n')
            fh.write(",\n".join("  " + json.dumps(c) for c in cases))
            fh.write("\n ]\n}\n")
    print("wrote", path, file=sys.stderr)
