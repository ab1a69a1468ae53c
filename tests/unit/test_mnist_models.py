"""The 28x28 GANs' networks (ganzoo.models.mnist): discriminator heads and norms, InfoGAN and
self-conditioned codes, the label-plane shortcut."""

import pytest
import torch

from ganzoo.io import checkpoints
from ganzoo.models.mnist import MnistGAN
from tests.unit.synthetic_mnist import largest_singular_values, synthetic_digits, train_steps


def test_projection_head_warm_starts_from_a_plain_conditional_d_and_then_reads_the_label():
    torch.manual_seed(0)
    plain, projection = MnistGAN("conditional", width=8), MnistGAN("conditional", width=8, d_head="projection")
    missing, unexpected = projection.load_state_dict(plain.state_dict(), strict=False)
    assert missing == ["discriminator.embed.weight"] and not unexpected
    plain.eval(), projection.eval()
    images, labels = synthetic_digits(16)
    with torch.no_grad():
        # The embedding starts at zero: the same logits as the plain D it was started from.
        assert torch.allclose(projection.discriminate(images, labels), plain.discriminate(images, labels), atol=1e-6)
        torch.nn.init.normal_(projection.discriminator.embed.weight)
        other = (labels + 1) % 10
        # Once learned, the label's embedding moves the logit beyond what the input planes do.
        gap_projection = projection.discriminate(images, labels) - projection.discriminate(images, other)
        gap_plain = plain.discriminate(images, labels) - plain.discriminate(images, other)
        assert (gap_projection - gap_plain).abs().mean() > 0.1


@pytest.mark.parametrize("arch", ["dcgan", "conditional"])
def test_spectrally_normalised_d_keeps_each_layer_at_norm_one_while_it_trains(arch, tmp_path):
    torch.manual_seed(0)
    model = MnistGAN(arch, latent_dim=16, width=8, d_norm="spectral")
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in model.discriminator.modules())
    assert any(isinstance(m, torch.nn.BatchNorm2d) for m in MnistGAN(arch, width=8).discriminator.modules())
    images, labels = synthetic_digits(256)
    train_steps(model, images, labels, 40, loss="hinge")
    # Adam moves the raw weights well away from norm one; the power iteration keeps the used ones there.
    raw = [torch.linalg.matrix_norm(layer.parametrizations.weight.original.detach().flatten(1), 2).item()
           for layer in model.discriminator.modules() if isinstance(layer, torch.nn.Conv2d)]
    assert len(raw) == 3 and max(abs(v - 1) for v in raw) > 0.25
    assert all(abs(v - 1) < 0.1 for v in largest_singular_values(model.discriminator))
    # Saved and loaded as safetensors, the normalised D judges the same.
    model.eval().save_pretrained(tmp_path)
    loaded = checkpoints.load_folder(MnistGAN, tmp_path).eval()
    assert loaded.d_norm == "spectral"
    with torch.no_grad():
        cond = labels[:8] if arch == "conditional" else None
        assert torch.allclose(loaded.discriminate(images[:8], cond), model.discriminate(images[:8], cond), atol=1e-5)


def test_infogan_code_is_one_hot_uniform_and_untouched_by_truncation():
    model = MnistGAN("dcgan", latent_dim=16, width=8, codes=10)
    z = model.sample_noise(2000, torch.Generator().manual_seed(3), truncation=0.5)
    assert z.shape == (2000, model.latent_size) == (2000, 26)
    assert z[:, :16].abs().max() <= 0.5 and torch.equal(z[:, 16:].sum(1), torch.ones(2000))
    counts = torch.bincount(model.code_of(z), minlength=10)
    assert counts.min() > 150  # each of the ten codes about 200 times
    assert torch.equal(z, model.sample_noise(2000, torch.Generator().manual_seed(3), truncation=0.5))
    with pytest.raises(ValueError):
        MnistGAN("conditional", codes=10)


def test_self_conditioned_codes_are_drawn_as_often_as_their_clusters_and_kept_on_save(tmp_path):
    model = MnistGAN("dcgan", latent_dim=16, width=8, codes=3, code_weights=[0.7, 0.3, 0.0])
    z = model.sample_noise(2000, torch.Generator().manual_seed(3))
    counts = torch.bincount(model.code_of(z), minlength=3)
    assert counts[2] == 0 and 1300 < counts[0] < 1500  # an empty cluster is never drawn
    model.save_pretrained(tmp_path)
    loaded = checkpoints.load_folder(MnistGAN, tmp_path)
    assert loaded.self_conditioned and loaded.code_weights == [0.7, 0.3, 0.0]
    assert torch.equal(loaded.sample_noise(2000, torch.Generator().manual_seed(3)), z)
    assert not MnistGAN("dcgan", codes=3).self_conditioned
    with pytest.raises(ValueError):
        MnistGAN("dcgan", codes=3, code_weights=[0.5, 0.5])


def test_minibatch_std_head_sees_a_batch_of_copies():
    torch.manual_seed(0)
    model = MnistGAN("dcgan", width=8, d_head="minibatch-std").eval()
    images, _ = synthetic_digits(8)
    copies = images[:1].expand(8, -1, -1, -1)
    with torch.no_grad():
        alone = model.discriminate(images[:1].expand(1, -1, -1, -1))
        among_copies = model.discriminate(copies)[:1]
        among_others = torch.cat([images[:1], images[1:8]])
        # The same image scores differently depending on whether its batch is varied.
        assert torch.allclose(alone, among_copies, atol=1e-5)
        assert (model.discriminate(among_others)[0] - among_copies[0]).abs() > 1e-4


@pytest.mark.parametrize("head", ["plain", "projection"])
def test_discriminator_label_planes_shortcut_equals_convolving_the_planes(head):
    """D's first layer picks each label's precomputed plane map instead of convolving one-hot
    planes: the logits and every gradient must be those of the concatenated planes."""
    import torch.nn.functional as F

    from ganzoo.models.mnist import DCGANDiscriminator
    torch.manual_seed(0)
    d = DCGANDiscriminator(width=8, num_classes=7, head=head)
    if head == "projection":
        torch.nn.init.normal_(d.embed.weight)
    x, labels = torch.randn(6, 1, 28, 28), torch.tensor([0, 3, 6, 3, 1, 5])

    def with_planes():  # the layer as the checkpoints were trained: image and planes concatenated
        planes = F.one_hot(labels, 7).float()[:, :, None, None].expand(-1, -1, 28, 28)
        h = d.net[:-1](torch.cat([x, planes], 1))
        logit = d.net[-1](h).flatten()
        return logit + (d.embed(labels) * h.mean((2, 3))).sum(1) if head == "projection" else logit

    d.train()
    fast = d(x, labels)
    fast.square().sum().backward()
    grads = [q.grad.clone() for q in d.parameters()]
    d.zero_grad()
    slow = with_planes()
    slow.square().sum().backward()
    assert torch.allclose(fast, slow, atol=1e-5)
    for fast_grad, q in zip(grads, d.parameters()):
        assert torch.allclose(fast_grad, q.grad, atol=1e-4)
    assert d(x, torch.tensor([1, 3, 6, 3, 1, 5]))[0] != fast[0]  # the label still matters
