"""The 2x2 GAN: hand-derived gradients against torch.autograd (in the spirit of micrograd's
test_engine.py), and the reference run against an independent plain-numpy implementation."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from ganzoo.lessons import toy
from harness.notebook import numpy_reference


def random_gan(runs=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    return toy.ToyGAN(r(runs, 4), r(runs), r(runs, 4), r(runs, 4))


def test_discriminator_gradients_match_autograd():
    gan = random_gan()
    x = torch.rand(5, 4, dtype=torch.float64)
    for hand_fn, error in ((toy.grad_d_real, toy.error_real), (toy.grad_d_fake, toy.error_fake)):
        w = gan.w.clone().requires_grad_(True)
        b = gan.b.clone().requires_grad_(True)
        error(toy.discriminate(w, b, x)).sum().backward()
        hw, hb = hand_fn(gan.w, gan.b, x)
        torch.testing.assert_close(hw, w.grad, rtol=0, atol=1e-12)
        torch.testing.assert_close(hb, b.grad, rtol=0, atol=1e-12)


@pytest.mark.parametrize("loss", toy.LOSSES)
def test_generator_gradients_match_autograd(loss):
    gan = random_gan()
    z = torch.rand(5, dtype=torch.float64)
    v = gan.v.clone().requires_grad_(True)
    c = gan.c.clone().requires_grad_(True)
    toy.error_generator(toy.discriminate(gan.w, gan.b, toy.generate(v, c, z)), loss).sum().backward()
    hv, hc = toy.grad_generator(gan.v, gan.c, gan.w, gan.b, z, loss)
    torch.testing.assert_close(hv, v.grad, rtol=0, atol=1e-12)
    torch.testing.assert_close(hc, c.grad, rtol=0, atol=1e-12)


def test_slide_formula_without_w_would_fail_the_check():
    """The slide drops w_i; the check above is sharp enough to catch that."""
    gan = random_gan()
    z = torch.rand(5, dtype=torch.float64)
    g = toy.generate(gan.v, gan.c, z)
    d = toy.discriminate(gan.w, gan.b, g)
    slide = (-(1 - d))[:, None] * g * (1 - g)
    _, hc = toy.grad_generator(gan.v, gan.c, gan.w, gan.b, z)
    assert (slide - hc).abs().max() > 1e-3


def test_inspected_step_agrees_with_autograd_and_with_training():
    faces = np.asarray(toy.FACES, dtype=toy.DTYPE)
    gan = toy.ToyGAN.init([3])
    zs = toy.z_sequence([3], 6)
    for i in range(6):
        _, record = toy.step(gan, faces[i % 4], zs[i], 0.1, inspect=True)
        assert record.max_difference < 1e-12
    trained = toy.train(toy.FACES, epochs=1, lr=0.1, seed=3, snapshots=1).final
    partial = toy.ToyGAN.init([3])
    for i in range(4):
        toy.step(partial, faces[i], zs[i], 0.1)
    np.testing.assert_array_equal(trained.w, partial.w)
    assert record.before != record.after


def test_reference_run_matches_plain_numpy():
    expected = numpy_reference()
    got = toy.reference_run().as_dict()
    for key, value in expected.items():
        np.testing.assert_allclose(got[key], value, rtol=0, atol=1e-10)


def test_reference_cli_prints_json():
    out = subprocess.run([sys.executable, "-m", "ganzoo.lessons.toy", "--reference", "--json"],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert set(result) == {"G_weights", "G_biases", "D_weights", "D_bias"}
    expected = numpy_reference()
    np.testing.assert_allclose(result["G_weights"], expected["G_weights"], atol=1e-10)
    np.testing.assert_allclose(result["D_bias"], expected["D_bias"], atol=1e-10)


def test_hand_discriminator_reproduces_the_course():
    assert toy.hand_score(toy.FACES[0]) == 2
    assert toy.hand_score(toy.NOISE[1]) == -0.5
    assert all(toy.hand_score(f) > 1 for f in toy.FACES)
    assert all(toy.hand_score(n) <= 1 for n in toy.NOISE)


def test_vectorised_runs_equal_single_runs():
    many = toy.train(epochs=30, seed=10, runs=3, snapshots=2)
    one = toy.train(epochs=30, seed=11, runs=1, snapshots=2)
    np.testing.assert_allclose(many.final.v[1], one.final.v[0], rtol=0, atol=1e-14)
    np.testing.assert_allclose(many.d_error[:, 1], one.d_error[:, 0], rtol=0, atol=1e-14)


def test_default_training_learns_faces_and_saturating_loss_stalls_early():
    h = toy.train(epochs=1000, seed=0, runs=32)
    assert toy.draws_faces(h.final).mean() > 0.8
    # Early on D rejects the fakes, so the saturating loss gives G a much smaller gradient.
    gan = toy.ToyGAN.init(range(32))
    gan.w, gan.b = np.abs(gan.w) * np.array([1., -1, -1, 1]), gan.b - 2
    z = np.random.RandomState(0).random_sample(32)
    ns, _ = toy.grad_generator(gan.v, gan.c, gan.w, gan.b, z, "non-saturating")
    sat, _ = toy.grad_generator(gan.v, gan.c, gan.w, gan.b, z, "saturating")
    assert np.abs(sat).mean() < 0.3 * np.abs(ns).mean()


def test_the_value_function_is_recorded_per_epoch():
    h = toy.train(epochs=30, seed=3, runs=2)
    assert h.value.shape == h.d_on_real.shape == (30, 2)
    # V from the recorded mean outputs is bounded by Jensen: log of the mean >= mean of the log.
    assert np.all(h.value <= np.log(h.d_on_real) + np.log1p(-h.d_on_fake) + 1e-12)
    assert np.all(h.value < 0)


@pytest.mark.parametrize("runs", [1, 2])  # one run trains on Python floats, a sweep on arrays
@pytest.mark.parametrize("loss", toy.LOSSES)
def test_the_recorded_curves_are_what_stepping_one_by_one_measures(runs, loss):
    """train()'s loop is step() written out weight by weight, and it computes errors, D's outputs,
    V and snapshots after the loop, for all steps at once: they must equal what each step and each
    epoch's end measure directly."""
    faces = np.asarray(toy.FACES, dtype=toy.DTYPE)
    h = toy.train(toy.FACES, epochs=3, lr=0.1, seed=5, runs=runs, loss=loss, snapshots=3)
    seeds = [5, 6][:runs]
    gan = toy.ToyGAN.init(seeds)
    zs = toy.z_sequence(seeds, 12)
    probe = np.asarray(toy.SNAPSHOT_Z)
    for epoch in range(3):
        for i in range(4):
            (d_err, g_err), _ = toy.step(gan, faces[i], zs[epoch * 4 + i], 0.1, loss)
            np.testing.assert_allclose(h.d_error[epoch * 4 + i], d_err, rtol=1e-12)
            np.testing.assert_allclose(h.g_error[epoch * 4 + i], g_err, rtol=1e-12)
        images = toy.draw(gan, probe)
        on_real = toy.discriminate(gan.w[:, None], gan.b[:, None], faces)
        on_fake = toy.discriminate(gan.w[:, None], gan.b[:, None], images)
        np.testing.assert_allclose(h.d_on_real[epoch], on_real.mean(-1), rtol=1e-12)
        np.testing.assert_allclose(h.value[epoch], np.log(on_real).mean(-1) + np.log1p(-on_fake).mean(-1), rtol=1e-12)
        np.testing.assert_allclose(h.snapshots[epoch + 1], images, rtol=1e-12)
    assert h.snapshot_epochs == [0, 1, 2, 3]
    for name in ("w", "b", "v", "c"):
        np.testing.assert_allclose(getattr(h.final, name), getattr(gan, name), rtol=1e-12)


def test_a_sweep_reuses_known_runs_and_matches_training_them_together():
    known = {}
    first = toy.sweep(toy.FACES, epochs=40, lr=0.1, seed=10, runs=5, known=known)
    kept = {s: known[s] for s in range(10, 15)}
    moved = toy.sweep(toy.FACES, epochs=40, lr=0.1, seed=11, runs=6, known=known)
    assert sorted(known) == list(range(10, 17))  # 15 and 16 alone were added
    assert all(known[s] is kept[s] for s in kept)  # the runs already known were not retrained
    fresh = toy.sweep(toy.FACES, epochs=40, lr=0.1, seed=11, runs=6)
    assert moved.seeds == fresh.seeds == list(range(11, 17))
    for name in ("d_error", "g_error", "middle"):
        np.testing.assert_allclose(getattr(moved, name), getattr(fresh, name), rtol=1e-12)
    np.testing.assert_array_equal(moved.faces_ok, fresh.faces_ok)
    np.testing.assert_array_equal(first.middle[1:], moved.middle[:4])
    # The summary is train()'s own record of the same runs.
    h = toy.train(toy.FACES, epochs=40, lr=0.1, seed=11, runs=6)
    np.testing.assert_allclose(fresh.d_error, h.d_error[-4:].mean(0), rtol=1e-12)
    np.testing.assert_allclose(fresh.g_error, h.g_error[-4:].mean(0), rtol=1e-12)
    np.testing.assert_allclose(fresh.middle, h.snapshots[-1, :, 1], rtol=1e-12)
    np.testing.assert_array_equal(fresh.faces_ok, toy.draws_faces(h.final))
