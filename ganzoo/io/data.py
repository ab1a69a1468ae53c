"""Training data: MNIST and Fashion-MNIST read from their IDX files, as whole tensors in memory.

Both are small (60,000 x 784 bytes), so each lives in one tensor and batches are index slices:
much faster on a CPU than a DataLoader.
"""

import gzip
import struct
from pathlib import Path

import numpy as np
import torch

DEFAULT_ROOT = Path(__file__).resolve().parents[3] / "shared" / "data"
# dataset name -> folder under the data root; both use the IDX layout and file names of MNIST.
DATASETS = {"mnist": "MNIST", "fashion": "FashionMNIST"}


def read_idx(path: Path) -> np.ndarray:
    """One IDX file (gzipped or not): big-endian magic (0, 0, dtype 0x08 = uint8, rank), the sizes,
    then the bytes. Read directly because Debian recompressed the Fashion-MNIST .gz files, so
    torchvision's MD5 check fails on them and it would try the network."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        zero, dtype, rank = struct.unpack(">HBB", f.read(4))
        if zero != 0 or dtype != 0x08:
            raise ValueError(f"{path} is not a uint8 IDX file")
        shape = struct.unpack(f">{rank}I", f.read(4 * rank))
        data = np.frombuffer(f.read(), dtype=np.uint8)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path} holds {data.size} bytes for shape {shape}")
    return data.reshape(shape)


def _idx_file(raw: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (raw / name).is_file():
            return raw / name
    raise FileNotFoundError(f"no {stem}[.gz] in {raw}")


def load_dataset(dataset="mnist", root=DEFAULT_ROOT, train=True):
    """(images float32 (N,1,28,28) in [-1, 1], labels int64 (N,)) of `dataset` ("mnist" or
    "fashion") from `root`/MNIST/raw or `root`/FashionMNIST/raw."""
    raw = Path(root) / DATASETS[dataset] / "raw"
    if not raw.is_dir():
        raise FileNotFoundError(f"no {DATASETS[dataset]}/raw folder under {root}")
    prefix = "train" if train else "t10k"
    pixels = read_idx(_idx_file(raw, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(_idx_file(raw, f"{prefix}-labels-idx1-ubyte"))
    images = torch.from_numpy(pixels.copy()).unsqueeze(1).float() / 127.5 - 1.0
    return images, torch.from_numpy(labels.astype(np.int64))


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def load_image_folder(folder, size=256, limit=None) -> torch.Tensor:
    """Every image of a folder, resized to size x size, as uint8 (N, 3, size, size).
    Kept as uint8 (4x smaller than float) and converted per batch."""
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
