#!/usr/bin/python3
"""Reference for fer2013_xception::preprocess: OpenCV's INTER_LINEAR resize on a float32 copy,
then (x / 255 - 0.5) * 2 (the model's preprocessing, issue 8). Writes deterministic synthetic gray
images of several sizes as binary PGM and the expected 64x64 float32 (little-endian) arrays to
tests/data/inference/preprocess/. Run from the repository root:
    /usr/bin/python3 tests/inference/reference/make_preprocess_reference.py
"""
import pathlib

import cv2
import numpy as np

out = pathlib.Path("tests/data/inference/preprocess")
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(20260814)
sizes = {"fer48": (48, 48), "odd37x53": (37, 53), "down100x80": (100, 80), "tiny3x5": (3, 5), "same64": (64, 64)}
names = []
for name, (h, w) in sizes.items():
    img = rng.integers(0, 256, size=(h, w), dtype=np.uint8)
    img[0, :] = 0
    img[-1, :] = 255  # edges at the extremes exercise the clamping
    with open(out / f"{name}.pgm", "wb") as f:
        f.write(f"P5\n{w} {h}\n255\n".encode())
        f.write(img.tobytes())
    x = cv2.resize(img.astype(np.float32), (64, 64), interpolation=cv2.INTER_LINEAR)
    x = (x / 255.0 - 0.5) * 2.0
    x.astype("<f4").tofile(out / f"{name}.f32")
    names.append(name)
(out / "cases.txt").write_text("\n".join(names) + "\n")
print("cv2", cv2.__version__, "wrote", names)
