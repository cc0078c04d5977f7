"""Import a series of safetensors checkpoints (one per epoch or step) as a recorded netviz session.

Each file holds the weights of a chain of dense layers. By default its 2-D tensors, in natural
name order, are the weight layers, and a 1-D tensor is the bias of the weight with the same
prefix (`fc1.bias` of `fc1.weight`), or else of the weight just before it. Which way round the
weights are, (n_in, n_out) as Keras and Flax keep them or (out, in) as PyTorch does, follows
from the chain: consecutive layers must share a size. A mapping (`--map`) names the tensors
when that guess is not right. The loss of a checkpoint is its metadata's "loss", a one-value
tensor named "loss", or the mean squared error on given data; without any, it is not known
(NaN) and the session says so.
"""

import math
import os
import re

import numpy as np

from netviz.engine.data import Dataset, load_csv
from netviz.engine.limits import MAX_PARAMS, n_params
from netviz.engine.network import Architecture
from netviz.engine.session import RecordedHistory, save_session

ORIENTATIONS = ("auto", "in-out", "out-in")
SUFFIX = ".safetensors"
PICKLES = (".ckpt", ".pt", ".pth", ".bin")  # PyTorch's and Lightning's own checkpoints: code, not data
CONVERT = "save the weights with safetensors.torch.save_file(model.state_dict(), 'step_N.safetensors')"


class CheckpointError(ValueError):
    """A checkpoint netviz cannot import; str() is one line naming the file (and the tensor)."""


def natural(text: str) -> list:
    """Sort key: step_2 before step_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def checkpoint_files(sources) -> list[str]:
    """Every checkpoint named: files as given and the safetensors files of folders, in natural name order."""
    files = []
    for source in map(os.fspath, sources):
        if os.path.isdir(source):
            names = os.listdir(source)
            found = [os.path.join(source, n) for n in names if n.endswith(SUFFIX)]
            if not found:
                pickle = next((n for n in sorted(names) if n.endswith(PICKLES)), None)
                hint = f" ({pickle} is a pickle netviz does not run: {CONVERT})" if pickle else ""
                raise CheckpointError(f"{source}: the folder holds no {SUFFIX} files{hint}")
            files += found
        elif os.path.exists(source):
            files.append(source)
        else:
            raise CheckpointError(f"{source}: no such file or folder")
    return sorted(files, key=natural)


def parse_map(text: str) -> list[tuple[str, str | None]]:
    """`fc1.weight+fc1.bias,fc2.weight` -> [("fc1.weight", "fc1.bias"), ("fc2.weight", None)]."""
    layers = []
    for part in text.split(","):
        names = [n.strip() for n in part.split("+")]
        if not names[0] or len(names) > 2 or (len(names) == 2 and not names[1]):
            raise ValueError(f"--map {text!r}: each layer is WEIGHT or WEIGHT+BIAS, layers separated by commas")
        layers.append((names[0], names[1] if len(names) == 2 else None))
    return layers


def _read(path: str) -> tuple[dict[str, np.ndarray], dict]:
    """(tensors, metadata) of one file; CheckpointError for a file safetensors cannot read."""
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(path, "np") as f:
            return {name: f.get_tensor(name) for name in f.keys()}, f.metadata() or {}  # noqa: SIM118
    except (SafetensorError, OSError, TypeError, ValueError) as exc:
        if path.endswith(PICKLES):
            raise CheckpointError(f"{path}: is a PyTorch pickle, which netviz does not run: {CONVERT}") from None
        raise CheckpointError(f"{path}: is not a safetensors file netviz can read ({exc})") from None


def _prefix(name: str) -> str:
    """`fc1` of `fc1.weight` (or `dense/kernel`'s `dense`); "" for a name without a separator."""
    match = re.match(r"(.*)[./]", name)
    return match.group(1) if match else ""


def guess_layers(path: str, tensors: dict[str, np.ndarray]) -> list[tuple[str, str | None]]:
    """(weight, bias or None) tensor names of each layer, in order, by the default rule."""
    layers: list[list] = []
    for name in sorted((n for n in tensors if n != "loss"), key=natural):
        shape = tensors[name].shape
        if len(shape) == 2:
            layers.append([name, None])
        elif len(shape) != 1:
            raise CheckpointError(
                f"{path}: tensor {name!r} has shape {shape}; netviz imports dense layers (2-D weights, 1-D "
                "biases): --map names the tensors to use"
            )
    for name in sorted((n for n in tensors if n != "loss" and tensors[n].ndim == 1), key=natural):
        same = [layer for layer in layers if _prefix(layer[0]) == _prefix(name) and _prefix(name)]
        before = [layer for layer in layers if natural(layer[0]) < natural(name)]
        owner = same[0] if same else before[-1] if before else None
        if owner is None or owner[1] is not None:
            raise CheckpointError(
                f"{path}: tensor {name!r} {tensors[name].shape} is no weight's bias (a bias follows its weight or "
                "shares its prefix): --map names the tensors to use"
            )
        owner[1] = name
    if not layers:
        raise CheckpointError(f"{path}: holds no 2-D tensor (no dense layer's weights)")
    return [(w, b) for w, b in layers]


def orient(path: str, tensors, layers, orientation: str) -> bool:
    """True if the weights are (out, in) and need transposing: chosen, or the only way the chain fits."""
    shapes = [tensors[w].shape for w, _ in layers]
    fits = {
        "in-out": all(a[1] == b[0] for a, b in zip(shapes, shapes[1:]))
        and all(b is None or tensors[b].size == tensors[w].shape[1] for w, b in layers),
        "out-in": all(a[0] == b[1] for a, b in zip(shapes, shapes[1:]))
        and all(b is None or tensors[b].size == tensors[w].shape[0] for w, b in layers),
    }
    if orientation == "auto":
        both = fits["in-out"] and fits["out-in"]
        # Square layers fit both ways: PyTorch names its weights "weight", Keras and Flax "kernel".
        torch_names = all(w.endswith("weight") for w, _ in layers)
        orientation = ("out-in" if torch_names else "in-out") if both else "out-in" if fits["out-in"] else "in-out"
    if not fits[orientation]:
        raise CheckpointError(f"{path}: {_break(tensors, layers, orientation == 'out-in')}")
    return orientation == "out-in"


def _break(tensors, layers, transposed: bool) -> str:
    """Where the chain of layers breaks, read (n_in, n_out) or (out, in), as a phrase naming the tensor."""
    way = "(out, in)" if transposed else "(n_in, n_out)"
    previous = None
    for w, b in layers:
        n_in, n_out = tensors[w].shape[::-1] if transposed else tensors[w].shape
        if previous is not None and previous[1] != n_in:
            return (
                f"tensor {w!r} {tensors[w].shape} does not follow {previous[0]!r}, which gives {previous[1]} outputs "
                f"(read {way}); the weights do not form a chain: --map names the tensors to use"
            )
        if b is not None and tensors[b].size != n_out:
            return f"tensor {b!r} has {tensors[b].size} values, but its weight {w!r} read {way} has {n_out} outputs"
        previous = (w, n_out)
    return f"the weights do not chain read {way}"


def import_checkpoints(
    sources, out, *, mapping=None, orientation="auto", activations="sigmoid", data=None
) -> tuple[RecordedHistory, bool]:
    """Read the checkpoints and write the session `out` (atomically); (its history, whether weights were (out, in)).

    data: a CSV file (its last columns, as many as the network's outputs, are the targets) or a
    Dataset: rows netviz shows outputs for, and computes the loss on when a checkpoint has none.
    """
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}")
    files = checkpoint_files(sources)
    thetas, losses, arch, transposed, layers, shapes, dataset = [], [], None, False, None, None, data
    for path in files:
        tensors, metadata = _read(path)
        if layers is None:
            layers = mapping or guess_layers(path, tensors)
            _check_names(path, tensors, layers)
            transposed = orient(path, tensors, layers, orientation)
            shapes = {name: tensors[name].shape for layer in layers for name in layer if name}
            sizes = [tensors[layers[0][0]].shape[int(transposed)]] + [
                tensors[w].shape[1 - transposed] for w, _ in layers
            ]
            bias = any(b is not None for _, b in layers)
            if n_params(sizes, bias) > MAX_PARAMS:
                raise CheckpointError(
                    f"{path}: has {n_params(sizes, bias):,} parameters; netviz draws at most {MAX_PARAMS:,}"
                )
            arch = Architecture.of(sizes, activations, bias=bias)
            dataset = _dataset(data, arch)
        _check_names(path, tensors, layers)
        for name, shape in shapes.items():
            if tensors[name].shape != shape:
                raise CheckpointError(
                    f"{path}: tensor {name!r} has shape {tensors[name].shape}, {files[0]} had {shape}"
                )
        theta = _theta(arch, tensors, layers, transposed)
        if not np.isfinite(theta).all():
            raise CheckpointError(f"{path}: its weights are not all finite")
        thetas.append(theta)
        losses.append(_loss(path, tensors, metadata, arch, theta, dataset))
    dataset = dataset or _no_data(arch)
    names = [os.path.basename(f).removesuffix(SUFFIX) for f in files]  # shown beside each epoch: step_400
    history = RecordedHistory(arch, dataset, np.array(thetas), np.array(losses), names)
    notes = [
        f"imported from {files[0]}"
        if len(files) == 1
        else f"imported from {len(files)} checkpoints, {files[0]} to {files[-1]}"
    ]
    if any(math.isnan(v) for v in losses):
        notes.append("the checkpoints hold no loss (metadata 'loss' or a tensor 'loss'): it is not known")
    save_session(out, history, notes=notes)
    return history, transposed


def _check_names(path: str, tensors, layers) -> None:
    for layer in layers:
        for name in layer:
            if name is not None and name not in tensors:
                raise CheckpointError(f"{path}: has no tensor {name!r}")
            if name is not None and tensors[name].ndim != (2 if name == layer[0] else 1):
                raise CheckpointError(
                    f"{path}: tensor {name!r} has shape {tensors[name].shape}; a weight is 2-D, a bias 1-D"
                )


def _theta(arch: Architecture, tensors, layers, transposed: bool) -> np.ndarray:
    theta = np.zeros(arch.n_params)
    ws, bs = arch.views(theta)
    for i, (w, b) in enumerate(layers):
        weight = np.asarray(tensors[w], dtype=np.float64)
        ws[i][...] = weight.T if transposed else weight
        if b is not None:
            bs[i][...] = np.asarray(tensors[b], dtype=np.float64).reshape(-1)
    return theta


def _loss(path: str, tensors, metadata: dict, arch, theta, dataset: Dataset | None) -> float:
    """The checkpoint's loss: its metadata's, its one-value tensor "loss", or the MSE on the data; else NaN."""
    text = metadata.get("loss")
    if text is not None:
        try:
            return float(text)
        except ValueError:
            raise CheckpointError(f"{path}: its metadata's loss {text!r} is not a number") from None
    if "loss" in tensors and tensors["loss"].size == 1:
        return float(tensors["loss"].reshape(-1)[0])
    if dataset is not None and len(dataset):
        error = dataset.targets - arch.forward(theta, dataset.inputs)[-1]
        return float(np.vdot(error, error)) / error.size
    return math.nan


def _dataset(data, arch: Architecture) -> Dataset | None:
    """The rows to show: a Dataset, or a CSV file read with the network's outputs as its target columns."""
    dataset = data if data is None or isinstance(data, Dataset) else load_csv(data, n_targets=arch.layers[-1])
    if dataset is not None and dataset.n_in != arch.layers[0]:
        raise CheckpointError(f"{data}: has {dataset.n_in} input columns; the network takes {arch.layers[0]}")
    return dataset


def _no_data(arch: Architecture) -> Dataset:
    n_in, n_out = arch.layers[0], arch.layers[-1]
    return Dataset(np.empty((0, n_in)), np.empty((0, n_out)), "checkpoints", [], [])
