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
from PyQt6.QtCore import QLineF, QPointF, QRect, QRectF, QSizeF, Qt, pyqtSignal
from PyQt6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPicture,
    QTransform,
    QWheelEvent,
)
from PyQt6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

from netviz.engine.session import epoch_name
from netviz.player.run import Run
from netviz.render.painter import Frame, GeometryCache, network_rect, paint_frame, panel_box
from netviz.render.primitives import painting
from netviz.render.still import trained_under
from netviz.scene.plane import has_map, plane_data
from netviz.scene.scene import Geometry, Scene, Think, edge_weights, neuron_biases, parameter_of
from netviz.scene.style import DEFAULT_THEME, THEMES, Theme, WeightScale

MIN_ZOOM, MAX_ZOOM = 0.25, 20.0
HIGHLIGHT_PEN = 2.5  # pixels: the outline of the hovered neuron or synapse, at any zoom
SELECTED_PEN = 3.5  # pixels: the outline of the selected one, in the signal colour
CLICK_SLOP = 4.0  # pixels a press may move and still be a click rather than a drag
DRAG_UNIT = 50.0  # pixels of drag along a synapse (or up a neuron) that change its weight (bias) by 1
TIP_GAPS = (14.0, 28.0, 56.0, 112.0, 224.0)  # pixels from the pointer to the tip, nearest tried first
TIP_CLEARANCE = 6.0  # pixels the tip keeps from the hovered item and from a map
NAME_ROOM = 14.0  # pixels around a neuron's disc a tip should leave free: its name is written there
# Where the renderer draws a hovered neuron's enlarged map: a square of this side, this far right
# of the neuron, kept this far inside the picture, with the neuron's name under it.
ENLARGED_MAP_SIDE, ENLARGED_MAP_GAP, ENLARGED_MAP_MARGIN, ENLARGED_MAP_CAPTION = 150.0, 8.0, 4.0, 18.0

Item = tuple[str, int]  # ("neuron", index) or ("synapse", index)


def enlarged_map_rect(geometry: Geometry, neuron: int, view: QTransform | None, width: int, height: int) -> QRectF:
    """The rectangle of a hovered neuron's enlarged map and its caption, as the renderer places them."""
    centre = QPointF(*geometry.centres[neuron])
    if view is not None:
        centre = view.map(centre)
    side = ENLARGED_MAP_SIDE
    left = min(max(ENLARGED_MAP_MARGIN, centre.x() + geometry.radii[neuron] + ENLARGED_MAP_GAP),
               width - side - ENLARGED_MAP_MARGIN)  # fmt: skip
    top = min(max(ENLARGED_MAP_MARGIN, centre.y() - side / 2), height - side - ENLARGED_MAP_MARGIN)
    return QRectF(left, top, side, side + ENLARGED_MAP_CAPTION)


def place_tip(size: QSizeF, pointer: QPointF, avoid: list[QPainterPath], bounds: QRectF,
              discs: np.ndarray | None = None) -> QRectF:  # fmt: skip
    """Where a tip of this size goes: near the pointer, inside bounds, clear of every shape in `avoid`
    and, where it can be, of the other neurons (`discs`, rows of x, y, radius).

    Tried nearest first, each gap in eight directions (below right first, as tooltips usually
    sit); if nothing is clear of `avoid`, the place that overlaps it the least.
    """
    w, h = size.width(), size.height()
    best, best_cost = None, (float("inf"), 0)
    for gap in TIP_GAPS:
        for dx, dy in ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)):
            x = pointer.x() + (gap if dx > 0 else -gap - w if dx < 0 else -w / 2)
            y = pointer.y() + (gap if dy > 0 else -gap - h if dy < 0 else -h / 2)
            rect = QRectF(x, y, w, h)
            if not bounds.contains(rect):
                continue
            cost = (sum(_overlap(shape, rect) for shape in avoid), _discs_covered(rect, discs))
            if cost == (0, 0):
                return rect
            if cost < best_cost:
                best, best_cost = rect, cost
    if best is None:  # a tip larger than the canvas: its corner at the canvas's
        best = QRectF(bounds.topLeft(), size)
    return best


def _discs_covered(rect: QRectF, discs: np.ndarray | None) -> int:
    """How many discs (rows of x, y, radius) the rectangle touches."""
    if discs is None or not len(discs):
        return 0
    nearest_x = np.clip(discs[:, 0], rect.left(), rect.right())
    nearest_y = np.clip(discs[:, 1], rect.top(), rect.bottom())
    return int((((discs[:, 0] - nearest_x) ** 2 + (discs[:, 1] - nearest_y) ** 2) <= discs[:, 2] ** 2).sum())


def _between_discs(line: QLineF, r1: float, r2: float) -> QLineF:
    """The part of a synapse between its two neurons' discs (the whole line if they overlap)."""
    if line.length() <= r1 + r2:
        return line
    unit = line.unitVector()
    step = QPointF(unit.dx(), unit.dy())
    return QLineF(line.p1() + step * r1, line.p2() - step * r2)


def _overlap(shape: QPainterPath, rect: QRectF) -> float:
    """How much of rect a shape covers (the area of their bounding boxes' meeting), 0 if they miss."""
    if not shape.intersects(rect):
        return 0.0
    meet = shape.boundingRect().intersected(rect)
    return max(meet.width() * meet.height(), 1.0)


class NetworkCanvas(QWidget):
    """The drawing of a run at one epoch (a Panel); wheel zooms about the cursor, drag pans,
    double-click resets the view."""

    hovered = pyqtSignal(str)  # description of the neuron or synapse under the mouse, "" for none
    painted = pyqtSignal()  # a new frame has been handed to Qt to paint
    item_clicked = pyqtSignal(object)  # ("neuron" | "synapse", index) clicked, or None for a click on nothing
    value_drag_started = pyqtSignal()  # the selected item's value is being dragged
    value_dragged = pyqtSignal(int, float)  # position in theta, value it was dragged to (on release)
    plane_clicked = pyqtSignal(float, float, object, object)  # x, y on the plane, Qt.MouseButton, modifiers

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
        # Over the frame: the hovered item's outline (a small picture of its own, recorded only
        # while something is hovered), and the tip that describes it.
        self.highlight_label = QLabel(self)
        self.highlight_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.highlight_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.tip = QLabel(self)
        self.tip.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.tip.setFrameShape(QFrame.Shape.Box)
        self.tip.setMargin(4)
        self.tip.setAutoFillBackground(True)
        self.tip.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.tip.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.tip.hide()
        self.hovered_item: Item | None = None
        self._pointer = QPointF()  # where the pointer last hovered
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
        self._press_at: QPointF | None = None  # where the left button went down: a click if released near it
        self.editable = False  # the selected weight or bias may be dragged (a run that trains on)
        self.selected_item: Item | None = None
        self.editing = False  # a value editor describes the selected item: no tip for it
        self.plane_hint = ""  # what a click on the output's map does, said in the status bar on hover
        self.discretize = False  # the output's maps without confidence shading (View > Discretize output)
        self.preview: tuple[int, float] | None = None  # (position in theta, value) while a value is dragged
        self._value_drag: tuple[QPointF, float, QPointF] | None = None  # press point, start value, direction
        self.paint_count = 0  # frames recorded and handed to Qt
        self.last_painted_epoch = -1
        self.paint_seconds: deque[float] = deque(maxlen=4096)  # time to record each frame (the benchmark reads them)

    # ------------------------------------------------------------ the Panel
    def set_run(self, run: Run) -> None:
        self.run = run
        self.frame = None
        self.hovered_item = self.selected_item = None  # its index may not exist in this run's network
        self.preview = self._value_drag = None
        self.tip.hide()
        self._record_highlight()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        palette = self.tip.palette()
        palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(theme.background))
        palette.setColor(QPalette.ColorRole.ToolTipText, QColor(theme.text))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.muted))  # the frame
        self.tip.setPalette(palette)

    def set_scale(self, scale: WeightScale) -> None:
        self.scale = scale

    def set_input(self, inputs: np.ndarray | None, targets: np.ndarray | None) -> None:
        self._inputs, self._targets = inputs, targets

    def set_think(self, think: Think | None) -> None:
        self._think = think

    def show_epoch(self, epoch: int) -> None:
        """Record the drawing of this epoch of the run, with the input, Think, theme and scale set."""
        run = self.run
        config, dataset = trained_under(run.history, epoch)  # an edited run's rows and activations of then
        theta = run.history.weights_at(epoch)
        if self.preview is not None:
            theta = theta.copy()
            theta[self.preview[0]] = self.preview[1]
        self.set_frame(
            Frame(
                config.arch, theta, self.theme, self.scale, run.labels, epoch,
                loss=run.history.loss, inputs=self._inputs, targets=self._targets, think=self._think,
                plane=plane_data(dataset), discretize=self.discretize,
                epoch_name=epoch_name(run.history, epoch), hover=self.frame.hover if self.frame is not None else None,
            )
        )  # fmt: skip

    def dataset_at(self, epoch: int):
        """The rows epoch trained on: its segment's (a run may have points added or removed mid-way)."""
        history = self.run.history
        segment_at = getattr(history, "segment_at", None)  # a recording has one set of rows
        return self.run.dataset if segment_at is None else segment_at(epoch).dataset

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
        if self.hovered_item is not None or self.selected_item is not None:  # moved (zoom, pan, size) or changed
            self._record_highlight()
            if self.tip.isVisible():  # a live reading while it trains
                self._show_tip(self.describe(self.hovered_item))
        self.paint_count += 1
        self.last_painted_epoch = self.frame.epoch
        self.paint_seconds.append(time.perf_counter() - start)
        self.painted.emit()

    def resizeEvent(self, event) -> None:
        for label in (self.backdrop_label, self.screen_label, self.highlight_label):
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
        pos = event.position()
        point = self.plane_point(pos)
        if point is not None:  # the output's map: painting data (see ui/edit_tools.py)
            self.plane_clicked.emit(point[0], point[1], event.button(), event.modifiers())
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        item = self.item_at(pos)
        if self.editable and item is not None and item == self.selected_item and self._start_value_drag(pos, item):
            return
        self._press_at = self._drag_from = pos
        self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._value_drag is not None:
            self._value_drag = None
            self.unsetCursor()
            if self.preview is not None:
                position, value = self.preview
                self.value_dragged.emit(position, value)
            return
        press, self._press_at, self._drag_from = self._press_at, None, None
        self.unsetCursor()
        if press is not None and (event.position() - press).manhattanLength() <= CLICK_SLOP:
            self.item_clicked.emit(self.item_at(event.position()))

    def plane_point(self, pos: QPointF) -> tuple[float, float] | None:
        """The point of the plane under a widget position on the output's map, None off it (or without one)."""
        if self.scene is None or self.scene.maps is None:
            return None
        box = panel_box(self.width(), self.height())
        if not box.contains(pos):
            return None
        x0, x1, y0, y1 = self.scene.maps.extent
        return (x0 + (pos.x() - box.left()) / box.width() * (x1 - x0),
                y1 - (pos.y() - box.top()) / box.height() * (y1 - y0))  # fmt: skip

    def select(self, item: Item | None) -> None:
        """Outline this item as the one being edited (None: nothing); drawn with the next frame if none is yet."""
        self.selected_item = item
        if self.frame is not None:
            self._record_highlight()

    def parameter(self, item: Item) -> int | None:
        """The position in theta of a synapse's weight or a neuron's bias (None for an input or without biases)."""
        return parameter_of(self.frame.arch, self.scene.geometry, *item)

    def _start_value_drag(self, pos: QPointF, item: Item) -> bool:
        """Begin dragging the selected item's value: along a synapse toward its target, or up for a bias."""
        position = self.parameter(item)
        if position is None:
            return False
        g = self.scene.geometry
        direction = QPointF(0.0, -1.0)
        if item[0] == "synapse":
            x1, y1, x2, y2 = g.segments[item[1]]
            length = max(float(np.hypot(x2 - x1, y2 - y1)), 1e-9)
            direction = QPointF((x2 - x1) / length, (y2 - y1) / length)
        self._value_drag = (pos, float(self.frame.theta[position]), direction)
        self.preview = (position, float(self.frame.theta[position]))
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self.value_drag_started.emit()
        return True

    def _drag_value(self, pos: QPointF) -> None:
        """The dragged value follows the pointer: DRAG_UNIT pixels along the direction per unit."""
        start, value, direction = self._value_drag
        moved = pos - start
        along = (moved.x() * direction.x() + moved.y() * direction.y()) / self._zoom
        self.preview = (self.preview[0], round(value + along / DRAG_UNIT, 3))
        self.show_epoch(self.frame.epoch)
        self._show_tip(self.describe(self.selected_item))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.reset_view()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._value_drag is not None:
            self._drag_value(event.position())
            return
        if self._drag_from is not None:
            self._pan += event.position() - self._drag_from
            self._drag_from = event.position()
            self.refresh()
            self.tip.hide()
            return
        self.hover(event.position())

    def hover(self, pos: QPointF) -> None:
        """The pointer is at pos: outline what is under it and describe it in a tip placed clear of it."""
        self._pointer = pos
        item = self.item_at(pos)
        self._update_hover(pos)
        if item != self.hovered_item:
            self.hovered_item = item
            self._record_highlight()
        text = self.describe(item)
        if text and self._can_edit(item):
            self.hovered.emit(f"{text}  (click to edit)" if item != self.selected_item else text)
        else:
            self.hovered.emit(text or (self.plane_hint if self.plane_point(pos) is not None else ""))
        self._show_tip(text)

    def _can_edit(self, item: Item | None) -> bool:
        """Whether a click on item selects it for editing: a synapse, or a neuron past the inputs with a bias."""
        if not self.editable or item is None:
            return False
        return item[0] == "synapse" or (self.frame.arch.bias and self.scene.geometry.layer_of[item[1]] > 0)

    def _show_tip(self, text: str) -> None:
        """The tip with this text, placed for the hovered item and the pointer; hidden for no text."""
        if not text or (self.editing and self.hovered_item == self.selected_item):
            self.tip.hide()
            return
        self.tip.setText(text)
        self.tip.adjustSize()
        avoid = self.keep_clear(self.hovered_item)
        rect = place_tip(QSizeF(self.tip.size()), self._pointer, avoid, QRectF(self.rect()), self._discs())
        self.tip.move(round(rect.x()), round(rect.y()))
        self.tip.show()
        self.tip.raise_()

    def tip_rect(self) -> QRectF | None:
        """Where the tip is shown, in the canvas's coordinates (None when hidden)."""
        return QRectF(self.tip.geometry()) if self.tip.isVisible() else None

    def _discs(self) -> np.ndarray:
        """Every neuron's disc as drawn, with its name above it: rows of x, y, radius."""
        g, view = self.scene.geometry, self.view_transform() or QTransform()
        zoom = view.m11()
        x = g.centres[:, 0] * zoom + view.dx()
        y = g.centres[:, 1] * zoom + view.dy()
        return np.column_stack([x, y, g.radii * zoom + NAME_ROOM])

    def keep_clear(self, item: Item | None) -> list[QPainterPath]:
        """What the tip must not cover, in widget coordinates: the item, the hovered neuron's enlarged
        map, the output's panel and the caption."""
        if item is None or self.scene is None:
            return []
        avoid = [self.item_shape(item, margin=TIP_CLEARANCE)]
        g = self.scene.geometry
        if self.scene.maps is not None:
            panel = QPainterPath()
            network = network_rect(self.width(), self.height(), panel=True)
            right = network.x + network.width
            panel.addRect(QRectF(right, 0, self.width() - right, self.height()))  # the panel's column
            avoid.append(panel)
            neuron = self.frame.hover
            if neuron is not None and has_map(self.scene.maps, g.layer_of[neuron]):
                enlarged = QPainterPath()
                box = enlarged_map_rect(g, neuron, self.view_transform(), self.width(), self.height())
                enlarged.addRect(box.adjusted(-TIP_CLEARANCE, -TIP_CLEARANCE, TIP_CLEARANCE, TIP_CLEARANCE))
                avoid.append(enlarged)
        # The caption (epoch and loss, top left) stays readable under a tip near the top.
        caption = QPainterPath()
        caption.addRect(QRectF(0, 0, self.width() / 2, network_rect(self.width(), self.height()).y))
        avoid.append(caption)
        return avoid

    def item_shape(self, item: Item, margin: float = 0.0) -> QPainterPath:
        """The outline of a neuron's disc or a synapse's line as drawn (zoom and pan applied), grown by margin."""
        g, view = self.scene.geometry, self.view_transform() or QTransform()
        kind, i = item
        path = QPainterPath()
        if kind == "neuron":
            centre, r = view.map(QPointF(*g.centres[i])), g.radii[i] * view.m11()
            path.addEllipse(centre, r + margin, r + margin)
            return path
        x1, y1, x2, y2 = g.segments[i]
        line = view.map(_between_discs(QLineF(x1, y1, x2, y2), g.radii[g.edge_source[i]], g.radii[g.edge_target[i]]))
        path.moveTo(line.p1())
        path.lineTo(line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(self._drawn_width(i) * view.m11() + 2 * margin)
        stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
        return stroker.createStroke(path)

    def _drawn_width(self, edge: int) -> float:
        w = edge_weights(self.frame.arch, self.frame.theta)[edge : edge + 1]
        return float(self.scale.width(w)[0])

    def _record_highlight(self) -> None:
        """The selected item outlined in the signal colour and the hovered one in the theme's text colour,
        which stand apart from both weight colours in every theme; nothing when there is neither."""
        picture = QPicture()
        outlines = [(item, colour, width) for item, colour, width in (
            (self.selected_item, self.theme.signal, SELECTED_PEN), (self.hovered_item, self.theme.text, HIGHLIGHT_PEN)
        ) if item is not None]  # fmt: skip
        if outlines and self.scene is not None:
            with painting(picture) as painter:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for item, colour, width in outlines:
                    pen = QPen(QColor(colour), width)
                    pen.setCosmetic(True)
                    painter.setPen(pen)
                    painter.drawPath(self.item_shape(item, margin=width))
        picture.setBoundingRect(QRect(0, 0, self.width(), self.height()))
        self.highlight_label.setPicture(picture)

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
        self.tip.hide()
        if self.hovered_item is not None:
            self.hovered_item = None
            self._record_highlight()
        if self.frame is not None and self.frame.hover is not None:
            self.frame.hover = None
            self.refresh()

    def item_at(self, pos: QPointF) -> Item | None:
        """The neuron under a widget position, else the synapse within a few pixels of it, else None."""
        if self.scene is None or self.frame is None:
            return None
        p = (pos - self._pan) / self._zoom
        g = self.scene.geometry
        neuron = g.neuron_at(p.x(), p.y())
        if neuron is not None:
            return ("neuron", neuron)
        edge = g.edge_at(p.x(), p.y(), tolerance=max(3.0, 4.0 / self._zoom))
        return None if edge is None else ("synapse", edge)

    def _in_data_units(self, i: int, value: float) -> str:
        """An input's value as the data gave it, where the network takes it scaled: " (5.84 in the data)"."""
        scaling = self.run.dataset.scaling if self.run is not None else None
        if scaling is None:
            return ""
        return f" ({value * scaling.scale[i] + scaling.shift[i]:.4g} in the data)"

    def describe_at(self, pos: QPointF) -> str:
        """What is under a widget position: a neuron's activation and bias, or a synapse's weight."""
        return self.describe(self.item_at(pos))

    def describe(self, item: Item | None) -> str:
        """A neuron's activation and bias, or a synapse's weight; "" for nothing."""
        if item is None:
            return ""
        g, frame, labels = self.scene.geometry, self.frame, self.scene.labels
        kind, i = item
        if kind == "neuron":
            text = labels[i]
            value = self.scene.neuron_values[i]
            text += f": activation {value:.4g}" if np.isfinite(value) else ": (choose an input to see its activation)"
            if g.layer_of[i] == 0 and np.isfinite(value):
                text += self._in_data_units(i, value)
            bias = neuron_biases(frame.arch, frame.theta)[i]
            if g.layer_of[i] > 0:
                text += f", bias {bias:.4g}" if np.isfinite(bias) else ", no bias"
            return text
        w = edge_weights(frame.arch, frame.theta)[i]
        return f"{labels[g.edge_source[i]]} -> {labels[g.edge_target[i]]}: w = {w:.2f}"
