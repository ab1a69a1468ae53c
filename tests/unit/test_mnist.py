"""MNIST models: metrics on inputs with known answers, the training CLI on synthetic data,
sampling from the terminal, and every shipped checkpoint."""

import copy
import hashlib
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from ganzoo import train as train_cli
from ganzoo.io import checkpoints
from ganzoo.models.mnist import MnistClassifier, MnistGAN
from ganzoo.runtime.device import Policy
from ganzoo.training.gan import gan_step, top_k_rate, train_gan

ROOT = Path(__file__).resolve().parents[2]


# --- metrics -------------------------------------------------------------------------------







# --- training -------------------------------------------------------------------------------



def synthetic_digits(n=512, seed=0):
    """Bars whose position depends on the label: a tiny learnable stand-in for MNIST."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=g)
    images = torch.full((n, 1, 28, 28), -1.0)
    for i, k in enumerate(labels.tolist()):
        images[i, 0, 2 + 2 * k:4 + 2 * k, 4:24] = 1.0
    return images, labels


@pytest.mark.parametrize("arch,lr,head", [("dense", 2e-4, "plain"), ("dcgan", 1e-3, "plain"),
                                         ("conditional", 1e-3, "plain"), ("dcgan", 1e-3, "minibatch-std"),
                                         ("conditional", 1e-3, "projection"), ("conditional", 1e-3, "auxiliary")])
def test_a_few_steps_lower_the_discriminator_loss(arch, lr, head):
    torch.manual_seed(0)
    model = MnistGAN(arch, latent_dim=16, width=8, **({} if arch == "dense" else {"d_head": head}))
    images, labels = synthetic_digits()
    opt_g = torch.optim.Adam(model.generator.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(0)
    batches = [slice(i * 64, (i + 1) * 64) for i in range(8)]
    losses = [gan_step(model, opt_g, opt_d, images[b], labels[b], g, 0.9)[0] for b in batches * 4]
    # Early on D learns faster than G: its loss falls well below where it started.
    assert np.mean(losses[-5:]) < 0.85 * np.mean(losses[:5])


def test_projection_head_warm_starts_from_a_plain_conditional_d_and_then_reads_the_label():
    torch.manual_seed(0)
    plain, projection = MnistGAN("conditional", width=8), MnistGAN("conditional", width=8, d_head="projection")
    missing, unexpected = projection.load_state_dict(plain.state_dict(), strict=False)
    assert missing == ["discriminator.embed.weight"] and not unexpected
    plain.eval(), projection.eval()
    images, labels = synthetic_digits(16)
    with torch.no_grad():
        # The embedding starts at zero: the same logits as the plain D it was started from.
        assert torch.allclose(projection.discriminate(images, labels), plain.discriminate(images, labels), atol=1e-6)
        torch.nn.init.normal_(projection.discriminator.embed.weight)
        other = (labels + 1) % 10
        # Once learned, the label's embedding moves the logit beyond what the input planes do.
        gap_projection = projection.discriminate(images, labels) - projection.discriminate(images, other)
        gap_plain = plain.discriminate(images, labels) - plain.discriminate(images, other)
        assert (gap_projection - gap_plain).abs().mean() > 0.1


def train_steps(model, images, labels, steps, lr=1e-3, loss="non-saturating", d_losses=None):
    """`steps` GAN steps of 64 images, cycling through the first 256; D's losses go to `d_losses`."""
    opt_g = torch.optim.Adam(model.generator.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(0)
    for i in range(steps):
        b = slice((i % 4) * 64, (i % 4 + 1) * 64)
        loss_d, _ = gan_step(model, opt_g, opt_d, images[b], labels[b], g, 0.9, loss=loss)
        if d_losses is not None:
            d_losses.append(loss_d)
    return model


def largest_singular_values(discriminator):
    """The largest singular value of each convolution's weight as D uses it (out x in*k*k)."""
    return [torch.linalg.matrix_norm(layer.weight.detach().flatten(1), 2).item()
            for layer in discriminator.modules() if isinstance(layer, torch.nn.Conv2d)]


@pytest.mark.parametrize("arch", ["dcgan", "conditional"])
def test_spectrally_normalised_d_keeps_each_layer_at_norm_one_while_it_trains(arch, tmp_path):
    torch.manual_seed(0)
    model = MnistGAN(arch, latent_dim=16, width=8, d_norm="spectral")
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in model.discriminator.modules())
    assert any(isinstance(m, torch.nn.BatchNorm2d) for m in MnistGAN(arch, width=8).discriminator.modules())
    images, labels = synthetic_digits(256)
    train_steps(model, images, labels, 40, loss="hinge")
    # Adam moves the raw weights well away from norm one; the power iteration keeps the used ones there.
    raw = [torch.linalg.matrix_norm(layer.parametrizations.weight.original.detach().flatten(1), 2).item()
           for layer in model.discriminator.modules() if isinstance(layer, torch.nn.Conv2d)]
    assert len(raw) == 3 and max(abs(v - 1) for v in raw) > 0.25
    assert all(abs(v - 1) < 0.1 for v in largest_singular_values(model.discriminator))
    # Saved and loaded as safetensors, the normalised D judges the same.
    model.eval().save_pretrained(tmp_path)
    loaded = checkpoints.load_folder(MnistGAN, tmp_path).eval()
    assert loaded.d_norm == "spectral"
    with torch.no_grad():
        cond = labels[:8] if arch == "conditional" else None
        assert torch.allclose(loaded.discriminate(images[:8], cond), model.discriminate(images[:8], cond), atol=1e-5)


def test_gan_step_with_the_hinge_loss_returns_the_hinge_losses_of_its_outputs():
    torch.manual_seed(0)
    model = MnistGAN("dcgan", latent_dim=16, width=8, d_norm="spectral").eval()  # eval: no power-iteration update
    before = copy.deepcopy(model)
    images, labels = synthetic_digits(64)
    opt_g = torch.optim.Adam(model.generator.parameters(), 1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), 1e-3, betas=(0.5, 0.999))
    loss_d, loss_g = gan_step(model, opt_g, opt_d, images, labels, torch.Generator().manual_seed(5), 0.9, loss="hinge")
    with torch.no_grad():
        fake = before(before.sample_noise(64, torch.Generator().manual_seed(5)))
        real_out, fake_out = before.discriminate(images), before.discriminate(fake)
        after_d = model.discriminate(fake)  # G's step reads the D that its own step just updated
    hinge = torch.relu(1 - real_out).mean() + torch.relu(1 + fake_out).mean()
    cross_entropy = torch.nn.functional.softplus(-real_out).mean() + torch.nn.functional.softplus(fake_out).mean()
    assert loss_d == pytest.approx(hinge.item(), abs=1e-5) and abs(hinge - cross_entropy) > 0.1
    assert loss_g == pytest.approx(-after_d.mean().item(), abs=1e-5)
    with pytest.raises(ValueError):
        train_gan(model, images, labels, epochs=1, batch_size=64, lr=1e-3, seed=0, smooth=0.9, loss="wgan-gp")


def test_top_k_training_takes_g_loss_on_the_fakes_d_scores_highest():
    assert top_k_rate(0, 0.5) == 1 and top_k_rate(3, 0.5, 0.9) == pytest.approx(0.729)
    assert top_k_rate(10, 0.5, 0.9) == 0.5 and top_k_rate(200, 0.5) == 0.5
    torch.manual_seed(0)
    model = MnistGAN("dcgan", latent_dim=16, width=8)
    images, labels = synthetic_digits(64)
    train_steps(model, images, labels, 20)  # a D whose scores spread
    before = copy.deepcopy(model)  # training mode: batch statistics, so the same batch scores the same
    opt_g = torch.optim.Adam(model.generator.parameters(), 1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), 1e-3, betas=(0.5, 0.999))
    _, loss_g = gan_step(model, opt_g, opt_d, images, labels, torch.Generator().manual_seed(5), 0.9, top_k=0.3)
    with torch.no_grad():
        fake = before(before.sample_noise(64, torch.Generator().manual_seed(5)))
        after_d = model.discriminate(fake)  # the D its own step just updated
    best = torch.nn.functional.softplus(-after_d.topk(20).values).mean()  # ceil(0.3 x 64) = 20
    assert loss_g == pytest.approx(best.item(), abs=1e-5)
    assert best < torch.nn.functional.softplus(-after_d).mean() - 0.05  # the worst fakes are left out
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError):
            train_gan(model, images, labels, epochs=1, batch_size=64, lr=1e-3, seed=0, smooth=0.9, top_k=bad)


def test_train_gan_anneals_top_k_from_every_fake_to_its_floor():
    images, labels = synthetic_digits(128)

    def trained(epochs, **top_k):
        torch.manual_seed(0)
        model = MnistGAN("dcgan", latent_dim=16, width=8)
        train_gan(model, images, labels, epochs=epochs, batch_size=64, lr=1e-3, seed=0, smooth=0.9, log=lambda _: None,
                  **top_k)
        return model.generator.state_dict()

    def gap(a, b):  # the largest weight difference (a tolerance, not equality: GPU kernels may round apart)
        return max((a[k].float() - b[k].float()).abs().max().item() for k in a)

    assert gap(trained(1), trained(1, top_k=0.5, top_k_decay=0.5)) < 1e-5  # epoch 0 learns from every fake
    assert gap(trained(2), trained(2, top_k=0.5, top_k_decay=0.5)) > 1e-3  # epoch 1 from the best half


def test_auxiliary_head_learns_to_name_the_class_and_never_sees_the_label():
    torch.manual_seed(0)
    model = MnistGAN("conditional", latent_dim=16, width=8, d_head="auxiliary")
    images, labels = synthetic_digits(256)
    with torch.no_grad():  # the label does not enter D: the same logits whatever it is
        a = model.discriminate(images[:8], labels[:8], classes=True)
        b = model.discriminate(images[:8], (labels[:8] + 3) % 10, classes=True)
    assert all(torch.equal(u, v) for u, v in zip(a, b))
    train_steps(model, images, labels, 60)
    with torch.no_grad():
        _, class_logits = model.discriminate(images, labels, classes=True)  # training-mode BatchNorm
    # The bars' position gives the class: after 60 steps D names most of them.
    assert (class_logits.argmax(1) == labels).float().mean() > 0.5


def test_infogan_code_is_one_hot_uniform_and_untouched_by_truncation():
    model = MnistGAN("dcgan", latent_dim=16, width=8, codes=10)
    z = model.sample_noise(2000, torch.Generator().manual_seed(3), truncation=0.5)
    assert z.shape == (2000, model.latent_size) == (2000, 26)
    assert z[:, :16].abs().max() <= 0.5 and torch.equal(z[:, 16:].sum(1), torch.ones(2000))
    counts = torch.bincount(model.code_of(z), minlength=10)
    assert counts.min() > 150  # each of the ten codes about 200 times
    assert torch.equal(z, model.sample_noise(2000, torch.Generator().manual_seed(3), truncation=0.5))
    with pytest.raises(ValueError):
        MnistGAN("conditional", codes=10)


def test_infogan_never_reads_real_labels_and_learns_to_name_its_codes():
    images, labels = synthetic_digits(256)

    def trained(real_labels):
        torch.manual_seed(0)
        return train_steps(MnistGAN("dcgan", latent_dim=16, width=8, codes=10), images, real_labels, 80)

    model = trained(labels)
    other = trained(torch.zeros_like(labels))
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), other.state_dict().values()))
    z = model.sample_noise(500, torch.Generator().manual_seed(1))
    with torch.no_grad():
        _, code_logits = model.discriminate(model(z), classes=True)
    # Mutual information at work: D's head reads back which code drew each fake, far above chance (10%).
    assert (code_logits.argmax(1) == model.code_of(z)).float().mean() > 0.5


def test_self_conditioned_codes_are_drawn_as_often_as_their_clusters_and_kept_on_save(tmp_path):
    model = MnistGAN("dcgan", latent_dim=16, width=8, codes=3, code_weights=[0.7, 0.3, 0.0])
    z = model.sample_noise(2000, torch.Generator().manual_seed(3))
    counts = torch.bincount(model.code_of(z), minlength=3)
    assert counts[2] == 0 and 1300 < counts[0] < 1500  # an empty cluster is never drawn
    model.save_pretrained(tmp_path)
    loaded = checkpoints.load_folder(MnistGAN, tmp_path)
    assert loaded.self_conditioned and loaded.code_weights == [0.7, 0.3, 0.0]
    assert torch.equal(loaded.sample_noise(2000, torch.Generator().manual_seed(3)), z)
    assert not MnistGAN("dcgan", codes=3).self_conditioned
    with pytest.raises(ValueError):
        MnistGAN("dcgan", codes=3, code_weights=[0.5, 0.5])


def test_self_conditioned_d_judges_each_image_with_its_cluster():
    images, labels = synthetic_digits(256)  # the labels stand for clusters here

    def trained(real_labels):
        torch.manual_seed(0)
        return train_steps(MnistGAN("dcgan", latent_dim=16, width=8, codes=10, code_weights=[0.1] * 10), images,
                           real_labels, 60)

    model = trained(labels)
    other = trained(torch.zeros_like(labels))
    # Unlike the InfoGAN's, its training reads the real images' clusters...
    assert not all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), other.state_dict().values()))
    with torch.no_grad():  # ... and D finds a real image more real beside its own cluster than another
        own = model.discriminate(images, labels)
        wrong = model.discriminate(images, (labels + 5) % 10)
    assert (own - wrong).mean() > 0.5


def test_minibatch_std_head_sees_a_batch_of_copies():
    torch.manual_seed(0)
    model = MnistGAN("dcgan", width=8, d_head="minibatch-std").eval()
    images, _ = synthetic_digits(8)
    copies = images[:1].expand(8, -1, -1, -1)
    with torch.no_grad():
        alone = model.discriminate(images[:1].expand(1, -1, -1, -1))
        among_copies = model.discriminate(copies)[:1]
        among_others = torch.cat([images[:1], images[1:8]])
        # The same image scores differently depending on whether its batch is varied.
        assert torch.allclose(alone, among_copies, atol=1e-5)
        assert (model.discriminate(among_others)[0] - among_copies[0]).abs() > 1e-4


def write_idx(folder: Path, images: torch.Tensor, labels: torch.Tensor, prefix: str):
    pixels = ((images[:, 0] + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()
    n = len(pixels)
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">IIII", 2051, n, 28, 28) + pixels.tobytes())
    (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(
        struct.pack(">II", 2049, n) + labels.numpy().astype(np.uint8).tobytes())


@pytest.fixture(scope="module")
def synthetic_mnist(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw, *synthetic_digits(512, 0), "train")
    write_idx(raw, *synthetic_digits(256, 1), "t10k")
    return root


def test_training_cli_writes_a_loadable_resumable_folder(synthetic_mnist, tmp_path):
    out = tmp_path / "ckpt"
    cmd = [sys.executable, "-m", "ganzoo.train", "dcgan", "--data", str(synthetic_mnist), "--out", str(out),
           "--epochs", "1", "--batch-size", "64", "--seed", "3"]
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(cmd, check=True, env=env, capture_output=True, cwd=ROOT)
    assert (out / "training_state.pt").is_file()
    card = (out / "README.md").read_text()
    assert "python -m ganzoo.train dcgan" in card and "--seed 3" in card
    # A run stopped after a saved epoch but before its card, then resumed to 2 epochs: it continues from
    # the saved state instead of starting over, and its card still names the command that began it.
    (out / "card.json").unlink()
    (out / "README.md").unlink()
    resume = cmd[:-4] + ["--epochs", "2", "--batch-size", "64", "--seed", "3"]
    result = subprocess.run(resume, check=True, env=env, capture_output=True, text=True, cwd=ROOT)
    assert "resuming after epoch 1" in result.stdout + result.stderr
    commands = checkpoints.read_card(out)["training"]["commands"]
    assert [c.rsplit("--epochs ", 1)[1][0] for c in commands] == ["1", "2"]
    # With no state to resume, a run starts over, and so does its list.
    (out / "training_state.pt").unlink()
    subprocess.run(cmd, check=True, env=env, capture_output=True, cwd=ROOT)
    assert checkpoints.read_card(out)["training"]["commands"] == [" ".join(["python -m ganzoo.train"] + cmd[3:])]
    model = checkpoints.load_folder(MnistGAN, out)
    with torch.no_grad():
        images = model(model.sample_noise(4))
    assert images.shape == (4, 1, 28, 28)


def test_training_cli_self_conditions_on_the_vaes_clusters(synthetic_mnist, tmp_path):
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": ""}
    out = tmp_path / "sc"
    subprocess.run([sys.executable, "-m", "ganzoo.train", "dcgan", "--clusters", "10", "--data", str(synthetic_mnist),
                    "--epochs", "1", "--batch-size", "64", "--limit", "256", "--out", str(out)],
                   check=True, env=env, capture_output=True, cwd=ROOT)
    model = checkpoints.load_folder(MnistGAN, out)
    assert model.self_conditioned and model.codes == 10 and abs(sum(model.code_weights) - 1) < 1e-9
    facts = checkpoints.read_card(out)["training"]["clusters"]
    assert "10 k-means clusters" in facts and "mnist-vae" in facts and "purity" in facts
    vae_bytes = (checkpoints.embedded_folder("mnist-vae") / "model.safetensors").read_bytes()
    assert hashlib.sha256(vae_bytes).hexdigest()[:12] in facts  # the VAE that decided the clusters
    bad = subprocess.run([sys.executable, "-m", "ganzoo.train", "conditional", "--clusters", "10", "--data",
                          str(synthetic_mnist), "--out", str(tmp_path / "bad")], env=env, capture_output=True,
                         text=True, cwd=ROOT)
    assert bad.returncode == 2 and "--clusters" in bad.stderr


def test_training_cli_warm_starts_a_projection_d_and_refuses_weights_that_do_not_fit(synthetic_mnist, tmp_path):
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": ""}
    start = tmp_path / "plain"
    MnistGAN("conditional").save_pretrained(start)
    base = [sys.executable, "-m", "ganzoo.train", "conditional", "--data", str(synthetic_mnist), "--epochs", "1",
            "--batch-size", "64", "--limit", "128"]
    subprocess.run(base + ["--d-head", "projection", "--init-from", str(start), "--out", str(tmp_path / "p")],
                   check=True, env=env, capture_output=True, cwd=ROOT)
    model = checkpoints.load_folder(MnistGAN, tmp_path / "p")
    assert model.discriminator.head == "projection"
    card = checkpoints.read_card(tmp_path / "p")["training"]
    assert card["device"] == "cpu" and card["world size"] == 1
    # A spectrally normalised D warm-started beside a batch-norm run's G: G as it was, D fresh.
    sn = MnistGAN("conditional", d_norm="spectral")
    state, new = train_cli.gan_warm_state(sn, start)
    missing, unexpected = sn.load_state_dict(state, strict=False)
    assert missing and all(new(k) and k.startswith("discriminator.") for k in missing) and not unexpected
    start_g = checkpoints.load_folder(MnistGAN, start).generator.state_dict()
    assert all(torch.equal(v, start_g[k]) for k, v in sn.generator.state_dict().items())
    subprocess.run(base + ["--d-norm", "spectral", "--loss", "hinge", "--init-from", str(start),
                           "--out", str(tmp_path / "sn")], check=True, env=env, capture_output=True, cwd=ROOT)
    sn = checkpoints.load_folder(MnistGAN, tmp_path / "sn")
    assert sn.d_norm == "spectral" and all(abs(v - 1) < 0.1 for v in largest_singular_values(sn.discriminator))
    description = checkpoints.read_card(tmp_path / "sn")["description"]
    assert "spectrally normalised" in description and "hinge loss" in description
    assert "Changed from" not in checkpoints.read_card(tmp_path / "p")["description"]
    subprocess.run(base + ["--top-k", "0.5", "--out", str(tmp_path / "tk")], check=True, env=env, capture_output=True,
                   cwd=ROOT)
    assert "top-k training" in checkpoints.read_card(tmp_path / "tk")["description"]
    for flags in (["--top-k", "0"], ["--top-k-decay", "1.5"]):
        refused = subprocess.run(base + flags + ["--out", str(tmp_path / "no")], env=env, capture_output=True,
                                 text=True, cwd=ROOT)
        assert refused.returncode == 2 and "(0, 1]" in refused.stderr
    dense = subprocess.run([sys.executable, "-m", "ganzoo.train", "dense", "--d-norm", "spectral", "--data",
                            str(synthetic_mnist), "--out", str(tmp_path / "dense")], env=env, capture_output=True,
                           text=True, cwd=ROOT)
    assert dense.returncode == 2 and "--d-norm" in dense.stderr
    dcgan = tmp_path / "dcgan"
    MnistGAN("dcgan").save_pretrained(dcgan)
    bad = subprocess.run(base + ["--init-from", str(dcgan), "--out", str(tmp_path / "bad")], env=env,
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "do not fit this model" in bad.stderr
    assert not (tmp_path / "bad" / "model.safetensors").exists()


# --- sampling and the shipped checkpoints -------------------------------------------------------

SHIPPED_GANS = ["mnist-dense", "mnist-dcgan", "mnist-scgan", "mnist-scgan-w64", "mnist-cgan", "fashion-dcgan",
                "fashion-cgan"]


@pytest.mark.parametrize("name", SHIPPED_GANS)
def test_shipped_generators_load_and_draw_digits(name):
    loaded = checkpoints.load(name)
    assert loaded.source == f"weights/{name}"
    model = loaded.model
    labels = torch.arange(16) % 10 if model.conditional else None
    on = next(model.parameters()).device  # the registry places models by the device policy
    with torch.no_grad():
        images = model(model.sample_noise(16, torch.Generator().manual_seed(0)).to(on),
                       None if labels is None else labels.to(on)).cpu()
    assert images.shape == (16, 1, 28, 28)
    assert images.min() >= -1 and images.max() <= 1 and images.std() > 0.3
    card = (checkpoints.embedded_folder(name) / "README.md").read_text()
    assert "python -m ganzoo.train" in card and "Inception Score" in card


@pytest.mark.parametrize("name,floor", [("mnist-classifier", 0.993), ("fashion-classifier", 0.92)])
def test_shipped_judges_meet_their_test_accuracy(name, floor):
    loaded = checkpoints.load(name)
    assert isinstance(loaded.model, MnistClassifier)
    card = checkpoints.read_card(checkpoints.embedded_folder(name))
    accuracy = float(card["training"]["test accuracy"].split()[0])
    assert accuracy >= floor


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
    model = checkpoints.load("mnist-cgan").model
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


def test_classifier_folded_for_inference_gives_the_same_outputs():
    from ganzoo.models.mnist import MnistClassifier
    plain = checkpoints.load_folder(MnistClassifier, checkpoints.embedded_folder("mnist-classifier")).eval()
    folded = checkpoints.load("mnist-classifier").model
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in folded.modules())
    x = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        torch.testing.assert_close(folded(x), plain(x), atol=1e-4, rtol=1e-4)
        torch.testing.assert_close(folded.embed(x), plain.embed(x), atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("name", ["mnist-dcgan", "mnist-scgan", "mnist-scgan-w64", "mnist-cgan", "fashion-dcgan"])
def test_generators_rewritten_for_the_cpu_give_the_same_images(name):
    """The shipped DCGAN generators as `checkpoints.load` gives them on a CPU: BatchNorm folded,
    the 1x1-input layer as a matrix product, the one-channel layer as a product and col2im (see
    ganzoo/inference/dcgan.py). The same images as the plain network, in fp32."""
    from ganzoo.inference.dcgan import FoldTranspose2d, ProjectionTranspose2d
    plain = checkpoints.load_folder(MnistGAN, checkpoints.embedded_folder(name)).eval()
    fast = checkpoints.load(name).model
    kinds = {type(m) for m in fast.generator.modules()}
    assert {ProjectionTranspose2d, FoldTranspose2d} <= kinds and torch.nn.BatchNorm2d not in kinds
    z = torch.randn(32, plain.latent_dim + plain.codes, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(32) % 10 if plain.conditional else None
    with torch.no_grad():
        torch.testing.assert_close(fast(z, labels), plain(z, labels), atol=1e-5, rtol=1e-4)
        from ganzoo import inference  # prepared again, it is rewritten once
        torch.testing.assert_close(inference.prepare(fast, Policy.plain())(z, labels), plain(z, labels),
                                   atol=1e-5, rtol=1e-4)


def test_transposed_layers_rewritten_keep_their_function_with_bias_and_stride():
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    from ganzoo.inference.dcgan import FoldTranspose2d, ProjectionTranspose2d
    torch.manual_seed(0)
    conv, norm = torch.nn.ConvTranspose2d(6, 5, 3, 2, 1, bias=True), torch.nn.BatchNorm2d(5)
    norm.running_mean.uniform_(-1, 1), norm.running_var.uniform_(0.5, 2), norm.weight.data.uniform_(0.5, 2)
    x = torch.randn(3, 6, 5, 7)
    with torch.no_grad():
        torch.testing.assert_close(fuse_conv_bn_eval(conv.eval(), norm.eval(), transpose=True)(x), norm.eval()(conv(x)),
                                   atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(FoldTranspose2d(conv)(x), conv(x), atol=1e-5, rtol=1e-5)
        project = torch.nn.ConvTranspose2d(6, 4, 7, bias=True)
        torch.testing.assert_close(ProjectionTranspose2d(project)(x[:, :, :1, :1]), project(x[:, :, :1, :1]),
                                   atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("head", ["plain", "projection"])
def test_discriminator_label_planes_shortcut_equals_convolving_the_planes(head):
    """D's first layer picks each label's precomputed plane map instead of convolving one-hot
    planes: the logits and every gradient must be those of the concatenated planes."""
    import torch.nn.functional as F

    from ganzoo.models.mnist import DCGANDiscriminator
    torch.manual_seed(0)
    d = DCGANDiscriminator(width=8, num_classes=7, head=head)
    if head == "projection":
        torch.nn.init.normal_(d.embed.weight)
    x, labels = torch.randn(6, 1, 28, 28), torch.tensor([0, 3, 6, 3, 1, 5])

    def with_planes():  # the layer as the checkpoints were trained: image and planes concatenated
        planes = F.one_hot(labels, 7).float()[:, :, None, None].expand(-1, -1, 28, 28)
        h = d.net[:-1](torch.cat([x, planes], 1))
        logit = d.net[-1](h).flatten()
        return logit + (d.embed(labels) * h.mean((2, 3))).sum(1) if head == "projection" else logit

    d.train()
    fast = d(x, labels)
    fast.square().sum().backward()
    grads = [q.grad.clone() for q in d.parameters()]
    d.zero_grad()
    slow = with_planes()
    slow.square().sum().backward()
    assert torch.allclose(fast, slow, atol=1e-5)
    for fast_grad, q in zip(grads, d.parameters()):
        assert torch.allclose(fast_grad, q.grad, atol=1e-4)
    assert d(x, torch.tensor([1, 3, 6, 3, 1, 5]))[0] != fast[0]  # the label still matters
