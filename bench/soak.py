"""A long run in the window: the blog network trains 1,000,000 epochs while it animates.

Every few seconds it prints the epoch, the frames painted per second, the process's
resident memory and the history's own memory; at the end, whether memory stayed within
the history budget plus a fixed overhead and whether the frame rate held up (last third
against the first third).

    python bench/soak.py [--epochs 1000000] [--every 3]
"""

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the netviz command sets it
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1_000_000)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between samples")
    args = parser.parse_args(argv)

    from PyQt6.QtCore import QEventLoop, QTimer
    from PyQt6.QtWidgets import QApplication

    from netviz.engine.history import DEFAULT_BUDGET
    from netviz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (kept alive for the run)
    window = MainWindow()
    window.confirm_discard = False
    window.resize(1280, 860)
    window.show()
    baseline = rss_mb()
    window.transport.target_box.setValue(args.epochs)
    window.playback.set_speed("max")  # as fast as training goes
    window.play()
    samples = []
    print(f"{'s':>6} {'epoch':>10} {'fps':>6} {'RSS MB':>8} {'history MB':>11}")
    start = time.perf_counter()
    while window.playing or window.history.latest_epoch < args.epochs:
        painted, t0 = window.canvas.paint_count, time.perf_counter()
        loop = QEventLoop()
        QTimer.singleShot(int(args.every * 1000), loop.quit)
        loop.exec()
        fps = (window.canvas.paint_count - painted) / (time.perf_counter() - t0)
        sample = (
            time.perf_counter() - start,
            window.history.latest_epoch,
            fps,
            rss_mb(),
            window.history.nbytes() / 2**20,
        )
        samples.append(sample)
        print(f"{sample[0]:6.0f} {sample[1]:10,d} {sample[2]:6.1f} {sample[3]:8.0f} {sample[4]:11.1f}")
        if not window.playing and window.history.latest_epoch >= args.epochs:
            break
    window.close()

    fps = np.array([s[2] for s in samples[:-1]] or [0.0])  # the last sample may include the stop
    third = max(1, len(fps) // 3)
    peak_rss = max(s[3] for s in samples)
    overhead_mb = peak_rss - baseline - DEFAULT_BUDGET / 2**20
    result = {
        "epochs": window.history.latest_epoch,
        "seconds": samples[-1][0],
        "fps_first_third": float(fps[:third].mean()),
        "fps_last_third": float(fps[-third:].mean()),
        "rss_baseline_mb": baseline,
        "rss_peak_mb": peak_rss,
        "history_mb": samples[-1][4],
        "budget_mb": DEFAULT_BUDGET / 2**20,
    }
    print(
        f"{result['epochs']:,} epochs in {result['seconds']:.0f} s; fps first third {result['fps_first_third']:.1f}, "
        f"last third {result['fps_last_third']:.1f}; RSS {baseline:.0f} -> {peak_rss:.0f} MB "
        f"(history {result['history_mb']:.0f} MB of a {result['budget_mb']:.0f} MB budget; "
        f"{'within' if overhead_mb <= 0 else f'{overhead_mb:.0f} MB over'} budget + start)"
    )
    return result


if __name__ == "__main__":
    main()
