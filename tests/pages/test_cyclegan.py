"""The photo <-> painting page under AppTest: its controls, the generator passes it keeps, the
previews and cap of large images, and the heavy-work slot."""

import json

import numpy as np
import pytest
import torch
from PIL import Image

from tests.pages.apptest import ROOT, open_page, page_text
from tests.pages.cyclegan_helpers import big_photo, open_tab


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
