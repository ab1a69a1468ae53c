"""What every benchmark shares: one timing helper and one row format (ganzoo vs a baseline
measured in the same process)."""

import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from ganzoo.runtime.device import policy


def median_seconds(fn, repeats=15, warmup=2):
    """Median wall time of fn() over `repeats` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_median_seconds(fns: dict, repeats=7, warmup=1) -> dict:
    """Median wall time of each fn, the fns taking turns in every round, so that a slow spell of a
    shared machine falls on all of them rather than on whichever ran during it."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}

REPORT = Path(__file__).resolve().parent / "README.md"  # the benchmark report: its tables and how to read them


@dataclass
class Row:
    measure: str
    ours: float
    baseline_name: str
    baseline: float
    unit: str  # "ms", "s", "steps/s", "images/s", "MB"

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")

    def ratio(self) -> str:
        if self.unit == "MB":
            return f"{self.ours / self.baseline:.2f}x the memory"
        better = self.ours / self.baseline if self.higher_is_better else self.baseline / self.ours
        return f"{better:.2f}x faster" if better >= 1 else f"{1 / better:.2f}x slower"

    def cells(self) -> list:
        digits = 0 if self.unit in ("MB", "steps/s", "images/s") or self.ours >= 100 else (1 if self.ours >= 10 else 2)
        fmt = f"{{:,.{digits}f}} {self.unit}"
        return [self.measure, fmt.format(self.ours), f"{self.baseline_name}: {fmt.format(self.baseline)}", self.ratio()]


HEADER = ["measure", "ganzoo", "baseline (same run)", "ganzoo vs baseline"]


def print_rows(rows, title=None):
    if title:
        print(title)
    table = [HEADER] + [r.cells() for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    for line in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)), flush=True)


def markdown(rows) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "| " + " | ".join("---" for _ in HEADER) + " |"]
    return "\n".join(lines + ["| " + " | ".join(r.cells()) + " |" for r in rows])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import streamlit
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.system()} {platform.machine()}; "
            f"Python {platform.python_version()}, torch {torch.__version__}, streamlit {streamlit.__version__}; "
            f"policy {policy().describe()}, {torch.get_num_threads()} torch threads")
