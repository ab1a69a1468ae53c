"""The small StyleGAN: AdaIN and truncation against their formulas, style mixing and noise as the
page uses them, the training CLI and an exact resume (mixing and noise draw from the seeded global
generator), and the shipped models: as good as the DCGAN, and their styles doing what the page says."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from ganzoo.inference import sampling
from ganzoo.io import checkpoints
from ganzoo.lessons import styles
from ganzoo.maths import metrics
from ganzoo.models.stylegan import STYLE_GROUPS, StyleGAN, adain, minibatch_std, truncate
from ganzoo.training.distributed import World
from ganzoo.training.gan import train_gan
from tests.unit.synthetic_mnist import synthetic_digits
from tests.unit.test_training_state import Interrupted, interrupt_after_first_save, same_weights

ROOT = Path(__file__).resolve().parents[2]
SMALL = dict(latent_dim=16, w_dim=16, mapping_layers=2, channels=(16, 8, 8, 4), d_width=4)


def small_model(seed=0, **kw) -> StyleGAN:
    torch.manual_seed(seed)
    return StyleGAN(**{**SMALL, **kw}).eval()


def test_adain_is_its_formula():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(3, 5, 6, 6, generator=g) * 4 + 2
    y_s, y_b = torch.randn(3, 5, generator=g), torch.randn(3, 5, generator=g)
    mu = x.mean((2, 3), keepdim=True)
    sigma = (x.var((2, 3), unbiased=False, keepdim=True) + 1e-5).sqrt()
    by_hand = y_s[:, :, None, None] * (x - mu) / sigma + y_b[:, :, None, None]
    out = adain(x, y_s, y_b)
    assert torch.allclose(out, by_hand, atol=1e-5)
    # Each feature map ends with the style's statistics, whatever it started with.
    assert torch.allclose(out.mean((2, 3)), y_b, atol=1e-5)
    assert torch.allclose(out.std((2, 3), unbiased=False), y_s.abs(), atol=1e-3)


def test_truncation_pulls_w_towards_the_average():
    w, w_avg = torch.randn(4, 8), torch.randn(8)
    assert torch.equal(truncate(w, w_avg, 1.0), w)
    assert torch.allclose(truncate(w, w_avg, 0.0), w_avg.expand(4, 8))
    assert torch.allclose(truncate(w, w_avg, 0.5), (w + w_avg) / 2)


def test_minibatch_std_is_zero_for_identical_images_only():
    same = torch.randn(1, 3, 4, 4).expand(8, -1, -1, -1)
    assert minibatch_std(same).abs().max() < 1e-6
    varied = minibatch_std(torch.randn(8, 3, 4, 4))
    assert varied.shape == (8, 1, 4, 4) and varied.min() > 0.5


def test_the_generator_is_mapping_then_synthesis_on_28x28():
    model = small_model()
    z = model.sample_noise(6, torch.Generator().manual_seed(1))
    with torch.no_grad():
        images = model(z)
        w = model.mapping(z)
        assert torch.allclose(images, model.synthesize(w), atol=1e-6)  # one w for every layer
        assert torch.allclose(images, model.synthesize(w[:, None].expand(-1, model.num_layers, -1)), atol=1e-6)
    assert images.shape == (6, 1, 28, 28) and images.abs().max() <= 1
    assert sorted(i for g in STYLE_GROUPS.values() for i in g) == list(range(model.num_layers))


def test_mixing_takes_the_chosen_layers_from_b_and_the_rest_from_a():
    ws_a = torch.arange(2.0)[:, None, None].expand(2, 8, 3)  # source a's value is its index
    ws_b = 10 + torch.arange(3.0)[:, None, None].expand(3, 8, 3)
    out = styles.mix(ws_a, ws_b, [0, 1, 2, 3]).reshape(2, 3, 8, 3)
    for i in range(2):
        for j in range(3):
            assert (out[i, j, :4] == 10 + j).all() and (out[i, j, 4:] == i).all()


def test_mixing_grid_with_no_layers_gives_a_and_with_all_layers_gives_b():
    model = small_model()
    none = styles.mixing_grid(model, [1, 2], [3, 4, 5], [])
    every = styles.mixing_grid(model, [1, 2], [3, 4, 5], list(STYLE_GROUPS))
    assert torch.allclose(none["mixed"], none["a"].repeat_interleave(3, 0), atol=1e-5)
    assert torch.allclose(every["mixed"], every["b"].repeat(2, 1, 1, 1), atol=1e-5)
    coarse = styles.mixing_grid(model, [1, 2], [3, 4, 5], ["coarse"])["mixed"]
    assert not torch.allclose(coarse, every["mixed"], atol=1e-3)
    assert not torch.allclose(coarse, none["mixed"], atol=1e-3)


def test_noise_is_seeded_and_only_matters_through_its_learned_scale():
    model = small_model()
    silent = styles.noise_variation(model, seed=3, noise_seed=0, count=6)
    assert silent["std"].max() < 1e-5  # scales start at zero: the noise does nothing yet
    with torch.no_grad():
        for layer in model.generator.synthesis.layers:
            layer.noise_scale.fill_(0.5)
    first = styles.noise_variation(model, seed=3, noise_seed=0, count=6)
    again = styles.noise_variation(model, seed=3, noise_seed=0, count=6)
    other = styles.noise_variation(model, seed=3, noise_seed=1, count=6)
    assert torch.equal(first["images"], again["images"]) and first["std"].max() > 0.01
    assert not torch.equal(first["images"], other["images"])
    # Eval mode without a noise seed uses the fixed maps: the same w always draws the same image.
    z = model.sample_noise(2, torch.Generator().manual_seed(3))
    with torch.no_grad():
        assert torch.equal(model(z), model(z))


def test_training_tracks_the_average_w_and_resumes_exactly(tmp_path, monkeypatch):
    images, labels = synthetic_digits(256)
    cfg = dict(epochs=2, batch_size=32, lr=1e-3, seed=5, smooth=0.9, log=lambda *_: None, world=World())  # CPU
    straight = small_model(0).train()
    assert straight.w_avg.abs().max() == 0
    train_gan(straight, images, labels, out=tmp_path / "straight", **cfg)
    assert straight.w_avg.abs().max() > 0  # the running mean of w moved: truncation has a centre
    interrupt_after_first_save(monkeypatch)
    first = small_model(0).train()
    with pytest.raises(Interrupted):
        train_gan(first, images, labels, out=tmp_path / "resumed", **cfg)
    resumed = small_model(0).train()
    train_gan(resumed, images, labels, out=tmp_path / "resumed", **cfg)
    # Style mixing and the per-pixel noise draw from torch's seeded generator, restored on resume.
    assert same_weights(straight, resumed) and not same_weights(first, resumed)


def test_training_cli_writes_a_stylegan_folder(tmp_path):
    from tests.unit.test_data import write_gz_dataset
    raw = tmp_path / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_gz_dataset(raw, "train", *synthetic_digits(256, 0))
    out = tmp_path / "sg"
    subprocess.run([sys.executable, "-m", "ganzoo.train", "stylegan", "--data", str(tmp_path / "data"), "--out",
                    str(out), "--epochs", "1", "--batch-size", "64", "--ema", "0.9"],
                   check=True, capture_output=True, cwd=ROOT, env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    card = checkpoints.read_card(out)
    assert card["name"] == "mnist-stylegan" and "stylegan" in card["tags"]
    model = checkpoints.load_folder(StyleGAN, out)  # loads strictly
    assert model.num_layers == 8 and model.w_avg.abs().max() > 0


# --- The shipped models ------------------------------------------------------------------------------

def shipped(name):
    return checkpoints.load(name).model.cpu().float()


@pytest.mark.parametrize("dataset", ["mnist", "fashion"])
def test_shipped_stylegan_draws_as_well_as_the_dcgan(dataset):
    judge = shipped(checkpoints.judge_of(dataset))
    scores = {}
    for kind in ("stylegan", "dcgan"):
        probs = sampling.classify(judge, sampling.sample(shipped(f"{dataset}-{kind}"), 2000, seed=0))
        scores[kind] = metrics.inception_score(probs)
    assert scores["stylegan"] >= 0.9 * scores["dcgan"], scores


def test_mixing_follows_counts_which_source_the_judge_reads():
    judge = shipped("mnist-classifier")
    model = shipped("mnist-dcgan")
    a, b = sampling.sample(model, 3, seed=1), sampling.sample(model, 4, seed=2)
    as_a = {"a": a, "b": b, "mixed": a.repeat_interleave(4, 0)}  # every cell is its row's A image
    assert styles.mixing_follows(judge, as_a)["a"] == 1.0
    as_b = {"a": a, "b": b, "mixed": b.repeat(3, 1, 1, 1)}
    assert styles.mixing_follows(judge, as_b)["b"] == 1.0


def test_shipped_coarse_and_middle_styles_decide_the_digit_and_fine_ones_do_not():
    model, judge = shipped("mnist-stylegan"), shipped("mnist-classifier")
    seeds_a, seeds_b = list(range(0, 12)), list(range(100, 112))
    for groups, follows, other in ((["coarse", "middle"], "b", "a"), (["fine"], "a", "b")):
        shares = styles.mixing_follows(judge, styles.mixing_grid(model, seeds_a, seeds_b, groups))
        assert shares[follows] > 0.6 and shares[follows] > 2 * shares[other], (groups, shares)


def test_shipped_noise_changes_details_not_the_digit():
    model, judge = shipped("mnist-stylegan"), shipped("mnist-classifier")
    for seed in range(5):
        variation = styles.noise_variation(model, seed, noise_seed=0, count=16)
        assert variation["std"].max() > 0.02  # the noise does something
        classes = sampling.classify(judge, variation["images"]).argmax(1)
        assert (classes == classes.mode().values).float().mean() >= 0.9  # but w keeps the digit


def test_shipped_truncation_in_w_ends_on_one_average_image():
    model = shipped("mnist-stylegan")
    seeds = list(range(8))
    assert styles.truncation_pair(model, seeds, 0.0)["w"].std(0).max() < 1e-5
    full, half = (styles.truncation_pair(model, seeds, psi)["w"] for psi in (1.0, 0.5))
    assert half.std(0).mean() < full.std(0).mean()  # less variety
