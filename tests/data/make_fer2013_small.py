#!/usr/bin/env python3
"""Writes fer2013-small.csv: 16 rows in FER-2013's fer2013.csv format, written by us (no real faces).

Row r (0-based): label = r % 7; usage = PublicTest for r < 7, PrivateTest for 7 <= r < 14,
Training for r >= 14; pixel i = (31 * r + 7 * i) % 256, so every value 0-255 occurs.
Run: python3 make_fer2013_small.py > fer2013-small.csv
"""
import sys

rows = []
for r in range(16):
    usage = "PublicTest" if r < 7 else ("PrivateTest" if r < 14 else "Training")
    pixels = " ".join(str((31 * r + 7 * i) % 256) for i in range(48 * 48))
    rows.append(f"{r % 7},{pixels},{usage}\n")
sys.stdout.write("emotion,pixels,Usage\n" + "".join(rows))
