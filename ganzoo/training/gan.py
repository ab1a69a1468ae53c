"""Training the 28x28 GANs: one D step then one G step per batch, Adam, seeded, resumable, on one
process or several (torchrun, ganzoo.training.distributed).

The discriminator's loss is the course's cross-entropy with the real label smoothed (ganzoo.losses);
the generator's is the non-saturating -ln D(G(z)).
"""

import time

import torch
import torch.nn.functional as F

from ganzoo.losses import d_loss, g_loss
from ganzoo.seed import set_seed
from ganzoo.training import distributed
from ganzoo.training.state import TrainingState, shuffled_batches


def _judged(model, images, labels, aux):
    """D's logits, and with an auxiliary-classifier D the cross-entropy of its class guess against
    `labels` (else 0)."""
    if not aux:
        return model.discriminate(images, labels), 0.0
    logits, class_logits = model.discriminate(images, labels, classes=True)
    return logits, F.cross_entropy(class_logits.float(), labels)


def gan_step(model, opt_g, opt_d, real, labels, generator, smooth, bf16=False, world=distributed.World()):
    """One discriminator step then one generator step on this rank's shard of the batch; returns
    (loss_d, loss_g). The noise and fake labels of the whole batch come from the seeded CPU generator
    (the same stream on every rank and device) before the shard is taken and moved to the device.
    With bf16, the forward passes run under bf16 autocast (weights, gradients and Adam stay fp32).
    With an auxiliary-classifier D (AC-GAN), D also learns to name the class of real and fake
    images, and G to make its images name the class asked for."""
    n = real.shape[0]
    z = world.shard(model.sample_noise(n, generator)).to(world.device)
    fake_labels = world.shard(torch.randint(0, 10, (n,), generator=generator)).to(world.device) \
        if model.conditional else None
    real, labels = world.shard(real).to(world.device), world.shard(labels).to(world.device)
    amp = torch.autocast(world.device.type, dtype=torch.bfloat16, enabled=bf16)
    aux = getattr(model, "auxiliary", False)
    with amp:
        fake = model(z, fake_labels)
        real_out, real_class_loss = _judged(model, real, labels, aux)
        fake_out, fake_class_loss = _judged(model, fake.detach(), fake_labels, aux)
        loss_d = d_loss("non-saturating", real_out, fake_out, smooth) + real_class_loss + fake_class_loss
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    with amp:
        fake_out, fake_class_loss = _judged(model, fake, fake_labels, aux)
        loss_g = g_loss("non-saturating", fake_out) + fake_class_loss
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()


def generator_ema(model, decay):
    """An exponential moving average of G's weights and BatchNorm statistics (Karras et al. 2018;
    Yazici et al. 2019): the averaged generator draws cleaner samples than the last iterate."""
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
    return AveragedModel(model.generator, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)


def with_ema_generator(model, ema):
    """A copy of the GAN whose generator holds the averaged weights: what gets saved and shipped."""
    import copy
    out = copy.deepcopy(model)
    if ema is not None:
        out.generator.load_state_dict(ema.module.state_dict())
    return out.eval()


def train_gan(model, images, labels, *, epochs, batch_size, lr, seed, smooth, d_lr=None, out=None, bf16=False,
              ema_decay=0.0, on_epoch=None, log=print, world=None):
    """Adam(betas=(0.5, 0.999)) on both networks, D at d_lr (default lr); resumes from out/training_state.pt
    (written by rank 0; any number of processes resumes from it). `world` (default: distributed.join())
    says which process this is, of how many, and on which device.
    Convolution weights are channels_last, oneDNN's fast layout (1.4x here, benchmarks/training.py),
    unless the model says otherwise (the StyleGAN's instance norms run faster in the default layout).
    With ema_decay > 0 the returned model's generator is the moving average of G."""
    world = world or distributed.join()
    set_seed(seed)
    model.to(world.device)
    if getattr(model, "channels_last", True):
        model.to(memory_format=torch.channels_last)
    if not world.main:
        on_epoch, log = None, lambda *_: None  # rank 0 alone writes and logs
    generator = torch.Generator().manual_seed(seed)
    opt_g = torch.optim.Adam(model.generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr=d_lr or lr, betas=(0.5, 0.999))
    ema = generator_ema(model, ema_decay) if ema_decay else None
    state = TrainingState(out, generator, writes=world.main, model=model, opt_g=opt_g, opt_d=opt_d, ema=ema)
    progress = state.resume()  # every rank from the same file, so every replica starts equal
    history, start_epoch, elapsed = progress.get("history", []), progress.get("epoch", 0), progress.get("elapsed", 0.0)
    if progress:
        # The learning rates asked for now apply from here on (a resumed run may lower them).
        for opt, rate in ((opt_g, lr), (opt_d, d_lr or lr)):
            for group in opt.param_groups:
                group["lr"] = rate
        log(f"resuming after epoch {start_epoch}")
    model.train()
    replica = distributed.replicate(model, world)  # G and D under DDP when there are several processes
    for epoch in range(start_epoch, epochs):
        t0 = time.perf_counter()
        steps = len(images) // batch_size
        sums = [0.0, 0.0]
        for idx in shuffled_batches(len(images), batch_size, generator, f"epoch {epoch + 1}/{epochs}",
                                    quiet=not world.main):
            ld, lg = gan_step(replica, opt_g, opt_d, images[idx], labels[idx], generator, smooth, bf16, world)
            if ema is not None:
                ema.update_parameters(model.generator)
            sums[0] += ld
            sums[1] += lg
        elapsed += time.perf_counter() - t0
        sums = [distributed.mean_over_ranks(s, world) for s in sums]
        history.append({"epoch": epoch + 1, "loss_d": sums[0] / steps, "loss_g": sums[1] / steps})
        log(f"epoch {epoch + 1}: loss_d {sums[0] / steps:.3f} loss_g {sums[1] / steps:.3f} ({elapsed:.0f}s)")
        state.save(history=history, epoch=epoch + 1, elapsed=elapsed)
        if on_epoch:
            on_epoch(with_ema_generator(model, ema), epoch + 1)
    model.eval()
    if ema is not None:
        model.generator.load_state_dict(ema.module.state_dict())
    distributed.share_buffers(model, world)
    return history, elapsed
