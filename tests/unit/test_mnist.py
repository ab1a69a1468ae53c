"""MNIST models: metrics on inputs with known answers, the training CLI on synthetic data,
sampling from the terminal, and every shipped checkpoint."""

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from ganzoo import checkpoints
from ganzoo.models.mnist import MnistClassifier, MnistGAN
from ganzoo.training.gan import gan_step

ROOT = Path(__file__).resolve().parents[2]


# --- metrics -------------------------------------------------------------------------------







# --- training -------------------------------------------------------------------------------



def synthetic_digits(n=512, seed=0):
    """Bars whose position depends on the label: a tiny learnable stand-in for MNIST."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=g)
    images = torch.full((n, 1, 28, 28), -1.0)
    for i, k in enumerate(labels.tolist()):
        images[i, 0, 2 + 2 * k:4 + 2 * k, 4:24] = 1.0
    return images, labels


@pytest.mark.parametrize("arch,lr", [("dense", 2e-4), ("dcgan", 1e-3), ("conditional", 1e-3)])
def test_a_few_steps_lower_the_discriminator_loss(arch, lr):
    torch.manual_seed(0)
    model = MnistGAN(arch, latent_dim=16, width=8)
    images, labels = synthetic_digits()
    opt_g = torch.optim.Adam(model.generator.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(0)
    batches = [slice(i * 64, (i + 1) * 64) for i in range(8)]
    losses = [gan_step(model, opt_g, opt_d, images[b], labels[b], g, 0.9)[0] for b in batches * 4]
    # Early on D learns faster than G: its loss falls well below where it started.
    assert np.mean(losses[-5:]) < 0.85 * np.mean(losses[:5])


def write_idx(folder: Path, images: torch.Tensor, labels: torch.Tensor, prefix: str):
    pixels = ((images[:, 0] + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()
    n = len(pixels)
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">IIII", 2051, n, 28, 28) + pixels.tobytes())
    (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(
        struct.pack(">II", 2049, n) + labels.numpy().astype(np.uint8).tobytes())


@pytest.fixture(scope="module")
def synthetic_mnist(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw, *synthetic_digits(512, 0), "train")
    write_idx(raw, *synthetic_digits(256, 1), "t10k")
    return root


def test_training_cli_writes_a_loadable_resumable_folder(synthetic_mnist, tmp_path):
    out = tmp_path / "ckpt"
    cmd = [sys.executable, "-m", "ganzoo.train", "dcgan", "--data", str(synthetic_mnist), "--out", str(out),
           "--epochs", "1", "--batch-size", "64", "--seed", "3"]
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(cmd, check=True, env=env, capture_output=True, cwd=ROOT)
    assert (out / "training_state.pt").is_file()
    card = (out / "README.md").read_text()
    assert "python -m ganzoo.train dcgan" in card and "--seed 3" in card
    # Resuming to 2 epochs continues from the saved state instead of starting over.
    result = subprocess.run(cmd[:-4] + ["--epochs", "2", "--batch-size", "64", "--seed", "3"], check=True,
                            env=env, capture_output=True, text=True, cwd=ROOT)
    assert "resuming after epoch 1" in result.stdout + result.stderr
    model = checkpoints.load_folder(MnistGAN, out)
    with torch.no_grad():
        images = model(model.sample_noise(4))
    assert images.shape == (4, 1, 28, 28)


# --- sampling and the shipped checkpoints -------------------------------------------------------

SHIPPED_GANS = ["mnist-dense", "mnist-dcgan", "mnist-cgan", "fashion-dcgan", "fashion-cgan"]


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


def test_sample_cli_npz_and_pngs(tmp_path):
    out = tmp_path / "s.npz"
    subprocess.run([sys.executable, "-m", "ganzoo.sample", "mnist-cgan", "--n", "20", "--seed", "4",
                    "--out", str(out)], check=True, cwd=ROOT, capture_output=True)
    data = np.load(out)
    assert data["images"].shape == (20, 28, 28) and data["images"].dtype == np.float32
    assert 0 <= data["images"].min() and data["images"].max() <= 1
    assert np.bincount(data["labels"]).tolist() == [2] * 10
    # The same seed gives the same images as the library call the pages make.
    from ganzoo import sample
    model = checkpoints.load("mnist-cgan").model
    again = sample.sample(model, 20, 4)
    np.testing.assert_allclose(data["images"], ((again[:, 0] + 1) / 2).clamp(0, 1).numpy(), atol=1e-6)
    subprocess.run([sys.executable, "-m", "ganzoo.sample", "mnist-cgan", "--n", "3", "--label", "7",
                    "--out", str(tmp_path / "pngs")], check=True, cwd=ROOT, capture_output=True)
    assert sorted(p.name for p in (tmp_path / "pngs").iterdir()) == [
        "00000_label7.png", "00001_label7.png", "00002_label7.png"]


def test_classifier_folded_for_inference_gives_the_same_outputs():
    from ganzoo.models.mnist import MnistClassifier
    plain = checkpoints.load_folder(MnistClassifier, checkpoints.embedded_folder("mnist-classifier")).eval()
    folded = checkpoints.load("mnist-classifier", device="cpu").model
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in folded.modules())
    x = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        torch.testing.assert_close(folded(x), plain(x), atol=1e-4, rtol=1e-4)
        torch.testing.assert_close(folded.embed(x), plain.embed(x), atol=1e-4, rtol=1e-4)
