"""ganzoo/lessons/lab.js (the lab's Play, trained in the visitor's browser) against LabRun.

The same start (lab_browser.run_state), the same random draws (recorded from LabRun as it trains and
fed to lab.js in the same order): every weight, loss, gradient norm and metric must agree, in
Chromium, for every loss, optimizer and step kind. And lab.js's own draws must follow each target."""

import json

import numpy as np
import pytest
import torch
from playwright.sync_api import sync_playwright

from ganzoo.lessons import lab, lab_browser
from ganzoo.maths import metrics
from tests.browser import ROOT, launch

LAB_JS = ROOT / "ganzoo" / "lessons" / "lab.js"


@pytest.fixture(scope="module")
def page():
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(LAB_JS))
        yield page
        browser.close()


def recorded_run(monkeypatch, config: lab.LabConfig, steps: int, only=None, only_before=None):
    """A LabRun's start, the run after `steps` steps, and every random draw it made, in order."""
    run = lab.LabRun(config)
    if only_before:
        run.train(2, only=only_before)  # a history with NaN losses in it
    start = json.dumps(lab_browser.run_state(run))  # as Streamlit sends a component's arguments
    draws = []
    sample_target, gradient_penalty, noise = lab.sample_target, lab.gradient_penalty, lab.LabRun.noise

    def recorded_target(*args, **kwargs):
        out = sample_target(*args, **kwargs)
        draws.append(["real", out.flatten().tolist()])
        return out

    def recorded_noise(self, n, generator=None):
        out = noise(self, n, generator)
        if generator is None:  # the training draws (the probe noise has a generator of its own)
            draws.append(["noise", out.flatten().tolist()])
        return out

    def recorded_penalty(critic, real, fake, generator, weight=10.0):
        before = generator.get_state()
        value = gradient_penalty(critic, real, fake, generator, weight)
        eps = torch.rand(len(real), 1, generator=torch.Generator().set_state(before))
        draws.append(["eps", eps.flatten().tolist()])
        return value

    monkeypatch.setattr(lab, "sample_target", recorded_target)
    monkeypatch.setattr(lab, "gradient_penalty", recorded_penalty)
    monkeypatch.setattr(lab.LabRun, "noise", recorded_noise)
    run.train(steps, only=only)
    monkeypatch.undo()
    return start, run, draws


REPLAY = """([startJson, draws, steps, only]) => {
  const start = JSON.parse(startJson);  // the browser's own parser: no NaN allowed
  const queue = draws.slice();
  const take = (kind) => (n) => {
    const [k, values] = queue.shift();
    if (k !== kind) throw new Error(`lab.js asked for ${kind}, LabRun drew ${k}`);
    return Float64Array.from(values);
  };
  const run = new GanLab.Run(start, { real: take("real"), noise: take("noise"), eps: take("eps") });
  run.train(steps, only);
  if (queue.length) throw new Error(`${queue.length} draws left over`);
  const arrows = run.arrows();
  const points = Array.from(arrows.points), push = Array.from(arrows.push);
  return { state: run.state(), surface: run.surface(), arrows: { points, push } };
}"""


def flat(layers):
    return np.concatenate([np.ravel(layer[k]) for layer in layers for k in ("w", "b")])


CASES = [
    dict(loss="non-saturating"),
    dict(loss="saturating", smoothing=0.9, d_steps=2),
    dict(loss="least-squares", g_optimizer="sgd", d_optimizer="rmsprop", g_lr=0.05),
    dict(loss="wgan-gp", d_steps=2, noise="uniform"),
    dict(loss="wgan-gp", g_optimizer="rmsprop", d_optimizer="sgd", d_lr=0.01),
]


@pytest.mark.parametrize("changes", CASES, ids=lambda c: "-".join(f"{v}" for v in c.values()))
def test_lab_js_trains_as_labrun_does(page, monkeypatch, changes):
    config = lab.LabConfig(seed=3, g_hidden=16, d_hidden=32, batch_size=64, **changes)
    start, run, draws = recorded_run(monkeypatch, config, steps=6)
    out = page.evaluate(REPLAY, [start, draws, 6, None])
    state = out["state"]
    assert state["step"] == run.step == 6
    np.testing.assert_allclose(flat(state["G"]), flat(lab_browser._layers(run.G)), atol=2e-5, rtol=1e-4)
    np.testing.assert_allclose(flat(state["D"]), flat(lab_browser._layers(run.D)), atol=2e-5, rtol=1e-4)
    for key in ("loss_d", "loss_g", "grad_g"):
        np.testing.assert_allclose(state["history"][key], run.history[key], rtol=1e-4, atol=1e-6, err_msg=key)
    opt = lab_browser._optimizer_state(run.opt_d)
    for mine, theirs in zip(state["opt_d"], opt):
        for key, value in theirs.items():
            np.testing.assert_allclose(np.ravel(mine[key]), np.ravel(value), rtol=1e-3, atol=1e-7, err_msg=key)


def test_lab_js_steps_one_network_at_a_time(page, monkeypatch):
    for only in ("D", "G"):
        config = lab.LabConfig(seed=5, g_hidden=8, d_hidden=16, batch_size=32, d_steps=3)
        start, run, draws = recorded_run(monkeypatch, config, steps=3, only=only)
        state = page.evaluate(REPLAY, [start, draws, 3, only])["state"]
        np.testing.assert_allclose(flat(state["G"]), flat(lab_browser._layers(run.G)), atol=2e-5, rtol=1e-4)
        np.testing.assert_allclose(flat(state["D"]), flat(lab_browser._layers(run.D)), atol=2e-5, rtol=1e-4)
        untouched = "G" if only == "D" else "D"
        assert flat(state[untouched]).tolist() == pytest.approx(flat(json.loads(start)[untouched]).tolist())


def test_lab_js_metrics_surface_and_arrows_match(page, monkeypatch):
    """25 steps (one recorded point), the ring's eight modes: every metric, D's surface, G's arrows."""
    config = lab.LabConfig(seed=1, target="ring8", g_hidden=16, d_hidden=32, batch_size=64)
    start, run, draws = recorded_run(monkeypatch, config, steps=25)
    out = page.evaluate(REPLAY, [start, draws, 25, None])
    m = out["state"]["metrics"]
    assert m["step"] == [25]
    for key in ("kl", "quality", "d_real", "d_fake", "d_spread", "value"):
        assert m[key][0] == pytest.approx(run.metrics[key][-1], rel=1e-3, abs=1e-5), key
    assert m["modes"][0] == run.metrics["modes"][-1]
    snapshot_step, points = out["state"]["snapshots"][0]
    assert snapshot_step == 25
    np.testing.assert_allclose(np.reshape(points, (-1, 2)), run.snapshots[-1][1].astype(np.float32), atol=2e-3)
    axis, surface = run.d_surface()
    np.testing.assert_allclose(out["surface"]["axis"], axis, atol=1e-6)
    np.testing.assert_allclose(out["surface"]["z"], surface, rtol=1e-4, atol=1e-5)
    points, push = run.generator_arrows()
    np.testing.assert_allclose(np.reshape(out["arrows"]["points"], (-1, 2)), points, atol=1e-5)
    np.testing.assert_allclose(np.reshape(out["arrows"]["push"], (-1, 2)), push, rtol=1e-3, atol=1e-6)


SAMPLE = """([config, seed, n]) => Array.from(GanLab.seededDraws(seed, config).real(n))"""


@pytest.mark.parametrize("target", ["ring8", "grid25", "moons", "line", "custom"])
def test_lab_js_draws_follow_each_target(page, target):
    """lab.js's own draws (a seed it is given) against sample_target's: histograms at the sampling-noise
    level of each other, and far from another target's."""
    custom = [[-2.0, 1.0], [1.5, -0.5], [0.0, 2.5]]
    config = lab.LabConfig(target=target, custom=custom if target == "custom" else []).as_dict()
    mine = np.reshape(page.evaluate(SAMPLE, [config, 11, 4000]), (-1, 2))
    again = np.reshape(page.evaluate(SAMPLE, [config, 11, 4000]), (-1, 2))
    assert np.array_equal(mine, again), "the same seed draws the same points"
    theirs = lab.sample_target(target, 4000, torch.Generator().manual_seed(0), config["custom"]).numpy()
    other_target = "grid25" if target == "ring8" else "ring8"
    other = lab.sample_target(other_target, 4000, torch.Generator().manual_seed(0)).numpy()
    assert metrics.histogram_kl(theirs, mine, lab.EXTENT) < 0.15
    assert metrics.histogram_kl(other, mine, lab.EXTENT) > 1.0


@pytest.mark.parametrize("target", ["moons", "line"])
def test_lab_js_starts_from_runs_with_nan_in_their_history(page, monkeypatch, target):
    """Targets without modes record a NaN quality, a Step G alone a NaN D loss: the state still parses
    in the browser, and the run goes on as LabRun's does."""
    config = lab.LabConfig(seed=4, target=target, g_hidden=8, d_hidden=16, batch_size=32)
    start, run, draws = recorded_run(monkeypatch, config, steps=3, only_before="G")
    assert "NaN" not in start
    state = page.evaluate(REPLAY, [start, draws, 3, None])["state"]
    assert state["step"] == run.step == 5
    np.testing.assert_allclose(flat(state["G"]), flat(lab_browser._layers(run.G)), atol=2e-5, rtol=1e-4)
