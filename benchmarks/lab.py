"""Training-lab speed: rounds per second (k discriminator steps + one generator step), default sizes.

Baseline (same process): the bare alternating loop on the same networks and batch, without the
lab's recording of losses, gradient norms, metrics and snapshots, and on torch's default thread
count (the lab bounds its own: ganzoo.lessons.lab.LAB_THREADS). `--threads 16` on a small host shows what
a many-core host's default costs the bare loop.

python -m benchmarks.lab
"""

import time

import torch

from benchmarks.timing import Row, print_rows
from ganzoo.lessons import lab


def bare_steps_per_second(run: lab.LabRun, steps=400):
    """The same steps on the caller's thread count (torch's default unless --threads)."""
    start = time.perf_counter()
    for _ in range(steps):
        for _ in range(run.config.d_steps):
            run.d_step()
        run.g_step()
    return steps / (time.perf_counter() - start)


def lab_steps_per_second(run: lab.LabRun, steps=400):
    start = time.perf_counter()
    run.train(steps)
    return steps / (time.perf_counter() - start)


def measure(configs=None):
    configs = configs or [("default (non-saturating, 64 hidden, k=1)", lab.LabConfig()),
                          ("WGAN-GP, k=1", lab.LabConfig(loss="wgan-gp")),
                          ("preset: converges (WGAN-GP, k=5)", lab.preset_config("converges"))]
    rows = []
    for name, config in configs:
        lab.LabRun(config).train(20)  # warm-up
        bare = bare_steps_per_second(lab.LabRun(config))
        ours = lab_steps_per_second(lab.LabRun(config))
        rows.append(Row(f"training lab, {name}", ours, "bare alternating loop", bare, "steps/s"))
    return rows


if __name__ == "__main__":
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's choice)")
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch threads: {torch.get_num_threads()}")
    print_rows(measure())
