"""Training CycleGAN with the paper's recipe, sized for a CPU.

Least-squares GAN loss, cycle-consistency weight 10, identity weight 0.5 x 10, a 50-image pool of
past fakes for the discriminators, Adam(2e-4, betas=(0.5, 0.999)) with the learning rate constant
for the first half of the iterations and decaying linearly to 0 over the second. Trains on random
crops of the full-resolution images, so textures are learned at the scale they are shown.
Resumable: training_state.pt beside the checkpoint, saved every `save_every` iterations.
"""

import random
import time

import torch
import torch.nn.functional as F
from tqdm import tqdm

from ganzoo.data import random_crops
from ganzoo.losses import d_loss, least_squares
from ganzoo.models.cyclegan import CycleGAN
from ganzoo.seed import set_seed
from ganzoo.training.state import TrainingState, on_device


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


def train_cyclegan(model: CycleGAN, images_a, images_b, *, iterations, batch_size=1, crop=256, lr=2e-4,
                   seed=0, out=None, save_every=200, on_save=None, log=print, device=None, bf16=False):
    """The paper's loop; saves the resumable state every `save_every` iterations and then calls
    on_save(model, iteration) (the CLI's translation snapshots). Returns (history, seconds).
    On `device` (default CPU); the crops are drawn on the CPU from the seeded generator and moved,
    so a seed gives the same batches everywhere. With bf16, the forward passes run under bf16
    autocast (the official size: ~40 images/s at batch 4 on one H100)."""
    set_seed(seed)
    device = on_device(model, device)
    amp = torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16)
    gen = torch.Generator().manual_seed(seed)
    opt_g = torch.optim.Adam(list(model.G_AB.parameters()) + list(model.G_BA.parameters()), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(list(model.D_A.parameters()) + list(model.D_B.parameters()), lr=lr, betas=(0.5, 0.999))
    half = iterations // 2
    decay = lambda it: 1.0 if it < half else max(0.0, 1.0 - (it - half) / max(1, iterations - half))  # noqa: E731
    sched_g = torch.optim.lr_scheduler.LambdaLR(opt_g, decay)
    sched_d = torch.optim.lr_scheduler.LambdaLR(opt_d, decay)
    pool_a, pool_b = ImagePool(50, random.Random(seed)), ImagePool(50, random.Random(seed + 1))
    state = TrainingState(out, gen, model=model, opt_g=opt_g, opt_d=opt_d, sched_g=sched_g, sched_d=sched_d,
                          pool_a=pool_a, pool_b=pool_b)
    progress = state.resume()
    start, elapsed, history = progress.get("iteration", 0), progress.get("elapsed", 0.0), progress.get("history", [])
    if progress:
        log(f"resuming at iteration {start}")
    model.train()
    t0 = time.perf_counter()
    sums = {"adv": 0.0, "cycle": 0.0, "identity": 0.0, "d": 0.0}
    bar = tqdm(range(start, iterations), initial=start, total=iterations, mininterval=10)
    for it in bar:
        real_a = random_crops(images_a, torch.randint(0, len(images_a), (batch_size,), generator=gen), crop, gen)
        real_b = random_crops(images_b, torch.randint(0, len(images_b), (batch_size,), generator=gen), crop, gen)
        real_a, real_b = real_a.to(device), real_b.to(device)
        for d in (model.D_A, model.D_B):
            d.requires_grad_(False)
        with amp:
            loss_g, parts, fake_a, fake_b = cyclegan_losses(model, real_a, real_b)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        for d in (model.D_A, model.D_B):
            d.requires_grad_(True)
        fa, fb = pool_a.query(fake_a), pool_b.query(fake_b)
        with amp:
            loss_d = d_loss("least-squares", model.D_A(real_a), model.D_A(fa)) \
                + d_loss("least-squares", model.D_B(real_b), model.D_B(fb))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        sched_g.step()
        sched_d.step()
        for k, v in parts.items():
            sums[k] += v
        sums["d"] += loss_d.item()
        done = it + 1
        if done % save_every == 0 or done == iterations:
            elapsed += time.perf_counter() - t0
            t0 = time.perf_counter()
            n = save_every if done % save_every == 0 else done % save_every
            history.append({"iteration": done, **{k: v / n for k, v in sums.items()}})
            sums = dict.fromkeys(sums, 0.0)
            log(f"it {done}: " + " ".join(f"{k} {v:.3f}" for k, v in history[-1].items() if k != "iteration")
                + f" ({elapsed / 60:.1f} min)")
            state.save(iteration=done, elapsed=elapsed, history=history)
            if on_save:
                on_save(model, done)
    model.eval()
    return history, elapsed
