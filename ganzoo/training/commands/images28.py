"""What the 28x28 kinds (the GANs, the VAE, the classifier) share: MNIST or Fashion-MNIST, the card's
name and words, the list of commands, and the card and save-and-push at the end."""

from dataclasses import dataclass
from pathlib import Path

import torch

from ganzoo.io import checkpoints
from ganzoo.io.data import DATASETS, DEFAULT_ROOT, load_dataset
from ganzoo.training import cards
from ganzoo.training.commands import options
from ganzoo.training.commands.command_log import run_commands
from ganzoo.training.commands.publish import save_and_push


def add_arguments(parser) -> None:
    options.add_common(parser, DEFAULT_ROOT, "folder holding MNIST/raw and FashionMNIST/raw")
    options.add_epochs(parser)
    parser.add_argument("--dataset", choices=list(DATASETS), default="mnist",
                        help="MNIST digits or Fashion-MNIST garments")
    parser.add_argument("--limit", type=int, help="train on the first N images only (smoke tests)")


@dataclass
class Run:
    """A 28x28 run under way: what its card will say it is, where it goes, what it trains on."""
    kind: str
    args: object  # the parsed flags
    described: tuple  # cards.describe's (name, title, description, notes), with the run's changes
    out: Path
    images: torch.Tensor
    labels: torch.Tensor
    commands: list

    @property
    def data_label(self) -> str:
        return cards.DATA_LABELS[self.args.dataset]

    def test_split(self) -> tuple:
        return load_dataset(self.args.dataset, self.args.data, train=False)


def start(kind, args, invocation, init_from=None, codes=0, clusters=0, changes="") -> Run:
    """Name the run, read its training images and record its command. `changes`: the card's
    clauses on how it departs from the kind's recipe."""
    if args.dataset != "mnist" and kind not in cards.FASHION:
        invocation.refuse(f"{kind} trains on MNIST only")
    name, title, description, notes = cards.describe(kind, args.dataset, codes, clusters)
    out = Path(args.out or checkpoints.WEIGHTS_DIR / name)
    images, labels = load_dataset(args.dataset, args.data, train=True)
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    commands = run_commands(out, invocation.argv, init_from, invocation.world.main)
    return Run(kind, args, (name, title, description + changes, notes), out, images, labels, commands)


def finish(run: Run, model, cfg: dict, elapsed: float, world, facts: dict, notes=(), history=None) -> None:
    """Write the card (`facts`: what the run measured; `notes` added to the kind's) and the weights,
    and publish them when asked."""
    name, title, description, kind_notes = run.described
    card = cards.images28_card(run.kind, run.args.dataset, (name, title, description, kind_notes + list(notes)),
                               run.commands, len(run.images), cfg, run.args.seed, elapsed, world, facts)
    if history is not None:  # per-epoch terms, drawn on the GAN-versus-VAE page (not in the card's text)
        card["history"] = history
    save_and_push(model, run.out, card, run.args.push_to_hub)
