"""Training the 28x28 GANs (ganzoo.training.gan): the step, its losses, top-k training, and what
the auxiliary, InfoGAN and self-conditioned discriminators learn."""

import copy

import numpy as np
import pytest
import torch

from ganzoo.models.mnist import MnistGAN
from ganzoo.training.gan import gan_step, top_k_rate, train_gan
from tests.unit.synthetic_mnist import synthetic_digits, train_steps


@pytest.mark.parametrize("arch,lr,head", [("dense", 2e-4, "plain"), ("dcgan", 1e-3, "plain"),
                                         ("conditional", 1e-3, "plain"), ("dcgan", 1e-3, "minibatch-std"),
                                         ("conditional", 1e-3, "projection"), ("conditional", 1e-3, "auxiliary")])
def test_a_few_steps_lower_the_discriminator_loss(arch, lr, head):
    torch.manual_seed(0)
    model = MnistGAN(arch, latent_dim=16, width=8, **({} if arch == "dense" else {"d_head": head}))
    images, labels = synthetic_digits()
    opt_g = torch.optim.Adam(model.generator.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(0)
    batches = [slice(i * 64, (i + 1) * 64) for i in range(8)]
    losses = [gan_step(model, opt_g, opt_d, images[b], labels[b], g, 0.9)[0] for b in batches * 4]
    # Early on D learns faster than G: its loss falls well below where it started.
    assert np.mean(losses[-5:]) < 0.85 * np.mean(losses[:5])


def test_gan_step_with_the_hinge_loss_returns_the_hinge_losses_of_its_outputs():
    torch.manual_seed(0)
    model = MnistGAN("dcgan", latent_dim=16, width=8, d_norm="spectral").eval()  # eval: no power-iteration update
    before = copy.deepcopy(model)
    images, labels = synthetic_digits(64)
    opt_g = torch.optim.Adam(model.generator.parameters(), 1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), 1e-3, betas=(0.5, 0.999))
    loss_d, loss_g = gan_step(model, opt_g, opt_d, images, labels, torch.Generator().manual_seed(5), 0.9, loss="hinge")
    with torch.no_grad():
        fake = before(before.sample_noise(64, torch.Generator().manual_seed(5)))
        real_out, fake_out = before.discriminate(images), before.discriminate(fake)
        after_d = model.discriminate(fake)  # G's step reads the D that its own step just updated
    hinge = torch.relu(1 - real_out).mean() + torch.relu(1 + fake_out).mean()
    cross_entropy = torch.nn.functional.softplus(-real_out).mean() + torch.nn.functional.softplus(fake_out).mean()
    assert loss_d == pytest.approx(hinge.item(), abs=1e-5) and abs(hinge - cross_entropy) > 0.1
    assert loss_g == pytest.approx(-after_d.mean().item(), abs=1e-5)
    with pytest.raises(ValueError):
        train_gan(model, images, labels, epochs=1, batch_size=64, lr=1e-3, seed=0, smooth=0.9, loss="wgan-gp")


def test_top_k_training_takes_g_loss_on_the_fakes_d_scores_highest():
    assert top_k_rate(0, 0.5) == 1 and top_k_rate(3, 0.5, 0.9) == pytest.approx(0.729)
    assert top_k_rate(10, 0.5, 0.9) == 0.5 and top_k_rate(200, 0.5) == 0.5
    torch.manual_seed(0)
    model = MnistGAN("dcgan", latent_dim=16, width=8)
    images, labels = synthetic_digits(64)
    train_steps(model, images, labels, 20)  # a D whose scores spread
    before = copy.deepcopy(model)  # training mode: batch statistics, so the same batch scores the same
    opt_g = torch.optim.Adam(model.generator.parameters(), 1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), 1e-3, betas=(0.5, 0.999))
    _, loss_g = gan_step(model, opt_g, opt_d, images, labels, torch.Generator().manual_seed(5), 0.9, top_k=0.3)
    with torch.no_grad():
        fake = before(before.sample_noise(64, torch.Generator().manual_seed(5)))
        after_d = model.discriminate(fake)  # the D its own step just updated
    best = torch.nn.functional.softplus(-after_d.topk(20).values).mean()  # ceil(0.3 x 64) = 20
    assert loss_g == pytest.approx(best.item(), abs=1e-5)
    assert best < torch.nn.functional.softplus(-after_d).mean() - 0.05  # the worst fakes are left out
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError):
            train_gan(model, images, labels, epochs=1, batch_size=64, lr=1e-3, seed=0, smooth=0.9, top_k=bad)


def test_train_gan_anneals_top_k_from_every_fake_to_its_floor():
    images, labels = synthetic_digits(128)

    def trained(epochs, **top_k):
        torch.manual_seed(0)
        model = MnistGAN("dcgan", latent_dim=16, width=8)
        train_gan(model, images, labels, epochs=epochs, batch_size=64, lr=1e-3, seed=0, smooth=0.9, log=lambda _: None,
                  **top_k)
        return model.generator.state_dict()

    def gap(a, b):  # the largest weight difference (a tolerance, not equality: GPU kernels may round apart)
        return max((a[k].float() - b[k].float()).abs().max().item() for k in a)

    assert gap(trained(1), trained(1, top_k=0.5, top_k_decay=0.5)) < 1e-5  # epoch 0 learns from every fake
    assert gap(trained(2), trained(2, top_k=0.5, top_k_decay=0.5)) > 1e-3  # epoch 1 from the best half


def test_auxiliary_head_learns_to_name_the_class_and_never_sees_the_label():
    torch.manual_seed(0)
    model = MnistGAN("conditional", latent_dim=16, width=8, d_head="auxiliary")
    images, labels = synthetic_digits(256)
    with torch.no_grad():  # the label does not enter D: the same logits whatever it is
        a = model.discriminate(images[:8], labels[:8], classes=True)
        b = model.discriminate(images[:8], (labels[:8] + 3) % 10, classes=True)
    assert all(torch.equal(u, v) for u, v in zip(a, b))
    train_steps(model, images, labels, 60)
    with torch.no_grad():
        _, class_logits = model.discriminate(images, labels, classes=True)  # training-mode BatchNorm
    # The bars' position gives the class: after 60 steps D names most of them.
    assert (class_logits.argmax(1) == labels).float().mean() > 0.5


def test_infogan_never_reads_real_labels_and_learns_to_name_its_codes():
    images, labels = synthetic_digits(256)

    def trained(real_labels):
        torch.manual_seed(0)
        return train_steps(MnistGAN("dcgan", latent_dim=16, width=8, codes=10), images, real_labels, 80)

    model = trained(labels)
    other = trained(torch.zeros_like(labels))
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), other.state_dict().values()))
    z = model.sample_noise(500, torch.Generator().manual_seed(1))
    with torch.no_grad():
        _, code_logits = model.discriminate(model(z), classes=True)
    # Mutual information at work: D's head reads back which code drew each fake, far above chance (10%).
    assert (code_logits.argmax(1) == model.code_of(z)).float().mean() > 0.5


def test_self_conditioned_d_judges_each_image_with_its_cluster():
    images, labels = synthetic_digits(256)  # the labels stand for clusters here

    def trained(real_labels):
        torch.manual_seed(0)
        return train_steps(MnistGAN("dcgan", latent_dim=16, width=8, codes=10, code_weights=[0.1] * 10), images,
                           real_labels, 60)

    model = trained(labels)
    other = trained(torch.zeros_like(labels))
    # Unlike the InfoGAN's, its training reads the real images' clusters...
    assert not all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), other.state_dict().values()))
    with torch.no_grad():  # ... and D finds a real image more real beside its own cluster than another
        own = model.discriminate(images, labels)
        wrong = model.discriminate(images, (labels + 5) % 10)
    assert (own - wrong).mean() > 0.5
