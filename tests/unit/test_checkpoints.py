"""Checkpoints: Hub-layout folders, a real Hub cache read offline, fallbacks and refusals."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from ganzoo.io import checkpoints
from ganzoo.models.mnist import MnistGAN

ROOT = Path(__file__).resolve().parents[2]


def tiny_gan(seed=0, width=8):
    torch.manual_seed(seed)
    return MnistGAN("dcgan", latent_dim=8, width=width).eval()


def output(model):
    z = torch.linspace(-1, 1, 16).view(2, 8)
    with torch.no_grad():
        return model(z)


def write_hub_snapshot(hf_home: Path, repo_id: str, commit: str, folder: Path, repo_type: str = "model"):
    """Lay a folder out exactly as huggingface_hub caches a download: content-addressed blobs,
    a snapshot of symlinks at the commit (nested paths kept), and refs/main pointing at it."""
    repo_dir = hf_home / "hub" / (f"{repo_type}s--" + repo_id.replace("/", "--"))
    (repo_dir / "blobs").mkdir(parents=True, exist_ok=True)
    (repo_dir / "refs").mkdir(exist_ok=True)
    snapshot = repo_dir / "snapshots" / commit
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = f.read_bytes()
        blob = repo_dir / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        link = snapshot / f.relative_to(folder)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    (repo_dir / "refs" / "main").write_text(commit)


@pytest.fixture
def embedded(tmp_path, monkeypatch):
    """A weights/ folder holding a tiny mnist-dcgan, used as the embedded checkpoint."""
    weights = tmp_path / "weights"
    model = tiny_gan(0)
    checkpoints.save(model, weights / "mnist-dcgan", {"name": "mnist-dcgan", "title": "tiny"})
    monkeypatch.setattr(checkpoints, "WEIGHTS_DIR", weights)
    return weights, model


def test_save_then_load_from_folder(tmp_path):
    model = tiny_gan(1)
    folder = checkpoints.save(model, tmp_path / "ckpt", {"name": "x", "title": "Tiny", "training": {"command": "cmd"}})
    assert {"config.json", "model.safetensors", "README.md"} <= {p.name for p in folder.iterdir()}
    assert json.loads((folder / "config.json").read_text())["width"] == 8
    assert "cmd" in (folder / "README.md").read_text()
    loaded = checkpoints.load_folder(MnistGAN, folder)
    assert not loaded.training
    torch.testing.assert_close(output(loaded), output(model))


def test_load_embedded_by_name(embedded):
    _, model = embedded
    loaded = checkpoints.load("mnist-dcgan")
    assert loaded.source == "weights/mnist-dcgan" and loaded.warning is None
    torch.testing.assert_close(output(loaded.model), output(model))


def run_offline(tmp_path, code, **env):
    full = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1",
            "GANZOO_WEIGHTS": str(tmp_path / "weights"), "PYTHONPATH": str(ROOT), **env}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


LOAD_AND_REPORT = """
import json, torch
from ganzoo.io import checkpoints
loaded = checkpoints.load("mnist-dcgan", repo={repo!r})
z = torch.linspace(-1, 1, 16).view(2, 8)
with torch.no_grad():
    out = loaded.model(z)
print(json.dumps({{"source": loaded.source, "warning": loaded.warning, "sum": out.sum().item()}}))
"""


def test_load_by_repo_id_from_hub_cache_offline(tmp_path, embedded):
    hub_model = tiny_gan(2)
    src = checkpoints.save(hub_model, tmp_path / "hub_src", {"name": "mnist-dcgan", "title": "hub"})
    commit = "0123456789abcdef0123456789abcdef01234567"
    write_hub_snapshot(tmp_path / "hf", "someone/tiny-dcgan", commit, src)
    report = run_offline(tmp_path, LOAD_AND_REPORT.format(repo=None),
                         GANZOO_HUB_MNIST_DCGAN=f"someone/tiny-dcgan@{commit}")
    assert report["source"] == f"someone/tiny-dcgan@{commit}" and report["warning"] is None
    assert report["sum"] == pytest.approx(output(hub_model).sum().item(), abs=1e-4)
    # A visitor's repo id is refused unless the operator allows it...
    report = run_offline(tmp_path, LOAD_AND_REPORT.format(repo=f"someone/tiny-dcgan@{commit}"))
    assert report["source"] == "weights/mnist-dcgan" and "GANZOO_ALLOW_VISITOR_REPOS" in report["warning"]
    # ...and loads when allowed, by revision "main" through refs/main.
    report = run_offline(tmp_path, LOAD_AND_REPORT.format(repo="someone/tiny-dcgan"),
                         GANZOO_ALLOW_VISITOR_REPOS="1")
    assert report["source"] == "someone/tiny-dcgan@main"
    assert report["sum"] == pytest.approx(output(hub_model).sum().item(), abs=1e-4)


def test_failing_repo_falls_back_to_embedded_with_one_message(tmp_path, embedded):
    _, model = embedded
    report = run_offline(tmp_path, LOAD_AND_REPORT.format(repo="nobody/does-not-exist@main"),
                         GANZOO_ALLOW_VISITOR_REPOS="1")
    assert report["source"] == "weights/mnist-dcgan"
    assert "nobody/does-not-exist@main" in report["warning"] and "embedded" in report["warning"]
    assert "\n" not in report["warning"]
    assert report["sum"] == pytest.approx(output(model).sum().item(), abs=1e-4)


def test_malformed_repo_id_is_refused(embedded):
    with pytest.raises(checkpoints.CheckpointError, match="not a Hub repo id"):
        checkpoints.parse_repo("../../etc/passwd")


def test_tampered_safetensors_is_refused(tmp_path):
    folder = checkpoints.save(tiny_gan(), tmp_path / "ckpt", {"title": "t"})
    data = bytearray((folder / "model.safetensors").read_bytes())
    data[8:40] = b"{" * 32  # scribble over the JSON header
    (folder / "model.safetensors").write_bytes(bytes(data))
    with pytest.raises(checkpoints.CheckpointError, match="corrupt|Could not load"):
        checkpoints.load_folder(MnistGAN, folder)


def test_wrong_shapes_are_refused(tmp_path):
    folder = checkpoints.save(tiny_gan(width=8), tmp_path / "ckpt", {"title": "t"})
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "width": 16}))
    with pytest.raises(checkpoints.CheckpointError, match="do not fit"):
        checkpoints.load_folder(MnistGAN, folder)


def test_missing_file_is_refused(tmp_path):
    folder = checkpoints.save(tiny_gan(), tmp_path / "ckpt", {"title": "t"})
    (folder / "model.safetensors").unlink()
    with pytest.raises(checkpoints.CheckpointError, match="no model.safetensors"):
        checkpoints.load_folder(MnistGAN, folder)


class RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickle_that_runs_code_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "latest_net_G.pth"
    torch.save({"weight": torch.zeros(2), "evil": RunsCode(marker)}, path)
    with pytest.raises(checkpoints.CheckpointError, match="refused"):
        checkpoints.load_state_dict_file(path)
    assert not marker.exists()
    # A plain tensor file from a third party loads.
    torch.save({"weight": torch.ones(2)}, tmp_path / "ok.pth")
    assert checkpoints.load_state_dict_file(tmp_path / "ok.pth")["weight"].sum() == 2


def test_unknown_name_is_refused():
    with pytest.raises(checkpoints.CheckpointError, match="Unknown model"):
        checkpoints.load("mnist-nothing")


def huggan_state_dict():
    """A state dict with exactly huggan/dcgan-mnist's keys and shapes, built independently of
    ganzoo's class: Sequential indices 0,1 / 3,4 / 6,7 / 9,10 / 12, convolutions without bias."""
    torch.manual_seed(5)
    sd = {}
    chans = [100, 512, 256, 128, 64]
    for i in range(4):
        sd[f"model.{3 * i}.weight"] = torch.randn(chans[i], chans[i + 1], 4, 4) * 0.02
        bn = f"model.{3 * i + 1}"
        sd[bn + ".weight"] = torch.ones(chans[i + 1]) + 0.1 * torch.randn(chans[i + 1])
        sd[bn + ".bias"] = 0.1 * torch.randn(chans[i + 1])
        sd[bn + ".running_mean"] = 0.1 * torch.randn(chans[i + 1])
        sd[bn + ".running_var"] = torch.rand(chans[i + 1]) + 0.5
        sd[bn + ".num_batches_tracked"] = torch.tensor(100)
    sd["model.12.weight"] = torch.randn(64, 3, 4, 4) * 0.02
    return sd


def test_huggan_dcgan_layout_loads_from_a_hub_cache(tmp_path):
    sd = huggan_state_dict()
    src = tmp_path / "src"
    src.mkdir()
    torch.save(sd, src / "pytorch_model.bin")
    write_hub_snapshot(tmp_path / "hf", "huggan/dcgan-mnist", "f" * 40, src)
    code = """
import json, torch
from ganzoo.io import checkpoints
assert "huggan-dcgan-mnist" in checkpoints.available("mnist")
loaded = checkpoints.load("huggan-dcgan-mnist")
with torch.no_grad():
    out = loaded.model(torch.linspace(-1, 1, 200).view(2, 100))
print(json.dumps({"source": loaded.source, "shape": list(out.shape), "sum": out.sum().item()}))
"""
    report = run_offline(tmp_path, code, GANZOO_HUB_MODELS="1")
    assert report["source"] == "huggan/dcgan-mnist@main" and report["shape"] == [2, 3, 64, 64]
    from ganzoo.models.mnist import HugganDCGANGenerator
    ref = HugganDCGANGenerator()
    ref.load_state_dict(sd, strict=True)
    with torch.no_grad():
        expected = ref.eval()(torch.linspace(-1, 1, 200).view(2, 100)).sum().item()
    assert report["sum"] == pytest.approx(expected, abs=1e-3)


def test_hub_only_models_are_hidden_unless_enabled(monkeypatch):
    monkeypatch.delenv("GANZOO_HUB_MODELS", raising=False)
    assert "huggan-dcgan-mnist" not in checkpoints.available()
    monkeypatch.setenv("GANZOO_HUB_MODELS", "1")
    assert "huggan-dcgan-mnist" in checkpoints.available()
