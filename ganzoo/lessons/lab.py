"""The training lab: small GANs on 2D point clouds, where every failure mode can be watched.

Targets, MLP generator and discriminator, the four losses (original saturating minimax,
non-saturating, least squares, Wasserstein with gradient penalty), k discriminator steps per
generator step, coverage metrics, and presets that reproduce the course's failure stories.
"""

import contextlib
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from ganzoo.io.images import gif_bytes, png_bytes
from ganzoo.maths import metrics, optim
from ganzoo.maths.losses import d_loss, g_loss, gradient_penalty, minimax_value
from ganzoo.models.points import mlp
from ganzoo.runtime.i18n import VisitorError

LOSSES = ("saturating", "non-saturating", "least-squares", "wgan-gp")
CROSS_ENTROPY = ("saturating", "non-saturating")  # the losses whose D answers a probability
OPTIMIZERS = ("adam", "sgd", "rmsprop")
TARGETS = ("ring8", "grid25", "moons", "line", "custom")
NOISES = ("gaussian", "uniform")
EXTENT = 4.5  # the plane shown and histogrammed: [-EXTENT, EXTENT]^2
RECORD_EVERY = 25  # generator steps between two recorded metrics and snapshots


# --- Targets ---------------------------------------------------------------------------------

# The lab's networks are tiny (2 -> 64 -> 64 -> 2): more intra-op threads only add wake-ups.
# Measured (benchmarks/lab.py --threads N, default config), idle 2 cores: 399 steps/s with 1 thread,
# 428 with 2, 110 with 8, 77 with 16; a 16-core host: 96 with its default 16, 239 with 2. But a busy
# server is the lab's normal state (a class pressing Play keeps every core busy), and there a second
# thread waits for a core at every operation: 2 cores loaded by other processes, mode-collapse preset,
# 100 steps took 0.34 s on 1 thread and 14.2 s on 2. One thread, for the training and for the drawing.
LAB_THREADS = 1


@contextlib.contextmanager
def bounded_threads(n: int = LAB_THREADS):
    """At most n intra-op threads for the block, then the caller's count again. torch keeps the count
    per thread (OpenMP's), so a Streamlit session training here leaves other sessions' models alone."""
    before = torch.get_num_threads()
    torch.set_num_threads(min(n, before))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def mode_centers(target: str) -> np.ndarray | None:
    if target == "ring8":
        angles = np.arange(8) * 2 * np.pi / 8
        return 2.5 * np.stack([np.cos(angles), np.sin(angles)], 1)
    if target == "grid25":
        g = np.arange(-2, 3) * 1.6
        return np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    return None


MODE_STD = {"ring8": 0.08, "grid25": 0.06}


def sample_target(target: str, n: int, generator: torch.Generator, custom=None) -> torch.Tensor:
    """n points of the target distribution, (n, 2)."""
    if target in ("ring8", "grid25"):
        centers = torch.tensor(mode_centers(target), dtype=torch.float32)
        idx = torch.randint(0, len(centers), (n,), generator=generator)
        return centers[idx] + MODE_STD[target] * torch.randn(n, 2, generator=generator)
    if target == "moons":
        t = torch.rand(n, generator=generator) * math.pi
        upper = torch.rand(n, generator=generator) < 0.5
        x = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
        y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
        pts = torch.stack([x - 0.5, y - 0.25], 1) * 2.2
        return pts + 0.08 * torch.randn(n, 2, generator=generator)
    if target == "line":
        t = torch.rand(n, generator=generator) * 6 - 3
        return torch.stack([t, 0.5 * t], 1) + 0.05 * torch.randn(n, 2, generator=generator)
    if target == "custom":
        pts = torch.as_tensor(np.asarray(custom, dtype=np.float32))
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2:
            raise ValueError("custom targets need at least two (x, y) points")
        idx = torch.randint(0, len(pts), (n,), generator=generator)
        return pts[idx] + 0.08 * torch.randn(n, 2, generator=generator)
    raise ValueError(f"unknown target {target!r}")


def parse_points_csv(text: str, max_points: int = 5000) -> np.ndarray:
    """x,y per line (a header line is allowed); clipped to the plane. Raises VisitorError."""
    rows = []
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) < 2:
            continue
        try:
            rows.append((float(parts[0]), float(parts[1])))
        except ValueError:
            if rows:  # only the first line may be a header
                raise VisitorError("errors.csv.not_number", line=line[:40]) from None
    if len(rows) < 2:
        raise VisitorError("errors.csv.too_few")
    if len(rows) > max_points:
        raise VisitorError("errors.csv.too_many", limit=max_points, count=len(rows))
    pts = np.asarray(rows)
    if not np.isfinite(pts).all():
        raise VisitorError("errors.csv.not_finite")
    return np.clip(pts, -EXTENT + 0.2, EXTENT - 0.2)


# --- Networks and losses -----------------------------------------------------------------------

@dataclass
class LabConfig:
    target: str = "ring8"
    loss: str = "non-saturating"
    noise: str = "gaussian"
    g_optimizer: str = "adam"
    d_optimizer: str = "adam"
    g_lr: float = 1e-3
    d_lr: float = 1e-3
    d_steps: int = 1
    smoothing: float = 1.0  # real label for the cross-entropy losses (1 = none)
    g_hidden: int = 64
    d_hidden: int = 64
    batch_size: int = 256
    seed: int = 0
    custom: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def _optimizer(name, params, lr):
    if name == "adam":
        return optim.Adam(params, lr=lr, betas=(0.5, 0.9))
    if name == "sgd":
        return optim.SGD(params, lr=lr)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr)
    raise ValueError(name)


# --- Metrics -----------------------------------------------------------------------------------

def modes_covered(target: str, fake: np.ndarray, min_share=0.2) -> tuple[int, int, float]:
    """metrics.modes_covered for a target's modes; (0, 0, nan) for targets without modes."""
    centers = mode_centers(target)
    if centers is None:
        return 0, 0, float("nan")
    return metrics.modes_covered(centers, MODE_STD[target], fake, min_share)


# --- A run -------------------------------------------------------------------------------------

class LabRun:
    """One training run, advanced step by step; records losses, metrics and snapshots."""

    def __init__(self, config: LabConfig):
        self.config = config
        torch.manual_seed(config.seed)
        self.gen = torch.Generator().manual_seed(config.seed)
        self.G = mlp(2, config.g_hidden, 2)
        self.D = mlp(2, config.d_hidden, 1)
        self.opt_g = _optimizer(config.g_optimizer, self.G.parameters(), config.g_lr)
        self.opt_d = _optimizer(config.d_optimizer, self.D.parameters(), config.d_lr)
        self.step = 0
        self.history = {"step": [], "loss_d": [], "loss_g": [], "grad_g": []}
        self.metrics = {"step": [], "kl": [], "modes": [], "quality": [], "d_real": [], "d_fake": [], "d_spread": [],
                        "value": []}
        self.snapshots = []  # (step, fake points (n,2) float16 numpy)
        self.probe_z = self.noise(512, torch.Generator().manual_seed(config.seed + 1))
        self.eval_real = sample_target(config.target, 4000, torch.Generator().manual_seed(config.seed + 2),
                                       config.custom).numpy()
        self.record()

    def noise(self, n, generator=None):
        g = generator or self.gen
        if self.config.noise == "uniform":
            return torch.rand(n, 2, generator=g) * 2 - 1
        return torch.randn(n, 2, generator=g)

    def critic(self, x):
        return self.D(x).squeeze(1)

    def d_step(self):
        c = self.config
        real = sample_target(c.target, c.batch_size, self.gen, c.custom)
        with torch.no_grad():
            fake = self.G(self.noise(c.batch_size))
        loss = d_loss(c.loss, self.critic(real), self.critic(fake), c.smoothing)
        if c.loss == "wgan-gp":
            loss = loss + gradient_penalty(self.critic, real, fake, self.gen)
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_d.step()
        return loss.item()

    def g_step(self):
        c = self.config
        loss = g_loss(c.loss, self.critic(self.G(self.noise(c.batch_size))))
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        grad = math.sqrt(sum(float((p.grad ** 2).sum()) for p in self.G.parameters()))
        self.opt_g.step()
        return loss.item(), grad

    def train(self, steps: int, only: str | None = None, record_every: int = RECORD_EVERY):
        """`steps` rounds of k D steps then one G step (or only "D" / only "G"), on at most
        LAB_THREADS threads."""
        with bounded_threads():
            self._train(steps, only, record_every)

    def _train(self, steps, only, record_every):
        for _ in range(steps):
            ld = lg = gg = float("nan")
            if only != "G":
                for _ in range(self.config.d_steps if only is None else 1):
                    ld = self.d_step()
            if only != "D":
                lg, gg = self.g_step()
            self.step += 1
            h = self.history
            h["step"].append(self.step)
            h["loss_d"].append(ld)
            h["loss_g"].append(lg)
            h["grad_g"].append(gg)
            if self.step % record_every == 0:
                self.record()

    @torch.no_grad()
    def fake_points(self, n=None) -> np.ndarray:
        z = self.probe_z if n is None else self.noise(n, torch.Generator().manual_seed(self.config.seed + 3))
        return self.G(z).numpy()

    def record(self):
        fake = self.fake_points()
        covered, total, quality = modes_covered(self.config.target, fake)
        m = self.metrics
        m["step"].append(self.step)
        m["kl"].append(metrics.histogram_kl(self.eval_real, fake, EXTENT))
        m["modes"].append(covered)
        m["quality"].append(quality)
        # The equilibrium: D's mean probability on real and on generated points, and V(D, G).
        with torch.no_grad():
            real_logits = self.critic(torch.from_numpy(self.eval_real))
            fake_logits = self.critic(torch.from_numpy(fake))
        p_real, p_fake = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
        m["d_real"].append(float(p_real.mean()))
        m["d_fake"].append(float(p_fake.mean()))
        # D's mean can sit at 1/2 while D still tells points apart; at the equilibrium it is 1/2 at each point.
        m["d_spread"].append(float(torch.cat([p_real, p_fake]).sub(0.5).abs().mean()))
        m["value"].append(float(minimax_value(real_logits, fake_logits)))
        self.snapshots.append((self.step, fake.astype(np.float16)))

    @torch.no_grad()
    def d_surface(self, resolution=60) -> tuple[np.ndarray, np.ndarray]:
        """D's output over the plane: probabilities for the cross-entropy losses, raw scores else."""
        axis = np.linspace(-EXTENT, EXTENT, resolution, dtype=np.float32)
        xx, yy = np.meshgrid(axis, axis)
        with bounded_threads():
            out = self.critic(torch.from_numpy(np.stack([xx.ravel(), yy.ravel()], 1)))
        if self.config.loss in CROSS_ENTROPY:
            out = torch.sigmoid(out)
        return axis, out.numpy().reshape(resolution, resolution)

    def generator_arrows(self, n=64) -> tuple[np.ndarray, np.ndarray]:
        """Generated points and the direction the generator's loss pushes each one: -dL_G/dx."""
        with bounded_threads():
            x = torch.from_numpy(self.fake_points()[:n]).requires_grad_(True)
            loss = g_loss(self.config.loss, self.critic(x))
            grad, = torch.autograd.grad(loss * len(x), x)
        return x.detach().numpy(), (-grad).numpy()


# A perfect generator's 512 points score a histogram KL of 0.04 to 0.41 against the 4,000 real ones,
# depending on the target (sampling noise alone): below this the generated cloud matches the data.
MATCHING_KL = 0.5
AT_RANDOM = 0.05  # D's mean distance from 1/2 below which it answers at random


def at_equilibrium(run: "LabRun") -> bool:
    """The course's equilibrium: a generator whose points match the data (KL at the sampling-noise
    level) and a discriminator that answers 1/2 at every point, real or generated."""
    m = run.metrics
    return m["kl"][-1] < MATCHING_KL and m["d_spread"][-1] < AT_RANDOM


PRESETS = {
    # name: (config changes, steps to show the story)
    "converges": (dict(target="ring8", loss="wgan-gp", g_lr=5e-4, d_lr=5e-4, d_steps=5), 1500),
    "mode-collapse": (dict(target="ring8", loss="non-saturating", noise="uniform", g_lr=1e-3, d_lr=1e-3,
                           g_hidden=16, d_hidden=64), 1500),
    "strong-discriminator": (dict(target="ring8", loss="saturating", g_lr=1e-3, d_lr=5e-3, d_steps=5), 600),
    "oscillation": (dict(target="ring8", loss="wgan-gp", g_lr=1e-2, d_lr=1e-2, d_steps=1), 1200),
}


def centroid_travel(run: "LabRun", last: int = 20) -> float:
    """How far the centre of the generated cloud moved over the last snapshots: large when
    training swings around instead of settling."""
    centres = np.array([p.astype(np.float64).mean(0) for _, p in run.snapshots[-last:]])
    return float(np.linalg.norm(np.diff(centres, axis=0), axis=1).sum())


def preset_config(name: str, seed: int = 0) -> LabConfig:
    changes, _ = PRESETS[name]
    return LabConfig(seed=seed, **changes)


# --- Export ------------------------------------------------------------------------------------

def render_points(real: np.ndarray, fake: np.ndarray, size: int = 360) -> np.ndarray:
    """A crisp RGB picture of the plane: real points blue, generated points orange."""
    img = np.full((size, size, 3), 255, np.uint8)
    for pts, color in ((real, (59, 110, 143)), (fake, (192, 102, 58))):
        px = ((pts + EXTENT) / (2 * EXTENT) * (size - 1)).round().astype(int)
        px = px[(px >= 1).all(1) & (px < size - 1).all(1)]
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                img[size - 1 - (px[:, 1] + dy), px[:, 0] + dx] = color
    return img


def history_csv(run: LabRun) -> str:
    lines = ["step,loss_d,loss_g,grad_g,kl,modes_covered,quality"]
    metrics = {s: (k, m, q) for s, k, m, q in zip(run.metrics["step"], run.metrics["kl"], run.metrics["modes"],
                                                   run.metrics["quality"])}
    for s, ld, lg, gg in zip(run.history["step"], run.history["loss_d"], run.history["loss_g"], run.history["grad_g"]):
        k, m, q = metrics.get(s, ("", "", ""))
        lines.append(
            f"{s},{ld:.6g},{lg:.6g},{gg:.6g},{k if k == '' else f'{k:.6g}'},{m},{q if q == '' else f'{q:.4g}'}"
        )
    return "\n".join(lines) + "\n"


def png_export(run: LabRun) -> bytes:
    """The plane as it stands, as a PNG: the real points and the generated ones."""
    return png_bytes(render_points(run.eval_real[:1500], run.fake_points()))


def gif_export(run: LabRun, frames: int = 60) -> bytes:
    """The run's snapshots as an animated GIF of at most about `frames` frames."""
    every = max(1, len(run.snapshots) // frames)
    return gif_bytes([render_points(run.eval_real[:800], p.astype(np.float32), 240) for _, p in run.snapshots[::every]],
                     80)
