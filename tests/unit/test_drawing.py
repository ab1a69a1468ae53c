"""A drawing framed as MNIST frames its digits, and the latent search that finds it in G."""

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from ganzoo.inference import sampling
from ganzoo.io import checkpoints
from ganzoo.io.images import ImageInputError
from ganzoo.lessons import drawing


def stroke_picture(size=200, offset=(0, 0), width=16, ink=0, paper=255):
    """A slanted stroke and a hook: a '7'-like figure, off-centre by `offset`."""
    img = Image.new("L", (size, size), paper)
    d = ImageDraw.Draw(img)
    ox, oy = offset
    d.line([(0.3 * size + ox, 0.2 * size + oy), (0.7 * size + ox, 0.2 * size + oy),
            (0.45 * size + ox, 0.8 * size + oy)], fill=ink, width=width, joint="curve")
    return img


def test_ink_is_the_same_for_dark_on_light_and_light_on_dark():
    dark_on_light = drawing.ink_from_picture(stroke_picture())
    light_on_dark = drawing.ink_from_picture(stroke_picture(ink=255, paper=0))
    assert np.abs(dark_on_light - light_on_dark).max() < 1e-6
    assert dark_on_light.max() == 1.0 and dark_on_light[0, 0] == 0.0
    # Grey paper is no ink.
    grey = drawing.ink_from_picture(stroke_picture(ink=30, paper=200))
    assert grey[0, 0] == 0.0 and grey.max() == 1.0


def test_framed_like_mnist_box_20_and_centre_of_mass_in_the_middle():
    digit = drawing.mnist_style(drawing.ink_from_picture(stroke_picture()))
    assert digit.shape == (1, 1, 28, 28) and digit.min() >= -1 and digit.max() <= 1
    ink = (digit[0, 0].numpy() + 1) / 2
    rows, cols = np.nonzero(ink > 0.05)
    assert max(rows.max() - rows.min() + 1, cols.max() - cols.min() + 1) in (20, 21)  # resampling may bleed 1 px
    ys, xs = np.indices(ink.shape)
    assert abs((ys * ink).sum() / ink.sum() - 13.5) <= 0.5
    assert abs((xs * ink).sum() / ink.sum() - 13.5) <= 0.5


def test_position_and_scale_on_the_canvas_do_not_matter():
    a = drawing.mnist_style(drawing.ink_from_picture(stroke_picture(200, (-40, 25), width=16)))
    b = drawing.mnist_style(drawing.ink_from_picture(stroke_picture(400, (60, -50), width=32)))
    assert (a - b).abs().mean() < 0.05


def test_no_ink_is_one_clear_error():
    with pytest.raises(ImageInputError) as caught:
        drawing.mnist_style(drawing.ink_from_picture(Image.new("L", (50, 50), 255)))
    assert caught.value.key == "errors.image.empty_drawing"
    assert "draw a digit" in caught.value.text("en") and "dessinez" in caught.value.text("fr")


@pytest.fixture(scope="module")
def gan():
    return checkpoints.load("mnist-dcgan").model


def test_the_search_finds_a_generated_digit_again(gan):
    target = sampling.sample(gan, 1, seed=11)
    found = drawing.invert(gan, target, seed=0)  # the page's 8 starts and 200 steps
    assert found.curves.shape == (201, 8) and found.images.shape == (8, 1, 28, 28)
    assert torch.all(found.errors[:-1] <= found.errors[1:])  # best first
    assert torch.allclose(found.curves[-1], found.errors)
    # From random starts (error ~0.4) to a near copy of the target.
    assert found.curves[0].min() > 0.1 and found.errors[0] < 0.02
    regenerated = sampling.generate(gan, found.z[:1])
    assert (regenerated - found.images[:1]).abs().max() < 0.05


def test_the_search_is_reproducible_from_its_seed(gan):
    target = drawing.mnist_style(drawing.ink_from_picture(stroke_picture()))
    a = drawing.invert(gan, target, seed=4, starts=3, steps=20)
    b = drawing.invert(gan, target, seed=4, starts=3, steps=20)
    c = drawing.invert(gan, target, seed=5, starts=3, steps=20)
    assert torch.equal(a.z, b.z) and torch.equal(a.curves, b.curves)
    assert not torch.equal(a.curves[0], c.curves[0])


def test_the_search_refuses_a_conditional_generator():
    with pytest.raises(ValueError):
        drawing.invert(checkpoints.load("mnist-cgan").model, torch.zeros(1, 1, 28, 28), seed=0, steps=1)


def test_one_search_per_image_keeps_their_order(gan):
    targets = sampling.generate(gan, sampling.latents(gan, 4, 11))
    found = drawing.invert_each(gan, targets, seed=12, starts=3, steps=150)
    assert found.images.shape == (4, 1, 28, 28) and found.curves.shape == (151, 4)
    errors = (found.images - targets).pow(2).mean(dim=(1, 2, 3))
    assert torch.allclose(errors, found.errors, atol=1e-6)
    assert torch.all(found.errors < 0.5 * found.curves[0])  # each row closed in on its own target
    assert errors.mean() < (found.images - targets.roll(1, 0)).pow(2).mean(dim=(1, 2, 3)).mean()
