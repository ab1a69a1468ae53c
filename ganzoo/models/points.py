"""The training lab's networks: small MLPs for 2D points (generator 2 -> 2, critic 2 -> 1)."""

from torch import nn


def mlp(n_in, hidden, n_out, layers=3):
    """`layers` hidden Linear + LeakyReLU(0.2) layers of width `hidden`, then a linear output."""
    mods, width = [], n_in
    for _ in range(layers):
        mods += [nn.Linear(width, hidden), nn.LeakyReLU(0.2)]
        width = hidden
    return nn.Sequential(*mods, nn.Linear(width, n_out))
