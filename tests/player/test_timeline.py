"""The timeline's shared axis: kind, zoom and extent follow the playback model (no Qt)."""

import numpy as np
import pytest

from netviz.player.axis import EpochAxis
from netviz.player.model import Playback
from netviz.player.timeline import Timeline


def axes_seen(timeline: Timeline) -> list[EpochAxis]:
    seen: list[EpochAxis] = []
    timeline.events.axis.connect(seen.append)
    return seen


def test_a_long_run_defaults_to_log_and_a_short_one_to_linear():
    assert Timeline(Playback(latest=60_000)).axis() == EpochAxis(0, 60_000, "log")
    assert Timeline(Playback(latest=500)).axis() == EpochAxis(0, 500, "linear")


def test_a_run_that_trains_on_spans_its_target_so_the_axis_holds_still_while_it_trains():
    playback = Playback(latest=0, target=60_000, can_train=True)
    timeline = Timeline(playback)
    seen = axes_seen(timeline)
    assert timeline.axis() == EpochAxis(0, 60_000, "log")
    for latest in (10, 2_000, 60_000):
        playback.set_latest(latest)
    assert seen == []
    playback.set_target(100_000)
    assert seen == [EpochAxis(0, 100_000, "log")]


def test_a_recording_spans_its_epochs_and_grows_with_them():
    playback = Playback(latest=900, can_train=False)
    timeline = Timeline(playback)
    seen = axes_seen(timeline)
    playback.set_latest(5_000)
    assert seen == [EpochAxis(0, 5_000, "log")]  # past 1,000 epochs the default turns to log


def test_a_chosen_kind_holds_until_a_new_run():
    playback = Playback(latest=900)
    timeline = Timeline(playback)
    timeline.set_kind("log")
    playback.set_latest(500)
    assert timeline.axis().kind == "log"
    timeline.reset()
    assert timeline.axis() == EpochAxis(0, 500, "linear")
    with pytest.raises(ValueError, match="unknown axis"):
        timeline.set_kind("sqrt")


def test_zoom_is_clamped_ordered_and_reset():
    timeline = Timeline(Playback(latest=60_000))
    seen = axes_seen(timeline)
    timeline.zoom_to(3_000, 100)
    assert timeline.zoom == (100, 3_000) and timeline.axis() == EpochAxis(100, 3_000, "log")
    timeline.zoom_to(-50, 70_000)  # the whole axis is no zoom
    assert timeline.zoom is None
    timeline.zoom_to(7, 7)
    assert timeline.axis() == EpochAxis(7, 8, "log")
    timeline.reset_zoom()
    assert seen[-1] == EpochAxis(0, 60_000, "log") and len(seen) == 4


def test_zoom_keeps_its_kind_and_outlives_a_growing_run_but_not_a_shorter_one():
    playback = Playback(latest=60_000, target=60_000, can_train=True)
    timeline = Timeline(playback)
    timeline.zoom_to(0, 62)
    playback.set_target(80_000)
    assert timeline.axis() == EpochAxis(0, 62, "log")
    timeline.set_kind("linear")
    assert timeline.axis() == EpochAxis(0, 62, "linear")
    playback.reset(latest=40, target=40, can_train=False)
    assert timeline.zoom is None and timeline.axis() == EpochAxis(0, 40, "linear")
    timeline.zoom_to(10, 20)
    playback.set_latest(5)  # the zoomed range is gone
    assert timeline.zoom is None and timeline.axis() == EpochAxis(0, 5, "linear")


def test_log_axis_gives_the_early_epochs_most_of_the_width():
    axis = Timeline(Playback(latest=60_000)).axis()
    assert axis.to_unit(2_000) > 0.6 and axis.to_unit(0) == 0.0


@pytest.mark.parametrize("kind", ["log", "linear"])
@pytest.mark.parametrize(("lo", "hi"), [(0, 60_000), (0, 62), (100, 3_000), (5, 6)])
def test_bin_edges_put_every_epoch_in_the_slice_its_position_falls_in(kind, lo, hi):
    axis = EpochAxis(lo, hi, kind)
    n = 97
    edges = axis.bin_edges(n)
    assert edges[0] == lo and edges[-1] == hi + 1 and np.all(np.diff(edges) >= 0)
    epochs = np.arange(lo, hi + 1)
    slices = np.searchsorted(edges, epochs, side="right") - 1
    expected = np.minimum(np.floor(axis.to_unit(epochs) * n + 1e-9), n - 1)
    assert np.array_equal(slices, expected)
