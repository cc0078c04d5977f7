"""Softmax: rows that sum to one, finite for huge inputs, only on an output layer."""

import numpy as np
import pytest

from netviz.engine import activations
from netviz.engine.network import Architecture


def test_softmax_rows_sum_to_one_and_keep_order():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]])
    a = activations.activate("softmax", z.copy())
    assert np.allclose(a.sum(axis=1), 1.0)
    assert np.all(np.argsort(a[0]) == [0, 1, 2])
    assert np.all(np.isfinite(a)) and a[1, 0] == 1.0
    expected = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    assert np.allclose(a[0], expected, rtol=0, atol=1e-15)


def test_softmax_is_output_only():
    Architecture.of((2, 4, 3), ("tanh", "softmax"))
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        Architecture.of((2, 4, 3), ("softmax", "sigmoid"))
    with pytest.raises(ValueError, match="at least 2 neurons"):
        Architecture.of((2, 4, 1), ("tanh", "softmax"))


def test_softmax_forward_through_network():
    arch = Architecture.of((2, 3, 4), ("relu", "softmax"), bias=True)
    theta = arch.init_params(seed=3)
    out = arch.forward(theta, np.random.RandomState(0).random_sample((5, 2)))[-1]
    assert out.shape == (5, 4) and np.allclose(out.sum(axis=1), 1.0)
