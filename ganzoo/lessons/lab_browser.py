"""The training lab's Play, run in the visitor's browser (ganzoo/lessons/lab.js): what the browser
starts from, and the run it hands back when Play pauses.

Why: thirty students pressing Play on one server asked it for about 270 ms of CPU per player per
live-view update (benchmarks/load.md): eight cores for a class at one update a second. In the browser,
each student's machine trains its own run and the server only hands it over and takes it back.

`run_state(run)` is everything lab.js needs to continue a LabRun exactly: the config, both networks'
weights, both optimizers' states, the step, the probe noise and the evaluation points. `adopt(run,
returned)` takes the browser's steps back into the LabRun (weights, optimizer states, history, metrics,
snapshots), after checking every shape: what comes back from a browser is the visitor's input.
"""

import math

import numpy as np
import torch

from ganzoo.lessons import lab
from ganzoo.runtime.i18n import VisitorError

DRAWS_SEED_STRIDE = 7919  # the browser's draws: seed + stride * step, a stream of its own for each start


def _layers(net: torch.nn.Module) -> list[dict]:
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    return [{"w": [_json_safe(row) for row in m.weight.detach().tolist()], "b": _json_safe(m.bias.detach().tolist())}
            for m in linears]


def _optimizer_state(opt) -> list[dict]:
    """lab.js keeps one flat array per tensor (torch's parameter order); steps as numbers."""
    return [{k: (_json_safe(v.flatten().tolist()) if isinstance(v, torch.Tensor) else v) for k, v in state.items()}
            for state in opt.state]


def _json_safe(values: list) -> list:
    """NaN and infinities as None (JSON's null): the browser's JSON.parse refuses Python's NaN."""
    return [v if isinstance(v, int) or math.isfinite(v) else None for v in values]


def draws_seed(run: lab.LabRun) -> int:
    """The seed of the browser's random draws from this step on: the run's visible seed and its step."""
    return (run.config.seed + DRAWS_SEED_STRIDE * run.step) % 2 ** 32


def run_state(run: lab.LabRun) -> dict:
    """What lab.js's Run starts from: this run as it stands."""
    config = run.config.as_dict() | {"extent": lab.EXTENT, "record_every": lab.RECORD_EVERY}
    return {"config": config, "G": _layers(run.G), "D": _layers(run.D), "opt_g": _optimizer_state(run.opt_g),
            "opt_d": _optimizer_state(run.opt_d), "step": run.step, "probe_z": run.probe_z.tolist(),
            "eval_real": run.eval_real.tolist(), "history": {k: _json_safe(v) for k, v in run.history.items()},
            "metrics": {k: _json_safe(v) for k, v in run.metrics.items()}, "draws_seed": draws_seed(run)}


def _floats(values, length: int, what: str) -> list[float]:
    """A list of `length` numbers (None is JSON's NaN)."""
    if not isinstance(values, list) or len(values) != length:
        raise VisitorError("errors.lab_browser.shape", what=what)
    out = []
    for v in values:
        if v is None:
            out.append(math.nan)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(float(v))
        else:
            raise VisitorError("errors.lab_browser.shape", what=what)
    return out


def _tensor_like(values, like: torch.Tensor, what: str) -> torch.Tensor:
    """A tensor shaped like `like` from a flat list of numbers or a list of rows, one per `like`'s row."""
    if isinstance(values, list) and values and all(isinstance(row, list) for row in values):
        if like.dim() != 2 or len(values) != like.shape[0] or any(len(row) != like.shape[1] for row in values):
            raise VisitorError("errors.lab_browser.shape", what=what)
        values = [v for row in values for v in row]
    return torch.tensor(_floats(values, like.numel(), what), dtype=like.dtype).reshape(like.shape)


def _weights(net: torch.nn.Module, layers, what: str) -> list[torch.Tensor]:
    params = list(net.parameters())
    if not isinstance(layers, list) or 2 * len(layers) != len(params):
        raise VisitorError("errors.lab_browser.shape", what=what)
    tensors = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise VisitorError("errors.lab_browser.shape", what=what)
        tensors += [_tensor_like(layer.get("w"), params[2 * i], what),
                    _tensor_like(layer.get("b"), params[2 * i + 1], what)]
    return tensors


OPTIMIZER_KEYS = {"adam": ({"m", "v", "t"},), "rmsprop": ({"v"},), "sgd": ()}  # besides {} (no step yet)


def _optimizer_states(opt, name: str, saved, max_t: int, what: str) -> list[dict]:
    """Each tensor's state as ganzoo.maths.optim keeps it: nothing yet, or exactly its optimizer's keys."""
    if not isinstance(saved, list) or len(saved) != len(opt.params):
        raise VisitorError("errors.lab_browser.shape", what=what)
    states = []
    for p, s in zip(opt.params, saved):
        if not isinstance(s, dict) or (s and set(s) not in OPTIMIZER_KEYS[name]):
            raise VisitorError("errors.lab_browser.shape", what=what)
        state = {key: _tensor_like(s[key], p, what) for key in ("m", "v") if key in s}
        if "t" in s:
            t = s["t"]
            if not isinstance(t, int) or isinstance(t, bool) or not 1 <= t <= max_t:
                raise VisitorError("errors.lab_browser.shape", what=what)
            state["t"] = t
        states.append(state)
    return states


def adopt(run: lab.LabRun, returned: dict, max_steps: int) -> None:
    """Continue `run` with the steps the browser trained (lab.js Run.state(): its weights, optimizer
    states, and the history, metrics and snapshots since it started from this run). Raises
    VisitorError and leaves the run as it was when anything is missing, misshapen or too long."""
    if not isinstance(returned, dict) or not isinstance(returned.get("step"), int):
        raise VisitorError("errors.lab_browser.shape", what="step")
    steps = returned["step"] - run.step
    if not 0 <= steps <= max_steps:
        raise VisitorError("errors.lab_browser.shape", what="step")
    G, D = _weights(run.G, returned.get("G"), "G"), _weights(run.D, returned.get("D"), "D")
    max_t = returned["step"] * max(1, run.config.d_steps)  # each tensor's updates so far, at most
    opt_g = _optimizer_states(run.opt_g, run.config.g_optimizer, returned.get("opt_g"), max_t, "opt_g")
    opt_d = _optimizer_states(run.opt_d, run.config.d_optimizer, returned.get("opt_d"), max_t, "opt_d")
    history, metrics = returned.get("history"), returned.get("metrics")
    if not isinstance(history, dict) or not isinstance(metrics, dict):
        raise VisitorError("errors.lab_browser.shape", what="history")
    new_history = {k: _floats(history.get(k), steps, k) for k in run.history}
    if new_history["step"] != [float(run.step + i + 1) for i in range(steps)]:
        raise VisitorError("errors.lab_browser.shape", what="history")
    records = [s for s in range(run.step + 1, returned["step"] + 1) if s % lab.RECORD_EVERY == 0]
    new_metrics = {k: _floats(metrics.get(k), len(records), k) for k in run.metrics}
    centers = lab.mode_centers(run.config.target)
    if new_metrics["step"] != [float(s) for s in records] or not all(
            v.is_integer() and 0 <= v <= (0 if centers is None else len(centers)) for v in new_metrics["modes"]):
        raise VisitorError("errors.lab_browser.shape", what="metrics")
    snapshots = returned.get("snapshots")
    if not isinstance(snapshots, list) or len(snapshots) != len(records) \
            or any(not isinstance(s, list) or len(s) != 2 or s[0] != r for s, r in zip(snapshots, records)):
        raise VisitorError("errors.lab_browser.shape", what="snapshots")
    points = [np.asarray(_floats(s[1], run.probe_z.numel(), "snapshots"), np.float32).reshape(-1, 2)
              for s in snapshots]
    new_history["step"] = [int(v) for v in new_history["step"]]
    for k in ("step", "modes"):
        new_metrics[k] = [int(v) for v in new_metrics[k]]
    # Everything checked and converted: now the run changes, all at once.
    with torch.no_grad():
        for p, v in zip([*run.G.parameters(), *run.D.parameters()], G + D):
            p.copy_(v)
    run.opt_g.state, run.opt_d.state = opt_g, opt_d
    run.step = returned["step"]
    for k, values in new_history.items():
        run.history[k] += values
    for k, values in new_metrics.items():
        run.metrics[k] += values
    run.snapshots += [(s, p.astype(np.float16)) for s, p in zip(records, points)]
