"""The photo <-> painting page under AppTest: every odd upload, and its errors in French."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, TIMEOUT, open_page, page_text, speak_french
from tests.pages.cyclegan_helpers import noise, open_tab
from tests.unit.test_images import encode


def truncated_jpeg():
    data = encode(noise(256, 256), "JPEG")
    return data[: len(data) // 2]


def bomb():  # a PNG header claiming 30000 x 30000 pixels
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))


def exif_rotated():  # stored 40x20, displayed 20x40
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(noise(40, 20), "JPEG", exif=exif.tobytes())


def sixteen_bit():
    return encode(Image.fromarray((np.arange(64 * 48, dtype=np.uint16).reshape(48, 64) * 20)), "PNG")


CASES = [  # id, file name, bytes, size policy, expected: ("error", words) or ("size", (w, h))
    ("zero bytes", "empty.png", b"", "keep", ("error", "empty")),
    ("truncated JPEG", "cut.jpg", truncated_jpeg(), "keep", ("error", "damaged or truncated")),
    ("text named .png", "notes.png", b"just some text, not an image", "keep", ("error", "not an image")),
    ("decompression bomb", "bomb.png", bomb(), "keep", ("error", "megapixels")),
    ("CMYK JPEG", "cmyk.jpg", encode(noise(64, 48, "CMYK"), "JPEG"), "keep", ("size", (64, 48))),
    ("16-bit PNG", "deep.png", sixteen_bit(), "keep", ("size", (64, 48))),
    ("palette PNG", "palette.png", encode(noise(64, 48, "P")), "keep", ("size", (64, 48))),
    ("RGBA PNG", "alpha.png", encode(noise(64, 48, "RGBA")), "keep", ("size", (64, 48))),
    ("grayscale PNG", "grey.png", encode(noise(64, 48, "L")), "keep", ("size", (64, 48))),
    ("EXIF-rotated JPEG", "rotated.jpg", exif_rotated(), "keep", ("size", (20, 40))),
    ("1x1", "dot.png", encode(Image.new("RGB", (1, 1))), "crop256", ("error", "at least")),
    (
        "10000x10, centre crop",
        "strip.png",
        encode(Image.new("RGB", (10000, 10), "navy")),
        "crop256",
        ("size", (256, 256)),
    ),
    ("10000x10, keep size", "strip.png", encode(Image.new("RGB", (10000, 10), "navy")), "keep", ("error", "too thin")),
    ("10000x10, tiled", "strip.png", encode(Image.new("RGB", (10000, 10), "navy")), "tiled", ("error", "too thin")),
]


@pytest.fixture(scope="module")
def at():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # pages are known by url_path after a first run
    at.switch_page("app_pages/cyclegan.py")
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize("name,filename,data,policy,expected", CASES, ids=[c[0] for c in CASES])
def test_every_odd_upload(at, name, filename, data, policy, expected):
    at.radio(key="size_policy").set_value(policy)
    at.file_uploader(key="upload").set_value((filename, data, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    kind, value = expected
    if kind == "error":
        assert [e.value for e in at.error] and len(at.error) == 1, [e.value for e in at.error]
        assert value in at.error[0].value and at.error[0].value.startswith("This image cannot be used")
        assert "mean L1 error" not in page_text(at)
    else:
        assert not at.error, [e.value for e in at.error]
        assert f"What the generator sees ({value[0]}x{value[1]})" in page_text(at)
        assert "mean L1 error" in page_text(open_tab(at, "cycle"))
    # The page keeps working: the next image (the bundled sample) translates.
    at.file_uploader(key="upload").set_value(None)
    at.radio(key="size_policy").set_value("crop256")
    open_tab(at, "side_by_side")
    assert not at.exception and not at.error
    assert "What the generator sees (256x256)" in page_text(at)
    assert "mean L1 error" in page_text(open_tab(at, "cycle"))
    open_tab(at, "side_by_side")


@pytest.mark.parametrize("filename,data,french,english", [
    ("empty.png", b"", "Le fichier est vide", "The file is empty"),
    ("notes.png", b"not an image at all", "n'est pas une image lisible", "not an image we can read"),
    ("strip.png", encode(Image.new("RGB", (10000, 10), "navy")), "trop fine pour le générateur", "too thin"),
])
def test_upload_errors_read_wholly_in_french(filename, data, french, english, monkeypatch):
    speak_french(monkeypatch)
    at = open_page("app_pages/cyclegan.py", lang="fr")
    at.radio(key="size_policy").set_value("keep").run()
    at.file_uploader(key="upload").set_value((filename, data, "image/png")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Cette image est inutilisable") and french in errors[0], errors
    assert english not in errors[0]
