"""python -m ganzoo.quantize SOURCE OUT: the int8 copy of a CycleGAN checkpoint folder
(ganzoo.models.int8_weights: int8 convolution weights, one fp32 scale per output channel), its
config and card, and each generator's lowest PSNR against the fp32 one on the test images (the
app's four samples when the data is missing), written into the card and printed.

    python -m ganzoo.quantize runs/cyclegan-official weights/cyclegan-monet-official
"""

import argparse
import json
import shutil
from pathlib import Path

import torch
from torch import nn

from ganzoo.io.checkpoints import CheckpointError, load_folder, read_card, write_card
from ganzoo.io.data import DEFAULT_ROOT, load_image_folder
from ganzoo.maths.metrics import psnr
from ganzoo.models import int8_weights
from ganzoo.models.cyclegan import CycleGAN
from ganzoo.training.snapshots import SAMPLES


@torch.inference_mode()
def lowest_psnr(reference: nn.Module, other: nn.Module, images: torch.Tensor) -> float:
    """The lowest PSNR over `images` (N, 3, H, W in [-1, 1]) between two generators' outputs."""
    return min(psnr(reference(x[None]), other(x[None])) for x in images)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m ganzoo.quantize", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", help="a CycleGAN checkpoint folder (fp32)")
    p.add_argument("out", help="the folder to write (config, card and int8 model.safetensors)")
    p.add_argument("--data", default=str(DEFAULT_ROOT / "monet2photo"),
                   help="a folder with testA (paintings) and testB (photos); the app's samples when it is missing")
    p.add_argument("--limit", type=int, default=50, help="test images per direction")
    args = p.parse_args(argv)
    source, out = Path(args.source), Path(args.out)
    if source.resolve() == out.resolve():
        p.error("write the int8 copy to another folder: the fp32 weights are its reference")
    try:
        model = load_folder(CycleGAN, source)
    except CheckpointError as e:
        p.error(str(e))
    int8_weights.save(model, out)
    for name in ("README.md", "card.json"):  # the source's card, which the stored line joins
        if (source / name).is_file():
            shutil.copy(source / name, out / name)
    loaded = load_folder(CycleGAN, out)
    data = Path(args.data)
    if (data / "testA").is_dir() and (data / "testB").is_dir():
        paintings, photos = (load_image_folder(data / d, limit=args.limit) for d in ("testA", "testB"))
        where = f"{len(photos)} test photos and {len(paintings)} test paintings of {data.name}"
    else:  # the three Monet samples and the landscape, each through both generators
        photos = paintings = load_image_folder(SAMPLES)
        where = f"the app's {len(photos)} sample images"
    lowest = {"photo -> painting": lowest_psnr(model.G_BA, loaded.G_BA, photos.float() / 127.5 - 1),
              "painting -> photo": lowest_psnr(model.G_AB, loaded.G_AB, paintings.float() / 127.5 - 1)}
    megabytes = {k: (f / "model.safetensors").stat().st_size / 1e6 for k, f in (("fp32", source), ("int8", out))}
    card = read_card(out)
    if card:  # the card says how the weights are stored and what it cost
        card.setdefault("training", {})["stored"] = (
            f"int8 weights per output channel (python -m ganzoo.quantize), {megabytes['int8']:.1f} MB against "
            f"{megabytes['fp32']:.1f} MB in fp32; lowest PSNR against the fp32 generators on {where}: "
            + ", ".join(f"{k} {v:.1f} dB" for k, v in lowest.items()))
        write_card(out, card)
    print(json.dumps({"MB": megabytes, "lowest PSNR (dB)": lowest, "on": where}, indent=1))


if __name__ == "__main__":
    main()
