"""One resumable state for every training loop: `training_state.pt` beside the checkpoint.

A run names what it must restore (models, optimizers, schedulers, the EMA, the image pools: any
object with state_dict / load_state_dict), its seeded noise generator, and its progress values
(epoch or iteration, elapsed seconds, history); torch's global generator too, which dropout
draws from. Saved atomically, loaded with weights_only=True.
"""

from pathlib import Path

import torch

from ganzoo.io.checkpoints import load_training_state, save_training_state

STATE_FILE = "training_state.pt"


class TrainingState:
    def __init__(self, out, rng: torch.Generator, writes: bool = True, **stateful):
        self.path = Path(out) / STATE_FILE if out else None
        self.rng = rng
        self.writes = writes  # False on every rank but 0 of a torchrun job: they resume, never save
        self.stateful = {name: obj for name, obj in stateful.items() if obj is not None}

    def resume(self) -> dict:
        """Restore every named object and the generator from the saved state; returns the saved
        progress values, or {} when there is nothing to resume."""
        state = load_training_state(self.path) if self.path else None
        if not state:
            return {}
        for name, obj in self.stateful.items():
            if name in state:
                obj.load_state_dict(state[name])
        self.rng.set_state(state["rng"])
        torch.set_rng_state(state["torch_rng"])  # dropout and initialisations draw from it
        return state["progress"]

    def save(self, **progress) -> None:
        if self.path and self.writes:
            state = {name: obj.state_dict() for name, obj in self.stateful.items()}
            save_training_state(self.path, {**state, "rng": self.rng.get_state(), "torch_rng": torch.get_rng_state(),
                                            "progress": progress})

