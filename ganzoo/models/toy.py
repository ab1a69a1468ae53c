"""The 2x2 "slanted faces" GAN's two networks: D(x) = sigmoid(w.x + b), G(z) = sigmoid(v z + c).

Parameters of R independent runs are held side by side (w (R, 4), b (R,), v (R, 4), c (R, 4)) so a
seed sweep trains many GANs at once; float64 so the reference run matches the published numpy code.
"""

from dataclasses import dataclass

import numpy as np
import torch

DTYPE = torch.float64


@dataclass
class ToyGAN:
    """Parameters of R independent GANs: w (R,4), b (R,) for D; v (R,4), c (R,4) for G."""
    w: torch.Tensor
    b: torch.Tensor
    v: torch.Tensor
    c: torch.Tensor

    @classmethod
    def init(cls, seeds) -> "ToyGAN":
        """Each run's 13 initial values drawn like the published code: numpy's legacy RNG,
        `normal()` one at a time: D's 4 weights, D's bias, G's 4 weights, G's 4 biases."""
        draws = np.array([np.random.RandomState(s).normal(size=13) for s in seeds])
        t = torch.from_numpy(draws).to(DTYPE)
        return cls(t[:, 0:4].clone(), t[:, 4].clone(), t[:, 5:9].clone(), t[:, 9:13].clone())

    def clone(self) -> "ToyGAN":
        return ToyGAN(self.w.clone(), self.b.clone(), self.v.clone(), self.c.clone())

    def as_dict(self, run: int = 0) -> dict:
        return {"G_weights": self.v[run].tolist(), "G_biases": self.c[run].tolist(),
                "D_weights": self.w[run].tolist(), "D_bias": float(self.b[run])}


def discriminate(w, b, x):
    """D(x) = sigmoid(w.x + b); x (R,4) or (4,), returns (R,)."""
    return torch.sigmoid((x * w).sum(-1) + b)


def generate(v, c, z):
    """G(z) = sigmoid(v z + c); z (R,), returns (R,4)."""
    return torch.sigmoid(v * z[..., None] + c)
