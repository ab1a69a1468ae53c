"""The training CLI (python -m ganzoo.train, ganzoo.training.commands) on synthetic data: loadable,
resumable folders, their cards, warm starts, refusals, and publishing to the Hub."""

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganzoo.io import checkpoints
from ganzoo.models.cyclegan import CycleGAN
from ganzoo.models.mnist import MnistGAN
from ganzoo.training.commands import gans
from tests.unit.synthetic_mnist import largest_singular_values, synthetic_digits, write_idx

ROOT = Path(__file__).resolve().parents[2]


def monet2photo(tmp_path):
    """Two random 40x40 images in each of monet2photo's four folders."""
    data = tmp_path / "monet2photo"
    rng = np.random.default_rng(0)
    for split in ("trainA", "trainB", "testA", "testB"):
        (data / split).mkdir(parents=True)
        for i in range(2):
            Image.fromarray(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)).save(data / split / f"{i}.png")
    return data


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
    state, new = gans.gan_warm_state(sn, start)
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


def test_training_cli_records_its_loss_weights_and_every_command_of_a_resumed_run(tmp_path):
    data = monet2photo(tmp_path)
    out = tmp_path / "run"
    base = [sys.executable, "-m", "ganzoo.train", "cyclegan", "--data", str(data), "--out", str(out), "--ngf", "4",
            "--blocks", "1", "--ndf", "4", "--upsample", "resize", "--crop", "32", "--cycle-weight", "30",
            "--identity-weight", "0.2"]
    env = {**__import__("os").environ, "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run(base + ["--iterations", "2"], check=True, env=env, capture_output=True, cwd=ROOT)
    (out / "card.json").unlink()  # stopped after its saved state, before its card
    subprocess.run(base + ["--iterations", "4"], check=True, env=env, capture_output=True, cwd=ROOT)
    training = checkpoints.read_card(out)["training"]
    assert training["cycle weight"] == 30 and training["identity weight"] == 0.2 and training["iterations"] == 4
    assert [c.rsplit("--iterations ", 1)[1] for c in training["commands"]] == ["2", "4"]
    description = checkpoints.read_card(out)["description"]
    assert "weighed the cycle loss 30" in description and "identity loss 0.2 x cycle" in description
    # A warm start may add the colour path to a trained pair; weights of another size are refused.
    colour = tmp_path / "colour"
    subprocess.run(base[:6] + ["--out", str(colour), "--ngf", "4", "--blocks", "1", "--ndf", "4", "--upsample",
                               "resize", "--crop", "32", "--colour", "--init-from", str(out), "--iterations", "2"],
                   check=True, env=env, capture_output=True, cwd=ROOT)
    warm = checkpoints.load_folder(CycleGAN, colour)
    assert warm.G_AB.colour is not None and "mean colour" in checkpoints.read_card(colour)["description"]
    bad = subprocess.run(base[:6] + ["--out", str(tmp_path / "bad"), "--ngf", "8", "--init-from", str(out)],
                         env=env, capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "do not fit" in bad.stderr
    # A run is judged from its folder, as a run in progress would be, on the test split.
    from ganzoo.evaluate import evaluate_cyclegan
    rows = dict((label, mine) for label, mine, _ in evaluate_cyclegan(data=data, folder=out))
    assert 0 < float(rows["mean cycle L1, photo -> painting -> photo"]) < 2
    assert float(rows["checkerboard: phase spread on flat grey, photo -> painting"]) < 0.01  # resize upsampling


# --- one save-and-push step, one command per kind -----------------------------------------------

TINY_RUNS = {  # flags for a run of seconds; the data comes from the test
    "cyclegan": ["--ngf", "4", "--blocks", "1", "--ndf", "4", "--crop", "32", "--iterations", "2",
                 "--snapshot-every", "1"],
    "painting-judge": ["--epochs", "1", "--batch-size", "2"],
    "dense": ["--epochs", "1", "--batch-size", "64", "--limit", "128"],
}


@pytest.mark.parametrize("kind", list(TINY_RUNS))
def test_push_to_hub_uploads_the_folder_the_run_saved(kind, synthetic_mnist, tmp_path, monkeypatch):
    """--push-to-hub reaches the Hub client for every kind; the CycleGAN and the painting judge once
    returned before it. The client's two calls are replaced at their boundary (nothing leaves this
    machine); what it would send is what huggingface_hub's own filter keeps of the saved folder."""
    import huggingface_hub
    from huggingface_hub.utils import filter_repo_objects

    from ganzoo import train
    calls = []

    def create_repo(self, repo_id, **kwargs):
        calls.append(("create_repo", repo_id))

    def upload_folder(self, *, repo_id, folder_path, allow_patterns=None, **kwargs):
        folder = Path(folder_path)
        files = [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*")) if p.is_file()]
        sent = list(filter_repo_objects(files, allow_patterns=allow_patterns))
        calls.append(("upload_folder", repo_id, folder, files, sent))

    monkeypatch.setattr(huggingface_hub.HfApi, "create_repo", create_repo)
    monkeypatch.setattr(huggingface_hub.HfApi, "upload_folder", upload_folder)
    data = synthetic_mnist if kind == "dense" else monet2photo(tmp_path)
    out = tmp_path / "run"
    train.main([kind, "--data", str(data), "--out", str(out), *TINY_RUNS[kind], "--push-to-hub", "someone/tiny"])
    assert [c[:2] for c in calls] == [("create_repo", "someone/tiny"), ("upload_folder", "someone/tiny")]
    _, _, folder, files, sent = calls[1]
    assert folder == out
    assert {"config.json", "model.safetensors", "README.md", "card.json"} <= set(sent)
    assert not {"training_state.pt", "commands.json"} & set(sent)  # what resumes a run stays here
    card = checkpoints.read_card(folder)
    assert card["training"]["command"].endswith("--push-to-hub someone/tiny")
    if kind == "cyclegan":
        assert "training_state.pt" in files and any(f.startswith("snapshots/") for f in sent)
        model = checkpoints.load_folder(CycleGAN, folder)  # the weights sent are the run's, and load
        assert model.G_AB.colour is None and card["name"] == "cyclegan-monet-compact"


def test_every_command_a_card_quotes_still_parses_and_foreign_flags_are_refused(capsys):
    import shlex

    from ganzoo.training import commands
    quoted = [line for card in sorted((ROOT / "weights").glob("*/card.json"))
              for line in checkpoints.read_card(card.parent).get("training", {}).get("command", "").splitlines()]
    assert len(quoted) > 20
    for command in quoted:
        argv = shlex.split(command)[3:]  # after "python -m ganzoo.train"
        args, _ = commands.parse(argv)
        assert args.model == argv[0], command
    args, _ = commands.parse(shlex.split("dcgan --width 64 --epochs 20 --ema 0.999 --bf16"))
    assert (args.width, args.epochs, args.ema, args.precision, args.lr, args.batch_size) == (64, 20, 0.999, "bf16",
                                                                                             2e-4, 128)
    for argv, words in ((["vae", "--bf16"], "--bf16: for the GANs and cyclegan only"),
                        (["stylegan", "--d-norm", "spectral"], "--d-norm: for dcgan and conditional only"),
                        (["dense", "--iterations", "3"], "--iterations: for cyclegan only"),
                        (["dcgan", "--codes", "3", "--clusters", "4"], "not allowed with"),
                        (["dcgan", "--no-such-flag"], "unrecognized arguments: --no-such-flag")):
        with pytest.raises(SystemExit) as stopped:
            commands.parse(argv)
        assert stopped.value.code == 2 and words in capsys.readouterr().err.strip().splitlines()[-1]


def test_the_training_cli_keeps_its_functions_short():
    import ast
    files = [ROOT / "ganzoo" / "train.py", ROOT / "ganzoo" / "training" / "cards.py",
             *sorted((ROOT / "ganzoo" / "training" / "commands").glob("*.py"))]
    assert len(files) >= 10
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno < 60, f"{path.name}: {node.name}"
