"""A generator a visitor brings, read without trusting it: the page's upload, the command line's FILE.

Accepted, told apart by their content (a name that promises something else is refused):
- the course's Keras generator as Keras 3 saves it: `.weights.h5` (`save_weights`) or the `.keras`
  zip (config.json, metadata.json, model.weights.h5), read by ganzoo/inference/keras_course.py;
- one of ganzoo's generators (ganzoo.models.mnist.MnistGAN, ganzoo.models.stylegan.StyleGAN) as the
  weights/ folders keep them: model.safetensors with its config.json, uploaded together or zipped
  (a folder of `python -m ganzoo.export`, or a whole weights/ folder: its discriminator is checked
  and left unread);
- where the operator allows visitors' repo ids (GANZOO_ALLOW_VISITOR_REPOS=1), a Hub repo holding
  config.json and model.safetensors.

Nothing is unpickled. Every size is checked before it is read (GANZOO_MAX_GENERATOR_MB, ganzoo.runtime.limits),
a zip's entries by their declared sizes and then by what they really inflate to; a safetensors
header is parsed and checked (names, dtypes, shapes, offsets) against the architecture its config
names, built on PyTorch's meta device (no memory), before any tensor exists. Every refusal is one
VisitorError with a message key under yours.error.* (English and French). The result is a model
without a discriminator, in eval mode, prepared as the shipped ones are; where it lives is the
caller's business (the page keeps it in the visitor's session only).
"""

import hashlib
import inspect
import io
import json
import math
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from ganzoo import inference
from ganzoo.inference import keras_course
from ganzoo.models.mnist import MnistGAN
from ganzoo.models.stylegan import StyleGAN
from ganzoo.runtime import limits
from ganzoo.runtime.device import Policy
from ganzoo.runtime.i18n import VisitorError

ARCHITECTURES = (MnistGAN, StyleGAN)
SUFFIXES = {".h5": "HDF5", ".hdf5": "HDF5", ".keras": "zip", ".zip": "zip", ".safetensors": "safetensors",
            ".json": "JSON"}
DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64}
MAX_HEADER = 1 << 20  # a safetensors header of ganzoo's largest generator is under 20 kB
MAX_CONFIG = 64 << 10
MAX_ZIP_ENTRIES = 32
MAX_SETTING = 4096  # the largest integer a config may hold (widths, latent sizes, codes)


def refuse(reason: str, **fields) -> VisitorError:
    return VisitorError("yours.error." + reason, **fields)


@dataclass
class Uploaded:
    model: nn.Module  # MnistGAN or StyleGAN, discriminator None, prepared for inference
    kind: str  # "keras" or "pytorch"
    layout: str  # keras: "as_written" or "skipping"; pytorch: an architecture (architecture())
    label: str  # what the visitor gave: file names or a repo id
    digest: str  # sha256 of the bytes: names its samples in caches shared by sessions
    parameters: int


def architecture(model: nn.Module) -> str:
    """dense, dcgan, infogan, scgan, conditional or stylegan: the locale key yours.arch.<it>."""
    if isinstance(model, StyleGAN):
        return "stylegan"
    if model.codes:
        return "scgan" if model.self_conditioned else "infogan"
    return model.arch


def sniff(data: bytes) -> str | None:
    """What the bytes are, from their first bytes only."""
    if keras_course.is_hdf5(data):
        return "HDF5"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if len(data) > 8 and 2 <= int.from_bytes(data[:8], "little") <= len(data) - 8 and data[8:9] == b"{":
        return "safetensors"
    if data.lstrip()[:1] == b"{":
        return "JSON"
    return None


def load_files(files: list, max_bytes: int | None = None) -> Uploaded:
    """The generator in [(file name, bytes)]: one Keras file or zip, or model.safetensors with config.json."""
    max_bytes = max_bytes or limits.max_generator_bytes()
    total = sum(len(data) for _, data in files)
    if total > max_bytes:
        raise refuse("too_big", mb=total / 2**20, limit=max_bytes / 2**20)
    kinds = {}
    for name, data in files:
        if not data:
            raise refuse("empty", name=name)
        claimed, found = SUFFIXES.get(Path(name).suffix.lower()), sniff(data)
        if claimed is None:
            raise refuse("which_files")
        if found != claimed:
            raise (refuse("unrecognised", name=name, claimed=claimed) if found is None else
                   refuse("not_what_it_says", name=name, claimed=claimed, found=found))
        kinds[found] = data
    label = " + ".join(name for name, _ in files)
    digest = hashlib.sha256(b"".join(hashlib.sha256(d).digest() for _, d in sorted(files))).hexdigest()
    if len(files) == 1 and "HDF5" in kinds:
        return from_keras(kinds["HDF5"], label, digest, max_bytes)
    if len(files) == 1 and "zip" in kinds:
        members = zip_members(kinds["zip"], max_bytes)
        if "model.weights.h5" in members:
            return from_keras(members["model.weights.h5"], label, digest, max_bytes, members["config.json"])
        return from_pytorch(members["model.safetensors"], members["config.json"], label, digest, max_bytes)
    if len(files) == 2 and set(kinds) == {"safetensors", "JSON"}:
        return from_pytorch(kinds["safetensors"], kinds["JSON"], label, digest, max_bytes)
    if list(kinds) == ["safetensors"]:
        raise refuse("needs_config")
    if list(kinds) == ["JSON"]:
        raise refuse("needs_weights")
    raise refuse("which_files")


def read_paths(paths: list, max_bytes: int | None = None) -> list:
    """[(file name, bytes)] for the command line: files as given, a folder as its config.json and
    model.safetensors; each size is checked before the file is read."""
    max_bytes = max_bytes or limits.max_generator_bytes()
    files = []
    for path in map(Path, paths):
        targets = [path / "model.safetensors", path / "config.json"] if path.is_dir() else [path]
        for target in targets:
            if not target.is_file():
                raise refuse("missing", name=str(target))
            size = target.stat().st_size
            if size > max_bytes:
                raise refuse("too_big", mb=size / 2**20, limit=max_bytes / 2**20)
            files.append((target.name, target.read_bytes()))
    return files


def load_paths(paths: list) -> Uploaded:
    return load_files(read_paths(paths))


# --- The course's Keras generator ---------------------------------------------------------------

def from_keras(weights: bytes, label: str, digest: str, max_bytes: int, config: bytes | None = None) -> Uploaded:
    if config is not None:
        keras_config = parse_config(config)
        if "class_name" not in keras_config:  # model.weights.h5 beside a config that Keras did not write
            raise refuse("zip_contents")
    generator, layout = keras_course.course_generator(weights, max_bytes)
    with torch.device("meta"):
        model = MnistGAN("dense", keras_course.LATENT)  # the course's noise: 100 values uniform in [-1, 1]
    model.discriminator = None
    model.generator = generator
    return finish(model, "keras", layout, label, digest)


def finish(model: nn.Module, kind: str, layout: str, label: str, digest: str) -> Uploaded:
    parameters = sum(p.numel() for p in model.parameters())
    # Plain fp32 on the CPU until the caller prepares it for its own policy (the page and the CLIs do).
    return Uploaded(inference.prepare(model.eval(), Policy.plain()), kind, layout, label, digest, parameters)


# --- ganzoo's own generators: config.json + model.safetensors --------------------------------------

def parse_config(data: bytes) -> dict:
    if len(data) > MAX_CONFIG:
        raise refuse("config_bad", why=f"{len(data)} bytes, at most {MAX_CONFIG}")
    try:
        config = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise refuse("config_bad", why=str(exc)[:80]) from None
    if not isinstance(config, dict):
        raise refuse("config_bad", why=type(config).__name__)
    return config


def plain_setting(value) -> bool:
    """A constructor argument a config may hold: a small number, a short word, a short list of numbers."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return 0 <= value <= MAX_SETTING
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return len(value) <= 32
    if isinstance(value, list):
        return len(value) <= MAX_SETTING and all(isinstance(v, (int, float)) and plain_setting(v) for v in value)
    return False


def meta_model(config: dict) -> nn.Module:
    """The architecture the config names, built on the meta device: shapes, and no memory."""
    odd = [k for k, v in config.items() if not plain_setting(v)]
    if odd:
        raise refuse("pytorch_arch", why=f"setting {odd[0]!r} is out of range")
    reasons = []
    for cls in ARCHITECTURES:
        accepted = set(inspect.signature(cls.__init__).parameters) - {"self"}
        if not set(config) <= accepted:
            reasons.append(f"{cls.__name__} takes no {sorted(set(config) - accepted)[0]!r}")
            continue
        try:
            with torch.device("meta"):
                return cls(**config)
        except (TypeError, ValueError, RuntimeError) as exc:
            reasons.append(f"{cls.__name__}: {str(exc)[:80]}")
    raise refuse("pytorch_arch", why="; ".join(reasons))


def safetensors_header(data: bytes) -> dict:
    """{name: (dtype, shape, begin, end)} with begin/end absolute in `data`, every entry checked."""
    size = int.from_bytes(data[:8], "little")
    if not 2 <= size <= min(MAX_HEADER, len(data) - 8):
        raise refuse("safetensors_bad", why=f"a header of {size} bytes")
    try:
        header = json.loads(data[8:8 + size].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise refuse("safetensors_bad", why="the header is not JSON") from None
    if not isinstance(header, dict):
        raise refuse("safetensors_bad", why="the header is not a table")
    header.pop("__metadata__", None)
    start, entries = 8 + size, {}
    for name, entry in header.items():
        try:
            dtype, shape, (begin, end) = DTYPES[entry["dtype"]], entry["shape"], entry["data_offsets"]
            if not all(isinstance(d, int) and 0 <= d <= 1 << 31 for d in shape):
                raise ValueError
            nbytes = math.prod(shape) * dtype.itemsize
        except (KeyError, TypeError, ValueError):
            raise refuse("safetensors_bad", why=f"{name[:60]}: an odd entry") from None
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin and end - begin == nbytes
                and start + end <= len(data)):
            raise refuse("safetensors_bad", why=f"{name[:60]}: its bytes are not in the file")
        entries[name] = (dtype, tuple(shape), start + begin, start + end)
    spans = sorted((b, e) for _, _, b, e in entries.values())
    if any(b < e_prev for (_, e_prev), (b, _) in zip(spans, spans[1:])):
        raise refuse("safetensors_bad", why="two tensors share bytes")
    return entries


def check_against(entries: dict, expected: dict) -> None:
    """The header's names, shapes and dtypes are exactly the architecture's (the generator's, or the
    generator's and its discriminator's, as a weights/ folder holds them)."""
    generator = {k: v for k, v in expected.items() if k.startswith("generator.")}
    if set(entries) not in (set(generator), set(expected)):
        missing = sorted(set(generator) - set(entries))
        extra = sorted(set(entries) - set(expected))
        why = (f"missing {missing[0]}" if missing else f"unexpected {extra[0][:60]}" if extra
               else "a partial discriminator")
        raise refuse("pytorch_arch", why=why)
    for name, (dtype, shape, _, _) in entries.items():
        want = expected[name]
        if shape != tuple(want.shape):
            raise refuse("pytorch_arch", why=f"{name} is {list(shape)}, the architecture's is {list(want.shape)}")
        if want.dtype.is_floating_point != dtype.is_floating_point:
            raise refuse("pytorch_arch", why=f"{name} holds {dtype}, not {want.dtype}")


def from_pytorch(weights: bytes, config: bytes, label: str, digest: str, max_bytes: int) -> Uploaded:
    settings = parse_config(config)
    shapes = meta_model(settings)
    entries = safetensors_header(weights)
    check_against(entries, shapes.state_dict())
    # Only now, on the CPU: the file is known to hold exactly this network. (Module.to_empty would
    # materialise the meta one, but it imports sympy, 30 MB the app keeps out: test_import_footprint.)
    model = type(shapes)(**settings)
    model.discriminator = None
    state = {}
    with warnings.catch_warnings():  # the upload's bytes are read-only; each tensor is copied below
        warnings.simplefilter("ignore", UserWarning)
        for name, (dtype, shape, begin, end) in entries.items():
            if name.startswith("generator."):  # a discriminator's bytes, if any, are never read
                state[name] = torch.frombuffer(weights, dtype=dtype, count=math.prod(shape), offset=begin).view(shape)
    if not all(t.isfinite().all() for t in state.values() if t.is_floating_point()):
        raise refuse("not_finite")
    with torch.no_grad():
        for name, tensor in model.state_dict(keep_vars=True).items():
            tensor.copy_(state[name])
    return finish(model, "pytorch", architecture(model), label, digest)


# --- Archives and the Hub ---------------------------------------------------------------------------

def zip_members(data: bytes, max_bytes: int) -> dict:
    """{config.json, model.safetensors or model.weights.h5: bytes} from one folder of a zip (a .keras
    file is one); other entries are left unread."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise refuse("zip_damaged") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise refuse("zip_odd", what=f"{len(infos)} entries")
    folders = {}
    for info in infos:
        folder, _, base = info.filename.rpartition("/")
        folders.setdefault(folder, {})[base] = info
    fits = [f for f in folders.values() if "config.json" in f and ({"model.safetensors", "model.weights.h5"} & set(f))]
    if len(fits) != 1 or {"model.safetensors", "model.weights.h5"} <= set(fits[0]):
        raise refuse("zip_contents")
    wanted = [i for base, i in fits[0].items() if base in ("config.json", "model.safetensors", "model.weights.h5")]
    declared = sum(i.file_size for i in wanted)
    if declared > max_bytes:
        raise refuse("too_big", mb=declared / 2**20, limit=max_bytes / 2**20)
    members = {}
    for info in wanted:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse("zip_odd", what=f"{info.filename[:60]}: encrypted or compressed in an unusual way")
        try:
            with archive.open(info) as f:
                content = f.read(info.file_size + 1)  # never more than it declared, whatever it inflates to
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise refuse("zip_damaged") from None
        if len(content) != info.file_size:
            raise refuse("zip_damaged")
        members[info.filename.rpartition("/")[2]] = content
    return members


def load_hub(text: str, max_bytes: int | None = None) -> Uploaded:
    """A visitor's repo id ("owner/name@revision"): its config.json and model.safetensors, each size
    asked of the Hub before the download, then the same checks as an upload."""
    from ganzoo.io import checkpoints
    if not checkpoints.visitor_repos_allowed():
        raise refuse("hub_off")
    max_bytes = max_bytes or limits.max_generator_bytes()
    try:
        repo, revision = checkpoints.parse_repo(text)
    except checkpoints.CheckpointError as exc:
        raise refuse("hub_failed", error=str(exc)) from None
    files = [(name, hub_bytes(repo, revision, name, max_bytes)) for name in ("model.safetensors", "config.json")]
    uploaded = load_files(files, max_bytes)
    uploaded.label = f"{repo}@{revision}"
    return uploaded


def hub_bytes(repo: str, revision: str, filename: str, max_bytes: int) -> bytes:
    from huggingface_hub import constants, get_hf_file_metadata, hf_hub_download, hf_hub_url

    from ganzoo.io import checkpoints
    try:
        if not constants.HF_HUB_OFFLINE:  # the size first: a huge file is never downloaded
            size = get_hf_file_metadata(hf_hub_url(repo, filename, revision=revision)).size
            if size and size > max_bytes:
                raise refuse("too_big", mb=size / 2**20, limit=max_bytes / 2**20)
        path = Path(hf_hub_download(repo, filename, revision=revision))
    except VisitorError:
        raise
    except Exception as exc:  # network, unknown repo or revision, missing file
        raise refuse("hub_failed", error=checkpoints._explain(repo, revision, exc)) from None
    if path.stat().st_size > max_bytes:
        raise refuse("too_big", mb=path.stat().st_size / 2**20, limit=max_bytes / 2**20)
    return path.read_bytes()
