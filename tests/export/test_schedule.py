import numpy as np
import pytest

from netviz.engine.data import blog
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.presets import preset
from netviz.engine.training import TrainConfig, Trainer
from netviz.export.schedule import cumulative_change, epoch_schedule


class PathHistory:
    """Weights that follow a given path: theta at epoch e is path[e]; records the epochs read."""

    def __init__(self, path, stride: int = 1):
        self.path, self.stride, self.read = np.asarray(path, dtype=np.float64), stride, []

    def weights_at(self, epoch: int) -> np.ndarray:
        self.read.append(epoch)
        return self.path[epoch].copy()


def trained(config: TrainConfig, dataset, budget_bytes=None) -> History:
    history = History(config, dataset) if budget_bytes is None else History(config, dataset, budget_bytes)
    Trainer(config, dataset).run(history, config.epochs)
    return history


@pytest.fixture(scope="module")
def spiral_run() -> History:
    """The README's spiral recipe: 2,8,8,1 tanh with biases, lr 10/200 points, 3,000 epochs."""
    arch = Architecture((2, 8, 8, 1), ("tanh", "tanh", "sigmoid"), bias=True)
    return trained(TrainConfig(arch, lr=0.05, epochs=3_000), preset("spiral"))


@pytest.fixture(scope="module")
def blog_run() -> History:
    return trained(TrainConfig(), blog())


def frame_steps(history, epochs) -> np.ndarray:
    """How far the weights move from each frame to the next (Euclidean, exact weights)."""
    thetas = np.array([history.weights_at(int(e)) for e in epochs])
    return np.linalg.norm(np.diff(thetas, axis=0), axis=1)


def spread(history, epochs) -> float:
    """The criterion for the default schedule: std / mean of the per-frame weight change (0 = even)."""
    steps = frame_steps(history, epochs)
    return float(steps.std() / steps.mean())


@pytest.mark.parametrize("kind", ["change", "log", "linear"])
def test_every_fitting_schedule_runs_first_to_last_strictly_increasing(kind):
    walk = np.cumsum(np.random.default_rng(0).normal(size=(40, 3)) ** 3, axis=0)  # uneven steps
    for first in range(3):
        for last in range(first, first + 30):
            for frames in range(1, last - first + 2):
                epochs = epoch_schedule(first, last, frames, kind, PathHistory(walk))
                assert len(epochs) == frames
                assert epochs.dtype == np.int64
                assert epochs[-1] == last
                assert frames == 1 or epochs[0] == first
                assert np.all(np.diff(epochs) > 0)


def test_change_schedule_spends_its_frames_where_the_weights_move():
    path = np.clip(np.arange(101) - 50, 0, 10)[:, None]  # still, then one unit an epoch from 50 to 60, then still
    epochs = epoch_schedule(0, 100, 11, "change", PathHistory(path))
    assert epochs.tolist() == [0, *range(51, 60), 100]


def test_change_schedule_of_weights_that_never_move_is_linear():
    still = PathHistory(np.ones((101, 4)))
    assert epoch_schedule(0, 100, 5, "change", still).tolist() == [0, 25, 50, 75, 100]


def test_change_schedule_needs_the_history():
    with pytest.raises(ValueError, match="history"):
        epoch_schedule(0, 100, 5, "change")


def test_change_is_measured_on_stored_epochs_and_a_bounded_sample():
    history = PathHistory(np.arange(100_001, dtype=np.float64)[:, None] ** 0.5, stride=8)
    epochs, distance = cumulative_change(history, 3, 100_000, samples=500)
    assert len(history.read) == len(epochs) <= 2 * 500 + 2
    assert [e for e in history.read if e % 8] == [3]  # only the first epoch (the last is a multiple) is not stored
    assert epochs[0] == 3 and epochs[-1] == 100_000
    assert np.all(np.diff(epochs) > 0) and np.all(np.diff(distance) >= 0)
    assert distance[-1] == pytest.approx(100_000**0.5 - 3**0.5)


def test_change_schedule_of_a_thinned_history_follows_the_whole_one():
    config = TrainConfig(Architecture.of((3, 4, 1)), epochs=2_000)
    thinned = trained(config, blog(), budget_bytes=int(100 * 8 * config.arch.n_params / 0.7))
    assert thinned.stride == 32
    whole = epoch_schedule(0, 2_000, 50, "change", trained(config, blog()))
    epochs = epoch_schedule(0, 2_000, 50, "change", thinned)
    assert len(epochs) == 50 and np.all(np.diff(epochs) > 0) and epochs[-1] == 2_000
    assert np.abs(epochs - whole).max() <= thinned.stride // 4  # read at stored epochs only, yet close


def test_spiral_change_schedule_does_not_spend_half_its_frames_on_the_first_epochs(spiral_run):
    log = epoch_schedule(0, 3_000, 100, "log")
    change = epoch_schedule(0, 3_000, 100, "change", spiral_run)
    assert np.sum(log <= 95) >= 50  # what the log schedule does
    assert np.sum(change <= 95) < 10
    assert len(change) == 100 and change[0] == 0 and change[-1] == 3_000
    assert np.all(np.diff(change) > 0)


def test_blog_change_schedule_still_shows_the_early_learning(blog_run):
    epochs = epoch_schedule(0, 60_000, 100, "change", blog_run)
    assert len(epochs) == 100 and epochs[0] == 0 and epochs[-1] == 60_000
    assert np.all(np.diff(epochs) > 0)
    assert np.sum(epochs < 1_000) >= 40  # the first 2% of the run, where the loss falls 100x
    assert epochs[1] <= 10


@pytest.mark.parametrize("run", ["spiral_run", "blog_run"])
def test_change_schedule_spreads_the_motion_more_evenly_than_log(run, request):
    history = request.getfixturevalue(run)
    last = history.latest_epoch
    change = spread(history, epoch_schedule(0, last, 100, "change", history))
    log = spread(history, epoch_schedule(0, last, 100, "log"))
    assert change < 0.5 * log


def test_blog_run_log_schedule_spends_most_frames_early():
    epochs = epoch_schedule(0, 60_000, 100, "log")
    assert epochs[0] == 0 and epochs[-1] == 60_000
    assert np.all(np.diff(epochs) > 0)
    assert 40 <= np.sum(epochs < 1_000) <= 60  # the first 2% of the run, where the loss falls 100x
    assert np.sum(epochs > 30_000) < 15
    assert epochs[1] > 1  # but frames are not spent one epoch apart at the start


def test_linear_schedule_is_evenly_spaced():
    assert epoch_schedule(0, 100, 5, "linear").tolist() == [0, 25, 50, 75, 100]
    assert epoch_schedule(10, 13, 4, "linear").tolist() == [10, 11, 12, 13]


def test_log_schedule_fills_a_tight_range_with_consecutive_epochs():
    assert epoch_schedule(5, 9, 5, "log").tolist() == [5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    ("first", "last", "frames", "kind"),
    [(0, 10, 12, "log"), (0, 10, 0, "linear"), (5, 4, 1, "log"), (0, 10, 3, "cubic")],
)
def test_impossible_schedules_are_refused(first, last, frames, kind):
    with pytest.raises(ValueError):
        epoch_schedule(first, last, frames, kind)
