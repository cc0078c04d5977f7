"""What regularisation, test rows and edits cost: epochs per second against a plain run, and rebuilds in an edited one.

The circle preset's recipe (2-8-1 tanh, full batch) trains on the same 160 rows in short
slices, interleaved, with and without an L2 rate and with and without 40 test rows (whose
forward pass runs every epoch); the medians' ratios are printed. Then a 64-128-64-10 run
with a change every 2,000 epochs rebuilds random epochs (replayed within their segment).

    python bench/lab_speed.py [--epochs 2000] [--rounds 9]
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

from netviz.engine import segments
from netviz.engine.changes import Change
from netviz.engine.data import Dataset
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.runspec import DataSource, RunSpec
from netviz.engine.training import TrainConfig, Trainer


def epochs_per_second(config, rows, test, epochs: int) -> float:
    trainer, history = Trainer(config, rows, test), History(config, rows, test=test)
    start = time.perf_counter()
    trainer.run(history, epochs)
    return epochs / (time.perf_counter() - start)


def rebuild_ms(epochs: int, samples: int = 200) -> tuple[float, int]:
    """Median ms of weights_at(random epoch) in a 64-128-64-10 run with a change every 2,000 epochs; segments."""
    rng = np.random.default_rng(0)
    dataset = Dataset(rng.uniform(size=(32, 64)), rng.uniform(size=(32, 10)))
    config = TrainConfig(Architecture.of((64, 128, 64, 10)), lr=0.001, epochs=epochs, init="glorot")
    history = History(config, dataset)
    changes = [Change(e, (("lr", 0.001 * (1 + e / 2000)),)) for e in range(2000, epochs, 2000)]
    segments.train(history, epochs, changes)
    times = []
    for epoch in rng.integers(0, epochs + 1, size=samples):
        start = time.perf_counter()
        history.weights_at(int(epoch))
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times), len(history.segments)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2_000, help="epochs per slice (default 2000)")
    parser.add_argument("--rounds", type=int, default=9, help="slices of each kind, interleaved (default 9)")
    args = parser.parse_args(argv)

    config, rows, test = RunSpec.following(DataSource("preset", "circle"), test_fraction=0.2).build_split()
    kinds = {
        "plain": (config, None),
        "l2": (TrainConfig(config.arch, lr=config.lr, batch=config.batch, l2=0.001), None),
        "test rows": (config, test),
    }
    rates = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind, (cfg, held) in kinds.items():
            rates[kind].append(epochs_per_second(cfg, rows, held, args.epochs))
    medians = {kind: statistics.median(values) for kind, values in rates.items()}
    rebuild, n_segments = rebuild_ms(20_000)
    print(f"circle recipe, {len(rows)} training rows, median of {args.rounds} interleaved slices of {args.epochs:,}")
    for kind, rate in medians.items():
        print(f"  {kind:10} {rate:9,.0f} epochs/s   time vs plain {medians['plain'] / rate:.2f}")
    print(f"rebuild any epoch, 64-128-64-10, 20,000 epochs in {n_segments} segments: median {rebuild:.2f} ms")
    return {"epochs_per_s": medians, "rebuild_ms": rebuild, "segments": n_segments}


if __name__ == "__main__":
    main()
