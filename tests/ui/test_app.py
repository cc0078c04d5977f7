import os
import socket
import subprocess
import sys

from PyQt6.QtCore import Qt
from PyQt6.QtTest import QTest

from netviz import display
from netviz.ui import errors as errors_module
from netviz.ui.main_window import MainWindow

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_netviz_command_opens_the_window_and_exits_cleanly(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT, NETVIZ_QUIT_AFTER_MS="800", XDG_STATE_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "netviz"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_an_exception_in_a_slot_is_shown_and_logged_not_fatal(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(
        errors_module, "report_error", lambda title, details, parent=None: shown.append((title, details))
    )
    monkeypatch.setattr(sys, "excepthook", errors_module.excepthook)
    w = MainWindow()
    qtbot.addWidget(w)

    def broken_slot():
        raise RuntimeError("boom")

    w.transport.act_reset.triggered.disconnect()
    w.transport.act_reset.triggered.connect(broken_slot)
    w.transport.act_reset.trigger()
    assert shown and shown[0][0] == "RuntimeError: boom"
    assert "broken_slot" in shown[0][1]
    w.close()


def test_keyboard_transport(qtbot, qapp):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qapp.processEvents()

    def key(k, modifier=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(w, k, modifier)

    key(Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: w.shown_epoch == 1, timeout=5_000)
    w.transport.jump_box.setValue(10)
    key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: w.shown_epoch == 11, timeout=5_000)
    key(Qt.Key.Key_Left)
    assert w.shown_epoch == 10
    key(Qt.Key.Key_Home)
    assert w.shown_epoch == 0
    key(Qt.Key.Key_End)
    assert w.shown_epoch == w.history.latest_epoch == 11
    key(Qt.Key.Key_Space)
    assert w.playing
    key(Qt.Key.Key_Space)
    assert not w.playing
    w.close()


def test_space_plays_even_when_the_table_has_focus(qtbot, qapp):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qapp.processEvents()
    w.predictions.table.setFocus()
    QTest.keyClick(w.predictions.table, Qt.Key.Key_Space)
    assert w.playing
    QTest.keyClick(w.predictions.table, Qt.Key.Key_Space)
    assert not w.playing
    w.close()


def test_space_plays_wherever_the_focus_is_but_types_in_a_text_field(qtbot, qapp):
    """No application-wide event filter (it would run Python for every event): the window's
    Space shortcut wins over every control but a text field."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qapp.processEvents()
    controls = [w.timeline_slider.slider, w.timeline_slider.follow_box, w.transport.cycle_box,
                w.transport.speed_box, w.loss_plot.log_box, w.canvas]  # fmt: skip
    for control in controls:
        control.setFocus()
        checked = control.isChecked() if hasattr(control, "isChecked") else None
        QTest.keyClick(control, Qt.Key.Key_Space)
        assert w.playing, type(control).__name__
        assert checked is None or control.isChecked() == checked  # the key did not also toggle it
        w.pause()
    w.transport.jump_box.setFocus()
    QTest.keyClick(w.transport.jump_box, Qt.Key.Key_Space)
    assert not w.playing  # typing in a field
    w.close()


def _unused_display_number() -> int:
    """A local display number with no X socket, so nothing can answer on it."""
    return next(n for n in range(9917, 9999) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))


def test_a_display_nobody_answers_on_is_one_line_and_exit_2_not_a_qt_abort(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=ROOT, DISPLAY=f":{_unused_display_number()}", XDG_STATE_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "netviz"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert f"no X server answers on DISPLAY={env['DISPLAY']}" in done.stderr


def test_a_display_over_tcp_counts_as_reachable_only_while_something_listens(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with socket.create_server(("127.0.0.1", 0)) as server:
        number = server.getsockname()[1] - 6000  # an X server on display N listens on port 6000 + N
        monkeypatch.setenv("DISPLAY", f"127.0.0.1:{number}.0")
        assert display.display_problem() is None
    assert (
        display.display_problem()
        == f"no X server answers on DISPLAY=127.0.0.1:{number}.0 (127.0.0.1 port {number + 6000})"
    )


def test_the_display_check_leaves_other_platforms_and_bad_names_clear(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", f":{_unused_display_number()}")
    assert display.display_problem() is None  # offscreen, as the tests run
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert "no X server answers" in display.display_problem()
    monkeypatch.setenv("DISPLAY", "nonsense")
    assert display.display_problem() == "DISPLAY=nonsense is not a display name like :0 or host:0"
    monkeypatch.delenv("DISPLAY")
    assert display.display_problem() == "DISPLAY is not set"  # the xcb plugin asked for by name
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert display.display_problem() is None
