import numpy as np
import pytest

from netviz.engine import presets
from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.learn import epoch_batches, learn_step
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer

EPOCHS = 6  # epochs trained per case: enough that the weights have moved off their start


def trained(config: TrainConfig, dataset: Dataset) -> History:
    history = History(config, dataset)
    Trainer(config, dataset).run(history, config.epochs)
    return history


def xor_data() -> Dataset:
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.25]])
    return Dataset(x, np.array([[0], [1], [1], [0], [1]]))


def classes_data() -> Dataset:
    """Three classes, one-hot, for a softmax output."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [0.2, 0.7], [0.9, 0.1], [0.4, 0.4]])
    labels = [0, 1, 2, 0, 1, 2, 0]
    return Dataset(x, np.eye(3)[labels])


CASES = {  # name: (layers, activations, bias, lr, batch, order, data)
    "blog": ((3, 4, 1), "sigmoid", False, 1.0, None, "shuffled", blog),
    "tanh-bias-lr": ((2, 5, 1), ("tanh", "sigmoid"), True, 0.3, None, "shuffled", xor_data),
    "relu-linear": ((2, 4, 3, 1), ("relu", "relu", "linear"), True, 0.05, None, "shuffled", xor_data),
    "softmax": ((2, 4, 3), ("sigmoid", "softmax"), True, 0.5, None, "shuffled", classes_data),
    "minibatch-shuffled": ((3, 4, 1), "sigmoid", False, 1.0, 3, "shuffled", blog),
    "minibatch-in-order-bias": ((2, 3, 1), ("tanh", "sigmoid"), True, 0.7, 2, "in-order", xor_data),
    "rows-one-at-a-time-softmax": ((2, 3, 3), ("relu", "softmax"), True, 0.2, 1, "shuffled", classes_data),
    "linear-minibatch": ((2, 3, 1), "linear", False, 0.05, 4, "shuffled", xor_data),
}


@pytest.fixture(params=sorted(CASES), scope="module")
def run(request) -> History:
    layers, acts, bias, lr, batch, order, data = CASES[request.param]
    config = TrainConfig(Architecture.of(layers, acts, bias), lr=lr, batch=batch, seed=3, epochs=EPOCHS, order=order)
    return trained(config, data())


def test_the_steps_added_in_order_give_the_next_epochs_weights_bit_for_bit(run):
    for epoch in range(EPOCHS):
        step = learn_step(run, epoch)
        theta = run.weights_at(epoch)
        assert np.array_equal(step.theta, theta)
        for s in step.steps:
            w, b = run.config.arch.views(theta.copy())
            for layer, dw in enumerate(s.delta_w):
                w[layer] += dw
                if s.delta_b[layer] is not None:
                    b[layer] += s.delta_b[layer]
            theta = np.concatenate([part.ravel() for pair in zip(w, b) for part in pair if part is not None])
        assert np.array_equal(theta, run.weights_at(epoch + 1)), f"epoch {epoch}"


def test_the_epochs_delta_w_is_its_change_of_weights(run):
    step = learn_step(run, 2)
    after_w, after_b = run.config.arch.views(run.weights_at(3))
    for w, dw, w_next in zip(step.weights(), step.delta_w(), after_w):
        assert dw.shape == w.shape
        if len(step.steps) == 1:
            assert np.array_equal(w + dw, w_next)
        np.testing.assert_allclose(dw, w_next - w, rtol=0, atol=1e-15)
    for b, db, b_next in zip(step.biases(), step.delta_b(), after_b):
        assert (db is None) == (b is None) == (not run.config.arch.bias)
        if b is not None:
            np.testing.assert_allclose(b + db, b_next, rtol=0, atol=1e-15)


def test_full_batch_stages_are_the_blogs_formulas():
    history = trained(TrainConfig(epochs=3), blog())
    step = learn_step(history, 2).step
    w1, w2 = (w.copy() for w in history.config.arch.views(history.weights_at(2))[0])
    x, y = blog().inputs, blog().targets
    out1 = 1 / (1 + np.exp(-np.dot(x, w1)))
    out2 = 1 / (1 + np.exp(-np.dot(out1, w2)))
    delta2 = (y - out2) * (out2 * (1 - out2))
    delta1 = delta2.dot(w2.T) * (out1 * (1 - out1))
    np.testing.assert_array_equal(step.activations[1], out1)
    np.testing.assert_array_equal(step.activations[2], out2)
    np.testing.assert_array_equal(step.error, y - out2)
    np.testing.assert_array_equal(step.deltas[1], delta2)
    np.testing.assert_array_equal(step.deltas[0], delta1)
    np.testing.assert_array_equal(step.delta_w[0], x.T.dot(delta1))
    np.testing.assert_array_equal(step.delta_w[1], out1.T.dot(delta2))


def test_shares_of_the_rows_add_up_to_delta_w():
    config = TrainConfig(Architecture.of((3, 4, 1), bias=True), lr=0.5, epochs=2)
    step = learn_step(trained(config, blog()), 1)
    for layer in range(2):
        shares = step.shares(layer)
        assert shares.shape == (7, *step.weights()[layer].shape)
        np.testing.assert_allclose(shares.sum(axis=0), step.delta_w()[layer], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(step.share_sum(layer), shares.sum(axis=0), rtol=1e-12, atol=1e-15)
    one = learn_step(trained(config, blog()), 1, row=2)
    np.testing.assert_array_equal(one.share_sum(0), one.shares(0, slice(2, 3))[0])


def test_a_row_picks_the_step_that_trained_it():
    config = TrainConfig(batch=2, epochs=3, seed=5)
    history = trained(config, blog())
    batches = epoch_batches(config, 7, 1)
    assert sorted(np.concatenate(batches)) == list(range(7))
    assert [len(b) for b in batches] == [2, 2, 2, 1]
    for row in range(7):
        step = learn_step(history, 1, row=row)
        assert step.step.rows[step.row_index] == row
        np.testing.assert_array_equal(step.step.activations[0][step.shown_rows()], blog().inputs[row : row + 1])


def test_a_softmax_output_delta_is_target_minus_output():
    config = TrainConfig(Architecture.of((2, 4, 3), ("tanh", "softmax"), True), lr=0.5, epochs=2)
    step = learn_step(trained(config, classes_data()), 1).step
    np.testing.assert_array_equal(step.deltas[-1], step.error)
    np.testing.assert_allclose(step.activations[-1].sum(axis=1), 1.0)


def test_epoch_and_row_outside_the_run_are_refused_with_one_line():
    history = trained(TrainConfig(epochs=2), blog())
    with pytest.raises(ValueError, match=r"epoch 3 is not in the run \(0\.\.2\)"):
        learn_step(history, 3)
    with pytest.raises(ValueError, match=r"row 7 is not in the data \(0\.\.6\)"):
        learn_step(history, 0, row=7)


def test_a_preset_recipe_run_matches_after_many_epochs():
    spec_data = presets.xor_quadrants(seed=0, n=40)
    config = TrainConfig(Architecture.of((2, 6, 1), ("tanh", "sigmoid"), True), lr=0.1, batch=8, epochs=200)
    history = trained(config, spec_data)
    step = learn_step(history, 150)
    assert np.array_equal(step.theta_after, history.weights_at(151))


def test_a_run_without_rows_has_no_step_to_learn():
    empty = Dataset(np.zeros((0, 3)), np.zeros((0, 1)))
    history = History(TrainConfig(epochs=1), empty)
    history.extend(Architecture.of((3, 4, 1)).init_params(1)[None], np.array([0.0]))
    with pytest.raises(ValueError, match="no training rows"):
        learn_step(history, 0)


@pytest.mark.parametrize(("l1", "l2", "batch"), [(0.01, 0.0, None), (0.0, 0.05, None), (0.003, 0.02, 2)])
def test_penalised_steps_give_the_next_epochs_weights_bit_for_bit(l1, l2, batch):
    """An L1/L2 penalty joins Δw exactly where training adds it."""
    arch = Architecture.of((2, 4, 1), ("tanh", "sigmoid"), bias=True)
    config = TrainConfig(arch, lr=0.4, batch=batch, seed=5, epochs=EPOCHS, l1=l1, l2=l2)
    history = trained(config, xor_data())
    for epoch in range(EPOCHS):
        assert np.array_equal(learn_step(history, epoch).steps[-1].theta_after, history.weights_at(epoch + 1))


def test_a_step_after_a_change_learns_under_the_changed_settings():
    """Past a mid-run change of learning rate and L2, the step is the new segment's."""
    from netviz.engine import segments

    arch = Architecture.of((2, 3, 1), ("tanh", "sigmoid"), bias=True)
    config = TrainConfig(arch, lr=0.5, seed=2, epochs=10)
    history = History(config, xor_data())
    segments.train(history, 4)
    segments.change_settings(history, 4, {"lr": 2.0, "l2": 0.1})
    segments.resume(history).run(history, 10)
    for epoch in (2, 3, 4, 7):
        step = learn_step(history, epoch)
        assert step.lr == (0.5 if epoch < 4 else 2.0)
        assert np.array_equal(step.steps[-1].theta_after, history.weights_at(epoch + 1)), epoch
