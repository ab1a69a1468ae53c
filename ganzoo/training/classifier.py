"""Training the judges: the MNIST classifier (digits) and the painting-or-photo classifier."""

import torch
import torch.nn.functional as F

from ganzoo.io.data import random_crops
from ganzoo.runtime.device import device_of
from ganzoo.training.engine import Batches, Trainer, shuffled_batches


def _shift(x, generator, pixels=2):
    """Random translations by up to `pixels`: the augmentation the classifier trains with."""
    padded = F.pad(x, (pixels,) * 4, value=-1.0)
    dx, dy = torch.randint(0, 2 * pixels + 1, (2,), generator=generator).tolist()
    return padded[:, :, dy:dy + x.shape[2], dx:dx + x.shape[3]]


@torch.no_grad()
def accuracy(model, images, labels, batch_size=1000):
    model.eval()
    device = device_of(model)
    correct = sum((model(images[i:i + batch_size].to(device)).argmax(1).cpu() == labels[i:i + batch_size]).sum().item()
                  for i in range(0, len(images), batch_size))
    return correct / len(images)


def train_classifier(model, images, labels, *, epochs, batch_size, lr, seed, out=None, log=print, device=None):
    """AdamW with a one-cycle schedule, on `device` (default CPU), resumable from out/training_state.pt;
    the shifts are drawn on the CPU. Returns the seconds trained."""
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * (len(images) // batch_size))
    trainer = Trainer(model, seed=seed, out=out, device=device, log=log,
                      opt=opt, sched=sched)
    trainer.resume()

    def step(idx):
        x, y = _shift(images[idx], trainer.rng).to(trainer.device), labels[idx].to(trainer.device)
        loss = F.cross_entropy(model(x), y)
        trainer.precision.step(loss, opt)
        sched.step()
        return {"loss": loss.item()}

    _, elapsed = trainer.fit(epochs, lambda _: shuffled_batches(len(images), batch_size, trainer.rng), step)
    return elapsed


def train_painting_judge(model, paintings, photos, *, epochs, batch_size, lr, seed, log=print, device=None):
    """Balanced batches (half paintings, half photos) of random 128x128 crops at the images'
    own scale, randomly flipped: the judge learns brushwork, not composition. On `device`
    (default CPU); the crops are drawn on the CPU. Returns the seconds trained."""
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    half = batch_size // 2
    steps = len(photos) // half
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps)
    trainer = Trainer(model, seed=seed, device=device, log=log)
    gen = trainer.rng

    def draw():
        xa = random_crops(paintings, torch.randint(0, len(paintings), (half,), generator=gen), 128, gen)
        xb = random_crops(photos, torch.randint(0, len(photos), (half,), generator=gen), 128, gen)
        return torch.cat([xa, xb]), torch.cat([torch.ones(half), torch.zeros(half)])

    def step(batch):
        x, y = (t.to(trainer.device) for t in batch)
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        trainer.precision.step(loss, opt)
        sched.step()
        return {"loss": loss.item()}

    _, elapsed = trainer.fit(epochs, lambda _: Batches(steps, draw), step)
    return elapsed


@torch.no_grad()
def judge_accuracy(model, paintings, photos) -> tuple[float, float]:
    """Share of real paintings judged paintings, share of real photos judged photos."""
    model.eval()
    to_float = lambda x: x.to(device_of(model)).float() / 127.5 - 1  # noqa: E731
    return ((model(to_float(paintings)) > 0).float().mean().item(),
            (model(to_float(photos)) <= 0).float().mean().item())
