"""What the StyleGAN page shows, computed from a trained `StyleGAN`: style mixing, truncation in w
against truncation in z, and stochastic variation. Every draw comes from a seed (codes and noise
maps on the CPU, then moved to the model's device), so a seed gives the same images everywhere.
"""

import torch

from ganzoo.models.stylegan import STYLE_GROUPS, truncate
from ganzoo.runtime.device import device_of, policy_of
from ganzoo.runtime.seed import clamp_seed, generator


def codes(model, seeds) -> torch.Tensor:
    """One z per seed, (len(seeds), latent_dim), on the CPU: the code `seed` draws on every page."""
    return torch.cat([model.sample_noise(1, generator(clamp_seed(s))) for s in seeds])


def styled_layers(groups) -> list:
    """The synthesis layers of the chosen groups ("coarse", "middle", "fine"), in order."""
    return sorted(i for g in groups for i in STYLE_GROUPS[g])


def mix(ws_a: torch.Tensor, ws_b: torch.Tensor, layers) -> torch.Tensor:
    """Every pair (a, b): a's per-layer styles with b's in `layers`; (len(a) * len(b), L, w_dim), row-major in a."""
    a, b = ws_a.shape[0], ws_b.shape[0]
    out = ws_a[:, None].expand(a, b, *ws_a.shape[1:]).clone()
    out[:, :, list(layers)] = ws_b[None, :, list(layers)].expand(a, b, len(layers), ws_b.shape[-1])
    return out.reshape(a * b, *ws_a.shape[1:])


@torch.inference_mode()
def _synthesize(model, ws, noise="const") -> torch.Tensor:
    with policy_of(model).autocast():
        return model.synthesize(ws, noise).float().cpu().clamp(-1, 1)


@torch.inference_mode()
def _styles(model, z: torch.Tensor) -> torch.Tensor:
    """(N, L, w_dim): each code's w, repeated for every layer."""
    w = model.mapping(z.to(device_of(model))).float()
    return w[:, None].expand(-1, model.num_layers, -1)


def mixing_grid(model, seeds_a, seeds_b, groups) -> dict:
    """The paper's style-mixing figure: "a" and "b" are the sources' images, "mixed" (len(a) * len(b),
    1, 28, 28) row-major: row i is source A's seed i with source B's styles in the chosen groups."""
    ws_a, ws_b = _styles(model, codes(model, seeds_a)), _styles(model, codes(model, seeds_b))
    layers = styled_layers(groups)
    mixed = mix(ws_a, ws_b, layers) if layers else ws_a.repeat_interleave(len(seeds_b), 0)
    return {"a": _synthesize(model, ws_a), "b": _synthesize(model, ws_b), "mixed": _synthesize(model, mixed)}


def mixing_follows(judge, grid: dict) -> dict:
    """The share of mixed cells whose class the judge reads as its row's source A image's ("a") and
    as its column's source B image's ("b"): which source decided the class."""
    from ganzoo.inference.sampling import classify
    mixed = classify(judge, grid["mixed"]).argmax(1).view(len(grid["a"]), len(grid["b"]))
    a, b = classify(judge, grid["a"]).argmax(1), classify(judge, grid["b"]).argmax(1)
    return {"a": (mixed == a[:, None]).float().mean().item(), "b": (mixed == b[None, :]).float().mean().item()}


def truncation_pair(model, seeds, psi: float) -> dict:
    """The same seeds truncated in w (w_avg + psi (w - w_avg)) and in z (psi z: the same formula
    about z's mean, 0), each (len(seeds), 1, 28, 28)."""
    z = codes(model, seeds)
    ws = truncate(_styles(model, z), model.w_avg.float(), psi)
    return {"w": _synthesize(model, ws), "z": _synthesize(model, _styles(model, psi * z))}


def noise_variation(model, seed: int, noise_seed: int, count: int) -> dict:
    """One w, `count` sets of noise maps drawn from `noise_seed`: the images and the per-pixel
    standard deviation across them (what the noise alone decides)."""
    ws = _styles(model, codes(model, [seed])).expand(count, -1, -1)
    images = _synthesize(model, ws, generator(clamp_seed(noise_seed)))
    return {"images": images, "std": images[:, 0].std(0)}


def mixing_layout(result: dict) -> torch.Tensor:
    """The paper's figure as one batch of images, (len(a) + 1) rows of len(b) + 1: source B across the
    top after a white corner, source A down the left, each cell A restyled by B."""
    a, b = result["a"], result["b"]
    rows = [torch.cat([torch.ones(1, *a.shape[1:]), b])]
    rows += [torch.cat([a[i:i + 1], result["mixed"][i * len(b):(i + 1) * len(b)]]) for i in range(len(a))]
    return torch.cat(rows)
