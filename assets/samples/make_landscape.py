"""Draws assets/samples/synthetic_landscape.png: a sky, a sun, hills and a lake, from seed 0.
The project's own drawing (CC0), so a photo-like sample can ship with the app.

python assets/samples/make_landscape.py
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

H, W = 384, 512
rng = np.random.default_rng(0)
y, x = np.mgrid[0:H, 0:W] / np.array([H, W])[:, None, None]
img = np.zeros((H, W, 3))
sky = np.array([0.35, 0.55, 0.85]) * (1 - y[..., None]) + np.array([0.85, 0.9, 0.95]) * y[..., None]
img[:] = sky
sun = np.exp(-(((x - 0.72) * 4) ** 2 + ((y - 0.22) * 5.3) ** 2) * 8)[..., None]
img = img * (1 - sun) + np.array([1.0, 0.93, 0.7]) * sun
for level, color, amp, freq, phase in [(0.52, (0.35, 0.45, 0.38), 0.06, 3, 0.0), (0.6, (0.22, 0.4, 0.2), 0.05, 5, 1.3),
                                       (0.68, (0.18, 0.33, 0.15), 0.04, 7, 2.1)]:
    ridge = level + amp * np.sin(freq * np.pi * x + phase) + 0.01 * rng.standard_normal(W).cumsum()[None, :] / 10
    mask = (y > ridge)[..., None]
    img = np.where(mask, np.array(color) * (0.85 + 0.3 * rng.random((H, W, 1))), img)
lake = (y > 0.8)[..., None]
reflection = img[::-1][: H][..., :] * 0.6 + np.array([0.2, 0.35, 0.5]) * 0.4
img = np.where(lake, reflection, img)
img += 0.02 * rng.standard_normal(img.shape)
out = Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
out.save(Path(__file__).with_name("synthetic_landscape.png"))
