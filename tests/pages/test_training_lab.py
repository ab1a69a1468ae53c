"""The training lab page under AppTest."""

import base64

import numpy as np
import torch
from streamlit.testing.v1 import AppTest

from ganzoo.lessons import lab
from ganzoo.lessons.lab_session import LabSession
from tests.pages.apptest import APP, speak_french


def open_lab(lang=None, **state):
    at = AppTest.from_file(APP, default_timeout=120)
    if lang:
        at.query_params["lang"] = lang
    at.run()  # switch_page finds a page by its url_path only after a first run
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page("app_pages/training_lab.py")
    at.run()
    assert not at.exception
    return at


def lab_session(at) -> LabSession:
    """What the page keeps of the lab between reruns: its run, whether it plays, its figures."""
    return at.session_state["lab_session"]


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
    assert not at.exception and lab_session(at).playing
    assert any("modes" in i.value for i in at.info)
    at.button(key="play").click().run()  # pause
    assert not lab_session(at).playing


def test_lab_custom_points_from_csv_state():
    at = open_lab(lab_session=LabSession(custom=[[0.0, 0.0], [1.0, 1.0], [-1.0, 2.0]]))
    at.selectbox(key="target").set_value("custom").run()
    assert not at.exception
    at.button(key="train100").click().run()
    assert steps_metric(at) == 100
    at.button(key="clear_points").click().run()
    assert any("at least two points" in w.value for w in at.warning)


def test_lab_settings_come_from_the_url_and_bad_values_are_refused():
    at = AppTest.from_file(APP, default_timeout=120).run()  # pages are known by url_path after a first run
    at.query_params.update({"target": "grid25", "loss": "least-squares", "d_steps": "4", "g_lr": "0.0005",
                            "g_hidden": "32", "noise": "bogus", "d_lr": "-3"})
    at.switch_page("app_pages/training_lab.py")
    at.run()
    assert not at.exception
    run = lab_session(at).run
    assert (run.config.target, run.config.loss, run.config.d_steps, run.config.g_lr, run.config.g_hidden) == \
        ("grid25", "least-squares", 4, 0.0005, 32)
    assert run.config.noise == "gaussian" and run.config.d_lr == lab.LabConfig().d_lr


def test_lab_remaining_controls_reach_the_run():
    at = open_lab()
    run = lab_session(at).run
    d_before = [p.detach().clone() for p in run.D.parameters()]
    g_before = [p.detach().clone() for p in run.G.parameters()]
    at.button(key="step_g").click().run()  # the generator moves, the critic does not
    run = lab_session(at).run
    assert all(torch.equal(a, b) for a, b in zip(d_before, run.D.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(g_before, run.G.parameters()))
    at.number_input(key="d_lr").set_value(0.003).run()
    at.select_slider(key="d_hidden").set_value(32).run()
    at.slider(key="smoothing").set_value(0.9).run()
    at.number_input(key="seed").set_value(7).run()
    assert not at.exception
    config = lab_session(at).run.config
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


def test_a_preset_link_plays_then_pauses_by_itself(monkeypatch):
    monkeypatch.setenv("GANZOO_LAB_PLAY_STEPS", "150")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["preset"] = "oscillation"
    at.run()
    at.switch_page("app_pages/training_lab.py").run()
    assert lab_session(at).playing, "a preset link opens playing"
    for _ in range(60):  # each run is one tick of the live view (AppTest has no timer)
        if not lab_session(at).playing:
            break
        at.run()
    assert not at.exception
    assert not lab_session(at).playing, "autoplay never paused"
    assert 150 <= lab_session(at).run.step < 400
    assert any("Paused after 150 generator steps" in i.value for i in at.info)
    steps = lab_session(at).run.step
    at.run()
    assert lab_session(at).run.step == steps  # paused means no more training
    at.button(key="play").click().run()  # Play again: a new budget
    assert lab_session(at).playing and not any("Paused after" in i.value for i in at.info)


def test_a_bad_points_file_is_explained_in_french(monkeypatch):
    speak_french(monkeypatch)
    at = open_lab(lang="fr")
    at.selectbox(key="target").set_value("custom").run()
    at.file_uploader(key="points_csv").set_value(("bad.csv", b"0,0\n1,nope\n", "text/csv")).run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "Pas un nombre" in errors[0] and "not a number" not in errors[0].lower(), errors


def test_the_equilibrium_view_follows_the_loss():
    at = open_lab()
    assert any("The Nash equilibrium" in s.value for s in at.subheader)
    assert any("At the Nash equilibrium" in c.value for c in list(at.caption) + list(at.success))
    assert not any("belong to the cross-entropy GAN" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 3, "the plane, the curves and the equilibrium's chart"
    at.selectbox(key="loss").set_value("wgan-gp").run()
    assert not at.exception
    assert any("belong to the cross-entropy GAN" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2, "a critic's scores have no 1/2 equilibrium to chart"


def plane_fakes(at) -> list:
    """The generated points drawn in the plane chart, as the browser receives them."""
    import json

    from ganzoo.runtime.i18n import tr
    name = tr("lab.fake", "en")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    fake = next(trace for spec in specs for trace in spec["data"] if trace.get("name") == name)
    return np.stack([plotly_array(fake["x"]), plotly_array(fake["y"])], 1)


def plotly_array(value) -> np.ndarray:
    """A trace's coordinates: plotly sends numpy arrays as base64 typed arrays, lists as lists."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).astype(np.float64)
    return np.asarray(value, dtype=np.float64)


def test_the_live_figures_are_kept_until_the_run_steps():
    """A rerun that trains nothing (a page switch back, a click elsewhere) reuses the figures; a step
    redraws them from the run as it now stands."""
    at = open_lab()
    kept = lab_session(at).figures
    at.run()
    assert lab_session(at).figures[0] is kept[0]  # the same plane figure, not rebuilt
    before = plane_fakes(at)
    at.button(key="step_both").click().run()
    assert not at.exception and lab_session(at).figures[0] is not kept[0]
    after = plane_fakes(at)
    assert not np.array_equal(after, before)
    assert np.allclose(after, lab_session(at).run.fake_points()[:len(after)], atol=1e-5)
    assert len(after) == 300  # the first 300 of the run's probe points (the metrics use all 512)


def test_a_second_player_on_the_process_plays_in_the_browser(monkeypatch):
    """The process trains one player itself (GANZOO_LAB_SERVER_PLAYERS=1); the next Play is handed to
    the visitor's browser: the page shows the browser's view, and its own buttons cannot touch the run."""
    import time

    from ganzoo.lessons import lab_players

    monkeypatch.setenv("GANZOO_LAB_SERVER_PLAYERS", "1")
    time.sleep(lab_players.ACTIVE_WINDOW + 0.1)  # players of earlier tests in this process have left
    first, second = open_lab(preset="mode-collapse"), open_lab(preset="mode-collapse")
    for at in (first, second):
        at.selectbox(key="preset").set_value("mode-collapse").run()  # opens playing
        assert lab_session(at).playing and not at.exception
    assert not lab_session(first).in_browser and lab_session(second).in_browser
    assert second.button(key="play").label == "⏹ Stop: keep the run from before Play"
    assert all(second.button(key=key).disabled for key in ("step_both", "train100", "step_d", "step_g"))
    step = lab_session(second).run.step
    second.run()
    assert lab_session(second).run.step == step, "the server does not train a browser's Play"
    assert lab_session(second).adopt_from_browser({"token": "another play", "state": {}}, "mode-collapse") is False
    first.button(key="play").click().run()  # the first pauses: the process has room again
    second.button(key="play").click().run()  # Stop: the run from before Play stays
    assert not lab_session(second).playing and lab_session(second).run.step == step
    second.button(key="play").click().run()
    assert lab_session(second).playing and not lab_session(second).in_browser


def test_a_hand_back_that_does_not_fit_is_refused_with_one_message(monkeypatch):
    monkeypatch.setenv("GANZOO_LAB_SERVER_PLAYERS", "0")
    at = open_lab()
    at.button(key="play").click().run()
    session = lab_session(at)
    assert session.playing and session.in_browser
    step = session.run.step
    returned = {"token": session.browser_token("none"), "reason": ["a list"], "state": {"step": step + 5, "G": []}}
    assert session.adopt_from_browser(returned, "none")
    at.run()
    assert not at.exception and not session.playing and session.run.step == step
    assert [e.value for e in at.error] == [
        "The run your browser handed back is incomplete or damaged (G): the lab kept the run as it was before Play."]
    at.run()
    assert not at.error, "said once"
