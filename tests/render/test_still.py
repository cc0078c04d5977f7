"""RunFrames: one weight scale for a whole run, of the kind asked for."""

import numpy as np
import pytest

from netviz.engine import History, Trainer, blog, blog_config
from netviz.render.still import RunFrames


def blog_history(epochs: int) -> History:
    config, data = blog_config(), blog()
    history = History(config, data)
    Trainer(config, data).run(history, epochs)
    return history


@pytest.fixture(scope="module")
def short_and_long():
    """The blog's run early (largest |w| about 1) and later (about 6): what a live run goes through."""
    return blog_history(10), blog_history(3000)


@pytest.mark.parametrize("kind", ["log", "clamp"])
def test_fixed_scales_draw_a_weight_the_same_early_and_late_in_a_run(short_and_long, kind):
    short, long = short_and_long
    early, late = RunFrames(short, scale_kind=kind), RunFrames(long, scale_kind=kind)
    assert early.scale == late.scale
    w = short.weights_at(10)
    assert np.array_equal(early.scale.width(w), late.scale.width(w))


def test_the_run_scale_follows_the_runs_largest_weight(short_and_long):
    short, long = short_and_long
    early, late = RunFrames(short, scale_kind="run"), RunFrames(long, scale_kind="run")
    assert early.scale.max_abs < late.scale.max_abs
    assert late.scale.max_abs >= np.abs(long.weights_at(3000)).max()


def test_the_default_is_the_log_scale(short_and_long):
    assert RunFrames(short_and_long[0]).scale.kind == "log"
    assert RunFrames(short_and_long[0]).frame(5).scale.kind == "log"
