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


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def load_image_folder(folder, size=256, limit=None) -> torch.Tensor:
    """Every image of a folder, resized to size x size, as uint8 (N, 3, size, size).
    Kept as uint8 (4x smaller than float) and converted per batch."""
    import numpy as np
    from PIL import Image

    paths = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)[:limit]
    if not paths:
        raise FileNotFoundError(f"no images in {folder}")
    out = torch.empty(len(paths), 3, size, size, dtype=torch.uint8)
    for i, p in enumerate(paths):
        with Image.open(p) as img:
            img = img.convert("RGB")
            if img.size != (size, size):
                img = img.resize((size, size), Image.BICUBIC)
            out[i] = torch.from_numpy(np.asarray(img).copy()).permute(2, 0, 1)
    return out


def random_crops(images: torch.Tensor, idx: torch.Tensor, crop: int, generator) -> torch.Tensor:
    """Float batch in [-1, 1]: random crop x crop windows, randomly flipped left-right."""
    n, _, h, w = images.shape
    out = []
    for i in idx.tolist():
        y = int(torch.randint(0, h - crop + 1, (1,), generator=generator))
        x = int(torch.randint(0, w - crop + 1, (1,), generator=generator))
        patch = images[i, :, y:y + crop, x:x + crop]
        if torch.rand(1, generator=generator) < 0.5:
            patch = patch.flip(-1)
        out.append(patch)
    return torch.stack(out).float() / 127.5 - 1.0
