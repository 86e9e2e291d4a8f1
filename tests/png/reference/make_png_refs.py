#!/usr/bin/env python3
"""Writes the PNG files that tests/png reads, with OpenCV (python3-opencv), an independent encoder.

gray8.png:   7 x 5 (width x height) 8-bit gray, pixel (r, c) = (37 * r + 11 * c) % 256
gray16.png:  7 x 5 16-bit gray, pixel (r, c) = (9973 * r + 257 * c + 1) % 65536
bilevel.png: 9 x 4 1-bit gray (cv2.IMWRITE_PNG_BILEVEL), pixel (r, c) = 255 if (r + c) % 3 == 0 else 0
rgb.png:     3 x 2 8-bit colour (an input read_png must reject)
Run from this folder: /usr/bin/python3 make_png_refs.py ../../data/png
"""
import sys
import numpy as np
import cv2

out = sys.argv[1]
r, c = np.mgrid[0:5, 0:7]
cv2.imwrite(f"{out}/gray8.png", ((37 * r + 11 * c) % 256).astype(np.uint8))
cv2.imwrite(f"{out}/gray16.png", ((9973 * r + 257 * c + 1) % 65536).astype(np.uint16))
r, c = np.mgrid[0:4, 0:9]
cv2.imwrite(f"{out}/bilevel.png", np.where((r + c) % 3 == 0, 255, 0).astype(np.uint8), [cv2.IMWRITE_PNG_BILEVEL, 1])
cv2.imwrite(f"{out}/rgb.png", np.zeros((2, 3, 3), np.uint8))
