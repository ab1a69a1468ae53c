"""Several photos at once: each translated as one would be, bad files reported by name, one ZIP."""

import io
import zipfile

import numpy as np
import torch
from PIL import Image

from ganzoo import translate
from ganzoo.inference import translation
from ganzoo.io.images import ImageInputError, decode_image, to_uint8
from ganzoo.models.cyclegan import ResnetGenerator


def png(size, color) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def small_generator():
    torch.manual_seed(0)
    return ResnetGenerator(ngf=8, n_blocks=1).eval()


def test_each_file_is_translated_as_alone_and_a_bad_one_is_named():
    gen = small_generator()
    files = [("a.png", png((300, 200), (200, 30, 30))), ("bad.jpg", b"nope"), ("b.png", png((64, 96), (0, 90, 200)))]
    results = list(translation.translate_files(gen, files, "keep", 128))
    assert [name for name, _ in results] == ["a.png", "bad.jpg", "b.png"]
    assert isinstance(results[1][1], ImageInputError) and results[1][1].key == "errors.image.unreadable"
    alone = translation.translate(gen, decode_image(files[0][1]), "keep", 128)
    assert torch.equal(results[0][1].output, alone.output)
    assert results[0][1].output.shape[-2:] == (84, 128) and results[2][1].output.shape[-2:] == (96, 64)


def test_the_zip_holds_one_png_per_result_under_safe_unique_names():
    images = [np.full((8, 8, 3), v, np.uint8) for v in (10, 20, 30, 40, 50)]
    names = ["sea.jpg", "../../etc/passwd", "sea.png", "C:\\Users\\me\\été 2026.webp", "...."]
    archive = zipfile.ZipFile(io.BytesIO(translation.zip_pngs(zip(names, images))))
    assert archive.namelist() == ["sea.png", "passwd.png", "sea_2.png", "été_2026.png", "image.png"]
    for entry, image in zip(archive.namelist(), images):
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(archive.read(entry)))), image)


def test_the_cli_and_the_page_share_the_loop(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.png").write_bytes(png((40, 40), (10, 200, 10)))
    (src / "broken.png").write_bytes(b"\x89PNG nope")
    folder = tmp_path / "gen"
    small_generator().save_pretrained(folder)
    code = translate.main(["--checkpoint", str(folder), "--input", str(src), "--output", str(tmp_path / "out"),
                           "--size-policy", "keep", "--max-side", "64"])
    assert code == 1  # one file failed
    out = np.asarray(Image.open(tmp_path / "out" / "ok.png"))
    expected = translation.translate(translate.load_generator(str(folder)), decode_image(png((40, 40), (10, 200, 10))),
                                   "keep", 64)
    assert np.array_equal(out, to_uint8(expected.output[0]))
