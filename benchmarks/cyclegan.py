"""CycleGAN inference on CPU: ganzoo's path (channels_last, inference_mode, the policy's bf16
autocast) against plain fp32 eager in the same process, with the PSNR between the two outputs.

The official-size generator (ngf=64, 9 blocks, 11.4M parameters) runs with random weights here
(the official files need the Hub); speed does not depend on the values. The compact model is
the embedded one when present.

python benchmarks/cyclegan.py [--sizes 256 512 1024]
"""

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.timing import median_seconds  # noqa: E402
from ganzoo import checkpoints, translate  # noqa: E402
from ganzoo.cyclegan import ResnetGenerator  # noqa: E402
from ganzoo.device import policy  # noqa: E402


def compare(name, gen, size, repeats):
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0)) * 2 - 1
    gen = gen.eval()

    def eager():
        with torch.no_grad():
            return gen(x)

    reference = eager()
    base = median_seconds(eager, repeats, warmup=1)
    fast_gen = translate.prepare(gen)
    fast = median_seconds(lambda: translate.run(fast_gen, x), repeats, warmup=1)
    quality = translate.psnr(translate.run(fast_gen, x), reference)
    gen.to(memory_format=torch.contiguous_format)
    print(f"{name:22s} {size:5d} {base * 1e3:10.1f} {fast * 1e3:10.1f} {base / fast:8.2f}x {quality:8.1f}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    print(f"policy: {policy().describe()}, torch threads: {torch.get_num_threads()}")
    print(f"{'model':22s} {'size':>5s} {'fp32 ms':>10s} {'ganzoo ms':>10s} {'speed-up':>9s} {'PSNR dB':>8s}")
    torch.manual_seed(0)
    official = ResnetGenerator()
    models = [("official (ngf 64, 9)", official)]
    try:
        models.append(("compact (embedded)", checkpoints.load("cyclegan-monet-compact", device="cpu").model.G_BA))
    except checkpoints.CheckpointError as exc:
        print(f"(compact model skipped: {exc})")
    for name, gen in models:
        for size in args.sizes:
            compare(name, gen, size, args.repeats if size <= 512 else max(2, args.repeats // 2))


if __name__ == "__main__":
    main()
