"""The timeline's epoch axis (no Qt)."""

import numpy as np
import pytest

from netviz.player.axis import EpochAxis, default_kind, epoch_text


def test_log_axis_gives_the_early_epochs_room():
    axis = EpochAxis(0, 60_000, "log")
    assert axis.to_unit(0) == 0.0
    assert axis.to_unit(60_000) == pytest.approx(1.0)
    assert axis.to_unit(2_000) > 0.6  # linear would put it at 0.033


def test_from_unit_inverts_to_unit():
    for kind in ("log", "linear"):
        axis = EpochAxis(0, 60_000, kind)
        for epoch in (0, 1, 7, 250, 2_000, 59_999, 60_000):
            assert abs(axis.from_unit(axis.to_unit(epoch)) - epoch) <= max(1, epoch * 1e-9)


def test_zoomed_axis_maps_its_range_to_the_full_width():
    axis = EpochAxis(0, 60_000, "log").zoomed(3_000, 100)
    assert (axis.lo, axis.hi) == (100, 3_000)
    assert axis.to_unit(100) == 0.0 and axis.to_unit(3_000) == pytest.approx(1.0)
    assert axis.from_unit(-1) == 100 and axis.from_unit(2) == 3_000


def test_ticks_are_round_and_inside():
    assert EpochAxis(0, 60_000, "log").ticks() == [0, 1, 10, 100, 1_000, 10_000]
    linear = EpochAxis(0, 60_000, "linear").ticks()
    assert linear[0] == 0 and all(t % 10_000 == 0 for t in linear) and linear[-1] <= 60_000
    assert np.all(np.diff(EpochAxis(0, 7, "linear").ticks()) >= 1)


def test_defaults_and_labels():
    assert default_kind(60_000) == "log" and default_kind(500) == "linear"
    assert [epoch_text(v) for v in (500, 2_500, 1_500_000)] == ["500", "2.5k", "1.5M"]
    with pytest.raises(ValueError):
        EpochAxis(5, 5)
