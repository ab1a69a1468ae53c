"""ganzoo.runtime.limits: the bounds one visitor may cost a server, and the operator's overrides."""

from ganzoo.lessons import lab
from ganzoo.runtime import limits


def test_autoplay_pauses_on_steps_or_idle_time(monkeypatch):
    story = lab.PRESETS["oscillation"][1]
    assert limits.autoplay_stop("oscillation", 10, 1.0) is None
    assert limits.autoplay_stop("oscillation", 2 * story, 1.0) == ("steps", 2 * story)
    assert limits.autoplay_stop("none", limits.LAB_PLAY_STEPS_WITHOUT_PRESET, 0) == ("steps", 2000)
    assert limits.autoplay_stop("oscillation", 10, 120.0) == ("idle", 120)
    monkeypatch.setenv("GANZOO_LAB_PLAY_SECONDS", "5")
    monkeypatch.setenv("GANZOO_LAB_PLAY_STEPS", "50")
    assert limits.autoplay_stop("oscillation", 10, 6.0) == ("idle", 5)
    assert limits.autoplay_stop("oscillation", 50, 0.0) == ("steps", 50)


def test_bad_operator_values_fall_back_or_floor(monkeypatch):
    monkeypatch.setenv("GANZOO_MAX_OUTPUT_PIXELS", "lots")
    assert limits.max_output_pixels() == 1024 * 1024
    monkeypatch.setenv("GANZOO_MAX_OUTPUT_PIXELS", "10")
    assert limits.max_output_pixels() == 64 * 64
    monkeypatch.setenv("GANZOO_HEAVY_JOBS", "0")
    assert limits.heavy_jobs() == 1
