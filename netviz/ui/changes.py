"""View > Show changes: each synapse glows by how much its weight moved since the last frame drawn,
so that playing shows where the network is learning now, not only what it has learnt."""

import numpy as np
from PyQt6.QtCore import QLineF, Qt
from PyQt6.QtGui import QPainter, QPen
from PyQt6.QtWidgets import QWidget

from netviz.render.painter import painting, qcolor
from netviz.scene.learn import change_glow
from netviz.scene.scene import edge_weights

GLOW_LEVELS = 4  # pens from faint and thin to bright and wide
SMOOTH_UP_TO = 40  # glowing synapses drawn smooth (when paused)


class ChangesOverlay(QWidget):
    """Lies over the network canvas (mouse events pass through) and draws the glow of its last frame."""

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._shown_epoch = None
        self._weights = None  # the synapses' weights in the frame drawn last (n_edges,)
        self.glowing, self.strength = np.zeros(0, np.intp), np.zeros(0)
        canvas.painted.connect(self._on_painted)
        self.hide()

    def set_shown(self, on: bool) -> None:
        self._weights, self._shown_epoch = None, None
        self.glowing, self.strength = np.zeros(0, np.intp), np.zeros(0)
        self.setVisible(on)  # made after the canvas' own labels, so above them (and below Learn mode's view)
        if on:
            self.setGeometry(self.canvas.rect())

    def _on_painted(self) -> None:
        """A new frame: the glow is the change from the previous epoch drawn (kept while the epoch stays)."""
        frame = self.canvas.frame
        if not self.isVisible() or frame is None:
            return
        self.setGeometry(self.canvas.rect())
        weights = edge_weights(frame.arch, frame.theta)
        if frame.epoch != self._shown_epoch:
            if self._weights is not None and len(self._weights) == len(weights):
                self.glowing, self.strength = change_glow(self._weights, weights)
            self._weights, self._shown_epoch = weights, frame.epoch
            self.update()

    def paintEvent(self, event) -> None:
        scene = self.canvas.scene
        if scene is None or not len(self.glowing):
            return
        g = scene.geometry
        colour = scene.theme.rgb("signal")
        with painting(self) as painter:
            # Measured here: 200 wide translucent lines take ~300 ms smooth and ~20 ms plain, so they
            # are smooth only when the canvas is (paused), and only a few.
            smooth = self.canvas.antialias and len(self.glowing) <= SMOOTH_UP_TO
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
            view = self.canvas.view_transform()
            if view is not None:
                painter.setTransform(view)
            levels = np.minimum((self.strength * GLOW_LEVELS).astype(int), GLOW_LEVELS - 1)
            for level in range(GLOW_LEVELS):
                # A wide, translucent halo: the synapse's own colour still shows through its middle.
                pen = QPen(qcolor(colour, 60 + 30 * level), 5.0 + 5.0 * level)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                painter.drawLines([QLineF(*line) for line in _between_neurons(g, self.glowing[levels == level])])


def _between_neurons(g, edges: np.ndarray) -> list:
    """The synapses' segments cut back to the neurons' rims, so that the glow leaves the discs clear."""
    seg = g.segments[edges]
    d = seg[:, 2:] - seg[:, :2]
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)[:, None]
    unit = d / length
    start = seg[:, :2] + unit * g.radii[g.edge_source[edges]][:, None]
    end = seg[:, 2:] - unit * g.radii[g.edge_target[edges]][:, None]
    return np.hstack([start, end]).tolist()
