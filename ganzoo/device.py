"""The device-and-precision policy every model, page, test and benchmark follows.

CUDA (with fp16 autocast) when present, then Apple MPS, else CPU. On CPU, bf16 autocast is used
only where the CPU has native bf16 support (AVX512-BF16 / AMX) and a convolution measured once at
start-up runs at least 1.3x faster with it (on this project's AMD EPYC test machine it does not,
so it runs fp32). Override with GANZOO_DEVICE=cpu|cuda|mps and GANZOO_PRECISION=fp32|bf16|fp16.
"""

import contextlib
import functools
import os
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Policy:
    device: torch.device
    precision: str  # "fp32", "bf16" or "fp16"

    @property
    def autocast_dtype(self):
        return {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)

    def autocast(self):
        """Context manager for inference; a no-op in fp32."""
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.autocast_dtype)

    def describe(self) -> str:
        return f"{self.device.type.upper()} · {self.precision}"


def _cpu_has_native_bf16() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def bf16_speedup(repeats: int = 5) -> float:
    """fp32 time / bf16-autocast time of a small conv stack on the CPU (best of `repeats`)."""
    import time

    net = torch.nn.Sequential(torch.nn.Conv2d(32, 32, 3, padding=1), torch.nn.ReLU(),
                              torch.nn.Conv2d(32, 32, 3, padding=1)).eval()
    x = torch.randn(1, 32, 64, 64)
    best = {}
    with torch.inference_mode():
        for dtype in (None, torch.bfloat16):
            ctx = torch.autocast("cpu", dtype=dtype) if dtype else contextlib.nullcontext()
            with ctx:
                net(x)
                times = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    net(x)
                    times.append(time.perf_counter() - start)
            best[dtype] = min(times)
    return best[None] / best[torch.bfloat16]


def _pick_device() -> torch.device:
    wanted = os.environ.get("GANZOO_DEVICE", "").strip().lower()
    if wanted:
        return torch.device(wanted)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


@functools.lru_cache(maxsize=1)
def policy() -> Policy:
    device = _pick_device()
    wanted = os.environ.get("GANZOO_PRECISION", "").strip().lower()
    if wanted in ("fp32", "bf16", "fp16"):
        precision = wanted
    elif device.type == "cuda":
        precision = "fp16"
    elif device.type == "cpu" and _cpu_has_native_bf16() and bf16_speedup() >= 1.3:
        precision = "bf16"
    else:
        precision = "fp32"
    return Policy(device, precision)
