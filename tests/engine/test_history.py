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
