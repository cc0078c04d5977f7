"""The HTML page: its size for the blog run and for 784-64-10, and its speed in headless Chromium.

    python bench/html_speed.py [--json]

Sizes: the blog's run (60,000 epochs) with 200 exported epochs (target <= 300 KB), and
784-64-10 on 64 random rows, 300 epochs trained, 100 exported (target <= 5 MB). Speed, in
Debian's Chromium (headless, software rendering): milliseconds to draw one frame of a 100-100-1
network with all of its 10,000 synapses drawn (target <= 16) and of the blog's network, and the
epochs shown per second while the blog's page plays at 60 frames a second (target 60: the
screen's rate, which headless Chromium paces; a busy machine drops a few).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import numpy as np  # noqa: E402

from netviz.engine import Architecture, Dataset, History, TrainConfig, Trainer, blog, blog_config  # noqa: E402
from netviz.export.html import write_html  # noqa: E402
from netviz.export.options import ExportOptions  # noqa: E402

TARGETS = {
    "html_bytes_blog": 300_000, "html_bytes_784": 5_000_000, "html_frame_ms_10k": 16, "html_frame_ms_blog": 16,
    "html_fps_blog": 60,
}  # fmt: skip


def trained(config, data, epochs: int) -> History:
    history = History(config, data)
    Trainer(config, data).run(history, epochs)
    return history


def random_run(layers, epochs: int) -> History:
    """A sigmoid network of these sizes on 64 random rows (as bench/app_speed.py trains)."""
    rng = np.random.default_rng(0)
    data = Dataset(rng.uniform(size=(64, layers[0])), rng.uniform(size=(64, layers[-1])))
    return trained(TrainConfig(Architecture.of(layers), lr=0.01, epochs=epochs, init="glorot"), data, epochs)


def export_page(history, path: str, frames: int, edge_budget: int | None = None) -> int:
    """Write the page of history's run with `frames` epochs; its size in bytes."""
    data = history.dataset
    first = data.new_situation if data.new_situation is not None else data.inputs[0]
    options = ExportOptions(path, frames=frames).for_run(history.latest_epoch, data.n_in, first)
    write_html(path, history, options, **({} if edge_budget is None else {"edge_budget": edge_budget}))
    return os.path.getsize(path)


def browser_figures(blog_page: str, big_page: str, repeats: int) -> dict:
    """ms per frame with 10,000 synapses drawn (median of `repeats` runs of 30 frames), and the blog's fps."""
    from tests.export.browser import Page, chromium

    with chromium() as context:
        big = Page(context, big_page)
        big.call("player.frameMs(5)")  # warm up the compiler
        frame_ms = statistics.median(big.call("player.frameMs(30)") for _ in range(repeats))
        errors = big.errors
        big.close()
        blog = Page(context, blog_page)
        blog.call("player.frameMs(20)")
        blog_ms = statistics.median(blog.call("player.frameMs(100)") for _ in range(repeats))
        blog.call("player.show(0)")
        blog.page.select_option(".nv-speed", "60")
        blog.call("player.play()")
        blog.page.wait_for_timeout(300)
        start = blog.call("[player.draws, performance.now()]")
        blog.page.wait_for_timeout(2000)
        end = blog.call("[player.draws, performance.now()]")
        errors += blog.errors
        blog.close()
    if errors:
        raise RuntimeError(f"the page reported errors: {errors}")
    fps = (end[0] - start[0]) / (end[1] - start[1]) * 1000
    return {"html_frame_ms_10k": frame_ms, "html_frame_ms_blog": blog_ms, "html_fps_blog": fps}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        blog_page, big_page, wide_page = (os.path.join(folder, f"{n}.html") for n in ("blog", "big", "wide"))
        result = {
            "html_bytes_blog": export_page(trained(blog_config(), blog(), 60_000), blog_page, 200),
            "html_bytes_784": export_page(random_run((784, 64, 10), 300), big_page, 100),
        }
        export_page(random_run((100, 100, 1), 100), wide_page, 30, edge_budget=10_000)
        result.update(browser_figures(blog_page, wide_page, args.repeats))
    for key, value in result.items():
        print(f"{key:<20} {value:>12,.1f}   target {'<=' if 'fps' not in key else '>='} {TARGETS[key]:,}")
    if args.json:
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
