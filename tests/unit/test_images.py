"""The image module: every odd file either decodes correctly or gets one clear message."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from ganzoo.io import images
from ganzoo.io.images import ImageInputError, decode_image


def encode(img, fmt="PNG", **kw):
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def test_rgb_jpeg_round_trip():
    arr = np.zeros((20, 30, 3), np.uint8)
    arr[:, :15] = 255
    img = decode_image(encode(Image.fromarray(arr), "PNG"))
    assert img.mode == "RGB" and img.size == (30, 20)
    t = images.to_tensor(img)
    assert t.shape == (3, 20, 30) and t.min() == -1 and t.max() == 1
    np.testing.assert_array_equal(images.to_uint8(t), arr)


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"just some text, not an image", "not an image"),
])
def test_not_images(data, message):
    with pytest.raises(ImageInputError, match=message):
        decode_image(data)


def test_truncated_jpeg():
    noise = np.random.default_rng(0).integers(0, 255, (256, 256, 3), dtype=np.uint8)
    data = encode(Image.fromarray(noise), "JPEG")
    with pytest.raises(ImageInputError, match="damaged or truncated"):
        decode_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    # A PNG header claiming 30000 x 30000 pixels: refused from the header alone.
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))
    with pytest.raises(ImageInputError, match="megapixels"):
        decode_image(png)


def test_too_many_bytes():
    with pytest.raises(ImageInputError, match="limit"):
        decode_image(b"\x00" * 100, max_bytes=10)


@pytest.mark.parametrize("mode", ["CMYK", "P", "RGBA", "L", "LA", "I;16"])
def test_modes_become_rgb(mode):
    if mode == "I;16":
        img = Image.fromarray(np.full((8, 8), 65535, np.uint16))
    else:
        img = Image.new(mode, (8, 8))
    fmt = "JPEG" if mode == "CMYK" else ("TIFF" if mode == "I;16" else "PNG")
    out = decode_image(encode(img, fmt))
    assert out.mode == "RGB" and out.size == (8, 8)
    if mode == "I;16":  # full-scale 16-bit white stays white instead of being clipped oddly
        assert np.asarray(out).min() == 255


def test_transparent_pixels_become_white():
    img = Image.new("RGBA", (8, 8), (255, 0, 0, 0))
    assert np.asarray(decode_image(encode(img)))[0, 0].tolist() == [255, 255, 255]


def test_exif_orientation_is_applied():
    img = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = decode_image(encode(img, "JPEG", exif=exif.tobytes()))
    assert out.size == (20, 40)


def test_tiny_and_extreme_aspect_images():
    with pytest.raises(ImageInputError, match="at least"):
        decode_image(encode(Image.new("RGB", (1, 1))))
    out = decode_image(encode(Image.new("RGB", (10000, 10))))
    assert out.size == (10000, 10)


def test_grid_png_and_gif():
    tiles = np.stack([np.full((3, 3), i * 20, np.uint8) for i in range(5)])
    g = images.grid(tiles, ncols=2, pad=1)
    assert g.shape == (3 * 4 + 1, 2 * 4 + 1)
    assert g[1, 1] == 0 and g[1, 5] == 20 and g[9, 1] == 80
    big = images.upscale(g, 3)
    assert big.shape == (g.shape[0] * 3, g.shape[1] * 3) and big[3, 3] == g[1, 1]
    assert Image.open(io.BytesIO(images.png_bytes(big))).size == (big.shape[1], big.shape[0])
    gif = Image.open(io.BytesIO(images.gif_bytes([tiles[0], tiles[4]])))
    assert gif.n_frames == 2


@pytest.mark.parametrize("n,ncols,channels", [(2, 2, 0), (5, 2, 0), (7, 3, 3), (10, 4, 0), (3, 8, 3), (64, 8, 0)])
def test_grid_lays_tiles_out_as_torchvision_make_grid(n, ncols, channels):
    import torch
    from torchvision.utils import make_grid
    shape = (n, 5, 4) + ((channels,) if channels else ())
    tiles = np.random.default_rng(n).integers(0, 255, shape, dtype=np.uint8)
    t = torch.from_numpy(tiles)
    t = t[:, None] if not channels else t.permute(0, 3, 1, 2)
    expected = make_grid(t, nrow=ncols, padding=2, pad_value=255).permute(1, 2, 0).numpy()
    expected = expected[..., 0] if not channels else expected
    assert np.array_equal(images.grid(tiles, ncols, pad=2, pad_value=255), expected)


def test_grid_png_is_the_upscaled_grid_losslessly():
    import torch
    batch = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    for scale in (None, 3):
        shown = np.asarray(Image.open(io.BytesIO(images.grid_png(batch, 3, scale))))
        expected = images.upscale(images.grid(images.to_uint8(batch), 3),
                                  images.display_scale(3) if scale is None else scale)
        assert np.array_equal(shown, expected)
