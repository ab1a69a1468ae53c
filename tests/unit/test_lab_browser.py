"""What a browser hands back when the lab's Play pauses (ganzoo.lessons.lab_browser.adopt): taken in
whole when it fits the run, refused with one message and the run untouched when anything does not."""

import copy
import json

import numpy as np
import pytest
import torch

from ganzoo.lessons import lab, lab_browser
from ganzoo.runtime.i18n import VisitorError


def small_run(**changes) -> lab.LabRun:
    run = lab.LabRun(lab.LabConfig(seed=2, g_hidden=8, d_hidden=8, batch_size=16, **changes))
    run.train(3)
    return run


def handed_back(run: lab.LabRun, steps: int) -> dict:
    """A hand-back of `steps` steps, as lab.js writes it: another run, trained on, seen through JSON."""
    other = copy.deepcopy(run)
    start = other.step
    other.train(steps)
    state = json.loads(json.dumps(lab_browser.run_state(other)).replace("NaN", "null"))
    history = {k: v[start:] for k, v in state["history"].items()}
    records = [i for i, s in enumerate(other.metrics["step"]) if s > start]
    metrics = {k: [v[i] for i in records] for k, v in state["metrics"].items()}
    snapshots = [[s, p.astype(np.float32).ravel().tolist()] for s, p in other.snapshots[-len(records):]] \
        if records else []
    return {"step": other.step, "G": state["G"], "D": state["D"], "opt_g": state["opt_g"], "opt_d": state["opt_d"],
            "history": history, "metrics": metrics, "snapshots": snapshots}, other


def fingerprint(run: lab.LabRun):
    weights = torch.cat([p.detach().flatten() for p in [*run.G.parameters(), *run.D.parameters()]]).clone()
    return weights, run.step, {k: len(v) for k, v in run.history.items()}, len(run.snapshots), len(run.metrics["kl"])


def test_adopt_takes_the_browsers_steps_whole():
    run = small_run()
    returned, trained = handed_back(run, 30)
    lab_browser.adopt(run, returned, max_steps=100)
    assert run.step == trained.step == 33
    for mine, theirs in zip([*run.G.parameters(), *run.D.parameters()],
                            [*trained.G.parameters(), *trained.D.parameters()]):
        assert torch.equal(mine, theirs)
    assert run.history["step"] == trained.history["step"] and run.metrics["step"] == trained.metrics["step"] == [0, 25]
    np.testing.assert_allclose(run.history["loss_d"], trained.history["loss_d"])
    assert [s for s, _ in run.snapshots] == [0, 25]
    # The optimizers' moments came back too: both runs go on as one.
    run.gen.set_state(trained.gen.get_state())
    run.train(2)
    trained.train(2)
    for mine, theirs in zip(run.G.parameters(), trained.G.parameters()):
        assert torch.allclose(mine, theirs, atol=1e-6)


BREAKAGES = {
    "not a dict": lambda r: "hello",
    "no step": lambda r: {k: v for k, v in r.items() if k != "step"},
    "too many steps": lambda r: r | {"step": r["step"] + 1000},
    "steps backwards": lambda r: r | {"step": 0},
    "a weight short": lambda r: r | {"G": [r["G"][0] | {"b": r["G"][0]["b"][:-1]}] + r["G"][1:]},
    "a layer missing": lambda r: r | {"D": r["D"][:-1]},
    "a word for a number": lambda r: r | {"D": [r["D"][0] | {"b": ["x"] * len(r["D"][0]["b"])}] + r["D"][1:]},
    "a boolean step count": lambda r: r | {"opt_g": [s | {"t": True} for s in r["opt_g"]]},
    "history too short": lambda r: r | {"history": {k: v[:-1] for k, v in r["history"].items()}},
    "history renumbered": lambda r: r | {"history": r["history"] | {"step": [s + 1 for s in r["history"]["step"]]}},
    "a snapshot missing": lambda r: r | {"snapshots": r["snapshots"][:-1]},
    "a snapshot misshapen": lambda r: r | {"snapshots": [[25, [0.0, 1.0]]]},
    "a snapshot at another step": lambda r: r | {"snapshots": [[24, r["snapshots"][0][1]]]},
    "modes not a count": lambda r: r | {"metrics": r["metrics"] | {"modes": [None]}},
    "more modes than the target has": lambda r: r | {"metrics": r["metrics"] | {"modes": [9]}},
    "Adam without its step count": lambda r: r | {"opt_g": [{"m": s["m"], "v": s["v"]} for s in r["opt_g"]]},
    "a step count from the far future": lambda r: r | {"opt_d": [s | {"t": 10 ** 400} for s in r["opt_d"]]},
    "RMSprop's state for Adam": lambda r: r | {"opt_g": [{"v": s["v"]} for s in r["opt_g"]]},
    "ragged rows": lambda r: r | {"G": [r["G"][0] | {"w": [r["G"][0]["w"][0] + r["G"][0]["w"][1][:1],
                                                          r["G"][0]["w"][1][1:]] + r["G"][0]["w"][2:]}] + r["G"][1:]},
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_adopt_refuses_what_does_not_fit_and_changes_nothing(breakage):
    run = small_run()
    returned, _ = handed_back(run, 30)
    before = fingerprint(run)
    with pytest.raises(VisitorError) as refused:
        lab_browser.adopt(run, BREAKAGES[breakage](returned), max_steps=100)
    assert refused.value.text("en").startswith("The run your browser handed back is incomplete or damaged")
    after = fingerprint(run)
    assert torch.equal(before[0], after[0]) and before[1:] == after[1:]
