"""The one training loop that every model's trainer runs: the GANs, the classifiers, the VAE, the
CycleGAN and the painting judge.

A trainer names its model and whatever else must survive a restart (optimizers, schedulers, an EMA,
image pools), then hands the engine the batches of each period (an epoch, or a block of iterations)
and a step that trains on one batch and returns its losses. The engine does the rest, once for all:
- places the model on the device;
- seeds the run and owns the seeded CPU generator the batches and noise are drawn from, so a seed
  gives the same batches on every device;
- restores `training_state.pt` and saves it after every period (rank 0 alone under torchrun);
- averages each period's losses (over the ranks too) into the history, shows tqdm progress, logs;
- times the run;
- runs the steps under mixed precision where it pays (`Precision`).
"""

import time

import torch
from tqdm import tqdm

from ganzoo.runtime.seed import set_seed
from ganzoo.training import distributed
from ganzoo.training.state import TrainingState

PRECISIONS = {"fp32": "fp32", "bf16": "bf16 autocast", "fp16": "fp16 autocast, gradient scaling"}  # name: label


class Precision:
    """Autocast for a training step, and the optimizer step that goes with it. bf16 has fp32's
    exponent range, so its gradients need no scaling; fp16 (for GPUs without bf16) scales the loss
    (torch.amp.GradScaler) so small gradients do not underflow, and skips the steps that overflow.
    Weights, gradients and the optimizers' moments stay fp32 in every case."""

    def __init__(self, name: str = "fp32", device: torch.device = torch.device("cpu")):
        if name not in PRECISIONS:
            raise ValueError(f"precision {name!r}: expected one of {', '.join(PRECISIONS)}")
        self.label = PRECISIONS[name]
        self.name, self.device_type = name, torch.device(device).type
        self.dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(name)
        self.scaler = torch.amp.GradScaler(self.device_type, enabled=name == "fp16")

    def autocast(self):
        return torch.autocast(self.device_type, dtype=self.dtype or torch.bfloat16, enabled=self.dtype is not None)

    def step(self, loss: torch.Tensor, optimizer: torch.optim.Optimizer) -> None:
        """Backward from `loss` and one step of `optimizer` (which alone is zeroed first)."""
        optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.step(optimizer)

    def update(self) -> None:
        """After every training step: fp16 adjusts its loss scale (once, however many optimizers)."""
        self.scaler.update()


def shuffled_batches(n: int, batch_size: int, generator: torch.Generator) -> list:
    """One epoch's index batches, in an order drawn from the run's seeded generator (the last
    partial batch is dropped)."""
    order = torch.randperm(n, generator=generator)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]


class Batches:
    """`n` batches, each drawn by `draw()` when the loop reaches it (random crops of large images are
    not worth drawing ahead); sized, so the progress bar knows the period's length."""

    def __init__(self, n: int, draw):
        self.n, self.draw = n, draw

    def __len__(self):
        return self.n

    def __iter__(self):
        return (self.draw() for _ in range(self.n))


class Trainer:
    """`model` on `world.device` (default: one process on `device`, the CPU unless given), seeded by
    `seed`, resumable from `out` (None: nothing saved), logging through `log` on rank 0. `unit` names a
    period in the history, the progress and the log ("epoch", or "iteration" for a block of
    iterations); `stateful` names the other objects with state_dict / load_state_dict that a resumed
    run must restore."""

    def __init__(self, model, *, seed: int, out=None, world: distributed.World = None, device=None,
                 precision: str = "fp32", unit: str = "epoch", log=print, **stateful):
        set_seed(seed)
        self.world = world or distributed.World(device=torch.device(device or "cpu"))
        self.model, self.unit = model, unit
        self.device = self.world.device
        model.to(self.device)
        self.precision = Precision(precision, self.device)
        self.rng = torch.Generator().manual_seed(seed)  # batches and noise: the same stream on every device
        self.log = log if self.world.main else (lambda *_: None)
        if self.precision.scaler.is_enabled():
            stateful["scaler"] = self.precision.scaler
        self.state = TrainingState(out, self.rng, writes=self.world.main, model=model, **stateful)
        self.history, self.elapsed, self.done = [], 0.0, 0

    def keep(self, **stateful) -> None:
        """More objects to restore and save, made after the model was placed (an EMA copies it)."""
        self.state.stateful.update({name: obj for name, obj in stateful.items() if obj is not None})

    def resume(self) -> dict:
        """Restore what `out` holds, if anything; returns the saved progress ({} for a fresh run)."""
        progress = self.state.resume()  # every rank from the same file, so every replica starts equal
        self.history, self.elapsed = progress.get("history", []), progress.get("elapsed", 0.0)
        self.done = progress.get(self.unit, 0)
        if progress:
            self.log(f"resuming after {self.unit} {self.done}")
        return progress

    def fit(self, periods: int, batches, step, *, mark=lambda p: p + 1, on_period=None):
        """Train periods 0..periods-1, skipping those a resumed run has done. `batches(p)` gives period
        p's batches (drawn from `self.rng`), `step(batch)` trains on one and returns {loss name: float};
        `mark(p)` is the count recorded after period p (epochs done, or iterations done), increasing;
        `on_period(p)` runs after each period is saved. Returns (history, seconds trained)."""
        start = sum(mark(p) <= self.done for p in range(periods))
        final = mark(periods - 1) if periods else 0
        self.model.train()
        for p in range(start, periods):
            t0 = time.perf_counter()
            sums, n = {}, 0
            for batch in tqdm(batches(p), desc=f"{self.unit} {mark(p)}/{final}", leave=False, mininterval=5,
                              disable=not self.world.main):
                for name, value in step(batch).items():
                    sums[name] = sums.get(name, 0.0) + value
                self.precision.update()
                n += 1
            self.elapsed += time.perf_counter() - t0
            means = {name: distributed.mean_over_ranks(total / max(n, 1), self.world) for name, total in sums.items()}
            self.done = mark(p)
            self.history.append({self.unit: self.done, **means})
            self.log(f"{self.unit} {self.done}: " + " ".join(f"{k} {v:.3f}" for k, v in means.items())
                     + f" ({self.elapsed:.0f}s)")
            self.state.save(history=self.history, elapsed=self.elapsed, **{self.unit: self.done})
            if on_period:
                on_period(p)
        self.model.eval()
        return self.history, self.elapsed
