"""CycleGAN training: the losses, the image pool, the colour path and the training CLI."""

from pathlib import Path

import pytest
import torch

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
