"""The photo <-> painting page under AppTest: several photos at once, and how the model learned
(its snapshots and its losses)."""

import pytest

from tests.pages.apptest import open_page, speak_french
from tests.pages.cyclegan_helpers import noise
from tests.unit.test_images import encode


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

