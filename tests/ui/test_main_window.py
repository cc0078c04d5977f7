import numpy as np
import pytest
from PyQt6.QtCore import QPointF

from netviz.engine.network import Architecture
from netviz.engine.runspec import DataSource, RunSpec
from netviz.engine.training import TrainConfig
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()  # stops and waits for the training thread
    assert w.worker is None


def train_to(qtbot, window, epochs):
    window.transport.target_box.setValue(epochs)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= epochs and not window.playing, timeout=20_000)


def test_opens_with_the_blog_network_at_epoch_zero(qtbot, window):
    assert window.config.arch.layers == (3, 4, 1)
    assert window.history.latest_epoch == 0
    qtbot.waitUntil(lambda: window.canvas.paint_count >= 1 and window.canvas.last_painted_epoch == 0)
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(0))


def test_play_trains_and_pause_holds(qtbot, window):
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch > 200, timeout=10_000)
    window.pause()
    qtbot.wait(50)  # the epoch in progress may still land
    held = window.history.latest_epoch
    qtbot.wait(300)
    assert window.history.latest_epoch == held
    qtbot.waitUntil(lambda: window.status.state.text() == "paused")


def test_replay_after_finishing_moves_the_playhead_and_trains_nothing(qtbot, window):
    train_to(qtbot, window, 3_000)
    window.go_start()
    qtbot.waitUntil(lambda: window.status.state.text() == "paused")  # "done" is for the end only
    window.play()  # Home, Space: the finished run plays again
    qtbot.waitUntil(lambda: window.shown_epoch > 50, timeout=5_000)
    assert window.playing and window.history.latest_epoch == 3_000
    assert window.status.state.text() == "playing"
    qtbot.waitUntil(lambda: not window.playing, timeout=20_000)  # smooth: 3,000 epochs in a few seconds
    assert window.shown_epoch == 3_000 and window.history.latest_epoch == 3_000
    window.play()  # at the end, Play starts again from 0
    assert window.shown_epoch == 0 and window.playing


def test_play_from_an_earlier_epoch_replays_then_trains_on_to_the_target(qtbot, window):
    train_to(qtbot, window, 500)
    window.transport.target_box.setValue(2_000)
    window.playback.show(100)
    window.playback.set_speed("10000")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= 2_000 and not window.playing, timeout=20_000)
    assert window.shown_epoch == 2_000


def test_step_moves_by_exactly_one_and_draws_the_historys_weights(qtbot, window):
    train_to(qtbot, window, 500)
    window.step(-1)
    assert window.shown_epoch == 499
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 499)
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(499))
    window.step(+1)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 500)
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(500))


def test_step_past_the_latest_epoch_trains_exactly_one_more(qtbot, window):
    train_to(qtbot, window, 300)
    window.transport.target_box.setValue(1000)
    window.go_end()
    window.step(+1)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 301, timeout=5_000)
    qtbot.wait(100)
    assert window.history.latest_epoch == 301


def test_scrubbing_while_playing_goes_on_playing_from_there_like_a_video(qtbot, window):
    window.transport.target_box.setValue(10_000_000)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch > 5_000, timeout=10_000)
    window.playback.show(1234)  # as a drag of the timeline does
    assert not window.playback.follow and window.playing
    frames = []
    window.frame_shown.connect(frames.append)
    qtbot.waitUntil(lambda: len(frames) >= 3)
    assert 1234 <= frames[0] < window.history.latest_epoch  # replaying from the scrubbed epoch
    window.pause()
    window.playback.show(1234)
    qtbot.waitUntil(lambda: window.canvas.last_painted_epoch == 1234)
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(1234))


def test_blog_run_in_the_app_ends_with_the_blogs_prediction(qtbot, window):
    train_to(qtbot, window, 60_000)
    theta = window.history.weights_at(60_000)
    prediction = window.config.arch.forward(theta, [1, 1, 0])[-1][0, 0]
    assert f"{prediction:.8f}" == "0.00788760"
    qtbot.waitUntil(lambda: window.status.state.text() == "done")


def test_closing_while_training_stops_the_thread(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.playback.set_speed("max")
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch > 100, timeout=10_000)
    worker = w.worker
    w.close()
    assert worker.isFinished()


def test_divergence_is_reported_and_the_trained_epochs_stay_playable(qtbot):
    config = TrainConfig(Architecture.of((3, 4, 1), "linear"), lr=1000.0, epochs=100)
    w = MainWindow(config)
    qtbot.addWidget(w)
    w.show()
    w.play()
    qtbot.waitUntil(lambda: getattr(w, "diverged_box", None) is not None, timeout=10_000)
    assert "diverged at epoch" in w.diverged_box.text()
    assert not w.transport.act_reset.isEnabled() or not w.playback.can_train
    last = w.history.latest_epoch
    assert np.isfinite(w.history.weights_at(last)).all()
    w.playback.show(max(0, last - 1))
    assert w.shown_epoch == max(0, last - 1)
    w.diverged_box.close()
    w.close()


def test_reset_recreates_the_same_start(qtbot, window):
    start = window.history.weights_at(0)
    train_to(qtbot, window, 200)
    window.reset()
    assert window.history.latest_epoch == 0
    assert np.array_equal(window.history.weights_at(0), start)
    assert window.playback.target == 200  # Reset keeps the target


def test_hover_describes_synapses_and_neurons(qtbot, window):
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.canvas.scene is not None)
    g = window.canvas.scene.geometry
    x, y = g.centres[0]
    assert window.canvas.describe_at(QPointF(x, y)).startswith("x1: activation")
    edge = g.segments[12]  # h1 -> out
    mid = QPointF((edge[0] + edge[2]) / 2, (edge[1] + edge[3]) / 2)
    text = window.canvas.describe_at(mid)
    assert text.startswith("h1 -> out: w = ")
    w = window.config.arch.views(window.canvas.frame.theta)[0][1][0, 0]
    assert text.endswith(f"{w:.2f}")


def test_think_mode_lights_layers_in_order(qtbot, window):
    train_to(qtbot, window, 2_000)
    window.transport.act_think.setChecked(True)
    assert window.playback.think
    qtbot.waitUntil(lambda: window.canvas.frame.think is not None)
    qtbot.waitUntil(lambda: window.canvas.frame.think.progress >= 2.0, timeout=5_000)
    # Once the signal reaches the output, the painted scene shows the prediction.
    qtbot.waitUntil(lambda: bool(window.canvas.scene.output_notes), timeout=2_000)
    assert np.isfinite(window.canvas.scene.neuron_values).all()


def shown_epochs(window) -> dict[str, int]:
    """The epoch each view shows, read from what it displays."""
    label = window.status.epoch.text()  # "epoch 1,234 of 5,000"
    table = window.predictions.table.item(0, window.predictions._output_column(0)).text()
    return {
        "drawing": window.canvas.frame.epoch,
        "status": int(label.split()[1].replace(",", "")),
        "table": table,
    }


@pytest.mark.parametrize("mode", ["live", "replay"])
def test_every_view_shows_the_drawings_epoch_in_every_frame(qtbot, window, mode):
    """At full-speed training and during replay, each frame shows one epoch everywhere."""
    if mode == "replay":
        train_to(qtbot, window, 20_000)
        window.go_start()
        window.playback.set_speed("smooth")
    else:
        window.transport.target_box.setValue(10_000_000)
        window.playback.set_speed("max")
    mismatches, frames = [], []

    def check(epoch):
        if window.canvas.frame.epoch != epoch:
            mismatches.append((epoch, "drawing", window.canvas.frame.epoch))
        seen = shown_epochs(window)
        expected_output = f"{window.history.outputs_at(epoch)[0, 0]:.4f}"
        frames.append(epoch)
        if seen["status"] != epoch or seen["table"] != expected_output:
            mismatches.append((epoch, seen))
        at = float(window.timeline.axis().to_unit(epoch))
        if abs(window.loss_plot.cursor.value() - at) > 1e-9:
            mismatches.append((epoch, "loss cursor", window.loss_plot.cursor.value(), at))
        slider = window.timeline_slider
        if slider.slider.value() != slider.value_of(epoch):
            mismatches.append((epoch, "slider", slider.slider.value()))
        if not slider.epoch_label.text().startswith(f"epoch {epoch:,} "):
            mismatches.append((epoch, "timeline label", slider.epoch_label.text()))

    window.frame_shown.connect(check)
    window.play()
    qtbot.waitUntil(lambda: len(set(frames)) > 60, timeout=20_000)
    window.pause()
    window.frame_shown.disconnect(check)
    assert mismatches == []


def test_a_fixed_weight_keeps_its_width_through_a_live_run(qtbot, window):
    """The default weight scale holds still: the width for a given |w| is the same at epoch 10 and 50,000."""
    from netviz.render.painter import line_widths

    def width_of(w: float) -> float:
        scale = window.canvas.frame.scale
        return float(line_widths(scale, 20.0)[scale.bucket(np.array([w]))[0]])

    train_to(qtbot, window, 10)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 10)
    early = [width_of(w) for w in (0.05, 0.5, 3.0, 15.0)]
    train_to(qtbot, window, 50_000)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 50_000)
    assert [width_of(w) for w in (0.05, 0.5, 3.0, 15.0)] == early
    assert len(set(early)) == 4  # and the scale tells them apart


def test_on_a_dark_theme_the_transport_icons_are_drawn_light(qtbot, window):
    """Qt's standard icons are dark: on the dark and classic themes they are redrawn in the text colour."""
    from PyQt6.QtGui import QColor

    act_play = window.transport.act_play

    def brightest(action) -> int:
        image = action.icon().pixmap(24, 24).toImage()
        return max(QColor(image.pixel(x, y)).lightness() for x in range(24) for y in range(24)
                   if QColor.fromRgba(image.pixel(x, y)).alpha() > 128)  # fmt: skip

    light = brightest(act_play)
    window.set_theme("dark")
    assert brightest(act_play) > max(light, 200)
    window.play()  # the icon changes to Pause: in the theme's colour too
    assert brightest(act_play) > 200
    window.set_theme("light")
    assert brightest(act_play) == light


def test_help_lists_every_shortcut_and_explains_the_drawing(qtbot, window):
    from PyQt6.QtGui import QKeySequence

    help_menu = window.menuBar().actions()[-1].menu()
    entry = next(a for a in help_menu.actions() if a.text() == "Keyboard shortcuts")
    assert QKeySequence("F1") in entry.shortcuts() and QKeySequence("?") in entry.shortcuts()
    entry.trigger()
    text = window.help_dialog.label.text()
    for keys in ("Space", "Left", "Shift+Left", "Home", "End", "T", "Ctrl+S", "F1"):
        assert f"<b>{keys}" in text, keys
    window.help_dialog.close()
    next(a for a in help_menu.actions() if a.text() == "Reading the drawing").trigger()
    text = window.help_dialog.label.text()
    assert "Colour is the sign" in text and "Thickness is the size" in text and "Think" in text
    window.help_dialog.close()


def test_a_click_on_the_drawing_ends_typing_so_space_plays(qtbot, qapp, window):
    """After typing a new target, a click on the drawing takes the focus: Space plays, not types."""
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest

    box = window.transport.target_box
    window.activateWindow()
    box.setFocus()
    QTest.keyClicks(box.lineEdit(), "5")
    QTest.mouseClick(window.canvas, Qt.MouseButton.LeftButton)
    assert window.canvas.hasFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Space)
    assert window.playing


def test_the_default_weight_scale_is_checked_in_the_view_menu(window):
    checked = [kind for kind, action in window.menus.scale_actions.items() if action.isChecked()]
    assert checked == ["log"]
    window.set_weight_scale("clamp")
    assert [kind for kind, action in window.menus.scale_actions.items() if action.isChecked()] == ["clamp"]


def test_the_slider_stands_epoch_above_epoch_over_the_loss_plot(qtbot, window):
    """The slider and the loss plot share one axis on screen too: an epoch's handle sits right above it."""
    from PyQt6.QtCore import QPoint

    train_to(qtbot, window, 3_000)
    slider, plot = window.timeline_slider, window.loss_plot
    view = plot.plot_widget.getPlotItem().getViewBox()

    def offsets() -> list[int]:
        """Slider handle x minus plot x, in window pixels, for a few epochs."""
        found = []
        for epoch in (0, 10, 300, 3_000):
            handle = slider.slider.mapTo(window, QPoint(round(slider.tick_x(slider.value_of(epoch))), 0)).x()
            unit = float(window.timeline.axis().to_unit(epoch))
            at = plot.plot_widget.mapFromScene(view.mapViewToScene(QPointF(unit, 0)))
            found.append(handle - plot.plot_widget.mapTo(window, at).x())
        return found

    # The plot's y labels change width as the loss falls; the slider follows at the next layout pass.
    qtbot.waitUntil(lambda: all(abs(d) <= 2 for d in offsets()), timeout=2_000)
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: all(abs(d) <= 2 for d in offsets()), timeout=2_000)


def test_rows_scrolled_into_view_show_the_shown_epochs_outputs(qtbot, window):
    """Each frame fills only the table rows in view; rows scrolled into view are filled at once."""
    from netviz.engine.runspec import DataSource, RunSpec

    spec = RunSpec(data=DataSource("preset", "circle"), epochs=50)
    window.start_run(*spec.build(), spec=spec)
    train_to(qtbot, window, 50)
    table, panel = window.predictions.table, window.predictions
    last = len(window.dataset) - 1
    table.scrollToTop()
    window.playback.show(40)
    qtbot.waitUntil(lambda: window.canvas.last_painted_epoch == 40)
    assert table.rowAt(table.viewport().height() - 1) < last  # 200 rows: most are out of view
    window.playback.show(50)
    qtbot.waitUntil(lambda: window.canvas.last_painted_epoch == 50)
    table.scrollToBottom()
    expected = f"{window.history.outputs_at(50)[last, 0]:.4f}"
    qtbot.waitUntil(lambda: table.item(last, panel._output_column(0)).text() == expected)


def _pixels(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_RGB32)
    bits = image.constBits()
    bits.setsize(image.sizeInBytes())
    rows = np.frombuffer(bits, np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return rows[:, : image.width(), 2::-1].astype(int)  # memory holds B, G, R, A: as R, G, B


@pytest.mark.parametrize("change", ["train", "zoom", "linear"])
def test_the_loss_plot_on_screen_is_what_it_draws_after_any_change(qtbot, window, change):
    """The plot repaints only the cursor's strips each frame; every other change (new epochs, a zoom,
    another axis) still reaches the screen: what the window shows, read back from its backing store,
    equals a fresh drawing of the plot."""
    window.transport.target_box.setValue(10_000_000)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch > 20_000, timeout=20_000)
    if change == "zoom":
        window.timeline.zoom_to(10, 500)
    elif change == "linear":
        window.timeline.set_kind("linear")
    qtbot.wait(300)
    window.pause()
    qtbot.wait(300)
    view = window.loss_plot.plot_widget

    def stale_share() -> float:
        at = view.mapTo(window, view.rect().topLeft())
        screen = _pixels(window.screen().grabWindow(window.winId()).toImage())
        shown = screen[at.y() : at.y() + view.height(), at.x() : at.x() + view.width()]
        fresh = _pixels(view.grab().toImage())[: shown.shape[0], : shown.shape[1]]
        return float((np.abs(shown - fresh).sum(axis=2) > 30).mean())

    # Stale pixels stay until something repaints them (a second later, too): none may be left.
    qtbot.waitUntil(lambda: stale_share() < 0.002, timeout=500)


def test_the_loss_cursor_is_two_pixels_wide_on_screen(qtbot, window):
    """The cursor is a bar two pixels wide in axis units: it keeps that width when the plot resizes."""
    from PyQt6.QtGui import QColor

    signal = np.array(QColor(window.loss_plot._theme.signal).getRgb()[:3])
    train_to(qtbot, window, 300)
    window.playback.show(100)
    for size in ((1280, 860), (700, 500), (1600, 1000)):
        window.resize(*size)
        qtbot.wait(200)
        view = window.loss_plot.plot_widget
        at = view.mapTo(window, view.rect().topLeft())
        screen = _pixels(window.screen().grabWindow(window.winId()).toImage())
        shown = screen[at.y() : at.y() + view.height(), at.x() : at.x() + view.width()]
        columns = (np.abs(shown - signal).sum(axis=2) < 40).sum(axis=0) > shown.shape[0] // 2
        assert 1 <= columns.sum() <= 2, size


def test_playing_asks_for_no_new_layout_each_frame(qtbot, window):
    """Readouts that change every frame keep their size: a layout of the window per frame costs the
    trainer a share of its core (Python size hints run in the window's thread)."""
    from PyQt6.QtCore import QEvent, QObject

    class Counter(QObject):
        requests = 0

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.LayoutRequest:
                Counter.requests += 1
            return False

    spec = RunSpec.following(DataSource("preset", "circle"), test_fraction=0.2)  # a test-loss readout too
    window.start_run(*spec.build(), spec=spec)
    window.transport.target_box.setValue(1_000_000)
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch > 50)
    counter = Counter()
    for widget in (window, window.loss_plot, window.predictions, window.canvas.parentWidget()):
        widget.installEventFilter(counter)
    frames = window.playback.epoch
    qtbot.wait(1000)
    window.pause()
    assert window.playback.epoch > frames  # it played
    assert Counter.requests <= 3, Counter.requests
