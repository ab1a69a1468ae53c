"""CycleGAN learning over time: the translations of a few fixed images, saved while training.

Every `every` iterations the training CLI runs both generators on the same four images (the app's
own samples: the synthetic landscape and three public-domain Monet paintings, never the training
data's Flickr photos) and writes one small JPEG strip into `<model folder>/snapshots/`; the
CycleGAN page plays them back with a slider.
"""

import re
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ganzoo.runtime.device import device_of

SAMPLES = Path(__file__).resolve().parents[2] / "assets" / "samples"
FOLDER = "snapshots"
SIDE = 128  # each tile; a strip of four is about 20 KB as JPEG
NAME = re.compile(r"^it(\d{6})\.jpg$")


def _tile(path: Path) -> torch.Tensor:
    with Image.open(path) as img:
        img = img.convert("RGB").resize((SIDE, SIDE), Image.BICUBIC)
        return torch.from_numpy(np.asarray(img).copy()).permute(2, 0, 1).float() / 127.5 - 1


def fixed_inputs(samples=SAMPLES) -> tuple[torch.Tensor, torch.Tensor]:
    """(photos, paintings) in [-1, 1]: the synthetic landscape, and the Monet samples in name order."""
    photos = torch.stack([_tile(samples / "synthetic_landscape.png")])
    paintings = torch.stack([_tile(p) for p in sorted(samples.glob("monet_*.jpg"))])
    return photos, paintings


def _strip(images: torch.Tensor) -> Image.Image:
    pixels = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()
    return Image.fromarray(np.concatenate(list(pixels), axis=1))


@torch.no_grad()
def write(model, folder, iteration: int, inputs=None) -> Path:
    """Translate the fixed images with `model` (photos with G_BA, paintings with G_AB) and save the
    strip as snapshots/itNNNNNN.jpg; the inputs' own strip is written once beside it."""
    photos, paintings = inputs if inputs is not None else fixed_inputs()
    out = Path(folder) / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    if not (out / "inputs.jpg").is_file():
        _strip(torch.cat([photos, paintings])).save(out / "inputs.jpg", quality=90)
    was_training = model.training
    model.eval()
    device = device_of(model)
    translated = torch.cat([model.G_BA(photos.to(device)), model.G_AB(paintings.to(device))]).float().cpu()
    model.train(was_training)
    path = out / f"it{iteration:06d}.jpg"
    _strip(translated).save(path, quality=90)
    return path


def listed(folder) -> list[tuple[int, Path]]:
    """(iteration, path) of every snapshot in a model folder, in training order."""
    out = Path(folder) / FOLDER
    if not out.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in out.iterdir() if (m := NAME.match(p.name))]
    return sorted(found)
