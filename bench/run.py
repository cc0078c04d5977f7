"""Every benchmark of the project in one run, printed as a table (and one JSON object with --json).

    python bench/run.py [--json]

Each figure comes from the benchmark script named beside it, run here with fewer repeats
so that the whole suite finishes in under a minute on a 2-core machine; run a script on
its own for steadier medians. Ratios are measured side by side in the same run, because
these machines are shared and noisy.
"""

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the netviz command sets it (see netviz/cli.py)

import app_speed  # noqa: E402
import export_speed  # noqa: E402
import history_rebuild  # noqa: E402
import html_speed  # noqa: E402
import learn_speed  # noqa: E402
import paint_sizes  # noqa: E402
import train_speed  # noqa: E402

BIG = (784, 64, 10)  # the network a teacher tries on the first day: 50,816 synapses


def quietly(fn, *args):
    """Run a benchmark function with its own printing captured; return its figures."""
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args)


TRAIN_ROUNDS = 7  # whole processes a few hundred ms long swing by a third: a median of interleaved runs


def train_and_export() -> dict:
    """Whole processes side by side: the blog's loop and netviz train (median of TRAIN_ROUNDS
    interleaved runs each), then the blog GIF export once.

    (train_speed.py and export_speed.py run more rounds, with warm-ups.)
    """
    with tempfile.TemporaryDirectory() as folder:
        gif = os.path.join(folder, "blog.gif")
        export_command = export_speed.commands(gif)["export"]
        expect = {name: train_speed.BLOG_PREDICTION for name in train_speed.COMMANDS}
        times = train_speed.interleaved(train_speed.COMMANDS, TRAIN_ROUNDS, expect)
        blog_s, train_s = (statistics.median(times[name]) for name in ("blog", "netviz"))
        export_s = train_speed.time_once(export_command)
        gif_bytes = os.path.getsize(gif)
    epochs = train_speed.EPOCHS
    return {
        "ratio": train_s / blog_s,
        "netviz_epochs_per_s": epochs / train_s,
        "export_s": export_s,
        "export_ratio": export_s / train_s,
        "gif_bytes": gif_bytes,
    }


def slowest_stage(figures: dict) -> float:
    """The dearest Learn stage's paint time, ms, of one network's learn_speed figures."""
    return max(value for key, value in figures.items() if key != "learn_step_ms")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    from PyQt6.QtWidgets import QApplication

    app_instance = QApplication.instance() or QApplication(sys.argv[:1])  # widgets need it before any painting

    train = train_and_export()
    paint = quietly(paint_sizes.main, ["--repeats", "7"])
    app = quietly(app_speed.main, ["--seconds", "3"])
    big_app = quietly(app_speed.in_app, 3.0, BIG, 6)  # a big frame takes ~40 ms: fewer, longer slices
    big_ratio = big_app["train_in_app_ratio"]
    rebuild = quietly(history_rebuild.main, ["--epochs", "20000", "--samples", "60"])
    export = train
    page = quietly(html_speed.main, ["--repeats", "3"])
    learn = quietly(learn_speed.main, ["--repeats", "3"])

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "train_ratio": train["ratio"],
        "train_epochs_per_s": train["netviz_epochs_per_s"],
        "paint_ms": paint["paint_ms"],
        "paint_ms_antialiased": paint["paint_ms_antialiased"],
        "train_in_app_ratio": app["train_in_app_ratio"],
        "train_in_app_ratio_784_64_10": big_ratio,
        "fps_784_64_10": big_app["fps"],
        "fps": app["fps"],
        "paint_ms_p95_app": app["paint_ms_p95"],
        "scrub_ms_p95": app["scrub_ms_p95"],
        "first_paint_s": app["first_paint_s"],
        "rebuild_ms": rebuild["rebuild_median_s"] * 1000,
        "history_mb": rebuild["nbytes"] / 2**20,
        "export_s": export["export_s"],
        "export_ratio": export["export_ratio"],
        "gif_bytes": export["gif_bytes"],
        **page,
        **{f"learn_{key}_{net.split()[0]}": value for net, figures in learn.items() for key, value in figures.items()},
    }
    result["total_s"] = time.perf_counter() - start

    rows = [
        (
            "netviz train vs the blog's loop (time ratio)",
            f"{result['train_ratio']:.2f}",
            f"<= {train_speed.TARGET_RATIO}",
        ),
        ("  netviz train, epochs/s", f"{result['train_epochs_per_s']:,.0f}", ""),
        *[
            (
                f"paint ms, {k} synapses (playing / antialiased)",
                f"{v:.1f} / {paint['paint_ms_antialiased'][k]:.0f}",
                f"<= {paint_sizes.TARGET_MS[k]}",
            )
            for k, v in paint["paint_ms"].items()
        ],
        ("training in the app / headless", f"{result['train_in_app_ratio']:.2f}", ">= 0.80"),
        ("painted frames per second in the app", f"{result['fps']:.0f}", ">= 50"),
        ("training in the app / headless, 784-64-10", f"{big_ratio:.2f}", ">= 0.80"),
        ("  painted frames per second, 784-64-10", f"{big_app['fps']:.1f}", ""),
        ("paint ms p95 in the app (1280x800)", f"{result['paint_ms_p95_app']:.1f}", "<= 8"),
        ("slider -> painted frame ms p95", f"{result['scrub_ms_p95']:.1f}", "<= 30"),
        ("launch -> first frame s", f"{result['first_paint_s']:.2f}", "<= 2"),
        ("rebuild any epoch ms (64-128-64-10, median)", f"{result['rebuild_ms']:.1f}", "<= 50"),
        ("  history MB (budget 256)", f"{result['history_mb']:.0f}", "<= 256"),
        ("export blog GIF s (100 frames, 800x500)", f"{result['export_s']:.2f}", ""),
        ("  export / netviz train (time ratio)", f"{result['export_ratio']:.2f}", "<= 3"),
        ("  GIF MB", f"{result['gif_bytes'] / 1e6:.2f}", "<= 3"),
        ("HTML page KB, blog run, 200 epochs", f"{page['html_bytes_blog'] / 1e3:.0f}", "<= 300"),
        ("  HTML page MB, 784-64-10, 100 epochs", f"{page['html_bytes_784'] / 1e6:.2f}", "<= 5"),
        ("  Chromium ms a frame, 10,000 synapses drawn", f"{page['html_frame_ms_10k']:.1f}", "<= 16"),
        ("  Chromium frames per second, blog page playing", f"{page['html_fps_blog']:.0f}", ">= 58"),
        *[
            (f"Learn {net}: step / slowest stage paint ms", f"{r['learn_step_ms']:.1f} / {slowest_stage(r):.0f}", "")
            for net, r in learn.items()
        ],
    ]
    print(f"netviz benchmarks on {result['machine']} ({result['total_s']:.0f} s)")
    print(f"| {'figure':<48} | {'measured':>12} | {'target':>7} |")
    print(f"|{'-' * 50}|{'-' * 14}|{'-' * 9}|")
    for name, value, target in rows:
        print(f"| {name:<48} | {value:>12} | {target:>7} |")
    if args.json:
        print(json.dumps(result))
    del app_instance
    return result


if __name__ == "__main__":
    main()
