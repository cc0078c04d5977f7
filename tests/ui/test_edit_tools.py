"""Editing from the drawing: a weight or bias set by drag or typed, points painted on the map, Discretize output."""

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QMessageBox

from netviz.engine import segments
from netviz.engine.runspec import DataSource, RunSpec
from netviz.render.painter import panel_box
from netviz.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def continue_from_here(monkeypatch):
    """An edit before the newest epoch may ask whether to drop the later ones: the tests say yes."""
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1100, 760)
    w.show()
    qtbot.waitUntil(lambda: w.canvas.scene is not None)
    yield w
    w.close()


def start(qtbot, window, preset: str, **settings) -> None:
    spec = RunSpec.following(DataSource("preset", preset), **settings)
    window.start_run(*spec.build(), spec=spec)
    qtbot.waitUntil(lambda: window.canvas.frame is not None and window.canvas.frame.arch == window.config.arch)


def synapse_point(canvas, edge: int, t: float = 0.5) -> QPoint:
    x1, y1, x2, y2 = canvas.scene.geometry.segments[edge]
    return QPoint(round(x1 + (x2 - x1) * t), round(y1 + (y2 - y1) * t))


def click(qtbot, canvas, at: QPoint, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier):
    QTest.mouseMove(canvas, at)
    QTest.mouseClick(canvas, button, modifiers, at)


def test_clicking_a_synapse_selects_it_and_opens_its_value(qtbot, window):
    canvas = window.canvas
    with qtbot.waitSignal(canvas.hovered) as hovered:
        QTest.mouseMove(canvas, synapse_point(canvas, 12))
    assert hovered.args[0].endswith("(click to edit)")
    click(qtbot, canvas, synapse_point(canvas, 12))
    assert canvas.selected_item == ("synapse", 12)
    editor = window.edit_tools.editor
    qtbot.waitUntil(editor.isVisible)
    w = canvas.frame.theta[canvas.parameter(("synapse", 12))]
    assert float(editor.field.text()) == pytest.approx(w, rel=1e-3)
    assert editor.name.text() == "h1 → out  w ="
    assert not canvas.tip.isVisible()  # the box says it
    click(qtbot, canvas, QPoint(5, canvas.height() // 2))  # on nothing
    assert canvas.selected_item is None and not editor.isVisible()


def test_a_typed_weight_starts_a_segment_and_training_goes_on_from_it(qtbot, window):
    canvas = window.canvas
    window.clock.want(40)
    qtbot.waitUntil(lambda: window.shown_epoch == 40, timeout=10_000)
    click(qtbot, canvas, synapse_point(canvas, 12))
    editor = window.edit_tools.editor
    qtbot.waitUntil(editor.isVisible)
    editor.field.setText("-3.5")
    QTest.keyClick(editor.field, Qt.Key.Key_Return)
    history = window.history
    position = segments.weight_position(window.config.arch, 1, 0, 0)  # h1 -> out
    assert history.segments[-1].start == 40 and history.segments[-1].edit["kind"] == "weights"
    assert history.weights_at(40)[position] == -3.5
    qtbot.waitUntil(lambda: canvas.frame is not None and canvas.frame.epoch == 40)
    assert canvas.frame.theta[position] == -3.5
    assert window.has_unsaved_work()
    window.clock.want(60)
    qtbot.waitUntil(lambda: window.history.latest_epoch >= 60, timeout=10_000)
    # Training went on from the edited weight: the same as editing a fresh replay of the run.
    twin = window.history.__class__(window.history.segments[0].config, window.history.segments[0].dataset)
    segments.resume(twin).run(twin, 40)
    segments.set_weights(twin, 40, {position: -3.5})
    segments.resume(twin).run(twin, 60)
    np.testing.assert_array_equal(window.history.weights_at(60), twin.weights_at(60))


def test_dragging_along_a_selected_synapse_sets_its_weight(qtbot, window):
    canvas = window.canvas
    click(qtbot, canvas, synapse_point(canvas, 12, 0.3))
    position = canvas.parameter(("synapse", 12))
    before = float(canvas.frame.theta[position])
    start, end = synapse_point(canvas, 12, 0.3), synapse_point(canvas, 12, 0.7)  # toward its target
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(canvas, end)
    # While dragging, the drawing shows the new value already.
    assert canvas.preview is not None and canvas.frame.theta[position] > before
    dragged = canvas.frame.theta[position]
    assert float(window.edit_tools.editor.field.text()) == pytest.approx(dragged, abs=1e-3)  # the box reads it
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert canvas.preview is None
    assert window.history.segments[-1].edit == {"kind": "weights", "set": [[position, before, dragged]]}
    x1, y1, x2, y2 = canvas.scene.geometry.segments[12]
    moved = (end.x() - start.x()) * (x2 - x1) / np.hypot(x2 - x1, y2 - y1) + (end.y() - start.y()) * (
        y2 - y1
    ) / np.hypot(x2 - x1, y2 - y1)
    assert dragged == pytest.approx(before + moved / 50.0, abs=0.002)
    assert canvas.selected_item == ("synapse", 12)


def test_a_neurons_bias_is_set_by_dragging_it_up(qtbot, window):
    start(qtbot, window, "xor")  # a recipe with biases
    canvas = window.canvas
    g = canvas.scene.geometry
    neuron = int(g.layer_start[1])  # the first hidden neuron
    centre = QPoint(*np.round(g.centres[neuron]).astype(int))
    click(qtbot, canvas, centre)
    assert canvas.selected_item == ("neuron", neuron)
    position = canvas.parameter(("neuron", neuron))
    before = float(canvas.frame.theta[position])
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseMove(canvas, centre - QPoint(0, 25))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre - QPoint(0, 25))
    assert window.history.weights_at(window.shown_epoch)[position] == pytest.approx(before + 0.5, abs=0.002)


def test_an_input_or_a_bias_free_neuron_has_nothing_to_edit(qtbot, window):
    canvas = window.canvas  # the blog's network: no biases
    g = canvas.scene.geometry
    click(qtbot, canvas, QPoint(*np.round(g.centres[int(g.layer_start[1])]).astype(int)))
    assert canvas.selected_item is None
    assert "no biases" in window.statusBar().currentMessage()


def plane_point(canvas, x: float, y: float) -> QPoint:
    box = panel_box(canvas.width(), canvas.height())
    x0, x1, y0, y1 = canvas.scene.maps.extent
    return QPoint(round(box.left() + (x - x0) / (x1 - x0) * box.width()),
                  round(box.top() + (y1 - y) / (y1 - y0) * box.height()))  # fmt: skip


def test_clicks_on_the_map_paint_points_of_class_a_and_b_and_shift_removes_one(qtbot, window):
    start(qtbot, window, "xor")
    canvas = window.canvas
    rows = len(window.dataset)
    with qtbot.waitSignal(canvas.hovered) as hovered:
        QTest.mouseMove(canvas, plane_point(canvas, 0.5, 0.5))
    assert hovered.args[0].startswith("Click to add a point of class A (right click: B)")
    click(qtbot, canvas, plane_point(canvas, 0.5, 0.5))
    assert len(window.dataset) == rows + 1
    np.testing.assert_allclose(window.dataset.inputs[-1], [0.5, 0.5], atol=0.02)
    assert window.dataset.targets[-1].tolist() == [1.0]
    assert window.predictions.table.rowCount() >= rows + 1  # the table follows
    click(qtbot, canvas, plane_point(canvas, 0.25, 0.75), Qt.MouseButton.RightButton)
    assert window.dataset.targets[-1].tolist() == [0.0]
    assert window.history.segments[-1].edit == {"kind": "points", "added": 1}
    qtbot.waitUntil(lambda: len(canvas.scene.maps.points) == rows + 2)
    click(qtbot, canvas, plane_point(canvas, 0.5, 0.5), modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert len(window.dataset) == rows + 1
    assert not (np.abs(window.dataset.inputs - [0.5, 0.5]).max(axis=1) < 0.02).any()


def test_points_painted_on_a_feature_run_are_points_of_the_plane(qtbot, window):
    """On x², y² inputs a click adds the point where it lands; its inputs are its features."""
    start(qtbot, window, "circle", features=("x2", "y2"), hidden=(2,))
    canvas, rows = window.canvas, len(window.dataset)
    click(qtbot, canvas, plane_point(canvas, 0.5, -0.25))
    dataset = window.dataset
    assert len(dataset) == rows + 1 and dataset.features == ("x2", "y2")
    np.testing.assert_allclose(dataset.points[-1], [0.5, -0.25], atol=0.03)
    np.testing.assert_array_equal(dataset.inputs[-1], dataset.inputs_at(dataset.points[-1:])[0])
    qtbot.waitUntil(lambda: len(canvas.scene.maps.points) == rows + 1)


def test_several_classes_paint_the_picked_class(qtbot, window):
    start(qtbot, window, "three-classes")
    canvas, picker = window.canvas, window.edit_tools.class_picker
    assert picker.isVisible() and picker.count() == 3
    picker.setCurrentIndex(2)
    click(qtbot, canvas, plane_point(canvas, 0.0, 0.0))
    assert window.dataset.targets[-1].tolist() == [0.0, 0.0, 1.0]
    click(qtbot, canvas, plane_point(canvas, 0.1, 0.0))  # the picked class stays picked after an edit
    assert window.dataset.targets[-1].tolist() == [0.0, 0.0, 1.0]


def test_discretize_output_shows_classes_without_shading(qtbot, window):
    start(qtbot, window, "circle")
    canvas = window.canvas
    before = canvas.scene.maps.panel_rgb.reshape(-1, 3)
    window.edit_tools.discretize_action.setChecked(True)
    qtbot.waitUntil(lambda: canvas.frame.discretize)
    after = canvas.scene.maps.panel_rgb.reshape(-1, 3)
    assert len(np.unique(after, axis=0)) <= 3 < len(np.unique(before, axis=0))


def test_an_inputs_tip_gives_its_value_in_the_datas_units_where_the_data_was_scaled(qtbot, window):
    from netviz.engine.data import Dataset, scale_inputs
    from netviz.engine.network import Architecture
    from netviz.engine.training import TrainConfig

    data = Dataset(np.array([[5.0, 100.0], [7.0, 300.0], [6.0, 200.0]]), np.array([[0.0], [1.0], [1.0]]))
    scale_inputs(data, "standard", "test data")
    window.start_run(TrainConfig(Architecture.of((2, 2, 1)), lr=0.5, epochs=10), data)
    window.playback.set_input_row(1)  # 7, 300: one standard deviation above the mean each
    canvas = window.canvas
    qtbot.waitUntil(lambda: canvas.frame is not None and canvas.frame.inputs is not None)
    window._draw()
    text = canvas.describe(("neuron", 1))
    assert text.startswith(f"{canvas.scene.labels[1]}: activation 1.225") and text.endswith("(300 in the data)")


def test_a_dragged_weight_and_painted_points_replay_exactly_after_save_and_reopen(qtbot, window, tmp_path):
    start(qtbot, window, "xor-quadrants")
    canvas = window.canvas
    window.clock.want(30)
    qtbot.waitUntil(lambda: window.shown_epoch == 30, timeout=10_000)
    edge = len(canvas.scene.geometry.segments) - 1  # the last hidden neuron -> out
    click(qtbot, canvas, synapse_point(canvas, edge, 0.4))
    QTest.mousePress(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, synapse_point(canvas, edge, 0.4)
    )
    QTest.mouseMove(canvas, synapse_point(canvas, edge, 0.8))
    QTest.mouseRelease(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, synapse_point(canvas, edge, 0.8)
    )
    window.clock.want(50)
    qtbot.waitUntil(lambda: window.shown_epoch == 50, timeout=10_000)
    click(qtbot, canvas, plane_point(canvas, 0.5, 0.5), Qt.MouseButton.RightButton)
    window.clock.want(80)
    qtbot.waitUntil(lambda: window.shown_epoch == 80, timeout=10_000)
    kinds = [segment.edit.get("kind") for segment in window.history.segments]
    assert kinds[1:] == ["weights", "points"] and [s.start for s in window.history.segments[1:]] == [30, 50]
    path = str(tmp_path / "edited.netviz")
    assert window.save_as(path)
    other = MainWindow()
    qtbot.addWidget(other)
    try:
        assert other.open_session(path)
        for epoch in (29, 30, 31, 49, 50, 51, 80):
            np.testing.assert_array_equal(other.history.weights_at(epoch), window.history.weights_at(epoch))
        assert len(other.history.segment_at(80).dataset) == len(window.history.segments[0].dataset) + 1
    finally:
        other.close()


def test_an_edit_while_playing_keeps_playing_from_the_edited_network(qtbot, window):
    canvas = window.canvas
    window.playback.set_target(100_000)
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch > 50, timeout=10_000)
    click(qtbot, canvas, synapse_point(canvas, 12))
    window.edit_tools.editor.field.setText("4")
    QTest.keyClick(window.edit_tools.editor.field, Qt.Key.Key_Return)
    edited = window.history.segments[-1]
    assert edited.edit["kind"] == "weights" and edited.edit["set"][0][2] == 4.0
    assert window.playing
    qtbot.waitUntil(lambda: window.history.latest_epoch > edited.start + 20, timeout=10_000)
    window.pause()
    assert window.history.weights_at(edited.start)[canvas.parameter(("synapse", 12))] == 4.0
