"""The CycleGAN page's work on the image it shows, kept between reruns: every generator pass made on
it, the previews the page shows and runs its checks on, their PNGs, and the cycle and identity errors.

The passes live in a plain dict that the caller keeps (the page keeps it in its session state), keyed:
  "source"                  what identifies the image (style, upload or sample, size settings)
  "x"                       the generator's input, (1,3,H,W) in [-1, 1]
  (generator, input name)   a pass: (output, seconds); generator "AB" or "BA", input "x", "x small"
                            (the input's preview) or "y AB" / "y BA" (the preview of that translation)
  ("png", pass key)         the PNG of what the page shows for that pass ("x": the input's preview)
  ("error", pass key)       a check's error: (mean L1, error map) for the cycle, mean L1 for the identity
On an image the page shows whole the identity check is the other direction's translation, so after
a direction switch only the cycle back is new work: one pass instead of three. The passes of one
image are kept (at most its two full-size translations) and dropped when the image changes.
A bundled sample's translation and its two PNGs, which every new visitor opening the page would
otherwise redo, are shared by the sessions of a process (SAMPLE_VIEWS).
"""

import threading
import time
import weakref
from collections import OrderedDict
from functools import cached_property

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ganzoo.inference import translation
from ganzoo.io.images import jpeg_bytes, png_bytes, to_uint8

PREVIEW_SIDE = 768  # what the page shows and checks the cycle on; the download keeps the full size
HEATMAP_SIDE = 256  # the error map sent to the browser


def preview(x: torch.Tensor, side: int = PREVIEW_SIDE) -> torch.Tensor:
    """(1,C,H,W) shrunk by area averaging so its longer side is at most `side` (sides a multiple of 4)."""
    h, w = x.shape[-2:]
    if max(h, w) <= side:
        return x
    scale = side / max(h, w)
    return F.interpolate(x, size=(max(4, int(h * scale) // 4 * 4), max(4, int(w * scale) // 4 * 4)), mode="area")


_warmed: "weakref.WeakSet[torch.nn.Module]" = weakref.WeakSet()


def warm_up(generators) -> None:
    """oneDNN builds its kernels on a network's first call at a size (~10x the steady time): one pass
    of each generator at 256x256, once per generator and process, so the time shown to a visitor is
    the time it really takes."""
    for generator in generators:
        if generator not in _warmed:
            translation.run(generator, torch.zeros(1, 3, 256, 256))
            _warmed.add(generator)


def store_for(store: dict | None, source) -> dict:
    """`store` while it holds the passes of the image `source`; a fresh one when the image changed."""
    return store if store is not None and store.get("source") == source else {"source": source}


class SampleViews:
    """The first view of each bundled sample, shared by the sessions of one process: every new visitor
    opens the page on the same sample at the same settings, and its translation and the PNGs shown
    side by side are the same for all of them (about 70 ms of CPU a visitor). A fresh store (the
    "source" alone) for (source, direction) starts with the translation and PNGs that the first
    store made for them; the rest stays its own. Never for uploads: one visitor's photo is theirs."""

    def __init__(self, size: int = 8):
        self.size = size
        self._first: OrderedDict = OrderedDict()  # (source, direction) -> the first store opened on it
        self._lock = threading.Lock()

    def seeded(self, store: dict, direction: str) -> dict:
        if len(store) > 1:  # not fresh: it has its own passes already
            return store
        key = (store["source"], direction)
        with self._lock:
            first = self._first.get(key)
            if first is None or (direction, "x") not in first:  # none yet, or its translation failed
                first = self._first[key] = store
            self._first.move_to_end(key)
            while len(self._first) > self.size:
                self._first.popitem(last=False)
        # A store's entries are only ever added, each once and never changed: reading one is safe
        # while its session goes on (one not there yet is simply made here again).
        for name in ("x", (direction, "x"), ("png", "x"), ("png", (direction, "x"))):
            value = first.get(name) if first is not store else None
            if value is not None:
                store[name] = value
        return store


SAMPLE_VIEWS = SampleViews()


def other_direction(direction: str) -> str:
    return "AB" if direction == "BA" else "BA"


class CyclePasses:
    """The page's view of one store for this rerun's settings: `forward` translates in `direction`,
    `backward` (None for a lone generator) takes the translation back for the checks."""

    def __init__(self, store: dict, forward, backward, direction: str, size_policy: str):
        self.store, self.forward, self.backward = store, forward, backward
        self.direction, self.other, self.size_policy = direction, other_direction(direction), size_policy

    # --- The translation ---
    @property
    def translated(self) -> bool:
        return (self.direction, "x") in self.store

    def translate(self, image: Image.Image, max_side: int, max_pixels: int | None) -> None:
        """The shown image's translation (raises ImageInputError for one the size policy cannot use)."""
        result = translation.translate(self.forward, image, self.size_policy, max_side, max_pixels)
        self.store["x"], self.store[(self.direction, "x")] = result.input, (result.output, result.seconds)

    @property
    def x(self) -> torch.Tensor:
        return self.store["x"]

    @property
    def y(self) -> torch.Tensor:
        return self.store[(self.direction, "x")][0]

    @property
    def seconds(self) -> float:
        return self.store[(self.direction, "x")][1]

    @cached_property
    def small_x(self) -> torch.Tensor:
        return preview(self.x)

    @cached_property
    def small_y(self) -> torch.Tensor:
        return preview(self.y)

    # --- The checks: the cycle back and the identity ---
    def key(self, generator: str, name: str) -> tuple:
        """(generator, input); "x small" (the preview the checks run on) is "x" itself when they are
        the same tensor and run through the same path (untiled)."""
        x = self.store.get("x")
        whole = x is not None and max(x.shape[-2:]) <= PREVIEW_SIDE and (
            self.size_policy != "tiled" or max(x.shape[-2:]) <= translation.TILE)
        return generator, "x" if name == "x small" and whole else name

    @property
    def cycle_key(self) -> tuple:
        return self.key(self.other, "y " + self.direction)

    @property
    def identity_key(self) -> tuple:
        return self.key(self.other, "x small")

    def has(self, key) -> bool:
        return key in self.store

    def _run(self, key, make_input) -> None:
        if key not in self.store:
            start = time.perf_counter()
            self.store[key] = (translation.run(self.backward, make_input()), time.perf_counter() - start)

    def run_cycle(self) -> None:
        """F(G(x)): the translation's preview taken back by the other generator."""
        self._run(self.cycle_key, lambda: self.small_y)

    def run_identity(self) -> None:
        """The other generator on the input's preview, which is already in its target domain."""
        self._run(self.identity_key, lambda: self.small_x)

    def output(self, key) -> torch.Tensor:
        return self.store[key][0]

    def cycle_error(self) -> tuple[float, np.ndarray]:
        """The mean L1 between x and F(G(x)), and where they differ (mean over the colour channels),
        at most HEATMAP_SIDE on a side; kept with the passes it compares."""
        key = ("error", self.cycle_key)
        if key not in self.store:
            error = (self.small_x - self.output(self.cycle_key)).abs().mean(1, keepdim=True)
            self.store[key] = float(error.mean()), preview(error, HEATMAP_SIDE)[0, 0].numpy()
        return self.store[key]

    def identity_error(self) -> float:
        key = ("error", self.identity_key)
        if key not in self.store:
            self.store[key] = float((self.small_x - self.output(self.identity_key)).abs().mean())
        return self.store[key]

    # --- What the page shows ---
    def png(self, key) -> bytes:
        """What the page shows for a pass ("x": the input), as PNG at ganzoo's fast zlib level
        (Streamlit's default level took 0.6 s for the four previews of a large upload), kept under
        the pass's key: after a direction switch the images shown again are ones already encoded."""
        png = self.store.get(("png", key))
        if png is None:
            image = self.small_x if key == "x" else self.small_y if key == (self.direction, "x") else self.output(key)
            png = self.store[("png", key)] = png_bytes(to_uint8(image[0]))
        return png

    def slider_jpegs(self) -> tuple[bytes, bytes]:
        """The input's and the translation's previews as JPEG, for the before/after slider."""
        return jpeg_bytes(to_uint8(self.small_x[0])), jpeg_bytes(to_uint8(self.small_y[0]))

    def full_png(self) -> bytes:
        """The full-size translation as PNG, for the download (a 2048x2048 image takes a second)."""
        return png_bytes(to_uint8(self.y[0]))
