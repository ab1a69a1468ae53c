"""int8 checkpoints (ganzoo.models.int8_weights, ganzoo.quantize): known answers for the per-channel quantisation, the
official-size generator stored at a quarter of its size and read back through the normal loaders,
the CLI on the shipped compact pair, and corrupt files refused with one clear message."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from ganzoo.io import checkpoints
from ganzoo.io.data import load_image_folder
from ganzoo.models import int8_weights
from ganzoo.models.cyclegan import CycleGAN, ResnetGenerator
from ganzoo.quantize import lowest_psnr
from ganzoo.training.snapshots import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


def test_each_output_channel_gets_its_own_scale():
    conv = nn.Conv2d(2, 2, 1, bias=False)
    up = nn.ConvTranspose2d(2, 2, 1, bias=False)  # weight (in, out, 1, 1): output channels on axis 1
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[1.27, -0.5], [0.02, -0.0254]])[:, :, None, None])
        up.weight.copy_(torch.tensor([[1.27, 0.02], [-0.5, -0.0254]])[:, :, None, None])
    model = nn.Sequential(conv, up)
    state = int8_weights.quantize(model, min_elements=1)
    assert state["0.weight"].dtype == torch.int8
    assert state["0.weight"].flatten().tolist() == [127, -50, 100, -127]  # scales 0.01 and 0.0002
    assert state["0.weight" + int8_weights.SCALE].flatten().tolist() == pytest.approx([0.01, 0.0002])
    assert state["1.weight" + int8_weights.SCALE].shape == (1, 2, 1, 1)
    assert state["1.weight"].flatten().tolist() == [127, 100, -50, -127]
    back = int8_weights.dequantize(state)
    assert torch.allclose(back["0.weight"], conv.weight, atol=1e-6) and torch.allclose(back["1.weight"], up.weight,
                                                                                       atol=1e-6)


def test_official_size_generator_stored_in_int8_loads_back_within_40_db(tmp_path):
    torch.manual_seed(0)
    generator = ResnetGenerator().eval()  # ngf 64, 9 blocks: the authors' size
    generator.save_pretrained(tmp_path / "fp32")
    path = int8_weights.save(generator, tmp_path / "int8")
    assert int8_weights.is_int8_file(path) and not int8_weights.is_int8_file(tmp_path / "fp32" / "model.safetensors")
    assert path.stat().st_size < 0.26 * (tmp_path / "fp32" / "model.safetensors").stat().st_size
    stored = load_file(str(path))
    convolutions = [k for k, v in stored.items() if v.dtype == torch.int8]
    assert len(convolutions) == 24  # every convolution: 7x7 in, 2 down, 9 blocks of 2, 2 up, 7x7 out
    loaded = checkpoints.load_folder(ResnetGenerator, tmp_path / "int8")
    for key, value in generator.state_dict().items():  # within half a step of each channel's scale
        scale = stored.get(key + int8_weights.SCALE)
        tolerance = scale / 2 + 1e-7 if scale is not None else 0
        assert ((loaded.state_dict()[key] - value).abs() <= tolerance).all(), key
    samples = load_image_folder(SAMPLES).float() / 127.5 - 1
    assert lowest_psnr(generator, loaded, samples) >= 40


def test_cli_writes_an_int8_copy_of_the_shipped_pair_and_says_so_in_its_card(tmp_path):
    out = tmp_path / "int8"
    run = subprocess.run([sys.executable, "-m", "ganzoo.quantize", str(ROOT / "weights/cyclegan-monet-compact"),
                          str(out), "--data", str(tmp_path / "no-data")], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout[run.stdout.index("{"):])
    assert report["on"] == "the app's 4 sample images" and min(report["lowest PSNR (dB)"].values()) >= 40
    assert report["MB"]["int8"] < 0.3 * report["MB"]["fp32"]
    stored = checkpoints.read_card(out)["training"]["stored"]
    assert "int8 weights per output channel" in stored and "stored" in (out / "README.md").read_text()
    fp32, int8 = (checkpoints.load_folder(CycleGAN, f) for f in (ROOT / "weights/cyclegan-monet-compact", out))
    landscape = load_image_folder(SAMPLES)[-1:].float() / 127.5 - 1
    assert lowest_psnr(fp32.G_BA, int8.G_BA, landscape) >= report["lowest PSNR (dB)"]["photo -> painting"]
    same = subprocess.run([sys.executable, "-m", "ganzoo.quantize", str(out), str(out)], capture_output=True,
                          text=True, cwd=ROOT)
    assert same.returncode == 2 and "another folder" in same.stderr
    missing = subprocess.run([sys.executable, "-m", "ganzoo.quantize", str(tmp_path / "nothing"), str(tmp_path / "x")],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "has no config.json" in missing.stderr and "Traceback" not in missing.stderr


def test_int8_file_whose_scales_do_not_fit_is_refused_with_one_message(tmp_path):
    torch.manual_seed(0)
    generator = ResnetGenerator(ngf=8, n_blocks=1).eval()
    path = int8_weights.save(generator, tmp_path)
    state = load_file(str(path))
    key = next(k for k in state if k.endswith(int8_weights.SCALE))
    state[key] = state[key][:2]  # two scales for a weight of 8 or more output channels
    save_file(state, str(path), metadata={"format": "pt", **int8_weights.METADATA})
    with pytest.raises(checkpoints.CheckpointError, match="do not fit"):
        checkpoints.load_folder(ResnetGenerator, tmp_path)
    del state[key]
    save_file(state, str(path), metadata={"format": "pt", **int8_weights.METADATA})
    with pytest.raises(checkpoints.CheckpointError, match="no scales"):
        checkpoints.load_folder(ResnetGenerator, tmp_path)


HUB_LOAD = """
import json
from ganzoo.io import checkpoints
from ganzoo.models.cyclegan import CycleGAN
loaded = checkpoints.load("cyclegan-monet-compact")
raw = checkpoints.load_hub(CycleGAN, "{repo}", "{commit}")
print(json.dumps({{"source": loaded.source, "warning": loaded.warning,
                  "first": raw.G_BA.model[1].weight.flatten()[:64].tolist()}}))
"""


def test_int8_pair_loads_from_a_hub_cache_like_any_checkpoint(tmp_path):
    from tests.unit.test_checkpoints import run_offline, write_hub_snapshot
    torch.manual_seed(0)
    pair = CycleGAN(ngf=8, n_blocks=1, ndf=8, upsample="resize").eval()
    int8_weights.save(pair, tmp_path / "src")
    repo, commit = "someone/int8-cyclegan", "0123456789abcdef0123456789abcdef01234567"
    write_hub_snapshot(tmp_path / "hf", repo, commit, tmp_path / "src")
    report = run_offline(tmp_path, HUB_LOAD.format(repo=repo, commit=commit),
                         GANZOO_HUB_CYCLEGAN_MONET_COMPACT=f"{repo}@{commit}")
    assert report["source"] == f"{repo}@{commit}" and report["warning"] is None
    expected = int8_weights.dequantize(load_file(str(tmp_path / "src" / "model.safetensors")))["G_BA.model.1.weight"]
    assert report["first"] == pytest.approx(expected.flatten()[:64].tolist(), abs=1e-7)
    assert report["first"] != pytest.approx(pair.G_BA.model[1].weight.flatten()[:64].tolist(), abs=1e-7)
