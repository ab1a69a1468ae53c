"""Sampling the 28x28 generators from the terminal (python -m ganzoo.sample) and the library call
behind it (ganzoo.sample)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ganzoo.io import checkpoints

ROOT = Path(__file__).resolve().parents[2]


def test_sample_cli_npz_and_pngs(tmp_path):
    out = tmp_path / "s.npz"
    subprocess.run([sys.executable, "-m", "ganzoo.sample", "mnist-cgan", "--n", "20", "--seed", "4",
                    "--out", str(out)], check=True, cwd=ROOT, capture_output=True)
    data = np.load(out)
    assert data["images"].shape == (20, 28, 28) and data["images"].dtype == np.float32
    assert 0 <= data["images"].min() and data["images"].max() <= 1
    assert np.bincount(data["labels"]).tolist() == [2] * 10
    # The same seed gives the same images as the library call the pages make.
    from ganzoo.inference import sampling as sample
    from ganzoo.runtime.device import policy
    model = checkpoints.load("mnist-cgan", p=policy()).model  # this machine's policy, as the CLI runs
    again = sample.sample(model, 20, 4)
    np.testing.assert_allclose(data["images"], ((again[:, 0] + 1) / 2).clamp(0, 1).numpy(), atol=1e-6)
    subprocess.run([sys.executable, "-m", "ganzoo.sample", "mnist-cgan", "--n", "3", "--label", "7",
                    "--out", str(tmp_path / "pngs")], check=True, cwd=ROOT, capture_output=True)
    assert sorted(p.name for p in (tmp_path / "pngs").iterdir()) == [
        "00000_label7.png", "00001_label7.png", "00002_label7.png"]


@pytest.mark.parametrize("name", ["mnist-scgan", "mnist-scgan-w64"])
def test_shipped_self_conditioned_dcgans_draw_fewer_images_between_digits_than_the_plain_one(name, tmp_path):
    from ganzoo.inference import sampling as sample
    from ganzoo.maths import metrics
    judge = checkpoints.load(checkpoints.judge_of("mnist")).model
    probs = {kind: sample.classify(judge, sample.sample(checkpoints.load(kind).model, 2000, seed=0))
             for kind in (name, "mnist-dcgan")}
    assert metrics.unsure_share(probs[name]) < metrics.unsure_share(probs["mnist-dcgan"])
    assert metrics.inception_score(probs[name]) > metrics.inception_score(probs["mnist-dcgan"])
    assert metrics.kl_to_uniform(metrics.class_histogram(probs[name])) < 0.05  # its clusters' sizes keep the mix
    # From the terminal too: a seed is all it needs.
    subprocess.run([sys.executable, "-m", "ganzoo.sample", name, "--n", "2", "--seed", "5",
                    "--out", str(tmp_path / "pngs")], check=True, cwd=ROOT, capture_output=True)
    assert len(list((tmp_path / "pngs").glob("*.png"))) == 2
