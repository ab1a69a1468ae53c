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


def input_and_baseline(gen, size):
    """A fixed input, and a copy of the network as plain fp32 eager runs it (default layout)."""
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0)) * 2 - 1
    return x, copy.deepcopy(gen).eval().float().to(memory_format=torch.contiguous_format)


def compare(name, gen, size, repeats):
    """(Row, PSNR in dB of ganzoo's output against fp32 eager)."""
    x, plain = input_and_baseline(gen, size)

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


def conv_ceiling(gen, size=256):
    """The best ganzoo's path could do if everything but the bf16 convolutions were free: their
    time from the profiler, against the whole fp32 eager forward."""
    from torch.profiler import ProfilerActivity, profile
    x, plain = input_and_baseline(gen, size)
    with torch.no_grad():
        base = median_seconds(lambda: plain(x), 3, warmup=1)
    fast_gen = translate.prepare(copy.deepcopy(gen).eval())
    convs = []
    for _ in range(3):
        translate.run(fast_gen, x)
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            translate.run(fast_gen, x)
        convs.append(sum(e.self_cpu_time_total for e in prof.key_averages()
                         if e.key in ("aten::mkldnn_convolution", "aten::convolution_overrideable")) / 1e6)
    conv = sorted(convs)[1]
    return Row(f"CycleGAN official size at {size}x{size}: its bf16 convolutions alone (the ceiling)", conv * 1e3,
               "fp32 eager", base * 1e3, "ms")


def compiled(gen, size=256, repeats=5):
    """torch.compile (inductor, frozen bf16 weights, channels_last): what compiling would buy, and
    what it costs to compile; the app does not compile (see README)."""
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
               f"PSNR {translate.psnr(out, reference):.1f} dB; not used by the app)", ours * 1e3, "fp32 eager",
               base * 1e3, "ms")


def measure(sizes=(256, 512, 1024), repeats=5):
    torch.manual_seed(0)
    official = ResnetGenerator()
    models = [("official size", official),
              ("compact", checkpoints.load("cyclegan-monet-compact", device="cpu").model.G_BA)]
    rows = [compare(name, gen, size, repeats if size <= 512 else max(2, repeats // 2))[0]
            for name, gen in models for size in sizes]
    return rows[:1] + [conv_ceiling(official), compiled(official)] + rows[1:]


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    print(f"policy: {policy().describe()}, torch threads: {torch.get_num_threads()}")
    print_rows(measure(args.sizes, args.repeats))
