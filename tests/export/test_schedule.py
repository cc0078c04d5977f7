import numpy as np
import pytest

from netviz.export.schedule import epoch_schedule


@pytest.mark.parametrize("kind", ["log", "linear"])
def test_every_fitting_schedule_runs_first_to_last_strictly_increasing(kind):
    for first in range(3):
        for last in range(first, first + 30):
            for frames in range(1, last - first + 2):
                epochs = epoch_schedule(first, last, frames, kind)
                assert len(epochs) == frames
                assert epochs[-1] == last
                assert frames == 1 or epochs[0] == first
                assert np.all(np.diff(epochs) > 0)


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
