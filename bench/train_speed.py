"""`netviz train` against the blog's plain NumPy loop, each run as a whole process.

Both train the blog's network for 60,000 epochs; netviz also records every epoch into its
history. The two commands alternate (which one goes first swaps every round) so that a
noisy, shared machine slows both alike, and the medians are compared. Target: ratio <= 0.7.

Both run with Python's default of caching bytecode, as an installed netviz does (pip
compiles it at install), even where PYTHONDONTWRITEBYTECODE is set: without the cache,
compiling netviz's own modules adds about 30 ms to every start.

    python bench/train_speed.py [--rounds 5]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCHS = 60_000
TARGET_RATIO = 0.7
BLOG_PREDICTION = "0.0078876"  # both programs must print it, or the timing means nothing
COMMANDS = {
    "netviz": [sys.executable, "-m", "netviz", "train"],
    "blog": [sys.executable, str(ROOT / "bench" / "blog_loop.py")],
}


ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def time_once(command: list[str], expect: str = "") -> float:
    """Wall time of one whole process, start-up included (seconds); it must print `expect`."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0 or expect not in done.stdout:
        sys.exit(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds


def interleaved(commands: dict[str, list[str]], rounds: int, expect: dict[str, str] | None = None) -> dict:
    """Each command's wall times over `rounds` runs: warmed once, then run in turn, the order
    reversed every other round, so that a noisy machine weighs on all of them alike."""
    expect = expect or {}
    for name, command in commands.items():  # warm the file cache and the bytecode cache
        time_once(command, expect.get(name, ""))
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(rounds):
        order = list(commands) if round_ % 2 == 0 else list(commands)[::-1]
        for name in order:
            times[name].append(time_once(commands[name], expect.get(name, "")))
    return times


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="runs of each command (default 5)")
    args = parser.parse_args(argv)

    times = interleaved(COMMANDS, args.rounds, {name: BLOG_PREDICTION for name in COMMANDS})

    median = {name: statistics.median(runs) for name, runs in times.items()}
    result = {
        "rounds": args.rounds,
        "epochs": EPOCHS,
        "netviz_s": median["netviz"],
        "blog_s": median["blog"],
        "netviz_epochs_per_s": EPOCHS / median["netviz"],
        "blog_epochs_per_s": EPOCHS / median["blog"],
        "ratio": median["netviz"] / median["blog"],
        "netviz_runs_s": times["netviz"],
        "blog_runs_s": times["blog"],
    }
    print(f"whole process, {EPOCHS:,} epochs, median of {args.rounds} interleaved rounds")
    for name in COMMANDS:
        runs = " ".join(f"{t:.2f}" for t in times[name])
        print(f"  {name:7s} {median[name]:6.2f} s  {EPOCHS / median[name]:8,.0f} epochs/s   (runs: {runs})")
    verdict = "ok" if result["ratio"] <= TARGET_RATIO else "TOO SLOW"
    print(f"  ratio netviz/blog {result['ratio']:.3f} (target <= {TARGET_RATIO}: {verdict})")
    return result


if __name__ == "__main__":
    main()
