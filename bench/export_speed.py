"""`netviz export` of the blog run against `netviz train` beside it, each run as a whole process.

The export trains the blog's 60,000 epochs and writes 100 frames at 800x500, log
schedule, captions on, as a GIF. The two commands alternate (which one goes first swaps
every round) so that a noisy, shared machine slows both alike, and the medians are
compared. Targets: the GIF at most 3 MB, and the export at most 3x the time of training.

    python bench/export_speed.py [--rounds 5] [--out FILE.gif]
"""

import argparse
import os
import statistics
import sys
import tempfile

from train_speed import interleaved  # the same whole-process timing (and environment) as train_speed.py

FRAMES, SIZE = 100, "800x500"
MAX_BYTES, MAX_RATIO = 3_000_000, 3.0


def commands(out: str) -> dict[str, list[str]]:
    export = ["export", out, "--frames", str(FRAMES), "--size", SIZE, "--schedule", "log", "--caption"]
    return {
        "export": [sys.executable, "-m", "netviz", *export],
        "train": [sys.executable, "-m", "netviz", "train"],
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--out", help="where to keep the GIF (default: a temporary folder)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        out = args.out or os.path.join(folder, "blog.gif")
        runs = commands(out)
        times = interleaved(runs, args.rounds)
        gif_bytes = os.path.getsize(out)

    median = {name: statistics.median(t) for name, t in times.items()}
    result = {
        "rounds": args.rounds,
        "frames": FRAMES,
        "size": SIZE,
        "gif_bytes": gif_bytes,
        "export_s": median["export"],
        "train_s": median["train"],
        "ratio": median["export"] / median["train"],
        "export_runs_s": times["export"],
        "train_runs_s": times["train"],
    }
    print(f"blog run, {FRAMES} frames at {SIZE}, log schedule, captions; median of {args.rounds} interleaved rounds")
    size_verdict = "ok" if gif_bytes <= MAX_BYTES else "TOO BIG"
    print(f"  GIF {gif_bytes / 1e6:.2f} MB (target <= {MAX_BYTES / 1e6:g} MB: {size_verdict})")
    for name in runs:
        print(f"  {name:7s} {median[name]:6.2f} s   (runs: {' '.join(f'{t:.2f}' for t in times[name])})")
    verdict = "ok" if result["ratio"] <= MAX_RATIO else "TOO SLOW"
    print(f"  ratio export/train {result['ratio']:.2f} (target <= {MAX_RATIO:g}: {verdict})")
    return result


if __name__ == "__main__":
    main()
