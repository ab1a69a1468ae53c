"""Checkpoints stored with int8 convolution weights, for generators too heavy to keep in fp32 in the
repository: the official-size CycleGAN generator is 45.5 MB in fp32 and 11.4 MB so.

Every convolution's weight is stored as int8 with one fp32 scale per output channel (symmetric:
w ~ q * scale, scale = max |w| of the channel / 127); biases and small layers stay fp32. Loading
dequantises to fp32, so the network computes as before with weights within half a step of the
originals. The safetensors header says so (METADATA), and a model class that mixes in
`Int8Loadable` reads either kind of file: `from_pretrained`, `checkpoints.load_folder` and the Hub
path all go through it.

`python -m ganzoo.quantize` writes the int8 copy of a CycleGAN folder and measures it.
"""

from pathlib import Path

import torch
from torch import nn

METADATA = {"ganzoo.weights": "int8 per output channel"}  # in the safetensors header
SCALE = ".int8_scale"  # suffix of the key holding a weight's per-channel scales


def output_axis(module: nn.Module) -> int:
    """The axis of a convolution weight that indexes output channels (a transposed convolution
    stores (in, out, kh, kw))."""
    return 1 if isinstance(module, nn.ConvTranspose2d) else 0


def quantize(model: nn.Module, min_elements: int = 1024) -> dict:
    """The model's state dict with every convolution weight of at least `min_elements` values as
    int8, its scales beside it under `<key>.int8_scale` (shaped to broadcast against it)."""
    state = {k: v.detach().float().contiguous() if v.is_floating_point() else v.detach()
             for k, v in model.state_dict().items()}
    for name, module in model.named_modules():
        if not isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)) or module.weight.numel() < min_elements:
            continue
        key, w = f"{name}.weight", state[f"{name}.weight"]
        axis = output_axis(module)
        others = tuple(d for d in range(w.dim()) if d != axis)
        scale = (w.abs().amax(dim=others, keepdim=True) / 127).clamp(min=torch.finfo(torch.float32).tiny)
        state[key] = torch.round(w / scale).clamp(-127, 127).to(torch.int8)
        state[key + SCALE] = scale
    return state


def dequantize(state: dict) -> dict:
    """fp32 weights back from quantize's dict; a key without its scale, or a scale that does not
    fit its weight, raises ValueError."""
    out = {}
    for key, value in state.items():
        if key.endswith(SCALE):
            if key[:-len(SCALE)] not in state:
                raise ValueError(f"{key} has no int8 weight beside it")
            continue
        if value.dtype == torch.int8:
            scale = state.get(key + SCALE)
            if scale is None:
                raise ValueError(f"int8 weight {key} has no scales")
            if scale.dim() != value.dim() or any(s not in (1, v) for s, v in zip(scale.shape, value.shape)):
                raise ValueError(f"the scales of {key} {tuple(scale.shape)} do not fit it {tuple(value.shape)}")
            value = value.float() * scale.float()
        out[key] = value
    return out


def is_int8_file(path) -> bool:
    """Whether a safetensors file was written by save (its header carries METADATA)."""
    from safetensors import safe_open
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata() or {}
    return all(metadata.get(k) == v for k, v in METADATA.items())


def save(model: nn.Module, folder) -> Path:
    """`model.save_pretrained(folder)` (config.json), with model.safetensors holding int8 weights."""
    from safetensors.torch import save_file
    folder = Path(folder)
    model.save_pretrained(folder)
    path = folder / "model.safetensors"
    save_file(quantize(model), str(path), metadata={"format": "pt", **METADATA})
    return path


class Int8Loadable:
    """Mixed in before PyTorchModelHubMixin: from_pretrained also reads int8 files (see save)."""

    @classmethod
    def _load_as_safetensor(cls, model, model_file, map_location, strict):
        if not is_int8_file(model_file):
            return super()._load_as_safetensor(model, model_file, map_location, strict)
        from safetensors.torch import load_file
        model.load_state_dict(dequantize(load_file(str(model_file))), strict=strict)
        return model.to(map_location).eval()
