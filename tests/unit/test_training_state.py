"""A run interrupted after its first save and started again ends where an uninterrupted run ends."""

import pytest
import torch

from ganzoo.models.cyclegan import CycleGAN
from ganzoo.models.mnist import MnistClassifier
from ganzoo.training import state as state_module
from ganzoo.training.classifier import train_classifier
from ganzoo.training.cyclegan import train_cyclegan


class Interrupted(Exception):
    pass


def interrupt_after_first_save(monkeypatch):
    original = state_module.TrainingState.save

    def save_then_stop(self, **progress):
        original(self, **progress)
        monkeypatch.setattr(state_module.TrainingState, "save", original)
        raise Interrupted

    monkeypatch.setattr(state_module.TrainingState, "save", save_then_stop)


def same_weights(a, b):
    return all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def digits(n=256, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 1, 28, 28, generator=g) * 2 - 1, torch.randint(0, 10, (n,), generator=g)


def test_classifier_resumes_exactly(tmp_path, monkeypatch):
    images, labels = digits()
    cfg = dict(epochs=2, batch_size=64, lr=1e-3, seed=1, log=lambda *_: None)
    torch.manual_seed(0)
    straight = MnistClassifier(width=4)
    train_classifier(straight, images, labels, out=tmp_path / "straight", **cfg)
    interrupt_after_first_save(monkeypatch)
    torch.manual_seed(0)
    first = MnistClassifier(width=4)
    with pytest.raises(Interrupted):
        train_classifier(first, images, labels, out=tmp_path / "resumed", **cfg)
    torch.manual_seed(0)
    resumed = MnistClassifier(width=4)
    train_classifier(resumed, images, labels, out=tmp_path / "resumed", **cfg)
    assert same_weights(straight, resumed) and not same_weights(first, resumed)


def test_cyclegan_resumes_exactly_with_its_image_pools(tmp_path, monkeypatch):
    g = torch.Generator().manual_seed(0)
    a, b = (torch.randint(0, 256, (4, 3, 48, 48), generator=g, dtype=torch.uint8) for _ in range(2))
    cfg = dict(iterations=4, batch_size=1, crop=32, seed=2, save_every=2, log=lambda *_: None)

    def fresh():
        torch.manual_seed(0)
        return CycleGAN(ngf=4, n_blocks=1, ndf=4)

    straight = fresh()
    train_cyclegan(straight, a, b, out=tmp_path / "straight", **cfg)
    interrupt_after_first_save(monkeypatch)
    with pytest.raises(Interrupted):
        train_cyclegan(fresh(), a, b, out=tmp_path / "resumed", **cfg)
    saved = torch.load(tmp_path / "resumed" / state_module.STATE_FILE, weights_only=True)
    assert saved["progress"]["iteration"] == 2 and len(saved["pool_a"]["images"]) == 2
    resumed = fresh()
    train_cyclegan(resumed, a, b, out=tmp_path / "resumed", **cfg)
    assert same_weights(straight, resumed)
