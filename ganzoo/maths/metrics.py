"""Every quality measure in the project, once.

For generated digits, judged by a classifier (as pytorch-fid judges images with Inception):
Inception Score, Frechet distance on the classifier's features, the class histogram, its KL
divergence to uniform and the classes it covers. For the 2D lab: histogram KL and modes covered.
For image translation: PSNR and the cycle L1 with its mean-colour floor.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

COVERED_SHARE = 0.01  # a class is covered when at least 1% of the samples are read as it


# --- Class-based (a judge classifier's probabilities or features) ---------------------------------

def inception_score(probs: torch.Tensor) -> float:
    """exp(E_x KL(p(y|x) || p(y))) from class probabilities (N, K); between 1 and K."""
    probs = probs.double().clamp_min(1e-12)
    marginal = probs.mean(0, keepdim=True)
    return math.exp((probs * (probs.log() - marginal.log())).sum(1).mean().item())


def unsure_share(probs: torch.Tensor, confidence: float = 0.9) -> float:
    """Share of samples whose most likely class has less than `confidence`: images between kinds.
    With an even class mixture these are what keeps the Inception Score below K, because
    ln IS = H(p(y)) - E_x H(p(y|x)) and every unsure sample adds to the second term."""
    return (probs.max(1).values < confidence).double().mean().item()


def class_histogram(probs: torch.Tensor) -> torch.Tensor:
    """Share of samples whose most likely class is k, for k = 0..K-1."""
    return torch.bincount(probs.argmax(1), minlength=probs.shape[1]).double() / len(probs)


def kl_to_uniform(hist: torch.Tensor) -> float:
    """KL(hist || uniform) in nats: 0 for a perfectly balanced batch, ln K for one class only."""
    k = len(hist)
    nz = hist[hist > 0]
    return float((nz * (nz * k).log()).sum())


def classes_covered(hist: torch.Tensor, share: float = COVERED_SHARE) -> int:
    return int((hist >= share).sum())


def _sqrtm_psd(m: torch.Tensor) -> torch.Tensor:
    vals, vecs = torch.linalg.eigh(m)
    return (vecs * vals.clamp_min(0).sqrt()) @ vecs.T


def feature_stats(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The Gaussian fitted to a feature set (N, F): its mean (F,) and covariance (F, F), in float64."""
    features = features.double()
    return features.mean(0), torch.cov(features.T)


def frechet_distance(a, b) -> float:
    """Frechet distance between Gaussians fitted to feature sets a (N, F) and b (M, F); either may
    be given as its (mean, covariance) from feature_stats (the app keeps the test set's, not the set)."""
    mu_a, cov_a = (t.double() for t in a) if isinstance(a, tuple) else feature_stats(a)
    mu_b, cov_b = (t.double() for t in b) if isinstance(b, tuple) else feature_stats(b)
    root_a = _sqrtm_psd(cov_a)
    cross = torch.linalg.eigvalsh(root_a @ cov_b @ root_a).clamp_min(0).sqrt().sum()
    return float(((mu_a - mu_b) ** 2).sum() + torch.trace(cov_a) + torch.trace(cov_b) - 2 * cross)


# --- 2D point clouds (the training lab) ---------------------------------------------------------

def histogram_2d(points: np.ndarray, extent: float, bins=30) -> np.ndarray:
    h, _, _ = np.histogram2d(points[:, 0], points[:, 1], bins=bins, range=[[-extent, extent]] * 2)
    return h


def histogram_kl(real: np.ndarray, fake: np.ndarray, extent: float, bins=30, eps=1e-4) -> float:
    """KL(real || fake) between 2D histograms on a bins x bins grid over [-extent, extent]^2, lightly smoothed."""
    p = histogram_2d(real, extent, bins) + eps
    q = histogram_2d(fake, extent, bins) + eps
    p, q = p / p.sum(), q / q.sum()
    return float((p * np.log(p / q)).sum())


def modes_covered(centers: np.ndarray, std: float, fake: np.ndarray, min_share=0.2) -> tuple[int, int, float]:
    """(modes with at least min_share of their fair share of samples within 3 std,
    number of modes, share of samples within 3 std of some mode)."""
    dist = np.linalg.norm(fake[:, None, :] - centers[None], axis=2)
    near = dist < 3 * std
    counts = near.sum(0)
    fair = len(fake) / len(centers)
    return int((counts >= min_share * fair).sum()), len(centers), float(near.any(1).mean())


# --- Image translation --------------------------------------------------------------------------

LAPLACIAN = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def sharpness(images: torch.Tensor) -> float:
    """Variance of the Laplacian (Pech-Pacheco et al., 2000), averaged over grey images in [-1, 1]
    mapped to [0, 1]: edges give the Laplacian large values of both signs, blur flattens them. Known
    answers: 0 for a flat image, 16 for a 0/1 checkerboard (every response is +-4), 20/12 for
    independent uniform pixels (4 u minus four neighbours, each of variance 1/12)."""
    if images.dim() != 4 or images.shape[1] != 1:
        raise ValueError("sharpness expects grey images (N, 1, H, W)")
    response = F.conv2d((images.float() + 1) / 2, LAPLACIAN[None, None])
    return response.flatten(1).var(dim=1, unbiased=False).mean().item()


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    """Peak signal-to-noise ratio in dB for images in [-1, 1] (peak-to-peak 2)."""
    mse = F.mse_loss(a.float(), b.float()).item()
    return float("inf") if mse == 0 else 10 * math.log10(4.0 / mse)


def cycle_l1(original: torch.Tensor, reconstructed: torch.Tensor) -> float:
    """Mean absolute difference between images and their round trip (in [-1, 1])."""
    return (reconstructed.float() - original.float()).abs().mean().item()


def cycle_l1_true_colour(original: torch.Tensor, reconstructed: torch.Tensor) -> float:
    """cycle_l1 once each reconstruction is given its original's per-channel mean: the error left
    when the cycle's guess of the mean colour is taken out (the gap to cycle_l1 is that guess's share)."""
    reconstructed, original = reconstructed.float(), original.float()
    recoloured = reconstructed - reconstructed.mean((2, 3), keepdim=True) + original.mean((2, 3), keepdim=True)
    return cycle_l1(original, recoloured)


def mean_colour_floor(images: torch.Tensor) -> float:
    """Mean L1 left by a reconstruction perfect in everything but each image's mean colour, which
    it replaces by the split's average. The authors' generator opens with an InstanceNorm without
    affine parameters, which removes each channel's mean from every image, so a cycle can only bring
    the colour back by guessing it from content: this is where an undertrained cycle stalls. (A
    compact generator with the colour path, `--colour`, is given the mean back and has no such floor.)"""
    means = images.mean((2, 3), keepdim=True)
    return (means - means.mean(0, keepdim=True)).abs().mean().item()


def phase_spread(image: torch.Tensor, period: int = 4) -> float:
    """The checkerboard measure: a generator's output for a flat input, (C, H, W); its central half
    split into period x period pixel phases (row mod period, column mod period); the largest
    difference between two phases' mean values, over channels. On a flat input a generator without
    upsampling artifacts gives every phase the same mean (0); transposed convolutions whose kernel
    overlaps itself unevenly give a periodic pattern (Odena, Dumoulin and Olah, 2016)."""
    if image.dim() != 3:
        raise ValueError("expected one image (C, H, W)")
    h, w = image.shape[-2:]
    centre = image[:, h // 4:3 * h // 4, w // 4:3 * w // 4].float()
    means = torch.stack([centre[:, i::period, j::period].mean((1, 2)) for i in range(period) for j in range(period)])
    return float((means.max(0).values - means.min(0).values).max())


@torch.no_grad()
def flat_spread(generator, value: float = 0.2, size: int = 256) -> float:
    """phase_spread of an fp32 image-to-image generator's output for a flat image of `value`
    (size x size, 3 channels). Not 0: a flat input of exactly 0 stays 0 through every
    InstanceNorm and reaches the upsampling layers as nothing at all, which hides their pattern."""
    return phase_spread(generator(torch.full((1, 3, size, size), value))[0])
