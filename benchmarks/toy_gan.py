"""The 2x2 GAN: ganzoo.lessons.toy.train against the plain numpy loop of the published notebook, in the same
process (one run, and a sweep against one run after another).

python -m benchmarks.toy_gan
"""

from benchmarks.timing import Row, median_seconds, print_rows
from ganzoo.lessons import toy
from harness.notebook import numpy_reference


def best_of(fn, repeats=3):
    return median_seconds(fn, repeats=repeats, warmup=0)


def measure(runs=64):
    base = best_of(lambda: numpy_reference(toy.FACES, 0, 0.01, 1000))
    ours = best_of(lambda: toy.train(toy.FACES, 1000, 0.01, 0, runs=1))
    base_sweep = best_of(lambda: [numpy_reference(toy.FACES, s, 0.01, 1000) for s in range(runs)], 1)
    ours_sweep = best_of(lambda: toy.train(toy.FACES, 1000, 0.01, 0, runs=runs), 1)
    return [Row("2x2 GAN, default run (1000 epochs)", ours, "plain numpy loop", base, "s"),
            Row(f"2x2 GAN, seed sweep of {runs} runs (vectorised)", ours_sweep,
                "plain numpy, one run after another", base_sweep, "s")]


if __name__ == "__main__":
    print_rows(measure())
