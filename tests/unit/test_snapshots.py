"""CycleGAN learning over time: training writes the fixed images' translations as it goes."""

import numpy as np
import torch
from PIL import Image

from ganzoo.models.cyclegan import CycleGAN
from ganzoo.training import snapshots
from ganzoo.training.cyclegan import train_cyclegan


def test_training_writes_a_snapshot_at_each_save_and_they_change(tmp_path):
    torch.manual_seed(0)
    model = CycleGAN(ngf=4, n_blocks=1, ndf=4, upsample="resize")
    g = torch.Generator().manual_seed(0)
    a, b = (torch.randint(0, 256, (4, 3, 40, 40), generator=g, dtype=torch.uint8) for _ in range(2))
    inputs = snapshots.fixed_inputs()
    train_cyclegan(model, a, b, iterations=6, crop=32, seed=1, out=tmp_path, save_every=2, log=lambda *_: None,
                   lr=0.05, on_save=lambda m, it: snapshots.write(m, tmp_path, it, inputs))
    shots = snapshots.listed(tmp_path)
    assert [it for it, _ in shots] == [2, 4, 6]
    strips = [np.asarray(Image.open(path)) for _, path in shots]
    assert strips[0].shape == (snapshots.SIDE, 4 * snapshots.SIDE, 3)  # one photo, three paintings
    assert np.abs(strips[0].astype(int) - strips[-1].astype(int)).mean() > 1  # the model moved between saves
    assert np.asarray(Image.open(tmp_path / snapshots.FOLDER / "inputs.jpg")).shape == strips[0].shape
    assert model.training is False  # train_cyclegan ends in eval mode; the snapshots left it as they found it


def test_only_well_named_files_count_as_snapshots(tmp_path):
    folder = tmp_path / snapshots.FOLDER
    folder.mkdir()
    for name in ("it000500.jpg", "it000100.jpg", "inputs.jpg", "it12.jpg", "notes.txt"):
        (folder / name).write_bytes(b"")
    assert [it for it, _ in snapshots.listed(tmp_path)] == [100, 500]
    assert snapshots.listed(tmp_path / "missing") == []
