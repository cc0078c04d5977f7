"""Frames of a recorded run, and PNG stills: the same painting as the window."""

import numpy as np

from netviz.atomic import write_bytes
from netviz.engine.data import Dataset
from netviz.engine.history import History
from netviz.engine.session import epoch_name
from netviz.engine.training import TrainConfig
from netviz.render import ensure_gui_app
from netviz.render.painter import Frame, GeometryCache, render_image
from netviz.scene.plane import plane_data
from netviz.scene.scene import neuron_labels
from netviz.scene.style import DEFAULT_WEIGHT_SCALE, THEMES, largest_weight, weight_scale


def trained_under(history, epoch: int) -> tuple[TrainConfig, Dataset]:
    """The configuration and training rows that `epoch` was trained under (its segment's; a recording has one)."""
    if len(getattr(history, "segments", ())) < 2:  # never edited: the run's own (a recording's may be set later)
        return history.config, history.dataset
    segment = history.segment_at(epoch)
    return segment.config, segment.dataset


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

    def frame(self, epoch: int, think=None, title: str | None = None) -> Frame:
        """The Frame of `epoch`; `title` (else the run's) leads its caption."""
        config, dataset = trained_under(self.history, epoch)  # an edited run's rows and activations of then
        plane = plane_data(dataset) if len(dataset) else None  # maps of data with rows, as the page
        return Frame(
            config.arch, self.history.weights_at(epoch), self.theme, self.scale, self.labels, epoch,
            loss=self.history.loss, inputs=self.inputs, targets=self.targets, think=think,
            title=self.title if title is None else title, epoch_name=epoch_name(self.history, epoch), plane=plane,
        )  # fmt: skip


def input_caption(dataset, inputs) -> str:
    """The caption of a forward pass, "input 5.3, 3.1, 1.2, 0.1", in the data's own units: the values the
    network takes are unscaled where the data was scaled, and for features of a point that include x and y
    the point is given ("point 0.5, -0.2")."""
    values = np.asarray(inputs, dtype=np.float64).ravel()
    if dataset.scaling is not None:
        values = dataset.scaling.original(values)
    if dataset.features and {"x", "y"} <= set(dataset.features):
        point = values[[dataset.features.index("x"), dataset.features.index("y")]]
        return "point " + ", ".join(f"{v:g}" for v in point)
    return "input " + ", ".join(f"{v:g}" for v in values)


def png_bytes(image) -> bytes:
    """A QImage encoded as PNG."""
    from PyQt6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ValueError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data)


def save_still(path: str, frame: Frame, size: tuple[int, int], cache: GeometryCache | None = None) -> None:
    """Draw frame at size (width, height) and write it to path as a PNG, atomically (WriteError on failure).

    The one path for stills: `netviz snapshot` and the window's Save picture.
    """
    ensure_gui_app()
    write_bytes(path, png_bytes(render_image(frame, size[0], size[1], cache)))


def save_snapshot(
    path: str, history: History, epoch: int, size, theme: str, inputs, scale_kind: str = DEFAULT_WEIGHT_SCALE
) -> None:
    """The still of one epoch of a run, as `netviz snapshot` draws it."""
    frames = RunFrames(history, theme, inputs, scale_kind=scale_kind)
    save_still(path, frames.frame(epoch), size, frames.cache)
