"""Training the VAE: maximise the ELBO (minimise reconstruction + KL) with Adam, seeded, resumable."""

import torch

from ganzoo.maths.losses import vae_terms
from ganzoo.runtime.device import device_of
from ganzoo.training.engine import Precision, Trainer, shuffled_batches


def vae_step(model, opt, images, generator, precision=Precision()):
    """One step on a batch: z = mu + sigma * eps with eps from the seeded generator (the
    reparameterisation trick, so gradients reach the encoder); returns (reconstruction, kl)."""
    mu, logvar = model.encode(images)
    eps = torch.randn(mu.shape, generator=generator).to(mu.device)
    z = mu + (0.5 * logvar).exp() * eps
    reconstruction, kl = vae_terms(model.decode_logits(z), images, mu, logvar)
    precision.step(reconstruction + kl, opt)
    return reconstruction.item(), kl.item()


@torch.no_grad()
def elbo_terms(model, images, batch_size=1000) -> dict:
    """Reconstruction and KL (nats per image) on a held-out set, codes at their means."""
    model.eval()
    sums = torch.zeros(2)
    for i in range(0, len(images), batch_size):
        x = images[i:i + batch_size].to(device_of(model))
        mu, logvar = model.encode(x)
        sums += torch.tensor([t.item() for t in vae_terms(model.decode_logits(mu), x, mu, logvar)]) * len(x)
    reconstruction, kl = (sums / len(images)).tolist()
    return {"reconstruction": reconstruction, "kl": kl, "negative_elbo": reconstruction + kl}


def train_vae(model, images, *, epochs, batch_size, lr, seed, out=None, log=print, device=None):
    """Adam on the negative ELBO, on `device` (default CPU); resumes from out/training_state.pt.
    Returns (history, seconds)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    trainer = Trainer(model, seed=seed, out=out, device=device, log=log, opt=opt)
    trainer.resume()

    def step(idx):
        reconstruction, kl = vae_step(model, opt, images[idx].to(trainer.device), trainer.rng, trainer.precision)
        return {"reconstruction": reconstruction, "kl": kl}

    return trainer.fit(epochs, lambda _: shuffled_batches(len(images), batch_size, trainer.rng), step)
