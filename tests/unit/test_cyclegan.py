"""CycleGAN: the official state-dict layout, loading the authors' files, the models' upsampling and
the checkerboard it leaves (or not)."""

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from ganzoo import inference
from ganzoo.inference import translation
from ganzoo.io import checkpoints
from ganzoo.maths import metrics
from ganzoo.models.cyclegan import CycleGAN, ResnetGenerator, load_official_state_dict
from ganzoo.runtime.device import policy

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
from ganzoo.inference import translation
from ganzoo.runtime.device import policy
assert "cyclegan-official-monet" in checkpoints.available("cyclegan-official")
loaded = checkpoints.load("cyclegan-official-monet", p=policy())
x = torch.linspace(-1, 1, 3 * 32 * 32).view(1, 3, 32, 32)
print(json.dumps({"source": loaded.source, "warning": loaded.warning,
                  "out": translation.run(loaded.model, x).sum().item()}))
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
    expected = translation.run(inference.prepare(reference, policy()), x).sum().item()
    assert report["out"] == pytest.approx(expected, abs=1e-2)
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
