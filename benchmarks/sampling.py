"""Sampling 64 MNIST images: ganzoo.sample (the policy's precision, inference mode) against a
plain fp32 eager forward in the same process.

python benchmarks/sampling.py
"""

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.timing import median_seconds  # noqa: E402
from ganzoo import checkpoints, sample  # noqa: E402
from ganzoo.device import policy  # noqa: E402


def main(n=64):
    print(f"policy: {policy().describe()}, torch threads: {torch.get_num_threads()}")
    print(f"{'model':14s} {'plain fp32 ms':>14s} {'ganzoo ms':>10s} {'speed-up':>9s}")
    for name in ["mnist-dense", "mnist-dcgan", "mnist-cgan"]:
        model = checkpoints.load(name).model
        labels = sample.balanced_labels(n) if model.conditional else None
        z = sample.latents(model, n, 0)

        def plain():
            with torch.no_grad():
                model(z, labels)

        base = median_seconds(plain, 30) * 1e3
        ours = median_seconds(lambda: sample.sample(model, n, 0), 30) * 1e3
        print(f"{name:14s} {base:14.2f} {ours:10.2f} {base / ours:8.2f}x")


if __name__ == "__main__":
    main()
