"""`python -m ganzoo.sample` serves every model the sampling page serves (the StyleGANs, the VAEs) and
says what a model is when it draws no images."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from ganzoo import sample as sample_cli
from ganzoo.inference import sampling
from ganzoo.io import checkpoints
from ganzoo.runtime.device import policy


@pytest.mark.parametrize("name", ["mnist-stylegan", "fashion-stylegan", "mnist-vae"])
def test_the_cli_draws_what_the_page_draws(tmp_path, name):
    out = tmp_path / "s.npz"
    done = subprocess.run([sys.executable, "-m", "ganzoo.sample", name, "--n", "16", "--seed", "3", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    images = np.load(out)["images"]
    assert images.shape == (16, 28, 28) and images.dtype == np.float32
    assert 0 <= images.min() and images.max() <= 1 and images.std() > 0.05  # pictures, not a flat field
    page = sampling.sample(checkpoints.load(name, p=policy()).model, 16, 3)  # the page's draw, as the CLI runs
    np.testing.assert_allclose(images, ((page[:, 0] + 1) / 2).clamp(0, 1).numpy(), atol=0.02)


@pytest.mark.parametrize("name,says", [("mnist-classifier", "judges images"),
                                       ("cyclegan-monet-compact", "ganzoo.translate")])
def test_a_model_that_draws_no_digits_is_named_for_what_it_is(tmp_path, name, says):
    done = subprocess.run([sys.executable, "-m", "ganzoo.sample", name, "--n", "4", "--out", str(tmp_path / "x.npz")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and not (tmp_path / "x.npz").exists()
    assert says in done.stderr and "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_every_generator_the_pages_offer_is_a_cli_generator():
    assert {"mnist-stylegan", "fashion-stylegan", "mnist-dense", "mnist-dcgan", "fashion-dcgan", "mnist-cgan",
            "mnist-vae"} <= set(sample_cli.GENERATORS)
    assert "mnist-classifier" not in sample_cli.GENERATORS and "painting-judge" not in sample_cli.GENERATORS
    assert isinstance(sample_cli.load_generator("mnist-stylegan", checkpoints.Policy.plain()), torch.nn.Module)
