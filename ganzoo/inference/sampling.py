"""Sampling the 28x28 generators (GANs, StyleGANs, VAEs) and judging their images: what the pages,
the CLIs, the metrics and the benchmarks all call. Noise is drawn on the CPU from a private
generator, so a seed gives the same images on every device; the precision is the model's
(`device.policy_of`).
"""

import torch

from ganzoo.models.mnist import NUM_CLASSES, HugganDCGANGenerator, MnistGAN
from ganzoo.runtime.device import policy_of
from ganzoo.runtime.seed import clamp_seed, generator


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
    p = policy_of(model)
    out = []
    with p.autocast():
        for i in range(0, len(z), batch_size):
            lab = labels[i:i + batch_size].to(p.device) if labels is not None else None
            zi = z[i:i + batch_size].to(p.device)
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
    p = policy_of(model)
    lab = labels.to(p.device) if labels is not None else None
    with p.autocast():
        return torch.sigmoid(model.discriminate(images.to(p.device), lab).float()).cpu()


@torch.inference_mode()
def classify(classifier, images, batch_size=1000) -> torch.Tensor:
    """The classifier's class probabilities (N, 10)."""
    p = policy_of(classifier)
    with p.autocast():
        return torch.cat([torch.softmax(classifier(to_mnist_size(batch).to(p.device)).float(), 1).cpu()
                          for batch in images.split(batch_size)])
