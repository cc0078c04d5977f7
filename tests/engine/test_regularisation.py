import numpy as np
import pytest

from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer, blog_config, loss_with_penalty, penalty

FD_STEP, FD_RTOL, FD_ATOL = 1e-6, 1e-5, 1e-8  # central differences: error ~ step^2


def step_objective(arch, theta, x, y, l1, l2):
    """One step's objective over rows x, written out: 1/2 * summed squared error + rows * penalty on the weights."""
    weights, _ = arch.views(theta)
    out = arch.forward(theta, x)[-1]
    flat = np.concatenate([w.ravel() for w in weights])
    return 0.5 * np.sum((y - out) ** 2) + len(x) * (l1 * np.abs(flat).sum() + l2 / 2 * np.sum(flat**2))


def numeric_gradient(arch, theta, x, y, l1, l2):
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += FD_STEP
        minus[i] -= FD_STEP
        grad[i] = (step_objective(arch, plus, x, y, l1, l2) - step_objective(arch, minus, x, y, l1, l2)) / (2 * FD_STEP)
    return grad


@pytest.mark.parametrize(("l1", "l2"), [(0.05, 0.0), (0.0, 0.3), (0.02, 0.1)])
@pytest.mark.parametrize(("batch", "order"), [(None, "shuffled"), (4, "shuffled"), (4, "in-order")])
def test_penalised_steps_match_central_differences(l1, l2, batch, order):
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(6, 3)), rng.uniform(size=(6, 2))
    arch = Architecture.of((3, 4, 2), "tanh", bias=True)
    config = TrainConfig(arch, lr=0.01, batch=batch, seed=3, epochs=1, order=order, l1=l1, l2=l2)
    trainer = Trainer(config, Dataset(x, y))
    trainer.set_state(rng.normal(scale=0.7, size=arch.n_params), 0)
    expected = trainer.theta.copy()
    trainer.advance(1)
    k = len(x) if batch is None else batch
    shuffled = order == "shuffled" and k < len(x)
    rows_in_turn = np.random.default_rng((config.seed, 0)).permutation(len(x)) if shuffled else np.arange(len(x))
    for start in range(0, len(x), k):
        rows = rows_in_turn[start : start + k]
        expected -= config.lr * numeric_gradient(arch, expected, x[rows], y[rows], l1, l2)
    np.testing.assert_allclose(trainer.theta, expected, rtol=FD_RTOL, atol=FD_ATOL)


def test_biases_are_not_penalised():
    arch = Architecture.of((2, 3, 1), "sigmoid", bias=True)
    plain = TrainConfig(arch, lr=0.1, seed=2, epochs=1)
    strong = TrainConfig(arch, lr=0.1, seed=2, epochs=1, l1=0.5, l2=0.5)
    data = Dataset(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0], [0.0]]))
    a, b = Trainer(plain, data), Trainer(strong, data)
    a.advance(1)
    b.advance(1)
    bias_positions = np.setdiff1d(np.arange(arch.n_params), arch.weight_index())
    np.testing.assert_array_equal(a.theta[bias_positions], b.theta[bias_positions])
    assert not np.array_equal(a.theta[arch.weight_index()], b.theta[arch.weight_index()])


def test_l2_shrinks_the_weights_of_the_blog_run():
    config = blog_config()
    runs = {}
    for l2 in (0.0, 0.01):
        cfg = TrainConfig(config.arch, epochs=2000, l2=l2)
        trainer = Trainer(cfg, blog())
        trainer.run(History(cfg, blog()), cfg.epochs)
        runs[l2] = np.abs(trainer.theta).sum()
    assert runs[0.01] < 0.5 * runs[0.0]


def test_zero_rates_add_no_calls_and_train_bit_identically():
    config = blog_config()
    explicit = TrainConfig(config.arch, l1=0.0, l2=0.0)
    a, b = Trainer(config, blog()), Trainer(explicit, blog())
    assert len(a._all.update) == len(b._all.update)
    a.advance(50)
    b.advance(50)
    np.testing.assert_array_equal(a.theta, b.theta)


def test_penalty_and_loss_with_penalty_are_computed_on_the_weights_only():
    arch = Architecture.of((2, 2, 2), "sigmoid", bias=True)
    config = TrainConfig(arch, l1=0.1, l2=0.4)
    theta = np.arange(arch.n_params, dtype=float) - 4
    weights, _ = arch.views(theta)
    w = np.concatenate([m.ravel() for m in weights])
    expected = 0.1 * np.abs(w).sum() + 0.2 * (w**2).sum()
    assert penalty(config, theta) == pytest.approx(expected, rel=1e-15)
    # Objective of an epoch over n rows / (n * n_out / 2): the mean squared error plus 2P / n_out.
    assert loss_with_penalty(config, theta, 0.25) == pytest.approx(0.25 + expected, rel=1e-15)


@pytest.mark.parametrize("kwargs", [{"l1": -0.1}, {"l2": float("nan")}, {"l2": float("inf")}])
def test_bad_rates_are_refused(kwargs):
    with pytest.raises(ValueError, match="rate must be a number of 0 or more"):
        TrainConfig(**kwargs)
