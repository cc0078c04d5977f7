"""Exports caption the edits of a run as they pass: "epoch 300: learning rate 1 → 0.1"."""

import numpy as np

from netviz.engine import segments
from netviz.engine.data import blog
from netviz.engine.history import History
from netviz.engine.training import Trainer, blog_config
from netviz.export.animation import edit_notes, training_animation
from netviz.render.still import RunFrames


def edited_run() -> History:
    config, data = blog_config(), blog()
    history = History(config, data)
    Trainer(config, data).run(history, 300)
    segments.change_settings(history, 300, {"lr": 0.1})
    segments.train(history, 600)
    return history


def test_an_edit_is_captioned_for_the_frames_from_its_epoch_on_then_no_more():
    epochs = list(range(0, 601, 50))  # frames at 0, 50, ... 600: epoch 300 is frame 6
    notes = edit_notes(edited_run(), epochs, hold_frames=3)
    caption = "epoch 300: learning rate 1 → 0.1"
    assert notes == [""] * 6 + [caption] * 3 + [""] * 4


def test_an_edit_between_frames_is_captioned_from_the_first_frame_past_it():
    notes = edit_notes(edited_run(), [0, 290, 310, 600], hold_frames=1)
    assert notes == ["", "", "epoch 300: learning rate 1 → 0.1", ""]


def test_the_caption_is_drawn_in_the_frames_it_belongs_to(qapp):
    history = edited_run()
    animation = training_animation(RunFrames(history), [250, 300, 350], (480, 300), fps=1.0)
    plain = training_animation(RunFrames(history), [250, 300, 350], (480, 300), fps=1.0, caption=False)
    band = slice(0, 30)  # the caption's band at the top
    with_note, without_note = animation.frame(1)[band], animation.frame(0)[band]
    # The frame at the edit writes more text in its caption than the frame before it.
    assert ink(with_note) > ink(without_note) + 200
    assert not np.array_equal(animation.frame(1)[band], plain.frame(1)[band])


def ink(pixels: np.ndarray) -> int:
    """How many pixels differ from the background (the top right corner's colour)."""
    return int((pixels != pixels[0, -1]).sum())
