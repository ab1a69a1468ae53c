"""Every GAN loss in the project, once, named as the course names them.

Two forms of the same objective. On probabilities D(x) in (0, 1), the course's "errors" of the
2x2 GAN: E_real = -ln D(x), E_fake = -ln(1 - D(G(z))), and for the generator -ln D(G(z)) (the
non-saturating form) or ln(1 - D(G(z))) (the original minimax form). On logits l (D(x) = sigmoid(l)),
the same objectives written stably with softplus, plus the other losses the lab compares:
least squares (Mao et al. 2017, also CycleGAN's adversarial loss), Wasserstein with a gradient
penalty (Gulrajani et al. 2017) and the hinge loss (Lim & Ye 2017; Miyato et al. 2018).
"""

import numpy as np
import torch
import torch.nn.functional as F

KINDS = ("saturating", "non-saturating", "least-squares", "wgan-gp", "hinge")


# --- On probabilities (the 2x2 GAN, derived by hand in the course) ---------------------------------

def _math(d):
    """torch for tensors (autograd checks them), numpy for arrays: the 2x2 GAN trains in numpy."""
    return torch if isinstance(d, torch.Tensor) else np


def error_real(d):
    """-ln D(x): the discriminator's error on a real image."""
    return -_math(d).log(d)


def error_fake(d):
    """-ln(1 - D(G(z))): the discriminator's error on a fake."""
    return -_math(d).log1p(-d)


def error_generator(d, kind="non-saturating"):
    """-ln D(G(z)) (non-saturating) or ln(1 - D(G(z))) (the original minimax form)."""
    return -_math(d).log(d) if kind == "non-saturating" else _math(d).log1p(-d)


# --- On logits ------------------------------------------------------------------------------------

def least_squares(out, target: float):
    """Mean squared distance of D's raw outputs to a target label (1 real, 0 fake)."""
    return ((out - target) ** 2).mean()


def d_loss(kind, real_out, fake_out, smoothing=1.0):
    """The discriminator's (critic's) loss on its outputs for real and generated samples.

    Cross-entropy kinds take logits, with the real label smoothed to `smoothing` (Salimans et al.
    2016); least squares, WGAN and hinge take raw scores."""
    if kind in ("saturating", "non-saturating"):
        return (F.binary_cross_entropy_with_logits(real_out, torch.full_like(real_out, smoothing))
                + F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out)))
    if kind == "least-squares":
        return 0.5 * least_squares(real_out, 1.0) + 0.5 * least_squares(fake_out, 0.0)
    if kind == "wgan-gp":
        return fake_out.mean() - real_out.mean()
    if kind == "hinge":
        return F.relu(1 - real_out).mean() + F.relu(1 + fake_out).mean()
    raise ValueError(f"unknown loss {kind!r}")


def g_loss(kind, fake_out):
    """The generator's loss on D's outputs for its samples."""
    if kind == "saturating":  # minimise ln(1 - D(G(z))) = -softplus(logit)
        return -F.softplus(fake_out).mean()
    if kind == "non-saturating":  # minimise -ln D(G(z)) = softplus(-logit)
        return F.softplus(-fake_out).mean()
    if kind == "least-squares":
        return 0.5 * least_squares(fake_out, 1.0)
    if kind in ("wgan-gp", "hinge"):
        return -fake_out.mean()
    raise ValueError(f"unknown loss {kind!r}")


def gradient_penalty(critic, real, fake, generator, weight=10.0):
    """Gulrajani et al.: weight * (|grad critic(x_hat)| - 1)^2 on random interpolates."""
    eps = torch.rand(len(real), *([1] * (real.dim() - 1)), generator=generator).to(real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return weight * ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def minimax_value(logits_real: torch.Tensor, logits_fake: torch.Tensor) -> torch.Tensor:
    """V(D, G) = E[log D(x)] + E[log(1 - D(G(z)))], from D's logits (log-sigmoid, so a confident D
    gives a finite value). At the equilibrium, D = 1/2 everywhere, it is -log 4 (Goodfellow et al., 2014)."""
    return F.logsigmoid(logits_real).mean() + F.logsigmoid(-logits_fake).mean()


# --- The VAE's objective (the GAN-versus-VAE page) -----------------------------------------------------

def vae_terms(logits, images, mu, logvar):
    """The two terms of the negative ELBO, in nats per image (summed over pixels and latent
    dimensions, averaged over the batch): reconstruction -ln p(x|z) for Bernoulli pixels whose
    targets are the images mapped from [-1, 1] to [0, 1], and KL(q(z|x) || N(0, I)) in closed form."""
    targets = (images + 1) / 2
    reconstruction = F.binary_cross_entropy_with_logits(logits, targets, reduction="none").flatten(1).sum(1).mean()
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1).mean()
    return reconstruction, kl
