"""One visitor's training lab, kept between two reruns of its page: the run, whether Play runs and
what paused it, the points of a hand-drawn target, and the figures drawn for the run as it stands.

The page keeps one LabSession in its session state and reads and writes its fields; its live view's
timer stays in the page, and each tick of that timer calls `LabSession.play_tick`."""

import time
from dataclasses import dataclass, field

from ganzoo.lessons import lab, lab_browser, lab_players
from ganzoo.runtime import limits
from ganzoo.runtime.i18n import VisitorError

TICK_SECONDS = 0.5  # the live view refreshes twice a second while training runs
TICK_TRAIN_SECONDS = lab_players.TRAIN_BUDGET  # of which at most this long is spent training (shared among players)
TICK_ROUND = 10  # generator steps between two looks at the clock


@dataclass
class LabSession:
    run: lab.LabRun | None = None
    playing: bool = False
    # (the run's step when Play was pressed, the time of the visitor's last click), time.monotonic()'s clock
    play_from: tuple[int, float] | None = None
    autopaused: tuple[str, int] | None = None  # why Play paused by itself: limits.autoplay_stop's answer
    in_browser: bool = False  # this Play trains in the visitor's browser (lab_players.plays_on_server)
    plays: int = 0  # presses of Play so far: each browser Play is told apart by it (browser_token)
    refused: object = None  # the VisitorError of a browser's hand-back the page could not take, to show once
    custom: list = field(default_factory=list)  # the custom target's points, (x, y) each
    points_file: str | None = None  # the uploaded points file already read: an upload is read once
    canvas_version: int = 0  # part of the canvas chart's key: each consumed selection retires the chart
    figures: tuple = ()  # the live view's figures, drawn for figures_for
    figures_for: tuple | None = None  # (the run, its step, the language)
    summaries: tuple = ()  # the slow figures (curves, equilibrium), drawn for summaries_for
    summaries_for: tuple | None = None  # (id of the run, its metrics recorded // stride, the language)

    def use_config(self, config: lab.LabConfig) -> lab.LabRun:
        """The run for these settings: the one kept, or a fresh one when any setting changed (while
        playing, Play's step budget then counts from the fresh run's step 0)."""
        if self.run is None or self.run.config != config:
            self.run = lab.LabRun(config)
            if self.playing and self.play_from is not None:
                self.play_from = (0, self.play_from[1])
        return self.run

    # --- Play, steps, reset ---

    def start_play(self, now: float | None = None) -> None:
        """Play runs for a bounded number of steps and seconds (ganzoo.runtime.limits), then pauses by
        itself: a forgotten tab must not keep a shared server's cores busy."""
        self.playing = True
        self.autopaused = None
        self.plays += 1
        self.in_browser = not lab_players.plays_on_server(id(self))
        self.play_from = (self.run.step if self.run is not None else 0, time.monotonic() if now is None else now)

    def stop_play(self) -> None:
        self.playing = False
        lab_players.PLAYERS.leave(id(self))

    def toggle_play(self) -> None:
        if self.playing:
            self.stop_play()
        else:
            self.start_play()

    def browser_token(self, preset: str) -> str:
        """Names this browser Play: what the browser hands back is taken once, and only for it. A new
        run (a setting changed) or another step budget (another preset) is a new Play."""
        return f"{id(self)}-{self.plays}-{id(self.run)}-{limits.lab_play_steps(preset)}"

    def browser_budget(self, preset: str) -> dict:
        """What is left of this Play's budget (limits.autoplay_stop), for the browser to pause by itself."""
        first_step = self.play_from[0] if self.play_from else self.run.step
        return {"steps": max(0, limits.lab_play_steps(preset) - (self.run.step - first_step)),
                "idle_seconds": limits.lab_play_seconds()}

    def adopt_from_browser(self, returned, preset: str) -> bool:
        """Take back the run the browser trained (its steps since this Play), once; pause. False when
        `returned` is not this Play's (an earlier Play's, or nothing yet). When what came back cannot
        be used, pauses with the run as it was before Play and keeps the VisitorError in `refused`."""
        if not (self.playing and self.in_browser and isinstance(returned, dict)
                and returned.get("token") == self.browser_token(preset)):
            return False
        self.stop_play()
        first_step = self.play_from[0] if self.play_from else self.run.step
        try:
            lab_browser.adopt(self.run, returned.get("state"),
                              max_steps=limits.lab_play_steps(preset) - (self.run.step - first_step))
        except VisitorError as exc:
            self.refused = exc
            return True
        reason = returned.get("reason")
        self.autopaused = {"steps": ("steps", limits.lab_play_steps(preset)),
                           "idle": ("idle", limits.lab_play_seconds())}.get(reason if isinstance(reason, str) else "")
        return True

    def advance(self, steps: int, only: str | None = None) -> None:
        self.run.train(steps, only=only)

    def reset(self) -> None:
        self.run = lab.LabRun(self.run.config)
        self.stop_play()

    def visitor_clicked(self, now: float | None = None) -> None:
        """A full rerun of the page is a visitor's click (the live view's timer reruns only its
        fragment): while playing, the idle clock starts again; the step budget does not."""
        if self.playing and self.play_from is not None:
            self.play_from = (self.play_from[0], time.monotonic() if now is None else now)

    def play_stop(self, preset: str, now: float | None = None) -> tuple[str, int] | None:
        """Why Play must pause now (limits.autoplay_stop), or None to go on."""
        now = time.monotonic() if now is None else now
        first_step, last_click = self.play_from or (0, now)
        return limits.autoplay_stop(preset, self.run.step - first_step, now - last_click)

    def play_tick(self, preset: str, seconds: float | None = None) -> tuple[str, int] | None:
        """One tick of Play: train for about `seconds` of wall time (by default this tick's share of
        TICK_TRAIN_SECONDS among the process's players, lab_players), then pause by itself once the
        play budget is spent. Returns why it paused (kept in `autopaused`), or None while it plays on."""
        if seconds is None:
            if not lab_players.plays_on_server(id(self)):  # came back after its slot went to another player
                self.in_browser = True
                return "browser", 0
            lab_players.play_tick(self.run, id(self), budget=TICK_TRAIN_SECONDS)
        start = time.perf_counter()
        while seconds is not None and time.perf_counter() - start < seconds:
            self.run.train(TICK_ROUND)
        stop = self.play_stop(preset)
        if stop is not None:
            self.stop_play()
            self.autopaused = stop
        return stop

    # --- The custom target's points ---

    def read_points_file(self, text: str, file_id: str) -> None:
        """The points of an uploaded CSV, once per file. Raises VisitorError and keeps the points
        from before when the file cannot be used."""
        self.custom = lab.parse_points_csv(text).tolist()
        self.points_file = file_id

    def add_points(self, points) -> None:
        """Points picked on the canvas, added to those held; the canvas's key moves on so that a
        fresh chart starts with nothing selected (the next click adds a point, not clears one)."""
        self.custom = sorted(set(map(tuple, self.custom)) | set(map(tuple, points)))
        self.canvas_version += 1

    def clear_points(self) -> None:
        self.custom = []

    # --- The live view's figures ---

    def live_figures(self, language: str, draw, summarise=None, stride: int = 1) -> tuple:
        """draw(run)'s figures for the run as it stands, kept until the run takes a step or the
        language changes: coming back to the page, or a click outside the live view, rebuilds none
        of them (about 0.3 s of D's surface, G's arrows and plotly figures). With `summarise`, the
        figures are draw(run) followed by summarise(run)'s, which are rebuilt only every `stride`
        recorded metrics (lab_players.summary_stride: less often when many play)."""
        wanted = (self.run, self.run.step, language)
        kept = self.figures_for
        if kept is None or kept[0] is not self.run or kept[1:] != wanted[1:]:
            if summarise is None:
                self.figures = draw(self.run)
            else:
                summary = (id(self.run), len(self.run.metrics["step"]) // stride, language)
                if summary != self.summaries_for:
                    self.summaries, self.summaries_for = summarise(self.run), summary
                self.figures = (draw(self.run), *self.summaries)
            self.figures_for = wanted
        return self.figures
