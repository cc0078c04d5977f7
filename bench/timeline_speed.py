"""What the timeline costs a frame: the loss plot's repaint when only its cursor moves, the slider's
update and repaint, and the plot's update when training adds an epoch (blog run, offscreen, 800 px).

Target: a cursor-only repaint of the loss plot in about 1 ms (its axes and curve are cached as pixels).

    python bench/timeline_speed.py [--frames 300]
"""

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np

TARGET_CURSOR_MS = 1.0


def _stats(seconds: list[float]) -> tuple[float, float]:
    ms = np.array(seconds) * 1e3
    return float(np.median(ms)), float(np.percentile(ms, 95))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300, help="frames to time for each figure (default 300)")
    args = parser.parse_args(argv)

    from PyQt6.QtWidgets import QApplication

    from netviz.engine.history import History
    from netviz.engine.presets import blog
    from netviz.engine.training import Trainer, blog_config
    from netviz.player.model import Playback
    from netviz.player.run import Run
    from netviz.player.timeline import Timeline
    from netviz.ui.loss_plot import LossPlot
    from netviz.ui.timeline import TimelineSlider

    app = QApplication.instance() or QApplication([])
    config, data = blog_config(), blog()
    history = History(config, data)
    Trainer(config, data).run(history, config.epochs)

    playback = Playback(latest=0, target=config.epochs, can_train=True)
    timeline = Timeline(playback)
    plot, slider = LossPlot(playback, timeline), TimelineSlider(playback, timeline)
    plot.set_run(Run(history, trainable=True))
    for widget, height in ((plot, 180), (slider, 50)):
        widget.resize(800, height)
        widget.show()
    app.processEvents()

    # Live: each frame the playback learns of ~20 new epochs and shows the newest.
    grow, slide, cursor = [], [], []
    playback.go_end()
    step = max(1, config.epochs // (2 * args.frames))
    for latest in range(step, step * args.frames + 1, step):
        start = time.perf_counter()
        playback.set_latest(latest)
        plot.plot_widget.viewport().repaint()
        grow.append(time.perf_counter() - start)

    # Replay: only the shown epoch moves; the plot repaints its cursor, the slider its handle and label.
    playback.set_latest(config.epochs)
    plot.plot_widget.viewport().repaint()
    for i in range(args.frames):
        epoch = 100 + 7 * i
        start = time.perf_counter()
        playback.show(epoch)
        plot.plot_widget.viewport().repaint()
        cursor.append(time.perf_counter() - start)
        start = time.perf_counter()
        slider.repaint()
        slide.append(time.perf_counter() - start)

    figures = {
        "cursor_repaint_ms": _stats(cursor),
        "slider_repaint_ms": _stats(slide),
        "live_epoch_ms": _stats(grow),
    }
    print(
        f"loss plot repaint, cursor moved: median {figures['cursor_repaint_ms'][0]:.2f} ms, "
        f"p95 {figures['cursor_repaint_ms'][1]:.2f} ms (target ~{TARGET_CURSOR_MS:g} ms)"
    )
    print(
        f"slider repaint (handle and label moved): median {figures['slider_repaint_ms'][0]:.2f} ms, "
        f"p95 {figures['slider_repaint_ms'][1]:.2f} ms"
    )
    print(
        f"live frame (new epochs: curve, cursor, repaint): median {figures['live_epoch_ms'][0]:.2f} ms, "
        f"p95 {figures['live_epoch_ms'][1]:.2f} ms"
    )
    for widget in (plot, slider):
        widget.close()
    return figures


if __name__ == "__main__":
    main()
