"""Sampling MNIST images: ganzoo.sample (the policy's precision and layout, inference mode)
against a plain fp32 eager forward of the same network in the same process.

python -m benchmarks.sampling
"""

import copy

import torch

from benchmarks.timing import Row, median_seconds, print_rows
from ganzoo.inference import sampling as sample
from ganzoo.io import checkpoints
from ganzoo.runtime.device import policy


def measure(n=64, names=("mnist-dense", "mnist-dcgan", "mnist-scgan", "mnist-scgan-w64", "mnist-cgan")):
    rows = []
    for name in names:
        model = checkpoints.load(name, p=policy()).model
        plain_model = copy.deepcopy(model).to(memory_format=torch.contiguous_format)
        labels = sample.balanced_labels(n) if model.conditional else None
        z = sample.latents(model, n, 0)

        def plain():
            with torch.no_grad():
                plain_model(z, labels)

        base = median_seconds(plain, 30) * 1e3
        ours = median_seconds(lambda: sample.sample(model, n, 0), 30) * 1e3
        rows.append(Row(f"MNIST sampling, {n} images, {name}", ours, "plain fp32 eager", base, "ms"))
    return rows


if __name__ == "__main__":
    print(f"policy: {policy().describe()}, torch threads: {torch.get_num_threads()}")
    print_rows(measure())
