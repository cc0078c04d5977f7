"""The train/test split keeps what the rows are: names, scaling, features and their points."""

import numpy as np

from netviz.engine.data import Dataset, Scaling
from netviz.engine.split import split


def test_both_parts_keep_scaling_features_and_points():
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (20, 2))
    scaling = Scaling("standard", np.zeros(2), np.ones(2))
    data = Dataset(points**2, (points[:, :1] > 0).astype(float), "circle", ["x²", "y²"], ["out"],
                   new_situation=np.array([0.1, 0.2]), notes=["a note"], scaling=scaling,
                   features=("x2", "y2"), points=points)  # fmt: skip
    train, test = split(data, 0.25, seed=4)
    assert len(train) + len(test) == 20 and len(test) == 5
    for part in (train, test):
        assert part.features == ("x2", "y2") and part.scaling is scaling and part.input_names == ["x²", "y²"]
        np.testing.assert_array_equal(part.points**2, part.inputs)
    assert train.notes == ["a note"] and test.notes == []
    np.testing.assert_array_equal(train.new_situation, [0.1, 0.2])
    assert test.new_situation is None
