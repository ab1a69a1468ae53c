"""Torch work from a second OS thread of one process: the finding behind the CycleGAN page's slow
reruns when the same process also translates from another thread.

Streamlit runs each session's script in a thread of its own. Here a 1024x1024 tiled translation
with the compact generator runs in the main thread, then in a worker thread, then in the main
thread again. On this project's 2-core CPU the bf16/int8 path took 0.33 s in the main thread and
0.72 s in the worker (2.2x; with three threads taking turns, every one of them, the main thread
included, took 0.75 s). Plain fp32 convolutions do not slow down; the fast path's many small
parallel regions do. Measured again on a quiet machine (2026-12-06): 0.75 s in the second thread
against 0.48 s in the main one with two torch threads, and no difference with one
(OMP_NUM_THREADS=1: 0.86 against 0.89 s). The second thread here is itself a long-lived worker (its
four runs all slow), so a model-worker thread per process would not remove the penalty; one torch
thread a process does, which is what `./serve` sets on two cores (a lone `streamlit run` keeps it).

python -m benchmarks.threads
"""

import time
from concurrent.futures import ThreadPoolExecutor

import torch

from benchmarks.timing import Row, median_seconds, print_rows
from ganzoo.inference import translation
from ganzoo.io import checkpoints
from ganzoo.runtime.device import policy


def measure() -> list:
    generator = checkpoints.load("cyclegan-monet-compact", p=policy()).model.generator("BA")
    x = torch.rand(1, 3, 1024, 1024, generator=torch.Generator().manual_seed(0)) * 2 - 1
    work = lambda: translation.run_tiled(generator, x)  # noqa: E731
    alone = median_seconds(work, repeats=3, warmup=1)
    second = ThreadPoolExecutor(1).submit(lambda: median_seconds(work, repeats=3, warmup=1)).result()
    start = time.perf_counter()
    work()
    after = time.perf_counter() - start
    what = "CycleGAN compact, 1024 tiled"
    return [Row(f"{what}, from a second thread of the process", second, "main thread, before", alone, "s"),
            Row(f"{what}, main thread after the second thread ran", after, "main thread, before", alone, "s")]


if __name__ == "__main__":
    print_rows(measure())
