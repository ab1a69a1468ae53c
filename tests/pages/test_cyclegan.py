"""The photo <-> painting page under AppTest: its controls and every odd upload."""

import json
import struct
import zlib

import numpy as np
import pytest
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, ROOT, TIMEOUT, open_page, page_text, speak_french
from tests.unit.test_images import encode


def open_tab(at, name):
    """The tabs run only the open one's content: open one as a click on its label would."""
    from ganzoo.runtime.i18n import tr
    at.session_state["cycle_tab"] = tr(f"cycle.tab.{name}")
    return at.run()


def test_cyclegan_page_controls():
    at = open_page("app_pages/cyclegan.py")
    captions = " ".join(c.value for c in at.caption)
    assert "compact model" in captions
    for policy in ("keep", "tiled"):
        at.radio(key="size_policy").set_value(policy).run()
        assert not at.exception
    at.slider(key="max_side").set_value(512).run()
    at.radio(key="size_policy").set_value("crop256").run()
    at.selectbox(key="sample").set_value("monet_d6d6e625bd.jpg").run()
    at.radio(key="direction").set_value("AB").run()
    assert not at.exception and "Translation," in page_text(at)
    open_tab(at, "cycle")
    assert not at.exception and "mean L1 error" in page_text(at)


def test_a_new_image_costs_one_pass_until_a_check_is_opened():
    """The side-by-side tab, open first, needs only the translation; the cycle and identity tabs
    each run one more pass, when opened, and the page keeps it."""
    at = open_page("app_pages/cyclegan.py")
    assert set(at.session_state["_cycle_passes"]) == {"source", "x", ("BA", "x"), ("png", "x"), ("png", ("BA", "x"))}
    assert not at.get("plotly_chart") or all("cycle_error" not in str(c.proto.id) for c in at.get("plotly_chart"))
    cycle = ("AB", "y BA")
    open_tab(at, "cycle")
    assert set(at.session_state["_cycle_passes"]) >= {cycle, ("png", cycle), ("error", cycle)}
    assert ("AB", "x") not in at.session_state["_cycle_passes"]
    assert any("cycle_error" in str(c.proto.id) for c in at.get("plotly_chart"))
    open_tab(at, "identity")
    assert ("AB", "x") in at.session_state["_cycle_passes"] and "Should change little" in page_text(at)


def test_a_direction_switch_reuses_the_passes_it_already_made():
    """On an image shown whole, switching direction with the identity tab open costs no generator
    pass (the new translation and its identity check are the passes already made, already
    encoded), and opening the cycle tab then costs one; all equal fresh passes."""
    from ganzoo.inference import translation
    from ganzoo.io import checkpoints
    from ganzoo.runtime.device import policy
    at = open_page("app_pages/cyclegan.py")
    open_tab(at, "cycle")
    open_tab(at, "identity")
    before = dict(at.session_state["_cycle_passes"])
    at.radio(key="direction").set_value("AB").run()
    assert not at.exception
    cycle, identity = ("BA", "y AB"), ("BA", "x")
    assert set(at.session_state["_cycle_passes"]) - set(before) == {("error", identity)}
    open_tab(at, "cycle")
    after = at.session_state["_cycle_passes"]
    assert set(after) - set(before) == {cycle, ("png", cycle), ("error", cycle), ("error", identity)}
    pair = checkpoints.load("cyclegan-monet-compact", p=policy()).model  # as the page loads it
    image = Image.open(ROOT / "assets" / "samples" / "synthetic_landscape.png").convert("RGB")
    fresh = translation.translate(pair.generator("AB"), image)  # the page's default: a 256 crop
    assert torch.allclose(after[("AB", "x")][0], fresh.output, atol=1e-4)
    assert torch.allclose(after[("BA", "x")][0], translation.run(pair.generator("BA"), fresh.input), atol=1e-4)
    assert torch.allclose(after[("BA", "y AB")][0], translation.run(pair.generator("BA"), fresh.output), atol=1e-4)
    # The kept errors are the ones these passes give (the image is shown whole: no preview scaling).
    l1, error_map = after[("error", cycle)]
    assert l1 == pytest.approx(float((fresh.input - after[cycle][0]).abs().mean()), rel=1e-5)
    assert np.allclose(error_map, (fresh.input - after[cycle][0]).abs().mean(1)[0].numpy(), atol=1e-5)
    assert after[("error", identity)] == pytest.approx(float((fresh.input - after[identity][0]).abs().mean()), rel=1e-5)
    at.selectbox(key="sample").set_value("monet_d6d6e625bd.jpg").run()  # a new image starts afresh
    # The cycle tab is still open: the translation, its cycle back, and what that tab shows.
    assert set(at.session_state["_cycle_passes"]) == {"source", "x", ("AB", "x"), cycle, ("png", "x"),
                                                      ("png", cycle), ("error", cycle)}


def test_checks_on_a_large_image_run_on_its_preview():
    at = open_page("app_pages/cyclegan.py")
    at.radio(key="size_policy").set_value("keep").run()
    at.file_uploader(key="upload").set_value(("big.jpg", big_photo(), "image/jpeg")).run()
    assert not at.exception
    open_tab(at, "identity")
    passes = at.session_state["_cycle_passes"]
    x = passes["x"]
    assert max(x.shape[-2:]) > 768 and ("AB", "x small") in passes and ("AB", "x") not in passes
    assert max(passes[("AB", "x small")][0].shape[-2:]) == 768


def noise(w, h, mode="RGB"):
    arr = np.random.default_rng(0).integers(0, 255, (h, w, 3), dtype=np.uint8)
    return Image.fromarray(arr).convert(mode)


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


def big_photo(side=3000):
    gradient = np.linspace(0, 255, side, dtype=np.uint8)
    return encode(Image.fromarray(np.stack([np.tile(gradient, (side, 1))] * 3, axis=2)), "JPEG")


def test_a_large_translation_is_capped_and_previewed(monkeypatch):
    monkeypatch.setenv("GANZOO_MAX_OUTPUT_PIXELS", str(512 * 512))
    at = open_page("app_pages/cyclegan.py")
    at.radio(key="size_policy").set_value("tiled").run()
    at.slider(key="max_side").set_value(2048).run()
    at.file_uploader(key="upload").set_value(("big.jpg", big_photo(), "image/jpeg")).run()
    assert not at.exception
    assert any("Translated at 512x512 instead of 2048x2048" in i.value for i in at.info), [i.value for i in at.info]
    assert "What the generator sees (512x512)" in page_text(at)
    open_tab(at, "cycle")
    heatmap = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["z"]  # plotly's typed array
    rows, cols = map(int, heatmap["shape"].split(","))
    assert max(rows, cols) <= 256  # the browser gets a screen-sized map, not 512x512 values


def test_a_second_translation_waits_for_the_first(monkeypatch):
    import threading
    import time

    import ui
    at = open_page("app_pages/cyclegan.py")
    slots = ui.heavy_work_slots()  # the same process-wide slots the page uses
    assert slots.acquire(timeout=30)  # another visitor's translation holds the only slot
    done = threading.Event()

    def visit():
        at.radio(key="direction").set_value("AB").run()
        done.set()

    try:
        visitor = threading.Thread(target=visit, daemon=True)
        visitor.start()
        time.sleep(2.0)
        assert not done.is_set(), "the page translated while the slot was taken"
    finally:
        slots.release()
    visitor.join(timeout=120)
    assert done.is_set() and not at.exception
    assert "Translation" in page_text(at)


def test_a_batch_is_translated_on_request_with_bad_files_named_once(monkeypatch):
    monkeypatch.setenv("GANZOO_MAX_BATCH_FILES", "2")
    at = open_page("app_pages/cyclegan.py")
    assert [u.key for u in at.get("file_uploader")] == ["upload"]  # one image by default
    at.segmented_control(key="mode").set_value("batch").run()
    assert at.query_params["mode"] == "batch"
    assert [u.key for u in at.get("file_uploader")] == ["batch"]
    assert not at.image  # no single-image work in batch mode
    files = [("bad.png", b"xx", "image/png"), ("a.png", encode(noise(300, 200), "PNG"), "image/png"),
             ("c.png", encode(noise(64, 64), "PNG"), "image/png")]
    at.file_uploader(key="batch").set_value(files).run()
    assert not at.exception
    assert "first 2 will be translated" in at.warning[0].value
    assert not at.get("download_button") or all("ZIP" not in d.proto.label for d in at.get("download_button"))
    at.button(key="batch_go").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "bad.png: This file is not an image we can read" in at.error[0].value
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Download every translation (ZIP)" in labels  # c.png was past the limit
    # Another direction is another batch: the old result is not offered for it.
    at.radio(key="direction").set_value("AB").run()
    assert "Download every translation (ZIP)" not in [d.proto.label for d in at.get("download_button")]


def test_the_batch_section_in_french(monkeypatch):
    speak_french(monkeypatch)
    at = open_page("app_pages/cyclegan.py", lang="fr", mode="batch")
    at.file_uploader(key="batch").set_value([("a.png", encode(noise(64, 64), "PNG"), "image/png")]).run()
    at.button(key="batch_go").click().run()
    assert not at.exception
    assert "Traduire les images (1)" in [b.label for b in at.button]
    assert "Télécharger toutes les traductions (ZIP)" in [d.proto.label for d in at.get("download_button")]


@pytest.fixture
def weights_with_snapshots(tmp_path, monkeypatch):
    """The shipped weights, the compact model's folder with three snapshots beside its files."""
    import torch

    from ganzoo.io import checkpoints
    from ganzoo.models.cyclegan import CycleGAN
    from ganzoo.training import snapshots
    for folder in checkpoints.WEIGHTS_DIR.iterdir():
        if folder.name != "cyclegan-monet-compact":
            (tmp_path / folder.name).symlink_to(folder)
    compact = tmp_path / "cyclegan-monet-compact"
    compact.mkdir()
    for f in (checkpoints.WEIGHTS_DIR / "cyclegan-monet-compact").iterdir():
        if f.name != snapshots.FOLDER:  # the shipped snapshots are replaced by the three below
            (compact / f.name).symlink_to(f)
    trained = checkpoints.load_folder(CycleGAN, compact)
    torch.manual_seed(0)
    for iteration, model in ((500, CycleGAN(ngf=16, n_blocks=6, upsample="resize")), (1000, trained), (1500, trained)):
        snapshots.write(model, compact, iteration)
    monkeypatch.setattr(checkpoints, "WEIGHTS_DIR", tmp_path)
    return compact


def test_learning_over_time_slides_through_the_snapshots(weights_with_snapshots):
    at = open_page("app_pages/cyclegan.py")
    slider = at.select_slider(key="it")
    assert slider.options == ["500", "1000", "1500"] and slider.value == "1500"  # the end of training first
    last = at.get("image")[-1].proto.imgs[0]
    assert "iteration 1500" in last.caption
    slider.set_value("500").run()
    first = at.get("image")[-1].proto.imgs[0]
    assert "iteration 500" in first.caption and first.url != last.url
    assert at.query_params["it"] in ("500", ["500"])


def test_the_losses_over_training_come_from_the_card_and_mark_the_iteration_shown():
    import json

    from ganzoo.io import checkpoints
    history = checkpoints.read_card(checkpoints.embedded_folder("cyclegan-monet-compact"))["history"]
    assert history[-1]["iteration"] == checkpoints.read_card(
        checkpoints.embedded_folder("cyclegan-monet-compact"))["training"]["iterations"]
    at = open_page("app_pages/cyclegan.py")
    chart = next(c for c in at.get("plotly_chart") if "loss_history" in str(c.proto.id))
    spec = json.loads(chart.proto.spec)
    assert [trace["name"] for trace in spec["data"]][:2] == ["cycle (L1, both ways)", "identity (L1, both ways)"]
    assert spec["data"][0]["y"][-1] == history[-1]["cycle"] < spec["data"][0]["y"][0]  # the cycle loss fell
    shown = at.select_slider(key="it").value
    assert spec["layout"]["shapes"][0]["x0"] == int(shown)
    at.select_slider(key="it").set_value(at.select_slider(key="it").options[0]).run()
    chart = next(c for c in at.get("plotly_chart") if "loss_history" in str(c.proto.id))
    assert json.loads(chart.proto.spec)["layout"]["shapes"][0]["x0"] == int(at.select_slider(key="it").options[0])


def test_learning_over_time_in_french(weights_with_snapshots, monkeypatch):
    speak_french(monkeypatch)
    at = open_page("app_pages/cyclegan.py", lang="fr", it="1000")
    assert at.select_slider(key="it").value == "1000"
    assert "Leurs traductions à l'itération 1000" in at.get("image")[-1].proto.imgs[0].caption

