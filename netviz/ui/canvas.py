"""The network drawing in the window: the shared renderer plus zoom, pan and hover.

Each frame is recorded into a QPicture by the shared renderer and handed to a plain QLabel,
which Qt plays back in C++ when it paints. Only the recording runs Python; the pixels (half
a frame's cost for the blog network, most of it for big ones) are filled without the GIL,
on the other core, while the trainer goes on. A Python paintEvent would hold the GIL for
the whole paint.
"""

import time
from collections import deque

import numpy as np
from PyQt6.QtCore import QPointF, QRect, Qt, pyqtSignal
from PyQt6.QtGui import QMouseEvent, QPainter, QPicture, QTransform, QWheelEvent
from PyQt6.QtWidgets import QLabel, QSizePolicy, QToolTip, QWidget

from netviz.player.run import Run
from netviz.render.painter import Frame, GeometryCache, paint_frame
from netviz.scene.scene import Scene, Think, edge_weights, neuron_biases
from netviz.scene.style import DEFAULT_THEME, THEMES, Theme, WeightScale

MIN_ZOOM, MAX_ZOOM = 0.25, 20.0


class NetworkCanvas(QWidget):
    """The drawing of a run at one epoch (a Panel); wheel zooms about the cursor, drag pans,
    double-click resets the view."""

    hovered = pyqtSignal(str)  # description of the neuron or synapse under the mouse, "" for none
    painted = pyqtSignal()  # a new frame has been handed to Qt to paint

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click here ends typing in a field: Space plays again
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        # Not subclassed, so that Qt paints them without calling into Python (see the module
        # note): the backdrop (background, legend, names), and over it the frame's picture.
        self.backdrop_label, self.screen_label = QLabel(self), QLabel(self)
        for label in (self.backdrop_label, self.screen_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.backdrop_label.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.frame: Frame | None = None
        self.scene: Scene | None = None
        self.run: Run | None = None
        self.theme: Theme = THEMES[DEFAULT_THEME]
        self.scale = WeightScale()
        self.antialias = True
        self._inputs = self._targets = None  # the row whose activations fill the neurons
        self._think: Think | None = None
        self._cache = GeometryCache()
        self._backdrop_shown = None
        self._zoom, self._pan = 1.0, QPointF(0, 0)
        self._drag_from: QPointF | None = None
        self.paint_count = 0  # frames recorded and handed to Qt
        self.last_painted_epoch = -1
        self.paint_seconds: deque[float] = deque(maxlen=4096)  # time to record each frame (the benchmark reads them)

    # ------------------------------------------------------------ the Panel
    def set_run(self, run: Run) -> None:
        self.run = run
        self.frame = None

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme

    def set_scale(self, scale: WeightScale) -> None:
        self.scale = scale

    def set_input(self, inputs: np.ndarray | None, targets: np.ndarray | None) -> None:
        self._inputs, self._targets = inputs, targets

    def set_think(self, think: Think | None) -> None:
        self._think = think

    def show_epoch(self, epoch: int) -> None:
        """Record the drawing of this epoch of the run, with the input, Think, theme and scale set."""
        run = self.run
        dataset = run.dataset
        plane = (dataset.inputs, dataset.targets) if dataset.n_in == 2 else None
        self.set_frame(
            Frame(
                run.config.arch, run.history.weights_at(epoch), self.theme, self.scale, run.labels, epoch,
                loss=run.history.loss, inputs=self._inputs, targets=self._targets, think=self._think, plane=plane,
                hover=self.frame.hover if self.frame is not None else None,
            )
        )  # fmt: skip

    def set_frame(self, frame: Frame) -> None:
        self.frame = frame
        self.refresh()

    def refresh(self) -> None:
        """Record the frame as it now looks and hand it to Qt, which paints it at its next chance."""
        if self.frame is None or self.width() <= 0 or self.height() <= 0:
            return
        start = time.perf_counter()
        picture = QPicture()
        painter = QPainter(picture)
        try:
            self.scene = paint_frame(
                painter, self.width(), self.height(), self.frame, self._cache,
                antialias=self.antialias, caption=True, sparkline=False, view=self.view_transform(),
                separate_backdrop=True,
            )  # fmt: skip
        finally:
            painter.end()
        # Lines zoomed past the edge must not move the picture: a label aligns its bounding rect.
        bounds = QRect(0, 0, self.width(), self.height())
        backdrop = self._cache.backdrop_now
        if backdrop is not self._backdrop_shown:
            backdrop.setBoundingRect(bounds)
            self.backdrop_label.setPicture(backdrop)
            self._backdrop_shown = backdrop
        picture.setBoundingRect(bounds)
        self.screen_label.setPicture(picture)
        self.paint_count += 1
        self.last_painted_epoch = self.frame.epoch
        self.paint_seconds.append(time.perf_counter() - start)
        self.painted.emit()

    def resizeEvent(self, event) -> None:
        for label in (self.backdrop_label, self.screen_label):
            label.move(0, 0)
            # A fixed size: a new picture every frame then asks for no new layout of the window.
            label.setFixedSize(self.size())
        self.refresh()

    def view_transform(self) -> QTransform | None:
        if self._zoom == 1.0 and self._pan.isNull():
            return None
        return QTransform().translate(self._pan.x(), self._pan.y()).scale(self._zoom, self._zoom)

    def reset_view(self) -> None:
        self._zoom, self._pan = 1.0, QPointF(0, 0)
        self.refresh()

    # Zoom and pan.
    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.0015 ** event.angleDelta().y()
        zoom = float(np.clip(self._zoom * factor, MIN_ZOOM, MAX_ZOOM))
        at = event.position()
        # Keep the point under the cursor fixed: at = pan + zoom * p.
        p = (at - self._pan) / self._zoom
        self._pan = at - p * zoom
        self._zoom = zoom
        self.refresh()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None
        self.unsetCursor()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.reset_view()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._pan += event.position() - self._drag_from
            self._drag_from = event.position()
            self.refresh()
            return
        text = self.describe_at(event.position())
        self._update_hover(event.position())
        self.hovered.emit(text)
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()

    def _update_hover(self, pos: QPointF) -> None:
        """Remember the neuron under the mouse: with decision maps, its map is drawn larger."""
        if self.scene is None or self.frame is None:
            return
        p = (pos - self._pan) / self._zoom
        neuron = self.scene.geometry.neuron_at(p.x(), p.y())
        if neuron != self.frame.hover:
            self.frame.hover = neuron
            if self.scene.maps is not None:
                self.refresh()

    def leaveEvent(self, event) -> None:
        if self.frame is not None and self.frame.hover is not None:
            self.frame.hover = None
            self.refresh()

    def describe_at(self, pos: QPointF) -> str:
        """What is under a widget position: a neuron's activation and bias, or a synapse's weight."""
        if self.scene is None or self.frame is None:
            return ""
        p = (pos - self._pan) / self._zoom
        g, frame = self.scene.geometry, self.frame
        labels = self.scene.labels
        neuron = g.neuron_at(p.x(), p.y())
        if neuron is not None:
            text = labels[neuron]
            value = self.scene.neuron_values[neuron]
            text += f": activation {value:.4g}" if np.isfinite(value) else ": (choose an input to see its activation)"
            bias = neuron_biases(frame.arch, frame.theta)[neuron]
            if g.layer_of[neuron] > 0:
                text += f", bias {bias:.4g}" if np.isfinite(bias) else ", no bias"
            return text
        edge = g.edge_at(p.x(), p.y(), tolerance=max(3.0, 4.0 / self._zoom))
        if edge is not None:
            w = edge_weights(frame.arch, frame.theta)[edge]
            return f"{labels[g.edge_source[edge]]} -> {labels[g.edge_target[edge]]}: w = {w:.2f}"
        return ""
