"""The VAE: its two ELBO terms against torch's own distributions, the reparameterisation trick,
training that learns and resumes exactly, and the shipped model loading and reconstructing."""

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from ganzoo.io import checkpoints
from ganzoo.maths.losses import vae_terms
from ganzoo.models.mnist import MnistGAN
from ganzoo.models.vae import ConvVAE
from ganzoo.training.vae import elbo_terms, train_vae, vae_step
from tests.unit.synthetic_mnist import synthetic_digits
from tests.unit.test_training_state import Interrupted, interrupt_after_first_save, same_weights


def test_vae_terms_match_torch_distributions():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(5, 1, 28, 28, generator=g)
    images = torch.rand(5, 1, 28, 28, generator=g) * 2 - 1
    mu, logvar = torch.randn(5, 8, generator=g), torch.randn(5, 8, generator=g)
    reconstruction, kl = vae_terms(logits, images, mu, logvar)
    by_hand = F.binary_cross_entropy(torch.sigmoid(logits), (images + 1) / 2, reduction="sum") / 5
    assert torch.allclose(reconstruction, by_hand, rtol=1e-4)
    q, prior = Normal(mu, (0.5 * logvar).exp()), Normal(torch.zeros(8), torch.ones(8))
    assert torch.allclose(kl, kl_divergence(q, prior).sum(1).mean(), rtol=1e-5)
    assert vae_terms(logits, images, torch.zeros(5, 8), torch.zeros(5, 8))[1] == 0  # q = prior: no KL


def shapes(module):
    return [p.shape for p in module.parameters()]


def test_decoder_is_the_dcgan_generator_and_samples_live_in_image_range():
    vae, gan = ConvVAE(latent_dim=16, width=8), MnistGAN("dcgan", latent_dim=16, width=8)
    assert shapes(vae.decoder) == shapes(gan.generator)  # the same capacity: only the objective differs
    images = vae(vae.sample_noise(6, torch.Generator().manual_seed(1)))
    assert images.shape == (6, 1, 28, 28) and images.min() >= -1 and images.max() <= 1
    assert torch.equal(vae.sample_noise(3, torch.Generator().manual_seed(2)),
                       vae.sample_noise(3, torch.Generator().manual_seed(2)))


def test_gradients_reach_the_encoder_through_the_sampled_code():
    torch.manual_seed(0)
    vae = ConvVAE(latent_dim=8, width=4)
    images, _ = synthetic_digits(16)
    vae_step(vae, torch.optim.SGD(vae.parameters(), lr=0.0), images, torch.Generator().manual_seed(0))
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in vae.encoder.parameters())


def test_training_lowers_the_negative_elbo_and_resumes_exactly(tmp_path, monkeypatch):
    images, _ = synthetic_digits(256)
    cfg = dict(epochs=3, batch_size=32, lr=1e-2, seed=4, log=lambda *_: None)
    torch.manual_seed(0)
    straight = ConvVAE(latent_dim=8, width=4)
    before = elbo_terms(straight, images)["negative_elbo"]
    history, _ = train_vae(straight, images, out=tmp_path / "straight", **cfg)
    assert elbo_terms(straight, images)["negative_elbo"] < 0.7 * before
    assert history[-1]["reconstruction"] < history[0]["reconstruction"]
    interrupt_after_first_save(monkeypatch)
    torch.manual_seed(0)
    first = ConvVAE(latent_dim=8, width=4)
    with pytest.raises(Interrupted):
        train_vae(first, images, out=tmp_path / "resumed", **cfg)
    torch.manual_seed(0)
    resumed = ConvVAE(latent_dim=8, width=4)
    train_vae(resumed, images, out=tmp_path / "resumed", **cfg)
    assert same_weights(straight, resumed) and not same_weights(first, resumed)


@pytest.mark.parametrize("name", ["mnist-vae", "fashion-vae"])
def test_shipped_vae_reconstructs_what_it_is_shown(name):
    vae = checkpoints.load(name).model.cpu().float()
    card = checkpoints.read_card(checkpoints.embedded_folder(name))
    assert "test ELBO terms" in card["training"] and len(card["history"]) == card["training"]["epochs"]
    gan = checkpoints.load(name.replace("vae", "dcgan")).model.cpu().float()
    # The page compares them as the same network (as trained: loaded, the GAN's is rewritten for the CPU).
    plain = checkpoints.load_folder(MnistGAN, checkpoints.embedded_folder(name.replace("vae", "dcgan")))
    assert shapes(vae.decoder) == shapes(plain.generator)
    with torch.no_grad():
        shown = gan(gan.sample_noise(32, torch.Generator().manual_seed(0)))  # images the VAE never saw
        error = (vae.reconstruct(shown) - shown).pow(2).mean()
        unrelated = (vae.reconstruct(shown.roll(1, 0)) - shown).pow(2).mean()
    assert error < 0.5 * unrelated  # it encodes this image, not an average one
