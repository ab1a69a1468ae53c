"""One place that seeds every random generator the project uses.

torch is imported inside the functions that need it: the Streamlit shell reads MAX_SEED and
clamp_seed for every page, and the home page must not wait for torch to load."""

import random

import numpy as np

MAX_SEED = 2**31 - 1


def clamp_seed(seed) -> int:
    """Any integer-like value mapped into the range every RNG here accepts."""
    try:
        seed = int(seed)
    except (TypeError, ValueError, OverflowError):  # None, "abc", inf
        seed = 0
    return min(max(seed, 0), MAX_SEED)


def set_seed(seed: int) -> None:
    import torch
    seed = clamp_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def seeded_build(build, seed: int):
    """`build()` (a network's constructor) with its initial weights drawn from `seed`: torch's layers
    draw from the global generator, so it is seeded inside a forked random state, which is given back
    as it was afterwards (the pages' own draws all come from private generators)."""
    import torch
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(clamp_seed(seed))
        return build()


def generator(seed: int, device="cpu"):
    """A private torch.Generator, so concurrent sessions never share random state."""
    import torch
    g = torch.Generator(device=device)
    g.manual_seed(clamp_seed(seed))
    return g
