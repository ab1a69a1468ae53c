"""CycleGAN training: the losses, the image pool, the colour path and the training CLI."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganzoo.io import checkpoints
from ganzoo.models.cyclegan import CycleGAN
from ganzoo.training.cyclegan import ImagePool, cyclegan_losses

ROOT = Path(__file__).resolve().parents[2]


def test_losses_and_pool():
    torch.manual_seed(0)
    model = CycleGAN(ngf=8, n_blocks=1, ndf=8)
    a, b = torch.rand(2, 3, 32, 32) * 2 - 1, torch.rand(2, 3, 32, 32) * 2 - 1
    total, parts, fake_a, fake_b = cyclegan_losses(model, a, b)
    recomputed = parts["adv"] + 10 * parts["cycle"] + 5 * parts["identity"]
    assert total.item() == pytest.approx(recomputed, rel=1e-5)
    heavier, parts_30, _, _ = cyclegan_losses(model, a, b, lambda_cycle=30.0)  # --cycle-weight 30
    assert heavier.item() == pytest.approx(parts_30["adv"] + 30 * parts_30["cycle"] + 15 * parts_30["identity"],
                                           rel=1e-5)
    lighter, parts_id, _, _ = cyclegan_losses(model, a, b, lambda_identity=0.1)  # --identity-weight 0.1
    assert lighter.item() == pytest.approx(parts_id["adv"] + 10 * parts_id["cycle"] + 1 * parts_id["identity"],
                                           rel=1e-5)
    pool = ImagePool(3)
    for i in range(10):
        out = pool.query(torch.full((1, 1, 2, 2), float(i)))
        assert out.shape == (1, 1, 2, 2)
    assert len(pool.images) == 3


def test_the_colour_path_learns_at_its_own_pace():
    """Its weights start at zero and need values of order 1: they take steps COLOUR_LR_SCALE times
    the others' (Adam moves each weight by about lr per iteration)."""
    from ganzoo.training.cyclegan import COLOUR_LR_SCALE, train_cyclegan
    torch.manual_seed(0)
    model = CycleGAN(ngf=4, n_blocks=1, ndf=4, upsample="resize", colour=True)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(0)
    a, b = (torch.randint(0, 256, (4, 3, 40, 40), generator=g, dtype=torch.uint8) for _ in range(2))
    train_cyclegan(model, a, b, iterations=3, crop=32, lr=1e-3, seed=1, log=lambda *_: None)
    moved = {k: (v - before[k]).abs().max().item() for k, v in model.state_dict().items() if k.startswith("G_")}
    colour = max(v for k, v in moved.items() if ".colour." in k)
    assert colour > COLOUR_LR_SCALE * 1e-3 and max(v for k, v in moved.items() if ".colour." not in k) < 3 * 3e-3


def test_training_cli_records_its_loss_weights_and_every_command_of_a_resumed_run(tmp_path):
    data = tmp_path / "monet2photo"
    rng = np.random.default_rng(0)
    for split in ("trainA", "trainB", "testA", "testB"):
        (data / split).mkdir(parents=True)
        for i in range(2):
            Image.fromarray(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)).save(data / split / f"{i}.png")
    out = tmp_path / "run"
    base = [sys.executable, "-m", "ganzoo.train", "cyclegan", "--data", str(data), "--out", str(out), "--ngf", "4",
            "--blocks", "1", "--ndf", "4", "--upsample", "resize", "--crop", "32", "--cycle-weight", "30",
            "--identity-weight", "0.2"]
    env = {**__import__("os").environ, "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run(base + ["--iterations", "2"], check=True, env=env, capture_output=True, cwd=ROOT)
    (out / "card.json").unlink()  # stopped after its saved state, before its card
    subprocess.run(base + ["--iterations", "4"], check=True, env=env, capture_output=True, cwd=ROOT)
    training = checkpoints.read_card(out)["training"]
    assert training["cycle weight"] == 30 and training["identity weight"] == 0.2 and training["iterations"] == 4
    assert [c.rsplit("--iterations ", 1)[1] for c in training["commands"]] == ["2", "4"]
    description = checkpoints.read_card(out)["description"]
    assert "weighed the cycle loss 30" in description and "identity loss 0.2 x cycle" in description
    # A warm start may add the colour path to a trained pair; weights of another size are refused.
    colour = tmp_path / "colour"
    subprocess.run(base[:6] + ["--out", str(colour), "--ngf", "4", "--blocks", "1", "--ndf", "4", "--upsample",
                               "resize", "--crop", "32", "--colour", "--init-from", str(out), "--iterations", "2"],
                   check=True, env=env, capture_output=True, cwd=ROOT)
    warm = checkpoints.load_folder(CycleGAN, colour)
    assert warm.G_AB.colour is not None and "mean colour" in checkpoints.read_card(colour)["description"]
    bad = subprocess.run(base[:6] + ["--out", str(tmp_path / "bad"), "--ngf", "8", "--init-from", str(out)],
                         env=env, capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "do not fit" in bad.stderr
    # A run is judged from its folder, as a run in progress would be, on the test split.
    from ganzoo.evaluate import evaluate_cyclegan
    rows = dict((label, mine) for label, mine, _ in evaluate_cyclegan(data=data, folder=out))
    assert 0 < float(rows["mean cycle L1, photo -> painting -> photo"]) < 2
    assert float(rows["checkerboard: phase spread on flat grey, photo -> painting"]) < 0.01  # resize upsampling
