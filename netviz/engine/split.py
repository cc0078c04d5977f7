"""Holding rows out of training: the test rows of a run, chosen by a seed, the same on every run."""

import numpy as np

from netviz.engine.data import Dataset

# The split draws from its own stream of the data's seed, so that it does not repeat the draws that placed the points.
SPLIT_STREAM = 0x7E57


def held_out_rows(n_rows: int, fraction: float, seed: int) -> np.ndarray:
    """Indices (ascending) of the round(fraction * n_rows) rows held out for testing, fixed by (seed, n_rows)."""
    n_test = round(fraction * n_rows)
    if fraction > 0 and not 1 <= n_test < n_rows:
        raise ValueError(
            f"a test fraction of {fraction:g} of {n_rows} rows leaves {n_test} test rows and "
            f"{n_rows - n_test} to train on; each needs at least 1"
        )
    order = np.random.default_rng((SPLIT_STREAM, seed)).permutation(n_rows)
    return np.sort(order[:n_test])


def split(dataset: Dataset, fraction: float, seed: int) -> tuple[Dataset, Dataset | None]:
    """(training rows, test rows) of dataset; the test rows are None for a fraction of 0.

    Both keep the data's names, scaling and features (with each row's point); the new situation
    and the notes on how the data was read stay with the training rows.
    """
    if fraction == 0:
        return dataset, None
    held = np.zeros(len(dataset), dtype=bool)
    held[held_out_rows(len(dataset), fraction, seed)] = True
    names = dict(name=dataset.name, input_names=list(dataset.input_names), target_names=list(dataset.target_names),
                 scaling=dataset.scaling, features=dataset.features)  # fmt: skip

    def part(rows: np.ndarray, **more) -> Dataset:
        points = None if dataset.points is None else dataset.points[rows]
        return Dataset(dataset.inputs[rows], dataset.targets[rows], points=points, **names, **more)

    train = part(~held, new_situation=dataset.new_situation, notes=list(dataset.notes))
    return train, part(held)
