"""The GPU benchmark's rows (benchmarks/gpu.py), run on the CPU with tiny sizes: every row measured,
positive, and naming the device and policy it ran under. A GPU session runs the same code on CUDA."""

import math

import torch

from benchmarks import gpu
from ganzoo.runtime.device import Policy


def test_gpu_rows_run_on_any_device_and_say_their_policy():
    rows = gpu.measure("cpu", sizes=(64,), repeats=1, steps=1, cyclegan_kwargs=dict(batch=1, crop=64, ngf=8, blocks=1),
                       p=Policy(torch.device("cpu"), "fp32"))
    names = [r.measure for r in rows]
    assert any(n.startswith("MNIST DCGAN") for n in names)
    assert sum(n.startswith("CycleGAN official size") for n in names) == 1
    assert any(n.startswith("DCGAN training") for n in names) and any(n.startswith("CycleGAN training") for n in names)
    assert all("[CPU, policy CPU · fp32]" in n for n in names)
    assert all(math.isfinite(r.ours) and r.ours > 0 and r.baseline > 0 for r in rows)
