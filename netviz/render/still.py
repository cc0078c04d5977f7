"""Frames of a recorded run, and PNG stills: the same painting as the window."""

import os
import secrets

import numpy as np

from netviz.engine.history import History
from netviz.render import ensure_gui_app
from netviz.render.painter import Frame, GeometryCache, render_image
from netviz.scene.scene import neuron_labels
from netviz.scene.style import DEFAULT_WEIGHT_SCALE, THEMES, largest_weight, weight_scale


class RunFrames:
    """Builds the Frame of any epoch of a history, with one weight scale (of `scale_kind`) for the whole run."""

    def __init__(
        self, history: History, theme: str = "light", inputs=None, title: str = "",
        scale_kind: str = DEFAULT_WEIGHT_SCALE,
    ):  # fmt: skip
        arch, dataset = history.config.arch, history.dataset
        self.history, self.arch, self.theme, self.title = history, arch, THEMES[theme], title
        run_max = largest_weight(history.keyframes()[:, arch.weight_index()]) if scale_kind == "run" else None
        self.scale = weight_scale(scale_kind, run_max)
        self.labels = neuron_labels(arch.layers, dataset.input_names, dataset.target_names)
        self.inputs = None if inputs is None else np.asarray(inputs, dtype=np.float64)
        self.targets = None
        if self.inputs is not None:
            match = np.flatnonzero((dataset.inputs == self.inputs).all(axis=1))
            if len(match):
                self.targets = dataset.targets[match[0]]
        self.cache = GeometryCache()
        self.plane = (dataset.inputs, dataset.targets) if dataset.n_in == 2 and len(dataset) else None

    def frame(self, epoch: int, think=None) -> Frame:
        return Frame(
            self.arch, self.history.weights_at(epoch), self.theme, self.scale, self.labels, epoch,
            loss=self.history.loss, inputs=self.inputs, targets=self.targets, think=think, title=self.title,
            plane=self.plane,
        )  # fmt: skip


def save_atomically(image, path: str, fmt: str) -> None:
    """Save a QImage to path through a temporary file in the same folder, then rename.

    The temporary file is opened like any new file (not mkstemp's owner-only mode), so the
    picture gets the permissions the user's umask gives every other file.
    """
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".netviz-{secrets.token_hex(6)}.{fmt.lower()}")
    with open(tmp, "xb"):
        pass
    try:
        if not image.save(tmp, fmt):
            raise OSError(f"{path}: could not write the image")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_snapshot(
    path: str, history: History, epoch: int, size, theme: str, inputs, scale_kind: str = DEFAULT_WEIGHT_SCALE
) -> None:
    """A PNG of one epoch of the run, drawn as the window draws it."""
    ensure_gui_app()
    frames = RunFrames(history, theme, inputs, scale_kind=scale_kind)
    image = render_image(frames.frame(epoch), size[0], size[1], frames.cache)
    save_atomically(image, path, "PNG")
