"""The training lab: losses against their formulas, metrics, presets and the page's controls."""


import numpy as np
import pytest
import torch

from ganzoo.lessons import lab


def test_points_csv():
    pts = lab.parse_points_csv("x,y\n0,1\n2,3\n-9,9\n")
    assert pts.shape == (3, 2) and pts[2, 0] > -lab.EXTENT
    for bad in ("", "1,2\n", "0,0\n1,nope\n", "0,0\ninf,1\n"):
        with pytest.raises(ValueError):
            lab.parse_points_csv(bad)


def test_converging_preset_reaches_its_coverage_target():
    run = lab.LabRun(lab.preset_config("converges", seed=0))
    run.train(lab.PRESETS["converges"][1])
    assert run.metrics["modes"][-1] == 8
    assert run.metrics["quality"][-1] >= 0.5
    assert run.metrics["kl"][-1] < 0.5 * run.metrics["kl"][0]


def test_mode_collapse_preset_covers_few_modes_sharply():
    # A GAN's trajectory is chaotic: another CPU's float rounding sends one seed elsewhere, so the
    # story is checked over four seeds rather than pinned to one.
    results = []
    for seed in range(4):
        run = lab.LabRun(lab.preset_config("mode-collapse", seed=seed))
        run.train(lab.PRESETS["mode-collapse"][1])
        results.append(lab.modes_covered("ring8", run.fake_points()))
    assert all(covered <= 5 < total for covered, total, _ in results), results  # modes are always missed...
    # ...and in some runs the samples sit sharply on the few it keeps: collapse, not failure to learn.
    assert any(covered <= 4 and quality >= 0.4 for covered, _, quality in results), results


def test_oscillation_preset_keeps_swinging_while_convergence_settles():
    swinging = lab.LabRun(lab.preset_config("oscillation", seed=0))
    swinging.train(lab.PRESETS["oscillation"][1])
    settled = lab.LabRun(lab.preset_config("converges", seed=0))
    settled.train(lab.PRESETS["converges"][1])
    assert lab.centroid_travel(swinging) > 10 * lab.centroid_travel(settled)
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    assert mean(swinging.metrics["kl"][-8:]) > 2 * mean(settled.metrics["kl"][-8:])


def test_strong_discriminator_preset_starves_the_generator():
    run = lab.LabRun(lab.preset_config("strong-discriminator", seed=0))
    run.train(300)
    assert np.nanmean(run.history["grad_g"][-20:]) < 1e-4 * run.history["grad_g"][0]


def test_runs_are_reproducible_from_the_seed():
    a, b = lab.LabRun(lab.LabConfig(seed=3)), lab.LabRun(lab.LabConfig(seed=3))
    a.train(30)
    b.train(30)
    np.testing.assert_array_equal(a.fake_points(), b.fake_points())
    csv = lab.history_csv(a)
    assert csv.startswith("step,loss_d") and len(csv.splitlines()) == 31


















def test_the_equilibrium_is_recorded_and_needs_both_a_matching_cloud_and_a_random_d():
    from types import SimpleNamespace
    run = lab.LabRun(lab.LabConfig(target="ring8", loss="non-saturating"))
    run.train(50)
    m = run.metrics
    assert len(m["d_real"]) == len(m["d_fake"]) == len(m["d_spread"]) == len(m["value"]) == len(m["step"])
    assert all(0 <= v <= 1 for v in m["d_real"] + m["d_fake"]) and all(v <= 0 for v in m["value"])
    # An untrained generator is far from the data even where D still answers about 1/2.
    assert not lab.at_equilibrium(run)
    fake = lambda kl, spread: SimpleNamespace(metrics={"kl": [kl], "d_spread": [spread]})  # noqa: E731
    assert lab.at_equilibrium(fake(0.2, 0.01))
    assert not lab.at_equilibrium(fake(0.2, 0.2))  # D still tells points apart
    assert not lab.at_equilibrium(fake(3.0, 0.01))  # D is confused but the cloud does not match


def test_the_lab_trains_on_at_most_lab_threads_and_gives_the_count_back(monkeypatch):
    before = torch.get_num_threads()
    torch.set_num_threads(lab.LAB_THREADS + 2)  # as on a many-core host (oversubscribing is allowed)
    try:
        run = lab.LabRun(lab.LabConfig())
        seen = []
        d_step = run.d_step
        monkeypatch.setattr(run, "d_step", lambda: (seen.append(torch.get_num_threads()), d_step())[1])
        run.train(3)
        assert len(seen) == 3 and max(seen) <= lab.LAB_THREADS
        assert torch.get_num_threads() == lab.LAB_THREADS + 2
    finally:
        torch.set_num_threads(before)
