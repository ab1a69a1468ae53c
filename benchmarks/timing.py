"""The one timing helper every benchmark uses."""

import statistics
import time


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
