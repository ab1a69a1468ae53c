"""The IDX reader behind MNIST and Fashion-MNIST: gzipped or not, headers checked, both layouts."""

import gzip
import struct
import subprocess
import sys

import numpy as np
import pytest
import torch

from ganzoo.io import checkpoints
from ganzoo.io.data import load_dataset, read_idx
from ganzoo.models.mnist import MnistClassifier
from tests.unit.synthetic_mnist import ROOT, synthetic_digits, write_idx


def test_read_idx_reads_plain_and_gzipped_files_alike(tmp_path):
    pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    payload = struct.pack(">HBB3I", 0, 0x08, 3, 2, 3, 4) + pixels.tobytes()
    (tmp_path / "plain").write_bytes(payload)
    with gzip.open(tmp_path / "packed.gz", "wb") as f:
        f.write(payload)
    assert np.array_equal(read_idx(tmp_path / "plain"), pixels)
    assert np.array_equal(read_idx(tmp_path / "packed.gz"), pixels)


@pytest.mark.parametrize("payload,message", [
    (struct.pack(">HBB1I", 0, 0x0D, 1, 4) + bytes(16), "not a uint8 IDX"),  # floats
    (struct.pack(">HBB2I", 0, 0x08, 2, 3, 3) + bytes(5), "holds 5 bytes"),  # truncated
])
def test_read_idx_refuses_what_it_cannot_read(tmp_path, payload, message):
    (tmp_path / "bad").write_bytes(payload)
    with pytest.raises(ValueError, match=message):
        read_idx(tmp_path / "bad")


def write_gz_dataset(raw, prefix, images, labels):
    """Gzipped IDX files, as Debian ships Fashion-MNIST (recompressed: torchvision's MD5s fail)."""
    write_idx(raw, images, labels, prefix)
    for stem in (f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"):
        with gzip.open(raw / (stem + ".gz"), "wb") as f:
            f.write((raw / stem).read_bytes())
        (raw / stem).unlink()


@pytest.fixture(scope="module")
def synthetic_fashion(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    write_gz_dataset(raw, "train", *synthetic_digits(256, 0))
    write_gz_dataset(raw, "t10k", *synthetic_digits(128, 1))
    return root


def test_load_dataset_reads_fashion_mnist_from_gzipped_files(synthetic_fashion):
    images, labels = load_dataset("fashion", synthetic_fashion, train=True)
    expected_images, expected_labels = synthetic_digits(256, 0)
    assert images.shape == (256, 1, 28, 28) and labels.dtype == torch.int64
    assert torch.equal(labels, expected_labels)
    assert (images - expected_images).abs().max() <= 1 / 127.5  # uint8 round trip
    with pytest.raises(FileNotFoundError, match="MNIST/raw"):
        load_dataset("mnist", synthetic_fashion)


def test_training_cli_names_a_fashion_model_after_its_data(synthetic_fashion, tmp_path):
    out = tmp_path / "judge"
    subprocess.run([sys.executable, "-m", "ganzoo.train", "classifier", "--dataset", "fashion", "--data",
                    str(synthetic_fashion), "--out", str(out), "--epochs", "1", "--batch-size", "64"],
                   check=True, capture_output=True, cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    card = checkpoints.read_card(out)
    assert card["name"] == "fashion-classifier" and "fashion" in card["tags"]
    assert "Fashion-MNIST training set, 256 images" in card["training"]["data"]
    assert "Fashion-MNIST test images" in card["training"]["test accuracy"]
    checkpoints.load_folder(MnistClassifier, out)  # loads strictly
    refused = subprocess.run([sys.executable, "-m", "ganzoo.train", "dense", "--dataset", "fashion", "--data",
                              str(synthetic_fashion), "--out", str(tmp_path / "x")], capture_output=True, text=True,
                             cwd=ROOT)
    assert refused.returncode != 0 and "MNIST only" in refused.stderr


def test_every_fashion_model_is_judged_by_the_fashion_classifier():
    for name in ("fashion-dcgan", "fashion-cgan", "fashion-classifier"):
        assert checkpoints.dataset_of(name) == "fashion"
    assert checkpoints.dataset_of("mnist-dcgan") == "mnist"
    assert checkpoints.judge_of("fashion") == "fashion-classifier" in checkpoints.REGISTRY
