"""Upsampling as the course draws it: transposed convolution by hand, nearest neighbour, and where
the checkerboard comes from.

A transposed convolution places a copy of the kernel, scaled by each input value, at `stride`
steps in the output, and adds where copies overlap; `padding` then trims that many rows and
columns from each border (PyTorch's convention, so `transposed_conv` equals
`torch.nn.functional.conv_transpose2d`, which tests/unit/test_upsampling.py checks). When the
kernel size is not a multiple of the stride the copies overlap unevenly: some output pixels
receive more kernel taps than their neighbours, in a pattern that repeats every `stride` pixels
(Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts", Distill, 2016).
"""

import numpy as np
import torch

from ganzoo.io import checkpoints
from ganzoo.io.images import to_uint8, upscale
from ganzoo.maths import metrics
from ganzoo.models.cyclegan import CycleGAN

Term = tuple[int, int, int, int]  # input row, input column, kernel row, kernel column


def transposed_conv(x, kernel, stride: int = 1, padding: int = 0):
    """2D transposed convolution of one channel, written out: returns the output and, for every
    output cell, the (input row, input column, kernel row, kernel column) terms of its sum."""
    x, kernel = np.asarray(x, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    if x.ndim != 2 or kernel.ndim != 2 or min(x.shape + kernel.shape) < 1:
        raise ValueError("input and kernel must be non-empty matrices")
    if stride < 1 or padding < 0:
        raise ValueError("stride must be >= 1 and padding >= 0")
    (h, w), (kh, kw) = x.shape, kernel.shape
    full_h, full_w = (h - 1) * stride + kh, (w - 1) * stride + kw
    if full_h - 2 * padding < 1 or full_w - 2 * padding < 1:
        raise ValueError("padding removes the whole output")
    full = np.zeros((full_h, full_w))
    terms: list[list[list[Term]]] = [[[] for _ in range(full_w)] for _ in range(full_h)]
    for i in range(h):
        for j in range(w):
            for a in range(kh):
                for b in range(kw):
                    full[i * stride + a, j * stride + b] += x[i, j] * kernel[a, b]
                    terms[i * stride + a][j * stride + b].append((i, j, a, b))
    rows, cols = slice(padding, full_h - padding), slice(padding, full_w - padding)
    return full[rows, cols], [row[cols] for row in terms[rows]]


def nearest(x, factor: int = 2) -> np.ndarray:
    """Nearest-neighbour upsampling: every value copied into a factor x factor block."""
    return np.repeat(np.repeat(np.asarray(x), factor, axis=0), factor, axis=1)


def taps_transposed(kernel_size: int, stride: int, size: int = 8) -> np.ndarray:
    """How many kernel taps land on each output pixel of a transposed convolution of a size x size
    input (no padding): uneven unless kernel_size is a multiple of stride."""
    counts, _ = transposed_conv(np.ones((size, size)), np.ones((kernel_size, kernel_size)), stride)
    return counts


def taps_resize_conv(kernel_size: int, factor: int, size: int = 8) -> np.ndarray:
    """The same count for a nearest-neighbour resize by `factor` followed by a stride-1 convolution
    with zero padding that keeps the size: every pixel whose window lies inside gets them all."""
    up = nearest(np.ones((size, size)), factor)
    pad = kernel_size // 2
    padded = np.pad(up, pad)
    n = up.shape[0]
    return np.array([[padded[r:r + kernel_size, c:c + kernel_size].sum() for c in range(n)] for r in range(n)])


FLAT_GREY = 0.2  # not 0, which reaches the upsampling layers as nothing at all (metrics.flat_spread)
GAIN = 10  # departures from the mean grey, amplified so a pattern of a few hundredths shows


def photo_to_painting(name: str) -> torch.nn.Module:
    """A shipped CycleGAN's photo -> painting generator as trained, in fp32: the fast CPU path rounds
    in bf16 and int8, which would blur the comparison."""
    folder = checkpoints.embedded_folder(name)
    model = checkpoints.load_folder(checkpoints.REGISTRY[name].cls, folder)
    return (model.G_BA if isinstance(model, CycleGAN) else model).eval()


@torch.no_grad()
def flat_grey_through(generator: torch.nn.Module, zoom: int = 6) -> tuple[np.ndarray, float]:
    """A flat grey 256x256 image through a generator: the output's central 64x64 with its departures
    from the mean amplified GAIN times, upscaled `zoom` times (uint8 (H, W, 3)), and
    metrics.phase_spread of the whole output."""
    y = generator(torch.full((1, 3, 256, 256), FLAT_GREY))[0]
    centre = y[:, 96:160, 96:160]
    shown = (0.5 + GAIN * (centre - centre.mean((1, 2), keepdim=True))).clamp(0, 1) * 2 - 1
    return upscale(to_uint8(shown), zoom), metrics.phase_spread(y)
