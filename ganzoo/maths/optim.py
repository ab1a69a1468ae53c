"""Adam, SGD and RMSprop for the pages' small live optimisations (the training lab, the latent search).

Why not torch.optim: its first `step()` imports torch._dynamo, which brings sympy and the compiler
stack with it: +160 MB in every server process (python -m benchmarks.memory), for updates that are
three lines each. These follow torch.optim's single-tensor code operation for operation, and
tests/unit/test_optim.py checks them against it. Training (ganzoo/training) keeps torch.optim.
"""

import math

import torch


class _Optimizer:
    def __init__(self, params, lr: float):
        self.params = [p for p in params]
        self.lr = lr
        self.state = [{} for _ in self.params]
        self.steps = 0

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    @torch.no_grad()
    def step(self) -> None:
        self.steps += 1
        for p, state in zip(self.params, self.state):
            if p.grad is not None:
                self._update(p, p.grad, state)

    def _update(self, p, grad, state) -> None:
        raise NotImplementedError


class SGD(_Optimizer):
    """p <- p - lr g"""

    def _update(self, p, grad, state):
        p.add_(grad, alpha=-self.lr)


class Adam(_Optimizer):
    """Kingma and Ba (2015), with torch.optim.Adam's bias correction and epsilon placement."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8):
        super().__init__(params, lr)
        self.betas, self.eps = betas, eps

    def _update(self, p, grad, state):
        beta1, beta2 = self.betas
        if not state:
            state["m"], state["v"], state["t"] = torch.zeros_like(p), torch.zeros_like(p), 0
        state["t"] += 1
        state["m"].lerp_(grad, 1 - beta1)
        state["v"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        step_size = self.lr / (1 - beta1 ** state["t"])
        denom = (state["v"].sqrt() / math.sqrt(1 - beta2 ** state["t"])).add_(self.eps)
        p.addcdiv_(state["m"], denom, value=-step_size)


class RMSprop(_Optimizer):
    """Hinton's RMSprop as torch.optim.RMSprop (alpha 0.99, no momentum, not centred)."""

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = alpha, eps

    def _update(self, p, grad, state):
        if not state:
            state["v"] = torch.zeros_like(p)
        state["v"].mul_(self.alpha).addcmul_(grad, grad, value=1 - self.alpha)
        p.addcdiv_(grad, state["v"].sqrt().add_(self.eps), value=-self.lr)
