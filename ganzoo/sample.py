"""Sampling MNIST generators, shared by the pages and the terminal.

`python -m ganzoo.sample mnist-dcgan --n 64 --seed 0 --out samples.npz` writes float32 images in
[0, 1], shape (N, 28, 28), under key `images` (and `labels` for the conditional model);
`--out DIR` writes PNGs. The same seed gives the same images as the pages. MODEL may also be the
file(s) of a generator as the sampling page's "Your generator" takes them (a Keras .weights.h5 or
.keras, model.safetensors and config.json, or a .zip or folder of those two), with the page's checks.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

from ganzoo import checkpoints
from ganzoo.device import device_of, policy
from ganzoo.i18n import VisitorError
from ganzoo.images import png_bytes, to_uint8
from ganzoo.models.mnist import NUM_CLASSES, HugganDCGANGenerator, MnistGAN
from ganzoo.models.stylegan import StyleGAN
from ganzoo.seed import clamp_seed, generator

MAX_SAMPLES = 10_000


def balanced_labels(n: int) -> torch.Tensor:
    """0, 1, ..., 9, 0, 1, ... : n labels as evenly spread over the digits as n allows."""
    return torch.arange(n) % NUM_CLASSES


def latents(model: MnistGAN, n: int, seed: int, truncation=None) -> torch.Tensor:
    """The noise for (n, seed): drawn on the CPU from a private generator, so it is the same on
    every device and no two sessions share random state."""
    return model.sample_noise(n, generator(clamp_seed(seed)), truncation)


@torch.inference_mode()
def generate(model: MnistGAN, z: torch.Tensor, labels=None, batch_size=1024) -> torch.Tensor:
    """Images in [-1, 1], (N, 1, 28, 28), on the CPU."""
    device = device_of(model)
    out = []
    with policy().autocast():
        for i in range(0, len(z), batch_size):
            lab = labels[i:i + batch_size].to(device) if labels is not None else None
            zi = z[i:i + batch_size].to(device)
            out.append((model(zi, lab) if lab is not None else model(zi)).float().cpu().clamp(-1, 1))
    return torch.cat(out)


def sample(model, n: int, seed: int, truncation=None, labels=None) -> torch.Tensor:
    """n images in [-1, 1], (N, 1, H, W), the same for the same seed on every device."""
    if isinstance(model, HugganDCGANGenerator):  # 3-channel 64x64: shown in grey
        z = MnistGAN._draw_normal((n, model.latent_dim), generator(clamp_seed(seed)))
        if truncation:
            z = z.clamp(-truncation, truncation)
        return generate(model, z).mean(1, keepdim=True)
    if model.conditional and labels is None:
        labels = balanced_labels(n)
    return generate(model, latents(model, n, seed, truncation), labels)


def to_mnist_size(images: torch.Tensor) -> torch.Tensor:
    """Images of any size -> 28x28, what the classifier reads."""
    if images.shape[-2:] == (28, 28):
        return images
    return torch.nn.functional.interpolate(images, size=(28, 28), mode="bilinear", antialias=True)


@torch.inference_mode()
def discriminator_probabilities(model: MnistGAN, images, labels=None) -> torch.Tensor:
    """D's probability that each image is real."""
    device = device_of(model)
    lab = labels.to(device) if labels is not None else None
    with policy().autocast():
        return torch.sigmoid(model.discriminate(images.to(device), lab).float()).cpu()


@torch.inference_mode()
def classify(classifier, images, batch_size=1000) -> torch.Tensor:
    """The classifier's class probabilities (N, 10)."""
    device = device_of(classifier)
    with policy().autocast():
        return torch.cat([torch.softmax(classifier(to_mnist_size(images[i:i + batch_size]).to(device)).float(), 1).cpu()
                          for i in range(0, len(images), batch_size)])


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m ganzoo.sample", description=__doc__.split("\n")[0])
    p.add_argument("model", nargs="+", help="registry name (mnist-dense, mnist-dcgan, mnist-cgan), or a "
                   "generator's file(s) or folder, as the sampling page takes them")
    p.add_argument("--n", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--label", type=int, choices=range(NUM_CLASSES), help="conditional model: this digit only")
    p.add_argument("--truncation", type=float)
    p.add_argument("--out", required=True, help="FILE.npz, or a folder for PNGs")
    args = p.parse_args(argv)
    if not 1 <= args.n <= MAX_SAMPLES:
        p.error(f"--n must be between 1 and {MAX_SAMPLES}")
    try:
        if len(args.model) > 1 or Path(args.model[0]).exists():  # what a visitor would upload, checked alike
            from ganzoo.inference.uploaded import load_paths
            model = load_paths(args.model).model
        else:
            model = checkpoints.load(args.model[0]).model
    except (checkpoints.CheckpointError, VisitorError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not isinstance(model, (MnistGAN, StyleGAN)):
        print(f"error: {args.model[0]} is not a generator", file=sys.stderr)
        return 2
    labels = None
    if model.conditional:
        labels = torch.full((args.n,), args.label) if args.label is not None else balanced_labels(args.n)
    images = sample(model, args.n, args.seed, args.truncation, labels)
    out = Path(args.out)
    if out.suffix == ".npz":
        arrays = {"images": ((images[:, 0] + 1) / 2).clamp(0, 1).numpy().astype(np.float32)}
        if labels is not None:
            arrays["labels"] = labels.numpy()
        out.parent.mkdir(parents=True, exist_ok=True)
        np.savez(out, **arrays)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for i, img in enumerate(to_uint8(images)):
            suffix = f"_label{int(labels[i])}" if labels is not None else ""
            (out / f"{i:05d}{suffix}.png").write_bytes(png_bytes(img))
    print(f"wrote {args.n} images to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
