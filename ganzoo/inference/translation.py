"""Photo <-> painting translation as the CycleGAN page and `python -m ganzoo.translate` run it: size
policies (a 256 crop, the photo's own size, tiles), a generator pass in the model's precision
(`device.policy_of`), batches of files, and ZIPs of the results.
"""

import io
import math
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import torch
from PIL import Image

from ganzoo.io.images import ImageInputError, decode_image, png_bytes, to_tensor
from ganzoo.runtime.device import policy_of

SIZE_POLICIES = ("crop256", "keep", "tiled")
TILE, OVERLAP = 256, 64


MIN_SIDE = 16  # halved twice, a side must still exceed the residual blocks' reflection padding of 1


def fit_size(size: tuple[int, int], max_side: int = 1024, max_pixels: int | None = None) -> tuple[int, int]:
    """(width, height) that keep/tiled give an image of `size`: no side above max_side, no more than
    max_pixels pixels, each side a multiple of 4. Arithmetic only, so a page can say what it did."""
    width, height = size
    scale = min(1.0, max_side / max(size))
    if max_pixels and width * height * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / (width * height))
    return int(width * scale) // 4 * 4, int(height * scale) // 4 * 4


def needed_size(size: tuple[int, int], size_policy: str, max_side: int = 1024,
                max_pixels: int | None = None) -> tuple[int, int]:
    """The smallest decoded size from which `fit` gives its full result (for decode_image's at_least)."""
    if size_policy == "crop256":
        scale = min(1.0, 256 / min(size))
        return math.ceil(size[0] * scale), math.ceil(size[1] * scale)
    return fit_size(size, max_side, max_pixels)


def fit(img: Image.Image, size_policy: str, max_side: int = 1024, max_pixels: int | None = None) -> Image.Image:
    """The image the generator will see: a 256 centre crop, or the whole image no larger than
    max_side with sides snapped to a multiple of 4 (the generator halves them twice).

    The centre crop takes the central square before resizing, so a 10000x10 strip costs a 10x10
    crop, not a 256000x256 resize. Keep/tiled refuse a side that would shrink below MIN_SIDE, and
    shrink the image further when it would have more than `max_pixels` pixels (the server's cap)."""
    if size_policy == "crop256":
        side = min(img.size)
        left, top = (img.width - side) // 2, (img.height - side) // 2
        return img.crop((left, top, left + side, top + side)).resize((256, 256), Image.BICUBIC)
    w, h = fit_size(img.size, max_side, max_pixels)
    if min(w, h) < MIN_SIDE:
        raise ImageInputError("too_thin", width=img.width, height=img.height, w=max(w, 4), h=max(h, 4),
                              min_side=MIN_SIDE)
    return img.resize((w, h), Image.BICUBIC) if (w, h) != img.size else img


@torch.inference_mode()
def run(generator: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """(N,3,H,W) in [-1,1] -> same shape, with the device policy's precision. Always fp32 out."""
    p = policy_of(generator)
    x = x.to(p.device).contiguous(memory_format=p.memory_format)
    with p.autocast():
        y = generator(x)
    return y.float().cpu().clamp(-1, 1)


def _ramp(n: int, overlap: int) -> torch.Tensor:
    """Weights 1 in the middle of a tile, rising linearly across the overlaps at its edges."""
    w = torch.ones(n)
    if overlap:
        ramp = torch.linspace(0, 1, overlap + 2)[1:-1]
        w[:overlap], w[-overlap:] = ramp, ramp.flip(0)
    return w


@torch.inference_mode()
def run_tiled(generator, x: torch.Tensor, tile=TILE, overlap=OVERLAP) -> torch.Tensor:
    """Large images tile by tile, blended with linear ramps over the overlaps so no seam shows."""
    _, _, h, w = x.shape
    if h <= tile and w <= tile:
        return run(generator, x)
    step = tile - overlap
    ys = list(range(0, max(h - tile, 0) + 1, step)) + ([h - tile] if h > tile and (h - tile) % step else [])
    xs = list(range(0, max(w - tile, 0) + 1, step)) + ([w - tile] if w > tile and (w - tile) % step else [])
    th, tw = min(tile, h), min(tile, w)
    out = torch.zeros(1, 3, h, w)
    weight = torch.zeros(1, 1, h, w)
    # Border tiles keep full weight at the image edge, where no neighbour overlaps them.
    mask = (_ramp(th, overlap if h > tile else 0)[:, None] * _ramp(tw, overlap if w > tile else 0)[None]).clamp_min(
        1e-3
    )
    for y0 in ys:
        for x0 in xs:
            out[..., y0:y0 + th, x0:x0 + tw] += run(generator, x[..., y0:y0 + th, x0:x0 + tw]) * mask
            weight[..., y0:y0 + th, x0:x0 + tw] += mask
    return out / weight


@dataclass
class Translation:
    input: torch.Tensor  # (1,3,H,W) in [-1,1], what the generator saw
    output: torch.Tensor
    seconds: float


def translate(generator, img: Image.Image, size_policy="crop256", max_side=1024, max_pixels=None) -> Translation:
    if size_policy not in SIZE_POLICIES:
        raise ValueError(f"size policy must be one of {SIZE_POLICIES}")
    x = to_tensor(fit(img, size_policy, max_side, max_pixels))[None]
    start = time.perf_counter()
    y = run_tiled(generator, x) if size_policy == "tiled" else run(generator, x)
    return Translation(x, y, time.perf_counter() - start)


def translate_files(generator, files, size_policy="crop256", max_side=1024, max_pixels=None):
    """Each (name, bytes) decoded and translated as the page and the CLI do, one at a time:
    yields (name, Translation) or (name, ImageInputError) for a file that cannot be used."""
    for name, data in files:
        try:
            img = decode_image(data, at_least=lambda size: needed_size(size, size_policy, max_side, max_pixels))
            yield name, translate(generator, img, size_policy, max_side, max_pixels)
        except ImageInputError as exc:
            yield name, exc


def safe_stem(name: str, fallback: str = "image") -> str:
    """A visitor's file name reduced to a harmless stem for an archive entry: no folders, no
    dots in front, letters, digits, '-' and '_' only, at most 80 characters."""
    stem = Path(name.replace("\\", "/")).stem
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem).strip("_")[:80]
    return stem or fallback


def zip_pngs(named_images) -> bytes:
    """(name, uint8 image) pairs -> one ZIP of PNGs named <safe stem>.png (a repeated stem gets
    _2, _3, ...). Stored, not deflated: PNG is compressed already."""
    buf = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for name, image in named_images:
            stem = safe_stem(name)
            seen[stem] = seen.get(stem, 0) + 1
            entry = f"{stem}.png" if seen[stem] == 1 else f"{stem}_{seen[stem]}.png"
            archive.writestr(entry, png_bytes(image))
    return buf.getvalue()


def fit_folder(folder, size_policy="crop256") -> torch.Tensor:
    """Every jpg/png in a folder as the page would feed it to a generator, in [-1, 1]; for
    quality checks (one size, so it needs a fixed-size policy such as the 256 crop)."""
    files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    return torch.cat([to_tensor(fit(decode_image(p.read_bytes()), size_policy))[None] for p in files])
