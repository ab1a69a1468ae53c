"""The lab's fair share of a server process: the count of active players, each tick's training
share, and the one turn that playing views take in turn."""

import threading

from ganzoo.lessons import lab, lab_players
from ganzoo.lessons.lab_players import ActivePlayers


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_players_count_while_they_tick_and_leave_when_they_stop():
    clock = Clock()
    players = ActivePlayers(window=3.0, clock=clock)
    assert players.tick("a") == 1
    assert players.tick("b") == 2 and players.tick("a") == 2  # a second tick is the same player
    clock.now = 2.0
    assert players.tick("a") == 2
    clock.now = 4.0  # b paused 4 s ago, a ticked 2 s ago
    assert players.active() == 1
    assert players.tick("c") == 2


def test_the_training_share_divides_one_players_budget_among_the_active_ones():
    assert lab_players.train_seconds(1) == lab_players.TRAIN_BUDGET
    assert lab_players.train_seconds(0) == lab_players.TRAIN_BUDGET
    assert lab_players.train_seconds(30) == lab_players.TRAIN_BUDGET / 30
    assert [lab_players.summary_stride(n) for n in (1, 9, 10, 30)] == [1, 1, 2, 4]


def test_every_tick_trains_a_few_steps_however_small_its_share():
    run = lab.LabRun(lab.LabConfig())
    trained = lab_players.play_tick(run, "p", players=ActivePlayers(), budget=0.0)
    assert trained == lab_players.MIN_STEPS == run.step
    assert len(run.history["loss_d"]) == run.step  # real training steps, recorded as the page's


def test_playing_views_take_one_turn_at_a_time_and_paused_ones_do_not_wait():
    entered = threading.Event()

    def other(playing):
        with lab_players.turn(playing):
            entered.set()

    with lab_players.turn(True):
        waiting = threading.Thread(target=other, args=(True,))
        waiting.start()
        assert not entered.wait(0.3)  # the turn is held: the other playing view waits
        paused = threading.Thread(target=other, args=(False,))
        paused.start()
        paused.join(5)
        assert entered.is_set()  # a view that is not playing does not take the turn
        entered.clear()
    waiting.join(5)
    assert entered.is_set()  # and the waiting one goes once the turn is free


def test_the_turn_goes_in_the_order_it_was_asked_for():
    turn, order = lab_players.FairTurn(), []

    def player(i):
        with turn:
            order.append(i)

    with turn:
        threads = []
        for i in range(5):
            threads.append(threading.Thread(target=player, args=(i,)))
            threads[-1].start()
            while turn._next_ticket < i + 2:  # this one has its ticket before the next asks
                threading.Event().wait(0.01)
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3, 4]
