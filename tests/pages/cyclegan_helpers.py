"""What the CycleGAN page tests share: opening a tab as a click would, and the images they upload."""

import numpy as np
from PIL import Image

from tests.unit.test_images import encode


def open_tab(at, name):
    """The tabs run only the open one's content: open one as a click on its label would."""
    from ganzoo.runtime.i18n import tr
    at.session_state["cycle_tab"] = tr(f"cycle.tab.{name}")
    return at.run()


def noise(w, h, mode="RGB"):
    arr = np.random.default_rng(0).integers(0, 255, (h, w, 3), dtype=np.uint8)
    return Image.fromarray(arr).convert(mode)


def big_photo(side=3000):
    gradient = np.linspace(0, 255, side, dtype=np.uint8)
    return encode(Image.fromarray(np.stack([np.tile(gradient, (side, 1))] * 3, axis=2)), "JPEG")

