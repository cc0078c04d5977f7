"""What the framework recorders share: a chain of dense layers checked once, activation names, and rank 0.

netviz draws a chain of dense layers: each layer's weights (n_in, n_out), its bias and its
activation. A framework's model is checked against that before training starts, so that a
layer netviz cannot draw is named at once instead of failing at the first record.
"""

import json
import os
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
