"""The 28x28 judge: the classifier whose features and probabilities score generated images."""

from ganzoo.models.mnist import MnistClassifier
from ganzoo.training import cards
from ganzoo.training.classifier import accuracy, train_classifier
from ganzoo.training.commands import images28

KINDS = ("classifier",)
DISTRIBUTED = False
SUMMARIES = {"classifier": "the classifier that judges generated images"}


def add_arguments(parser, kind) -> None:
    images28.add_arguments(parser)
    parser.set_defaults(epochs=8, batch_size=128, lr=3e-3)


def run(args, invocation) -> None:
    job = images28.start("classifier", args, invocation)
    cfg = dict(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr)
    model = MnistClassifier()
    elapsed = train_classifier(model, job.images, job.labels, seed=args.seed, out=job.out,
                               device=invocation.world.device, **cfg)
    test_images, test_labels = job.test_split()
    facts = {"test accuracy": cards.accuracy_fact(accuracy(model, test_images, test_labels), job.data_label),
             **cards.run_facts(invocation.world)}
    images28.finish(job, model, cfg, elapsed, invocation.world, facts)
