"""The 2x2 GAN: ganzoo.toy's torch loop against the plain numpy loop, in the same process.

python benchmarks/toy_gan.py
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ganzoo import toy  # noqa: E402
from tests.test_toy import numpy_reference  # noqa: E402


def best_of(fn, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    rows = []
    base = best_of(lambda: numpy_reference(toy.FACES, 0, 0.01, 1000))
    ours = best_of(lambda: toy.train(toy.FACES, 1000, 0.01, 0, runs=1))
    rows.append(("default run: 1000 epochs x 4 faces, 1 GAN", base, ours))
    runs = 64
    base64 = best_of(lambda: [numpy_reference(toy.FACES, s, 0.01, 1000) for s in range(runs)], 1)
    ours64 = best_of(lambda: toy.train(toy.FACES, 1000, 0.01, 0, runs=runs), 1)
    rows.append((f"seed sweep: {runs} GANs (numpy: one after another; ganzoo: vectorised)", base64, ours64))
    print(f"{'case':70s} {'numpy s':>9s} {'ganzoo s':>9s} {'numpy/ganzoo':>13s}")
    for name, b, o in rows:
        print(f"{name:70s} {b:9.3f} {o:9.3f} {b / o:13.2f}x")


if __name__ == "__main__":
    main()
