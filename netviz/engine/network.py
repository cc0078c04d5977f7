"""A multi-layer perceptron: its architecture and its parameters as one flat vector.

All parameters live in one float64 vector `theta` (weights of each layer, row-major,
then that layer's biases). Weight matrices are views into it, so an epoch of history
is one copy, and replay restores a network by copying one vector back.
"""

from dataclasses import dataclass

import numpy as np

from netviz.engine import activations

INITS = ("uniform", "glorot")


@dataclass(frozen=True)
class Architecture:
    """Layer sizes (inputs first), one activation per weight layer, and whether layers have biases."""

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    bias: bool = False

    def __post_init__(self):
        if len(self.layers) < 2:
            raise ValueError("a network needs at least an input and an output layer")
        if any(int(n) < 1 for n in self.layers):
            raise ValueError(f"layer sizes must be at least 1, got {list(self.layers)}")
        if len(self.activations) != len(self.layers) - 1:
            raise ValueError(
                f"{len(self.layers) - 1} weight layers need as many activations, got {len(self.activations)}"
            )
        for name in self.activations[:-1]:
            if name not in activations.NAMES:
                raise ValueError(f"unknown activation {name!r}; choose from {', '.join(activations.NAMES)}")
        if self.activations[-1] not in activations.ALL_NAMES:
            raise ValueError(
                f"unknown output activation {self.activations[-1]!r}; choose from {', '.join(activations.ALL_NAMES)}"
            )
        if self.activations[-1] == "softmax" and self.layers[-1] < 2:
            raise ValueError("a softmax output needs at least 2 neurons")

    @classmethod
    def of(cls, layers, activation="sigmoid", bias=False) -> "Architecture":
        """Build from sizes and one activation name or a list of them (one per weight layer)."""
        layers = tuple(int(n) for n in layers)
        acts = (activation,) * (len(layers) - 1) if isinstance(activation, str) else tuple(activation)
        return cls(layers, acts, bool(bias))

    @property
    def shapes(self) -> list[tuple[int, int]]:
        """Shape (n_in, n_out) of each weight matrix."""
        return list(zip(self.layers[:-1], self.layers[1:]))

    @property
    def n_synapses(self) -> int:
        return sum(a * b for a, b in self.shapes)

    @property
    def n_params(self) -> int:
        return self.n_synapses + (sum(self.layers[1:]) if self.bias else 0)

    def views(self, theta: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
        """Weight matrices (n_in, n_out) and bias vectors (n_out,) as views into theta."""
        weights, biases, i = [], [], 0
        for n_in, n_out in self.shapes:
            weights.append(theta[i : i + n_in * n_out].reshape(n_in, n_out))
            i += n_in * n_out
            if self.bias:
                biases.append(theta[i : i + n_out])
                i += n_out
            else:
                biases.append(None)
        return weights, biases

    def weight_index(self) -> np.ndarray:
        """Positions in theta of every weight (not bias), layer by layer, row-major."""
        probe = np.arange(self.n_params, dtype=np.float64)
        weights, _ = self.views(probe)
        return np.concatenate([w.ravel() for w in weights]).astype(np.intp)

    def init_params(self, seed: int, init: str = "uniform") -> np.ndarray:
        """Initial theta: the blog's 2*random((n_in, n_out)) - 1 per layer from legacy seed(seed).

        "glorot" scales that uniform draw by sqrt(6 / (n_in + n_out)) for wide layers.
        Biases start at zero.
        """
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose from {', '.join(INITS)}")
        rng = np.random.RandomState(seed)
        theta = np.zeros(self.n_params)
        weights, _ = self.views(theta)
        for w in weights:
            w[...] = 2 * rng.random_sample(w.shape) - 1
            if init == "glorot":
                w *= np.sqrt(6.0 / sum(w.shape))
        return theta

    def forward(self, theta: np.ndarray, x: np.ndarray) -> list[np.ndarray]:
        """Activations of every layer for inputs x (n_rows, n_in); element 0 is x itself."""
        weights, biases = self.views(theta)
        acts = [np.atleast_2d(np.asarray(x, dtype=np.float64))]
        with np.errstate(over="ignore", invalid="ignore"):
            for w, b, name in zip(weights, biases, self.activations):
                z = np.dot(acts[-1], w)
                if b is not None:
                    z += b
                acts.append(activations.activate(name, z))
        return acts

    def label(self) -> str:
        return "-".join(str(n) for n in self.layers)

    def __repr__(self) -> str:
        acts = set(self.activations)
        act = self.activations[0] if len(acts) == 1 else "/".join(self.activations)
        return f"Architecture({self.label()}, {act}, {'bias' if self.bias else 'no bias'})"
