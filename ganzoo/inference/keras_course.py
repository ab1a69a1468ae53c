"""The course's Keras generator (deck 002), read from the HDF5 file Keras 3 writes, with h5py only.

The course's `Generator(keras.Model)` holds five Dense layers (input_layer 100, dense_1 128,
dense_2 128, dense_3 256, output_layer 784 with tanh) and three LeakyReLU(0.01); its `call` uses
every one of them, in that order: `ganzoo.models.mnist.DenseGenerator` is that network. The slip
is in the course's *discriminator*, whose `call` skips dense_2 and dense_3 and applies leaky_1,
leaky_2, leaky_3, leaky_3 one after another. A generator whose `call` was written the same way
(copied from the discriminator) keeps no weights for the two skipped layers, because Keras 3
creates a layer's weights the first time it is called: its file holds three Dense kernels, the
last 128 x 784, and `SkippingDenseGenerator` runs it as that `call` did.

What Keras 3 writes (`save_weights` to `.weights.h5`, or `model.weights.h5` inside a `.keras` zip)
is one group per layer with a `vars` group holding datasets "0" (kernel, in x out) and "1" (bias).
A layer is not always stored under its attribute name: Keras walks the model's attributes in
alphabetical order and the `layers` list at "layers", so `output_layer` and the LeakyReLUs land
under `layers/dense_4`, `layers/leaky_re_lu...` while the others keep their attribute names (and
the `name` attribute of each `vars` group counts Dense layers across the whole Python session).
So layers are matched by their kernels' shapes, which differ from layer to layer, never by name.

Nothing is read before the whole file has been walked: every link must be a hard link inside the
file, every dataset a float array of one or two small dimensions in a `vars` group, stored in the
file itself (no external or virtual storage), without filters; the declared shapes are checked
before any value is read.
"""

import io

import numpy as np
import torch
from torch import nn

from ganzoo.models.mnist import DenseGenerator, SkippingDenseGenerator
from ganzoo.runtime.i18n import VisitorError

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
LATENT = 100
# Kernel shapes (in, out) in forward order, and where each goes in the PyTorch module's `net`.
LAYOUTS = {
    "as_written": (((LATENT, 100), (100, 128), (128, 128), (128, 256), (256, 784)), (0, 1, 3, 5, 7)),
    "skipping": (((LATENT, 100), (100, 128), (128, 784)), (0, 1, 6)),
}
MODULES = {"as_written": DenseGenerator, "skipping": SkippingDenseGenerator}
MAX_OBJECTS = 256  # groups and datasets: the course's file has 33
MAX_DEPTH = 8
MAX_DIM = 4096  # the largest dimension of any course layer is 784


def refuse(reason: str, **fields):
    return VisitorError("yours.error." + reason, **fields)


def is_hdf5(data: bytes) -> bool:
    return data[:8] == HDF5_SIGNATURE


def walk(group, found: dict, depth=0) -> dict:
    """Every dataset below `group` into found {path: dataset}, after checking every link on the way."""
    import h5py
    if depth > MAX_DEPTH:
        raise refuse("h5_odd", what=f"{group.name}: nested too deep")
    for key in group.keys():
        link = group.get(key, getlink=True)
        if not isinstance(link, h5py.HardLink):  # a soft or external link could point at another file
            raise refuse("h5_odd", what=f"{group.name}/{key}: a {type(link).__name__}")
        found[None] = found.get(None, 0) + 1  # objects seen, datasets or not
        if found[None] > MAX_OBJECTS:
            raise refuse("h5_odd", what=f"more than {MAX_OBJECTS} objects")
        item = group[key]
        if isinstance(item, h5py.Group):
            walk(item, found, depth + 1)
        elif isinstance(item, h5py.Dataset):
            check_dataset(item)
            found[item.name] = item
        else:
            raise refuse("h5_odd", what=f"{item.name}: a {type(item).__name__}")
    return found


def check_dataset(ds) -> None:
    """From the file's metadata only: where the dataset sits, its dtype, its declared shape, its storage."""
    parent, _, name = ds.name.rpartition("/")
    if not (name.isdigit() and parent.endswith("/vars")):
        raise refuse("h5_odd", what=f"{ds.name}: not a Keras weight")
    dtype = ds.dtype
    if dtype.kind != "f" or dtype.itemsize not in (2, 4, 8) or dtype.names or dtype.subdtype:
        raise refuse("h5_odd", what=f"{ds.name}: values of type {dtype}")
    shape = ds.shape
    if shape is None or len(shape) not in (1, 2) or not all(0 < d <= MAX_DIM for d in shape):
        raise refuse("h5_shape", what=ds.name, shape=shape)
    if ds.external or ds.is_virtual or ds.id.get_create_plist().get_nfilters():
        raise refuse("h5_odd", what=f"{ds.name}: stored outside the file or through a filter")


def dense_layers(datasets: dict) -> list:
    """[(kernel dataset, bias dataset)] for each `vars` group that holds weights: a Dense layer
    holds exactly a kernel (in, out) and a bias (out,)."""
    groups = {}
    for path, ds in datasets.items():
        parent, _, name = path.rpartition("/")
        groups.setdefault(parent, {})[name] = ds
    layers = []
    for path, held in sorted(groups.items()):
        kernel, bias = held.get("0"), held.get("1")
        if set(held) != {"0", "1"} or len(kernel.shape) != 2 or bias.shape != (kernel.shape[1],):
            shapes = ", ".join(f"{tuple(ds.shape)}" for _, ds in sorted(held.items()))
            raise refuse("keras_arch", found=f"{path.rsplit('/', 1)[0].lstrip('/')}: {shapes}")
        layers.append((kernel, bias))
    return layers


def layout_of(layers: list) -> str:
    """"as_written" or "skipping", from the kernels' shapes; anything else is refused, by name."""
    shapes = sorted(tuple(k.shape) for k, _ in layers)
    for layout, (expected, _) in LAYOUTS.items():
        if shapes == sorted(expected):
            return layout
    found = ", ".join(f"{i}→{o}" for i, o in shapes) or "—"
    if any(shape[0] == 784 for shape in shapes):  # it reads images: the course's discriminator
        raise refuse("keras_discriminator", found=found)
    raise refuse("keras_arch", found=found)


def read_layers(data: bytes, max_bytes: int) -> tuple[str, list]:
    """(layout, [(kernel (in, out), bias (out,)) as float32 arrays in forward order]) from the
    bytes of a `.weights.h5` file."""
    import h5py  # only when a Keras file arrives: the pages never pay for it otherwise
    if not is_hdf5(data):
        raise refuse("not_h5")
    try:
        with h5py.File(io.BytesIO(data), "r", locking=False) as f:
            datasets = walk(f, {})
            datasets.pop(None, None)
            declared = sum(int(np.prod(ds.shape)) * ds.dtype.itemsize for ds in datasets.values())
            if declared > max_bytes:
                raise refuse("too_big", mb=declared / 2**20, limit=max_bytes / 2**20)
            layers = dense_layers(datasets)
            layout = layout_of(layers)
            order = {shape: i for i, shape in enumerate(LAYOUTS[layout][0])}
            layers.sort(key=lambda kb: order[tuple(kb[0].shape)])
            values = [(k[()].astype(np.float32), b[()].astype(np.float32)) for k, b in layers]
    except VisitorError:
        raise
    except (OSError, ValueError, KeyError, RuntimeError):  # HDF5's own complaint: truncated or damaged
        raise refuse("h5_damaged") from None
    if not all(np.isfinite(k).all() and np.isfinite(b).all() for k, b in values):
        raise refuse("not_finite")
    return layout, values


@torch.no_grad()
def course_generator(data: bytes, max_bytes: int) -> tuple[nn.Module, str]:
    """The PyTorch module that computes what the uploaded Keras generator computes, and its layout."""
    layout, values = read_layers(data, max_bytes)
    generator = MODULES[layout](LATENT)
    for (kernel, bias), index in zip(values, LAYOUTS[layout][1]):
        linear = generator.net[index]
        linear.weight.copy_(torch.from_numpy(kernel.T))  # Keras keeps (in, out), torch (out, in)
        linear.bias.copy_(torch.from_numpy(bias))
    return generator.eval(), layout
