"""python -m ganzoo.export NAME OUT: a shipped generator in the format the sampling page's "Your
generator" takes: OUT/config.json (the constructor's settings, as weights/NAME keeps them) and
OUT/model.safetensors (the generator's tensors only, `generator.*`), or, when OUT ends in .zip, the
same two files in one folder of a zip.

    python -m ganzoo.export mnist-dcgan my-dcgan.zip
    python -m ganzoo.sample my-dcgan.zip --out samples.npz      # what the page would draw
"""

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

from safetensors.torch import save

from ganzoo.inference.uploaded import ARCHITECTURES
from ganzoo.io import checkpoints

GENERATORS = [name for name, spec in checkpoints.REGISTRY.items() if spec.cls in ARCHITECTURES and not spec.hub_only]


def generator_files(name: str) -> dict:
    """{"config.json": bytes, "model.safetensors": bytes} of the shipped generator `name`."""
    spec = checkpoints.REGISTRY[name]
    folder = checkpoints.embedded_folder(name)
    model = checkpoints.load_folder(spec.cls, folder)  # as trained: no inference rewrite
    state = {k: v.contiguous() for k, v in model.state_dict().items() if k.startswith("generator.")}
    config = json.loads((folder / "config.json").read_text())
    return {"config.json": (json.dumps(config, indent=2, sort_keys=True) + "\n").encode(),
            "model.safetensors": save(state, metadata={"format": "pt", "ganzoo": name})}


def export(name: str, out) -> Path:
    """Write the files to the folder `out`, or into a zip when `out` ends in .zip."""
    files, out = generator_files(name), Path(out)
    if out.suffix == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename, data in files.items():
                archive.writestr(f"{out.stem}/{filename}", data)
        out.write_bytes(buffer.getvalue())
    else:
        out.mkdir(parents=True, exist_ok=True)
        for filename, data in files.items():
            (out / filename).write_bytes(data)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m ganzoo.export", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", choices=GENERATORS)
    p.add_argument("out", help="a folder, or a file name ending in .zip")
    args = p.parse_args(argv)
    try:
        out = export(args.name, args.out)
    except checkpoints.CheckpointError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.name}'s generator to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
