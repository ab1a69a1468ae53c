"""The painting-or-photo judge that scores the CycleGAN's translations."""

from pathlib import Path

from ganzoo.io import checkpoints
from ganzoo.io.data import DEFAULT_ROOT, load_image_folder
from ganzoo.training import cards
from ganzoo.training.classifier import judge_accuracy, train_painting_judge
from ganzoo.training.commands import options
from ganzoo.training.commands.command_log import this_command
from ganzoo.training.commands.publish import save_and_push

KINDS = ("painting-judge",)
DISTRIBUTED = False
SUMMARIES = {"painting-judge": "the judge that tells Monet paintings from photos"}


def add_arguments(parser, kind) -> None:
    options.add_common(parser, DEFAULT_ROOT / "monet2photo", "a folder with trainA/trainB and testA/testB")
    options.add_epochs(parser)
    parser.set_defaults(epochs=15, batch_size=32, lr=3e-3)


def run(args, invocation) -> None:
    from ganzoo.models.cyclegan import PaintingClassifier
    out = Path(args.out or checkpoints.WEIGHTS_DIR / cards.NAMES["painting-judge"])
    data = Path(args.data)
    train_a, train_b = load_image_folder(data / "trainA"), load_image_folder(data / "trainB")
    model = PaintingClassifier()
    elapsed = train_painting_judge(model, train_a, train_b, epochs=args.epochs, batch_size=args.batch_size,
                                   lr=args.lr, seed=args.seed, device=invocation.world.device)
    accuracies = judge_accuracy(model, load_image_folder(data / "testA"), load_image_folder(data / "testB"))
    card = cards.painting_judge_card(this_command(invocation.argv), data, (len(train_a), len(train_b)), elapsed,
                                     args.seed, invocation.world, accuracies)
    save_and_push(model, out, card, args.push_to_hub)
