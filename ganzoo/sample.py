"""python -m ganzoo.sample MODEL --n 64 --seed 0 --out samples.npz: images from a 28x28 generator.

MODEL is a registry name (the GANs, the StyleGANs, the VAEs), a checkpoint folder, or the file(s) of a
generator as the sampling page's "Your generator" takes them (a Keras .weights.h5 or .keras,
model.safetensors and config.json, or a .zip or folder of those two), with the page's checks and
messages. The .npz holds float32 images in [0, 1], shape (N, 28, 28), under `images` (and `labels`
for a conditional model); `--out DIR` writes PNGs instead. The same seed gives the same images as
the pages.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

from ganzoo import inference
from ganzoo.inference.sampling import balanced_labels, sample
from ganzoo.io import checkpoints
from ganzoo.io.images import png_bytes, to_uint8
from ganzoo.models.mnist import NUM_CLASSES
from ganzoo.runtime.device import policy
from ganzoo.runtime.i18n import VisitorError

MAX_SAMPLES = 10_000
GENERATORS = [name for name, spec in checkpoints.REGISTRY.items()
              if hasattr(spec.cls, "sample_noise") and not spec.hub_only]


def what_it_is(name: str) -> str:
    """One line saying what a model that draws no 28x28 images is, and what to run instead."""
    spec = checkpoints.REGISTRY[name]
    if "cyclegan" in spec.tags or "cyclegan-history" in spec.tags:
        return f"{name} is {spec.title}: it translates photos; run python -m ganzoo.translate --checkpoint {name}"
    return f"{name} is {spec.title}: it judges images and draws none; generators: {', '.join(GENERATORS)}"


def load_generator(model: str | list, p):
    """The generator named by `model`, or stored in the file(s) or folder it gives (read and checked
    as the page reads an upload), prepared for policy `p`."""
    paths = [model] if isinstance(model, str) else list(model)
    if len(paths) > 1 or Path(paths[0]).exists():
        from ganzoo.inference.uploaded import load_paths
        return inference.prepare(load_paths(paths).model, p)  # prepared again: the CLI's policy, not the page's
    if paths[0] in checkpoints.REGISTRY and paths[0] not in GENERATORS and not checkpoints.REGISTRY[paths[0]].hub_only:
        raise checkpoints.CheckpointError(what_it_is(paths[0]))
    return checkpoints.load(paths[0], p=p).model


def write(images: torch.Tensor, labels, out: Path) -> None:
    if out.suffix == ".npz":
        arrays = {"images": ((images[:, 0] + 1) / 2).clamp(0, 1).numpy().astype(np.float32)}
        if labels is not None:
            arrays["labels"] = labels.numpy()
        out.parent.mkdir(parents=True, exist_ok=True)
        np.savez(out, **arrays)
        return
    out.mkdir(parents=True, exist_ok=True)
    for i, img in enumerate(to_uint8(images)):
        suffix = f"_label{int(labels[i])}" if labels is not None else ""
        (out / f"{i:05d}{suffix}.png").write_bytes(png_bytes(img))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m ganzoo.sample", description=__doc__.split("\n")[0])
    p.add_argument("model", nargs="+", help=f"a registry name ({', '.join(GENERATORS)}), or a generator's "
                   "file(s) or folder, as the sampling page takes them")
    p.add_argument("--n", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--label", type=int, choices=range(NUM_CLASSES), help="conditional model: this class only")
    p.add_argument("--truncation", type=float)
    p.add_argument("--out", required=True, help="FILE.npz, or a folder for PNGs")
    args = p.parse_args(argv)
    if not 1 <= args.n <= MAX_SAMPLES:
        p.error(f"--n must be between 1 and {MAX_SAMPLES}")
    try:
        model = load_generator(args.model, policy())
    except (checkpoints.CheckpointError, VisitorError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    labels = None
    if model.conditional:
        labels = torch.full((args.n,), args.label) if args.label is not None else balanced_labels(args.n)
    images = sample(model, args.n, args.seed, args.truncation, labels)
    write(images, labels, Path(args.out))
    print(f"wrote {args.n} images to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
