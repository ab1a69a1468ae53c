"""Training data: MNIST from the torchvision layout, as whole tensors in memory.

MNIST is small (60,000 x 784 bytes), so it lives in one tensor and batches are index slices:
much faster on a CPU than a DataLoader.
"""

import hashlib
import os
import shutil
from pathlib import Path

import torch

DEFAULT_ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CACHE = Path(os.environ.get("GANZOO_CACHE", Path.home() / ".cache" / "ganzoo"))


def load_mnist(root=DEFAULT_ROOT, train=True):
    """(images float32 (N,1,28,28) in [-1, 1], labels int64 (N,)).

    torchvision extracts the .gz files next to themselves, so the raw folder is copied to a
    writable cache first: the shared data folder is never written to.
    """
    from torchvision.datasets import MNIST

    raw = Path(root) / "MNIST" / "raw"
    if not raw.is_dir():
        raise FileNotFoundError(f"no MNIST/raw folder under {root}")
    # One cache folder per source folder, so a test's synthetic MNIST never mixes with the real one.
    work = CACHE / "mnist" / hashlib.sha1(str(raw.resolve()).encode()).hexdigest()[:12]
    if not (work / "MNIST" / "raw").is_dir():
        shutil.copytree(raw, work / "MNIST" / "raw")
    ds = MNIST(str(work), train=train, download=True)
    images = ds.data.unsqueeze(1).float() / 127.5 - 1.0
    return images, ds.targets.clone()
