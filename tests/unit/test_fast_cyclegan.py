"""The CPU inference path of the CycleGAN generators (ganzoo/inference/fast_cyclegan.py): int8 3x3
convolutions, bf16 elsewhere. Checked against the plain fp32 network on the bundled real images."""

import copy
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from ganzoo import inference
from ganzoo.inference import translation
from ganzoo.inference.fast_cyclegan import FastResnetGenerator, Int8Conv2d, SpaceToDepthConv2d, SubpixelResizeConv2d
from ganzoo.io import checkpoints
from ganzoo.maths import metrics
from ganzoo.models.cyclegan import CycleGAN, ResizeConv2d, ResnetGenerator
from ganzoo.runtime import device

SAMPLES = Path(__file__).resolve().parents[2] / "assets" / "samples"
# The int8 code is tested wherever PyTorch has oneDNN's quantised convolution, even on a CPU where the
# policy would not choose it for speed (no VNNI) and under GANZOO_INT8=0.
needs_int8 = pytest.mark.skipif(not hasattr(torch.ops.onednn, "qconv_pointwise"),
                                reason="this PyTorch build has no oneDNN quantised convolution")


def plain(generator):
    with torch.no_grad():
        return generator.eval().float()


@needs_int8
@pytest.mark.parametrize("which", ["compact, trained", "official size, random weights"])
def test_int8_path_keeps_35_db_on_real_images(which):
    torch.manual_seed(0)
    if which.startswith("compact"):
        gen = checkpoints.load_folder(CycleGAN, checkpoints.embedded_folder("cyclegan-monet-compact")).G_BA
    else:
        gen = ResnetGenerator()
    gen = plain(gen)
    fast = FastResnetGenerator(gen, int8=True)
    x = translation.fit_folder(SAMPLES)  # the page's samples as its 256 centre crop
    with torch.no_grad():
        reference = gen(x)
    out = fast(x)
    for i in range(len(x)):
        assert metrics.psnr(out[i], reference[i]) >= 35, i
    counts = fast.precision_counts()
    # The int8 kernels really ran: most calls, the rest being layers whose input had outliers.
    assert counts["int8"] >= 0.8 * (counts["int8"] + counts["bf16"])


@needs_int8
def test_extreme_outliers_fall_back_to_bf16():
    """A flat image with one bright pixel: instance norm turns it into a value hundreds of standard
    deviations out, which int8 with one scale per tensor cannot hold; those layers run bf16."""
    torch.manual_seed(0)
    gen = plain(ResnetGenerator(ngf=16, n_blocks=3))
    x = torch.zeros(1, 3, 128, 128)
    x[..., 64, 64] = 1
    fast = FastResnetGenerator(gen, int8=True)
    with torch.no_grad():
        reference = gen(x)
    assert metrics.psnr(fast(x), reference) >= 35
    assert fast.precision_counts()["bf16"] > 0


@needs_int8
def test_int8_convolution_matches_the_float_one():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(32, 48, 3).eval()
    x = torch.randn(1, 32, 20, 24).contiguous(memory_format=torch.channels_last)
    q = Int8Conv2d(conv, reflect_pad=1)
    for relu in (False, True):
        expected = conv(F.pad(F.relu(x) if relu else x, (1,) * 4, mode="reflect"))
        got = q(x.bfloat16(), relu=relu).float()
        assert got.shape == expected.shape
        assert ((got - expected).norm() / expected.norm()).item() < 0.02
    assert q.calls == {"int8": 2, "bf16": 0}
    q.max_spread = 0.0  # every input is now "too spread": the bf16 copy must give the same answer
    got = q(x.bfloat16(), relu=False).float()
    assert ((got - conv(F.pad(x, (1,) * 4, mode="reflect"))).norm() / got.norm()).item() < 0.02
    assert q.calls["bf16"] == 1


def test_space_to_depth_convolution_equals_the_7x7_one():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(16, 3, 7).eval()
    x = torch.randn(2, 16, 38, 46)
    s2d = SpaceToDepthConv2d(conv)
    got = s2d(x.to(torch.bfloat16).contiguous(memory_format=torch.channels_last)).float()
    with torch.no_grad():
        expected = conv(x)
    assert got.shape == expected.shape == (2, 3, 32, 40)
    assert ((got - expected).norm() / expected.norm()).item() < 0.01


def test_space_to_depth_convolution_in_fp32_is_the_7x7_one_in_either_layout():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(16, 3, 7).eval()
    x = torch.randn(2, 16, 38, 46)
    s2d = SpaceToDepthConv2d(conv, torch.float32)
    with torch.no_grad():
        expected = conv(x)
        for layout in (torch.contiguous_format, torch.channels_last):
            torch.testing.assert_close(s2d(x.contiguous(memory_format=layout)), expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("layout", [torch.contiguous_format, torch.channels_last])
def test_subpixel_resize_convolution_is_the_resize_then_convolve_layer(layout):
    """Resize x2, reflect-pad and 3x3-convolve equals, to float rounding, one 3x3 convolution at
    the input's resolution with four sets of summed taps and a pixel shuffle: borders included,
    on a non-square input."""
    torch.manual_seed(0)
    layer = ResizeConv2d(8, 5).eval()
    x = torch.randn(2, 8, 9, 14).contiguous(memory_format=layout)
    with torch.no_grad():
        expected = layer(x)
        got = SubpixelResizeConv2d(layer)(x)
    assert got.shape == expected.shape == (2, 5, 18, 28)
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("upsample", ["transpose", "resize"])
def test_the_fp32_cpu_generator_is_the_network(upsample):
    """The fp32 CPU path's rewrites (GroupNorm instance norms, sub-pixel resize-convolutions, the
    last convolution on the space-to-depth input) change the speed, not the function."""
    torch.manual_seed(0)
    generator = ResnetGenerator(ngf=8, n_blocks=2, upsample=upsample).eval()
    x = torch.rand(2, 3, 36, 52) * 2 - 1
    with torch.no_grad():
        expected = generator(x)
        rewritten = inference.fp32_cpu_generator(copy.deepcopy(generator))
        kinds = {type(m) for m in rewritten.modules()}
        assert SpaceToDepthConv2d in kinds and (SubpixelResizeConv2d in kinds) == (upsample == "resize")
        torch.testing.assert_close(rewritten(x), expected, atol=1e-5, rtol=1e-5)
        # Prepared twice (a page and a benchmark share a loaded model), it is rewritten once.
        again = inference.fp32_cpu_generator(rewritten)
        assert sum(isinstance(m, SpaceToDepthConv2d) for m in again.modules()) == 1
        torch.testing.assert_close(again(x), expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("upsample", ["transpose", "resize"])
def test_bf16_only_path_matches_fp32(upsample):
    """Without int8 (a CPU without VNNI, or GANZOO_INT8=0) the same module runs every convolution
    in bf16: closer to fp32 than int8, and keep-size inputs of any multiple of 4 work; with either
    upsampling layer."""
    torch.manual_seed(0)
    gen = plain(ResnetGenerator(ngf=16, n_blocks=3, upsample=upsample))
    x = torch.rand(2, 3, 36, 52) * 2 - 1
    with torch.no_grad():
        reference = gen(x)
    out = FastResnetGenerator(gen, int8=False)(x)
    assert out.shape == reference.shape and out.dtype == torch.float32
    assert metrics.psnr(out, reference) >= 40


def test_the_colour_path_gives_back_the_inputs_mean_colour_on_every_path():
    """--colour: zero at the start (the authors' function), then a function of the input's mean
    colour, which the opening InstanceNorm hides from the rest; the CPU paths keep it."""
    torch.manual_seed(0)
    gen = ResnetGenerator(ngf=8, n_blocks=2, upsample="resize", colour=True).eval()
    without = ResnetGenerator(ngf=8, n_blocks=2, upsample="resize").eval()
    without.load_state_dict({k: v for k, v in gen.state_dict().items() if not k.startswith("colour.")})
    x = torch.rand(2, 3, 36, 52) * 2 - 1
    tint = x + torch.tensor([0.3, -0.2, 0.1])[:, None, None]
    with torch.no_grad():
        torch.testing.assert_close(gen(x), without(x))
        torch.testing.assert_close(without(tint), without(x), atol=1e-4, rtol=0)  # blind to a colour cast
        torch.nn.init.normal_(gen.colour.weight)
        assert (gen(tint) - gen(x)).abs().mean() > 0.01
        expected = gen(x)
        torch.testing.assert_close(inference.fp32_cpu_generator(copy.deepcopy(gen))(x), expected, atol=1e-5, rtol=1e-5)
    assert metrics.psnr(FastResnetGenerator(gen, int8=False)(x), expected) >= 40


def test_prepare_follows_the_policy_it_is_given(monkeypatch):
    """The page and the CLI get the fast path exactly when the policy runs bf16 on a CPU, with int8
    as the policy says; fp32 runs the network itself, its instance norms computed as GroupNorm."""
    gen = ResnetGenerator(ngf=8, n_blocks=1)
    cpu = torch.device("cpu")
    assert inference.prepare(gen, device.Policy(cpu, "fp32")) is gen
    fast = inference.prepare(gen, device.Policy(cpu, "bf16", int8=False))
    assert isinstance(fast, FastResnetGenerator) and not fast.int8
    if hasattr(torch.ops.onednn, "qconv_pointwise"):
        assert inference.prepare(gen, device.Policy(cpu, "bf16", int8=True)).int8
    p = device.policy()  # this machine's: whatever it is, prepare and the sidebar agree with it
    fast_path = p.device.type == "cpu" and p.precision == "bf16"
    assert isinstance(inference.prepare(gen, p), FastResnetGenerator) == fast_path
    assert ("int8" in p.describe()) == p.int8
    monkeypatch.setenv("GANZOO_INT8", "0")
    device.resolve.cache_clear()
    try:
        assert not device.resolve().int8 and "int8" not in device.resolve().describe()
    finally:
        monkeypatch.undo()
        device.resolve.cache_clear()
