"""ganzoo.maths.optim's hand-written updates against torch.optim on the same problem, step for step."""

import pytest
import torch

from ganzoo.maths import optim

CASES = [
    (lambda ps: optim.SGD(ps, lr=0.05), lambda ps: torch.optim.SGD(ps, lr=0.05)),
    (lambda ps: optim.Adam(ps, lr=0.01, betas=(0.5, 0.9)), lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.5, 0.9))),
    (lambda ps: optim.Adam(ps, lr=0.1), lambda ps: torch.optim.Adam(ps, lr=0.1)),
    (lambda ps: optim.RMSprop(ps, lr=0.003), lambda ps: torch.optim.RMSprop(ps, lr=0.003)),
]


def network(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()


@pytest.mark.parametrize("ours,theirs", CASES)
def test_fifty_steps_match_torch_optim(ours, theirs):
    a, b = network(0), network(0)
    opt_a, opt_b = ours(a.parameters()), theirs(b.parameters())
    data = torch.randn(50, 8, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    for x in data:
        for net, opt in ((a, opt_a), (b, opt_b)):
            opt.zero_grad(set_to_none=True)
            net(x).pow(2).mean().backward()
            opt.step()
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.allclose(pa, pb, rtol=1e-12, atol=1e-12)
    assert not torch.equal(a[0].weight, network(0)[0].weight)  # it did move


def test_a_parameter_without_gradient_is_left_alone_and_zero_grad_clears():
    used, unused = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(2))
    opt = optim.Adam([used, unused], lr=0.1)
    (used * 3).sum().backward()
    opt.step()
    assert torch.equal(unused, torch.ones(2)) and not torch.equal(used, torch.ones(2))
    opt.zero_grad()
    assert used.grad is None
