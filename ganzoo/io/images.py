"""The only path from uploaded bytes to pixels and back, plus grid, PNG and GIF helpers.

Limits are checked before any pixel is decoded, so a decompression bomb costs nothing.
"""

import io

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from ganzoo.runtime.i18n import VisitorError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 4


class ImageInputError(VisitorError):
    """A bad image: a message key under errors.image.*, shown in the visitor's language."""

    def __init__(self, reason: str, **fields):
        super().__init__("errors.image." + reason, **fields)


def decode_image(data: bytes, mode: str = "RGB", max_bytes=MAX_UPLOAD_BYTES,
                 max_pixels=MAX_PIXELS, at_least=None) -> Image.Image:
    """Bytes of any common format -> an upright PIL image in mode "RGB" or "L".

    `at_least(size)` -> (width, height), the upright size the caller will shrink the image to: a
    JPEG is then decoded at the smallest of libjpeg's 1/2, 1/4, 1/8 scales that still covers it
    (a 6000x6000 photo needed at 2048 decodes at 3000x3000: 4x less memory and time)."""
    if mode not in ("RGB", "L"):
        raise ValueError(f"mode must be RGB or L, not {mode!r}")
    if not data:
        raise ImageInputError("empty")
    if len(data) > max_bytes:
        raise ImageInputError("file_too_big", mb=len(data) / 2**20, limit=max_bytes / 2**20)
    try:
        img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ImageInputError("too_many_pixels", limit=max_pixels / 1e6) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ImageInputError("unreadable") from None
    width, height = img.size
    if width * height > max_pixels:
        raise ImageInputError("pixels_over", width=width, height=height, limit=max_pixels / 1e6)
    if min(width, height) < MIN_SIDE:
        raise ImageInputError("too_small", width=width, height=height, min_side=MIN_SIDE)
    if at_least is not None and img.format == "JPEG":
        rotated = img.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF orientation: stored sideways
        upright = (height, width) if rotated else (width, height)
        need_w, need_h = at_least(upright)
        img.draft(img.mode, (need_h, need_w) if rotated else (need_w, need_h))
    try:
        img.load()
        img = ImageOps.exif_transpose(img)
        img = _to_mode(img, mode)
    except Image.DecompressionBombError:
        raise ImageInputError("too_many_pixels", limit=max_pixels / 1e6) from None
    except (OSError, ValueError, SyntaxError):
        raise ImageInputError("damaged") from None
    return img


def _to_mode(img: Image.Image, mode: str) -> Image.Image:
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16/32-bit greyscale: rescale to 8 bits instead of clipping everything to white.
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if arr.max() > 255 else 255.0
        img = Image.fromarray(np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
    elif img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Transparent pixels become white, as they look in a browser.
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    return img.convert(mode)


def to_tensor(img: Image.Image) -> torch.Tensor:
    """PIL image -> float tensor (C,H,W) in [-1, 1], the range the generators use."""
    arr = np.asarray(img, dtype=np.float32) / 127.5 - 1.0
    if arr.ndim == 2:
        arr = arr[None]
    else:
        arr = arr.transpose(2, 0, 1)
    return torch.from_numpy(np.ascontiguousarray(arr))


def to_uint8(images) -> np.ndarray:
    """Tensor or array in [-1, 1] shaped (C,H,W) or (N,C,H,W) -> uint8 (H,W[,C]) / (N,H,W[,C])."""
    if isinstance(images, torch.Tensor):
        images = images.detach().float().cpu().numpy()
    arr = np.clip((np.asarray(images) + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)
    channel_axis = arr.ndim - 3
    arr = np.moveaxis(arr, channel_axis, -1)
    return arr[..., 0] if arr.shape[-1] == 1 else arr


def grid(images: np.ndarray, ncols: int, pad: int = 2, pad_value: int = 255) -> np.ndarray:
    """uint8 (N,H,W[,C]) -> one uint8 image with the N tiles in rows of ncols, `pad` pixels around
    and between them: torchvision's make_grid layout (tests/unit/test_images.py compares the two),
    kept in numpy because importing torchvision.utils pulls in torch._dynamo and sympy, +160 MB in
    every server process for a few slices."""
    n = len(images)
    cols = max(1, min(ncols, n)) if n > 1 else 1
    rows = -(-n // cols)
    h, w = images.shape[1:3]
    out = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad) + images.shape[3:], pad_value, np.uint8)
    for i, tile in enumerate(images):
        r, c = divmod(i, cols)
        out[pad + r * (h + pad):pad + r * (h + pad) + h, pad + c * (w + pad):pad + c * (w + pad) + w] = tile
    return out


def upscale(image: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour upscaling: every pixel becomes a crisp factor x factor block."""
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def png_bytes(image: np.ndarray) -> bytes:
    """Lossless PNG; the fastest zlib level, since pages encode on every interaction."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def jpeg_bytes(image: np.ndarray, quality: int = 90) -> bytes:
    """JPEG for photographs shown in the page, where PNG would send 5-10x the bytes."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def display_scale(tiles_across: int, tile: int = 28, target: int = 900) -> int:
    """Whole-number upscaling that keeps a grid near `target` pixels wide (crisp, not huge)."""
    return int(max(1, min(4, target // max(1, tiles_across * (tile + 2)))))


def grid_png(images, ncols: int, scale: int | None = None, pad: int = 2, pad_value: int = 255) -> bytes:
    """A batch in [-1, 1] (or uint8) as one PNG grid, each pixel a crisp `scale` block (by default
    display_scale(ncols)): what the pages show and offer for download."""
    return png_bytes(upscale(grid(to_uint8(images), ncols, pad=pad, pad_value=pad_value),
                             display_scale(ncols) if scale is None else scale))


def gif_bytes(frames, duration_ms: int = 120) -> bytes:
    """uint8 frames -> an animated GIF that loops forever."""
    pil = [Image.fromarray(f) for f in frames]
    buf = io.BytesIO()
    pil[0].save(buf, format="GIF", save_all=True, append_images=pil[1:], duration=duration_ms, loop=0)
    return buf.getvalue()
