"""Paint time per frame at 1280x800 (raster engine, offscreen) for networks of 16 to 50k synapses.

Targets (median, while playing, i.e. without antialiasing): 8 ms for 16 synapses, 16 ms for
1k, 33 ms for 10k, 100 ms for 50k. Antialiased times (paused, exports) are printed beside.

    python bench/paint_sizes.py [--repeats 15] [--weight-scale log|run|clamp]
"""

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np

NETWORKS = {"16": (3, 4, 1), "1000": (32, 31, 1), "10000": (100, 100, 1), "50000": (784, 64, 10)}
TARGET_MS = {"16": 8, "1000": 16, "10000": 33, "50000": 100}
SIZE = (1280, 800)


def paint_ms(layers, repeats: int, antialias: bool, scale_kind: str) -> float:
    from PyQt6.QtGui import QImage, QPainter

    from netviz.engine.network import Architecture
    from netviz.render.painter import Frame, GeometryCache, paint_frame
    from netviz.scene.scene import neuron_labels
    from netviz.scene.style import THEMES, largest_weight, weight_scale

    arch = Architecture.of(layers)
    rng = np.random.default_rng(0)
    image = QImage(*SIZE, QImage.Format.Format_RGB32)
    cache = GeometryCache()
    thetas = [arch.init_params(seed, "glorot") * (1 + seed) for seed in range(4)]  # weights that change
    scale = weight_scale(scale_kind, largest_weight(np.vstack(thetas)[:, arch.weight_index()]))
    labels = neuron_labels(layers)
    times = []
    for i in range(repeats + 1):
        frame = Frame(arch, thetas[i % 4], THEMES["light"], scale, labels, i, inputs=rng.uniform(size=layers[0]))
        painter = QPainter(image)
        start = time.perf_counter()
        paint_frame(painter, *SIZE, frame, cache, antialias=antialias, caption=True, sparkline=False)
        painter.end()
        times.append(time.perf_counter() - start)
    return float(np.median(times[1:]) * 1000)  # the first paint builds the geometry and caches


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    from netviz.scene.style import DEFAULT_WEIGHT_SCALE, WEIGHT_SCALES

    parser.add_argument("--weight-scale", choices=WEIGHT_SCALES, default=DEFAULT_WEIGHT_SCALE)
    args = parser.parse_args(argv)
    from netviz.render import ensure_gui_app

    ensure_gui_app()
    result = {"paint_ms": {}, "paint_ms_antialiased": {}}
    print(f"{'synapses':>9s} {'network':>12s} {'playing ms':>11s} {'target':>7s} {'antialiased ms':>15s}")
    for key, layers in NETWORKS.items():
        plain = paint_ms(layers, args.repeats, False, args.weight_scale)
        smooth = paint_ms(layers, max(3, args.repeats // 3), True, args.weight_scale)
        result["paint_ms"][key] = plain
        result["paint_ms_antialiased"][key] = smooth
        label = "-".join(map(str, layers))
        print(f"{key:>9s} {label:>12s} {plain:11.1f} {TARGET_MS[key]:7d} {smooth:15.1f}")
    return result


if __name__ == "__main__":
    main()
