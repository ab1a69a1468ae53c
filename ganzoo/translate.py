"""python -m ganzoo.translate: photos to paintings (or back) with a CycleGAN generator, from a terminal.

python -m ganzoo.translate --checkpoint NAME_OR_PATH --input FILE_OR_DIR --output DIR
    [--size-policy crop256|keep|tiled] [--max-side 1024] [--direction BA|AB]

NAME is a registry name; PATH a Hub-layout folder or an official `latest_net_G.pth`. One PNG per
input under the same stem; a bad input is reported on stderr and skipped; exit code 1 if any failed.
"""

import argparse
import json
import sys
from pathlib import Path

import torch

from ganzoo.inference import prepare
from ganzoo.inference.translation import SIZE_POLICIES, translate_files
from ganzoo.io import checkpoints
from ganzoo.io.images import ImageInputError, png_bytes, to_uint8
from ganzoo.models.cyclegan import CycleGAN, ResnetGenerator, load_official_state_dict
from ganzoo.runtime.device import Policy, policy

# --- Loading whatever the user points at ------------------------------------------------------------

def load_generator(checkpoint: str, direction: str = "BA", p: Policy | None = None) -> torch.nn.Module:
    """A registry name, a Hub-layout folder (a CycleGAN pair or one ResnetGenerator), or an
    official latest_net_G.pth. For a pair, direction BA is photo -> painting in monet2photo. Prepared
    for policy `p` (plain fp32 on the CPU when none is given)."""
    p = p or Policy.plain()
    path = Path(checkpoint)
    if path.is_file():
        gen = ResnetGenerator()
        return prepare(load_official_state_dict(gen, checkpoints.load_state_dict_file(path)), p)
    if path.is_dir():
        config = json.loads((path / "config.json").read_text()) if (path / "config.json").is_file() else {}
        cls = CycleGAN if "domain_a" in config else ResnetGenerator
        model = checkpoints.load_folder(cls, path)
    else:
        model = checkpoints.load(checkpoint, p=p).model
    if isinstance(model, CycleGAN):
        model = model.generator(direction)
    return prepare(model, p)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m ganzoo.translate", description=__doc__.split("\n")[0])
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--input", required=True, help="an image file or a folder of images")
    p.add_argument("--output", required=True, help="folder for the PNGs")
    p.add_argument("--size-policy", choices=SIZE_POLICIES, default="crop256")
    p.add_argument("--max-side", type=int, default=1024)
    p.add_argument("--direction", choices=["BA", "AB"], default="BA",
                   help="for a CycleGAN pair: BA = photo -> painting, AB = painting -> photo (monet2photo)")
    args = p.parse_args(argv)
    try:
        generator = load_generator(args.checkpoint, args.direction, policy())
    except checkpoints.CheckpointError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    src = Path(args.input)
    if src.is_dir():
        files = sorted(f for f in src.iterdir() if f.is_file() and not f.name.startswith("."))
    elif src.is_file():
        files = [src]
    else:
        print(f"error: {src} does not exist", file=sys.stderr)
        return 2
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    unreadable = []

    def read_each():  # one file in memory at a time; an unreadable one is reported like a bad image
        for f in files:
            try:
                yield f.name, f.read_bytes()
            except OSError as exc:
                print(f"{f.name}: skipped: {exc}", file=sys.stderr)
                unreadable.append(f.name)

    failed = 0
    for name, result in translate_files(generator, read_each(), args.size_policy, args.max_side):
        if isinstance(result, ImageInputError):
            print(f"{name}: skipped: {result}", file=sys.stderr)
            failed += 1
            continue
        stem = Path(name).stem
        (out / f"{stem}.png").write_bytes(png_bytes(to_uint8(result.output[0])))
        print(f"{name} -> {stem}.png ({result.seconds * 1e3:.0f} ms)")
    return 1 if failed or unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
