"""Ready-made datasets: the blog's table, AND/OR/XOR, and seeded 2-D point sets like TensorFlow Playground's.

Point sets have inputs (x, y) in about [-1, 1] (the noise may push a point slightly beyond) and
targets 0/1 for a sigmoid output, half the points in each class; "three-classes" has one-hot
targets (n, 3). noise (0..1) is the standard deviation of gaussian jitter as a fraction of the
plane's half-width. The same (seed, noise, n) always gives the same points.

Each has a new situation to ask about that no row holds: [0.5, 0.5] between the truth table's
corners, the centre [0, 0] of a point set (the blog's table keeps its [1, 1, 0]).
"""

import numpy as np

from netviz.engine import data
from netviz.engine.data import Dataset

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
}

TABLES = ("blog", "and", "or", "xor")


def suggested_lr(name: str, n: int = 200) -> float:
    """A learning rate that trains the preset well: 1 for the tables, 10 / n (at most 1) for point sets.

    The step sums the gradient over the rows (see training.py), so the rate scales as 1 / rows.
    """
    return 1.0 if name in TABLES else min(1.0, 10.0 / n)


def preset(name: str, seed: int = 0, noise: float = 0.1, n: int = 200) -> Dataset:
    """The named preset; ValueError (listing the names) for an unknown name, a noise or n out of range."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    if not 0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be 0 to {MAX_NOISE:g}, got {noise}")
    if not MIN_POINTS <= n <= MAX_POINTS:
        raise ValueError(f"points must be {MIN_POINTS} to {MAX_POINTS}, got {n}")
    return PRESETS[name](seed=seed, noise=noise, n=n)
