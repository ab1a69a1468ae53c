"""The 2x2 "slanted faces" GAN's two networks: D(x) = sigmoid(w.x + b), G(z) = sigmoid(v z + c).

Parameters of R independent runs are held side by side (w (R, 4), b (R,), v (R, 4), c (R, 4)) so a
seed sweep trains many GANs at once. They are float64 numpy arrays: for four weights, numpy's
per-operation cost is a fraction of torch's, and the reference run matches the published numpy
code to rounding. The two networks also take torch tensors, so autograd can check the gradients.
"""

import math
from dataclasses import dataclass

import numpy as np

DTYPE = np.float64


@dataclass
class ToyGAN:
    """Parameters of R independent GANs: w (R,4), b (R,) for D; v (R,4), c (R,4) for G."""
    w: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: np.ndarray

    @classmethod
    def init(cls, seeds) -> "ToyGAN":
        """Each run's 13 initial values drawn like the published code: numpy's legacy RNG,
        `normal()` one at a time: D's 4 weights, D's bias, G's 4 weights, G's 4 biases."""
        t = np.array([np.random.RandomState(s).normal(size=13) for s in seeds], dtype=DTYPE)
        return cls(t[:, 0:4].copy(), t[:, 4].copy(), t[:, 5:9].copy(), t[:, 9:13].copy())

    def clone(self) -> "ToyGAN":
        return ToyGAN(self.w.copy(), self.b.copy(), self.v.copy(), self.c.copy())

    def as_dict(self, run: int = 0) -> dict:
        return {"G_weights": self.v[run].tolist(), "G_biases": self.c[run].tolist(),
                "D_weights": self.w[run].tolist(), "D_bias": float(self.b[run])}


def sigmoid(x):
    """1 / (1 + e^-x) on Python floats and numpy arrays, torch.sigmoid on tensors."""
    if type(x) is float:  # one run's training loop (ganzoo.lessons.toy): 28,000 calls a run
        return 1.0 / (1.0 + math.exp(-x)) if x > -709.0 else 0.0  # math.exp overflows past 709
    if type(x) is np.ndarray:  # a sweep's training loop
        return 1.0 / (1.0 + np.exp(-x))
    return x.sigmoid() if hasattr(x, "sigmoid") else 1.0 / (1.0 + np.exp(-x))


def discriminate(w, b, x):
    """D(x) = sigmoid(w.x + b); x (R,4) or (4,), returns (R,)."""
    return sigmoid((x * w).sum(-1) + b)


def generate(v, c, z):
    """G(z) = sigmoid(v z + c); z (R,), returns (R,4)."""
    return sigmoid(v * z[..., None] + c)
