"""Training CycleGAN with the paper's recipe, sized for a CPU.

Least-squares GAN loss, cycle-consistency weight 10, identity weight 0.5 x 10, a 50-image pool of
past fakes for the discriminators, Adam(2e-4, betas=(0.5, 0.999)) with the learning rate constant
for the first half of the iterations and decaying linearly to 0 over the second. Trains on random
crops of the full-resolution images, so textures are learned at the scale they are shown.
Resumable: training_state.pt beside the checkpoint, saved every `save_every` iterations.
"""

import random

import torch
import torch.nn.functional as F

from ganzoo.io.data import random_crops
from ganzoo.maths.losses import d_loss, least_squares
from ganzoo.models.cyclegan import CycleGAN
from ganzoo.training.engine import Batches, Trainer


class ImagePool:
    """Shrivastava et al.: show D a mix of current and past fakes, to damp oscillation."""

    def __init__(self, size=50, rng=None):
        self.size, self.images, self.rng = size, [], rng or random.Random(0)

    def state_dict(self) -> dict:
        return {"images": torch.stack([i.cpu() for i in self.images]) if self.images else torch.empty(0),
                "rng": self.rng.getstate()}

    def load_state_dict(self, state: dict) -> None:
        self.images = list(state["images"])
        self.rng.setstate(state["rng"])

    def query(self, batch: torch.Tensor) -> torch.Tensor:
        out = []
        for img in batch.detach():
            if len(self.images) < self.size:
                self.images.append(img)
                out.append(img)
            elif self.rng.random() < 0.5:
                i = self.rng.randrange(self.size)
                out.append(self.images[i].to(img.device))  # a resumed pool holds CPU tensors
                self.images[i] = img
            else:
                out.append(img)
        return torch.stack(out)


def cyclegan_losses(model: CycleGAN, real_a, real_b, lambda_cycle=10.0, lambda_identity=0.5):
    """Generator losses and the fakes: adversarial (LSGAN) + cycle + identity."""
    fake_b = model.G_AB(real_a)
    fake_a = model.G_BA(real_b)
    rec_a = model.G_BA(fake_b)
    rec_b = model.G_AB(fake_a)
    adv = least_squares(model.D_B(fake_b), 1.0) + least_squares(model.D_A(fake_a), 1.0)
    cycle = F.l1_loss(rec_a, real_a) + F.l1_loss(rec_b, real_b)
    identity = F.l1_loss(model.G_AB(real_b), real_b) + F.l1_loss(model.G_BA(real_a), real_a)
    total = adv + lambda_cycle * cycle + lambda_cycle * lambda_identity * identity
    return total, {"adv": adv.item(), "cycle": cycle.item(), "identity": identity.item()}, fake_a, fake_b


COLOUR_LR_SCALE = 50  # the colour path's learning rate, relative to the rest of the generators'


def train_cyclegan(model: CycleGAN, images_a, images_b, *, iterations, batch_size=1, crop=256, lr=2e-4,
                   seed=0, out=None, save_every=200, on_save=None, log=print, device=None, precision="fp32",
                   lambda_cycle=10.0, lambda_identity=0.5):
    """The paper's loop, in periods of `save_every` iterations: after each, the resumable state is saved
    and on_save(model, iteration) called (the CLI's translation snapshots). Returns (history, seconds).
    On `device` (default CPU); the crops are drawn on the CPU from the seeded generator and moved,
    so a seed gives the same batches everywhere. The forward passes run under `precision`'s autocast
    (bf16: the official size at ~40 images/s at batch 4 on one H100). lambda_cycle weighs the cycle
    loss (the paper's 10) and lambda_identity the identity loss as a fraction of it (the paper's 0.5)."""
    colour = [q for g in (model.G_AB, model.G_BA) if g.colour is not None for q in g.colour.parameters()]
    others = [q for g in (model.G_AB, model.G_BA) for q in g.parameters() if all(q is not c for c in colour)]
    # The colour path's 12 weights per generator start at zero and need values of order 1: at Adam's
    # step of about lr per iteration that would take thousands of iterations, so they move faster.
    groups = [{"params": others}] + ([{"params": colour, "lr": lr * COLOUR_LR_SCALE}] if colour else [])
    opt_g = torch.optim.Adam(groups, lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(list(model.D_A.parameters()) + list(model.D_B.parameters()), lr=lr, betas=(0.5, 0.999))
    half = iterations // 2
    decay = lambda it: 1.0 if it < half else max(0.0, 1.0 - (it - half) / max(1, iterations - half))  # noqa: E731
    sched_g = torch.optim.lr_scheduler.LambdaLR(opt_g, decay)
    sched_d = torch.optim.lr_scheduler.LambdaLR(opt_d, decay)
    pool_a, pool_b = ImagePool(50, random.Random(seed)), ImagePool(50, random.Random(seed + 1))
    trainer = Trainer(model, seed=seed, out=out, device=device,
                      precision=precision, unit="iteration", log=log, opt_g=opt_g, opt_d=opt_d, sched_g=sched_g,
                      sched_d=sched_d, pool_a=pool_a, pool_b=pool_b)
    trainer.resume()
    gen, amp = trainer.rng, trainer.precision.autocast

    def draw():
        real_a = random_crops(images_a, torch.randint(0, len(images_a), (batch_size,), generator=gen), crop, gen)
        real_b = random_crops(images_b, torch.randint(0, len(images_b), (batch_size,), generator=gen), crop, gen)
        return real_a.to(trainer.device), real_b.to(trainer.device)

    def step(batch):
        real_a, real_b = batch
        for d in (model.D_A, model.D_B):
            d.requires_grad_(False)
        with amp():
            loss_g, parts, fake_a, fake_b = cyclegan_losses(model, real_a, real_b, lambda_cycle, lambda_identity)
        trainer.precision.step(loss_g, opt_g)
        for d in (model.D_A, model.D_B):
            d.requires_grad_(True)
        fa, fb = pool_a.query(fake_a), pool_b.query(fake_b)
        with amp():
            loss_d = d_loss("least-squares", model.D_A(real_a), model.D_A(fa)) \
                + d_loss("least-squares", model.D_B(real_b), model.D_B(fb))
        trainer.precision.step(loss_d, opt_d)
        sched_g.step()
        sched_d.step()
        return {**parts, "d": loss_d.item()}

    periods = -(-iterations // save_every)
    done_after = lambda p: min((p + 1) * save_every, iterations)  # noqa: E731
    first = lambda p: p * save_every  # noqa: E731
    return trainer.fit(periods, lambda p: Batches(done_after(p) - first(p), draw), step, mark=done_after,
                       on_period=(lambda p: on_save(model, done_after(p))) if on_save else None)
