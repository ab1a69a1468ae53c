"""CycleGAN translation: the inference form of the network, size policies, tiles, the fast path and
the translate CLI."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganzoo import inference
from ganzoo.inference import translation
from ganzoo.io import checkpoints
from ganzoo.io.images import ImageInputError
from ganzoo.maths import metrics
from ganzoo.models.cyclegan import ResnetGenerator
from ganzoo.runtime.device import policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("memory_format", [torch.contiguous_format, torch.channels_last])
def test_the_inference_instance_norm_is_pytorchs(memory_format):
    # The fp32 CPU path computes InstanceNorm as GroupNorm (faster there): the same outputs to
    # float rounding, in both layouts, and the generator it rewrites gives the network's output.
    x = (torch.randn(2, 8, 12, 10) * 3 + torch.arange(8.0)[:, None, None]).to(memory_format=memory_format)
    expected = torch.nn.InstanceNorm2d(8)(x)
    torch.testing.assert_close(inference.GroupInstanceNorm2d(8)(x), expected, atol=1e-5, rtol=1e-5)
    torch.manual_seed(0)
    generator = ResnetGenerator(ngf=8, n_blocks=2, upsample="resize").eval()
    photo = torch.rand(1, 3, 64, 64) * 2 - 1
    with torch.no_grad():
        expected = generator(photo)
        rewritten = inference.with_group_instance_norms(generator)
        norms = [type(m) for m in rewritten.modules() if isinstance(m, torch.nn.InstanceNorm2d)]
        assert norms and set(norms) == {inference.GroupInstanceNorm2d}
        torch.testing.assert_close(rewritten(photo), expected, atol=1e-5, rtol=1e-5)


def test_size_policies():
    img = Image.new("RGB", (1000, 500))
    assert translation.fit(img, "crop256").size == (256, 256)
    assert translation.fit(img, "keep", max_side=600).size == (600, 300)
    odd = Image.new("RGB", (255, 103))
    assert translation.fit(odd, "keep").size == (252, 100)
    strip = Image.new("RGB", (10000, 10))
    assert translation.fit(strip, "crop256").size == (256, 256)  # the central 10x10, not a 256000x256 resize
    with pytest.raises(ImageInputError, match="too thin"):  # 1024x4 would break the generator's padding
        translation.fit(strip, "keep", 1024)
    assert translation.fit(Image.new("RGB", (4000, 64)), "keep", 1024).size == (1024, 16)


def test_tiled_translation_equals_whole_image_for_a_pointwise_network():
    # A 1x1-convolution network has no spatial context, so tiling must reproduce it exactly:
    # this checks the tile placement and the blending weights.
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 3, 1), torch.nn.Tanh()).eval()
    x = torch.rand(1, 3, 300, 700) * 2 - 1
    whole = translation.run(net, x)
    tiled = translation.run_tiled(net, x)
    assert metrics.psnr(tiled, whole) > 60


def test_fast_path_matches_fp32_eager():
    torch.manual_seed(0)
    gen = ResnetGenerator(ngf=16, n_blocks=3).eval()
    x = torch.rand(1, 3, 128, 128) * 2 - 1
    with torch.no_grad():
        reference = gen(x)
    fast = translation.run(inference.prepare(gen, policy()), x)
    assert metrics.psnr(fast, reference) >= 35


def test_translate_cli_skips_bad_files(tmp_path):
    gen = ResnetGenerator(ngf=8, n_blocks=1)
    folder = checkpoints.save(gen, tmp_path / "ckpt", {"title": "tiny"})
    inputs = tmp_path / "in"
    inputs.mkdir()
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 60, 3), dtype=np.uint8)).save(buf, "JPEG")
    (inputs / "good.jpg").write_bytes(buf.getvalue())
    (inputs / "fake.png").write_text("not an image")
    result = subprocess.run([sys.executable, "-m", "ganzoo.translate", "--checkpoint", str(folder), "--input",
                             str(inputs), "--output", str(tmp_path / "out"), "--size-policy", "keep"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "fake.png: skipped" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    out = Image.open(tmp_path / "out" / "good.png")
    assert out.size == (60, 40)
    assert not (tmp_path / "out" / "fake.png").exists()
