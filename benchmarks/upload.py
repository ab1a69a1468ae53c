"""Peak memory of a visitor's generator upload (ganzoo/inference/uploaded.py), each file in a fresh process:
its peak resident memory (VmHWM) after the upload is read and checked, against the same process's
peak just before (the library imported, the bytes in memory, as Streamlit holds an upload), so the
gap is what one upload costs. The hostile rows are refused: their gap shows that nothing they
declare is allocated.

python -m benchmarks.upload   (the Keras rows need `keras`, from requirements-test.txt)
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import Row, print_rows

ROOT = Path(__file__).resolve().parents[1]
MEASURE = """
import json, sys
from pathlib import Path
import h5py, torch  # what an upload needs, imported before the baseline
from ganzoo.runtime.i18n import VisitorError
from ganzoo.inference.uploaded import load_files

def peak():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

files = [(Path(p).name, Path(p).read_bytes()) for p in sys.argv[1:]]
torch.ones(64, 64).sum()
before = peak()
try:
    outcome = load_files(files).layout
except VisitorError as exc:
    outcome = exc.key
print(json.dumps({"before": before, "after": peak(), "outcome": outcome}))
"""


def peak_of(paths) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *map(str, paths)], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def hostile_files(folder: Path) -> dict:
    """An HDF5 file declaring a 4 TB weight, and a safetensors header declaring a 1,000x larger tensor."""
    import h5py

    from ganzoo.export import generator_files
    huge = folder / "huge.weights.h5"
    with h5py.File(huge, "w") as f:
        f.create_dataset("layers/dense/vars/0", shape=(10**6, 10**6), dtype="f4", chunks=(1, 1))
    files = generator_files("mnist-dcgan")
    weights = files["model.safetensors"]
    size = int.from_bytes(weights[:8], "little")
    header = json.loads(weights[8:8 + size])
    header["generator.net.0.weight"]["shape"] = [64000, 256, 7, 7]
    lying = folder / "lying" / "model.safetensors"
    lying.parent.mkdir()
    lying.write_bytes(weights[:8] + json.dumps(header).encode().ljust(size) + weights[8 + size:])
    (lying.parent / "config.json").write_bytes(files["config.json"])
    return {"an HDF5 file declaring a 10^6 x 10^6 float32 weight (refused)": [huge],
            "a safetensors header declaring a tensor 1,000x its bytes (refused)": [lying, lying.parent / "config.json"]}


def measure() -> list:
    from ganzoo.export import export
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = {}
        try:
            from harness.keras_course import write_keras_files
            keras = write_keras_files(tmp / "keras")
            cases["the course's Keras generator, .weights.h5 (1.1 MB)"] = [keras / "generator.weights.h5"]
            cases["the course's Keras generator, .keras"] = [keras / "generator.keras"]
        except (ImportError, AssertionError) as exc:  # no Keras here: those rows are left out
            print(f"(no Keras rows: {str(exc)[:200]})")
        for name in ("mnist-dcgan", "mnist-scgan-w64"):
            zipped = export(name, tmp / f"{name}.zip")
            cases[f"ganzoo's {name} as a zip ({zipped.stat().st_size / 1e6:.1f} MB)"] = [zipped]
        cases.update(hostile_files(tmp))
        rows = []
        for label, paths in cases.items():
            got = peak_of(paths)
            rows.append(Row(f"peak memory of an upload: {label} -> {got['outcome']}", got["after"],
                            "the same process just before", got["before"], "MB"))
    return rows


def main():
    rows = measure()
    print_rows(rows)
    for row in rows:
        print(f"{row.measure}: +{row.ours - row.baseline:.1f} MB")


if __name__ == "__main__":
    main()
