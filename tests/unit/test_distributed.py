"""Training across processes: `torchrun` with two CPU processes and gloo trains one DCGAN, rank 0 writes
the checkpoint, every rank ends with the same weights, and one process resumes what two started."""

import os
import subprocess
import sys
from pathlib import Path

import torch

from ganzoo.io import checkpoints
from ganzoo.models.mnist import MnistGAN
from ganzoo.training import distributed
from tests.unit.synthetic_mnist import synthetic_digits
from tests.unit.test_data import write_gz_dataset

ROOT = Path(__file__).resolve().parents[2]


def train(data, out, epochs, processes):
    launcher = ([sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}"]
                if processes > 1 else [sys.executable])
    command = launcher + ["-m", "ganzoo.train", "dcgan", "--data", str(data), "--out", str(out), "--epochs",
                          str(epochs), "--batch-size", "64", "--threads", "1", "--seed", "3"]
    # On the CPU whatever the machine has: the test is about gloo and two processes, not a device.
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)


def test_two_processes_train_one_model_and_one_process_resumes_it(tmp_path):
    raw = tmp_path / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_gz_dataset(raw, "train", *synthetic_digits(256, 0))
    out = tmp_path / "dcgan"

    two = train(tmp_path / "data", out, 1, processes=2)
    assert two.returncode == 0, two.stdout[-1500:] + two.stderr[-3000:]
    assert two.stdout.count("wrote ") == 1  # rank 0 alone writes
    card = checkpoints.read_card(out)["training"]
    assert card["world size"] == 2 and card["device"] == "cpu"
    assert card["replicas"].endswith("(identical)")
    saved = checkpoints.load_folder(MnistGAN, out)
    # The checkpoint is what every rank held at the end.
    assert distributed.fingerprint(saved) in card["replicas"]
    assert (out / "training_state.pt").is_file()

    one = train(tmp_path / "data", out, 2, processes=1)
    assert one.returncode == 0, one.stderr[-3000:]
    assert "resuming after epoch 1" in one.stdout
    card = checkpoints.read_card(out)["training"]
    assert card["world size"] == 1 and card["epochs"] == 2
    resumed = checkpoints.load_folder(MnistGAN, out)
    assert not all(torch.equal(a, b) for a, b in zip(saved.state_dict().values(), resumed.state_dict().values()))


def test_one_process_is_a_world_of_one():
    world = distributed.join()
    batch = torch.arange(10)
    assert world.size == 1 and world.main and torch.equal(world.shard(batch), batch)
    assert distributed.World(rank=1, size=3).shard(batch).tolist() == [1, 4, 7]
