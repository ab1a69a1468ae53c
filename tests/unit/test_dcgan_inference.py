"""The 28x28 networks rewritten for inference on a CPU (ganzoo.inference.dcgan): BatchNorm folded,
transposed convolutions as products; the same outputs as the networks trained."""

import pytest
import torch

from ganzoo.io import checkpoints
from ganzoo.models.mnist import MnistGAN
from ganzoo.runtime.device import Policy


def test_classifier_folded_for_inference_gives_the_same_outputs():
    from ganzoo.models.mnist import MnistClassifier
    plain = checkpoints.load_folder(MnistClassifier, checkpoints.embedded_folder("mnist-classifier")).eval()
    folded = checkpoints.load("mnist-classifier").model
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in folded.modules())
    x = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        torch.testing.assert_close(folded(x), plain(x), atol=1e-4, rtol=1e-4)
        torch.testing.assert_close(folded.embed(x), plain.embed(x), atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("name", ["mnist-dcgan", "mnist-scgan", "mnist-scgan-w64", "mnist-cgan", "fashion-dcgan"])
def test_generators_rewritten_for_the_cpu_give_the_same_images(name):
    """The shipped DCGAN generators as `checkpoints.load` gives them on a CPU: BatchNorm folded,
    the 1x1-input layer as a matrix product, the one-channel layer as a product and col2im (see
    ganzoo/inference/dcgan.py). The same images as the plain network, in fp32."""
    from ganzoo.inference.dcgan import FoldTranspose2d, ProjectionTranspose2d
    plain = checkpoints.load_folder(MnistGAN, checkpoints.embedded_folder(name)).eval()
    fast = checkpoints.load(name).model
    kinds = {type(m) for m in fast.generator.modules()}
    assert {ProjectionTranspose2d, FoldTranspose2d} <= kinds and torch.nn.BatchNorm2d not in kinds
    z = torch.randn(32, plain.latent_dim + plain.codes, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(32) % 10 if plain.conditional else None
    with torch.no_grad():
        torch.testing.assert_close(fast(z, labels), plain(z, labels), atol=1e-5, rtol=1e-4)
        from ganzoo import inference  # prepared again, it is rewritten once
        torch.testing.assert_close(inference.prepare(fast, Policy.plain())(z, labels), plain(z, labels),
                                   atol=1e-5, rtol=1e-4)


def test_transposed_layers_rewritten_keep_their_function_with_bias_and_stride():
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    from ganzoo.inference.dcgan import FoldTranspose2d, ProjectionTranspose2d
    torch.manual_seed(0)
    conv, norm = torch.nn.ConvTranspose2d(6, 5, 3, 2, 1, bias=True), torch.nn.BatchNorm2d(5)
    norm.running_mean.uniform_(-1, 1), norm.running_var.uniform_(0.5, 2), norm.weight.data.uniform_(0.5, 2)
    x = torch.randn(3, 6, 5, 7)
    with torch.no_grad():
        torch.testing.assert_close(fuse_conv_bn_eval(conv.eval(), norm.eval(), transpose=True)(x), norm.eval()(conv(x)),
                                   atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(FoldTranspose2d(conv)(x), conv(x), atol=1e-5, rtol=1e-5)
        project = torch.nn.ConvTranspose2d(6, 4, 7, bias=True)
        torch.testing.assert_close(ProjectionTranspose2d(project)(x[:, :, :1, :1]), project(x[:, :, :1, :1]),
                                   atol=1e-5, rtol=1e-5)
