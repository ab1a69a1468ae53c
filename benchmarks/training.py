"""DCGAN training throughput: ganzoo.training.gan.gan_step (channels_last, as train_gan runs it; and with
--bf16) against a plain fp32 loop over the same networks and batch, in the same process. And a
self-conditioned D's step (100 clusters) with its label maps picked per label
(DCGANDiscriminator.first_layer_with_planes) against convolving 100 one-hot planes, as it did before.

python -m benchmarks.training
"""

import time

import torch
import torch.nn.functional as F

from benchmarks.timing import Row, print_rows
from ganzoo.models.mnist import MnistGAN
from ganzoo.training.commands.gans import GAN_DEFAULTS
from ganzoo.training.engine import Precision
from ganzoo.training.gan import gan_step

BATCH = 128


def fresh(channels_last):
    torch.manual_seed(0)
    d = GAN_DEFAULTS["dcgan"]
    model = MnistGAN("dcgan", latent_dim=d["latent_dim"], width=d["width"]).train()
    if channels_last:
        model.to(memory_format=torch.channels_last)
    adam = dict(lr=2e-4, betas=(0.5, 0.999))
    return (
        model,
        torch.optim.Adam(model.generator.parameters(), **adam),
        torch.optim.Adam(model.discriminator.parameters(), **adam),
    )


def images_per_second(step, steps, batch=BATCH):
    """Throughput of step() (one batch each) over `steps` calls, after 3 warm-up calls."""
    for _ in range(3):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - start)


def measure(steps=20):
    real = torch.rand(BATCH, 1, 28, 28) * 2 - 1
    labels = torch.zeros(BATCH, dtype=torch.long)
    ones, zeros = torch.ones(BATCH), torch.zeros(BATCH)

    model, opt_g, opt_d = fresh(channels_last=False)

    def plain():  # the textbook loop: fp32, default layout
        fake = model.generator(torch.randn(BATCH, model.latent_dim))
        loss_d = F.binary_cross_entropy_with_logits(model.discriminator(real), ones) \
            + F.binary_cross_entropy_with_logits(model.discriminator(fake.detach()), zeros)
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = F.binary_cross_entropy_with_logits(model.discriminator(fake), ones)
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    base = images_per_second(plain, steps)
    rows = []
    from ganzoo.runtime.device import native_bf16_training
    emulated = not native_bf16_training(torch.device("cpu"))
    # Where bf16 is emulated, `--bf16` trains in fp32; the row still shows what it would have cost.
    bf16_name = "bf16 emulated: what --bf16 refuses on this CPU" if emulated else "--bf16"
    for name, precision in (("fp32", "fp32"), (bf16_name, "bf16")):
        ours_model, ours_g, ours_d = fresh(channels_last=True)
        gen = torch.Generator().manual_seed(0)
        ours = images_per_second(lambda: gan_step(ours_model, ours_g, ours_d, real, labels, gen, 0.9,
                                                  Precision(precision)), steps)
        rows.append(Row(f"DCGAN training ({name}, batch {BATCH})", ours, "plain fp32 loop", base, "images/s"))
    return rows + [self_conditioned_d_row(real, steps)]


def self_conditioned_d_row(real, steps, clusters=100):
    """Forward and backward of the width-64 self-conditioned D (as runs/mnist-scgan-k100-w64 trains it)."""
    from ganzoo.models.mnist import DCGANDiscriminator
    torch.manual_seed(0)
    d = DCGANDiscriminator(width=64, num_classes=clusters).train()
    labels = torch.randint(0, clusters, (BATCH,))

    def planes():  # the one-hot planes beside the image, convolved
        onehot = F.one_hot(labels, clusters).to(real.dtype)[:, :, None, None].expand(-1, -1, *real.shape[2:])
        d.net[-1](d.net[:-1](torch.cat([real, onehot], 1))).sum().backward()

    ours = images_per_second(lambda: d(real, labels).sum().backward(), steps)
    return Row(f"self-conditioned DCGAN discriminator, {clusters} clusters: forward and backward (fp32, batch {BATCH})",
               ours, f"its {clusters} one-hot planes convolved", images_per_second(planes, steps), "images/s")


if __name__ == "__main__":
    print(f"torch threads: {torch.get_num_threads()}")
    print_rows(measure())
