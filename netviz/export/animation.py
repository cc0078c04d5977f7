"""What an export shows: frames rendered on demand by the same painter as the window."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from netviz.engine.segments import describe
from netviz.export.options import ExportOptions
from netviz.export.schedule import epoch_schedule
from netviz.render.painter import render_image
from netviz.render.still import RunFrames, input_caption
from netviz.scene.scene import Think

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Animation:
    """n_frames pictures of one size; frame(i) renders picture i as (height, width) uint32 0xffRRGGBB."""

    size: tuple[int, int]  # (width, height) in pixels
    n_frames: int
    frame: Callable[[int], np.ndarray]
    fps: float = 20.0
    hold_s: float = 0.0  # the last frame stays this many seconds longer
    loop: int = 0  # how many times it plays; 0 = forever (GIF, WebP)
    exact_colours: tuple[RGB, ...] = ()  # colours a GIF palette must keep exact (the theme's)
    background: RGB = (255, 255, 255)


def pixels(image) -> np.ndarray:
    """A QImage in Format_RGB32 as a (height, width) uint32 array of 0xffRRGGBB (a copy)."""
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    words = np.frombuffer(ptr, dtype=np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    return words[:, : image.width()].copy()


def to_rgb(frame: np.ndarray) -> np.ndarray:
    """(height, width) uint32 0xffRRGGBB -> (height, width, 3) uint8 RGB."""
    return np.stack([(frame >> 16) & 255, (frame >> 8) & 255, frame & 255], axis=-1).astype(np.uint8)


EDIT_NOTE_SECONDS = 2.0  # how long the caption says what an edit of the run changed, once it has passed


def edit_notes(history, epochs: list[int], hold_frames: int) -> list[str]:
    """Per frame of `epochs`: "epoch 3,000: learning rate 1 → 0.1" for hold_frames frames from the edit, else ""."""
    notes = [""] * len(epochs)
    for segment in getattr(history, "segments", [])[1:]:
        first = next((i for i, epoch in enumerate(epochs) if epoch >= segment.start), None)
        if first is None:
            continue
        text = f"epoch {segment.start:,}: {describe(segment.edit)}"
        for i in range(first, min(len(epochs), first + max(1, hold_frames))):
            notes[i] = text
    return notes


def training_animation(
    frames: RunFrames,
    epochs,
    size: tuple[int, int],
    fps: float = 20.0,
    caption: bool = True,
    hold_s: float = 0.0,
    loop: int = 0,
) -> Animation:
    """The network at each of `epochs`, as the app draws it; captions name the epoch and loss."""
    epochs = [int(e) for e in epochs]
    width, height = size
    notes = edit_notes(frames.history, epochs, round(EDIT_NOTE_SECONDS * fps)) if caption else [""] * len(epochs)

    def frame(i: int) -> np.ndarray:
        image = render_image(
            frames.frame(epochs[i], title=notes[i]), width, height, frames.cache, caption=caption, sparkline=caption
        )
        return pixels(image)

    return _animation(frames, size, len(epochs), frame, fps, hold_s, loop)


def think_animation(
    frames: RunFrames,
    epoch: int,
    n_frames: int,
    size: tuple[int, int],
    fps: float = 20.0,
    caption: bool = True,
    hold_s: float = 0.0,
    loop: int = 0,
) -> Animation:
    """One forward pass of frames.inputs through the network at `epoch`, inputs lit to output lit."""
    if frames.inputs is None:
        raise ValueError("a forward pass needs an input")
    width, height = size
    end = len(frames.arch.layers) - 1
    progress = np.linspace(0.0, end, n_frames) if n_frames > 1 else np.array([float(end)])

    def frame(i: int) -> np.ndarray:
        think = Think(float(progress[i]), frames.targets)
        image = render_image(
            frames.frame(epoch, think), width, height, frames.cache, caption=caption, sparkline=caption
        )
        return pixels(image)

    return _animation(frames, size, n_frames, frame, fps, hold_s, loop)


def _animation(frames: RunFrames, size, n_frames, frame, fps, hold_s, loop) -> Animation:
    theme = frames.theme
    return Animation(
        size=(int(size[0]), int(size[1])), n_frames=int(n_frames), frame=frame, fps=float(fps),
        hold_s=float(hold_s), loop=int(loop), exact_colours=tuple(theme.palette()), background=theme.rgb("background"),
    )  # fmt: skip


def animation_for(history, options: ExportOptions) -> Animation:
    """The animation that filled-in options (ExportOptions.for_run) describe, of history's run."""
    o = options
    if o.think:
        title = input_caption(history.dataset, o.input)  # in the data's units, not the scaled ones it trains on
        run = RunFrames(history, o.theme, o.input, title=title, scale_kind=o.weight_scale)
        return think_animation(run, o.end, o.frames, o.size, o.fps, o.caption, o.hold, o.loop)
    run = RunFrames(history, o.theme, o.input, scale_kind=o.weight_scale)
    epochs = epoch_schedule(o.start, o.end, o.frames, o.schedule, history)
    return training_animation(run, epochs, o.size, o.fps, o.caption, o.hold, o.loop)
