"""The course's smallest GAN: 2x2 grey "slanted faces", a one-layer D and a one-input G.

Pixels are flattened as (top-left, top-right, bottom-left, bottom-right), 1 = dark.
D(x) = sigmoid(w.x + b);  G(z) = sigmoid(v * z + c) with one scalar z ~ U[0, 1].

Every gradient is written by hand, as the slides derive it, and vectorised over R independent
runs (arrays shaped (R, 4) / (R,)), so a seed sweep trains many GANs at once. Training runs in
float64 (numpy for sweeps, plain Python floats for a single run: benchmarks/toy_gan.py), so the
reference run matches the published numpy code to rounding; torch checks the gradients.

Run `python -m ganzoo.lessons.toy --reference --json` for the published "GANs in slanted land" run.
"""

import argparse
import json
from dataclasses import dataclass, field

import numpy as np

from ganzoo.maths.losses import error_fake, error_generator, error_real
from ganzoo.models.faces2x2 import DTYPE, ToyGAN, discriminate, generate, sigmoid

# The course's data (deck 1): four faces, four noise images.
FACES = [[1, 0, 0, 1], [0.75, 0, 0, 0.75], [1, 0.25, 0.25, 0.75], [0.75, 0, 0.25, 0.75]]
NOISE = [[0.25, 0, 1, 0.75], [0.25, 1, 0.5, 0.75], [0.75, 0.5, 0.75, 0], [1, 1, 0, 0.75]]
# The five faces of the published numpy notebook (the reference run).
REFERENCE_FACES = [[1, 0, 0, 1], [0.9, 0.1, 0.2, 0.8], [0.9, 0.2, 0.1, 0.8],
                   [0.8, 0.1, 0.2, 0.9], [0.8, 0.2, 0.1, 0.9]]
REFERENCE = dict(seed=42, lr=0.01, epochs=1000, loss="non-saturating")

# The discriminator built by hand in the course: +1 on the diagonal, -1 off it, threshold 1.
HAND_WEIGHTS = [1.0, -1.0, -1.0, 1.0]
HAND_THRESHOLD = 1.0

LOSSES = ("non-saturating", "saturating")
# Fixed latent values at which snapshots show what G draws.
SNAPSHOT_Z = [0.0, 1 / 3, 2 / 3, 1.0]


def hand_score(x) -> np.ndarray:
    """The hand-built discriminator's score w.x for one image (4,) or a batch (N, 4)."""
    return np.asarray(x, dtype=float) @ np.asarray(HAND_WEIGHTS)


# --- Hand-derived gradients of the course's errors (ganzoo.maths.losses) -----------------------------

def grad_d_real(w, b, x, d=None):
    """dE/dw_i = -(1 - D(x)) x_i,  dE/db = -(1 - D(x)). d: D(x) when the caller has it."""
    k = -(1 - (discriminate(w, b, x) if d is None else d))
    return k[..., None] * x, k


def grad_d_fake(w, b, x, d=None):
    """dE/dw_i = D(x) x_i,  dE/db = D(x). d: D(x) when the caller has it."""
    d = discriminate(w, b, x) if d is None else d
    return d[..., None] * x, d


def grad_generator(v, c, w, b, z, loss="non-saturating", g=None):
    """dE/dv_i = k w_i G_i (1 - G_i) z,  dE/dc_i = k w_i G_i (1 - G_i),
    with k = -(1 - D(G(z))) for -ln D(G(z)) and k = -D(G(z)) for ln(1 - D(G(z))).
    (The slide drops the factor w_i that the chain rule through D brings.) g: G(z) when the caller has it."""
    g = generate(v, c, z) if g is None else g
    d = discriminate(w, b, g)
    k = -(1 - d) if loss == "non-saturating" else -d
    common = k[..., None] * w * g * (1 - g)
    return common * z[..., None], common


@dataclass
class StepRecord:
    """Every number in and out of one SGD step (run 0 of the batch)."""
    real: list
    z: float
    fake: list
    d_real: float
    d_fake: float
    d_gen: float  # D(G(z)) after both D updates, which the generator step uses
    grads: dict  # name -> hand-derived gradient
    autograd: dict  # name -> the same gradient from torch.autograd
    before: dict
    after: dict
    errors: dict

    @property
    def max_difference(self) -> float:
        return max(float(np.max(np.abs(np.asarray(self.grads[k]) - np.asarray(self.autograd[k]))))
                   for k in self.grads)


def _autograd(fn, *arrays):
    """The gradients of fn's sum with respect to `arrays`, by torch.autograd: the check on the hand
    derivations that the step inspector shows."""
    import torch
    with torch.enable_grad():  # callers may run under no_grad
        leaves = [torch.from_numpy(np.array(a, dtype=DTYPE)).requires_grad_(True) for a in arrays]
        return [g.numpy() for g in torch.autograd.grad(fn(*leaves).sum(), leaves)]


def step(gan: ToyGAN, real, z, lr, loss="non-saturating", inspect=False, trace=None):
    """One SGD step for every run, in place, in the published order:
    D on the real image; fake = G(z); D on the fake; G with the same z against the updated D.
    Returns the errors (R,) measured after D's real update, and a StepRecord if `inspect`.
    With `trace` (three output rows) it writes there what the errors are computed from (D's weights
    and bias after the real update, and D(fake)) and returns None for them: train() then computes
    every step's errors at once, a third fewer numpy calls per step."""
    before = gan.as_dict() if inspect else None
    d_real = discriminate(gan.w, gan.b, real)
    gw, gb = grad_d_real(gan.w, gan.b, real, d_real)
    if inspect:
        aw, ab = _autograd(lambda w, b: error_real(discriminate(w, b, _tensor(real))), gan.w, gan.b)
    gan.w -= lr * gw
    gan.b -= lr * gb

    fake = generate(gan.v, gan.c, z)
    d_fake = discriminate(gan.w, gan.b, fake)
    if trace is None:
        errors = (error_real(discriminate(gan.w, gan.b, real)) + error_fake(d_fake), error_generator(d_fake, loss))
    else:
        errors = None
        trace[0][...], trace[1][...], trace[2][...] = gan.w, gan.b, d_fake
    fw, fb = grad_d_fake(gan.w, gan.b, fake, d_fake)
    if inspect:
        afw, afb = _autograd(lambda w, b: error_fake(discriminate(w, b, _tensor(fake))), gan.w, gan.b)
    gan.w -= lr * fw
    gan.b -= lr * fb

    gv, gc = grad_generator(gan.v, gan.c, gan.w, gan.b, z, loss, g=fake)  # G is unchanged since fake
    if inspect:
        w, b = gan.w, gan.b
        av, ac = _autograd(lambda v, c: error_generator(discriminate(_tensor(w), _tensor(b),
                                                                     generate(v, c, _tensor(z))), loss), gan.v, gan.c)
        d_gen = float(discriminate(gan.w, gan.b, fake)[0])
    gan.v -= lr * gv
    gan.c -= lr * gc
    if not inspect:
        return errors, None
    first = lambda t: t[0].tolist() if np.ndim(t) > 1 else float(t[0])  # noqa: E731
    record = StepRecord(
        real=real.tolist() if real.ndim == 1 else real[0].tolist(), z=float(z[0]), fake=first(fake),
        d_real=float(d_real[0]), d_fake=float(d_fake[0]), d_gen=d_gen,
        grads={"w_real": first(gw), "b_real": first(gb), "w_fake": first(fw), "b_fake": first(fb),
               "v": first(gv), "c": first(gc)},
        autograd={"w_real": first(aw), "b_real": first(ab), "w_fake": first(afw), "b_fake": first(afb),
                  "v": first(av), "c": first(ac)},
        before=before, after=gan.as_dict(),
        errors={"d": float(errors[0][0]), "g": float(errors[1][0])})
    return errors, record


def replay(faces, lr: float, seed: int, loss: str, steps: int) -> tuple[ToyGAN, StepRecord | None]:
    """The GAN after `steps` SGD steps from `seed`, and the record of the last one (None before any
    step): step k here is step k of a training run with the same settings."""
    gan = ToyGAN.init([int(seed)])
    data = np.asarray(faces, dtype=DTYPE)
    zs = z_sequence([int(seed)], max(steps, 1))
    record = None
    for i in range(steps):
        _, record = step(gan, data[i % len(data)], zs[i], float(lr), loss, inspect=(i == steps - 1))
    return gan, record


# --- Training ----------------------------------------------------------------------------------

@dataclass
class History:
    """What a run recorded (numpy arrays): per step (steps, R) and snapshots of G at SNAPSHOT_Z."""
    d_error: np.ndarray
    g_error: np.ndarray
    d_on_real: np.ndarray  # D's mean output on the faces, per epoch (epochs, R)
    d_on_fake: np.ndarray  # D's mean output on G's snapshot images, per epoch (epochs, R)
    value: np.ndarray  # V(D, G) = mean log D(faces) + mean log(1 - D(G's images)), per epoch (epochs, R)
    snapshot_epochs: list
    snapshots: np.ndarray  # (S, R, len(SNAPSHOT_Z), 4)
    final: ToyGAN | None = field(repr=False, default=None)


def z_sequence(seeds, steps) -> np.ndarray:
    """Each run's latent draws, after its 13 initial normals in the same numpy stream: (steps, R)."""
    out = np.empty((steps, len(seeds)))
    for r, s in enumerate(seeds):
        rs = np.random.RandomState(s)
        rs.normal(size=13)
        out[:, r] = rs.random_sample(steps)
    return out


def _tensor(a):
    import torch
    return torch.from_numpy(np.asarray(a, dtype=DTYPE))


def _many_runs(gan: ToyGAN, faces: np.ndarray, zs: np.ndarray, lr: float, loss: str, epochs: int):
    """A sweep: step() on (R, ...) arrays, every run at once. Updates `gan` in place. Returns, per
    step, D's weights (steps, R, 4) and bias (steps, R) after the real update and D(fake) (steps, R);
    and the parameters after each epoch (index 0: the start) as a ToyGAN of (epochs + 1, R, ...)."""
    n, steps, runs = len(faces), epochs * len(faces), len(gan.b)
    w, b, d_fake = np.empty((steps, runs, 4)), np.empty((steps, runs)), np.empty((steps, runs))
    ends = ToyGAN(*(np.empty((epochs + 1, *a.shape)) for a in (gan.w, gan.b, gan.v, gan.c)))
    ends.w[0], ends.b[0], ends.v[0], ends.c[0] = gan.w, gan.b, gan.v, gan.c
    for epoch in range(epochs):
        for i in range(n):
            k = epoch * n + i
            step(gan, faces[i], zs[k], lr, loss, trace=(w[k], b[k], d_fake[k]))
        ends.w[epoch + 1], ends.b[epoch + 1], ends.v[epoch + 1], ends.c[epoch + 1] = gan.w, gan.b, gan.v, gan.c
    return w, b, d_fake, ends


def _one_run(gan: ToyGAN, faces: np.ndarray, zs: np.ndarray, lr: float, loss: str, epochs: int):
    """_many_runs for a single run: step()'s arithmetic in step()'s order, written out weight by
    weight on Python floats. A float operation costs tens of nanoseconds where a numpy call on a
    4-element array costs about a microsecond, so a 1,000-epoch run takes ~10 ms instead of ~115 ms
    (benchmarks/toy_gan.py; on (R,) arrays this form would make a sweep 1.4-1.7x slower, so sweeps
    keep step()). tests/unit/test_toy.py checks both against step()."""
    (w0, w1, w2, w3), (v0, v1, v2, v3), (c0, c1, c2, c3) = gan.w[0].tolist(), gan.v[0].tolist(), gan.c[0].tolist()
    b = float(gan.b[0])
    saturating = loss == "saturating"
    faces, zs = [tuple(face) for face in faces.tolist()], zs[:, 0].tolist()
    trace, ends = [], [(w0, w1, w2, w3, b, v0, v1, v2, v3, c0, c1, c2, c3)]
    k = 0
    for _ in range(epochs):
        for x0, x1, x2, x3 in faces:
            z = zs[k]
            k += 1
            # D on the real image: dE/dw_i = -(1 - D(x)) x_i, dE/db = -(1 - D(x)).
            g = -(1 - sigmoid(x0 * w0 + x1 * w1 + x2 * w2 + x3 * w3 + b))
            w0, w1, w2, w3 = w0 - lr * (g * x0), w1 - lr * (g * x1), w2 - lr * (g * x2), w3 - lr * (g * x3)
            b -= lr * g
            # fake = G(z); D on it: dE/dw_i = D(fake) fake_i, dE/db = D(fake).
            f0, f1, f2, f3 = sigmoid(v0 * z + c0), sigmoid(v1 * z + c1), sigmoid(v2 * z + c2), sigmoid(v3 * z + c3)
            d = sigmoid(f0 * w0 + f1 * w1 + f2 * w2 + f3 * w3 + b)
            trace.append((w0, w1, w2, w3, b, d))
            w0, w1, w2, w3 = w0 - lr * (d * f0), w1 - lr * (d * f1), w2 - lr * (d * f2), w3 - lr * (d * f3)
            b -= lr * d
            # G against the updated D: dE/dv_i = g w_i G_i (1 - G_i) z, dE/dc_i = g w_i G_i (1 - G_i),
            # g = -(1 - D(G(z))), or -D(G(z)) for the saturating loss (grad_generator's k).
            d = sigmoid(f0 * w0 + f1 * w1 + f2 * w2 + f3 * w3 + b)
            g = -d if saturating else -(1 - d)
            e0, e1 = g * w0 * f0 * (1 - f0), g * w1 * f1 * (1 - f1)
            e2, e3 = g * w2 * f2 * (1 - f2), g * w3 * f3 * (1 - f3)
            v0, v1, v2, v3 = v0 - lr * (e0 * z), v1 - lr * (e1 * z), v2 - lr * (e2 * z), v3 - lr * (e3 * z)
            c0, c1, c2, c3 = c0 - lr * e0, c1 - lr * e1, c2 - lr * e2, c3 - lr * e3
        ends.append((w0, w1, w2, w3, b, v0, v1, v2, v3, c0, c1, c2, c3))
    trace = np.asarray(trace, dtype=DTYPE)[:, :, None]  # (steps, 6, 1 run)
    ends = np.asarray(ends, dtype=DTYPE)[:, None, :]  # (epochs + 1, 1 run, 13)
    ends = ToyGAN(ends[..., 0:4], ends[..., 4], ends[..., 5:9], ends[..., 9:13])
    gan.w[...], gan.b[...], gan.v[...], gan.c[...] = ends.w[-1], ends.b[-1], ends.v[-1], ends.c[-1]
    return trace[:, :4].transpose(0, 2, 1), trace[:, 4], trace[:, 5], ends


def train(faces=FACES, epochs=1000, lr=0.01, seed=0, loss="non-saturating", runs=1, snapshots=40,
          gan: ToyGAN | None = None):
    """Train `runs` independent GANs (seeds seed, seed+1, ...) on `faces`; returns History.
    The loop only steps and keeps the parameters it needs; the errors, D's outputs, V(D, G) and
    G's snapshot images are computed afterwards for every step and epoch at once (the per-call
    cost, not the arithmetic, is what a 4-weight GAN spends its time on)."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}")
    seeds = [seed + r for r in range(runs)]
    gan = gan.clone() if gan is not None else ToyGAN.init(seeds)
    faces = np.asarray(faces, dtype=DTYPE)
    n, steps = len(faces), epochs * len(faces)
    zs = z_sequence(seeds, steps)
    probe = np.asarray(SNAPSHOT_Z, dtype=DTYPE)
    w, b, d_fake, ends = (_one_run if runs == 1 else _many_runs)(gan, faces, zs, lr, loss, epochs)
    reals = faces[np.arange(steps) % n][:, None, :]  # the face each step trained on
    d_err = error_real(discriminate(w, b, reals)) + error_fake(d_fake)
    g_err = error_generator(d_fake, loss)
    every_end = ToyGAN(*(a.reshape(-1, *a.shape[2:]) for a in (ends.w, ends.b, ends.v, ends.c)))  # (E+1)R runs
    images = draw(every_end, probe).reshape(epochs + 1, runs, len(probe), 4)
    on_real = discriminate(ends.w[1:, :, None, :], ends.b[1:, :, None], faces)
    on_fake = discriminate(ends.w[1:, :, None, :], ends.b[1:, :, None], images[1:])
    value = np.log(on_real).mean(-1) + np.log1p(-on_fake).mean(-1)
    every = max(1, epochs // max(1, snapshots))
    snap_epochs = [0] + [e for e in range(1, epochs + 1) if e % every == 0 or e == epochs]
    return History(d_err, g_err, on_real.mean(-1), on_fake.mean(-1), value, snap_epochs, images[snap_epochs], gan)


NEAR_HALF = 0.1  # D's mean answers this close to 1/2 on faces and on G's images: it can no longer tell them apart


def near_equilibrium(history: History) -> bool:
    """Whether run 0 ends with D answering about 1/2 on the faces and on G's images alike."""
    d_real, d_fake = float(history.d_on_real[-1, 0]), float(history.d_on_fake[-1, 0])
    return abs(d_real - 0.5) < NEAR_HALF and abs(d_fake - 0.5) < NEAR_HALF


@dataclass
class Sweep:
    """What the seed sweep shows of runs seed, seed + 1, ...: per run (R,), whether G draws faces,
    D's and G's mean errors over the last epoch, and G(1/3) at the end (R, 4)."""
    seeds: list
    faces_ok: np.ndarray
    d_error: np.ndarray
    g_error: np.ndarray
    middle: np.ndarray


def sweep(faces=FACES, epochs=1000, lr=0.01, seed=0, loss="non-saturating", runs=64, known=None) -> Sweep:
    """Runs seed .. seed + runs - 1, summarised. `known` maps a seed to its summary from earlier
    sweeps with the same faces, epochs, lr and loss; only the seeds it lacks are trained (each
    unbroken stretch in one call) and added to it, so moving the seed by one trains one run."""
    known = {} if known is None else known
    seeds = list(range(seed, seed + runs))
    found = {s: known.get(s) for s in seeds}  # get: another session may clear a shared store meanwhile
    missing = [s for s in seeds if found[s] is None]
    while missing:
        stop = 1
        while stop < len(missing) and missing[stop] == missing[0] + stop:
            stop += 1
        h = train(faces, epochs, lr, missing[0], loss, runs=stop, snapshots=1)
        n = len(faces)
        rows = dict(zip(missing[:stop], zip(draws_faces(h.final), h.d_error[-n:].mean(0), h.g_error[-n:].mean(0),
                                            h.snapshots[-1, :, 1])))
        found.update(rows)
        known.update(rows)
        missing = missing[stop:]
    ok, d, g, middle = zip(*(found[s] for s in seeds))
    return Sweep(seeds, np.array(ok), np.array(d), np.array(g), np.array(middle))


def draw(gan: ToyGAN, z_values) -> np.ndarray:
    """G's images at the given z for every run: (R, len(z), 4)."""
    return sigmoid(gan.v[:, None, :] * np.asarray(z_values, dtype=DTYPE)[None, :, None] + gan.c[:, None, :])


def draws_faces(gan: ToyGAN, points: int = 11) -> np.ndarray:
    """Per run: does G draw a face for every z in [0, 1]? Judged by the course's hand-built
    discriminator (+1 on the diagonal, -1 off it) with its threshold 1."""
    images = draw(gan, np.linspace(0, 1, points))
    return (images @ np.asarray(HAND_WEIGHTS) > HAND_THRESHOLD).all(axis=1)


def reference_run() -> ToyGAN:
    """The published "GANs in slanted land" run: seed 42, lr 0.01, 1000 epochs, 5 faces."""
    return train(REFERENCE_FACES, epochs=REFERENCE["epochs"], lr=REFERENCE["lr"],
                 seed=REFERENCE["seed"], loss=REFERENCE["loss"], snapshots=1).final


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m ganzoo.lessons.toy", description=__doc__.split("\n")[0])
    p.add_argument("--reference", action="store_true", help="the published run (seed 42, 5 faces)")
    p.add_argument("--json", action="store_true", help="print the final weights as JSON")
    p.add_argument("--epochs", type=int, default=1000)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--loss", choices=LOSSES, default="non-saturating")
    args = p.parse_args(argv)
    if args.reference:
        gan = reference_run()
    else:
        gan = train(FACES, args.epochs, args.lr, args.seed, args.loss, snapshots=1).final
    result = gan.as_dict()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:10s} {np.round(value, 4)}")
        print("draws faces:", bool(draws_faces(gan)[0]))


if __name__ == "__main__":
    main()
