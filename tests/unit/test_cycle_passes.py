"""The CycleGAN page's pass cache (ganzoo.inference.cycle_passes) on the shipped compact pair: each pass
made once, a direction switch reusing the passes already made, checks on a large image's preview, and
what is kept equal to fresh passes."""

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganzoo.inference import cycle_passes, translation
from ganzoo.inference.cycle_passes import CyclePasses
from ganzoo.io import checkpoints
from ganzoo.io.images import to_uint8
from ganzoo.runtime.device import policy

ROOT = Path(__file__).resolve().parents[2]
LANDSCAPE = ROOT / "assets" / "samples" / "synthetic_landscape.png"  # 512x384


@pytest.fixture(scope="module")
def pair():
    return checkpoints.load("cyclegan-monet-compact", p=policy()).model  # as the page loads it


@contextlib.contextmanager
def counted(*generators):
    """How many times each generator runs inside the block (a forward hook on the real network)."""
    calls = [0] * len(generators)
    hooks = [g.register_forward_hook(lambda *_, i=i: calls.__setitem__(i, calls[i] + 1))
             for i, g in enumerate(generators)]
    try:
        yield calls
    finally:
        for hook in hooks:
            hook.remove()


def view(store, pair, direction, size_policy="crop256"):
    other = cycle_passes.other_direction(direction)
    return CyclePasses(store, pair.generator(direction), pair.generator(other), direction, size_policy)


def landscape(side=None):
    image = Image.open(LANDSCAPE).convert("RGB")
    return image.resize((side, side * 3 // 4), Image.BICUBIC) if side else image


def test_the_store_is_kept_for_one_image_and_dropped_for_the_next():
    store = cycle_passes.store_for(None, ("compact", "a.png"))
    assert store == {"source": ("compact", "a.png")}
    store["x"] = "kept"
    assert cycle_passes.store_for(store, ("compact", "a.png")) is store
    assert cycle_passes.store_for(store, ("compact", "b.png")) == {"source": ("compact", "b.png")}


def test_a_new_image_costs_one_pass_and_each_check_one_more_once(pair):
    store = cycle_passes.store_for(None, "landscape")
    passes = view(store, pair, "BA")
    with counted(pair.G_BA, pair.G_AB) as calls:
        assert not passes.translated
        passes.translate(landscape(), 1024, None)
        assert passes.translated and calls == [1, 0]
        passes.run_cycle()
        passes.run_cycle()
        assert calls == [1, 1] and passes.has(("AB", "y BA"))
        passes.run_identity()
        passes.run_identity()
        assert calls == [1, 2] and passes.identity_key == ("AB", "x")  # shown whole: the identity is x itself
    # The store holds what a fresh run gives.
    fresh = translation.translate(pair.G_BA, landscape())
    assert torch.allclose(passes.x, fresh.input) and torch.allclose(passes.y, fresh.output, atol=1e-4)
    assert torch.allclose(passes.output(passes.cycle_key), translation.run(pair.G_AB, fresh.output), atol=1e-4)


def test_a_direction_switch_costs_no_new_pass_and_its_cycle_one(pair):
    store = cycle_passes.store_for(None, "landscape")
    before = view(store, pair, "BA")
    before.translate(landscape(), 1024, None)
    before.run_identity()  # G_AB on x: the other direction's translation
    identity_l1 = before.identity_error()
    shown = before.png(before.identity_key)  # what the identity tab shows
    with counted(pair.G_BA, pair.G_AB) as calls:
        after = view(store, pair, "AB")
        assert after.translated and after.identity_key == ("BA", "x") and after.has(after.identity_key)
        assert after.png(("AB", "x")) is shown  # the new translation, shown as encoded before the switch
        assert calls == [0, 0]
        after.run_identity()  # already made: the first translation
        after.run_cycle()
        assert calls == [1, 0] and set(store) >= {("BA", "y AB"), ("error", ("AB", "x"))}
    assert torch.equal(after.output(after.identity_key), before.y)
    assert after.identity_error() == pytest.approx(float((after.x - before.y).abs().mean()), rel=1e-6)
    assert identity_l1 == pytest.approx(float((before.x - after.y).abs().mean()), rel=1e-6)


def test_the_checks_of_a_large_image_run_on_its_preview(pair):
    store = cycle_passes.store_for(None, "large")
    passes = view(store, pair, "BA", "keep")
    passes.translate(landscape(1024), 1024, None)
    assert passes.x.shape[-2:] == (768, 1024) and passes.small_x.shape[-2:] == (576, 768)
    assert passes.identity_key == ("AB", "x small") and passes.cycle_key == ("AB", "y BA")
    passes.run_identity()
    passes.run_cycle()
    assert passes.output(passes.identity_key).shape[-2:] == (576, 768) and ("AB", "x") not in store
    l1, error_map = passes.cycle_error()
    expected = (passes.small_x - passes.output(passes.cycle_key)).abs().mean(1, keepdim=True)
    assert l1 == pytest.approx(float(expected.mean()), rel=1e-6)
    assert error_map.shape == (192, 256)  # a screen-sized map, averaged down from the preview's errors
    assert np.allclose(error_map, cycle_passes.preview(expected, 256)[0, 0].numpy())
    assert passes.cycle_error() is store[("error", passes.cycle_key)]  # computed once, then kept


def test_what_the_page_shows_is_the_preview_encoded_once(pair):
    store = cycle_passes.store_for(None, "large")
    passes = view(store, pair, "BA", "keep")
    passes.translate(landscape(1024), 1024, None)
    png = passes.png("x")
    assert passes.png("x") is png and store[("png", "x")] is png
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png))), to_uint8(passes.small_x[0]))
    shown = np.asarray(Image.open(io.BytesIO(passes.png(("BA", "x")))))
    assert shown.shape == (576, 768, 3) and np.array_equal(shown, to_uint8(passes.small_y[0]))
    full = np.asarray(Image.open(io.BytesIO(passes.full_png())))
    assert full.shape == (768, 1024, 3) and np.array_equal(full, to_uint8(passes.y[0]))
    before, after = (Image.open(io.BytesIO(jpeg)) for jpeg in passes.slider_jpegs())
    assert before.format == after.format == "JPEG" and before.size == after.size == (768, 576)


@pytest.mark.parametrize("shape,side,expected", [((1, 3, 384, 512), 768, (384, 512)),
                                                 ((1, 3, 3000, 2000), 768, (768, 512)),
                                                 ((1, 1, 999, 101), 256, (256, 24)),
                                                 ((1, 3, 2000, 10), 256, (256, 4))])
def test_previews_shrink_the_longer_side_to_a_multiple_of_four(shape, side, expected):
    x = torch.rand(shape)
    small = cycle_passes.preview(x, side)
    assert tuple(small.shape[-2:]) == expected
    assert small is x or abs(float(small.mean() - x.mean())) < 0.01  # area averaging keeps the mean


def test_warm_up_runs_each_generator_once_per_process(pair):
    with counted(pair.G_BA, pair.G_AB) as calls:
        cycle_passes.warm_up([pair.G_BA, pair.G_AB])
        cycle_passes.warm_up(g for g in (pair.G_BA, pair.G_AB))
    assert calls in ([1, 1], [0, 0])  # [0, 0] when another test of this process warmed them already
    with counted(pair.G_BA) as calls:
        cycle_passes.warm_up([pair.G_BA])
    assert calls == [0]


def test_a_samples_first_view_is_shared_by_fresh_stores_and_nothing_else(pair):
    """A second visitor opening the same sample at the same settings starts with the first one's
    translation and PNGs (no pass, no encoding); the other direction, and what either does next, stay
    each store's own."""
    views = cycle_passes.SampleViews(size=2)
    first = views.seeded(cycle_passes.store_for(None, "landscape"), "BA")
    shown = view(first, pair, "BA")
    shown.translate(landscape(), 1024, None)
    png_x, png_y = shown.png("x"), shown.png(("BA", "x"))
    with counted(pair.G_BA, pair.G_AB) as calls:
        second = views.seeded(cycle_passes.store_for(None, "landscape"), "BA")
        again = view(second, pair, "BA")
        assert second is not first and again.translated and calls == [0, 0]
        assert again.png("x") is png_x and again.png(("BA", "x")) is png_y
    assert set(second) == {"source", "x", ("BA", "x"), ("png", "x"), ("png", ("BA", "x"))}
    again.run_cycle()
    assert again.cycle_key in second and again.cycle_key not in first
    other = views.seeded(cycle_passes.store_for(None, "landscape"), "AB")
    assert other == {"source": "landscape"}  # another direction: its own first view
    assert views.seeded(second, "BA") is second and len(second) > 5  # a store with passes is left as it is
    views.seeded(cycle_passes.store_for(None, "monet"), "BA")  # a third first view: the oldest one goes
    assert views.seeded(cycle_passes.store_for(None, "landscape"), "BA") == {"source": "landscape"}
