"""The training lab: losses against their formulas, metrics, presets and the page's controls."""

from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from ganzoo import lab

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_losses_match_their_formulas():
    real, fake = torch.tensor([1.5, -0.3, 0.2]), torch.tensor([-2.0, 0.4, 1.0])
    d = torch.sigmoid
    ce = -(torch.log(d(real))).mean() - torch.log(1 - d(fake)).mean()
    assert lab.d_loss("non-saturating", real, fake).item() == pytest.approx(ce.item(), rel=1e-6)
    smoothed = -(0.9 * torch.log(d(real)) + 0.1 * torch.log(1 - d(real))).mean() - torch.log(1 - d(fake)).mean()
    assert lab.d_loss("saturating", real, fake, 0.9).item() == pytest.approx(smoothed.item(), rel=1e-6)
    assert lab.g_loss("saturating", fake).item() == pytest.approx(torch.log(1 - d(fake)).mean().item(), rel=1e-6)
    assert lab.g_loss("non-saturating", fake).item() == pytest.approx(-torch.log(d(fake)).mean().item(), rel=1e-6)
    assert lab.d_loss("least-squares", real, fake).item() == pytest.approx(
        (0.5 * (real - 1) ** 2).mean().item() + (0.5 * fake ** 2).mean().item(), rel=1e-6)
    assert lab.g_loss("least-squares", fake).item() == pytest.approx((0.5 * (fake - 1) ** 2).mean().item(), rel=1e-6)
    assert lab.d_loss("wgan-gp", real, fake).item() == pytest.approx((fake.mean() - real.mean()).item(), rel=1e-6)
    assert lab.g_loss("wgan-gp", fake).item() == pytest.approx(-fake.mean().item(), rel=1e-6)


def test_gradient_penalty_is_zero_for_a_unit_gradient_critic():
    critic = lambda x: x @ torch.tensor([0.6, 0.8])  # noqa: E731  |grad| = 1 everywhere
    real, fake = torch.randn(64, 2), torch.randn(64, 2)
    assert lab.gradient_penalty(critic, real, fake, torch.Generator().manual_seed(0)).item() == pytest.approx(0, abs=1e-10)
    steep = lambda x: x @ torch.tensor([3.0, 0.0])  # noqa: E731  |grad| = 3: penalty 10 * 2^2
    assert lab.gradient_penalty(steep, real, fake, torch.Generator().manual_seed(0)).item() == pytest.approx(40)


def test_saturating_loss_gives_vanishing_gradient_when_d_is_confident():
    fake_logits = torch.full((8,), -8.0, requires_grad=True)  # D(G(z)) ~ 0.0003
    lab.g_loss("saturating", fake_logits).backward()
    sat = fake_logits.grad.abs().mean().item()
    fake_logits.grad = None
    lab.g_loss("non-saturating", fake_logits).backward()
    assert sat < 1e-3 * fake_logits.grad.abs().mean().item()


def test_coverage_metrics():
    centers = lab.mode_centers("ring8")
    on_all = np.repeat(centers, 50, 0)
    assert lab.modes_covered("ring8", on_all)[:2] == (8, 8)
    on_two = np.repeat(centers[:2], 200, 0)
    assert lab.modes_covered("ring8", on_two)[0] == 2
    real = lab.sample_target("ring8", 4000, torch.Generator().manual_seed(0)).numpy()
    same = lab.sample_target("ring8", 4000, torch.Generator().manual_seed(1)).numpy()
    assert lab.histogram_kl(real, same) < 0.3 < lab.histogram_kl(real, on_two)


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
    run = lab.LabRun(lab.preset_config("mode-collapse", seed=0))
    run.train(lab.PRESETS["mode-collapse"][1])
    covered, total, quality = lab.modes_covered("ring8", run.fake_points())
    assert covered <= 3 < total  # few modes...
    assert quality >= 0.4  # ...but the samples sit on them: collapse, not failure to learn


def test_oscillation_preset_keeps_swinging_while_convergence_settles():
    swinging = lab.LabRun(lab.preset_config("oscillation", seed=0))
    swinging.train(lab.PRESETS["oscillation"][1])
    settled = lab.LabRun(lab.preset_config("converges", seed=0))
    settled.train(lab.PRESETS["converges"][1])
    assert lab.centroid_travel(swinging) > 10 * lab.centroid_travel(settled)
    assert min(swinging.metrics["kl"][-8:]) > 2 * max(settled.metrics["kl"][-8:])


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


def open_lab(**state):
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page("pages/training_lab.py")
    at.run()
    assert not at.exception
    return at


def steps_metric(at):
    return int([m for m in at.metric if m.label == "Generator steps"][0].value)


def test_lab_page_controls():
    at = open_lab()
    at.button(key="step_both").click().run()
    at.button(key="step_d").click().run()
    assert steps_metric(at) == 2
    at.button(key="train100").click().run()
    assert steps_metric(at) == 102
    at.button(key="reset").click().run()
    assert steps_metric(at) == 0
    for key, value in (("target", "moons"), ("loss", "wgan-gp"), ("noise", "uniform"), ("g_optimizer", "rmsprop"),
                       ("d_optimizer", "sgd")):
        at.selectbox(key=key).set_value(value).run()
        assert not at.exception
    at.number_input(key="d_steps").set_value(3).run()
    at.number_input(key="g_lr").set_value(0.002).run()
    at.select_slider(key="g_hidden").set_value(16).run()
    at.button(key="train100").click().run()
    assert not at.exception and steps_metric(at) == 100
    at.slider(key="timeline").set_value(0).run()
    assert any("After 0 generator steps" in c.value for c in at.caption)


def test_lab_presets_load_and_play():
    at = open_lab()
    at.selectbox(key="preset").set_value("mode-collapse").run()
    assert not at.exception and at.session_state["lab_playing"]
    assert any("modes" in i.value for i in at.info)
    at.button(key="play").click().run()  # pause
    assert not at.session_state["lab_playing"]


def test_lab_custom_points_from_csv_state():
    at = open_lab(lab_custom=[[0.0, 0.0], [1.0, 1.0], [-1.0, 2.0]])
    at.selectbox(key="target").set_value("custom").run()
    assert not at.exception
    at.button(key="train100").click().run()
    assert steps_metric(at) == 100
    at.button(key="clear_points").click().run()
    assert any("at least two points" in w.value for w in at.warning)


def test_lab_settings_come_from_the_url_and_bad_values_are_refused():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"target": "grid25", "loss": "least-squares", "d_steps": "4", "g_lr": "0.0005",
                            "g_hidden": "32", "noise": "bogus", "d_lr": "-3"})
    at.switch_page("pages/training_lab.py")
    at.run()
    assert not at.exception
    run = at.session_state["lab_run"]
    assert (run.config.target, run.config.loss, run.config.d_steps, run.config.g_lr, run.config.g_hidden) == \
        ("grid25", "least-squares", 4, 0.0005, 32)
    assert run.config.noise == "gaussian" and run.config.d_lr == lab.LabConfig().d_lr


def test_lab_remaining_controls_reach_the_run():
    at = open_lab()
    run = at.session_state["lab_run"]
    d_before = [p.detach().clone() for p in run.D.parameters()]
    g_before = [p.detach().clone() for p in run.G.parameters()]
    at.button(key="step_g").click().run()  # the generator moves, the critic does not
    run = at.session_state["lab_run"]
    assert all(torch.equal(a, b) for a, b in zip(d_before, run.D.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(g_before, run.G.parameters()))
    at.number_input(key="d_lr").set_value(0.003).run()
    at.select_slider(key="d_hidden").set_value(32).run()
    at.slider(key="smoothing").set_value(0.9).run()
    at.number_input(key="seed").set_value(7).run()
    assert not at.exception
    config = at.session_state["lab_run"].config
    assert (config.d_lr, config.d_hidden, config.smoothing, config.seed) == (0.003, 32, 0.9, 7)


def test_lab_points_from_an_uploaded_csv_and_a_bad_one():
    at = open_lab()
    at.selectbox(key="target").set_value("custom").run()
    at.file_uploader(key="points_csv").set_value(("pts.csv", b"x,y\n0,0\n1,1\n2,-1\n", "text/csv")).run()
    assert not at.exception and any(c.value == "3 points" for c in at.caption)
    at.button(key="train100").click().run()
    assert steps_metric(at) == 100
    at.file_uploader(key="points_csv").set_value(("bad.csv", b"0,0\n1,nope\n", "text/csv")).run()
    assert len(at.error) == 1 and at.error[0].value.startswith("This file cannot be used")
    assert any(c.value == "3 points" for c in at.caption)  # the points from before stay
