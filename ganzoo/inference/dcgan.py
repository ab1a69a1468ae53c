"""The MNIST DCGAN generator for CPU inference: the same function, in forms oneDNN runs faster.

Profiled with torch.profiler (256 images, the width-64 generator, the AVX2 path), the middle
transposed convolution ran at about 90 GMAC/s, the peak of two AVX2 cores, and two layers far
below it (256 images: 123 against 152 ms in an interleaved A/B; 64 images: `benchmarks/sampling.py`):
- The first transposed convolution reads a 1x1 input: it is a matrix product, z @ W, which BLAS
  runs at full speed while the transposed-convolution kernel ran at a quarter of it.
- The last one has a single output channel, which oneDNN's kernels cannot spread over their
  vector lanes (5 GMAC/s here, against 90 for the middle layer): written as one matrix product
  (every input pixel's 4x4 patch of contributions) and col2im (`F.fold`) it takes a fifth of the time.
- Each BatchNorm (eval statistics) is folded into the transposed convolution before it.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from ganzoo.models.mnist import DCGANGenerator


class ProjectionTranspose2d(nn.Module):
    """A transposed convolution applied to a 1x1 input, as the matrix product it is."""

    def __init__(self, conv: nn.ConvTranspose2d):
        super().__init__()
        assert conv.stride == (1, 1) and conv.padding == (0, 0)
        self.register_buffer("weight", conv.weight.detach().reshape(conv.in_channels, -1).contiguous())
        bias = conv.bias.detach() if conv.bias is not None else torch.zeros(conv.out_channels)
        self.register_buffer("bias", bias.repeat_interleave(conv.kernel_size[0] * conv.kernel_size[1]))
        self.shape = (conv.out_channels, *conv.kernel_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        assert x.shape[-2:] == (1, 1), "a projection reads a 1x1 input"
        return torch.addmm(self.bias, x.flatten(1), self.weight).view(len(x), *self.shape)


class FoldTranspose2d(nn.Module):
    """A transposed convolution with few output channels, as one matrix product (each input pixel's
    kernel-sized patch of contributions) followed by col2im, which sums the overlapping patches."""

    def __init__(self, conv: nn.ConvTranspose2d):
        super().__init__()
        assert conv.output_padding == (0, 0) and conv.dilation == (1, 1) and conv.groups == 1
        self.register_buffer("weight", conv.weight.detach().reshape(conv.in_channels, -1).t().contiguous())
        bias = conv.bias.detach() if conv.bias is not None else torch.zeros(conv.out_channels)
        self.register_buffer("bias", bias)
        self.kernel_size, self.stride, self.padding = conv.kernel_size, conv.stride, conv.padding

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        size = [(side - 1) * s - 2 * p + k
                for side, s, p, k in zip((h, w), self.stride, self.padding, self.kernel_size)]
        patches = self.weight @ x.reshape(n, c, h * w)  # (n, out * kh * kw, h * w)
        y = F.fold(patches, size, self.kernel_size, stride=self.stride, padding=self.padding)
        return y + self.bias[:, None, None].to(y.dtype)


def fast_dcgan_generator(generator: DCGANGenerator) -> DCGANGenerator:
    """The generator rewritten in place as described in the module docstring (once: a generator
    already rewritten is returned as it is)."""
    layers = generator.eval().net
    if isinstance(layers[0], ProjectionTranspose2d):
        return generator
    first, norm1, _, middle, norm2, _, last, _ = layers
    layers[0] = ProjectionTranspose2d(fuse_conv_bn_eval(first, norm1, transpose=True))
    layers[3] = fuse_conv_bn_eval(middle, norm2, transpose=True)
    layers[1] = layers[4] = nn.Identity()
    layers[6] = FoldTranspose2d(last)
    return generator
