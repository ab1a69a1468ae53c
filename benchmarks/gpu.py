"""Rows for a GPU (run_all adds them when CUDA is present): the app's path against plain fp32 eager
on the same device, each call synchronised, host-device transfers included (a page pays them):
MNIST sampling, the CycleGAN generators at 256/512/1024, and DCGAN and CycleGAN training
images/s with and without bf16 autocast. Every row names the policy it ran under.

python -m benchmarks.gpu [--device cuda]
"""

import argparse
import copy

import torch

from benchmarks.cyclegan import compact_generator
from benchmarks.timing import Row, interleaved_median_seconds, print_rows
from benchmarks.training import images_per_second as throughput
from ganzoo import inference
from ganzoo.inference import translation
from ganzoo.inference.sampling import generate, latents
from ganzoo.io import checkpoints
from ganzoo.models.cyclegan import CycleGAN, ResnetGenerator
from ganzoo.models.mnist import MnistGAN
from ganzoo.runtime.device import Policy, policy, training_precision
from ganzoo.training import distributed
from ganzoo.training.cyclegan import train_cyclegan
from ganzoo.training.engine import PRECISIONS, Precision
from ganzoo.training.gan import gan_step


def synced(fn, device):
    """fn, then wait for the device to finish: CUDA calls return before the work is done."""
    def run():
        out = fn()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return out
    return run


def sampling_row(p, label, repeats):
    device = p.device
    model = checkpoints.load("mnist-dcgan").model
    app = inference.prepare(copy.deepcopy(model), p)
    plain = copy.deepcopy(model).float().to(device).eval()
    z = latents(model, 256, 0)

    def eager():
        with torch.no_grad():
            return plain(z.to(device)).cpu()
    times = interleaved_median_seconds({"app": synced(lambda: generate(app, z), device),
                                        "fp32": synced(eager, device)}, repeats)
    return Row(f"MNIST DCGAN, 256 samples {label}", times["app"] * 1e3, "fp32 eager", times["fp32"] * 1e3, "ms")


def cyclegan_rows(p, label, sizes, repeats):
    device = p.device
    torch.manual_seed(0)
    rows = []
    for name, gen in (("official size (random weights)", ResnetGenerator().eval()), ("compact", compact_generator())):
        app = inference.prepare(copy.deepcopy(gen), p)
        plain = copy.deepcopy(gen).float().to(device).eval()
        for size in sizes:
            x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0)) * 2 - 1

            def eager():
                with torch.no_grad():
                    return plain(x.to(device)).cpu()
            times = interleaved_median_seconds({"app": synced(lambda: translation.run(app, x), device),
                                                "fp32": synced(eager, device)}, repeats)
            rows.append(Row(f"CycleGAN {name} at {size}x{size} {label}", times["app"] * 1e3, "fp32 eager",
                            times["fp32"] * 1e3, "ms"))
    return rows


def mixed_precisions(device) -> list:
    """The mixed precisions `python -m ganzoo.train` would train in on `device` when asked."""
    return [name for name in ("bf16", "fp16") if training_precision(name, device)[0] == name]


def dcgan_training_rows(device, label, steps, batch=128):
    world = distributed.World(device=device)
    real = torch.rand(batch, 1, 28, 28) * 2 - 1
    labels = torch.zeros(batch, dtype=torch.long)

    def images_per_second(precision):
        torch.manual_seed(0)
        model = MnistGAN("dcgan").to(device).train()
        opt_g = torch.optim.Adam(model.generator.parameters(), 2e-4, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(model.discriminator.parameters(), 2e-4, betas=(0.5, 0.999))
        gen = torch.Generator().manual_seed(0)
        step = synced(lambda: gan_step(model, opt_g, opt_d, real, labels, gen, 0.9, Precision(precision, device),
                                               world), device)
        return throughput(step, steps, batch)

    fp32 = images_per_second("fp32")
    rows = [Row(f"DCGAN training, batch {batch}, {PRECISIONS[name]} {label}", images_per_second(name),
                "fp32", fp32, "images/s") for name in mixed_precisions(device)]
    return rows + [Row(f"DCGAN training, batch {batch}, fp32 {label}", fp32, "fp32", fp32, "images/s")]


def cyclegan_training_rows(device, label, steps, batch=4, crop=256, ngf=64, blocks=9):
    images = torch.randint(0, 256, (8, 3, crop, crop), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))

    def images_per_second(precision):
        torch.manual_seed(0)
        model = CycleGAN(ngf=ngf, n_blocks=blocks, ndf=64)
        train_cyclegan(model, images, images, iterations=2, batch_size=batch, crop=crop, device=device,
                       precision=precision, save_every=2, log=lambda *_: None)  # warm-up: cuDNN picks its kernels
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        _, seconds = train_cyclegan(model, images, images, iterations=steps, batch_size=batch, crop=crop,
                                    device=device, precision=precision, save_every=steps, log=lambda *_: None)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return steps * batch / seconds

    fp32 = images_per_second("fp32")
    name = f"CycleGAN training (ngf {ngf}, {blocks} blocks), batch {batch} at {crop}"
    rows = [Row(f"{name}, {PRECISIONS[p]} {label}", images_per_second(p), "fp32", fp32, "images/s")
            for p in mixed_precisions(device)]
    return rows + [Row(f"{name}, fp32 {label}", fp32, "fp32", fp32, "images/s")]


def measure(device="cuda", sizes=(256, 512, 1024), repeats=7, steps=20, cyclegan_kwargs=None, p=None) -> list:
    """Every row on `device`, under policy `p` (this machine's when it is on that device, else fp32)."""
    device = torch.device(device)
    here = policy()
    p = p or (here if here.device.type == device.type else Policy(device, "fp32"))
    label = f"[{device.type.upper()}, policy {p.describe()}]"
    return ([sampling_row(p, label, repeats)] + cyclegan_rows(p, label, sizes, repeats)
            + dcgan_training_rows(device, label, steps)
            + cyclegan_training_rows(device, label, max(2, steps // 4), **(cyclegan_kwargs or {})))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.gpu", description=__doc__.split("\n")[0])
    p.add_argument("--device", default="cuda")
    args = p.parse_args(argv)
    print_rows(measure(args.device))


if __name__ == "__main__":
    main()
