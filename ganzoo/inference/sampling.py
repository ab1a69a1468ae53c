"""Sampling the 28x28 generators (GANs, StyleGANs, VAEs) and judging their images: what the pages,
the CLIs, the metrics and the benchmarks all call. Noise is drawn on the CPU from a private
generator, so a seed gives the same images on every device; the precision is the model's
(`device.policy_of`).
"""

import torch

from ganzoo.maths.metrics import inception_score, sharpness
from ganzoo.models.mnist import NUM_CLASSES, HugganDCGANGenerator, MnistGAN
from ganzoo.runtime.device import policy_of
from ganzoo.runtime.seed import clamp_seed, generator, seeded_build


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
    elif labels is not None:
        labels = torch.as_tensor(labels)
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


def every_class(model, per_class: int, seed: int) -> torch.Tensor:
    """A conditional generator's 10 x per_class grid, row k class k; column j uses the same noise z_j
    in every row, so a column keeps its style."""
    z = latents(model, per_class, seed).repeat(NUM_CLASSES, 1)
    return generate(model, z, torch.arange(NUM_CLASSES).repeat_interleave(per_class))


def untrained_like(model: MnistGAN, seed: int = 0) -> MnistGAN:
    """The model's architecture with a fresh initialisation drawn from `seed`: what G drew before training."""
    return seeded_build(lambda: MnistGAN(model.arch, model.latent_dim, model.generator_width, codes=model.codes),
                        seed).eval()


@torch.inference_mode()
def reconstruct(vae, images: torch.Tensor) -> torch.Tensor:
    """A VAE's one-pass reconstruction of images in [-1, 1], on the CPU."""
    p = policy_of(vae)
    return vae.reconstruct(images.to(p.device)).float().cpu().clamp(-1, 1)


def judged(classifier, images: torch.Tensor) -> dict:
    """What the pages report under a batch: its sharpness, how sure the judge is of a class, its IS."""
    probs = classify(classifier, images)
    return {"sharpness": sharpness(images), "confidence": probs.max(1).values.mean().item(),
            "inception_score": inception_score(probs)}
