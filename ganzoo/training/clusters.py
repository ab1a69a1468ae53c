"""Clusters of training images found without their labels, for a self-conditioned GAN (Liu et al.,
"Diverse Image Generation via Self-Conditioned GANs", CVPR 2020): k-means on the codes the
project's VAE gives each image. An unconditional DCGAN stretches one Gaussian across every kind
of digit, and the images it draws between two kinds are neither; a GAN told which cluster to
draw keeps each cluster's images apart, while sampling still needs nothing but a seed (the
cluster is drawn as often as it is large).
"""

import torch


def kmeans(features: torch.Tensor, k: int, seed: int = 0, iterations: int = 50) -> torch.Tensor:
    """Each row's cluster (N,) after k-means++ seeding and Lloyd's iterations, from `seed`."""
    if not 1 <= k <= len(features):
        raise ValueError(f"k-means needs 1 <= k <= {len(features)} points, got k={k}")
    features = features.float()
    rng = torch.Generator().manual_seed(seed)
    centres = features[torch.randint(len(features), (1,), generator=rng)]
    for _ in range(k - 1):  # k-means++: each new centre drawn far from the chosen ones
        d2 = torch.cdist(features, centres).min(1).values ** 2
        centres = torch.cat([centres, features[torch.multinomial(d2 / d2.sum(), 1, generator=rng)]])
    assign = torch.cdist(features, centres).argmin(1)
    for _ in range(iterations):
        sums = torch.zeros_like(centres).index_add_(0, assign, features)
        counts = torch.bincount(assign, minlength=k)
        centres = torch.where(counts[:, None] > 0, sums / counts.clamp(min=1)[:, None], centres)
        new = torch.cdist(features, centres).argmin(1)
        if torch.equal(new, assign):
            break
        assign = new
    return assign


@torch.inference_mode()
def vae_clusters(vae, images: torch.Tensor, k: int, seed: int = 0, batch_size: int = 5000) -> torch.Tensor:
    """The cluster (N,) of each image in [-1, 1]: k-means on the means of the VAE's q(z|x)."""
    vae = vae.eval()
    codes = torch.cat([vae.encode(images[i:i + batch_size])[0].float() for i in range(0, len(images), batch_size)])
    return kmeans(codes, k, seed)


def frequencies(assign: torch.Tensor, k: int) -> list[float]:
    """Each cluster's share of the images: how often a self-conditioned GAN draws it."""
    return (torch.bincount(assign, minlength=k).double() / len(assign)).tolist()


def purity(assign: torch.Tensor, labels: torch.Tensor) -> float:
    """The share of images whose label is their cluster's most common one (labels only measure
    the clusters; they never reach the training)."""
    return sum(torch.bincount(labels[assign == j]).max().item() for j in assign.unique().tolist()) / len(labels)
