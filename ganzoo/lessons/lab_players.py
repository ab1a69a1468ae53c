"""Where the training lab's players train, and a fair share of one server process for those it trains.

A process trains at most `limits.lab_server_players()` players itself (one by default: a visitor
alone on the server keeps the server's speed); any Play beyond them trains in the visitor's own
browser (ganzoo/lessons/lab.js, lab_browser), which costs the server nothing between Play and Pause.

While Play runs, each player's live view reruns twice a second: it trains for a while, then draws.
One player may train for 0.3 s a tick; thirty players training 0.3 s each, twice a second, would ask
eighteen cores of a two-core host and leave nothing for the other visitors. So this process keeps
a count of the players whose view ticked in the last few seconds, and each tick trains for the
budget divided among them: the class shares one player's worth of training time, every view keeps
moving (each tick trains at least a few steps), and the rest of the server stays free for clicks.

The playing views also take turns (`turn`): one tick trains and draws at a time in the process, the
others wait without holding Python's interpreter lock, so a visitor's click competes with one lab
tick, not with thirty.
"""

import contextlib
import threading
import time

from ganzoo.runtime import limits

TRAIN_BUDGET = 0.3  # seconds of training per tick for a player alone on the process
MIN_STEPS = 2  # rounds every tick trains, however many players share the process: the view moves
ACTIVE_WINDOW = 3.0  # seconds without a tick after which a player has paused or left


class ActivePlayers:
    """Players whose live view ticked within the last ACTIVE_WINDOW seconds, in this process."""

    def __init__(self, window: float = ACTIVE_WINDOW, clock=time.monotonic):
        self.window, self.clock = window, clock
        self._last: dict = {}
        self._lock = threading.Lock()

    def tick(self, player) -> int:
        """Record a tick of `player` (any hashable key); return how many players are active now."""
        now = self.clock()
        with self._lock:
            self._last[player] = now
            for other in [p for p, seen in self._last.items() if now - seen > self.window]:
                del self._last[other]
            return len(self._last)

    def claim(self, player, limit: int) -> bool:
        """Count `player` in (and return True) if it already is, or if fewer than `limit` are active."""
        now = self.clock()
        with self._lock:
            for other in [p for p, seen in self._last.items() if now - seen > self.window]:
                del self._last[other]
            if player in self._last or len(self._last) < limit:
                self._last[player] = now
                return True
            return False

    def leave(self, player) -> None:
        with self._lock:
            self._last.pop(player, None)

    def active(self) -> int:
        now = self.clock()
        with self._lock:
            return sum(now - seen <= self.window for seen in self._last.values())


PLAYERS = ActivePlayers()  # one count per server process, shared by all its sessions


def plays_on_server(player, players: ActivePlayers = PLAYERS) -> bool:
    """Whether this process trains `player`'s Play itself (True) or leaves it to the visitor's browser."""
    return players.claim(player, limits.lab_server_players())


class FairTurn:
    """A lock taken in the order it was asked for: a plain lock lets a view that just had its turn
    take it again before one that has waited, and some players' views froze for 20 s."""

    def __init__(self):
        self._changed = threading.Condition()
        self._next_ticket = self._serving = 0

    def __enter__(self):
        with self._changed:
            ticket, self._next_ticket = self._next_ticket, self._next_ticket + 1
            self._changed.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc):
        with self._changed:
            self._serving += 1
            self._changed.notify_all()


_TURN = FairTurn()


@contextlib.contextmanager
def turn(playing: bool = True):
    """Hold the process's one lab turn while a playing view trains and draws (nothing when not playing)."""
    if not playing:
        yield
        return
    with _TURN:
        yield


def summary_stride(active: int) -> int:
    """Recorded metrics (one each 25 steps) between two rebuilds of the lab's slow summaries (the curves
    and the equilibrium, about 55 ms of a tick's 65 ms of drawing): every one for a player alone, one in
    two from 10 players, one in four from 30; the plane and the counters still move every tick."""
    return 1 + active // 10


def train_seconds(active: int, budget: float = TRAIN_BUDGET) -> float:
    """This tick's share of the training budget."""
    return budget / max(1, active)


def play_tick(run, player, players: ActivePlayers = PLAYERS, budget: float = TRAIN_BUDGET) -> int:
    """Train `run` (a ganzoo.lessons.lab.LabRun) for this tick's share, in small chunks; return the rounds trained."""
    share = train_seconds(players.tick(player), budget)
    start, trained, chunk = time.perf_counter(), 0, MIN_STEPS
    while trained == 0 or time.perf_counter() - start < share:
        run.train(chunk)
        trained += chunk
        chunk = min(2 * chunk, 10)  # bigger chunks once the first has shown there is time
    return trained
