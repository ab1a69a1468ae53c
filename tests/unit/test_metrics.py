"""ganzoo.maths.metrics on known answers."""

import math

import numpy as np
import pytest
import torch

from ganzoo.lessons import lab
from ganzoo.maths import metrics


def test_inception_score_known_answers():
    confident_uniform = torch.eye(10).repeat(100, 1)  # each sample sure of its class, all classes equal
    assert metrics.inception_score(confident_uniform) == pytest.approx(10, rel=1e-6)
    one_class = torch.zeros(500, 10)
    one_class[:, 3] = 1
    assert metrics.inception_score(one_class) == pytest.approx(1, rel=1e-6)
    unsure = torch.full((500, 10), 0.1)
    assert metrics.inception_score(unsure) == pytest.approx(1, rel=1e-6)


def test_unsure_share_counts_images_between_kinds_known_answers():
    sure = torch.eye(10).repeat(10, 1)  # 100 confident samples
    between = torch.zeros(50, 10)
    between[:, 4] = between[:, 9] = 0.5  # half a 4, half a 9
    assert metrics.unsure_share(sure) == 0 and metrics.unsure_share(between) == 1
    assert metrics.unsure_share(torch.cat([sure, between])) == pytest.approx(50 / 150)
    # The unsure third is what keeps the score below 10 with an even class mixture.
    assert metrics.inception_score(torch.cat([sure, between])) < metrics.inception_score(sure) == pytest.approx(10)


def test_histogram_kl_and_coverage_known_answers():
    one_class = torch.zeros(500, 10)
    one_class[:, 3] = 1
    hist = metrics.class_histogram(one_class)
    assert metrics.kl_to_uniform(hist) == pytest.approx(math.log(10))
    assert metrics.classes_covered(hist) == 1
    balanced = metrics.class_histogram(torch.eye(10).repeat(7, 1))
    assert metrics.kl_to_uniform(balanced) == pytest.approx(0, abs=1e-12)
    assert metrics.classes_covered(balanced) == 10


def test_frechet_distance_known_answers():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(20000, 4, generator=g, dtype=torch.float64)
    b = torch.randn(20000, 4, generator=g, dtype=torch.float64)
    assert metrics.frechet_distance(a, a) == pytest.approx(0, abs=1e-6)
    shifted = b + torch.tensor([3.0, 0, 0, 0], dtype=torch.float64)
    assert metrics.frechet_distance(a, shifted) == pytest.approx(9, rel=0.02)
    scaled = b * 2  # var 4: (2 - 1)^2 per dimension
    assert metrics.frechet_distance(a, scaled) == pytest.approx(4, rel=0.05)


def test_coverage_metrics():
    centers = lab.mode_centers("ring8")
    on_all = np.repeat(centers, 50, 0)
    assert lab.modes_covered("ring8", on_all)[:2] == (8, 8)
    on_two = np.repeat(centers[:2], 200, 0)
    assert lab.modes_covered("ring8", on_two)[0] == 2
    real = lab.sample_target("ring8", 4000, torch.Generator().manual_seed(0)).numpy()
    same = lab.sample_target("ring8", 4000, torch.Generator().manual_seed(1)).numpy()
    assert metrics.histogram_kl(real, same, lab.EXTENT) < 0.3 < metrics.histogram_kl(real, on_two, lab.EXTENT)


def test_mean_colour_floor():
    from ganzoo.maths.metrics import mean_colour_floor
    texture = torch.rand(1, 3, 16, 16, generator=torch.Generator().manual_seed(0)) * 0.2
    same = texture.repeat(4, 1, 1, 1)
    assert mean_colour_floor(same) == pytest.approx(0.0, abs=1e-7)
    shifted = same + torch.tensor([-0.3, -0.1, 0.1, 0.3]).view(4, 1, 1, 1)  # four mean colours
    assert mean_colour_floor(shifted) == pytest.approx(0.2, abs=1e-6)  # mean |shift - 0| over the four


def test_cycle_l1_given_the_true_colour_takes_out_the_colour_and_nothing_else():
    from ganzoo.maths.metrics import cycle_l1, cycle_l1_true_colour
    g = torch.Generator().manual_seed(0)
    original = torch.rand(2, 3, 16, 16, generator=g) * 2 - 1
    cast = original + torch.tensor([0.2, -0.1, 0.3]).view(1, 3, 1, 1)  # right in all but the mean colour
    assert cycle_l1(original, cast) == pytest.approx(0.2, abs=1e-6)
    assert cycle_l1_true_colour(original, cast) == pytest.approx(0.0, abs=1e-6)
    blurred = original.mean((2, 3), keepdim=True).expand_as(original)  # the mean right, all else lost
    assert cycle_l1_true_colour(original, blurred) == pytest.approx(cycle_l1(original, blurred), abs=1e-6)
    assert cycle_l1(original, blurred) > 0.3


def test_phase_spread_sees_a_periodic_pattern_and_nothing_else():
    flat = torch.full((3, 64, 64), 0.3)
    assert metrics.phase_spread(flat) == 0.0
    board = flat.clone()
    board[:, ::2, ::2] += 0.1  # one pixel in four brighter: a period-2 checkerboard
    assert abs(metrics.phase_spread(board) - 0.1) < 1e-6
    ramp = torch.linspace(-1, 1, 64).expand(3, 64, 64).clone()  # smooth content, no period
    assert metrics.phase_spread(ramp) < 0.1
    with pytest.raises(ValueError):
        metrics.phase_spread(torch.zeros(1, 3, 8, 8))


def test_sharpness_on_known_answers():
    flat = torch.full((2, 1, 16, 16), 0.3)
    assert metrics.sharpness(flat) == 0
    board = (torch.arange(16)[:, None] + torch.arange(16)[None, :]) % 2 * 2.0 - 1  # 0/1 once mapped
    assert metrics.sharpness(board[None, None]) == pytest.approx(16.0)
    noise = torch.rand(64, 1, 64, 64, generator=torch.Generator().manual_seed(0)) * 2 - 1
    assert metrics.sharpness(noise) == pytest.approx(20 / 12, rel=0.02)
    assert metrics.sharpness(torch.nn.functional.avg_pool2d(noise, 3, 1, 1)) < metrics.sharpness(noise) / 10  # blur
    with pytest.raises(ValueError):
        metrics.sharpness(torch.zeros(1, 3, 8, 8))
