"""Activation functions and their derivatives, written in terms of the output a = f(z).

Backprop only ever needs f'(z) where a = f(z) is already known, so each derivative
takes `a`; this is also how the blog writes sigmoid'(x) = x * (1 - x). Each is a short list
of NumPy calls on given buffers (forward overwrites z, a derivative writes into `out`), so
that training can run them without allocating, and the forward pass of a replay or a drawing
runs exactly the same calls as training did.
Callers run these under ``np.errstate(over="ignore")``: exp(1000) -> inf gives the
right sigmoid (0.0) without clipping, which keeps the blog's arithmetic bit-exact.
"""

from collections.abc import Callable
from functools import partial

import numpy as np

NAMES = ("sigmoid", "tanh", "relu", "linear")
OUTPUT_ONLY = ("softmax",)  # activations that only an output layer may have
ALL_NAMES = NAMES + OUTPUT_ONLY

Op = tuple[Callable, tuple]  # one NumPy call: function(*arguments), its result written into a buffer
ONE, ZERO = np.array(1.0), np.array(0.0)  # 0-d arrays: a ufunc takes them faster than Python floats


def forward_ops(name: str, z: np.ndarray) -> list[Op]:
    """The calls that turn z into f(z), in place."""
    if name == "sigmoid":
        return [(np.negative, (z, z)), *sigmoid_of_negated_ops(z)]
    if name == "tanh":
        return [(np.tanh, (z, z))]
    if name == "relu":
        return [(partial(np.maximum, out=z), (z, ZERO))]  # (its positional out is deprecated)
    if name == "softmax":
        return [(softmax_rows, (z,))]
    return []  # linear


def softmax_rows(z: np.ndarray) -> None:
    """Each row of z becomes exp(z) / sum(exp(z)), in place; shifting by the row's largest value
    first keeps exp finite and changes nothing else."""
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)


def sigmoid_of_negated_ops(nz: np.ndarray) -> list[Op]:
    """The calls that turn nz = -z into sigmoid(z) = 1 / (1 + exp(-z)), in place: the blog's formula,
    operation for operation."""
    return [(np.exp, (nz, nz)), (np.add, (nz, ONE, nz)), (np.reciprocal, (nz, nz))]


def slope_ops(name: str, a: np.ndarray, out: np.ndarray) -> list[Op]:
    """The calls that write f'(z) into out, from the output a = f(z)."""
    if name == "sigmoid":  # a * (1 - a)
        return [(np.subtract, (ONE, a, out)), (np.multiply, (a, out, out))]
    if name == "tanh":  # 1 - a * a
        return [(np.multiply, (a, a, out)), (np.subtract, (ONE, out, out))]
    if name == "relu":  # 1 where a > 0, else 0
        return [(np.greater, (a, ZERO, out))]
    # linear; and softmax, whose output layer trains on cross-entropy: there -dE/dz is exactly
    # target - output, the error itself, so its slope is taken as 1.
    return [(out.fill, (1.0,))]


def run(ops: list[Op]) -> None:
    """Make the calls in order."""
    for function, arguments in ops:
        function(*arguments)


def activate(name: str, z: np.ndarray) -> np.ndarray:
    """f(z), computed in place in z."""
    run(forward_ops(name, z))
    return z
