"""Learn mode's cost: replaying one step, and painting each stage at 1280x800 (raster, offscreen).

Prints, per network, the time of `learn_step` and the median paint time of each stage (the
stages are painted while paused, so these are the window's Learn view and a Learn GIF frame).

    python bench/learn_speed.py [--repeats 5]
"""

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np

NETWORKS = {"blog 3-4-1": ((3, 4, 1), 7), "2-64-64-1": ((2, 64, 64, 1), 400), "784-64-10": ((784, 64, 10), 200)}
SIZE = (1280, 800)
EPOCHS = 5


def measure(layers, rows: int, repeats: int) -> dict:
    from netviz.engine.data import Dataset
    from netviz.engine.history import History
    from netviz.engine.learn import learn_step
    from netviz.engine.network import Architecture
    from netviz.engine.training import TrainConfig, Trainer
    from netviz.render.learn import render_learn
    from netviz.render.painter import GeometryCache
    from netviz.scene.learn import STAGES
    from netviz.scene.scene import neuron_labels
    from netviz.scene.style import THEMES, weight_scale

    rng = np.random.default_rng(0)
    data = Dataset(rng.random((rows, layers[0])), rng.integers(0, 2, (rows, layers[-1])).astype(float))
    config = TrainConfig(Architecture.of(layers, bias=True), lr=0.1, epochs=EPOCHS, init="glorot")
    history = History(config, data)
    Trainer(config, data).run(history, EPOCHS)
    start = time.perf_counter()
    learn = learn_step(history, EPOCHS - 1)
    result = {"learn_step_ms": (time.perf_counter() - start) * 1000}
    labels, cache = neuron_labels(layers), GeometryCache()
    for stage in STAGES:
        times = []
        for i in range(repeats + 1):
            start = time.perf_counter()
            render_learn(
                learn, stage, (i + 1) / (repeats + 1), *SIZE, THEMES["light"], weight_scale("log"), labels, cache
            )
            times.append(time.perf_counter() - start)
        result[f"{stage}_ms"] = float(np.median(times[1:]) * 1000)  # the first builds the geometry
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    from netviz.render import ensure_gui_app

    ensure_gui_app()
    results = {}
    for name, (layers, rows) in NETWORKS.items():
        results[name] = r = measure(layers, rows, args.repeats)
        stages = "  ".join(f"{key[:-3]} {value:6.1f}" for key, value in r.items() if key != "learn_step_ms")
        print(f"{name:>12}: learn_step {r['learn_step_ms']:6.1f} ms | paint ms: {stages}")
    return results


if __name__ == "__main__":
    main()
