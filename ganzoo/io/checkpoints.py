"""Named models, loaded from the embedded `weights/<name>/` folders or from the Hugging Face Hub.

A checkpoint is a Hub-layout folder: `config.json` (constructor arguments), `model.safetensors`
and a model card `README.md`. Nothing is ever unpickled: weights are safetensors, and a
third-party `.pth`/`.bin` goes through `torch.load(..., weights_only=True)` only.

A visitor-typed Hub repo id is refused unless the operator sets GANZOO_ALLOW_VISITOR_REPOS=1;
the operator points a registry name at the Hub with GANZOO_HUB_<NAME>=owner/repo@revision
(name upper-cased, dashes as underscores).
"""

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from ganzoo import inference
from ganzoo.models.cyclegan import CycleGAN, PaintingClassifier, ResnetGenerator, load_official_state_dict
from ganzoo.models.mnist import HugganDCGANGenerator, MnistClassifier, MnistGAN
from ganzoo.models.stylegan import StyleGAN
from ganzoo.models.vae import ConvVAE
from ganzoo.runtime.device import Policy

WEIGHTS_DIR = Path(os.environ.get("GANZOO_WEIGHTS", Path(__file__).resolve().parents[2] / "weights"))
REPO_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[\w.-]{1,96}$")


class CheckpointError(RuntimeError):
    """A checkpoint that could not be loaded; the message is fit to show a visitor."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    cls: type
    title: str
    hub_repo: str | None = None  # an operator-approved Hub copy, pinned below
    hub_revision: str | None = None
    tags: tuple = field(default_factory=tuple)
    hub_only: bool = False  # no embedded copy: offered only when GANZOO_HUB_MODELS=1
    hub_file: str | None = None  # a plain state-dict file (.bin/.pth) instead of model.safetensors
    config: dict = field(default_factory=dict)  # constructor arguments when the repo has no config.json
    source_note: str = ""
    hub_repo_type: str = "model"


REGISTRY = {spec.name: spec for spec in [
    ModelSpec("mnist-dense", MnistGAN, "The course's dense GAN (MNIST)", tags=("mnist", "gan")),
    ModelSpec("mnist-dcgan", MnistGAN, "DCGAN (MNIST)", tags=("mnist", "gan")),
    ModelSpec("mnist-scgan", MnistGAN, "Self-conditioned DCGAN (MNIST)", tags=("mnist", "gan")),
    ModelSpec("mnist-scgan-w64", MnistGAN, "Self-conditioned DCGAN, width 64 (MNIST)", tags=("mnist", "gan")),
    ModelSpec("mnist-cgan", MnistGAN, "Conditional DCGAN (MNIST)", tags=("mnist", "gan", "conditional")),
    ModelSpec("mnist-classifier", MnistClassifier, "MNIST classifier (the judge)", tags=("mnist",)),
    ModelSpec("fashion-dcgan", MnistGAN, "DCGAN (Fashion-MNIST)", tags=("fashion", "gan")),
    ModelSpec("fashion-cgan", MnistGAN, "Conditional DCGAN (Fashion-MNIST)", tags=("fashion", "gan", "conditional")),
    ModelSpec("mnist-stylegan", StyleGAN, "Small StyleGAN (MNIST)", tags=("mnist", "gan", "stylegan")),
    ModelSpec("fashion-stylegan", StyleGAN, "Small StyleGAN (Fashion-MNIST)", tags=("fashion", "gan", "stylegan")),
    ModelSpec("mnist-vae", ConvVAE, "Convolutional VAE (MNIST)", tags=("mnist", "vae")),
    ModelSpec("fashion-vae", ConvVAE, "Convolutional VAE (Fashion-MNIST)", tags=("fashion", "vae")),
    ModelSpec("fashion-classifier", MnistClassifier, "Fashion-MNIST classifier (the judge)", tags=("fashion",)),
    ModelSpec("huggan-dcgan-mnist", HugganDCGANGenerator, "HugGAN sprint DCGAN (64x64 MNIST, 3 channels)",
              hub_repo="huggan/dcgan-mnist", hub_revision="main", hub_only=True, hub_file="pytorch_model.bin",
              config={"num_channels": 3, "latent_dim": 100, "hidden_size": 64}, tags=("mnist", "gan", "hub"),
              source_note="Trained by the HugGAN community sprint; see the repo's model card for data and licence."),
    ModelSpec("cyclegan-monet-compact", CycleGAN, "Compact CycleGAN, Monet <-> photo (trained by ganzoo)",
              tags=("cyclegan",)),
    ModelSpec("painting-judge", PaintingClassifier, "Painting-or-photo judge", tags=("cyclegan",)),
    ModelSpec("cyclegan-monet-compact-v1", ResnetGenerator,
              "The first compact photo -> Monet generator (transposed convolutions: the checkerboard)",
              tags=("cyclegan-history",)),
    # The CycleGAN authors' pretrained generators (BSD licence), as hosted in a public Space.
    # "main" until the operator pins a commit hash with GANZOO_HUB_<NAME>=repo@hash.
    *[ModelSpec(f"cyclegan-official-{style}", ResnetGenerator, f"Official CycleGAN, photo -> {style.title()}",
                hub_repo="davidpiscasio/unpaired-img2img", hub_revision="main", hub_repo_type="space",
                hub_file=f"checkpoints/style_{style}_pretrained/latest_net_G.pth", hub_only=True,
                tags=("cyclegan-official",),
                source_note="Zhu, Park, Isola, Efros (2017), pytorch-CycleGAN-and-pix2pix, BSD licence")
      for style in ("monet", "vangogh")],
]}


def hub_models_enabled() -> bool:
    return os.environ.get("GANZOO_HUB_MODELS", "") == "1"


def available(tag: str | None = None) -> list:
    """Registry names a page may offer: embedded ones, plus Hub-only ones when the operator enabled them."""
    return [n for n, s in REGISTRY.items() if (tag is None or tag in s.tags)
            and (not s.hub_only or hub_models_enabled())]


def dataset_of(name: str) -> str:
    """"fashion" for the Fashion-MNIST models, "mnist" for the other 28x28 ones."""
    return "fashion" if "fashion" in REGISTRY[name].tags else "mnist"


def judge_of(dataset: str) -> str:
    """The classifier that reads and scores a dataset's images (and its generators' samples)."""
    return f"{dataset}-classifier"


@dataclass
class Loaded:
    model: nn.Module
    source: str  # "weights/<name>" or "<repo>@<revision>"
    warning: str | None = None  # set when a requested Hub copy failed and the embedded one is used
    seconds: float = 0.0


def embedded_folder(name: str) -> Path:
    return WEIGHTS_DIR / name


def visitor_repos_allowed() -> bool:
    return os.environ.get("GANZOO_ALLOW_VISITOR_REPOS", "") == "1"


def parse_repo(text: str) -> tuple[str, str]:
    """"owner/name@revision" -> (repo_id, revision); the revision defaults to main."""
    repo, _, revision = text.strip().partition("@")
    if not REPO_ID_RE.match(repo):
        raise CheckpointError(f"'{repo}' is not a Hub repo id (expected owner/name).")
    return repo, revision or "main"


def operator_hub_source(name: str) -> tuple[str, str] | None:
    env = os.environ.get("GANZOO_HUB_" + name.upper().replace("-", "_"))
    if env:
        return parse_repo(env)
    spec = REGISTRY[name]
    if spec.hub_repo:
        return spec.hub_repo, spec.hub_revision or "main"
    return None


def load_folder(cls, folder) -> nn.Module:
    """An eval-mode model from a local Hub-layout folder; strict about every key and shape."""
    folder = Path(folder)
    for required in ("config.json", "model.safetensors"):
        if not (folder / required).is_file():
            raise CheckpointError(f"{folder} has no {required}.")
    return _from_pretrained(cls, str(folder), revision=None)


def load_hub(cls, repo_id: str, revision: str) -> nn.Module:
    return _from_pretrained(cls, repo_id, revision=revision)


def load_hub_state_dict(spec: ModelSpec, repo_id: str, revision: str) -> nn.Module:
    """A third-party plain state-dict file from the Hub, loaded strictly and without unpickling code."""
    from huggingface_hub import hf_hub_download
    try:
        path = hf_hub_download(repo_id, spec.hub_file, revision=revision, repo_type=spec.hub_repo_type)
    except Exception as exc:
        raise CheckpointError(_explain(repo_id, revision, exc)) from exc
    model = spec.cls(**spec.config)
    try:
        state = load_state_dict_file(path)
        if isinstance(model, ResnetGenerator):
            load_official_state_dict(model, state)
        else:
            model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise CheckpointError(_explain(repo_id, revision, exc)) from exc
    return model.eval()


def _from_pretrained(cls, where: str, revision):
    try:
        model = cls.from_pretrained(where, revision=revision, strict=True)
    except CheckpointError:
        raise
    except Exception as exc:  # network, missing file, corrupt header, wrong shapes...
        raise CheckpointError(_explain(where, revision, exc)) from exc
    return model.eval()


def _explain(where, revision, exc) -> str:
    kind = type(exc).__name__
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else kind
    where = f"{where}@{revision}" if revision else where
    if "RepositoryNotFound" in kind:
        return f"The Hub repo {where} does not exist or is private."
    if "RevisionNotFound" in kind:
        return f"The revision of {where} does not exist."
    if "EntryNotFound" in kind or "LocalEntryNotFound" in kind or isinstance(exc, FileNotFoundError):
        return f"{where}: a file is missing or the Hub cannot be reached ({kind})."
    if "Connection" in kind or "Timeout" in kind or "Offline" in kind:
        return f"The Hub cannot be reached to load {where} ({kind})."
    if "Unpickling" in kind:
        return f"{where}: a pickled file that could run code was refused (only safetensors or plain tensors load)."
    if "SafetensorError" in kind or "HeaderTooLarge" in text or "header" in text.lower():
        return f"{where}: model.safetensors is corrupt ({text})."
    if isinstance(exc, RuntimeError) and ("size mismatch" in text or "Missing key" in text
                                           or "Unexpected key" in text or "Error(s) in loading" in text):
        return f"{where}: the weights do not fit this network ({text})."
    return f"Could not load {where}: {kind}: {text}"


def load(name: str, repo: str | None = None, p: Policy | None = None) -> Loaded:
    """The model registered as `name`, prepared for policy `p` (plain fp32 on the CPU when none is
    given; the app and the CLIs pass this machine's policy).

    `repo` ("owner/name@revision") is a visitor's request for a Hub copy; otherwise the
    operator's Hub source if configured, else the embedded folder. Any Hub failure falls back to
    the embedded checkpoint and says why in `Loaded.warning`.
    """
    if name not in REGISTRY:
        raise CheckpointError(f"Unknown model '{name}'. Known: {', '.join(REGISTRY)}.")
    spec = REGISTRY[name]
    start = time.perf_counter()
    warning = None
    hub = None
    try:
        if repo:
            if not visitor_repos_allowed():
                raise CheckpointError("Loading Hub repos typed in the page is disabled on this server "
                                      "(the operator enables it with GANZOO_ALLOW_VISITOR_REPOS=1).")
            hub = parse_repo(repo)
        else:
            hub = operator_hub_source(name)
        if hub:
            model = load_hub_state_dict(spec, *hub) if spec.hub_file else load_hub(spec.cls, *hub)
            return Loaded(inference.prepare(model, p or Policy.plain()), f"{hub[0]}@{hub[1]}", None,
                          time.perf_counter() - start)
    except CheckpointError as exc:
        if spec.hub_only:
            raise
        warning = f"{exc} Using the embedded weights/{name} instead."
    model = inference.prepare(load_folder(spec.cls, embedded_folder(name)), p or Policy.plain())
    return Loaded(model, f"weights/{name}", warning, time.perf_counter() - start)


def load_state_dict_file(path) -> dict:
    """A state dict from .safetensors, or from a third-party .pth/.bin without running pickled code."""
    path = Path(path)
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file
        try:
            return load_file(str(path))
        except Exception as exc:
            raise CheckpointError(f"{path.name} is corrupt ({exc}).") from exc
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # an UnpicklingError here is a file that wanted to run code
        raise CheckpointError(
            f"{path.name} was refused: it is not a plain tensor file ({type(exc).__name__})."
        ) from exc
    if not isinstance(state, dict):
        raise CheckpointError(f"{path.name} does not hold a state dict.")
    return state


# --- Resumable training state -------------------------------------------------------------------

def save_training_state(path, state: dict) -> None:
    """Atomically: a run killed mid-write never leaves a half-written state behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(str(path) + ".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def load_training_state(path) -> dict | None:
    """The saved state, or None when there is none; tensors and plain values only."""
    path = Path(path)
    return torch.load(path, map_location="cpu", weights_only=True) if path.is_file() else None


# --- Writing checkpoints ----------------------------------------------------------------------

def save(model, folder, card: dict) -> Path:
    """Write a Hub-layout folder: config.json + model.safetensors + README.md (model card).

    `card` holds what the card says: title, description, training (dict), metrics (dict)...;
    it is also kept as card.json so later steps (evaluation) can add to it.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    write_card(folder, card)
    return folder


def read_card(folder) -> dict:
    path = Path(folder) / "card.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def write_card(folder, card: dict) -> None:
    folder = Path(folder)
    (folder / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    (folder / "README.md").write_text(render_card(card))


def render_card(card: dict) -> str:
    tags = "\n".join(f"- {t}" for t in card.get("tags", []))
    lines = ["---", "library_name: pytorch", "license: mit", "tags:", tags or "- gan", "---", "",
             f"# {card.get('title', 'ganzoo model')}", "", card.get("description", ""), ""]
    for note in card.get("notes", []):
        lines += [f"- {note}"]
    if card.get("notes"):
        lines.append("")
    training = card.get("training")
    if training:
        lines += _section("How it was trained", training)
        lines += [f"- **{key}**: {value}" for key, value in training.items() if key not in ("command", "commands")]
        lines.append("")
    metrics = card.get("metrics")
    if metrics:
        lines += _section("Measured", metrics)
        reference = metrics.get("reference_label", "reference")
        lines += [f"| metric | this model | {reference} |", "| --- | --- | --- |"]
        lines += [f"| {row[0]} | {row[1]} | {row[2]} |" for row in metrics.get("rows", [])]
        lines.append("")
    lines += ["## Loading", "", "```python", "from ganzoo.io import checkpoints",
              f"model = checkpoints.load({card.get('name', 'NAME')!r}).model", "```", ""]
    return "\n".join(lines)


def _section(title: str, part: dict) -> list:
    """A card section's heading, with the command that produced it as a code block."""
    lines = [f"## {title}", ""]
    if "command" in part:
        lines += ["```", part["command"], "```", ""]
    return lines
