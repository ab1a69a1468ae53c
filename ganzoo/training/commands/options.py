"""The flags the kinds of `python -m ganzoo.train` share, each registered in one place, and what a
kind's run is handed: the command line, the world it trains in, its precision, and how to refuse."""

from dataclasses import dataclass
from typing import Callable

from ganzoo.training.distributed import World


@dataclass(frozen=True)
class Invocation:
    """What `main` resolved once, at the edge, for the kind's `run`."""
    argv: list  # the command line as typed, recorded in the card
    world: World  # this process's rank and device (ganzoo.training.distributed.join)
    precision: str  # what it trains in on that device (ganzoo.runtime.device.training_precision)
    refuse: Callable  # stops the CLI with one line and exit status 2 (the kind's parser.error)


def add_common(parser, data_default, data_help) -> None:
    """Flags every kind takes. A kind sets its own defaults with parser.set_defaults."""
    parser.add_argument("--data", default=str(data_default), help=data_help + " (default %(default)s)")
    parser.add_argument("--out", help="checkpoint folder (default weights/<name>)")
    parser.add_argument("--batch-size", type=int, help="(default %(default)s)")
    parser.add_argument("--lr", type=float, help="learning rate (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, help="torch CPU threads")
    parser.add_argument("--push-to-hub", metavar="REPO", help="also publish the folder to this Hub repo")
    parser.set_defaults(precision="fp32")  # unless the kind registers --bf16 / --fp16


def add_epochs(parser) -> None:
    parser.add_argument("--epochs", type=int, help="(default %(default)s)")


def add_init_from(parser) -> None:
    parser.add_argument("--init-from", help="start from this checkpoint folder's weights (fresh optimizers)")


def add_precision(parser) -> None:
    precision = parser.add_mutually_exclusive_group()
    precision.add_argument("--bf16", action="store_const", dest="precision", const="bf16", default="fp32",
                           help="bf16 autocast forward passes (on GPUs, and 2x faster on CPUs with native bf16: "
                                "benchmarks/training.py)")
    precision.add_argument("--fp16", action="store_const", dest="precision", const="fp16",
                           help="on a GPU without bf16: fp16 autocast with a gradient scaler")
