"""What the framework recorders share: a chain of dense layers checked once, activation names, and rank 0.

netviz draws a chain of dense layers: each layer's weights (n_in, n_out), its bias and its
activation. A framework's model is checked against that before training starts, so that a
layer netviz cannot draw is named at once instead of failing at the first record.
"""

import json
import os
import re
import sys
from dataclasses import dataclass

import numpy as np

from netviz.engine import activations

# Activations netviz does not compute, drawn as the one nearest in shape; the session notes it.
NEAREST = {
    "gelu": "relu", "silu": "relu", "swish": "relu", "elu": "relu", "selu": "relu", "leaky_relu": "relu",
    "softplus": "relu", "relu6": "relu", "mish": "relu", "celu": "relu",
    "hard_sigmoid": "sigmoid", "hard_silu": "relu", "hard_swish": "relu", "log_sigmoid": "sigmoid",
    "hard_tanh": "tanh", "soft_sign": "tanh", "softsign": "tanh", "identity": "linear", None: "linear",
    "log_softmax": "softmax",
}  # fmt: skip


class UnsupportedLayer(ValueError):
    """A layer netviz cannot draw; str() is one line naming the layer and its type."""


@dataclass
class Dense:
    """One weight layer as netviz draws it: where its arrays come from, and its activation."""

    name: str
    n_in: int
    n_out: int
    activation: str = "linear"


def activation_name(name: str | None, layer: str, notes: list[str]) -> str:
    """netviz's name for a framework's activation; the nearest one (with a note) if netviz lacks it."""
    if name in activations.ALL_NAMES:
        return name
    if name in NEAREST:
        nearest = NEAREST[name]
        if name is not None and name != "identity":
            notes.append(f"layer {layer!r}: activation {name} is drawn as {nearest}")
        return nearest
    notes.append(f"layer {layer!r}: activation {name} is not one netviz knows; drawn as linear")
    return "linear"


def unsupported(layer: str, kind: str, skip: bool, notes: list[str]) -> None:
    """Raise UnsupportedLayer for a layer netviz cannot draw, or note that it is left out."""
    if not skip:
        raise UnsupportedLayer(
            f"layer {layer!r} ({kind}) cannot be drawn: netviz draws chains of dense layers "
            "(pass skip_unsupported=True to leave it out)"
        )
    notes.append(f"layer {layer!r} ({kind}) was left out")


def layer_sizes(chain: list[Dense]) -> list[int]:
    """Neurons per layer, inputs first; UnsupportedLayer if the dense layers do not form a chain."""
    if not chain:
        raise UnsupportedLayer("the model has no dense layers for netviz to draw")
    for a, b in zip(chain, chain[1:]):
        if a.n_out != b.n_in:
            raise UnsupportedLayer(
                f"layer {b.name!r} takes {b.n_in} inputs but {a.name!r} before it gives {a.n_out}: "
                "netviz draws dense layers that feed one another"
            )
    return [chain[0].n_in] + [d.n_out for d in chain]


def filled_biases(biases: list, chain: list[Dense]) -> list[np.ndarray] | None:
    """None when no layer has a bias; else every layer's, zeros for those without one."""
    if all(b is None for b in biases):
        return None
    return [np.zeros(d.n_out) if b is None else b for b, d in zip(biases, chain)]


def is_rank_zero() -> bool:
    """True unless this process is a worker other than the chief (rank 0) of a distributed run.

    Asks what is set up without starting anything: TF_CONFIG (Keras/TensorFlow multi-worker),
    torch.distributed when it is initialised, JAX's process index when JAX is loaded, and the
    RANK variable that torchrun and Lightning set.
    """
    config = os.environ.get("TF_CONFIG")
    if config:
        try:
            config = json.loads(config)
            task = config.get("task", {})
            kind, index = task.get("type"), int(task.get("index", 0))
            has_chief = "chief" in config.get("cluster", {})
        except (ValueError, AttributeError, TypeError):
            return True
        return kind == "chief" or (kind == "worker" and index == 0 and not has_chief)
    dist = getattr(sys.modules.get("torch"), "distributed", None)
    if dist is not None and dist.is_available() and dist.is_initialized():
        return dist.get_rank() == 0
    jax = sys.modules.get("jax")
    if jax is not None and jax.process_count() > 1:
        return jax.process_index() == 0
    return os.environ.get("RANK", "0") == "0"


_KERNELS, _BIASES = ("kernel", "w", "weight"), ("bias", "b")


def dense_params(params, skip_unsupported: bool = False) -> tuple[list, list, list[str]]:
    """(weights (n_in, n_out), biases or None, notes) of the dense layers in a JAX pytree, in layer order.

    params: Flax's {"params": {"Dense_0": {"kernel", "bias"}, ...}} (or without "params"), Haiku's
    {"linear": {"w", "b"}, "linear_1": ...}, Flax NNX state (values in .value), or a list of such
    layers. Layers are taken in natural name order (Dense_2 before Dense_10, as JAX's tree
    functions sort dict keys); if those do not chain, in the order the mapping holds them.
    """
    notes: list[str] = []
    found = list(_dense_layers(params, "", skip_unsupported, notes))
    for order in (sorted(found, key=lambda layer: _natural(layer[0])), found):
        if all(a[1].shape[1] == b[1].shape[0] for a, b in zip(order, order[1:])):
            found = order
            break
    chain = [Dense(name, *w.shape) for name, w, _ in found]
    layer_sizes(chain)
    return [w for _, w, _ in found], filled_biases([b for *_, b in found], chain), notes


def _dense_layers(tree, path: str, skip: bool, notes: list[str]):
    """(name, kernel, bias or None) of each dense layer under tree, depth first."""
    if isinstance(tree, list | tuple):
        for i, item in enumerate(tree):
            yield from _dense_layers(item, f"{path}[{i}]", skip, notes)
        return
    items = dict(tree.items()) if hasattr(tree, "items") else {}
    kernel = next((items[k] for k in _KERNELS if k in items), None)
    leaves = {k: v for k, v in items.items() if not hasattr(_value(v), "items")}
    name = path or "params"
    if kernel is not None:
        kernel = np.asarray(_value(kernel), dtype=np.float64)
        if kernel.ndim != 2:
            unsupported(name, f"a {kernel.ndim}-D kernel", skip, notes)
            return
        bias = next((items[k] for k in _BIASES if k in items), None)
        yield name, kernel, None if bias is None else np.asarray(_value(bias), dtype=np.float64).reshape(-1)
        return
    if leaves:  # parameters but no kernel: normalisation, embeddings...
        unsupported(name, "parameters " + ", ".join(sorted(leaves)), skip, notes)
    for key, value in items.items():
        if key not in leaves:
            yield from _dense_layers(_value(value), f"{path}/{key}" if path else str(key), skip, notes)


def _value(leaf):
    """A Flax NNX variable's array, or the leaf itself."""
    return getattr(leaf, "value", leaf)


def _natural(name: str) -> list:
    """Dense_2 before Dense_10: digits compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
