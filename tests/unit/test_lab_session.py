"""One visitor's training lab between reruns (ganzoo.lessons.lab_session): which run is kept, when
Play pauses itself, the hand-drawn points, and the figures kept until the run steps."""

import math

import pytest

from ganzoo.lessons import lab
from ganzoo.lessons.lab_session import LabSession
from ganzoo.runtime.i18n import VisitorError

SMALL = dict(g_hidden=8, d_hidden=8, batch_size=32)


def session_with_run(**changes) -> LabSession:
    session = LabSession()
    session.use_config(lab.LabConfig(**{**SMALL, **changes}))
    return session


def test_the_run_is_kept_until_a_setting_changes():
    session = session_with_run()
    run = session.run
    session.advance(3)
    assert session.use_config(lab.LabConfig(**SMALL)) is run and run.step == 3  # equal settings: the same run
    fresh = session.use_config(lab.LabConfig(**SMALL, seed=1))
    assert fresh is session.run and fresh is not run and fresh.step == 0 and fresh.config.seed == 1


def test_steps_of_one_network_and_reset():
    session = session_with_run()
    session.advance(2)
    session.advance(1, "D")
    h = session.run.history
    assert session.run.step == 3 and math.isnan(h["loss_g"][-1]) and not math.isnan(h["loss_d"][-1])  # D only
    session.start_play()
    config = session.run.config
    session.reset()
    assert session.run.step == 0 and session.run.config == config and not session.playing


def test_play_and_pause_toggle_and_a_new_play_gets_a_new_budget():
    session = session_with_run()
    session.advance(5)
    session.autopaused = ("steps", 5)
    session.toggle_play()
    assert session.playing and session.autopaused is None and session.play_from[0] == 5
    session.toggle_play()
    assert not session.playing
    session.advance(4)
    session.toggle_play()
    assert session.play_from[0] == 9  # the step budget counts from this press


def test_a_preset_link_plays_before_its_run_exists():
    session = LabSession()
    session.start_play(now=10.0)
    assert session.playing and session.play_from == (0, 10.0)


def test_play_ticks_train_then_pause_after_the_step_budget(monkeypatch):
    monkeypatch.setenv("GANZOO_LAB_PLAY_STEPS", "30")
    session = session_with_run()
    session.start_play()
    reasons = []
    while session.playing and len(reasons) < 200:
        reasons.append(session.play_tick("none", seconds=0.01))
    assert reasons[-1] == ("steps", 30) and reasons[:-1] == [None] * (len(reasons) - 1)
    assert not session.playing and session.autopaused == ("steps", 30)
    assert 30 <= session.run.step < 30 + 10 * 2  # a tick trains whole rounds of 10 steps, at least one


def test_play_pauses_when_nobody_clicked_for_a_while_and_a_click_restarts_the_idle_clock(monkeypatch):
    monkeypatch.setenv("GANZOO_LAB_PLAY_SECONDS", "60")
    session = session_with_run()
    session.start_play(now=100.0)
    assert session.play_stop("none", now=159.0) is None
    assert session.play_stop("none", now=160.0) == ("idle", 60)
    session.advance(7)
    session.visitor_clicked(now=150.0)
    assert session.play_from == (0, 150.0)  # the idle clock moves, the step budget does not
    assert session.play_stop("none", now=200.0) is None
    session.playing = False
    session.visitor_clicked(now=300.0)
    assert session.play_from == (0, 150.0)  # a click while paused starts no clock


def test_points_from_a_file_once_a_bad_file_keeps_them_and_canvas_points_add_up():
    session = LabSession()
    session.read_points_file("x,y\n0,0\n1,1\n", "file-1")
    assert session.custom == [[0.0, 0.0], [1.0, 1.0]] and session.points_file == "file-1"
    with pytest.raises(VisitorError):
        session.read_points_file("0,0\n1,nope\n", "file-2")
    assert session.custom == [[0.0, 0.0], [1.0, 1.0]] and session.points_file == "file-1"
    session.add_points([(1.0, 1.0), (-2.0, 0.5)])
    assert session.custom == [(-2.0, 0.5), (0.0, 0.0), (1.0, 1.0)]  # no point twice
    assert session.canvas_version == 1  # the canvas's key moves on: its selection is consumed
    session.clear_points()
    assert session.custom == [] and session.canvas_version == 1


def test_the_live_figures_are_drawn_once_per_step_and_language():
    session = session_with_run()
    drawn = []

    def draw(run):
        drawn.append((run.step, len(drawn)))
        return (object(),)

    first = session.live_figures("en", draw)
    assert session.live_figures("en", draw) is first and len(drawn) == 1
    assert session.live_figures("fr", draw) is not first and len(drawn) == 2
    session.advance(1)
    session.live_figures("fr", draw)
    assert drawn[-1][0] == 1 and len(drawn) == 3
    session.reset()
    session.advance(1)  # a fresh run at the same step, in the same language, is drawn again
    session.live_figures("fr", draw)
    assert len(drawn) == 4 and drawn[-1][0] == 1


def test_the_slow_summaries_are_redrawn_only_every_stride_recorded_metrics():
    """With many players the curves and the equilibrium are rebuilt less often (lab_players.summary_stride);
    the plane still follows every step."""
    session = LabSession()
    session.use_config(lab.LabConfig(seed=0))
    planes, summaries = [], []
    draw = lambda run: planes.append(run.step) or "plane"  # noqa: E731
    summarise = lambda run: summaries.append(run.step) or ("curves", None)  # noqa: E731
    stride = 4
    for _ in range(12):
        session.advance(25)  # one recorded metric each 25 steps
        figures = session.live_figures("en", draw, summarise, stride)
        assert figures == ("plane", "curves", None)
    assert len(planes) == 12
    assert 3 <= len(summaries) <= 4  # 12 recorded metrics, one rebuild each 4
    session.live_figures("fr", draw, summarise, stride)
    assert len(summaries) in (4, 5)  # a language change redraws them at once
