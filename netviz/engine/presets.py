"""Ready-made datasets: the blog's table, AND/OR/XOR, and seeded 2-D point sets like TensorFlow Playground's.

Point sets have inputs (x, y) in about [-1, 1] (the noise may push a point slightly beyond) and
targets 0/1 for a sigmoid output, half the points in each class; "three-classes" has one-hot
targets (n, 3). noise (0..1) is the standard deviation of gaussian jitter as a fraction of the
plane's half-width. The same (seed, noise, n) always gives the same points. "plane" and
"multi-gaussian" are regression data, as in Playground: points evenly over the square, real
targets from about -1 to 1, taken where the noise moves each point (the point stays put).

Each has a new situation to ask about that no row holds: [0.5, 0.5] between the truth table's
corners, the centre [0, 0] of a point set (the blog's table keeps its [1, 1, 0]).
"""

from dataclasses import dataclass, replace

import numpy as np

from netviz.engine import data
from netviz.engine.data import Dataset, is_one_hot

MAX_NOISE = 1.0
MIN_POINTS, MAX_POINTS = 4, 10_000


def blog(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """The blog's 7-row table (ignores seed, noise and n)."""
    return data.blog()


def _truth_table(name: str, outs: list[int]) -> Dataset:
    inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    # Every corner is a training row: the new situation asks about the point between them.
    return Dataset(inputs, np.array(outs), name=name, new_situation=np.array([0.5, 0.5]))


def and_(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """x1 AND x2 over the 4 rows of a truth table."""
    return _truth_table("and", [0, 0, 0, 1])


def or_(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """x1 OR x2 over the 4 rows of a truth table."""
    return _truth_table("or", [0, 1, 1, 1])


def xor(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """x1 XOR x2 over the 4 rows of a truth table."""
    return _truth_table("xor", [0, 1, 1, 0])


def _jitter(rng: np.random.Generator, points: np.ndarray, noise: float) -> np.ndarray:
    return points + rng.normal(0.0, noise, points.shape)


def _points(name: str, inputs: np.ndarray, targets: np.ndarray) -> Dataset:
    return Dataset(inputs, targets, name=name, input_names=["x", "y"], new_situation=np.zeros(2))


def _classes(n: int) -> np.ndarray:
    """n labels 0/1, alternating, so that every class has n // 2 or n // 2 + 1 points."""
    return np.arange(n) % 2


def circle(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """1 inside a circle of radius 0.5, 0 in the ring from 0.7 to 1 around it (labels before the noise)."""
    rng = np.random.default_rng(seed)
    label = _classes(n)
    # Inside: radius 0..0.5; outside: 0.7..1. The gap keeps noise-free classes apart.
    radius = np.where(label == 1, 0.5 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return _points("circle", _jitter(rng, points, noise), label)


def xor_quadrants(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """1 where x * y > 0 (first and third quadrants), 0 elsewhere, labelled before the noise."""
    rng = np.random.default_rng(seed)
    label = _classes(n)
    # A margin of 0.05 from the axes, as the Playground keeps, so that the classes do not touch.
    magnitude = rng.uniform(0.05, 1.0, (n, 2))
    sign_x = rng.choice([-1.0, 1.0], n)
    sign_y = np.where(label == 1, sign_x, -sign_x)
    points = magnitude * np.column_stack([sign_x, sign_y])
    return _points("xor-quadrants", _jitter(rng, points, noise), label)


def gaussians(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """Two gaussian blobs, 1 around (0.5, 0.5) and 0 around (-0.5, -0.5); spread 0.15 + noise."""
    rng = np.random.default_rng(seed)
    label = _classes(n)
    centres = np.where(label[:, None] == 1, 0.5, -0.5)
    points = rng.normal(centres, 0.15 + noise, (n, 2))
    return _points("gaussians", points, label)


def spiral(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """Two interleaved spirals, each turning 1.75 times out to radius 1; class 1 is class 0 turned by pi."""
    rng = np.random.default_rng(seed)
    label = _classes(n)
    t = rng.uniform(0, 1, n)
    angle = 1.75 * 2 * np.pi * t + np.pi * label
    points = np.column_stack([t * np.sin(angle), t * np.cos(angle)])
    return _points("spiral", _jitter(rng, points, noise), label)


THREE_CENTRES = np.array([[0.0, 0.6], [-0.55, -0.4], [0.55, -0.4]])


def three_classes(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """Three gaussian blobs around THREE_CENTRES; one-hot targets (n, 3) for 3 output neurons."""
    rng = np.random.default_rng(seed)
    label = np.arange(n) % 3
    points = rng.normal(THREE_CENTRES[label], 0.15 + noise)
    targets = np.eye(3)[label]
    return Dataset(
        points, targets, name="three-classes", input_names=["x", "y"], target_names=["A", "B", "C"],
        new_situation=np.zeros(2),
    )  # fmt: skip


def plane(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """Regression: the target is (x + y) / 2 at the point moved by the noise (-1 to 1 without it)."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-1.0, 1.0, (n, 2))
    moved = _jitter(rng, points, noise)
    return _values("plane", points, (moved[:, 0] + moved[:, 1]) / 2)


# Playground's six bumps, on this plane: centre x, centre y, sign; each falls from 1 to 0 over RADIUS.
BUMPS = np.array([[-2 / 3, 5 / 12, 1], [0, 5 / 12, -1], [2 / 3, 5 / 12, 1],
                  [-2 / 3, -5 / 12, -1], [0, -5 / 12, 1], [2 / 3, -5 / 12, -1]])  # fmt: skip
BUMP_RADIUS = 1 / 3


def multi_gaussian(seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """Regression: six bumps of +1 or -1 (BUMPS); the target is the bump of largest size at the point
    moved by the noise, falling linearly with distance, 0 between them."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-1.0, 1.0, (n, 2))
    moved = _jitter(rng, points, noise)
    distance = np.linalg.norm(moved[:, None, :] - BUMPS[None, :, :2], axis=2)  # (n, 6)
    height = np.clip(1.0 - distance / BUMP_RADIUS, 0.0, 1.0) * BUMPS[:, 2]
    nearest = np.argmax(np.abs(height), axis=1)
    return _values("multi-gaussian", points, height[np.arange(n), nearest])


def _values(name: str, points: np.ndarray, values: np.ndarray) -> Dataset:
    """A regression point set: real targets (n, 1) named "value"."""
    return Dataset(points, values, name=name, input_names=["x", "y"], target_names=["value"], new_situation=np.zeros(2))


PRESETS = {
    "blog": blog,
    "and": and_,
    "or": or_,
    "xor": xor,
    "circle": circle,
    "xor-quadrants": xor_quadrants,
    "gaussians": gaussians,
    "spiral": spiral,
    "three-classes": three_classes,
    "plane": plane,
    "multi-gaussian": multi_gaussian,
}
REGRESSION = ("plane", "multi-gaussian")  # real targets, as in Playground: a linear output

TABLES = ("blog", "and", "or", "xor")


@dataclass(frozen=True)
class Recipe:
    """A network and training that learn a dataset: hidden layer sizes, their activation and the output's,
    bias, learning rate, rows per step (None: all) and epochs.

    `rate` is the learning rate of a table; for a point set it is divided by the number of points,
    because the step sums the gradient over the rows (see training.py).
    """

    hidden: tuple[int, ...] = (4,)
    activation: str = "sigmoid"  # every hidden layer's
    output: str = "sigmoid"  # targets are 0 or 1; softmax for three or more classes
    bias: bool = True
    rate: float = 1.0
    per_point: bool = False  # the learning rate is rate / points
    batch: int | None = None
    epochs: int = 60_000

    def lr(self, n: int) -> float:
        """The learning rate for n rows."""
        return self.rate / n if self.per_point else self.rate


# Chosen to learn each preset (training accuracy of at least 95%, the spiral 90%, for preset seeds
# 0 to 2; regression: REGRESSION_LOSS; tests/engine/test_recipes.py) in a few seconds of the
# window's training at most: tanh hidden layers, full batch, and the largest rate whose loss still falls smoothly.
OTHER_DATA = Recipe()  # a CSV file or an edited table: the blog's network, with biases
_TABLE = Recipe((4,), "tanh", epochs=1_000)
RECIPES = {
    "blog": Recipe(bias=False),  # the blog's run exactly: 3-4-1 sigmoid, no biases, lr 1, 60,000 epochs
    "and": _TABLE,
    "or": _TABLE,
    "xor": _TABLE,
    "circle": Recipe((8,), "tanh", rate=5.0, per_point=True, epochs=1_000),
    "xor-quadrants": Recipe((8,), "tanh", rate=5.0, per_point=True, epochs=1_000),
    "gaussians": Recipe((4,), "tanh", rate=5.0, per_point=True, epochs=300),
    "spiral": Recipe((16, 16), "tanh", rate=4.0, per_point=True, epochs=8_000),
    "three-classes": Recipe((8,), "tanh", "softmax", rate=5.0, per_point=True, epochs=1_000),
    # Regression: a linear output, and a smaller rate (a linear output's error is not capped at 1).
    "plane": Recipe((4,), "tanh", "linear", rate=0.5, per_point=True, epochs=1_000),
    "multi-gaussian": Recipe((8, 8), "tanh", "linear", rate=0.2, per_point=True, epochs=10_000),
}
# The mean squared error each regression recipe gets under for preset seeds 0 to 2 (noise 0.1 alone
# leaves about 0.005 on the plane and 0.01 on the bumps; the targets' variance is 0.18 and 0.1).
REGRESSION_LOSS = {"plane": 0.01, "multi-gaussian": 0.035}


FILE_RATE = 5.0  # a data file's learning rate is this over its rows (at most 1), as a point set's


def data_recipe(dataset: Dataset) -> Recipe:
    """The recipe of a data file or an edited table: the blog's network with biases, a softmax output for
    three or more classes, and a learning rate of FILE_RATE / rows, at most 1 (the blog's)."""
    output = "softmax" if dataset.n_out >= 3 and is_one_hot(dataset.targets) else OTHER_DATA.output
    return replace(OTHER_DATA, output=output, rate=min(1.0, FILE_RATE / max(1, len(dataset))))


def suggested_lr(name: str, n: int = 200) -> float:
    """The learning rate of the preset's recipe for n points."""
    return RECIPES[name].lr(n)


def accuracy(outputs: np.ndarray, targets: np.ndarray) -> float | None:
    """The fraction of rows classified right, or None if the targets are not classes.

    Classes are targets of 0 or 1 (n, 1), read as output >= 0.5, or one-hot rows (n, k), read as
    the largest output. outputs and targets are (n, k).
    """
    if len(targets) == 0 or not np.isin(targets, (0.0, 1.0)).all():
        return None
    if targets.shape[1] == 1:
        return float(np.mean((outputs[:, 0] >= 0.5) == (targets[:, 0] == 1.0)))
    if not (targets.sum(axis=1) == 1.0).all():
        return None
    return float(np.mean(outputs.argmax(axis=1) == targets.argmax(axis=1)))


def preset(name: str, seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """The named preset; ValueError (listing the names) for an unknown name, a noise or n out of range."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    if not 0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be 0 to {MAX_NOISE:g}, got {noise}")
    if not MIN_POINTS <= n <= MAX_POINTS:
        raise ValueError(f"points must be {MIN_POINTS} to {MAX_POINTS}, got {n}")
    return PRESETS[name](seed=seed, noise=noise, n=n)
