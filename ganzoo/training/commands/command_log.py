"""The commands that trained a run, in order: what a card's command list is built from."""

import json
import shlex
from pathlib import Path

from ganzoo.io import checkpoints
from ganzoo.training.state import STATE_FILE

COMMANDS_FILE = "commands.json"  # beside training_state.pt


def this_command(argv) -> str:
    return "python -m ganzoo.train " + " ".join(shlex.quote(a) for a in argv)


def card_commands(folder) -> list:
    """The commands recorded in `folder`'s card, in order."""
    before = checkpoints.read_card(folder).get("training", {})
    return before.get("commands", [before["command"]] if "command" in before else [])


def run_commands(out, argv, init_from=None, main=True) -> list:
    """Every command that trained the run in `out`, in order, this one last unless it repeats the last.

    Kept in out/commands.json from the moment a run starts, not only in the card written at its end,
    so a run stopped and resumed before its first card still names the command that began it. A run
    with no training_state.pt to resume starts the list over (from init_from's card when it warm-starts).
    """
    if not main:  # rank 0 alone keeps the list, as it alone saves the training state and the card
        return []
    out, path = Path(out), Path(out) / COMMANDS_FILE
    if (out / STATE_FILE).is_file():
        before = json.loads(path.read_text()) if path.is_file() else card_commands(out)
    else:
        before = card_commands(init_from) if init_from else []
    command = this_command(argv)
    commands = before if before and before[-1] == command else before + [command]
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(commands, indent=1) + "\n")
    return commands
