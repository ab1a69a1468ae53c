"""k-means and the self-conditioned GAN's clusters, on inputs with known answers."""

import pytest
import torch

from ganzoo.models.vae import ConvVAE
from ganzoo.training.clusters import frequencies, kmeans, purity, vae_clusters
from tests.unit.synthetic_mnist import synthetic_digits


def test_kmeans_finds_separated_blobs_and_repeats_for_a_seed():
    g = torch.Generator().manual_seed(0)
    centres = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    blob = torch.arange(3).repeat_interleave(100)
    points = centres[blob] + torch.randn(300, 2, generator=g)
    order = torch.randperm(300, generator=g)
    points, blob = points[order], blob[order]
    assign = kmeans(points, 3, seed=1)
    assert purity(assign, blob) == 1.0 and len(assign.unique()) == 3
    assert torch.equal(assign, kmeans(points, 3, seed=1))
    with pytest.raises(ValueError):
        kmeans(points[:2], 3)


def test_purity_and_frequencies_known_answers():
    assign, labels = torch.tensor([0, 0, 1, 1]), torch.tensor([3, 3, 3, 5])
    assert purity(assign, labels) == 0.75  # cluster 1 holds one 3 and one 5
    assert frequencies(assign, 3) == [0.5, 0.5, 0.0]


def test_vae_clusters_split_two_kinds_of_image_without_their_labels():
    torch.manual_seed(0)
    images, labels = synthetic_digits(200)
    two = (labels == 0) | (labels == 9)  # a bar at the top, a bar at the bottom
    images, labels = images[two], labels[two]
    assign = vae_clusters(ConvVAE(latent_dim=8, width=8), images, 2, seed=0)
    assert purity(assign, labels) == 1.0 and len(assign.unique()) == 2
