"""Turning a loaded model into what the device policy runs: its inference form, its device and layout.

The networks in ganzoo.models are plain nn.Modules; this is the one place that knows how each is
best run: the MNIST judge with BatchNorm folded into its layers (and in channels_last on a CPU),
the MNIST DCGAN generators rewritten for the CPU (ganzoo/inference/dcgan.py),
the CycleGAN generators on the int8/bf16 CPU path (ganzoo/inference/fast_cyclegan.py) where the
policy runs bf16 on a CPU, and every model on the policy's device, in its memory format.
"""

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval, fuse_linear_bn_eval

from ganzoo.inference.dcgan import fast_dcgan_generator
from ganzoo.inference.fast_cyclegan import FastResnetGenerator, SpaceToDepthConv2d, SubpixelResizeConv2d
from ganzoo.models.cyclegan import CycleGAN, ResizeConv2d, ResnetGenerator, instance_norm
from ganzoo.models.mnist import DCGANGenerator, MnistClassifier, MnistGAN
from ganzoo.runtime.device import Policy


def fold_batchnorm(classifier: MnistClassifier) -> MnistClassifier:
    """Each BatchNorm folded into the layer before it (eval statistics): the same outputs to float
    rounding, one pass over the activations fewer (the judge runs 2x faster, benchmarks/run_all.py)."""
    classifier.eval()
    layers = list(classifier.features)
    for i, (a, b) in enumerate(zip(layers, layers[1:])):
        if isinstance(b, (nn.BatchNorm2d, nn.BatchNorm1d)):
            fuse = fuse_conv_bn_eval if isinstance(a, nn.Conv2d) else fuse_linear_bn_eval
            classifier.features[i], classifier.features[i + 1] = fuse(a, b), nn.Identity()
    return classifier


class GroupInstanceNorm2d(nn.InstanceNorm2d):
    """An affine-free nn.InstanceNorm2d computed by `instance_norm` (GroupNorm's CPU kernel)."""

    def forward(self, x):
        return instance_norm(x, self.eps)


def with_group_instance_norms(generator: nn.Module) -> nn.Module:
    """The generator with each InstanceNorm replaced by GroupInstanceNorm2d, in place: on the
    fp32 CPU path the compact CycleGAN at 256 spent about a quarter of its time in InstanceNorm
    (torch.profiler, a busy machine)."""
    for module in list(generator.modules()):
        for name, child in module.named_children():
            if type(child) is nn.InstanceNorm2d and not child.affine and not child.track_running_stats:
                setattr(module, name, GroupInstanceNorm2d(child.num_features, eps=child.eps))
    return generator


def fp32_cpu_generator(generator: ResnetGenerator) -> ResnetGenerator:
    """The generator rewritten in place into the same function in forms oneDNN's fp32 kernels run
    faster (the compact CycleGAN at 256 on the AVX2 path: 57 -> 44 ms, benchmarks/cyclegan.py):
    instance norms computed as GroupNorm, each resize-convolution at its input's resolution
    (`SubpixelResizeConv2d`), and the last 7x7 convolution, with its 3 output channels, on the
    2x2 space-to-depth input (`SpaceToDepthConv2d`)."""
    layers = with_group_instance_norms(generator.eval()).model
    for i, layer in enumerate(layers):
        if isinstance(layer, ResizeConv2d):
            layers[i] = SubpixelResizeConv2d(layer)
    if not isinstance(layers[-2], SpaceToDepthConv2d):  # not rewritten already; the last layer is the tanh
        layers[-2] = SpaceToDepthConv2d(layers[-2], torch.float32)
    return generator


def fast_generator(generator: nn.Module, p: Policy) -> nn.Module:
    """ganzoo's CPU path (int8/bf16) where the policy runs bf16 on a CPU; on a CPU in fp32 the
    network rewritten by `fp32_cpu_generator`; elsewhere the network itself."""
    if isinstance(generator, ResnetGenerator) and p.device.type == "cpu":
        if p.precision == "bf16":
            return FastResnetGenerator(generator.eval(), int8=p.int8)
        return fp32_cpu_generator(generator)
    return generator.eval()


def carry(model: nn.Module, p: Policy) -> nn.Module:
    """The model remembers the policy it was prepared for (`device.policy_of` reads it back), and so
    do a CycleGAN's two generators, which the pages run on their own."""
    for module in (model, getattr(model, "G_AB", None), getattr(model, "G_BA", None)):
        if module is not None:
            module.policy = p
    return model


def prepare(model: nn.Module, p: Policy) -> nn.Module:
    """A loaded model as every page runs it under policy `p`: its inference form, in eval mode, on
    the policy's device and layout, carrying `p`."""
    model = model.eval()
    if isinstance(model, MnistClassifier):
        model = fold_batchnorm(model)
    elif isinstance(model, ResnetGenerator):
        model = fast_generator(model, p)
    elif isinstance(model, CycleGAN):
        model.G_AB, model.G_BA = fast_generator(model.G_AB, p), fast_generator(model.G_BA, p)
    elif isinstance(model, MnistGAN) and isinstance(model.generator, DCGANGenerator) and p.device.type == "cpu":
        fast_dcgan_generator(model.generator)
    model = p.place(model)
    if isinstance(model, MnistClassifier) and p.device.type == "cpu":
        # The judge's small convolutions at 28x28 in fp32 on the AVX2 path: 1.8x faster in
        # channels_last (128 against 226 ms for 256 images, one thread), equal with AVX-512.
        # Other fp32 models keep the plain layout (device.Policy.memory_format says why).
        model = model.to(memory_format=torch.channels_last)
    return carry(model, p)
