"""Learn mode in the window: L turns it on, the arrows step through the stages, Space plays them,
and hovering tells each synapse's and neuron's formula with the step's numbers."""

import numpy as np
import pytest
from PyQt6.QtCore import QPointF, Qt

from netviz.engine.learn import learn_step
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    assert w.worker is None


def trained(qtbot, window, epochs):
    window.transport.target_box.setValue(epochs)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= epochs and not window.playing, timeout=20_000)


def press(qtbot, window, key):
    qtbot.keyClick(window, key)


def test_l_turns_learn_mode_on_and_the_arrows_step_through_the_stages(qtbot, window):
    trained(qtbot, window, 20)
    window.step(-15)
    qtbot.waitUntil(lambda: window.shown_epoch == 5)
    press(qtbot, window, Qt.Key.Key_L)
    learn = window.learn
    assert learn.active and learn.view.isVisible() and learn.stage == "forward"
    seen = []
    for _ in range(4):
        press(qtbot, window, Qt.Key.Key_Right)
        seen.append(learn.stage)
    assert seen == ["error", "backward", "update", "next"] and window.shown_epoch == 5
    press(qtbot, window, Qt.Key.Key_Right)  # past the last stage: the next epoch's step begins
    qtbot.waitUntil(lambda: window.shown_epoch == 6)
    assert learn.stage == "forward"
    press(qtbot, window, Qt.Key.Key_Left)  # and back
    qtbot.waitUntil(lambda: window.shown_epoch == 5)
    assert learn.stage == "next"
    press(qtbot, window, Qt.Key.Key_L)
    assert not learn.active and not learn.view.isVisible()


def test_the_step_shown_is_the_engines_and_follows_the_chosen_row(qtbot, window):
    trained(qtbot, window, 10)
    window.learn.set_active(True)
    step = window.learn.current()
    assert step.epoch == 10 and step.row is None  # the new situation is chosen: the whole batch
    assert np.array_equal(step.theta, window.history.weights_at(10))
    window.playback.set_input_row(3)
    assert window.learn.current().row == 3


def centre_of(window, neuron: int) -> QPointF:
    x, y = window.learn.view.scene.geometry.centres[neuron]
    return QPointF(float(x), float(y))


def test_hover_shows_the_formula_with_the_engines_values(qtbot, window):
    trained(qtbot, window, 10)
    window.learn.set_active(True)
    window.learn.set_stage("update", 1.0)
    qtbot.waitUntil(lambda: window.learn.view.scene is not None)
    view = window.learn.view
    g = view.scene.geometry
    step = learn_step(window.history, 10)
    # The synapse h2 -> out: weight layer 1, from neuron 1 to 0; hovered half way along it.
    edge = int(np.flatnonzero((g.edge_layer == 1) & (g.edge_source == 4) & (g.edge_target == 7))[0])
    x1, y1, x2, y2 = g.segments[edge]
    text = view.describe_at(QPointF((x1 + x2) / 2, (y1 + y2) / 2))
    dw = step.delta_w()[1][1, 0]
    assert text.splitlines()[1] == (f"Δw(h2 → out) = lr × Σ a(h2)·δ(out) = 1 × {dw:.4g} = {dw:+.4g}".replace("-", "−"))
    assert "row 7:" in text  # a batch's sum, row by row (counted from 1, as the table does)
    out = view.describe_at(centre_of(window, 7))
    assert out.startswith("δ(out) = (target − output) × output × (1 − output)")
    assert out.count("\nrow ") == 7
    h3 = view.describe_at(centre_of(window, 5))
    assert h3.startswith("δ(h3) = Σₖ δ(k)·w(h3 → k) × a(h3) × (1 − a(h3))")
    window.playback.set_input_row(2)
    row = view.describe_at(centre_of(window, 7))
    assert row.count("\nrow ") == 1 and "row 3:" in row


def test_space_plays_the_stages_and_goes_on_to_the_next_epoch(qtbot, window, monkeypatch):
    monkeypatch.setattr("netviz.ui.learn.STAGE_MS", 40)
    trained(qtbot, window, 30)
    window.step(-28)
    qtbot.waitUntil(lambda: window.shown_epoch == 2)
    window.learn.set_active(True)
    stages = set()
    window.learn.changed.connect(lambda: stages.add(window.learn.stage))
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.learn.playing and not window.playing  # the stages play, training does not
    qtbot.waitUntil(lambda: window.shown_epoch >= 3, timeout=5_000)
    assert stages >= {"error", "backward", "update", "next"}
    press(qtbot, window, Qt.Key.Key_Space)
    assert not window.learn.playing


def test_a_recorded_run_has_no_learning_step_to_show(qtbot, window, tmp_path):
    from netviz import Recorder

    path = tmp_path / "rec.netviz"
    with Recorder(path, layers=[2, 1]) as rec:
        for _ in range(3):
            rec.record([np.zeros((2, 1))], loss=0.5)
    assert window.open_session(str(path))
    window.learn.act_learn.trigger()
    assert not window.learn.active and not window.learn.act_learn.isChecked()
    assert "recorded run" in window.statusBar().currentMessage()


def test_a_new_run_shows_its_own_step_and_a_recording_ends_the_mode(qtbot, window, tmp_path):
    from netviz import Recorder
    from netviz.engine.data import blog
    from netviz.engine.network import Architecture
    from netviz.engine.training import TrainConfig

    window.learn.set_active(True)
    first = window.learn.current()
    window.start_run(TrainConfig(Architecture.of((3, 2, 1)), epochs=50), blog())
    qtbot.waitUntil(lambda: window.learn.current() is not None and window.learn.current().arch.layers == (3, 2, 1))
    assert window.learn.current() is not first and window.learn.active
    path = tmp_path / "rec.netviz"
    with Recorder(path, layers=[2, 1]) as rec:
        for _ in range(3):
            rec.record([np.zeros((2, 1))], loss=0.5)
    assert window.open_session(str(path))
    qtbot.waitUntil(lambda: not window.learn.active)
    assert not window.learn.view.isVisible()


def wheel(view, at: QPointF, steps: int) -> None:
    from PyQt6.QtCore import QPoint
    from PyQt6.QtGui import QWheelEvent
    from PyQt6.QtWidgets import QApplication

    event = QWheelEvent(
        at, view.mapToGlobal(at), QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view, event)


def test_learn_mode_follows_the_canvas_zoom_and_pan(qtbot, window):
    from netviz.scene.style import THEMES

    trained(qtbot, window, 5)
    window.learn.set_active(True)
    window.learn.set_stage("error", 1.0)
    view = window.learn.view
    qtbot.waitUntil(lambda: view.scene is not None)
    out = centre_of(window, 7)
    wheel(view, QPointF(out.x() - 200, out.y() - 60), 4)  # zoom in about a point left of and above the output
    zoom = window.canvas.view_transform()
    assert zoom is not None and zoom.m11() > 1.5
    qtbot.mouseMove(view, QPointF(view.width() / 2, view.height() / 2).toPoint())
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPointF(300, 300).toPoint())
    qtbot.mouseMove(view, QPointF(260, 280).toPoint())
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPointF(260, 280).toPoint())
    view_now = window.canvas.view_transform()
    assert (view_now.dx(), view_now.dy()) == pytest.approx((zoom.dx() - 40, zoom.dy() - 20))  # dragged: panned
    shown = view_now.map(out)
    image = view.grab().toImage()
    error_colour = THEMES[window.theme_name].rgb(
        "positive" if window.learn.current().step.error.mean() > 0 else "negative"
    )
    assert image.pixelColor(int(shown.x()), int(shown.y())).getRgb()[:3] == error_colour[:3]
    assert view.describe_at(shown).startswith("δ(out) = (target − output)")  # hover finds it where it is drawn
    assert not view.describe_at(out).startswith("δ(out)")
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPointF(300, 300).toPoint())  # back to the whole network
    assert window.canvas.view_transform() is None


def test_a_session_changed_mid_run_shows_each_steps_own_settings_and_penalty(qtbot, window, tmp_path):
    from netviz.cli import main

    path = tmp_path / "changed.netviz"
    assert (
        main(["train", "--preset", "xor", "--epochs", "40", "--change", "20:lr=0.5,l2=0.01", "--save", str(path)]) == 0
    )
    assert window.open_session(str(path))
    window.learn.set_active(True)
    window.playback.show(10)
    before = window.learn.current()
    assert before.lr == 1.0 and before.penalty == (0.0, 0.0) and before.change == ""
    window.playback.show(30)
    after = window.learn.current()
    assert (
        after.lr == 0.5 and after.penalty == (0.0, 0.01) and after.change.startswith("epoch 20: learning rate 1 → 0.5")
    )
    assert np.array_equal(after.theta_after, window.history.weights_at(31))
    window.learn.set_stage("update", 1.0)
    qtbot.waitUntil(lambda: window.learn.view.scene is not None)
    g = window.learn.view.scene.geometry
    x1, y1, x2, y2 = g.segments[int(np.flatnonzero(g.edge_layer == 1)[0])]
    text = window.learn.view.describe_at(QPointF((x1 + x2) / 2, (y1 + y2) / 2))
    assert "lr × (Σ a(h1)·δ(out) − k·l2·w) = 0.5 × (" in text and " − 4 × 0.01 × " in text
