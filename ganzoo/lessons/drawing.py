"""A visitor's drawing read as an MNIST digit, and the search for the latent code that draws it.

`mnist_style` prepares a drawing the way MNIST's own digits were prepared (LeCun et al.): the ink's
bounding box scaled so its longer side is 20 pixels, pasted into a 28x28 frame so that its centre
of mass sits at the centre. A network trained on MNIST only reads digits framed like that.

`invert` answers "which z makes G draw this?": gradient descent on z (G's weights fixed) from
several seeded starts at once, minimising the pixel error plus a small pull of z towards the
prior's typical norm. The starts end in different places; the best few are the generated digits
nearest the drawing.
"""

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from ganzoo.io.images import ImageInputError
from ganzoo.maths import optim
from ganzoo.models.mnist import MnistGAN
from ganzoo.runtime.device import device_of

BOX = 20  # MNIST: digits fitted in a 20x20 box...
SIDE = 28  # ...inside a 28x28 frame
INK = 0.1  # a pixel brighter than this fraction of the brightest is ink


def ink_from_picture(img: Image.Image) -> np.ndarray:
    """A drawing or a picture of a digit -> ink in [0, 1], (H, W). The border is taken for paper:
    dark on light is inverted, light on dark (the canvas, MNIST itself) kept, and whatever is no
    brighter than the paper is no ink."""
    ink = np.asarray(img.convert("L"), dtype=np.float32) / 255.0
    border = np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])
    if border.mean() > 0.5:
        ink, border = 1.0 - ink, 1.0 - border
    paper = float(np.median(border))
    return np.clip((ink - paper) / max(1e-6, float(ink.max()) - paper), 0.0, 1.0)


def mnist_style(ink: np.ndarray) -> torch.Tensor:
    """Ink in [0, 1], (H, W) -> a (1, 1, 28, 28) tensor in [-1, 1] framed as MNIST's digits are.
    Raises ImageInputError('empty_drawing') when there is no ink."""
    ink = np.asarray(ink, dtype=np.float32)
    if ink.size == 0 or ink.max() <= 0:
        raise ImageInputError("empty_drawing")
    rows, cols = np.nonzero(ink > INK * ink.max())
    crop = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.BOX if scale < 1 else
                                                    Image.Resampling.BILINEAR), dtype=np.float32)
    small = np.clip(small / max(1e-6, small.max()), 0, 1)
    frame = np.zeros((SIDE, SIDE), np.float32)
    top, left = (SIDE - small.shape[0]) // 2, (SIDE - small.shape[1]) // 2
    frame[top:top + small.shape[0], left:left + small.shape[1]] = small
    # Centre of mass to the centre, by whole pixels (as MNIST did), never pushing ink out of the frame.
    ys, xs = np.indices(frame.shape)
    mass = frame.sum()
    dy = int(round((SIDE - 1) / 2 - (ys * frame).sum() / mass))
    dx = int(round((SIDE - 1) / 2 - (xs * frame).sum() / mass))
    r, c = np.nonzero(frame)
    dy = int(np.clip(dy, -r.min(), SIDE - 1 - r.max()))
    dx = int(np.clip(dx, -c.min(), SIDE - 1 - c.max()))
    frame = np.roll(frame, (dy, dx), axis=(0, 1))
    return torch.from_numpy(frame * 2 - 1)[None, None]


@dataclass
class Inversion:
    """The result of a latent search, best start first."""
    z: torch.Tensor  # (starts, latent_dim)
    images: torch.Tensor  # (starts, 1, 28, 28) in [-1, 1]
    errors: torch.Tensor  # (starts,) final mean squared pixel error
    curves: torch.Tensor  # (steps + 1, starts) the pixel error along the search, before each step and at the end


def _search(model, z, target, steps, lr, prior):
    """Adam on z (one row per search), G fixed, towards `target` (broadcast against G(z)); returns
    (final images, final errors, the error curves (steps + 1, rows))."""
    z = z.requires_grad_(True)
    opt = optim.Adam([z], lr=lr)
    curves = []
    with torch.enable_grad():  # pages may call from under inference_mode's siblings (no_grad)
        for _ in range(steps):
            images = model(z).float()
            error = (images - target).pow(2).mean(dim=(1, 2, 3))
            shell = (z.pow(2).mean(1) - 1).pow(2)
            curves.append(error.detach())
            opt.zero_grad(set_to_none=True)
            (error + prior * shell).sum().backward()
            opt.step()
    with torch.no_grad():
        images = model(z).float().clamp(-1, 1)
        error = (images - target).pow(2).mean(dim=(1, 2, 3))
        curves.append(error)
    return z.detach(), images, error, torch.stack(curves)


def _check(model, steps, starts):
    if model.conditional:
        raise ValueError("the search runs on an unconditional generator")
    if steps < 1 or starts < 1:
        raise ValueError("steps and starts must be positive")


def invert(model: MnistGAN, target: torch.Tensor, *, seed: int, starts: int = 8, steps: int = 200,
           lr: float = 0.1, prior: float = 1e-3) -> Inversion:
    """Search z so that G(z) matches `target` (1, 1, 28, 28) in [-1, 1]: Adam on z, G fixed, in fp32.

    The loss is the mean squared pixel error plus `prior` x (|z|^2 / d - 1)^2, which keeps z near
    the shell where a Gaussian's samples lie (far from it G draws nothing it was trained on).
    Starts are drawn from the prior with `seed` on the CPU, so a seed gives the same search on
    every device."""
    _check(model, steps, starts)
    device = device_of(model)
    z0 = model.sample_noise(starts, torch.Generator().manual_seed(seed)).to(device)
    z, images, error, curves = _search(model, z0, target.to(device=device, dtype=torch.float32), steps, lr, prior)
    order = torch.argsort(error)
    return Inversion(z[order].cpu(), images[order].cpu(), error[order].cpu(), curves[:, order].cpu())


def invert_each(model: MnistGAN, targets: torch.Tensor, *, seed: int, starts: int = 4, steps: int = 200,
                lr: float = 0.1, prior: float = 1e-3) -> Inversion:
    """A search per image of `targets` (N, 1, 28, 28), every start of every image in one batch; the
    result holds each image's best start, in the targets' order."""
    _check(model, steps, starts)
    device = device_of(model)
    n = len(targets)
    z0 = model.sample_noise(n * starts, torch.Generator().manual_seed(seed)).to(device)
    wanted = targets.to(device=device, dtype=torch.float32).repeat_interleave(starts, dim=0)
    z, images, error, curves = _search(model, z0, wanted, steps, lr, prior)
    best = error.view(n, starts).argmin(1) + torch.arange(n, device=error.device) * starts
    return Inversion(z[best].cpu(), images[best].cpu(), error[best].cpu(), curves[:, best].cpu())
