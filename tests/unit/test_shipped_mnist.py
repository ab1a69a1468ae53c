"""Every shipped 28x28 checkpoint (weights/, through ganzoo.io.checkpoints): the generators draw,
the judges meet their test accuracy."""

import pytest
import torch

from ganzoo.io import checkpoints
from ganzoo.models.mnist import MnistClassifier

SHIPPED_GANS = ["mnist-dense", "mnist-dcgan", "mnist-scgan", "mnist-scgan-w64", "mnist-cgan", "fashion-dcgan",
                "fashion-cgan"]


@pytest.mark.parametrize("name", SHIPPED_GANS)
def test_shipped_generators_load_and_draw_digits(name):
    loaded = checkpoints.load(name)
    assert loaded.source == f"weights/{name}"
    model = loaded.model
    labels = torch.arange(16) % 10 if model.conditional else None
    on = next(model.parameters()).device  # the registry places models by the device policy
    with torch.no_grad():
        images = model(model.sample_noise(16, torch.Generator().manual_seed(0)).to(on),
                       None if labels is None else labels.to(on)).cpu()
    assert images.shape == (16, 1, 28, 28)
    assert images.min() >= -1 and images.max() <= 1 and images.std() > 0.3
    card = (checkpoints.embedded_folder(name) / "README.md").read_text()
    assert "python -m ganzoo.train" in card and "Inception Score" in card


@pytest.mark.parametrize("name,floor", [("mnist-classifier", 0.993), ("fashion-classifier", 0.92)])
def test_shipped_judges_meet_their_test_accuracy(name, floor):
    loaded = checkpoints.load(name)
    assert isinstance(loaded.model, MnistClassifier)
    card = checkpoints.read_card(checkpoints.embedded_folder(name))
    accuracy = float(card["training"]["test accuracy"].split()[0])
    assert accuracy >= floor
