"""CycleGAN: the official state-dict layout, the translation paths and the training recipe."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from ganzoo import inference, translate
from ganzoo.io import checkpoints
from ganzoo.io.images import ImageInputError
from ganzoo.maths import metrics
from ganzoo.models.cyclegan import CycleGAN, ResnetGenerator, load_official_state_dict
from ganzoo.training.cyclegan import ImagePool, cyclegan_losses

ROOT = Path(__file__).resolve().parents[2]


def official_layout(ngf=64, blocks=9, running_stats=False):
    """The keys and shapes of the authors' latest_net_G.pth, written out independently of ganzoo:
    conv weights (out, in, k, k), transposed ones (in, out, k, k), all with biases."""
    shapes = {"model.1": (ngf, 3, 7, 7), "model.4": (2 * ngf, ngf, 3, 3), "model.7": (4 * ngf, 2 * ngf, 3, 3)}
    for b in range(10, 10 + blocks):
        for c in (1, 5):
            shapes[f"model.{b}.conv_block.{c}"] = (4 * ngf, 4 * ngf, 3, 3)
    shapes["model.19"] = (4 * ngf, 2 * ngf, 3, 3)
    shapes["model.22"] = (2 * ngf, ngf, 3, 3)
    shapes["model.26"] = (3, ngf, 7, 7)
    sd = {}
    for name, shape in shapes.items():
        out_channels = shape[1] if name in ("model.19", "model.22") else shape[0]
        sd[name + ".weight"] = torch.zeros(shape)
        sd[name + ".bias"] = torch.zeros(out_channels)
    if running_stats:  # what files saved by older PyTorch carry for every InstanceNorm
        for idx, ch in ((2, ngf), (5, 2 * ngf), (8, 4 * ngf), (20, 2 * ngf), (23, ngf)):
            sd[f"model.{idx}.running_mean"] = torch.zeros(ch)
            sd[f"model.{idx}.running_var"] = torch.ones(ch)
    return sd


def test_resnet_generator_matches_the_official_layout():
    gen = ResnetGenerator()
    assert sum(p.numel() for p in gen.parameters()) == 11_378_179
    expected = official_layout()
    got = gen.state_dict()
    assert set(got) == set(expected)
    assert all(tuple(got[k].shape) == tuple(v.shape) for k, v in expected.items())


def test_official_file_loads_strictly_and_gives_the_known_output(tmp_path):
    sd = official_layout(running_stats=True)
    # With every weight zero, each residual block is the identity and the network outputs
    # tanh(final bias) everywhere: a known answer for a known input.
    sd["model.26.bias"] = torch.tensor([0.5, -0.25, 0.0])
    path = tmp_path / "latest_net_G.pth"
    torch.save(sd, path)
    gen = load_official_state_dict(ResnetGenerator(), checkpoints.load_state_dict_file(path))
    with torch.no_grad():
        out = gen(torch.rand(1, 3, 64, 64) * 2 - 1)
    expected = torch.tanh(torch.tensor([0.5, -0.25, 0.0]))[None, :, None, None].expand_as(out)
    torch.testing.assert_close(out, expected)
    # Any other unexpected or missing key is refused.
    bad = dict(sd)
    bad["model.99.weight"] = torch.zeros(1)
    with pytest.raises(RuntimeError):
        load_official_state_dict(ResnetGenerator(), bad)
    del sd["model.26.bias"]
    with pytest.raises(RuntimeError):
        load_official_state_dict(ResnetGenerator(), sd)


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
    assert translate.fit(img, "crop256").size == (256, 256)
    assert translate.fit(img, "keep", max_side=600).size == (600, 300)
    odd = Image.new("RGB", (255, 103))
    assert translate.fit(odd, "keep").size == (252, 100)
    strip = Image.new("RGB", (10000, 10))
    assert translate.fit(strip, "crop256").size == (256, 256)  # the central 10x10, not a 256000x256 resize
    with pytest.raises(ImageInputError, match="too thin"):  # 1024x4 would break the generator's padding
        translate.fit(strip, "keep", 1024)
    assert translate.fit(Image.new("RGB", (4000, 64)), "keep", 1024).size == (1024, 16)


def test_tiled_translation_equals_whole_image_for_a_pointwise_network():
    # A 1x1-convolution network has no spatial context, so tiling must reproduce it exactly:
    # this checks the tile placement and the blending weights.
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 3, 1), torch.nn.Tanh()).eval()
    x = torch.rand(1, 3, 300, 700) * 2 - 1
    whole = translate.run(net, x)
    tiled = translate.run_tiled(net, x)
    assert metrics.psnr(tiled, whole) > 60


def test_fast_path_matches_fp32_eager():
    torch.manual_seed(0)
    gen = ResnetGenerator(ngf=16, n_blocks=3).eval()
    x = torch.rand(1, 3, 128, 128) * 2 - 1
    with torch.no_grad():
        reference = gen(x)
    fast = translate.run(inference.prepare(gen), x)
    assert metrics.psnr(fast, reference) >= 35


def test_losses_and_pool():
    torch.manual_seed(0)
    model = CycleGAN(ngf=8, n_blocks=1, ndf=8)
    a, b = torch.rand(2, 3, 32, 32) * 2 - 1, torch.rand(2, 3, 32, 32) * 2 - 1
    total, parts, fake_a, fake_b = cyclegan_losses(model, a, b)
    recomputed = parts["adv"] + 10 * parts["cycle"] + 5 * parts["identity"]
    assert total.item() == pytest.approx(recomputed, rel=1e-5)
    heavier, parts_30, _, _ = cyclegan_losses(model, a, b, lambda_cycle=30.0)  # --cycle-weight 30
    assert heavier.item() == pytest.approx(parts_30["adv"] + 30 * parts_30["cycle"] + 15 * parts_30["identity"],
                                           rel=1e-5)
    lighter, parts_id, _, _ = cyclegan_losses(model, a, b, lambda_identity=0.1)  # --identity-weight 0.1
    assert lighter.item() == pytest.approx(parts_id["adv"] + 10 * parts_id["cycle"] + 1 * parts_id["identity"],
                                           rel=1e-5)
    pool = ImagePool(3)
    for i in range(10):
        out = pool.query(torch.full((1, 1, 2, 2), float(i)))
        assert out.shape == (1, 1, 2, 2)
    assert len(pool.images) == 3


def test_the_colour_path_learns_at_its_own_pace():
    """Its weights start at zero and need values of order 1: they take steps COLOUR_LR_SCALE times
    the others' (Adam moves each weight by about lr per iteration)."""
    from ganzoo.training.cyclegan import COLOUR_LR_SCALE, train_cyclegan
    torch.manual_seed(0)
    model = CycleGAN(ngf=4, n_blocks=1, ndf=4, upsample="resize", colour=True)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(0)
    a, b = (torch.randint(0, 256, (4, 3, 40, 40), generator=g, dtype=torch.uint8) for _ in range(2))
    train_cyclegan(model, a, b, iterations=3, crop=32, lr=1e-3, seed=1, log=lambda *_: None)
    moved = {k: (v - before[k]).abs().max().item() for k, v in model.state_dict().items() if k.startswith("G_")}
    colour = max(v for k, v in moved.items() if ".colour." in k)
    assert colour > COLOUR_LR_SCALE * 1e-3 and max(v for k, v in moved.items() if ".colour." not in k) < 3 * 3e-3


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




def test_instance_norm_generator_cannot_see_the_mean_colour():
    """Why the floor matters: the authors' generator gives the same output for an image and the
    same image with a constant colour added, because its first InstanceNorm removes it."""
    torch.manual_seed(0)
    gen = ResnetGenerator(ngf=8, n_blocks=1).eval()
    x = torch.rand(1, 3, 32, 32) - 0.5
    with torch.no_grad():
        torch.testing.assert_close(gen(x), gen(x + torch.tensor([0.3, -0.2, 0.1]).view(1, 3, 1, 1)),
                                   atol=1e-4, rtol=1e-4)


OFFICIAL_FROM_SPACE = """
import json, torch
from ganzoo.io import checkpoints
from ganzoo import translate
assert "cyclegan-official-monet" in checkpoints.available("cyclegan-official")
loaded = checkpoints.load("cyclegan-official-monet")
x = torch.linspace(-1, 1, 3 * 32 * 32).view(1, 3, 32, 32)
print(json.dumps({"source": loaded.source, "warning": loaded.warning,
                  "out": translate.run(loaded.model, x).sum().item()}))
"""


def test_official_generator_loads_from_the_space_cache(tmp_path):
    """The authors' file as the Space holds it (repo_type space, nested path, InstanceNorm running
    stats), read from a real Hub cache layout offline through the registry."""
    from tests.unit.test_checkpoints import run_offline, write_hub_snapshot
    torch.manual_seed(0)
    reference = ResnetGenerator().eval()
    sd = {**reference.state_dict(), **{k: v for k, v in official_layout(running_stats=True).items() if "running" in k}}
    src = tmp_path / "space"
    (src / "checkpoints" / "style_monet_pretrained").mkdir(parents=True)
    torch.save(sd, src / "checkpoints" / "style_monet_pretrained" / "latest_net_G.pth")
    write_hub_snapshot(tmp_path / "hf", "davidpiscasio/unpaired-img2img", "c" * 40, src, repo_type="space")
    report = run_offline(tmp_path, OFFICIAL_FROM_SPACE, GANZOO_HUB_MODELS="1")
    assert report["source"] == "davidpiscasio/unpaired-img2img@main" and report["warning"] is None
    x = torch.linspace(-1, 1, 3 * 32 * 32).view(1, 3, 32, 32)
    assert report["out"] == pytest.approx(translate.run(inference.prepare(reference), x).sum().item(), abs=1e-2)
    # The page offers it once the operator enables Hub models, and translates with it.
    page = run_offline(tmp_path, PAGE_WITH_OFFICIAL.format(app=str(ROOT / "app.py")), GANZOO_HUB_MODELS="1")
    assert page == {"exceptions": 0, "errors": [], "translated": True, "direction_disabled": True}


PAGE_WITH_OFFICIAL = """
import json
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=300).run()  # pages are known by url_path after a first run
at.switch_page("app_pages/cyclegan.py")
at.run()
at.selectbox(key="style").set_value("cyclegan-official-monet").run()
text = " ".join(str(el.proto) for el in at.main if hasattr(el, "proto"))
print(json.dumps({{"exceptions": len(at.exception), "errors": [e.value for e in at.error],
                  "translated": "Translation," in text, "direction_disabled": at.radio(key="direction").disabled}}))
"""


def phase_spread(generator, value=0.2, size=256):
    """A flat image through the generator, and metrics.phase_spread of the output."""
    with torch.no_grad():
        return metrics.phase_spread(generator.eval()(torch.full((1, 3, size, size), value))[0])


def test_resize_convolution_leaves_no_checkerboard_where_transposed_convolution_does():
    for seed in range(3):
        torch.manual_seed(seed)
        assert phase_spread(ResnetGenerator(ngf=16, n_blocks=2, upsample="transpose")) > 0.01
        torch.manual_seed(seed)
        assert phase_spread(ResnetGenerator(ngf=16, n_blocks=2, upsample="resize")) < 1e-6
    with pytest.raises(ValueError):
        ResnetGenerator(upsample="bilinear-ish")


def test_a_resize_generator_warm_starts_from_a_transposed_one():
    from ganzoo.models.cyclegan import ResizeConv2d, resize_from_transposed
    torch.manual_seed(0)
    source = ResnetGenerator(ngf=8, n_blocks=2)
    target = resize_from_transposed(ResnetGenerator(ngf=8, n_blocks=2, upsample="resize"), source)
    ups = [i for i, m in enumerate(target.model) if isinstance(m, ResizeConv2d)]
    assert ups == [i for i, m in enumerate(source.model) if isinstance(m, torch.nn.ConvTranspose2d)]
    assert len(ups) == 2
    for key, value in source.state_dict().items():
        if not key.startswith(tuple(f"model.{i}." for i in ups)):
            assert torch.equal(target.state_dict()[key], value), key
    # On a dense input a stride-1 transposed convolution is the convolution with the kernel flipped
    # and its channels swapped: that is what the warm start copies into the resize layer's conv.
    t = source.model[ups[0]]
    x = torch.randn(1, t.in_channels, 9, 9)
    dense = F.conv_transpose2d(x, t.weight, t.bias, stride=1, padding=1)
    assert torch.allclose(target.model[ups[0]][2](F.pad(x, (1,) * 4)), dense, atol=1e-5)


def test_old_configs_without_upsample_still_load_as_transposed(tmp_path):
    import json
    torch.manual_seed(0)
    CycleGAN(ngf=8, n_blocks=1, ndf=8).save_pretrained(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    config.pop("upsample", None)
    (tmp_path / "config.json").write_text(json.dumps(config))
    loaded = checkpoints.load_folder(CycleGAN, tmp_path)
    assert any(isinstance(m, torch.nn.ConvTranspose2d) for m in loaded.G_AB.model)


def test_the_shipped_compact_model_paints_no_grid_where_its_first_version_did():
    """The issue's test: a constant 256x256 image through each shipped generator; the central 128x128
    split into its 16 pixel phases; the phases' means differ by at most 0.01 per channel."""
    model = checkpoints.load_folder(CycleGAN, checkpoints.embedded_folder("cyclegan-monet-compact")).eval()
    for generator in (model.G_BA, model.G_AB):
        for value in (-0.5, 0.2, 0.7):
            assert metrics.flat_spread(generator, value) <= 0.01
    first = checkpoints.load_folder(ResnetGenerator, checkpoints.embedded_folder("cyclegan-monet-compact-v1")).eval()
    assert metrics.flat_spread(first) > 0.05  # the checkerboard the resize-convolutions removed
