"""Activation functions and their derivatives, written in terms of the output a = f(z).

Backprop only ever needs f'(z) where a = f(z) is already known, so each derivative
takes `a`; this is also how the blog writes sigmoid'(x) = x * (1 - x). Both kinds work in
place (forward overwrites z, a derivative writes into `out`) so that training allocates nothing.
Callers run these under ``np.errstate(over="ignore")``: exp(1000) -> inf gives the
right sigmoid (0.0) without clipping, which keeps the blog's arithmetic bit-exact.
"""

import numpy as np

NAMES = ("sigmoid", "tanh", "relu", "linear")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)), in place (the blog's formula, operation for operation)."""
    np.negative(z, z)
    np.exp(z, z)
    np.add(z, 1.0, z)
    return np.reciprocal(z, z)


def tanh(z: np.ndarray) -> np.ndarray:
    return np.tanh(z, z)


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0, out=z)


def linear(z: np.ndarray) -> np.ndarray:
    return z


def d_sigmoid(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """a * (1 - a), into out."""
    np.subtract(1.0, a, out)
    return np.multiply(a, out, out)


def d_tanh(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """1 - a * a, into out."""
    np.multiply(a, a, out)
    return np.subtract(1.0, out, out)


def d_relu(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """1 where a > 0, else 0, into out."""
    return np.greater(a, 0.0, out)


def d_linear(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    out.fill(1.0)
    return out


FORWARD = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "linear": linear}
DERIVATIVE = {"sigmoid": d_sigmoid, "tanh": d_tanh, "relu": d_relu, "linear": d_linear}


def apply(name: str, z: np.ndarray) -> np.ndarray:
    """Activation `name` of a fresh copy of z (for callers that keep z)."""
    with np.errstate(over="ignore"):
        return FORWARD[name](np.array(z, dtype=np.float64))
