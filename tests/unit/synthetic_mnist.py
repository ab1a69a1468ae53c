"""A tiny learnable stand-in for MNIST, written as IDX files as the real one is, and the few GAN
steps the 28x28 tests share."""

import struct
from pathlib import Path

import numpy as np
import torch

from ganzoo.training.gan import gan_step

ROOT = Path(__file__).resolve().parents[2]  # where the CLIs run


def synthetic_digits(n=512, seed=0):
    """Bars whose position depends on the label: a tiny learnable stand-in for MNIST."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=g)
    images = torch.full((n, 1, 28, 28), -1.0)
    for i, k in enumerate(labels.tolist()):
        images[i, 0, 2 + 2 * k:4 + 2 * k, 4:24] = 1.0
    return images, labels


def write_idx(folder: Path, images: torch.Tensor, labels: torch.Tensor, prefix: str):
    pixels = ((images[:, 0] + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()
    n = len(pixels)
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">IIII", 2051, n, 28, 28) + pixels.tobytes())
    (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(
        struct.pack(">II", 2049, n) + labels.numpy().astype(np.uint8).tobytes())


def train_steps(model, images, labels, steps, lr=1e-3, loss="non-saturating", d_losses=None):
    """`steps` GAN steps of 64 images, cycling through the first 256; D's losses go to `d_losses`."""
    opt_g = torch.optim.Adam(model.generator.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(0)
    for i in range(steps):
        b = slice((i % 4) * 64, (i % 4 + 1) * 64)
        loss_d, _ = gan_step(model, opt_g, opt_d, images[b], labels[b], g, 0.9, loss=loss)
        if d_losses is not None:
            d_losses.append(loss_d)
    return model


def largest_singular_values(discriminator):
    """The largest singular value of each convolution's weight as D uses it (out x in*k*k)."""
    return [torch.linalg.matrix_norm(layer.weight.detach().flatten(1), 2).item()
            for layer in discriminator.modules() if isinstance(layer, torch.nn.Conv2d)]
