"""Training the VAE: maximise the ELBO (minimise reconstruction + KL) with Adam, seeded, resumable."""

import time

import torch

from ganzoo.device import device_of
from ganzoo.losses import vae_terms
from ganzoo.seed import set_seed
from ganzoo.training.state import TrainingState, on_device, shuffled_batches


def vae_step(model, opt, images, generator):
    """One step on a batch: z = mu + sigma * eps with eps from the seeded generator (the
    reparameterisation trick, so gradients reach the encoder); returns (reconstruction, kl)."""
    mu, logvar = model.encode(images)
    eps = torch.randn(mu.shape, generator=generator).to(mu.device)
    z = mu + (0.5 * logvar).exp() * eps
    reconstruction, kl = vae_terms(model.decode_logits(z), images, mu, logvar)
    opt.zero_grad(set_to_none=True)
    (reconstruction + kl).backward()
    opt.step()
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
    set_seed(seed)
    device = on_device(model, device)
    generator = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    state = TrainingState(out, generator, model=model, opt=opt)
    progress = state.resume()
    history, start_epoch, elapsed = progress.get("history", []), progress.get("epoch", 0), progress.get("elapsed", 0.0)
    if progress:
        log(f"resuming after epoch {start_epoch}")
    model.train()
    for epoch in range(start_epoch, epochs):
        t0 = time.perf_counter()
        steps = len(images) // batch_size
        sums = [0.0, 0.0]
        for idx in shuffled_batches(len(images), batch_size, generator, f"epoch {epoch + 1}/{epochs}"):
            rec, kl = vae_step(model, opt, images[idx].to(device), generator)
            sums[0] += rec
            sums[1] += kl
        elapsed += time.perf_counter() - t0
        history.append({"epoch": epoch + 1, "reconstruction": sums[0] / steps, "kl": sums[1] / steps})
        log(f"epoch {epoch + 1}: reconstruction {sums[0] / steps:.1f} kl {sums[1] / steps:.1f} nats ({elapsed:.0f}s)")
        state.save(history=history, epoch=epoch + 1, elapsed=elapsed)
    model.eval()
    return history, elapsed
