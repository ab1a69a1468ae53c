"""A short report card for a generator, judged as the shipped ones are (ganzoo.evaluate), sized for a page.

The card holds the Inception Score, the class KL to uniform, the Frechet distance on the judge's
features against the test set and the share of images the judge is unsure of, all from
`ganzoo.evaluate.evaluate_images` on REPORT_SAMPLES samples of seed 0. The page has no test set
(the app ships without the data), so the test set's features are kept as their Gaussian, next to
the judge they belong to (`ganzoo.evaluate.reference_stats`). A Frechet distance on 1,000 samples
reads higher than on 10,000, so the shipped models beside an upload are judged on the same samples
here, and the model cards' 10,000-sample figures of real images give the target.
"""

import functools
import time

from ganzoo.evaluate import evaluate_images
from ganzoo.inference.sampling import sample
from ganzoo.io import checkpoints

REPORT_SAMPLES = 1000  # about 1 s for the course's dense generator on this project's 2-core CPU
REPORT_SEED = 0
METRICS = ("inception_score", "kl_to_uniform", "frechet_distance", "unsure_share")
COMPARED = {"mnist": ("mnist-dense", "mnist-scgan"), "fashion": ("fashion-dcgan",)}  # the course's net, our best


def judge(model, classifier, stats: tuple, n: int = REPORT_SAMPLES, seed: int = REPORT_SEED) -> dict:
    """The card's figures for one generator (and how long they took): evaluate_images on n samples."""
    start = time.perf_counter()
    images = sample(model, n, seed)
    figures = evaluate_images(classifier, images, stats)
    return {**{k: figures[k] for k in METRICS}, "classes_covered": figures["classes_covered"],
            "seconds": time.perf_counter() - start, "samples": n}


@functools.lru_cache(maxsize=4)  # a shipped card: read once per process
def real_figures(dataset: str) -> dict:
    """Real images' figures as the shipped models' cards state them (10,000 training images)."""
    card = checkpoints.read_card(checkpoints.embedded_folder(COMPARED[dataset][0]))
    real = card.get("metrics", {}).get("raw", {}).get("real", {})
    return {k: real[k] for k in METRICS if k in real} | {"samples": card.get("metrics", {}).get("samples")}


def table(columns: dict) -> list:
    """Rows (metric key, value text per column) for figures {column: figures}."""
    formats = {"inception_score": "{:.2f}", "kl_to_uniform": "{:.3f}", "frechet_distance": "{:.1f}",
               "unsure_share": "{:.0%}"}
    return [(metric, [formats[metric].format(f[metric]) if metric in f else "" for f in columns.values()])
            for metric in METRICS]
