"""A small style-based generator (Karras, Laine and Aila, "A Style-Based Generator Architecture for
Generative Adversarial Networks", CVPR 2019), sized to train on a CPU on 28x28 MNIST or Fashion-MNIST.

z -> mapping network (pixel norm, fully connected layers with LeakyReLU) -> w. The synthesis network
starts from a learned constant 4x4 and doubles it to 8, 16 and 32; each of its eight layers adds
per-pixel noise (a learned scale per channel), applies LeakyReLU and then AdaIN driven by its own
affine map of w: AdaIN(x, y) = y_s (x - mu(x)) / sigma(x) + y_b. The image is the central 28x28 of
the 32x32 output (the digits' frame), so the DCGAN's discriminator and every 28x28 page and metric
take it as they are.

Styles per layer: 0-3 coarse (4x4 and 8x8: pose, thickness), 4-5 middle (16x16: strokes),
6-7 fine (32x32: edges and texture).
"""

import torch
import torch.nn.functional as F
from huggingface_hub import PyTorchModelHubMixin
from torch import nn

from ganzoo.models.mnist import IMAGE_SHAPE, MnistGAN, draw_latents, minibatch_std

STYLE_GROUPS = {"coarse": range(0, 4), "middle": range(4, 6), "fine": range(6, 8)}


def adain(x: torch.Tensor, y_s: torch.Tensor, y_b: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Adaptive instance normalisation: every channel of every image brought to zero mean and unit
    deviation over its pixels, then scaled by y_s and shifted by y_b (each (N, C))."""
    return y_s[:, :, None, None] * F.instance_norm(x, eps=eps) + y_b[:, :, None, None]


def truncate(w: torch.Tensor, w_avg: torch.Tensor, psi: float) -> torch.Tensor:
    """The truncation trick in w: w_avg + psi (w - w_avg). psi = 1 leaves w alone, 0 gives the mean style."""
    return torch.lerp(w_avg.expand_as(w), w, psi)  # exact at psi = 0 and psi = 1


class MappingNetwork(nn.Module):
    """z -> w: pixel norm, then `layers` fully connected layers with LeakyReLU(0.2)."""

    def __init__(self, latent_dim: int, w_dim: int, layers: int):
        super().__init__()
        blocks, width = [], latent_dim
        for _ in range(layers):
            blocks += [nn.Linear(width, w_dim), nn.LeakyReLU(0.2)]
            width = w_dim
        self.net = nn.Sequential(*blocks)
        # He initialisation for LeakyReLU keeps w at the scale of z through the layers; PyTorch's
        # default shrinks it about threefold per layer, and with w near 0 every style is the
        # identity: the generator then ignores z and collapses onto one image (it did, in epoch 1).
        for layer in self.net[::2]:
            nn.init.kaiming_normal_(layer.weight, a=0.2)
            nn.init.zeros_(layer.bias)

    def forward(self, z):
        return self.net(z * torch.rsqrt(z.pow(2).mean(1, keepdim=True) + 1e-8))


class StyleLayer(nn.Module):
    """[upsample x2] -> [3x3 convolution] -> + noise x per-channel scale -> LeakyReLU -> AdaIN(w)."""

    def __init__(self, cin: int, cout: int, w_dim: int, resolution: int, conv=True, upsample=False):
        super().__init__()
        self.upsample, self.resolution = upsample, resolution
        self.conv = nn.Conv2d(cin, cout, 3, padding=1) if conv else None
        self.noise_scale = nn.Parameter(torch.zeros(1, cout, 1, 1))
        self.style = nn.Linear(w_dim, 2 * cout)
        with torch.no_grad():  # y_s = 1 + A w, y_b = B w with A, B of unit gain: w matters from the start
            nn.init.normal_(self.style.weight, std=w_dim ** -0.5)
            self.style.bias[:cout] = 1
            self.style.bias[cout:] = 0
        # The fixed noise maps used when the caller asks for none in particular (eval mode): the
        # same w then always draws the same image; the page draws new ones to show their effect.
        self.register_buffer("noise_const", torch.randn(1, 1, resolution, resolution,
                                                        generator=torch.Generator().manual_seed(resolution)))

    def forward(self, x, w, noise):
        if self.upsample:
            x = F.interpolate(x, scale_factor=2, mode="nearest")
        if self.conv is not None:
            x = self.conv(x)
        x = F.leaky_relu(x + self.noise_scale * noise, 0.2)
        y_s, y_b = self.style(w).chunk(2, dim=1)
        return adain(x, y_s, y_b)


class SynthesisNetwork(nn.Module):
    """A learned constant 4x4 -> two style layers per resolution, 4, 8, 16, 32 -> 1x1 to grey, tanh."""

    def __init__(self, w_dim: int, channels=(128, 64, 32, 16)):
        super().__init__()
        self.const = nn.Parameter(torch.ones(1, channels[0], 4, 4))
        layers = [StyleLayer(channels[0], channels[0], w_dim, 4, conv=False),
                  StyleLayer(channels[0], channels[0], w_dim, 4)]
        for i, cout in enumerate(channels[1:], start=1):
            resolution = 4 * 2 ** i
            layers += [StyleLayer(channels[i - 1], cout, w_dim, resolution, upsample=True),
                       StyleLayer(cout, cout, w_dim, resolution)]
        self.layers = nn.ModuleList(layers)
        self.to_image = nn.Conv2d(channels[-1], 1, 1)

    def noise_maps(self, n: int, source, device) -> list:
        """One (n, 1, r, r) map per layer: "const" the fixed maps, "random" torch's global CPU generator
        (training: drawn on the CPU and moved, so a seed trains alike on every device and a resumed run
        continues the same stream), a torch.Generator a seeded draw on the CPU, "none" zeros."""
        maps = []
        for layer in self.layers:
            shape = (n, 1, layer.resolution, layer.resolution)
            if isinstance(source, torch.Generator):
                maps.append(torch.randn(shape, generator=source).to(device))
            elif source == "random":
                maps.append(torch.randn(shape).to(device))
            elif source == "none":
                maps.append(torch.zeros(shape, device=device))
            else:
                maps.append(layer.noise_const.expand(shape))
        return maps

    def forward(self, ws, noise="const"):
        """ws (N, 8, w_dim): one w per layer (the same w eight times unless styles are mixed)."""
        n = ws.shape[0]
        maps = noise if isinstance(noise, (list, tuple)) else self.noise_maps(n, noise, ws.device)
        x = self.const.expand(n, -1, -1, -1)
        for i, layer in enumerate(self.layers):
            x = layer(x, ws[:, i], maps[i])
        return torch.tanh(self.to_image(x))


class StyleGenerator(nn.Module):
    """Mapping plus synthesis, with the running mean of w (for truncation) and style-mixing
    regularisation in training: with probability `mixing`, a batch's layers from a random crossover
    on take the styles of a second z, which keeps neighbouring layers' styles from depending on each other."""

    def __init__(self, latent_dim=64, w_dim=64, mapping_layers=4, channels=(128, 64, 32, 16), mixing=0.9):
        super().__init__()
        self.mapping = MappingNetwork(latent_dim, w_dim, mapping_layers)
        self.synthesis = SynthesisNetwork(w_dim, channels)
        self.num_layers = len(self.synthesis.layers)
        self.mixing = mixing
        self.register_buffer("w_avg", torch.zeros(w_dim))

    def forward(self, z, psi: float = 1.0, noise=None):
        w = self.mapping(z)
        if self.training:
            with torch.no_grad():  # the running mean of w (decay 0.995, as in the paper's code)
                self.w_avg.lerp_(w.float().mean(0), 0.005)
        ws = w[:, None].expand(-1, self.num_layers, -1)
        if self.training and self.mixing and torch.rand(()) < self.mixing:
            cut = int(torch.randint(1, self.num_layers, ()))
            w2 = self.mapping(torch.randn(z.shape).to(z.device, z.dtype))  # the CPU stream, as above
            ws = torch.cat([ws[:, :cut], w2[:, None].expand(-1, self.num_layers - cut, -1)], dim=1)
        if psi != 1:
            ws = truncate(ws, self.w_avg.to(ws.dtype), psi)
        return self.synthesis(ws, noise or ("random" if self.training else "const"))


class StyleDiscriminator(nn.Module):
    """The DCGAN's discriminator (28x28 -> 14 -> 7 -> one logit) with a minibatch standard
    deviation map before its last layer, as in the StyleGAN paper's discriminator."""

    def __init__(self, width=32):
        super().__init__()
        w = width
        self.body = nn.Sequential(
            nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),
        )
        self.head = nn.Conv2d(2 * w + 1, 1, 7, 1, 0)

    def forward(self, x):
        h = self.body(x)
        return self.head(torch.cat([h, minibatch_std(h)], dim=1)).flatten()


def center_crop(images: torch.Tensor, size: int = IMAGE_SHAPE[-1]) -> torch.Tensor:
    top = (images.shape[-1] - size) // 2
    return images[..., top:top + size, top:top + size]


class StyleGAN(nn.Module, PyTorchModelHubMixin):
    """The style-based generator and its discriminator, saved and loaded together."""

    conditional = False
    arch = "stylegan"
    # Trained in the default memory layout: with bf16 autocast on 1 thread, 486 images/s against 442
    # in channels_last, where the instance norms and elementwise ops dominate.
    channels_last = False

    def __init__(self, latent_dim=64, w_dim=64, mapping_layers=4, channels=(128, 64, 32, 16), d_width=32,
                 mixing=0.9):
        super().__init__()
        self.latent_dim = latent_dim
        self.generator = StyleGenerator(latent_dim, w_dim, mapping_layers, tuple(channels), mixing)
        self.discriminator = StyleDiscriminator(d_width)

    @property
    def num_layers(self) -> int:
        return self.generator.num_layers

    @property
    def w_avg(self) -> torch.Tensor:
        return self.generator.w_avg

    def sample_noise(self, n, generator=None, truncation=None):
        """Gaussian codes z; values beyond |truncation| are redrawn (truncation in z)."""
        return draw_latents(MnistGAN._draw_normal, (n, self.latent_dim), generator, truncation)

    def mapping(self, z):
        """w for each z, (N, w_dim)."""
        return self.generator.mapping(z)

    def synthesize(self, ws, noise="const"):
        """28x28 images in [-1, 1] from per-layer styles ws (N, 8, w_dim) or one w (N, w_dim) for all."""
        if ws.dim() == 2:
            ws = ws[:, None].expand(-1, self.num_layers, -1)
        return center_crop(self.generator.synthesis(ws, noise))

    def forward(self, z, labels=None, psi: float = 1.0):
        """Images in [-1, 1], (N, 1, 28, 28); labels are ignored (the model is unconditional)."""
        return center_crop(self.generator(z, psi))

    def discriminate(self, images, labels=None):
        return self.discriminator(images)
