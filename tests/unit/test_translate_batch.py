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


def test_a_batch_translates_one_file_per_step_as_the_page_shows_it():
    """BatchTranslation, as the page runs it with the shipped photo -> painting generator: one file per
    step (the page holds a heavy-work slot for each), a bad file named in the visitor's language, the
    rest in one ZIP with a thumbnail each."""
    from ganzoo.inference.batch_translation import THUMB_SIDE, BatchTranslation
    from ganzoo.io import checkpoints
    from ganzoo.models.cyclegan import CycleGAN
    generator = checkpoints.load_folder(CycleGAN, checkpoints.embedded_folder("cyclegan-monet-compact")).G_BA.eval()
    files = [("wide.png", png((400, 200), (200, 30, 30))), ("bad.jpg", b"nope"), ("small.png", png((64, 96), "navy"))]
    batch = BatchTranslation(generator, iter(files), "keep", 256, None, "fr")
    batch.step()
    assert [name for name, _ in batch.done] == ["wide.png"] and not batch.failed  # nothing read ahead
    batch.step()
    assert batch.failed == ["bad.jpg: " + ImageInputError("unreadable").text("fr")] and len(batch.done) == 1
    batch.step()
    outcome = batch.outcome()
    assert outcome["failed"] == batch.failed and [name for name, _ in outcome["thumbs"]] == ["wide.png", "small.png"]
    alone = translation.translate(generator, decode_image(files[0][1]), "keep", 256)
    archive = zipfile.ZipFile(io.BytesIO(outcome["archive"]))
    assert archive.namelist() == ["wide.png", "small.png"]
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(archive.read("wide.png")))), to_uint8(alone.output[0]))
    thumbs = [Image.open(io.BytesIO(jpeg)) for _, jpeg in outcome["thumbs"]]
    assert [t.format for t in thumbs] == ["JPEG"] * 2 and [t.size for t in thumbs] == [(THUMB_SIDE, 96), (64, 96)]
    only_bad = BatchTranslation(generator, iter([files[1]]), "keep", 256, None, "en")
    only_bad.step()
    unreadable = "bad.jpg: " + ImageInputError("unreadable").text("en")
    assert only_bad.outcome() == dict(archive=None, thumbs=[], failed=[unreadable])
