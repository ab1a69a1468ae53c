"""One place that seeds every random generator the project uses."""

import random

import numpy as np
import torch

MAX_SEED = 2**31 - 1


def clamp_seed(seed) -> int:
    """Any integer-like value mapped into the range every RNG here accepts."""
    try:
        seed = int(seed)
    except (TypeError, ValueError, OverflowError):  # None, "abc", inf
        seed = 0
    return min(max(seed, 0), MAX_SEED)


def set_seed(seed: int) -> None:
    seed = clamp_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def generator(seed: int, device="cpu") -> torch.Generator:
    """A private torch RNG, so concurrent sessions never share random state."""
    g = torch.Generator(device=device)
    g.manual_seed(clamp_seed(seed))
    return g
