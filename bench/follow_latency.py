"""How soon the window shows an epoch that a recorder in another process just wrote (live follow, offscreen).

A writer process records one epoch every --interval seconds, each with its wall-clock write time
as its loss; the window follows the file and notes when it first draws each epoch.

Target: every epoch on screen within a second of its record() (the window polls every 250 ms).

    python bench/follow_latency.py [--epochs 60] [--interval 0.05]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np

TARGET_S = 1.0
WRITER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from netviz import Recorder

    path, epochs, interval, t0 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    rng = np.random.default_rng(0)
    with Recorder(path, layers=[2, 8, 8, 1], activations=["tanh", "tanh", "sigmoid"]) as rec:
        for _ in range(epochs):
            w = [rng.normal(size=(2, 8)), rng.normal(size=(8, 8)), rng.normal(size=(8, 1))]
            rec.record(w, loss=time.time() - t0)  # the loss carries the moment it was written
            time.sleep(interval)
    """
)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=60, help="epochs the writer records (default 60)")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between records (default 0.05)")
    args = parser.parse_args(argv)

    from PyQt6.QtWidgets import QApplication

    from netviz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp(prefix="netviz-follow-")
    path, t0 = os.path.join(folder, "live.netviz"), time.time()
    command = [sys.executable, "-c", WRITER, path, str(args.epochs), str(args.interval), str(t0)]
    writer = subprocess.Popen(command)
    while not os.path.exists(path):
        time.sleep(0.01)
    window = MainWindow()
    window.confirm_discard = False
    window.show()
    shown: dict[int, float] = {}  # epoch -> when the first frame at or past it was drawn (on the curve, reachable)

    def on_frame(epoch: int) -> None:
        now = time.time() - t0
        for e in range(max(shown, default=-1) + 1, epoch + 1):
            shown[e] = now

    window.frame_shown.connect(on_frame)
    window.open_session(path)
    while writer.poll() is None or (window.recording and time.time() - t0 < 120):
        app.processEvents()
        time.sleep(0.002)
    window.close()
    loss = np.asarray(window.history.loss)
    # Epochs the window opened with were never "new": they all come with its first frame.
    latency = np.array([shown[e] - loss[e] for e in sorted(shown) if shown[e] > shown[0]])
    figures = {
        "epochs_followed": int(latency.size),
        "latency_median_s": float(np.median(latency)) if latency.size else float("nan"),
        "latency_max_s": float(latency.max()) if latency.size else float("nan"),
        "target_s": TARGET_S,
    }
    print(
        f"live follow, {figures['epochs_followed']} new epochs: record() to on screen, median "
        f"{figures['latency_median_s']:.3f} s, max {figures['latency_max_s']:.3f} s (target <= {TARGET_S:g} s)"
    )
    return figures


if __name__ == "__main__":
    main()
