"""A softmax output trains on cross-entropy: its gradient, its recorded loss and its defaults."""

import numpy as np
import pytest

from netviz.engine.data import Dataset
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.runspec import DataSource, RunSpec, SpecError
from netviz.engine.training import TrainConfig, Trainer

FD_STEP, FD_RTOL, FD_ATOL = 1e-6, 1e-5, 1e-8  # central differences: error ~ step^2


def cross_entropy(arch, theta, x, y) -> float:
    """The objective a softmax output's steps descend: -sum of target . log(output), written out."""
    z = arch.forward(theta, x)[-2] @ arch.views(theta)[0][-1]
    bias = arch.views(theta)[1][-1]
    if bias is not None:
        z = z + bias
    log_p = z - z.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return float(-(y * log_p).sum())


def numeric_gradient(arch, theta, x, y):
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += FD_STEP
        minus[i] -= FD_STEP
        grad[i] = (cross_entropy(arch, plus, x, y) - cross_entropy(arch, minus, x, y)) / (2 * FD_STEP)
    return grad


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh"])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("targets", ["one-hot", "probabilities"])
@pytest.mark.parametrize(("batch", "order"), [(None, "shuffled"), (2, "in-order")])
def test_backprop_matches_central_differences_of_cross_entropy(hidden, bias, targets, batch, order):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 3))
    y = np.eye(3)[[0, 1, 2, 1, 0, 2]] if targets == "one-hot" else rng.dirichlet(np.ones(3), 6)
    arch = Architecture.of((3, 4, 3), (hidden, "softmax"), bias)
    config = TrainConfig(arch, lr=0.01, batch=batch, seed=3, epochs=1, order=order)
    trainer = Trainer(config, Dataset(x, y))
    trainer.set_state(rng.normal(scale=0.7, size=arch.n_params), 0)
    expected = trainer.theta.copy()
    trainer.advance(1)
    k = len(x) if batch is None else batch
    for start in range(0, len(x), k):
        rows = slice(start, start + k)
        expected -= config.lr * numeric_gradient(arch, expected, x[rows], y[rows])
    np.testing.assert_allclose(trainer.theta, expected, rtol=FD_RTOL, atol=FD_ATOL)


def test_the_recorded_loss_is_the_mean_cross_entropy_and_replays_exactly():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(9, 2)), np.eye(3)[np.arange(9) % 3]
    arch = Architecture.of((2, 5, 3), ("tanh", "softmax"), True)
    config = TrainConfig(arch, lr=0.1, epochs=100)
    dataset = Dataset(x, y)
    history = History(config, dataset, budget_bytes=4096)  # small: later losses are replayed, not stored
    Trainer(config, dataset).run(history, 100)
    for epoch in (0, 17, 100):
        theta = history.weights_at(epoch)
        expected = cross_entropy(arch, theta, x, y) / len(x)
        assert history.loss_at(epoch) == pytest.approx(expected, rel=1e-12)
    assert history.loss_exact_until < 100
    replayed = Trainer(config, dataset)
    replayed.set_state(history.weights_at(100), 100)
    assert replayed.evaluate()[1] == history.loss_at(100)
    assert history.loss[-1] < history.loss[0]


def test_a_saturated_wrong_class_gives_a_finite_loss():
    arch = Architecture.of((1, 2), "softmax", False)
    config = TrainConfig(arch, lr=1.0, epochs=1)
    trainer = Trainer(config, Dataset(np.array([[1.0]]), np.array([[1.0, 0.0]])))
    trainer.set_state(np.array([-800.0, 800.0]), 0)  # the right class's output underflows to 0
    loss = trainer.evaluate()[1]
    assert np.isfinite(loss) and loss > 700


def write(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text)
    return str(path)


THREE = "x,y,c\n" + "".join(f"{i % 3},{i % 2},{i % 3}\n" for i in range(12))


def test_three_or_more_classes_get_a_softmax_output_by_default(tmp_path):
    data = DataSource("csv", path=write(tmp_path, THREE))
    config, dataset = RunSpec.following(data).build()
    assert config.arch.activations == ("sigmoid", "softmax")
    assert dataset.n_out == 3
    two = DataSource("csv", path=write(tmp_path, THREE.replace(",2\n", ",0\n")))
    assert RunSpec.following(two).build()[0].arch.activations == ("sigmoid", "sigmoid")


@pytest.mark.parametrize(
    ("text", "targets", "message"),
    [
        ("a,b\n0,0.5\n1,0.25\n", 1, "a softmax output needs at least 2 outputs"),
        ("a,b,c\n0,0.5,0.25\n1,1,0\n", 2, "row 1 of .* has targets summing to 0.75, not 1"),
    ],
)
def test_softmax_refuses_targets_that_are_not_classes(tmp_path, text, targets, message):
    spec = RunSpec(DataSource("csv", path=write(tmp_path, text), targets=targets), activations=("sigmoid", "softmax"))
    with pytest.raises(SpecError, match=message):
        spec.build()


def test_the_three_classes_preset_follows_the_same_rule():
    config, dataset = RunSpec.following(DataSource("preset", "three-classes")).build()
    assert dataset.n_out == 3
    assert config.arch.activations[-1] == "softmax"
