"""ganzoo.lessons.latent directly: interpolation endpoints and norms, label morphs, directions."""

import math

import pytest
import torch

from ganzoo.lessons import latent


def codes(seed=0, dim=64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(dim, generator=g), torch.randn(dim, generator=g)


@pytest.mark.parametrize("method", ["lerp", "slerp"])
def test_both_interpolations_start_and_end_on_the_endpoints(method):
    z0, z1 = codes()
    path = latent.interpolate(z0, z1, 9, method)
    assert path.shape == (9, 64)
    torch.testing.assert_close(path[0], z0)
    torch.testing.assert_close(path[-1], z1, rtol=1e-5, atol=1e-5)


def test_lerp_is_the_straight_line_through_the_midpoint():
    z0, z1 = codes()
    mid = latent.lerp(z0, z1, torch.tensor([0.5]))[0]
    torch.testing.assert_close(mid, (z0 + z1) / 2)


def test_slerp_keeps_the_norm_where_lerp_cuts_through_the_sphere():
    z0, z1 = codes()
    z1 = z1 / z1.norm() * z0.norm()  # two codes on one sphere
    t = torch.linspace(0, 1, 11)
    slerp_norms = latent.slerp(z0, z1, t).norm(dim=1)
    lerp_norms = latent.lerp(z0, z1, t).norm(dim=1)
    torch.testing.assert_close(slerp_norms, torch.full_like(slerp_norms, z0.norm().item()), rtol=1e-5, atol=1e-5)
    # Two random 64-d codes are nearly orthogonal: the straight line's midpoint has ~1/sqrt(2) the norm.
    assert lerp_norms[5] < 0.8 * z0.norm()


def test_slerp_moves_at_constant_angular_speed():
    z0, z1 = codes(1)
    z1 = z1 / z1.norm() * z0.norm()
    path = latent.slerp(z0, z1, torch.linspace(0, 1, 5))
    unit = path / path.norm(dim=1, keepdim=True)
    angles = [math.acos(float((unit[i] * unit[i + 1]).sum().clamp(-1, 1))) for i in range(4)]
    assert max(angles) - min(angles) < 1e-4


def test_slerp_of_parallel_codes_falls_back_to_the_line():
    z0, _ = codes()
    path = latent.slerp(z0, 2 * z0, torch.linspace(0, 1, 3))
    assert torch.isfinite(path).all()
    torch.testing.assert_close(path[1], 1.5 * z0)


def test_label_morph_goes_from_one_digit_to_the_other():
    morph = latent.label_morph(3, 8, 5)
    assert morph.shape == (5, 10)
    torch.testing.assert_close(morph.sum(1), torch.ones(5))
    assert morph[0, 3] == 1 and morph[-1, 8] == 1 and morph[2, 3] == morph[2, 8] == 0.5


def test_random_direction_is_a_seeded_unit_vector():
    d = latent.random_direction(64, 7)
    assert d.norm().item() == pytest.approx(1.0)
    torch.testing.assert_close(d, latent.random_direction(64, 7))
    assert not torch.equal(d, latent.random_direction(64, 8))
