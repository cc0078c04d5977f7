import numpy as np
import pytest

from netviz.engine import activations
from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.training import Diverged, TrainConfig, Trainer, blog_config

BLOG_PREDICTION = 0.0078876  # printed by the blog for the new situation [1, 1, 0]
BLOG_LAYER2 = [-8.1885, 10.1321, -21.3353, 9.9094]  # the blog's trained layer-2 weights, 4 places
FD_STEP, FD_RTOL, FD_ATOL = 1e-6, 1e-5, 1e-8  # central differences: error ~ step^2


def blog_reference_loop(epochs: int) -> tuple[np.ndarray, np.ndarray]:
    """The blog's program, transcribed independently of the engine."""
    rng = np.random.RandomState(1)
    w1 = 2 * rng.random_sample((3, 4)) - 1
    w2 = 2 * rng.random_sample((4, 1)) - 1
    x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]])
    y = np.array([[0, 1, 1, 1, 1, 0, 0]]).T
    for _ in range(epochs):
        out1 = 1 / (1 + np.exp(-np.dot(x, w1)))
        out2 = 1 / (1 + np.exp(-np.dot(out1, w2)))
        delta2 = (y - out2) * (out2 * (1 - out2))
        delta1 = delta2.dot(w2.T) * (out1 * (1 - out1))
        w1 += x.T.dot(delta1)
        w2 += out1.T.dot(delta2)
    return w1, w2


def blog_reference_rows_in_order(epochs: int) -> tuple[np.ndarray, np.ndarray]:
    """The blog's program one row at a time, rows in the table's order (its author's early code)."""
    w1, w2 = blog_reference_loop(0)
    x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]])
    y = np.array([[0, 1, 1, 1, 1, 0, 0]]).T
    for _ in range(epochs):
        for row in range(len(x)):
            xi, yi = x[row : row + 1], y[row : row + 1]
            out1 = 1 / (1 + np.exp(-np.dot(xi, w1)))
            out2 = 1 / (1 + np.exp(-np.dot(out1, w2)))
            delta2 = (yi - out2) * (out2 * (1 - out2))
            delta1 = delta2.dot(w2.T) * (out1 * (1 - out1))
            w1 += xi.T.dot(delta1)
            w2 += out1.T.dot(delta2)
    return w1, w2


def trained(config, dataset, epochs=None):
    trainer, history = Trainer(config, dataset), History(config, dataset)
    trainer.run(history, config.epochs if epochs is None else epochs)
    return trainer, history


def test_blog_run_prints_the_blogs_prediction():
    config = blog_config()
    trainer, history = trained(config, blog())
    prediction = config.arch.forward(trainer.theta, [1, 1, 0])[-1][0, 0]
    assert f"{prediction:.8f}" == "0.00788760"
    assert round(prediction, 7) == BLOG_PREDICTION
    w2 = config.arch.views(trainer.theta)[0][1].ravel()
    np.testing.assert_allclose(w2, BLOG_LAYER2, atol=5e-5)
    assert len(history) == 60_001


def test_blog_run_is_bit_identical_to_the_blogs_loop():
    config = blog_config()
    trainer, _ = trained(config, blog(), epochs=2_000)
    w1, w2 = blog_reference_loop(2_000)
    weights, _ = config.arch.views(trainer.theta)
    assert np.array_equal(weights[0], w1)
    assert np.array_equal(weights[1], w2)


def test_biases_follow_the_blogs_arithmetic_bit_for_bit():
    config = TrainConfig(Architecture.of((3, 4, 1), bias=True), epochs=300)
    trainer, _ = trained(config, blog())
    (w1, w2), _ = config.arch.views(config.arch.init_params(1))
    w1, w2, b1, b2 = w1.copy(), w2.copy(), np.zeros(4), np.zeros(1)
    x, y = blog().inputs, blog().targets
    for _ in range(300):
        out1 = 1 / (1 + np.exp(-(np.dot(x, w1) + b1)))
        out2 = 1 / (1 + np.exp(-(np.dot(out1, w2) + b2)))
        delta2 = (y - out2) * (out2 * (1 - out2))
        delta1 = delta2.dot(w2.T) * (out1 * (1 - out1))
        w1 += x.T.dot(delta1)
        b1 += delta1.sum(axis=0)
        w2 += out1.T.dot(delta2)
        b2 += delta2.sum(axis=0)
    assert np.array_equal(trainer.theta, np.concatenate([w1.ravel(), b1, w2.ravel(), b2]))


def test_in_order_steps_through_the_rows_in_the_datas_order():
    config = TrainConfig(batch=1, order="in-order", epochs=30)
    trainer, history = trained(config, blog())
    w1, w2 = blog_reference_rows_in_order(30)
    weights, _ = config.arch.views(trainer.theta)
    assert np.array_equal(weights[0], w1)
    assert np.array_equal(weights[1], w2)
    assert np.array_equal(history.weights_at(17), trained(config, blog(), 17)[0].theta)


def test_shuffled_is_the_default_and_differs_from_in_order():
    assert TrainConfig().order == "shuffled"
    shuffled, _ = trained(TrainConfig(batch=2, epochs=5), blog())
    in_order, _ = trained(TrainConfig(batch=2, order="in-order", epochs=5), blog())
    assert not np.array_equal(shuffled.theta, in_order.theta)
    # The whole set as one batch has no order to speak of.
    full, _ = trained(TrainConfig(batch=7, epochs=5), blog())
    full_in_order, _ = trained(TrainConfig(batch=7, order="in-order", epochs=5), blog())
    assert np.array_equal(full.theta, full_in_order.theta)


def test_same_config_gives_bit_identical_history_and_reset_restores_start():
    config = TrainConfig(Architecture.of((3, 5, 2, 1), "tanh", bias=True), lr=0.3, batch=3, seed=7, epochs=50)
    a, ha = trained(config, blog())
    _, hb = trained(config, blog())
    assert np.array_equal(ha.loss, hb.loss)
    for e in (0, 17, 50):
        assert np.array_equal(ha.weights_at(e), hb.weights_at(e))
    a.reset()
    assert a.epoch == 0
    assert np.array_equal(a.theta, hb.weights_at(0))


def objective(arch, theta, x, y):
    out = arch.forward(theta, x)[-1]
    return 0.5 * np.sum((y - out) ** 2)


def numeric_gradient(arch, theta, x, y):
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += FD_STEP
        minus[i] -= FD_STEP
        grad[i] = (objective(arch, plus, x, y) - objective(arch, minus, x, y)) / (2 * FD_STEP)
    return grad


@pytest.mark.parametrize("activation", activations.NAMES)
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize(("batch", "order"), [(None, "shuffled"), (3, "shuffled"), (1, "shuffled"), (4, "in-order")])
def test_backprop_matches_central_differences(activation, bias, batch, order):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3))
    y = rng.uniform(size=(6, 2))
    if activation == "relu":
        x += 0.05  # keep pre-activations away from relu's kink, where the derivative is undefined
    arch = Architecture.of((3, 4, 3, 2), activation, bias)
    config = TrainConfig(arch, lr=0.01, batch=batch, seed=3, epochs=1, order=order)
    trainer = Trainer(config, Dataset(x, y))
    # Random biases too (they start at zero), so no relu sits exactly on its kink at z = 0.
    trainer.set_state(rng.normal(scale=0.7, size=arch.n_params), 0)
    theta0 = trainer.theta.copy()
    trainer.advance(1)
    # One epoch is several steps for mini-batches; replay them by hand from the same row order.
    expected = theta0.copy()
    k = len(x) if batch is None else batch
    shuffled = order == "shuffled" and k < len(x)
    rows_in_turn = np.random.default_rng((config.seed, 0)).permutation(len(x)) if shuffled else np.arange(len(x))
    for start in range(0, len(x), k):
        rows = rows_in_turn[start : start + k]
        expected -= config.lr * numeric_gradient(arch, expected, x[rows], y[rows])
    np.testing.assert_allclose(trainer.theta, expected, rtol=FD_RTOL, atol=FD_ATOL)


@pytest.mark.parametrize("activation", activations.NAMES)
def test_activations_do_not_warn_at_huge_weights(activation):
    arch = Architecture.of((3, 4, 1), activation)
    theta = np.full(arch.n_params, 1000.0)
    theta[::2] = -1000.0
    out = arch.forward(theta, blog().inputs)[-1]  # warnings are errors in this suite
    assert out.shape == (7, 1)
    assert np.isfinite(out).all()


def test_divergence_stops_at_the_first_bad_epoch_and_keeps_the_rest():
    config = TrainConfig(Architecture.of((3, 4, 1), "linear"), lr=1000.0, epochs=100)
    trainer, history = Trainer(config, blog()), History(config, blog())
    with pytest.raises(Diverged) as info:
        trainer.run(history, config.epochs)
    assert info.value.epoch == history.latest_epoch + 1
    assert f"epoch {info.value.epoch}" in str(info.value)
    assert np.isfinite(history.loss).all()
    assert np.isfinite(history.weights_at(history.latest_epoch)).all()


def test_interrupt_ends_run_after_the_current_epoch():
    config = blog_config()
    trainer, history = Trainer(config, blog()), History(config, blog())
    trainer.run(history, 10)
    trainer.interrupt = True
    trainer.run(history, 1000)
    assert history.latest_epoch == 10
    trainer.interrupt = False
    trainer.run(history, 12)
    assert history.latest_epoch == 12


def test_mismatched_data_is_refused():
    with pytest.raises(ValueError, match="need 2 inputs"):
        Trainer(TrainConfig(Architecture.of((2, 3, 1))), blog())


@pytest.mark.parametrize(
    "kwargs", [{"lr": 0.0}, {"lr": float("nan")}, {"batch": 0}, {"epochs": 0}, {"seed": -1}, {"order": "random"}]
)
def test_bad_config_is_refused(kwargs):
    with pytest.raises(ValueError):
        TrainConfig(**kwargs)
