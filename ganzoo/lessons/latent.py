"""Walking the latent space: interpolation and the course's controllable generation g(z + d)."""

import torch

from ganzoo.inference.sampling import classify, generate, latents
from ganzoo.models.mnist import NUM_CLASSES, MnistGAN


def lerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Straight line: (1 - t) z0 + t z1 for each t; returns (len(t), dim)."""
    t = t[:, None]
    return (1 - t) * z0 + t * z1


def slerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Along the great circle between z0 and z1. Gaussian codes live near a sphere, and the
    straight line cuts through its low-norm interior where the generator saw no training codes."""
    a, b = z0 / z0.norm(), z1 / z1.norm()
    omega = torch.arccos((a * b).sum().clamp(-1, 1))
    t = t[:, None]
    if omega.abs() < 1e-6:
        return lerp(z0, z1, t[:, 0])
    so = torch.sin(omega)
    return torch.sin((1 - t) * omega) / so * z0 + torch.sin(t * omega) / so * z1


def interpolate(z0, z1, steps: int, method: str = "slerp") -> torch.Tensor:
    t = torch.linspace(0, 1, steps)
    return (slerp if method == "slerp" else lerp)(z0, z1, t)


def label_morph(a: int, b: int, steps: int) -> torch.Tensor:
    """Soft label vectors from digit a to digit b: the conditional generator's class input."""
    t = torch.linspace(0, 1, steps)[:, None]
    eye = torch.eye(NUM_CLASSES)
    return (1 - t) * eye[a] + t * eye[b]


def class_directions(model: MnistGAN, classifier, seed: int, n: int = 2048) -> dict:
    """For each digit, d = mean latent code of the samples the classifier reads as that digit
    minus the mean of the others: adding it to z makes G's output look more like that digit
    (g(z + d) in the course). One batch of n samples serves all ten digits; a digit read fewer
    than 8 times gets no direction."""
    z = latents(model, n, seed)
    read = classify(classifier, generate(model, z)).argmax(1)
    directions = {}
    for digit in range(NUM_CLASSES):
        mask = read == digit
        if mask.sum() >= 8 and (~mask).sum() >= 8:
            directions[digit] = z[mask].mean(0) - z[~mask].mean(0)
    return directions


def along(z: torch.Tensor, direction, alpha: float) -> torch.Tensor:
    """The codes moved by alpha along a direction (a tensor or an array): the course's z + alpha d."""
    return z + alpha * torch.as_tensor(direction, dtype=z.dtype)


def random_direction(dim: int, seed: int) -> torch.Tensor:
    """A unit direction drawn from the seed, for comparison with a learned one."""
    g = torch.Generator().manual_seed(seed)
    d = torch.randn(dim, generator=g)
    return d / d.norm()
