"""The device-and-precision policy every model, page, test and benchmark follows.

CUDA when present, then Apple MPS, else CPU.

On CUDA the models run in fp32 with TF32 tensor-core matmuls and cuDNN's autotuner: half precision
repaid its casts neither for the official-size CycleGAN nor for the 28x28 models. Training on
CUDA uses bf16 autocast (`--bf16`), where the large batches do gain.

On CPU, bf16 autocast is used where the CPU has native bf16 (AVX512-BF16 / AMX), because
`python -m benchmarks.precision` measured it faster there; elsewhere bf16 is emulated and slower, so fp32 (the
figures behind both choices: benchmarks/README.md). Where the CPU also has VNNI (int8 dot products)
and PyTorch has oneDNN's quantised convolution, the CycleGAN generators run their 3x3 convolutions
in int8 (ganzoo/inference/fast_cyclegan.py; GANZOO_INT8=0 turns that off). The choice is made from
the CPU's flags, not timed at start-up: timings on a busy machine swing both ways, and a precision
that changed between restarts would change the pixels a seed gives. Override with
GANZOO_DEVICE=cpu|cuda|mps and GANZOO_PRECISION=fp32|bf16|fp16.

One route, as pytorch-fid does it: the edges (the Streamlit shell, each CLI's `main`, a benchmark, a
test) call `policy()` once and hand the result on; `inference.prepare(model, p)` makes the model
carry it, and every library function reads it back with `policy_of(model)` or takes `p=`.
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
    int8: bool = False  # int8 convolutions where a model offers them (CPU with VNNI)

    @property
    def autocast_dtype(self):
        return {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)

    def autocast(self):
        """Context manager for inference; a no-op in fp32."""
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.autocast_dtype)

    @property
    def memory_format(self) -> torch.memory_format:
        """channels_last on CUDA (the tensor cores' layout) and for bf16 on a CPU (oneDNN's: the MNIST
        judge runs 2x faster). Not for fp32 on a CPU: there the plain layout measured faster, on the
        AVX2 path especially (official-size CycleGAN at 256: 632 against 731 ms; DCGAN, 64 samples:
        6.7 against 7.6 ms)."""
        if self.device.type == "cuda" or self.precision == "bf16":
            return torch.channels_last
        return torch.contiguous_format

    def place(self, model: torch.nn.Module) -> torch.nn.Module:
        """On the policy's device, in its memory format."""
        return model.to(self.device, memory_format=self.memory_format)

    def describe(self) -> str:
        return f"{self.device.type.upper()} · {self.precision}" + (" + int8" if self.int8 else "")

    @classmethod
    def plain(cls, device="cpu") -> "Policy":
        """fp32 on `device`, no int8: what a model runs under when nobody chose otherwise."""
        return cls(torch.device(device), "fp32")


def device_of(module: torch.nn.Module) -> torch.device:
    """Where a model's weights are: where its inputs must go."""
    return next(module.parameters()).device


def _cpu_flags() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return f.read()
    except OSError:
        return ""


def _cpu_has_native_bf16() -> bool:
    """The CPU computes in bf16 (AVX512-BF16 or AMX) and PyTorch's kernels run at that level: with
    ATEN_CPU_CAPABILITY=avx2 (how benchmarks/README.md simulates an ordinary CPU) they do not."""
    flags = _cpu_flags()
    at_avx512 = torch.backends.cpu.get_cpu_capability().upper().startswith("AVX512")
    return at_avx512 and ("avx512_bf16" in flags or "amx_bf16" in flags)


def native_bf16_training(device: torch.device) -> bool:
    """Whether bf16 autocast pays off for training on `device`: on CUDA, and on CPUs with native
    bf16. Elsewhere it is emulated (12.7x slower than fp32 on an AVX2-only CPU, issue 14)."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu" and _cpu_has_native_bf16()


def training_precision(wanted: str, device: torch.device) -> tuple[str, str]:
    """The precision a run asking for `wanted` ("fp32", "bf16" or "fp16") trains in on `device`, and
    the one line that says why when it differs. Mixed precision only where it pays: bf16 on CUDA and
    on CPUs with native bf16; on a GPU without bf16, fp16 with a gradient scaler; never emulated."""
    if wanted == "bf16" and not native_bf16_training(device):
        if device.type == "cuda":
            return "fp16", "--bf16: this GPU has no bf16: training in fp16 with a gradient scaler"
        return "fp32", ("--bf16: this CPU has no native bf16 (it would be emulated, far slower than fp32): "
                        "training in fp32")
    if wanted == "fp16" and device.type != "cuda":
        return "fp32", f"--fp16: fp16 autocast pays on a GPU only (a {device.type} emulates it): training in fp32"
    return wanted, ""


def _int8_convolutions_available() -> bool:
    """VNNI on the CPU (without it oneDNN's uint8 x int8 kernels are slower than bf16) and
    oneDNN's quantised convolution in this PyTorch build."""
    flags = _cpu_flags()
    has_vnni = any(f in flags for f in ("avx512_vnni", "avx_vnni", "amx_int8"))
    return has_vnni and hasattr(torch.ops.onednn, "qconv_pointwise")


def _pick_device() -> torch.device:
    wanted = os.environ.get("GANZOO_DEVICE", "").strip().lower()
    if wanted:
        return torch.device(wanted)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def policy_of(model: torch.nn.Module) -> Policy:
    """The policy `inference.prepare` gave the model; a model nobody prepared runs plain fp32 where
    its weights are."""
    return getattr(model, "policy", None) or Policy.plain(device_of(model))


def policy() -> Policy:
    """This machine's policy (`resolve`). Read only at the edges: the shell, the CLIs' `main`,
    benchmarks and tests; the library takes it from the model or as an argument."""
    return resolve()


@functools.lru_cache(maxsize=1)
def resolve() -> Policy:
    """This machine's policy, from its hardware and the GANZOO_* overrides; decided once per process."""
    device = _pick_device()
    wanted = os.environ.get("GANZOO_PRECISION", "").strip().lower()
    if device.type == "cpu" and wanted == "bf16" and not _cpu_has_native_bf16():
        wanted = "fp32"  # emulated bf16 is slower than fp32 everywhere we measured
    if wanted in ("fp32", "bf16", "fp16"):
        precision = wanted
    elif device.type == "cuda":
        precision = "fp32"  # with TF32 (see the module docstring)
    elif device.type == "cpu" and _cpu_has_native_bf16():
        precision = "bf16"
    else:
        precision = "fp32"
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True  # the app repeats a few input sizes: tune each once
    int8 = (device.type == "cpu" and precision == "bf16" and os.environ.get("GANZOO_INT8", "1") != "0"
            and _int8_convolutions_available())
    return Policy(device, precision, int8)
