"""The training engine every trainer runs: periods that resume where they stopped, fp16 with a
gradient scaler that skips overflowing steps and survives a restart, and the precision a run asking
for bf16 or fp16 really gets on each kind of device."""

import pytest
import torch

from ganzoo.runtime import device
from ganzoo.training.engine import Batches, Precision, Trainer


def linear_run(out, periods, iterations, precision="fp32", every=3):
    """A 4-weight regression trained in periods of `every` iterations, as the CycleGAN trains."""
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    trainer = Trainer(model, seed=1, out=out, precision=precision, unit="iteration", log=lambda *_: None, opt=opt)
    trainer.resume()
    seen = []

    def draw():
        x = torch.randn(8, 4, generator=trainer.rng)
        seen.append(x)
        return x

    def step(x):
        with trainer.precision.autocast():
            loss = ((model(x).float() - x.sum(1, keepdim=True)) ** 2).mean()
        trainer.precision.step(loss, opt)
        return {"loss": loss.item()}

    mark = lambda p: min((p + 1) * every, iterations)  # noqa: E731
    history, _ = trainer.fit(periods, lambda p: Batches(mark(p) - p * every, draw), step, mark=mark)
    return model, trainer, history, seen


def test_a_run_stopped_after_a_period_resumes_with_the_same_batches_and_weights(tmp_path):
    straight, _, history, seen = linear_run(tmp_path / "straight", periods=3, iterations=7)
    assert [row["iteration"] for row in history] == [3, 6, 7]  # the last period is the short one
    assert len(seen) == 7

    linear_run(tmp_path / "resumed", periods=2, iterations=7)  # stopped after iteration 6
    resumed, _, history_resumed, seen_resumed = linear_run(tmp_path / "resumed", periods=3, iterations=7)
    assert len(seen_resumed) == 1 and torch.equal(seen_resumed[0], seen[-1])  # only iteration 7 is left
    assert history_resumed == history
    assert all(torch.equal(a, b) for a, b in zip(straight.parameters(), resumed.parameters()))


def test_fp16_skips_an_overflowing_step_and_lowers_its_scale():
    model = torch.nn.Linear(2, 1)
    before = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    precision = Precision("fp16")
    scale = precision.scaler.get_scale()
    precision.step(model(torch.ones(1, 2)).sum() * float("inf"), opt)
    precision.update()
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))  # the step was skipped
    assert precision.scaler.get_scale() == scale * 0.5

    precision.step(model(torch.ones(1, 2)).sum(), opt)  # a finite loss steps, with unscaled gradients
    precision.update()
    assert torch.allclose(model.bias, before[1] - 0.1)


def test_fp16_keeps_its_loss_scale_across_a_restart(tmp_path):
    _, straight, _, _ = linear_run(tmp_path / "straight", periods=3, iterations=7, precision="fp16")
    linear_run(tmp_path / "resumed", periods=1, iterations=7, precision="fp16")
    _, resumed, _, _ = linear_run(tmp_path / "resumed", periods=3, iterations=7, precision="fp16")
    assert "scaler" in resumed.state.stateful
    assert resumed.precision.scaler.get_scale() == straight.precision.scaler.get_scale()


def test_an_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="fp32, bf16, fp16"):
        Precision("fp8")


@pytest.mark.parametrize("wanted,where,native,got", [
    ("bf16", "cpu", False, "fp32"),  # emulated bf16 is far slower than fp32: refused
    ("bf16", "cpu", True, "bf16"),
    ("bf16", "cuda", False, "fp16"),  # an older GPU: fp16 with the scaler instead
    ("bf16", "cuda", True, "bf16"),
    ("fp16", "cpu", True, "fp32"),  # fp16 pays on GPUs only
    ("fp16", "cuda", True, "fp16"),
    ("fp32", "cpu", True, "fp32"),
])
def test_a_run_trains_in_mixed_precision_only_where_it_pays(monkeypatch, wanted, where, native, got):
    monkeypatch.setattr(device, "native_bf16_training", lambda _: native)
    precision, why = device.training_precision(wanted, torch.device(where))
    assert precision == got
    assert bool(why) == (got != wanted)  # one line says so whenever the run gets something else
