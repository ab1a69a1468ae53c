"""CycleGAN inference on CPU: ganzoo's path (channels_last, inference_mode, the policy's bf16
autocast) against plain fp32 eager in the same process, with the PSNR between the two outputs.

The official-size generator (ngf=64, 9 blocks, 11.4M parameters) runs with random weights here
(the official files need the Hub); speed does not depend on the values. The compact model is
the embedded one.

python benchmarks/cyclegan.py [--sizes 256 512 1024]
"""

import argparse
import copy
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.timing import Row, median_seconds, print_rows  # noqa: E402
from ganzoo import checkpoints, translate  # noqa: E402
from ganzoo.cyclegan import ResnetGenerator  # noqa: E402
from ganzoo.device import policy  # noqa: E402


def compare(name, gen, size, repeats):
    """(Row, PSNR in dB of ganzoo's output against fp32 eager)."""
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0)) * 2 - 1
    plain = copy.deepcopy(gen).eval().to(memory_format=torch.contiguous_format)

    def eager():
        with torch.no_grad():
            return plain(x)

    reference = eager()
    base = median_seconds(eager, repeats, warmup=1)
    fast_gen = translate.prepare(gen.eval())
    fast = median_seconds(lambda: translate.run(fast_gen, x), repeats, warmup=1)
    quality = translate.psnr(translate.run(fast_gen, x), reference)
    return Row(f"CycleGAN {name} at {size}x{size} (PSNR {quality:.1f} dB)", fast * 1e3, "fp32 eager",
               base * 1e3, "ms"), quality


def measure(sizes=(256, 512, 1024), repeats=5):
    torch.manual_seed(0)
    models = [("official size", ResnetGenerator()),
              ("compact", checkpoints.load("cyclegan-monet-compact", device="cpu").model.G_BA)]
    return [compare(name, gen, size, repeats if size <= 512 else max(2, repeats // 2))[0]
            for name, gen in models for size in sizes]


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    print(f"policy: {policy().describe()}, torch threads: {torch.get_num_threads()}")
    print_rows(measure(args.sizes, args.repeats))
