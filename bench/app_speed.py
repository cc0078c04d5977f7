"""The window under load: the blog network training at full speed while it animates.

Prints training throughput in the app against headless (target >= 80%), painted frames
per second (>= 50), paint time p95 at 1280x800 (<= 8 ms), slider-to-painted-frame latency
p95 (<= 30 ms) and time from launch to the first painted frame (<= 2 s).

    python bench/app_speed.py [--seconds 3]
"""

import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

FIRST_PAINT_SCRIPT = """
import sys, time
from PyQt6.QtWidgets import QApplication
from netviz.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
w = MainWindow()
w.confirm_discard = False
w.show()
while w.canvas.paint_count == 0:
    app.processEvents()
print(time.time())
w.close()
"""


def network(layers: tuple[int, ...] | None):
    """The blog's run, or a sigmoid network of these sizes on 64 random rows (as a teacher might try)."""
    from netviz.engine import Architecture, Dataset, TrainConfig, blog, blog_config

    if layers is None:
        return blog_config(), blog()
    rng = np.random.default_rng(0)
    data = Dataset(rng.uniform(size=(64, layers[0])), rng.uniform(size=(64, layers[-1])))
    return TrainConfig(Architecture.of(layers), lr=0.01, epochs=10**8, init="glorot"), data


def headless_rate(seconds: float, layers=None) -> float:
    """Epochs per second of the trainer alone, over about `seconds`."""
    from netviz.engine import History, Trainer

    config, data = network(layers)
    trainer, history = Trainer(config, data), History(config, data)
    start, epochs = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        epochs += 200
        trainer.run(history, epochs)
    return epochs / (time.perf_counter() - start)


def first_paint_seconds() -> float:
    env = dict(os.environ, PYTHONPATH=ROOT)
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    return float(out.stdout.strip().splitlines()[-1]) - start


def run_event_loop(seconds: float) -> None:
    """Let Qt run as in the app (blocked in its event loop, not polled from Python)."""
    from PyQt6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def in_app(seconds: float, layers=None) -> dict:
    from PyQt6.QtCore import QEventLoop
    from PyQt6.QtWidgets import QApplication

    from netviz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(*network(layers))
    window.confirm_discard = False  # the benchmark discards its run
    window.show()
    window.canvas.setFixedSize(1280, 800)  # the size the targets are set for
    window.resize(1300, 1200)
    for _ in range(20):
        app.processEvents()
    canvas = window.canvas
    window.target_box.setValue(100_000_000)
    window.speed_box.setCurrentIndex(window.speed_box.count() - 1)  # full speed
    window.play()
    run_event_loop(0.3)  # warm up
    canvas.paint_seconds.clear()
    e0, p0, t0 = window.history.latest_epoch, canvas.paint_count, time.perf_counter()
    run_event_loop(seconds)
    elapsed = time.perf_counter() - t0
    rate = (window.history.latest_epoch - e0) / elapsed
    fps = (canvas.paint_count - p0) / elapsed
    paint_ms = np.array(canvas.paint_seconds) * 1000

    # Scrubbing while training goes on: from a slider change to the end of the next paint.
    latencies, rng = [], np.random.default_rng(0)
    window.follow_box.setChecked(False)
    run_event_loop(0.6)  # the slider's range follows training about twice a second
    for _ in range(60):
        target = int(rng.integers(0, max(1, window.slider.maximum())))
        loop = QEventLoop()
        canvas.painted.connect(loop.quit)
        start = time.perf_counter()
        window.slider.setValue(target)
        if canvas.last_painted_epoch != target:  # the slider usually paints at once
            loop.exec()
        canvas.painted.disconnect(loop.quit)
        latencies.append(time.perf_counter() - start)
        assert canvas.last_painted_epoch == target
        run_event_loop(0.02)
    size = (canvas.width(), canvas.height())
    window.close()
    return {
        "canvas_size": f"{size[0]}x{size[1]}",
        "app_epochs_per_s": rate,
        "fps": fps,
        "paint_ms_median": float(np.median(paint_ms)),
        "paint_ms_p95": float(np.percentile(paint_ms, 95)),
        "scrub_ms_p95": float(np.percentile(np.array(latencies) * 1000, 95)),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--layers", help="e.g. 784,64,10 on random data (default: the blog's run)")
    args = parser.parse_args(argv)
    layers = tuple(int(n) for n in args.layers.split(",")) if args.layers else None
    headless = headless_rate(args.seconds / 2, layers)
    app = in_app(args.seconds, layers)
    headless_after = headless_rate(args.seconds / 2, layers)  # a shared machine: measure both sides
    headless = (headless + headless_after) / 2
    result = dict(app, headless_epochs_per_s=headless, train_in_app_ratio=app["app_epochs_per_s"] / headless)
    result["first_paint_s"] = first_paint_seconds()
    rows = [
        ("training in app / headless", f"{result['train_in_app_ratio']:.2f}", ">= 0.80"),
        ("  in app, epochs/s", f"{result['app_epochs_per_s']:,.0f}", ""),
        ("  headless, epochs/s", f"{headless:,.0f}", ""),
        ("painted frames per second", f"{result['fps']:.1f}", ">= 50"),
        (f"paint ms p95 at {result['canvas_size']}", f"{result['paint_ms_p95']:.2f}", "<= 8"),
        ("paint ms median", f"{result['paint_ms_median']:.2f}", ""),
        ("slider -> painted frame ms p95", f"{result['scrub_ms_p95']:.1f}", "<= 30"),
        ("launch -> first frame s", f"{result['first_paint_s']:.2f}", "<= 2"),
    ]
    for name, value, target in rows:
        print(f"{name:34s} {value:>10s}  {target}")
    return result


if __name__ == "__main__":
    main()
