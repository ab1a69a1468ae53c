"""Every way a Hub checkpoint can fail, through the operator's route (GANZOO_HUB_<NAME>=repo@rev):
one clear one-line message, the embedded model used instead, and a page that carries on.

Each case lays out a real huggingface_hub cache (blobs, snapshots, refs, .no_exist markers) or
points the client at an endpoint where nothing listens, then loads in a fresh process."""

import json

import pytest
import torch

from ganzoo.io import checkpoints
from tests.unit.test_checkpoints import (  # noqa: F401
    LOAD_AND_REPORT,
    RunsCode,
    embedded,
    output,
    run_offline,
    tiny_gan,
    write_hub_snapshot,
)

REPO, COMMIT = "someone/tiny-dcgan", "89abcdef0123456789abcdef0123456789abcdef"


def snapshot_with(tmp_path, defect):
    """A cached Hub snapshot of a tiny DCGAN with one defect."""
    src = checkpoints.save(tiny_gan(3), tmp_path / "hub_src", {"name": "mnist-dcgan", "title": "hub"})
    (src / "card.json").unlink()
    if defect == "missing file":
        (src / "model.safetensors").unlink()
    elif defect == "corrupt safetensors":
        data = bytearray((src / "model.safetensors").read_bytes())
        data[8:40] = b"{" * 32
        (src / "model.safetensors").write_bytes(bytes(data))
    elif defect == "wrong shapes":
        config = json.loads((src / "config.json").read_text())
        (src / "config.json").write_text(json.dumps({**config, "width": 16}))
    elif defect == "pickle that runs code":
        # No safetensors (the Hub said so: a .no_exist marker), only a pickle that would touch a file.
        (src / "model.safetensors").unlink()
        torch.save({"evil": RunsCode(tmp_path / "pwned")}, src / "pytorch_model.bin")
    write_hub_snapshot(tmp_path / "hf", REPO, COMMIT, src)
    if defect == "pickle that runs code":
        no_exist = tmp_path / "hf" / "hub" / ("models--" + REPO.replace("/", "--")) / ".no_exist" / COMMIT
        no_exist.mkdir(parents=True)
        (no_exist / "model.safetensors").touch()


CASES = [  # defect, words the message must contain
    ("unknown repo", "nobody/nothing-here@main"),
    ("missing file", "missing"),
    ("corrupt safetensors", "corrupt"),
    ("wrong shapes", "do not fit"),
    ("pickle that runs code", "could run code was refused"),
]


@pytest.mark.parametrize("defect,words", CASES, ids=[c[0] for c in CASES])
def test_hub_failure_falls_back_to_the_embedded_model(tmp_path, embedded, defect, words):  # noqa: F811
    _, model = embedded
    source = "nobody/nothing-here@main" if defect == "unknown repo" else f"{REPO}@{COMMIT}"
    if defect != "unknown repo":
        snapshot_with(tmp_path, defect)
    report = run_offline(tmp_path, LOAD_AND_REPORT.format(repo=None), GANZOO_HUB_MNIST_DCGAN=source)
    assert report["source"] == "weights/mnist-dcgan"
    warning = report["warning"]
    assert words in warning and source.split("@")[0] in warning and "embedded" in warning, warning
    assert "\n" not in warning
    assert report["sum"] == pytest.approx(output(model).sum().item(), abs=1e-4)
    assert not (tmp_path / "pwned").exists()  # the pickle never ran


def test_hub_unreachable_falls_back(tmp_path, embedded):  # noqa: F811
    """Online mode, but the endpoint refuses connections: the Hub is down."""
    _, model = embedded
    report = run_offline(tmp_path, LOAD_AND_REPORT.format(repo=None), HF_HUB_OFFLINE="0",
                         HF_ENDPOINT="http://127.0.0.1:9", HF_HUB_ETAG_TIMEOUT="2", HF_HUB_DOWNLOAD_TIMEOUT="2",
                         GANZOO_HUB_MNIST_DCGAN=f"{REPO}@{COMMIT}")
    assert report["source"] == "weights/mnist-dcgan"
    assert REPO in report["warning"] and "\n" not in report["warning"], report["warning"]
    assert report["sum"] == pytest.approx(output(model).sum().item(), abs=1e-4)




