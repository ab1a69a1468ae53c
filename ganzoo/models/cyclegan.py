"""CycleGAN networks with exactly the state-dict layout of the authors' PyTorch code
(junyanz/pytorch-CycleGAN-and-pix2pix): ResnetGenerator and the PatchGAN NLayerDiscriminator,
InstanceNorm without affine parameters, reflection padding, no dropout.

With the defaults (ngf=64, 9 blocks) the generator has 11,378,179 parameters and the keys
`model.1` ... `model.26`, residual blocks at `model.10` to `model.18` (`conv_block.1`,
`conv_block.5`), transposed convolutions at `model.19` and `model.22`, so an official
`latest_net_G.pth` loads with `load_official_state_dict`.

`upsample="resize"` replaces each transposed convolution by a nearest-neighbour x2 resize and a 3x3
convolution (Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts", 2016): a 3x3
kernel at stride 2 overlaps itself unevenly, one output pixel in four gets four taps and another
one, which paints a period-2 grid on flat regions; after a resize every output pixel gets all nine.

`colour=True` (compact pairs only; not in the authors' layout) adds the input's mean colour back
before the tanh through a 3x3 linear map, zero at the start. The network opens with an
InstanceNorm that removes each channel's mean, so without it a generator never sees its input's
average colour, and a cycle has to guess it from content: on the test split, giving each
reconstruction its input's true mean colour took the compact pair without it from a cycle L1 of
0.192 / 0.183 to 0.146 / 0.143 (metrics.cycle_l1_true_colour).
"""

import torch
import torch.nn.functional as F
from huggingface_hub import PyTorchModelHubMixin
from torch import nn

from ganzoo.models.int8_weights import Int8Loadable


def instance_norm(x: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Instance normalisation without affine parameters, as GroupNorm with one channel per group:
    the same arithmetic, but on a CPU 4-6x faster than F.instance_norm, which goes through batch
    norm's statistics path (1.3 against 0.28 ms for 64x64x64 on one AVX2 thread), and with a
    channels_last kernel where instance_norm copies to NCHW and back. The inference paths use it
    (ganzoo.inference); the networks keep nn.InstanceNorm2d, whose rounding on a perfectly flat
    channel is what metrics.flat_spread excites the upsampling layers with (this one gives exact
    zeros there)."""
    return F.group_norm(x, x.shape[1], eps=eps)


def _norm(channels):
    return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)


class ResnetBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=True), _norm(dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=True), _norm(dim),
        )

    def forward(self, x):
        return x + self.conv_block(x)


class ResizeConv2d(nn.Sequential):
    """x2 nearest-neighbour resize, reflection padding, 3x3 convolution: an upsampling layer whose
    every output pixel sees the same number of kernel taps."""

    def __init__(self, in_channels, out_channels):
        super().__init__(nn.Upsample(scale_factor=2, mode="nearest"), nn.ReflectionPad2d(1),
                         nn.Conv2d(in_channels, out_channels, 3, bias=True))


def mean_colour_shift(colour: nn.Linear, x: torch.Tensor) -> torch.Tensor:
    """What a generator's colour path adds before its tanh: a linear map of x's per-channel means,
    (N, C, 1, 1), in fp32."""
    return colour(x.float().mean((2, 3)))[:, :, None, None]


UPSAMPLING = ("transpose", "resize")


class ResnetGenerator(nn.Module, Int8Loadable, PyTorchModelHubMixin):
    """c7s1-ngf, two stride-2 downsamplings, n_blocks residual blocks, two upsamplings (the authors'
    transposed convolutions, or resize-convolutions), c7s1-3, tanh. Input and output in [-1, 1],
    sides a multiple of 4."""

    def __init__(self, input_nc=3, output_nc=3, ngf=64, n_blocks=9, upsample="transpose", colour=False):
        super().__init__()
        self.colour = nn.Linear(input_nc, output_nc) if colour else None
        if colour:  # starts as the authors' network: nothing added until training finds a use for it
            nn.init.zeros_(self.colour.weight)
            nn.init.zeros_(self.colour.bias)
        layers = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, 7, bias=True), _norm(ngf), nn.ReLU(True)]
        for i in range(2):
            mult = 2 ** i
            layers += [nn.Conv2d(ngf * mult, ngf * mult * 2, 3, stride=2, padding=1, bias=True),
                       _norm(ngf * mult * 2), nn.ReLU(True)]
        layers += [ResnetBlock(ngf * 4) for _ in range(n_blocks)]
        if upsample not in UPSAMPLING:
            raise ValueError(f"upsample must be one of {UPSAMPLING}, not {upsample!r}")
        for i in range(2):
            mult = 2 ** (2 - i)
            up = (ResizeConv2d(ngf * mult, ngf * mult // 2) if upsample == "resize" else
                  nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 3, stride=2, padding=1, output_padding=1, bias=True))
            layers += [up, _norm(ngf * mult // 2), nn.ReLU(True)]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        if self.colour is None:
            return self.model(x)
        return torch.tanh(self.model[:-1](x) + mean_colour_shift(self.colour, x).to(x.dtype))


class NLayerDiscriminator(nn.Module):
    """The 70x70 PatchGAN: a grid of real/fake logits, one per overlapping patch."""

    def __init__(self, input_nc=3, ndf=64, n_layers=3):
        super().__init__()
        layers = [nn.Conv2d(input_nc, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers):
            prev, mult = mult, min(2 ** n, 8)
            layers += [
                nn.Conv2d(ndf * prev, ndf * mult, 4, 2, 1, bias=True),
                _norm(ndf * mult),
                nn.LeakyReLU(0.2, True),
            ]
        prev, mult = mult, min(2 ** n_layers, 8)
        layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, 1, 1, bias=True), _norm(ndf * mult), nn.LeakyReLU(0.2, True),
                   nn.Conv2d(ndf * mult, 1, 4, 1, 1)]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class CycleGAN(nn.Module, Int8Loadable, PyTorchModelHubMixin):
    """Both directions and both critics: G_AB (A -> B), G_BA (B -> A), D_A, D_B.
    In monet2photo, A = painting and B = photo."""

    def __init__(self, ngf=64, n_blocks=9, ndf=64, domain_a="painting", domain_b="photo", upsample="transpose",
                 colour=False):
        super().__init__()
        self.domain_a, self.domain_b = domain_a, domain_b
        self.G_AB = ResnetGenerator(ngf=ngf, n_blocks=n_blocks, upsample=upsample, colour=colour)
        self.G_BA = ResnetGenerator(ngf=ngf, n_blocks=n_blocks, upsample=upsample, colour=colour)
        self.D_A = NLayerDiscriminator(ndf=ndf)
        self.D_B = NLayerDiscriminator(ndf=ndf)

    def generator(self, direction: str) -> ResnetGenerator:
        """"AB" or "BA"."""
        return self.G_AB if direction == "AB" else self.G_BA


def resize_from_transposed(target: ResnetGenerator, source: ResnetGenerator) -> ResnetGenerator:
    """Warm-start a resize-convolution generator from a trained transposed-convolution one: every
    other layer is copied; each 3x3 stride-2 transposed kernel becomes the stride-1 convolution it
    equals on a dense input (channels swapped, kernel flipped). The nearest resize feeds it four
    copies where the transposed convolution saw one value and three zeros, a uniform factor the
    InstanceNorm right after removes, so the warm start already draws roughly what the source did."""
    state = dict(source.state_dict())
    for i, (mine, theirs) in enumerate(zip(target.model, source.model)):
        if isinstance(mine, ResizeConv2d) and isinstance(theirs, nn.ConvTranspose2d):
            del state[f"model.{i}.weight"], state[f"model.{i}.bias"]
            state[f"model.{i}.2.weight"] = theirs.weight.detach().transpose(0, 1).flip(2, 3).clone()
            state[f"model.{i}.2.bias"] = theirs.bias.detach().clone()
    target.load_state_dict(state, strict=True)
    return target


def load_official_state_dict(generator: ResnetGenerator, state: dict) -> ResnetGenerator:
    """Load an official latest_net_G.pth state dict strictly. Files saved by older PyTorch carry
    InstanceNorm running_mean/running_var (and num_batches_tracked) keys that the affine-free,
    stat-free norm has no use for: those alone are dropped."""
    def is_instance_norm_stat(key):
        parts = key.split(".")
        if parts[-1] not in ("running_mean", "running_var", "num_batches_tracked"):
            return False
        module = generator.get_submodule(".".join(parts[:-1]))
        return isinstance(module, nn.InstanceNorm2d)

    cleaned = {k: v for k, v in state.items() if not is_instance_norm_stat(k)}
    generator.load_state_dict(cleaned, strict=True)
    return generator.eval()


class PaintingClassifier(nn.Module, PyTorchModelHubMixin):
    """Painting or photo? A small CNN on 128x128 images that judges CycleGAN's translations."""

    def __init__(self, width=16):
        super().__init__()
        w = width
        layers, cin = [], 3
        for cout in (w, 2 * w, 4 * w, 8 * w, 8 * w):
            layers += [nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.BatchNorm2d(cout), nn.ReLU(True)]
            cin = cout
        self.features = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(cin, 1)

    def forward(self, x):
        """Logit of "painting" for images in [-1, 1]. It judges brushwork at the images' own scale:
        larger images are read as five 128x128 crops (corners and centre) whose logits are averaged;
        smaller ones are enlarged to 128."""
        h, w = x.shape[-2:]
        if h < 128 or w < 128:
            x = nn.functional.interpolate(x, size=(max(h, 128), max(w, 128)), mode="bilinear", align_corners=False)
            h, w = x.shape[-2:]
        if (h, w) == (128, 128):
            return self.head(self.features(x)).squeeze(1)
        crops = [x[..., :128, :128], x[..., :128, -128:], x[..., -128:, :128], x[..., -128:, -128:],
                 x[..., (h - 128) // 2:(h - 128) // 2 + 128, (w - 128) // 2:(w - 128) // 2 + 128]]
        return torch.stack([self.head(self.features(c)).squeeze(1) for c in crops]).mean(0)
