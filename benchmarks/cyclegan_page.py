"""A large upload through the CycleGAN page against the library call it makes, in one process.

A 6000x6000 JPEG, "tiled" at a largest side of 2048 (the operator's pixel cap raised to allow it):
the page's rerun (decode, translate, previews, cycle and identity checks, figures) against the
library calls it makes on the same bytes (`decode_image` and `translation.translate`), each in a
process of its own; and the page's peak memory against its peak before the upload.

python -m benchmarks.cyclegan_page
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import Row, print_rows

ROOT = Path(__file__).resolve().parent.parent
SIDE, MAX_SIDE = 6000, 2048


def make_upload(path: Path, side=SIDE) -> None:
    """A photo-like 6000x6000 JPEG (gradients and grain), written in slices to keep this small."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    image = Image.new("RGB", (side, side))
    ramp = np.linspace(0, 255, side, dtype=np.float32)
    for top in range(0, side, 500):
        rows = np.stack([np.tile(ramp, (500, 1)), np.tile(ramp[top:top + 500, None], (1, side)),
                         np.full((500, side), 120, np.float32)], axis=2)
        rows = (rows + rng.normal(0, 12, rows.shape)).clip(0, 255).astype(np.uint8)
        image.paste(Image.fromarray(rows), (0, top))
    image.save(path, "JPEG", quality=90)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def library_child(upload: Path, rounds: int) -> dict:
    """The library calls the page makes, in a process of their own."""
    import torch

    from ganzoo.inference import translation
    from ganzoo.io import checkpoints
    from ganzoo.io.images import decode_image
    from ganzoo.runtime.device import policy
    data = upload.read_bytes()
    generator = checkpoints.load("cyclegan-monet-compact", p=policy()).model.generator("BA")
    translation.run(generator, torch.zeros(1, 3, 256, 256))
    needed = lambda size: translation.needed_size(size, "tiled", MAX_SIDE, MAX_SIDE * MAX_SIDE)  # noqa: E731
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        translation.translate(generator, decode_image(data, at_least=needed), "tiled", MAX_SIDE, MAX_SIDE * MAX_SIDE)
        times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "peak_mb": peak_mb()}


def page_child(upload: Path, rounds: int) -> dict:
    """The page in AppTest, in a process of its own. Torch work done from two threads of one process
    (the test's main thread and the script thread) slows both down, so the two never share one."""
    os.environ["GANZOO_MAX_OUTPUT_PIXELS"] = str(MAX_SIDE * MAX_SIDE)
    from streamlit.testing.v1 import AppTest
    data = upload.read_bytes()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900).run()
    at.switch_page("app_pages/cyclegan.py").run()
    at.radio(key="size_policy").set_value("tiled").run()
    at.slider(key="max_side").set_value(MAX_SIDE).run()
    before = peak_mb()
    times = []
    for i in range(rounds):
        at.file_uploader(key="upload").set_value((f"big{i}.jpg", data, "image/jpeg"))
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception and not at.error, (at.exception, at.error)
    return {"seconds": statistics.median(times), "before_mb": before, "peak_mb": peak_mb()}


def run_child(kind: str, upload: Path, rounds: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.cyclegan_page", f"--{kind}", str(upload), str(rounds)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(rounds=3) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        upload = Path(tmp) / "big.jpg"
        make_upload(upload)
        library, page = run_child("library", upload, rounds), run_child("page", upload, rounds)
    what = f"CycleGAN page, {SIDE}x{SIDE} JPEG tiled at {MAX_SIDE}"
    return [Row(f"{what}: the page's rerun", page["seconds"], "its library calls in a process of their own",
                library["seconds"], "s"),
            Row(f"{what}: peak memory of the process", page["peak_mb"], "page open before the upload",
                page["before_mb"], "MB")]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("--library", "--page"):
        work = library_child if sys.argv[1] == "--library" else page_child
        print(json.dumps(work(Path(sys.argv[2]), int(sys.argv[3]))))
    else:
        print_rows(measure())
