"""Writes the synthetic data files beside this script: python tests/data/make_data.py.

iris_like.csv: 150 rows, 4 measurements in cm and a species name, drawn from gaussians with the
means and spreads of Fisher's iris data (50 rows a species), rounded to 0.1 as the real ones are.
digits_like.csv: 300 rows of 8x8 pictures (64 inputs 0..16, as scikit-learn's digits) and a digit
0-9: each digit a fixed random stroke pattern, each row that pattern with strokes left out and
noise, 30 rows a digit.
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
IRIS = {  # species: (means, standard deviations) of sepal length, sepal width, petal length, petal width
    "setosa": ((5.01, 3.43, 1.46, 0.25), (0.35, 0.38, 0.17, 0.11)),
    "versicolor": ((5.94, 2.77, 4.26, 1.33), (0.52, 0.31, 0.47, 0.20)),
    "virginica": ((6.59, 2.97, 5.55, 2.03), (0.64, 0.32, 0.55, 0.27)),
}


def iris_like(rng: np.random.Generator) -> list[str]:
    """The header and 150 rows, species after species."""
    lines = ["sepal_length,sepal_width,petal_length,petal_width,species"]
    for species, (means, spreads) in IRIS.items():
        rows = np.clip(rng.normal(means, spreads, (50, 4)), 0.1, None).round(1)
        lines += [",".join(f"{v:.1f}" for v in row) + f",{species}" for row in rows]
    return lines


def digits_like(rng: np.random.Generator) -> list[str]:
    """The header and 300 rows: 64 pixels 0..16, then the digit."""
    patterns = (rng.uniform(size=(10, 64)) < 0.35) * 14.0
    lines = [",".join(f"p{i}" for i in range(64)) + ",digit"]
    for n in range(300):
        digit = n % 10
        kept = rng.uniform(size=64) > 0.3  # a stroke a writer left out
        pixels = np.clip(np.rint(patterns[digit] * kept + rng.normal(0, 4.0, 64)), 0, 16)
        lines.append(",".join(str(int(v)) for v in pixels) + f",{digit}")
    return lines


if __name__ == "__main__":
    rng = np.random.default_rng(14)
    (HERE / "iris_like.csv").write_text("\n".join(iris_like(rng)) + "\n")
    (HERE / "digits_like.csv").write_text("\n".join(digits_like(rng)) + "\n")
