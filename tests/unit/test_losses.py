"""Every GAN loss in ganzoo.maths.losses against its formula."""


import math

import pytest
import torch

from ganzoo.maths import losses


def test_losses_match_their_formulas():
    real, fake = torch.tensor([1.5, -0.3, 0.2]), torch.tensor([-2.0, 0.4, 1.0])
    d = torch.sigmoid
    ce = -(torch.log(d(real))).mean() - torch.log(1 - d(fake)).mean()
    assert losses.d_loss("non-saturating", real, fake).item() == pytest.approx(ce.item(), rel=1e-6)
    smoothed = -(0.9 * torch.log(d(real)) + 0.1 * torch.log(1 - d(real))).mean() - torch.log(1 - d(fake)).mean()
    assert losses.d_loss("saturating", real, fake, 0.9).item() == pytest.approx(smoothed.item(), rel=1e-6)
    assert losses.g_loss("saturating", fake).item() == pytest.approx(torch.log(1 - d(fake)).mean().item(), rel=1e-6)
    assert losses.g_loss("non-saturating", fake).item() == pytest.approx(-torch.log(d(fake)).mean().item(), rel=1e-6)
    assert losses.d_loss("least-squares", real, fake).item() == pytest.approx(
        (0.5 * (real - 1) ** 2).mean().item() + (0.5 * fake ** 2).mean().item(), rel=1e-6)
    assert losses.g_loss("least-squares", fake).item() == pytest.approx((0.5 * (fake - 1) ** 2).mean().item(), rel=1e-6)
    assert losses.d_loss("wgan-gp", real, fake).item() == pytest.approx((fake.mean() - real.mean()).item(), rel=1e-6)
    assert losses.g_loss("wgan-gp", fake).item() == pytest.approx(-fake.mean().item(), rel=1e-6)


def test_gradient_penalty_is_zero_for_a_unit_gradient_critic():
    critic = lambda x: x @ torch.tensor([0.6, 0.8])  # noqa: E731  |grad| = 1 everywhere
    real, fake = torch.randn(64, 2), torch.randn(64, 2)
    assert losses.gradient_penalty(critic, real, fake, torch.Generator().manual_seed(0)).item() == pytest.approx(
        0, abs=1e-10
    )
    steep = lambda x: x @ torch.tensor([3.0, 0.0])  # noqa: E731  |grad| = 3: penalty 10 * 2^2
    assert losses.gradient_penalty(steep, real, fake, torch.Generator().manual_seed(0)).item() == pytest.approx(40)


def test_saturating_loss_gives_vanishing_gradient_when_d_is_confident():
    fake_logits = torch.full((8,), -8.0, requires_grad=True)  # D(G(z)) ~ 0.0003
    losses.g_loss("saturating", fake_logits).backward()
    sat = fake_logits.grad.abs().mean().item()
    fake_logits.grad = None
    losses.g_loss("non-saturating", fake_logits).backward()
    assert sat < 1e-3 * fake_logits.grad.abs().mean().item()


def test_discriminator_loss_is_binary_cross_entropy():
    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    sig = torch.sigmoid
    expected = -(0.9 * torch.log(sig(real)) + 0.1 * torch.log(1 - sig(real))).mean() \
        - torch.log(1 - sig(fake)).mean()
    torch.testing.assert_close(losses.d_loss("non-saturating", real, fake, 0.9), expected)


def test_minimax_value_is_minus_log_4_at_the_equilibrium_and_matches_its_definition():
    zero = torch.zeros(100)
    assert abs(losses.minimax_value(zero, zero).item() + math.log(4)) < 1e-6
    real, fake = torch.randn(50), torch.randn(70)
    d_real, d_fake = torch.sigmoid(real), torch.sigmoid(fake)
    expected = torch.log(d_real).mean() + torch.log(1 - d_fake).mean()
    assert torch.allclose(losses.minimax_value(real, fake), expected, atol=1e-6)
    # A perfect discriminator drives V to 0 from below; log-sigmoid keeps it finite.
    assert -1e-3 < losses.minimax_value(torch.full((5,), 40.0), torch.full((5,), -40.0)).item() <= 0
