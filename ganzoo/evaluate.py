"""How good are the 28x28 generators? Metrics judged by the project's classifier of their dataset.

`python -m ganzoo.evaluate mnist-dcgan` (or fashion-dcgan, judged by fashion-classifier) draws
10,000 samples and prints, next to the same rows computed on 10,000 real training images:
Inception Score (classifier-based, at most 10),
Frechet distance on the classifier's 128-d penultimate features against the MNIST test set, the
class histogram, its KL divergence to uniform, the classes covered, and for the conditional
model the fraction of samples read as the requested digit. `--write` stores the rows in the
model card; `--readme [PATH]` rebuilds the quality tables of docs/models.md (or PATH) from every card.

`python -m ganzoo.evaluate FILE [FILE]` judges a generator a visitor would upload on the sampling
page (a Keras .weights.h5 or .keras, a .zip or folder of model.safetensors + config.json, or those
two files), with the page's checks and messages (ganzoo/inference/uploaded.py); `--dataset fashion`
judges it as a Fashion-MNIST generator. `--reference-stats` stores the Gaussian of each judge's
features on its test set beside it (`test_features.safetensors`), which the page's report card
measures the Frechet distance against, since the app ships without the data.
"""

import argparse
import functools
import shlex
import sys
from pathlib import Path

import torch

from ganzoo import inference
from ganzoo.inference.sampling import balanced_labels, classify, generate, latents
from ganzoo.io import checkpoints
from ganzoo.io.data import DEFAULT_ROOT, load_dataset
from ganzoo.io.marked_blocks import replace_block
from ganzoo.maths.metrics import (
    class_histogram,
    classes_covered,
    cycle_l1,
    cycle_l1_true_colour,
    feature_stats,
    flat_spread,
    frechet_distance,
    inception_score,
    kl_to_uniform,
    mean_colour_floor,
    unsure_share,
)
from ganzoo.models.cyclegan import CycleGAN
from ganzoo.models.mnist import NUM_CLASSES
from ganzoo.models.vae import ConvVAE
from ganzoo.runtime.device import Policy, policy, policy_of
from ganzoo.runtime.i18n import VisitorError
from ganzoo.training.vae import elbo_terms

ROOT = Path(__file__).resolve().parent.parent


@torch.inference_mode()
def features(classifier, images, batch_size=1000) -> torch.Tensor:
    p = policy_of(classifier)
    with p.autocast():
        return torch.cat([classifier.embed(images[i:i + batch_size].to(p.device)).float().cpu()
                          for i in range(0, len(images), batch_size)])


REFERENCE_STATS = "test_features.safetensors"  # beside the judge, whose features they are


def reference_stats_path(dataset: str) -> Path:
    return checkpoints.embedded_folder(checkpoints.judge_of(dataset)) / REFERENCE_STATS


def write_reference_stats(dataset: str, data=DEFAULT_ROOT) -> Path:
    """The Gaussian (mean, covariance) of the judge's features on the dataset's test images, saved
    beside the judge: what the Frechet distance is measured against where the data is not at hand."""
    from safetensors.torch import save_file
    classifier = checkpoints.load(checkpoints.judge_of(dataset)).model
    test_images, _ = load_dataset(dataset, data, train=False)
    mean, cov = feature_stats(features(classifier, test_images))
    path = reference_stats_path(dataset)
    save_file({"mean": mean.contiguous(), "cov": cov.contiguous()}, str(path),
              metadata={"images": str(len(test_images)), "command": "python -m ganzoo.evaluate --reference-stats"})
    return path


@functools.lru_cache(maxsize=4)  # a shipped file: read once per process, not on every rerun of the report card
def reference_stats(dataset: str) -> tuple:
    """(mean, covariance) of the judge's features on the test set, as write_reference_stats stored them."""
    from safetensors.torch import load_file
    stored = load_file(str(reference_stats_path(dataset)))
    return stored["mean"], stored["cov"]


def evaluate_images(classifier, images, reference_features, labels=None) -> dict:
    """Every metric for one set of images in [-1, 1]; `labels` are the digits they should show."""
    probs = classify(classifier, images)
    hist = class_histogram(probs)
    out = {
        "inception_score": inception_score(probs),
        "unsure_share": unsure_share(probs),
        "frechet_distance": frechet_distance(features(classifier, images), reference_features),
        "histogram": hist.tolist(),
        "kl_to_uniform": kl_to_uniform(hist),
        "classes_covered": classes_covered(hist),
    }
    if labels is not None:
        hits = probs.argmax(1) == labels
        out["label_accuracy"] = hits.double().mean().item()
        out["label_accuracy_per_class"] = [hits[labels == k].double().mean().item() for k in range(NUM_CLASSES)]
    return out


def rows(model_metrics: dict, real_metrics: dict) -> list:
    """Printable (metric, model, real) rows."""
    def fmt_hist(h):
        return " ".join(f"{100 * x:.1f}" for x in h)
    out = [
        (
            "Inception Score (classifier, max 10)",
            f"{model_metrics['inception_score']:.3f}",
            f"{real_metrics['inception_score']:.3f}",
        ),
        (
            "Frechet distance (classifier features, vs test set)",
            f"{model_metrics['frechet_distance']:.3f}",
            f"{real_metrics['frechet_distance']:.3f}",
        ),
        ("class KL to uniform (nats)", f"{model_metrics['kl_to_uniform']:.4f}", f"{real_metrics['kl_to_uniform']:.4f}"),
        ("images the judge is unsure of (top class < 90%)", f"{100 * model_metrics['unsure_share']:.1f}%",
         f"{100 * real_metrics['unsure_share']:.1f}%"),
        (
            "classes covered (>= 1% of samples)",
            str(model_metrics["classes_covered"]),
            str(real_metrics["classes_covered"]),
        ),
        ("class histogram 0-9 (%)", fmt_hist(model_metrics["histogram"]), fmt_hist(real_metrics["histogram"])),
    ]
    if "elbo" in model_metrics:
        elbo = model_metrics["elbo"]
        out += [("VAE: negative ELBO on the test set (nats per image)", f"{elbo['negative_elbo']:.2f}", ""),
                ("VAE: reconstruction term / KL term", f"{elbo['reconstruction']:.2f} / {elbo['kl']:.2f}", "")]
    if "label_accuracy" in model_metrics:
        out.append(("label accuracy, overall", f"{100 * model_metrics['label_accuracy']:.2f}%",
                    f"{100 * real_metrics['label_accuracy']:.2f}%"))
        out.append(("label accuracy, worst class",
                    "{:.2f}% (class {})".format(100 * min(model_metrics["label_accuracy_per_class"]),
                                                 _argmin(model_metrics["label_accuracy_per_class"])),
                    "{:.2f}% (class {})".format(100 * min(real_metrics["label_accuracy_per_class"]),
                                                 _argmin(real_metrics["label_accuracy_per_class"]))))
        out.append(("label accuracy per class 0-9 (%)",
                    " ".join(f"{100 * x:.1f}" for x in model_metrics["label_accuracy_per_class"]),
                    " ".join(f"{100 * x:.1f}" for x in real_metrics["label_accuracy_per_class"])))
    return out


def _argmin(values):
    return min(range(len(values)), key=values.__getitem__)


def evaluate_model(name: str, n=10_000, seed=0, data=DEFAULT_ROOT, folder=None, p=None):
    """The model's metrics and the real data's; `folder`: a checkpoint folder of the same kind to
    judge in the shipped model's place (a run in progress); `p`: the policy to run under (plain fp32
    when none is given)."""
    p = p or Policy.plain()
    if folder:
        model = inference.prepare(checkpoints.load_folder(checkpoints.REGISTRY[name].cls, folder), p)
    else:
        model = checkpoints.load(name, p=p).model
    return evaluate_generator(model, checkpoints.dataset_of(name), n, seed, data, p)


def evaluate_generator(model, dataset: str, n=10_000, seed=0, data=DEFAULT_ROOT, p=None):
    """A loaded generator's metrics and the real data's, judged by the dataset's classifier."""
    classifier = checkpoints.load(checkpoints.judge_of(dataset), p=p or Policy.plain()).model
    test_images, _ = load_dataset(dataset, data, train=False)
    train_images, train_labels = load_dataset(dataset, data, train=True)
    reference = features(classifier, test_images)
    labels = balanced_labels(n) if model.conditional else None
    fake = generate(model, latents(model, n, seed), labels)
    model_metrics = evaluate_images(classifier, fake, reference, labels)
    if isinstance(model, ConvVAE):  # the objective it was trained on, on data it never saw
        model_metrics["elbo"] = elbo_terms(model.float().cpu(), test_images)
    real = train_images[:n]
    real_metrics = evaluate_images(classifier, real, reference, train_labels[:n] if labels is not None else None)
    return model_metrics, real_metrics


@torch.inference_mode()
def evaluate_cyclegan(name="cyclegan-monet-compact", data=DEFAULT_ROOT / "monet2photo", folder=None, p=None):
    """Cycle L1 on the test split and the painting judge's verdict on translated test photos.
    Rows: (metric, model, reference), the reference being the judge on real test images.
    `folder`: a CycleGAN checkpoint folder (e.g. a run in progress) judged in the model's place."""
    from ganzoo.inference import prepare
    from ganzoo.inference.translation import run
    from ganzoo.io.data import load_image_folder
    p = p or Policy.plain()
    plain = checkpoints.load_folder(CycleGAN, folder or checkpoints.embedded_folder(name)).eval()  # fp32, as trained
    model = plain if folder else checkpoints.load(name, p=p).model
    judge = checkpoints.load("painting-judge", p=p).model
    photos = load_image_folder(Path(data) / "testB").float() / 127.5 - 1
    paintings = load_image_folder(Path(data) / "testA").float() / 127.5 - 1
    g_ba, g_ab = prepare(model.G_BA, p), prepare(model.G_AB, p)
    batch = lambda f, x: torch.cat([run(f, x[i:i + 8]) for i in range(0, len(x), 8)])  # noqa: E731
    to_painting = batch(g_ba, photos)
    photos_back = batch(g_ab, to_painting)
    to_photo = batch(g_ab, paintings)
    paintings_back = batch(g_ba, to_photo)
    colour_share = "its gap to the row two above: the colour guess's share"
    judged = lambda x: (torch.cat([judge(x[i:i + 50]) for i in range(0, len(x), 50)]) > 0).float().mean().item()  # noqa: E731
    return [
        ("translated test photos judged paintings", f"{100 * judged(to_painting):.1f}%",
         f"{100 * judged(paintings):.1f}% of real test paintings"),
        ("translated test paintings judged photos", f"{100 * (1 - judged(to_photo)):.1f}%",
         f"{100 * (1 - judged(photos)):.1f}% of real test photos"),
        ("mean cycle L1, photo -> painting -> photo", f"{cycle_l1(photos, photos_back):.4f}",
         f"target <= 0.14; mean-colour floor {mean_colour_floor(photos):.4f}"),
        ("mean cycle L1, painting -> photo -> painting", f"{cycle_l1(paintings, paintings_back):.4f}",
         f"target <= 0.14; mean-colour floor {mean_colour_floor(paintings):.4f}"),
        ("the same given the true mean colour, photo -> painting -> photo",
         f"{cycle_l1_true_colour(photos, photos_back):.4f}", colour_share),
        ("the same given the true mean colour, painting -> photo -> painting",
         f"{cycle_l1_true_colour(paintings, paintings_back):.4f}", colour_share),
        ("checkerboard: phase spread on flat grey, photo -> painting", f"{flat_spread(plain.G_BA):.4f}",
         "target <= 0.01 (0 = no periodic pattern)"),
        ("checkerboard: phase spread on flat grey, painting -> photo", f"{flat_spread(plain.G_AB):.4f}",
         "target <= 0.01 (0 = no periodic pattern)"),
    ]


TABLES = {"mnist": ["mnist-dense", "mnist-dcgan", "mnist-scgan", "mnist-scgan-w64", "mnist-cgan", "mnist-stylegan",
                    "mnist-vae"],
          "fashion": ["fashion-dcgan", "fashion-cgan", "fashion-stylegan", "fashion-vae"]}
TABLE_MODELS = [name for names in TABLES.values() for name in names]
REAL_LABELS = {"mnist": "real MNIST", "fashion": "real Fashion-MNIST"}


def readme_table(dataset="mnist") -> str:
    """The quality table for one dataset (docs/models.md), built from the metrics stored in each model card."""
    cards = {name: checkpoints.read_card(checkpoints.embedded_folder(name)) for name in TABLES[dataset]}
    cards = {k: v for k, v in cards.items() if v.get("metrics")}
    if not cards:
        return "(no measured models yet)"
    first = next(iter(cards.values()))["metrics"]
    header = "| metric | " + " | ".join(cards) + f" | {REAL_LABELS[dataset]} |\n|" + " --- |" * (len(cards) + 2)
    lines = [header]
    labels = [r[0] for r in first["rows"]]
    for name, card in cards.items():
        labels += [r[0] for r in card["metrics"]["rows"] if r[0] not in labels]
    for label in labels:
        cells, real = [], ""
        for card in cards.values():
            match = [r for r in card["metrics"]["rows"] if r[0] == label]
            cells.append(match[0][1] if match else "")
            real = real or (match[0][2] if match else "")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {real} |")
    return "\n".join(lines)


QUALITY_PAGE = Path("docs/models.md")  # from the repository root, where the commands run


def update_readme(path=QUALITY_PAGE) -> None:
    """Both datasets' tables into `path`, between its `metrics` and `metrics-fashion` markers."""
    replace_block(path, "metrics", readme_table("mnist"))
    replace_block(path, "metrics-fashion", readme_table("fashion"))


KNOWN = TABLE_MODELS + ["cyclegan-monet-compact"]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(prog="python -m ganzoo.evaluate", description=__doc__.split("\n")[0])
    p.add_argument("model", nargs="*", metavar="MODEL_OR_FILE",
                   help=f"one of {', '.join(KNOWN)}; or the file(s) of a generator, as the sampling page takes them")
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=str(DEFAULT_ROOT))
    p.add_argument("--dataset", choices=["mnist", "fashion"], default="mnist", help="the judge of a generator FILE")
    p.add_argument("--folder", help="judge this checkpoint folder (e.g. a run in progress) in the model's place")
    p.add_argument("--write", action="store_true", help="store the rows in the model card")
    p.add_argument("--readme", nargs="?", const=QUALITY_PAGE, type=Path, metavar="PATH",
                   help=f"rebuild the quality tables of PATH (default {QUALITY_PAGE}) from the model cards")
    p.add_argument("--reference-stats", action="store_true",
                   help="store each judge's feature Gaussian on its test set beside it (the page's report card)")
    args = p.parse_args(argv)
    if args.readme and not args.readme.is_file():
        p.error(f"{args.readme} not found: run from the repository root or give the page's path after --readme")
    name = args.model[0] if len(args.model) == 1 and args.model[0] in KNOWN else None
    if args.model and name is None:
        if args.write or args.folder:
            p.error("--write and --folder are for the shipped models")
        if len(args.model) == 1 and not Path(args.model[0]).exists():
            p.error(f"{args.model[0]} is neither a file nor one of {', '.join(KNOWN)}")
        from ganzoo.inference.uploaded import load_paths
        try:
            uploaded = load_paths(args.model)
        except VisitorError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        generator = inference.prepare(uploaded.model, policy())  # the judge's policy too, as sample FILE runs it
        model_metrics, real_metrics = evaluate_generator(generator, args.dataset, args.n, args.seed, args.data,
                                                         policy())
        print_table(uploaded.label, rows(model_metrics, real_metrics))
    if name == "cyclegan-monet-compact":
        table = evaluate_cyclegan(name, Path(args.data) / "monet2photo", args.folder, policy())
        model_metrics = real_metrics = None
    elif name:
        model_metrics, real_metrics = evaluate_model(name, args.n, args.seed, args.data, args.folder, policy())
        table = rows(model_metrics, real_metrics)
    if name:
        print_table(name, table)
        if args.write:
            folder = Path(args.folder) if args.folder else checkpoints.embedded_folder(name)
            card = checkpoints.read_card(folder)
            card["metrics"] = {"command": "python -m ganzoo.evaluate " + " ".join(shlex.quote(a) for a in argv),
                               "samples": args.n, "seed": args.seed, "rows": table,
                               "reference_label": "real test images" if model_metrics is None
                               else f"10,000 {REAL_LABELS[checkpoints.dataset_of(name)]} training images"}
            if model_metrics:
                card["metrics"]["raw"] = {"model": model_metrics, "real": real_metrics}
            checkpoints.write_card(folder, card)
    if args.readme:
        update_readme(args.readme)
        print(readme_table("mnist"), readme_table("fashion"), sep="\n\n")
    if args.reference_stats:
        for dataset in TABLES:
            print(f"wrote {write_reference_stats(dataset, args.data)}")
    return 0


def print_table(name: str, table: list) -> None:
    width = max(len(r[0]) for r in table)
    print(f"{'metric':{width}s}  {name:>24s}  {'reference':>24s}")
    for label, mine, real in table:
        print(f"{label:{width}s}  {mine:>24s}  {real:>24s}")


if __name__ == "__main__":
    sys.exit(main())
