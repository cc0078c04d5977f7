"""Editing the run from the drawing: a weight or bias set by drag or typed, points painted on the output's map,
and the Discretize output view.

Each edit starts a segment of the history at the shown epoch (engine/segments.py) and training goes
on from the edited network, so the run with its edits replays exactly.
"""

import numpy as np
from PyQt6.QtCore import QPointF, Qt, pyqtSignal
from PyQt6.QtGui import QAction, QPalette
from PyQt6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit

from netviz.engine import segments
from netviz.player.run import Run
from netviz.render.painter import panel_box
from netviz.render.plane import point_radius
from netviz.scene.plane import is_classification
from netviz.scene.style import Theme
from netviz.ui.live_edit import apply_edit

REMOVE_REACH = 16.0  # pixels: shift-click removes the nearest point within this distance of the pointer
EDITOR_WIDTH = 90  # pixels: the inline value editor's field
PAINT_HINTS = {  # by whether a class picker is shown
    False: "Click to add a point of class A (right click: B); shift-click removes the nearest point",
    True: "Click to add a point of the class picked at the top right; shift-click removes the nearest point",
}


class ValueField(QLineEdit):
    """The value being typed: Enter sets it, Escape leaves it."""

    cancelled = pyqtSignal()  # Escape pressed

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class ValueEditor(QFrame):
    """A small box beside the selected synapse or neuron: what it is ("h3 → out  w =") and its value."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.name = QLabel(self)
        self.name.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.field = ValueField(self)
        self.field.setFixedWidth(EDITOR_WIDTH)
        self.field.setToolTip("Type a value and press Enter to set it; Escape to leave it")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 2, 2)
        row.setSpacing(4)
        row.addWidget(self.name)
        row.addWidget(self.field)

    def open(self, name: str, value: float) -> None:
        self.name.setText(name)
        self.field.setText(f"{value:.4g}")
        self.adjustSize()


def _apply(window, make_segment, what: str) -> bool:
    """Make an edit at the shown epoch (a live edit: asked, undoable) and train on from the edited network.

    make_segment(history, epoch) starts the segment (a segments.* edit). Returns False, with the
    reason in the status bar, when the edit does not fit the run or was not made.
    """
    return apply_edit(window, make_segment, what) is not None


class EditTools:
    """What the drawing edits: the selected synapse's weight or neuron's bias (dragged, or typed in a small
    editor beside it), points painted on the output's map, and whether the maps are discretized."""

    def __init__(self, window):
        self.window, self.canvas = window, window.canvas
        self.run: Run | None = None
        self.editor = ValueEditor(self.canvas)
        self.editor.field.returnPressed.connect(self._on_value_typed)
        self.editor.field.cancelled.connect(self._on_cancelled)
        self._close_editor()
        self.class_picker = QComboBox(self.canvas)
        self.class_picker.setToolTip("The class a click on the map adds (shift-click removes the nearest point)")
        self.class_picker.hide()
        self.canvas.item_clicked.connect(self._on_item_clicked)
        self.canvas.value_dragged.connect(self._on_value_dragged)
        self.canvas.value_drag_started.connect(self.window.pause)
        self.canvas.plane_clicked.connect(self._on_plane_clicked)
        self.canvas.painted.connect(self._on_painted)
        self.discretize_action = self._add_discretize(window)

    # ------------------------------------------------------------ the Panel
    def set_run(self, run: Run) -> None:
        self.run = run
        self.canvas.editable = run.trainable
        self._close_editor()
        names = run.dataset.target_names or [f"class {k + 1}" for k in range(run.dataset.n_out)]
        items = [f"Paint: {name}" for name in names]
        if items != [self.class_picker.itemText(k) for k in range(self.class_picker.count())]:
            self.class_picker.clear()  # another run's classes; an edit of this run keeps the class picked
            self.class_picker.addItems(items)
        self._place_picker()

    def show_epoch(self, epoch: int) -> None:
        if self.class_picker.isVisible() and self.class_picker.x() != self._picker_x():
            self._place_picker()  # the canvas was resized
        if self.editor.isVisible() and not self.editor.field.hasFocus() and self.canvas.selected_item is not None:
            self._show_value()  # a live reading while it trains, until typing starts

    def set_theme(self, theme: Theme) -> None:
        """The editor and picker take the window's palette."""

    # ------------------------------------------------------------ Discretize output
    def _add_discretize(self, window) -> QAction:
        view = next(a.menu() for a in window.menuBar().actions() if a.menu() is not None and a.text() == "&View")
        action = QAction("Discretize output", view)
        action.setCheckable(True)
        action.setStatusTip("The output's maps show the class each point falls in, without confidence shading")
        action.toggled.connect(self.set_discretize)
        view.insertAction(window.menus.show_changes, action)
        return action

    def set_discretize(self, on: bool) -> None:
        self.canvas.discretize = on
        self.window._dirty = True

    # ------------------------------------------------------------ weights and biases
    def _on_item_clicked(self, item) -> None:
        """Select a synapse, or a neuron with a bias, and open the value editor beside it; else deselect."""
        position = None if item is None else self.canvas.parameter(item)
        if position is None:
            self.canvas.select(None)
            self._close_editor()
            if item is not None and item[0] == "neuron":
                layer = self.canvas.scene.geometry.layer_of[item[1]]
                why = "an input has no bias" if layer == 0 else "this network has no biases"
                self.window.statusBar().showMessage(f"Nothing to edit: {why}.", 4000)
            return
        self.canvas.select(item)
        if not self.run.trainable:
            self.window.statusBar().showMessage("A recorded run cannot be edited.", 4000)
            return
        self._show_value()
        self._place_editor(item)
        self.editor.show()
        self.editor.raise_()
        self.canvas.editing = True  # the box says what the tip would
        self.canvas.tip.hide()
        self.editor.field.setFocus()
        self.editor.field.selectAll()
        what = "the weight" if item[0] == "synapse" else "the bias"
        self.window.statusBar().showMessage(f"Drag along it or type a value to set {what}.", 6000)

    def _show_value(self) -> None:
        item = self.canvas.selected_item
        g, labels = self.canvas.scene.geometry, self.canvas.scene.labels
        kind, i = item
        name = (
            f"{labels[g.edge_source[i]]} → {labels[g.edge_target[i]]}  w ="
            if kind == "synapse"
            else f"{labels[i]}  bias ="
        )
        self.editor.open(name, float(self.canvas.frame.theta[self.canvas.parameter(item)]))

    def _on_painted(self) -> None:
        """While a value is dragged, the box reads it."""
        if self.canvas.preview is not None and self.editor.isVisible():
            self.editor.field.setText(f"{self.canvas.preview[1]:.4g}")

    def _close_editor(self) -> None:
        self.editor.hide()
        self.canvas.editing = False

    def _place_editor(self, item) -> None:
        """Beside the item: right of a neuron, above the middle of a synapse; inside the canvas."""
        g = self.canvas.scene.geometry
        view = self.canvas.view_transform()
        kind, i = item
        if kind == "neuron":
            centre = QPointF(*g.centres[i]) + QPointF(g.radii[i] + 6, -12)
        else:
            x1, y1, x2, y2 = g.segments[i]
            half, slope = self.editor.width() / 2, (y2 - y1) / (x2 - x1) if x2 != x1 else 0.0
            above = (y1 + y2) / 2 - abs(slope) * half  # the line's highest point under the box
            centre = QPointF((x1 + x2) / 2 - half, above - self.editor.height() - 6)
        if view is not None:
            centre = view.map(centre)
        x = min(max(0, round(centre.x())), self.canvas.width() - self.editor.width())
        y = min(max(0, round(centre.y())), self.canvas.height() - self.editor.height())
        self.editor.move(x, y)

    def _on_value_typed(self) -> None:
        text = self.editor.field.text()
        try:
            value = float(text.replace("−", "-"))
        except ValueError:
            self.window.statusBar().showMessage(f"Not a number: {text!r}", 4000)
            return
        self.set_value(self.canvas.selected_item, value)

    def _on_value_dragged(self, position: int, value: float) -> None:
        item = self.canvas.selected_item
        self.canvas.preview = None
        self.set_value(item, value)

    def set_value(self, item, value: float) -> bool:
        """Set the item's weight or bias to value at the shown epoch (a segment); training goes on from it."""
        position = self.canvas.parameter(item)
        what = f"{'weight' if item[0] == 'synapse' else 'bias'} set to {value:g}"
        ok = _apply(self.window, lambda h, e: segments.set_weights(h, e, {position: value}), what)
        self.canvas.select(item)  # a new run was attached: keep editing the same item
        if self.editor.isVisible():
            self._show_value()
        return ok

    def _on_cancelled(self) -> None:
        self._close_editor()
        self.canvas.select(None)
        self.canvas.setFocus()

    # ------------------------------------------------------------ painting data
    def _place_picker(self) -> None:
        """Over the map's top right corner, for data of several classes that can be painted."""
        can_paint = self._paint_refusal() is None
        shown = can_paint and self.run.dataset.n_out > 1
        self.canvas.plane_hint = "" if not can_paint else PAINT_HINTS[shown]
        self.class_picker.setVisible(shown)
        if shown:
            self.class_picker.adjustSize()
            self.class_picker.move(self._picker_x(), 8)
            self.class_picker.raise_()

    def _picker_x(self) -> int:
        return self.canvas.width() - self.class_picker.width() - 8

    def _paint_refusal(self) -> str | None:
        """Why points cannot be painted on this run's map, or None when they can."""
        dataset = self.run.dataset
        if not self.run.trainable:
            return "a recorded run cannot be edited"
        if dataset.points is None and dataset.n_in != 2:
            return "points are painted on data of two inputs, or on features of points of the plane"
        if len(dataset) and not is_classification(dataset.targets):
            return "points are painted on class data; this run's targets are values"
        return None

    def _on_plane_clicked(self, x: float, y: float, button, modifiers) -> None:
        """Left click adds a point of class A (or the picked class), right click class B; shift-click removes one."""
        why = self._paint_refusal()
        if why is not None:
            self.window.statusBar().showMessage(f"Not changed: {why}.", 5000)
            return
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.remove_point_near(x, y)
        elif button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            self.add_point(x, y, self._class_for(button))

    def _class_for(self, button) -> int:
        """The class a click adds: A (target 1) left, B (target 0) right; with several classes the picked one."""
        if self.run.dataset.n_out > 1:
            return self.class_picker.currentIndex()
        return 0 if button == Qt.MouseButton.LeftButton else 1

    def add_point(self, x: float, y: float, klass: int) -> bool:
        """Add a training point at (x, y) of class `klass` (0 = A) at the shown epoch."""
        n_out = self.run.dataset.n_out
        target = np.zeros(n_out)
        target[klass if n_out > 1 else 0] = 1.0 if n_out > 1 or klass == 0 else 0.0
        name = self.class_picker.itemText(klass).removeprefix("Paint: ") if n_out > 1 else "AB"[klass]
        if self.run.dataset.points is None:
            add = lambda h, e: segments.add_points(h, e, [[x, y]], [target])  # noqa: E731
        else:  # the inputs are features of the point
            add = lambda h, e: segments.add_points(h, e, None, [target], points=[[x, y]])  # noqa: E731
        return _apply(self.window, add, f"a point of class {name} added at ({x:.2f}, {y:.2f})")

    def remove_point_near(self, x: float, y: float) -> bool:
        """Remove the training point nearest to (x, y) on the map, if one is within reach of the pointer."""
        canvas = self.canvas
        points = canvas.dataset_at(canvas.frame.epoch).plane_points()
        x0, x1, y0, y1 = canvas.scene.maps.extent
        box = panel_box(canvas.width(), canvas.height())
        pixels = np.array([box.width() / (x1 - x0), box.height() / (y1 - y0)])
        distance = np.hypot(*((points - (x, y)) * pixels).T)
        nearest = int(np.argmin(distance)) if len(distance) else -1
        if nearest < 0 or distance[nearest] > max(REMOVE_REACH, 2 * point_radius(len(points))):
            self.window.statusBar().showMessage("No point there to remove.", 4000)
            return False
        return _apply(self.window, lambda h, e: segments.remove_points(h, e, [nearest]), "a point removed")
