import numpy as np
import pytest

from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer


def reference_thetas(config, dataset, epochs):
    """theta after every epoch, by stepping a separate trainer and copying each time."""
    trainer, thetas = Trainer(config, dataset), []
    thetas.append(trainer.theta.copy())
    for _ in range(epochs):
        trainer.advance(1)
        thetas.append(trainer.theta.copy())
    return thetas


@pytest.mark.parametrize("batch", [None, 2])
def test_every_epoch_is_exact_after_keyframes_thin_out(batch):
    config = TrainConfig(Architecture.of((3, 4, 1), bias=True), batch=batch, epochs=300)
    dataset = blog()
    n_params = config.arch.n_params
    history = History(config, dataset, budget_bytes=int(40 * 8 * n_params / 0.7))  # room for 40 keyframes
    Trainer(config, dataset).run(history, 300)
    assert history.stride > 1
    thetas = reference_thetas(config, dataset, 300)
    for epoch in [0, 1, 37, 38, 150, 299, 300, *range(200, 215)]:
        assert np.array_equal(history.weights_at(epoch), thetas[epoch]), epoch
    expected_out = config.arch.forward(thetas[250], dataset.inputs)[-1]
    assert np.array_equal(history.outputs_at(250), expected_out)
    assert len(history.loss) == 301


def test_blog_run_is_stored_whole():
    config = TrainConfig()
    history = History(config, blog())
    Trainer(config, blog()).run(history, 60_000)
    assert history.stride == 1
    assert history.latest_epoch == 60_000


def test_big_network_stays_within_budget():
    config = TrainConfig(Architecture.of((64, 128, 64, 10)), lr=0.001, epochs=400)
    rng = np.random.default_rng(0)
    dataset = Dataset(rng.uniform(size=(16, 64)), rng.uniform(size=(16, 10)))
    budget = 16 * 2**20
    history = History(config, dataset, budget_bytes=budget)
    Trainer(config, dataset).run(history, 400)
    assert history.nbytes() <= budget
    assert history.stride > 1
    thetas = reference_thetas(config, dataset, 400)
    assert np.array_equal(history.weights_at(333), thetas[333])


def test_out_of_range_epoch_is_an_index_error():
    config = TrainConfig()
    history = History(config, blog())
    Trainer(config, blog()).run(history, 5)
    with pytest.raises(IndexError, match="epoch 6"):
        history.weights_at(6)


def reference_losses(config, dataset, epochs):
    """The mean squared error after every epoch, from a separate trainer."""
    trainer, losses = Trainer(config, dataset), []
    for _ in range(epochs + 1):
        losses.append(trainer.evaluate()[1])
        trainer.advance(1)
    return np.array(losses)


def test_a_long_run_keeps_weights_and_loss_within_a_small_budget_and_exact():
    config, dataset, epochs = TrainConfig(epochs=3000), blog(), 3000
    budget = 16 * 2**10  # room for about 100 keyframes and 300 exact losses of the blog's network
    history = History(config, dataset, budget_bytes=budget)
    Trainer(config, dataset).run(history, epochs)
    assert history.nbytes() <= budget
    assert history.loss_exact_until < epochs // 5 and history.stride > 1
    reference = reference_losses(config, dataset, epochs)
    np.testing.assert_allclose(reference[1234], np.mean((dataset.targets - history.outputs_at(1234)) ** 2), rtol=1e-15)
    assert len(history.loss) == epochs + 1
    assert np.array_equal(np.asarray(history.loss), reference)
    assert history.loss[2999] == reference[2999] and history.loss[-1] == reference[-1]
    assert np.array_equal(history.loss[2990:2995], reference[2990:2995])
    # Past the exact part, each bucket keeps the extremes of its epochs: enough to draw the curve.
    firsts, lows, highs = history.loss_buckets()
    assert firsts[0] == history.loss_exact_until
    for first, end, low, high in zip(firsts, [*firsts[1:], epochs + 1], lows, highs):
        assert (low, high) == (reference[first:end].min(), reference[first:end].max())


def test_a_history_extended_in_blocks_of_any_size_is_the_same():
    config, dataset = TrainConfig(epochs=700), blog()
    whole = History(config, dataset, budget_bytes=8 * 2**10)
    Trainer(config, dataset).run(whole, 700)
    pieces, trainer = History(config, dataset, budget_bytes=8 * 2**10), Trainer(config, dataset)
    for until in (1, 2, 3, 50, 51, 333, 600, 699, 700):
        trainer.run(pieces, until)
    assert (pieces.stride, pieces.loss_exact_until) == (whole.stride, whole.loss_exact_until)
    assert np.array_equal(np.asarray(pieces.loss), np.asarray(whole.loss))
    assert all(np.array_equal(a, b) for a, b in zip(pieces.loss_buckets(), whole.loss_buckets()))
    assert np.array_equal(pieces.keyframes(), whole.keyframes())
