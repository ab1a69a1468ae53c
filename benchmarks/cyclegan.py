"""CycleGAN inference on CPU: ganzoo's path (ganzoo/inference/fast_cyclegan.py: int8 3x3 convolutions on
a VNNI CPU, bf16 elsewhere, channels_last) against plain fp32 eager in the same process, each
timed in turn within every round, with the PSNR between the two outputs.

The official-size generator (ngf=64, 9 blocks, 11.4M parameters) runs with seeded random weights
here (the official files need the Hub): speed does not depend on the values, and its PSNR is
checked on the bundled real images as well as on noise. The compact model is the embedded one.

python -m benchmarks.cyclegan [--sizes 256 512 1024]
python -m benchmarks.cyclegan --photos ../shared/data/monet2photo/testB   # PSNR over a folder
"""

import argparse
import copy
from pathlib import Path

import torch

from benchmarks.timing import Row, interleaved_median_seconds, median_seconds, print_rows
from ganzoo import inference
from ganzoo.inference import translation
from ganzoo.inference.fast_cyclegan import FastResnetGenerator
from ganzoo.io import checkpoints
from ganzoo.maths import metrics
from ganzoo.models.cyclegan import CycleGAN, ResnetGenerator
from ganzoo.runtime.device import policy

SAMPLES = Path(__file__).resolve().parent.parent / "assets" / "samples"


def input_and_baseline(gen, size):
    """A fixed input, and a copy of the network as plain fp32 eager runs it (default layout)."""
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0)) * 2 - 1
    return x, copy.deepcopy(gen).eval().float().to(memory_format=torch.contiguous_format)


def psnrs(fast, plain, x: torch.Tensor) -> torch.Tensor:
    """PSNR of the fast path against fp32 eager, one value per image."""
    with torch.no_grad():
        return torch.tensor([metrics.psnr(translation.run(fast, x[i:i + 1]), plain(x[i:i + 1]))
                             for i in range(len(x))])


def compare(name, gen, size, repeats, bf16_only=False):
    """(Row, PSNR in dB on the fixed noise input): the app's path (inference.prepare), or with
    bf16_only the same module with int8 off. At 256 the label also gives the lowest PSNR over the
    bundled samples."""
    x, plain = input_and_baseline(gen, size)
    app = inference.prepare(copy.deepcopy(plain), policy())
    fast_gen = FastResnetGenerator(plain, int8=False) if bf16_only else app
    int8 = getattr(fast_gen, "int8", False)
    with torch.no_grad():
        times = interleaved_median_seconds({"fp32": lambda: plain(x), "ours": lambda: translation.run(fast_gen, x)},
                                           repeats)
        quality = metrics.psnr(translation.run(fast_gen, x), plain(x))
    path = "int8 + bf16" if int8 else policy().precision + " only"
    label = f"CycleGAN {name} at {size}x{size}, {path} (PSNR {quality:.1f} dB on noise"
    if size == 256:
        label += f", at least {psnrs(fast_gen, plain, translation.fit_folder(SAMPLES)).min():.1f} dB on the 4 samples"
    return Row(label + ")", times["ours"] * 1e3, "fp32 eager", times["fp32"] * 1e3, "ms"), quality


def compiled(gen, size=256, repeats=5):
    """torch.compile (inductor, frozen bf16 weights, channels_last): what compiling would buy, and
    what it costs to compile; the app does not compile (see benchmarks/README.md)."""
    import time

    import torch._inductor.config as inductor
    x, plain = input_and_baseline(gen, size)
    with torch.no_grad():
        reference = plain(x)
        base = median_seconds(lambda: plain(x), repeats, warmup=1)
    inductor.freezing = True
    fast = torch.compile(copy.deepcopy(gen).eval().to(torch.bfloat16).to(memory_format=torch.channels_last))
    xb = x.to(torch.bfloat16).contiguous(memory_format=torch.channels_last)
    start = time.perf_counter()
    with torch.inference_mode():
        out = fast(xb).float().clamp(-1, 1)
        compile_s = time.perf_counter() - start
        ours = median_seconds(lambda: fast(xb), repeats, warmup=1)
    return Row(f"CycleGAN official size at {size}x{size}, torch.compile bf16 (compiled in {compile_s:.0f} s; "
               f"PSNR {metrics.psnr(out, reference):.1f} dB; not used by the app)", ours * 1e3, "fp32 eager",
               base * 1e3, "ms")


def compact_generator():
    return checkpoints.load_folder(CycleGAN, checkpoints.embedded_folder("cyclegan-monet-compact")).G_BA


def measure(sizes=(256, 512, 1024), repeats=7):
    torch.manual_seed(0)
    official = ResnetGenerator()
    models = [("official size", official), ("compact", compact_generator())]
    rows = [compare(name, gen, size, repeats if size <= 512 else max(3, repeats // 2))[0]
            for name, gen in models for size in sizes]
    extra = [compiled(official)]
    if policy().int8:  # what int8 adds over the bf16 path of the same module
        extra.insert(0, compare("official size", official, 256, repeats, bf16_only=True)[0])
    return rows[:1] + extra + rows[1:]


def folder_psnr(folder):
    """PSNR of ganzoo's path against fp32 eager over a folder of real images, both generators."""
    torch.manual_seed(0)
    x = translation.fit_folder(folder)
    for name, gen in (("official size (random weights)", ResnetGenerator()), ("compact", compact_generator())):
        plain = copy.deepcopy(gen).eval().float()
        values = psnrs(inference.prepare(copy.deepcopy(plain), policy()), plain, x)
        print(
            f"{name}: {len(values)} images from {folder}: PSNR min {values.min():.1f} dB, "
            f"median {values.median():.1f} dB, mean {values.mean():.1f} dB, below 35 dB: {(values < 35).sum().item()}"
        )


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--photos", help="print the PSNR over this folder of images instead of timing")
    args = p.parse_args()
    print(f"policy: {policy().describe()}, torch threads: {torch.get_num_threads()}")
    if args.photos:
        folder_psnr(args.photos)
    else:
        print_rows(measure(args.sizes, args.repeats))
