"""View > Show changes: synapses glow by how much their weight moved since the last frame drawn."""

import numpy as np
import pytest

from netviz.scene.learn import change_glow
from netviz.scene.scene import edge_weights
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    assert w.worker is None


def test_show_changes_glows_by_the_change_since_the_last_frame(qtbot, window):
    overlay = window.changes
    assert not overlay.isVisible()
    window.menus.show_changes.trigger()
    assert overlay.isVisible()
    drawn = []  # (epoch, weights) of every frame the canvas records
    window.canvas.painted.connect(
        lambda: drawn.append((window.canvas.frame.epoch, edge_weights(window.canvas.frame.arch,
                                                                       window.canvas.frame.theta)))
    )  # fmt: skip
    window.transport.target_box.setValue(400)
    window.playback.set_speed("100")
    window.play()
    qtbot.waitUntil(lambda: len({e for e, _ in drawn}) >= 4, timeout=10_000)
    window.pause()
    epochs = [e for e, _ in drawn]
    last = max(i for i in range(len(drawn)) if drawn[i][0] != drawn[-1][0])  # the frame before the newest epoch
    expected = change_glow(drawn[last][1], drawn[-1][1])
    assert drawn[-1][0] == max(epochs)
    np.testing.assert_array_equal(np.sort(overlay.glowing), np.sort(expected[0]))
    assert len(overlay.glowing) > 0 and overlay.strength.max() == 1.0
    # The glow is drawn: the theme's signal colour lies on the most changed synapse, half way along it.
    g = window.canvas.scene.geometry
    edge = overlay.glowing[np.argmax(overlay.strength)]
    x1, y1, x2, y2 = g.segments[edge]
    image = window.canvas.grab().toImage()
    pixel = image.pixelColor(int((x1 + x2) / 2), int((y1 + y2) / 2))
    signal = window.canvas.theme.rgb("signal")
    background = window.canvas.theme.rgb("background")
    shown = (pixel.red(), pixel.green(), pixel.blue())
    assert np.abs(np.subtract(shown, signal)).sum() < np.abs(np.subtract(background, signal)).sum() / 2
    window.menus.show_changes.trigger()
    assert not overlay.isVisible()


def test_change_glow_is_relative_to_the_largest_change_and_skips_the_faintest():
    before = np.array([0.0, 1.0, -2.0, 5.0, 3.0])
    after = np.array([0.0, 1.5, -2.04, 4.9, 3.0005])
    chosen, strength = change_glow(before, after)
    assert list(chosen) == [1, 2, 3]
    np.testing.assert_allclose(strength, np.sqrt([0.5, 0.04, 0.1] / np.float64(0.5)))
    assert change_glow(before, before)[0].size == 0
