"""Reading a CSV file whose last column is a class label: words against whole numbers.

Both files have 200,000 rows of four measurements and a class (4-5 MB); a word label must
read about as fast as a number (the README promises 3-10 MB a second for data files). The two
alternate for a few rounds and the medians are printed.

    python bench/csv_labels_speed.py [--rounds 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed netviz

from netviz.engine.data import load_csv

ROWS = 200_000


def write(folder: str, name: str, label) -> str:
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write("a,b,c,d,kind\n")
        f.writelines(f"{i % 7}.1,{i % 5}.25,3.5,0.2,{label(i)}\n" for i in range(ROWS))
    return path


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args(argv).rounds
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        files = {
            "whole numbers": write(folder, "numbers.csv", lambda i: i % 3),
            "words": write(folder, "words.csv", lambda i: ("setosa", "versicolor", "virginica")[i % 3]),
        }
        seconds = {kind: [] for kind in files}
        for _ in range(rounds):
            for kind, path in files.items():
                start = time.perf_counter()
                data = load_csv(path)
                seconds[kind].append(time.perf_counter() - start)
                assert data.n_out == 3
        for kind, path in files.items():
            median = statistics.median(seconds[kind])
            megabytes = os.path.getsize(path) / 1e6
            figures[f"{kind} MB/s"] = megabytes / median
            print(f"  {kind:14s} {megabytes:.1f} MB in {median:.2f} s = {megabytes / median:.1f} MB/s")
    return figures


if __name__ == "__main__":
    main()
