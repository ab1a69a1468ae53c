"""A convolutional variational autoencoder (Kingma and Welling, 2014) of the DCGAN's size, for the
GAN-versus-VAE comparison: its decoder has the DCGAN generator's layers, its encoder the
discriminator's, so the two differ in their objective, not in their capacity.
"""

import torch
from huggingface_hub import PyTorchModelHubMixin
from torch import nn

from ganzoo.models.mnist import MnistGAN, draw_latents


class ConvVAE(nn.Module, PyTorchModelHubMixin):
    """x (N, 1, 28, 28) in [-1, 1] -> q(z|x) = N(mu, diag(exp(logvar))) -> p(x|z): one Bernoulli per
    pixel, whose mean (the decoder's sigmoid) is the image it draws."""

    conditional = False
    arch = "vae"

    def __init__(self, latent_dim=64, width=32):
        super().__init__()
        self.latent_dim, self.width = latent_dim, width
        w = width
        self.encoder = nn.Sequential(
            nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),
            nn.Flatten(), nn.Linear(2 * w * 7 * 7, 2 * latent_dim),
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(latent_dim, 4 * w, 7, 1, 0, bias=False), nn.BatchNorm2d(4 * w), nn.ReLU(True),
            nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(True),
            nn.ConvTranspose2d(2 * w, 1, 4, 2, 1),
        )

    def encode(self, x):
        """(mu, logvar) of q(z|x), each (N, latent_dim)."""
        return self.encoder(x).chunk(2, dim=1)

    def decode_logits(self, z):
        """The Bernoulli logits of p(x|z), (N, 1, 28, 28)."""
        return self.decoder(z[:, :, None, None])

    def forward(self, z):
        """The decoder's mean image for each code, in [-1, 1]: what sampling draws."""
        return torch.sigmoid(self.decode_logits(z)) * 2 - 1

    def reconstruct(self, x):
        """x -> its code's mean -> the decoder's image: one pass each way, no search."""
        return self(self.encode(x)[0])

    def sample_noise(self, n, generator=None, truncation=None):
        """Codes from the prior N(0, I), the one the KL term pulls q(z|x) towards."""
        return draw_latents(MnistGAN._draw_normal, (n, self.latent_dim), generator, truncation)
