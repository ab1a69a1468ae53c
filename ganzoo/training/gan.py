"""Training the 28x28 GANs: one D step then one G step per batch, Adam, seeded, resumable, on one
process or several (torchrun, ganzoo.training.distributed), through the training engine.

The discriminator's loss is the course's cross-entropy with the real label smoothed (ganzoo.maths.losses);
the generator's is the non-saturating -ln D(G(z)). `loss="hinge"` trains with the hinge loss instead
(SN-GAN's and BigGAN's, usually with a spectrally normalised D). With `top_k` < 1 the generator
learns only from the fakes D scores highest (Sinha et al., "Top-k Training of GANs", NeurIPS 2020).
"""

import math

import torch
import torch.nn.functional as F

from ganzoo.maths.losses import d_loss, g_loss
from ganzoo.training import distributed
from ganzoo.training.engine import Precision, Trainer, shuffled_batches

LOSSES = ("non-saturating", "hinge")  # what train_gan accepts (ganzoo.maths.losses has them all)


def _judged(model, images, labels, aux):
    """D's logits, and with an auxiliary-classifier D the cross-entropy of its class guess against
    `labels` (else 0)."""
    if not aux:
        return model.discriminate(images, labels), 0.0
    logits, class_logits = model.discriminate(images, labels, classes=True)
    return logits, F.cross_entropy(class_logits.float(), labels)


def top_k_rate(epoch, floor, decay=0.99):
    """The share of each batch's fakes G learns from in `epoch` (from 0): all of them at first, then
    decay**epoch, never under `floor` (Sinha et al. 2020: decay 0.99 an epoch, floor 0.5). Early on
    D's favourites are no better than the rest; later the worst fakes' gradients point G at no mode."""
    return max(floor, decay ** epoch)


def check_top_k(top_k, decay) -> None:
    """ValueError unless both are shares in (0, 1] (train_gan and the CLI ask the same)."""
    if not (0 < top_k <= 1 and 0 < decay <= 1):
        raise ValueError(f"top_k and top_k_decay are shares in (0, 1], got {top_k:g} and {decay:g}")


def top_k_fakes(fake_out, rate):
    """D's scores of the ceil(rate x n) fakes it scores highest: the ones G's loss is taken on."""
    k = math.ceil(rate * len(fake_out))
    return fake_out if k >= len(fake_out) else fake_out.topk(k, dim=0).values


def gan_step(model, opt_g, opt_d, real, labels, generator, smooth, precision=Precision(), world=distributed.World(),
             loss="non-saturating", top_k=1.0):
    """One discriminator step then one generator step on this rank's shard of the batch; returns
    (loss_d, loss_g). The noise and fake labels of the whole batch come from the seeded CPU generator
    (the same stream on every rank and device) before the shard is taken and moved to the device.
    The forward passes run under `precision`'s autocast (ganzoo.training.engine.Precision).
    With an auxiliary-classifier D (AC-GAN), D also learns to name the class of real and fake
    images, and G to make its images name the class asked for. An InfoGAN (model.codes) does the
    same with each fake's categorical code and never reads the real labels; a self-conditioned
    GAN's D reads each real image's cluster (`labels` are then the clusters, not the digits) and
    each fake's code, as a conditional D reads the label. With `top_k` < 1, G's adversarial loss is
    taken on that share of this rank's fakes, those D scores highest (top_k_fakes)."""
    n = real.shape[0]
    z = world.shard(model.sample_noise(n, generator)).to(world.device)
    fake_labels = world.shard(torch.randint(0, 10, (n,), generator=generator)).to(world.device) \
        if model.conditional else None
    real, labels = world.shard(real).to(world.device), world.shard(labels).to(world.device)
    amp = precision.autocast()
    aux = getattr(model, "auxiliary", False)
    info = getattr(model, "codes", 0)
    if info:  # InfoGAN: fakes are judged on the code they were drawn with; real labels stay unused
        fake_labels = model.code_of(z)
    with amp:
        fake = model(z, None if info else fake_labels)
        real_out, real_class_loss = _judged(model, real, labels, aux and not info)
        fake_out, fake_class_loss = _judged(model, fake.detach(), fake_labels, aux)
        loss_d = d_loss(loss, real_out, fake_out, smooth) + real_class_loss + fake_class_loss
    precision.step(loss_d, opt_d)
    with amp:
        fake_out, fake_class_loss = _judged(model, fake, fake_labels, aux)
        loss_g = g_loss(loss, top_k_fakes(fake_out, top_k)) + fake_class_loss
    precision.step(loss_g, opt_g)
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


def train_gan(model, images, labels, *, epochs, batch_size, lr, seed, smooth, d_lr=None, out=None,
              precision="fp32", ema_decay=0.0, on_epoch=None, log=print, world=None, loss="non-saturating",
              top_k=1.0, top_k_decay=0.99):
    """Adam(betas=(0.5, 0.999)) on both networks, D at d_lr (default lr); resumes from out/training_state.pt
    (written by rank 0; any number of processes resumes from it). `world` (default: distributed.join())
    says which process this is, of how many, and on which device.
    Convolution weights are channels_last, oneDNN's fast layout (1.4x here, benchmarks/training.py),
    unless the model says otherwise (the StyleGAN's instance norms run faster in the default layout).
    With ema_decay > 0 the returned model's generator is the moving average of G. `loss`: the
    non-saturating cross-entropy or "hinge" (ganzoo.maths.losses). `top_k` < 1: G learns from the share
    top_k_rate(epoch, top_k, top_k_decay) of the fakes, those D scores highest (the epoch counted
    from this run's start, so a warm start anneals again; a resumed run goes on where it stopped)."""
    if loss not in LOSSES:
        raise ValueError(f"the 28x28 GANs train with one of {LOSSES}, not {loss!r}")
    check_top_k(top_k, top_k_decay)
    world = world or distributed.join()
    opt_g = torch.optim.Adam(model.generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr=d_lr or lr, betas=(0.5, 0.999))
    trainer = Trainer(model, seed=seed, out=out, world=world, precision=precision, log=log, opt_g=opt_g, opt_d=opt_d)
    if getattr(model, "channels_last", True):
        model.to(memory_format=torch.channels_last)
    ema = generator_ema(model, ema_decay) if ema_decay else None  # a copy of G as placed
    trainer.keep(ema=ema)
    if trainer.resume():
        # The learning rates asked for now apply from here on (a resumed run may lower them).
        for opt, rate in ((opt_g, lr), (opt_d, d_lr or lr)):
            for group in opt.param_groups:
                group["lr"] = rate
    replica = distributed.replicate(model, world)  # G and D under DDP when there are several processes

    rate = [1.0]  # this epoch's top-k share, set as each epoch's batches are drawn

    def batches(epoch):
        rate[0] = top_k_rate(epoch, top_k, top_k_decay)
        return shuffled_batches(len(images), batch_size, trainer.rng)

    def step(idx):
        loss_d, loss_g = gan_step(replica, opt_g, opt_d, images[idx], labels[idx], trainer.rng, smooth,
                                  trainer.precision, world, loss, rate[0])
        if ema is not None:
            ema.update_parameters(model.generator)
        return {"loss_d": loss_d, "loss_g": loss_g}

    def snapshot(period):
        if on_epoch and world.main:  # rank 0 alone writes
            on_epoch(with_ema_generator(model, ema), period + 1)

    history, elapsed = trainer.fit(epochs, batches, step, on_period=snapshot)
    if ema is not None:
        model.generator.load_state_dict(ema.module.state_dict())
    distributed.share_buffers(model, world)
    return history, elapsed
