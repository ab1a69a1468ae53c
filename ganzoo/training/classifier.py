"""Training the judges: the MNIST classifier (digits) and the painting-or-photo classifier."""

import time

import torch
import torch.nn.functional as F

from ganzoo.data import random_crops
from ganzoo.device import device_of
from ganzoo.seed import set_seed
from ganzoo.training.state import TrainingState, on_device, shuffled_batches


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
    """AdamW with a one-cycle schedule, on `device` (default CPU); the shifts are drawn on the CPU."""
    set_seed(seed)
    device = on_device(model, device)
    generator = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = len(images) // batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps)
    state = TrainingState(out, generator, model=model, opt=opt, sched=sched)
    progress = state.resume()
    start_epoch, elapsed = progress.get("epoch", 0), progress.get("elapsed", 0.0)
    for epoch in range(start_epoch, epochs):
        t0 = time.perf_counter()
        model.train()
        for idx in shuffled_batches(len(images), batch_size, generator, f"epoch {epoch + 1}/{epochs}"):
            loss = F.cross_entropy(model(_shift(images[idx], generator).to(device)), labels[idx].to(device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        elapsed += time.perf_counter() - t0
        log(f"epoch {epoch + 1}: loss {loss.item():.4f} ({elapsed:.0f}s)")
        state.save(epoch=epoch + 1, elapsed=elapsed)
    model.eval()
    return elapsed


def train_painting_judge(model, paintings, photos, *, epochs, batch_size, lr, seed, log=print, device=None):
    """Balanced batches (half paintings, half photos) of random 128x128 crops at the images'
    own scale, randomly flipped: the judge learns brushwork, not composition. On `device`
    (default CPU); the crops are drawn on the CPU."""
    set_seed(seed)
    device = on_device(model, device)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    half = batch_size // 2
    steps = len(photos) // half
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps)
    model.train()
    start = time.perf_counter()
    for epoch in range(epochs):
        for _ in range(steps):
            xa = random_crops(paintings, torch.randint(0, len(paintings), (half,), generator=gen), 128, gen)
            xb = random_crops(photos, torch.randint(0, len(photos), (half,), generator=gen), 128, gen)
            y = torch.cat([torch.ones(half), torch.zeros(half)])
            loss = F.binary_cross_entropy_with_logits(model(torch.cat([xa, xb]).to(device)), y.to(device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        log(f"epoch {epoch + 1}: loss {loss.item():.4f}")
    model.eval()
    return time.perf_counter() - start


@torch.no_grad()
def judge_accuracy(model, paintings, photos) -> tuple[float, float]:
    """Share of real paintings judged paintings, share of real photos judged photos."""
    model.eval()
    to_float = lambda x: x.to(device_of(model)).float() / 127.5 - 1  # noqa: E731
    return ((model(to_float(paintings)) > 0).float().mean().item(),
            (model(to_float(photos)) <= 0).float().mean().item())
