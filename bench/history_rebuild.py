"""History of a big run: memory against the budget, and the time to rebuild any epoch.

A 64-128-64-10 sigmoid network trains 20,000 epochs into a History with the default
256 MB budget, which then holds keyframes only; weights_at(epoch) replays from the nearest
one. Targets: nbytes <= budget, median rebuild <= 50 ms.

    python bench/history_rebuild.py [--epochs 20000] [--samples 200]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed netviz
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the netviz command sets it (see netviz/cli.py)

import numpy as np

from netviz.engine.data import Dataset
from netviz.engine.history import DEFAULT_BUDGET, History
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer

LAYERS = (64, 128, 64, 10)
ROWS = 32
TARGET_MEDIAN_S = 0.050


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20_000, help="epochs to train (default 20000)")
    parser.add_argument("--samples", type=int, default=200, help="random epochs to rebuild (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and of the sampled epochs")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    dataset = Dataset(rng.uniform(size=(ROWS, LAYERS[0])), rng.uniform(size=(ROWS, LAYERS[-1])))
    config = TrainConfig(Architecture.of(LAYERS), lr=0.001, epochs=args.epochs, init="glorot")
    history = History(config, dataset)
    start = time.perf_counter()
    Trainer(config, dataset).run(history, args.epochs)
    train_s = time.perf_counter() - start

    epochs = rng.integers(0, args.epochs + 1, size=args.samples)
    rebuild_s = []
    for epoch in epochs:
        start = time.perf_counter()
        history.weights_at(int(epoch))
        rebuild_s.append(time.perf_counter() - start)

    # Exactness, spot-checked: the epoch just before a keyframe needs the longest replay.
    probe = min(args.epochs, 2 * history.stride - 1)
    fresh = Trainer(config, dataset)
    fresh.advance(probe)
    exact = bool(np.array_equal(history.weights_at(probe), fresh.theta))

    median, p95 = statistics.median(rebuild_s), float(np.percentile(rebuild_s, 95))
    result = {
        "layers": LAYERS,
        "rows": ROWS,
        "epochs": args.epochs,
        "train_s": train_s,
        "epochs_per_s": args.epochs / train_s,
        "nbytes": history.nbytes(),
        "budget_bytes": DEFAULT_BUDGET,
        "stride": history.stride,
        "rebuild_median_s": median,
        "rebuild_p95_s": p95,
        "rebuild_max_s": max(rebuild_s),
        "exact": exact,
    }
    mb, ms = 2**20, 1e3
    label, n_params = config.arch.label(), config.arch.n_params
    within = "ok" if history.nbytes() <= DEFAULT_BUDGET else "OVER BUDGET"
    verdict = "ok" if median <= TARGET_MEDIAN_S else "TOO SLOW"
    print(f"{label} network ({n_params:,} parameters), {ROWS} rows, {args.epochs:,} epochs")
    print(f"  training    {train_s:.2f} s ({args.epochs / train_s:,.0f} epochs/s, recording the history)")
    print(f"  history     {history.nbytes() / mb:.1f} MB of {DEFAULT_BUDGET / mb:.0f} MB ({within})")
    print(f"              a keyframe every {history.stride} epochs")
    print(f"  weights_at  median {median * ms:.2f} ms, p95 {p95 * ms:.2f} ms, max {max(rebuild_s) * ms:.2f} ms")
    print(f"              over {args.samples} random epochs (target: median <= 50 ms: {verdict})")
    print(f"  epoch {probe:,} rebuilt bit for bit: {exact}")
    return result


if __name__ == "__main__":
    main()
