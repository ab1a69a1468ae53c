"""What one visitor may cost a shared server, and how an operator changes it (environment variables).

- GANZOO_LAB_PLAY_STEPS: generator steps one press of Play runs before the lab pauses
  (default: twice the preset's story, 2,000 without a preset).
- GANZOO_LAB_PLAY_SECONDS: seconds of autoplay without a click before it pauses (default 120).
- GANZOO_LAB_SERVER_PLAYERS: lab players one server process trains itself (default 1); the others'
  Play trains in their own browser (0: every Play in the browser).
- GANZOO_MAX_OUTPUT_PIXELS: pixels of one CycleGAN translation under keep size and tiled
  (default 1024 x 1024).
- GANZOO_HEAVY_JOBS: CycleGAN translations running at once in one server process (default 1).
- GANZOO_MAX_BATCH_FILES: photos one CycleGAN batch translates (default 12).
- GANZOO_MAX_GENERATOR_MB: megabytes of one generator a visitor uploads (default 16; Streamlit's own
  server.maxUploadSize, 20 MB, caps every upload before it).
"""

import os

LAB_PLAY_STEPS_WITHOUT_PRESET = 2000


def _env_int(name: str, default: int, low: int = 1) -> int:
    try:
        return max(low, int(os.environ.get(name, default)))
    except ValueError:
        return default


def lab_play_steps(preset: str) -> int:
    """Generator steps one press of Play may run: enough for a preset's story, twice over."""
    from ganzoo.lessons.lab import PRESETS  # here, not at the top: the shell reads limits before any torch page
    story = 2 * PRESETS[preset][1] if preset in PRESETS else LAB_PLAY_STEPS_WITHOUT_PRESET
    return _env_int("GANZOO_LAB_PLAY_STEPS", story)


def lab_play_seconds() -> int:
    return _env_int("GANZOO_LAB_PLAY_SECONDS", 120)


def lab_server_players() -> int:
    """Players one server process trains for itself; Play beyond them trains in the visitor's browser."""
    return _env_int("GANZOO_LAB_SERVER_PLAYERS", 1, low=0)


def max_output_pixels() -> int:
    return _env_int("GANZOO_MAX_OUTPUT_PIXELS", 1024 * 1024, low=64 * 64)


def heavy_jobs() -> int:
    return _env_int("GANZOO_HEAVY_JOBS", 1)


def max_batch_files() -> int:
    return _env_int("GANZOO_MAX_BATCH_FILES", 12)


def max_generator_bytes() -> int:
    return _env_int("GANZOO_MAX_GENERATOR_MB", 16) * 2**20


def autoplay_stop(preset: str, steps_played: int, idle_seconds: float) -> tuple[str, int] | None:
    """Why autoplay must pause now: ("steps", budget) or ("idle", seconds); None to go on."""
    if steps_played >= lab_play_steps(preset):
        return "steps", lab_play_steps(preset)
    if idle_seconds >= lab_play_seconds():
        return "idle", lab_play_seconds()
    return None
