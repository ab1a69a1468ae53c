"""The CPU inference path for ResnetGenerator: the residual blocks' 3x3 convolutions in int8 on
oneDNN's VNNI kernels, everything else in bf16, channels_last throughout. The device policy
(ganzoo/runtime/device.py) decides when it is used; `ganzoo.inference.prepare` builds it.

Why each piece (numbers from `python -m benchmarks.cyclegan`, official size at 256x256):
- A 256->256 3x3 convolution at 64x64 takes ~23 ms in fp32, ~11 ms in bf16 and ~6 ms in int8 here.
  Weights are int8 per output channel; each input is quantised to uint8 per call from its own
  minimum and maximum (no calibration set, so any photo or painting gets its own range).
- Outliers: instance normalisation can turn a small bright spot into values 30 standard deviations
  out, and one scale for the whole tensor then leaves too few levels for everything else. A layer
  whose input spans more than `MAX_SPREAD` standard deviations runs in bf16 for that call instead.
- nn.InstanceNorm2d copies channels_last tensors to NCHW and back (~5 ms for 256x64x64);
  GroupNorm with one channel per group is the same arithmetic and has a channels_last kernel.
- The last 7x7 convolution has 3 output channels, which oneDNN runs at a fraction of its speed;
  rewritten on the 2x2 space-to-depth input it has 12 and takes half the time.
"""

import copy

import torch
import torch.nn.functional as F
from torch import nn

from ganzoo.models.cyclegan import ResizeConv2d, ResnetBlock, ResnetGenerator, instance_norm, mean_colour_shift

CL = torch.channels_last
BF16 = torch.bfloat16
MAX_SPREAD = 30.0  # input range / std above which a layer keeps bf16 (see module docstring)


class Bf16Conv2d(nn.Module):
    """A Conv2d in bf16 that first applies ReLU and reflection padding to its input when asked
    (the ResNet generator's pattern: norm -> ReLU -> pad -> conv)."""

    def __init__(self, conv: nn.Conv2d, reflect_pad: int = 0):
        super().__init__()
        self.conv = copy.deepcopy(conv).cpu().eval().to(BF16, memory_format=CL)
        self.reflect_pad = reflect_pad

    def forward(self, x: torch.Tensor, relu: bool) -> torch.Tensor:
        if relu:
            x = F.relu(x)
        if self.reflect_pad:
            x = F.pad(x, (self.reflect_pad,) * 4, mode="reflect")
        return self.conv(x.to(BF16))


class Int8Conv2d(Bf16Conv2d):
    """The same, with int8 weights (symmetric, per output channel) and uint8 activations (per
    tensor, range measured per call); ReLU and padding are applied on uint8, where they are
    cheaper. Inputs with extreme outliers take the bf16 path of the parent class."""

    def __init__(self, conv: nn.Conv2d, reflect_pad: int = 0):
        super().__init__(conv, reflect_pad)
        self.max_spread = MAX_SPREAD
        w = conv.weight.detach().float().cpu()
        self.register_buffer("w_scale", (w.abs().amax((1, 2, 3)) / 127).clamp_min(1e-12))
        self.register_buffer("w_zp", torch.zeros(w.shape[0], dtype=torch.long))
        self.register_buffer("bias", conv.bias.detach().float().cpu())
        qw = torch.round(w / self.w_scale[:, None, None, None]).to(torch.int8).contiguous(memory_format=CL)
        self.stride, self.padding = list(conv.stride), list(conv.padding)
        # An opaque oneDNN tensor, so a plain attribute; x_scale and x_zp given here are
        # placeholders, the real ones are passed with each call.
        self.packed = torch.ops.onednn.qconv_prepack(qw, self.w_scale, 1.0, 0, self.stride, self.padding,
                                                     [1, 1], 1, None)
        self.calls = {"int8": 0, "bf16": 0}

    def forward(self, x: torch.Tensor, relu: bool) -> torch.Tensor:
        hi = x.amax().item()
        lo = 0.0 if relu else min(x.amin().item(), 0.0)
        std = x[..., ::4, ::4].float().std().item()  # a 1/16 sample is plenty for a guard
        if hi <= lo or hi - lo > self.max_spread * std:
            self.calls["bf16"] += 1
            return super().forward(x, relu)
        self.calls["int8"] += 1
        scale = (hi - lo) / 255
        zero_point = round(-lo / scale)
        # x/scale + zp rounded half up, in fp32 (bf16 has no room for the halves above 64); the
        # clamp at 0 is also the ReLU when lo = 0. Through int32: float -> uint8 directly is 6x slower.
        q = torch.add(torch.tensor(zero_point + 0.5), x.float(), alpha=1 / scale).clamp_(0, 255)
        q = q.to(torch.int32).to(torch.uint8).contiguous(memory_format=CL)
        if self.reflect_pad:
            q = F.pad(q, (self.reflect_pad,) * 4, mode="reflect")
        return torch.ops.onednn.qconv_pointwise(
            q, scale, zero_point, self.packed, self.w_scale, self.w_zp, self.bias, self.stride, self.padding,
            [1, 1], 1, 1.0, 0, BF16, "none", [], "")


class SpaceToDepthConv2d(nn.Module):
    """A stride-1 conv with few output channels, computed as a conv on the 2x2 space-to-depth
    input (4x the channels in and out, kernel ceil(k/2)+1) followed by a pixel shuffle. The input
    may be channels_last (regrouped by hand) or contiguous (`F.pixel_unshuffle`, whose channel
    order (c, s, t) the second copy of the weights follows)."""

    def __init__(self, conv: nn.Conv2d, dtype: torch.dtype = BF16):
        super().__init__()
        w = conv.weight.detach().float().cpu()
        out_c, in_c, k, _ = w.shape
        taps = k // 2 + 1
        w2 = torch.zeros(out_c, 2, 2, 2, 2, in_c, taps, taps)  # (o, p, q, s, t, c, i, j)
        for p in range(2):
            for q in range(2):
                for s in range(2):
                    for t in range(2):
                        for i in range(taps):
                            for j in range(taps):
                                ky, kx = 2 * i + s - p, 2 * j + t - q
                                if 0 <= ky < k and 0 <= kx < k:
                                    w2[:, p, q, s, t, :, i, j] = w[:, :, ky, kx]
        self.register_buffer(
            "weight", w2.reshape(4 * out_c, 4 * in_c, taps, taps).to(dtype).contiguous(memory_format=CL)
        )
        self.register_buffer(  # the same taps with the input channels in pixel_unshuffle's order
            "weight_cst", w2.permute(0, 1, 2, 5, 3, 4, 6, 7).reshape(4 * out_c, 4 * in_c, taps, taps).to(dtype)
        )
        self.register_buffer("bias", conv.bias.detach().cpu().repeat_interleave(4).to(dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        assert h % 2 == 0 and w % 2 == 0, "space-to-depth needs even sides"
        if not x.is_contiguous(memory_format=CL):
            return F.pixel_shuffle(F.conv2d(F.pixel_unshuffle(x, 2), self.weight_cst, self.bias), 2)
        # channels_last is NHWC in memory: regroup 2x2 pixel blocks as channels (s, t, c).
        u = x.permute(0, 2, 3, 1).reshape(n, h // 2, 2, w // 2, 2, c).permute(0, 1, 3, 2, 4, 5)
        u = u.reshape(n, h // 2, w // 2, 4 * c).permute(0, 3, 1, 2)
        return F.pixel_shuffle(F.conv2d(u, self.weight, self.bias), 2)


# Which 3x3 kernel rows (or columns) fall on each low-resolution tap, for output phase 0 and 1:
# after a x2 nearest resize and a 1-pixel reflection pad, output row 2a reads input rows a-1, a, a
# (kernel rows 0 | 1, 2) and row 2a+1 reads a, a, a+1 (kernel rows 0, 1 | 2); at the borders the
# reflected row is the edge row itself, which a 1-pixel replicate pad of the input gives.
PHASE_TAPS = (((0,), (1, 2), ()), ((), (0, 1), (2,)))


class SubpixelResizeConv2d(nn.Module):
    """A ResizeConv2d (x2 nearest resize, reflection pad, 3x3 conv) computed at the input's
    resolution: a replicate pad, one 3x3 conv with 4x the output channels (one set per output
    pixel phase, each kernel the sum of the taps that fall on the same input pixel), and a pixel
    shuffle. The same function to float rounding, without the resized tensor: the conv reads a
    quarter of the pixels with more channels each, which oneDNN runs faster. Its output is
    channels_last, whatever its input: the layers after it (norms, the last convolution on its
    space-to-depth input) run faster so in fp32 too (about 2 ms of the compact model's 40 on the
    AVX2 path)."""

    def __init__(self, resize_conv: ResizeConv2d, dtype: torch.dtype = torch.float32):
        super().__init__()
        conv = resize_conv[2]
        w = conv.weight.detach().float().cpu()
        k = torch.zeros(w.shape[0], 2, 2, w.shape[1], 3, 3)  # (o, p, q, c, i, j): pixel_shuffle's order
        for p in range(2):
            for q in range(2):
                for i in range(3):
                    for j in range(3):
                        for ky in PHASE_TAPS[p][i]:
                            for kx in PHASE_TAPS[q][j]:
                                k[:, p, q, :, i, j] += w[:, :, ky, kx]
        self.register_buffer("weight", k.reshape(-1, w.shape[1], 3, 3).to(dtype))
        self.register_buffer("bias", conv.bias.detach().cpu().repeat_interleave(4).to(dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.pad(x.contiguous(memory_format=CL), (1, 1, 1, 1), mode="replicate")
        return F.pixel_shuffle(F.conv2d(x, self.weight, self.bias), 2).contiguous(memory_format=CL)


class FastResnetGenerator(nn.Module):
    """Same function as the ResnetGenerator it is built from, for CPU inference. Input and
    output (N,3,H,W) fp32 in [-1,1], sides a multiple of 4."""

    def __init__(self, generator: ResnetGenerator, int8: bool = True):
        super().__init__()
        layers = list(generator.model)
        convs = [m for m in layers if type(m) is nn.Conv2d]
        blocks = [m for m in layers if isinstance(m, ResnetBlock)]
        norms = [m for m in layers if isinstance(m, nn.InstanceNorm2d)]
        self.eps = norms[0].eps
        self.int8 = int8
        bf16 = lambda m: copy.deepcopy(m).cpu().eval().to(BF16, memory_format=CL)  # noqa: E731
        conv3x3 = Int8Conv2d if self.int8 else Bf16Conv2d
        self.first = bf16(convs[0])
        # The two downsampling convolutions stay bf16: in int8 they cost 2-5 dB of PSNR on real
        # photos, for no time we could measure.
        self.down = nn.ModuleList([Bf16Conv2d(c) for c in convs[1:3]])
        self.blocks = nn.ModuleList([nn.ModuleList([conv3x3(b.conv_block[1], 1), conv3x3(b.conv_block[5], 1)])
                                     for b in blocks])
        self.ups = nn.ModuleList([SubpixelResizeConv2d(m, BF16) if isinstance(m, ResizeConv2d) else bf16(m)
                                  for m in layers if isinstance(m, (nn.ConvTranspose2d, ResizeConv2d))])
        self.last = SpaceToDepthConv2d(convs[-1])
        self.colour = copy.deepcopy(generator.colour).cpu().float() if generator.colour is not None else None

    def precision_counts(self) -> dict:
        """How many 3x3 convolution calls ran in int8 and how many fell back to bf16."""
        counts = {"int8": 0, "bf16": 0}
        for m in self.modules():
            if isinstance(m, Int8Conv2d):
                for k in counts:
                    counts[k] += m.calls[k]
        return counts

    @torch.inference_mode()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # One image at a time, so each gets its own quantisation ranges.
        with torch.autocast("cpu", enabled=False):
            return torch.cat([self._one(x[i:i + 1]) for i in range(len(x))])

    def _one(self, x: torch.Tensor) -> torch.Tensor:
        norm = lambda t: instance_norm(t, self.eps)  # noqa: E731
        x = x.cpu().float()
        shift = mean_colour_shift(self.colour, x) if self.colour is not None else 0  # fp32: 12 weights
        x = x.contiguous(memory_format=CL).to(BF16)
        h = norm(self.first(F.pad(x, (3,) * 4, mode="reflect")))
        for conv in self.down:
            h = norm(conv(h, relu=True))
        h = h.relu_()
        for conv1, conv2 in self.blocks:
            r = norm(conv1(h, relu=False))
            h = h + norm(conv2(r, relu=True))
        h = norm(self.ups[0](h))
        h = norm(self.ups[1](h.relu_()))
        out = self.last(F.pad(h.relu_(), (3,) * 4, mode="reflect"))
        return torch.tanh(out.float() + shift)
