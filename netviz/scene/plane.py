"""Decision maps for networks with two inputs: every neuron's activation over the input plane.

Like TensorFlow Playground's: blue where a neuron is high, orange where it is low, pale in
between; the output's map carries the training points, coloured by their target. Pure NumPy.
"""

from dataclasses import dataclass

import numpy as np

from netviz.engine.network import Architecture
from netviz.scene.style import Theme

GRID = 48  # samples per side of each map


@dataclass
class PlaneMaps:
    """Colours of each neuron's activation over the plane, and the data points on it."""

    extent: tuple[float, float, float, float]  # x0, x1, y0, y1 of the plane shown
    rgb: np.ndarray  # (n_neurons, GRID, GRID, 3) uint8; row 0 is the top (largest y)
    points: np.ndarray  # (n_rows, 2) the training inputs
    point_rgb: np.ndarray  # (n_rows, 3) uint8 colour of each point's target


def plane_extent(inputs: np.ndarray) -> tuple[float, float, float, float]:
    """The data's bounding box with a 10% margin (the unit square for no data)."""
    if len(inputs) == 0:
        return (-1.0, 1.0, -1.0, 1.0)
    lo, hi = inputs.min(axis=0), inputs.max(axis=0)
    pad = np.maximum((hi - lo) * 0.1, 0.1)
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def signed_level(values: np.ndarray, activation: str) -> np.ndarray:
    """Activations mapped to [-1, 1]: sigmoid's 0..1 to -1..1, tanh as is, others by their largest |value|."""
    if activation == "sigmoid":
        return np.clip(2.0 * values - 1.0, -1.0, 1.0)
    if activation == "tanh":
        return np.clip(values, -1.0, 1.0)
    top = np.max(np.abs(values), axis=-1, keepdims=True)
    return np.clip(values / np.maximum(top, 1e-12), -1.0, 1.0)


def diverging_rgb(level: np.ndarray, theme: Theme) -> np.ndarray:
    """[-1, 1] -> RGB: the theme's negative colour, a pale middle, its positive colour."""
    background = np.array(theme.rgb("background"), dtype=np.float64)
    pale = background + (np.array(theme.rgb("zero"), dtype=np.float64) - background) * 0.5
    pos, neg = np.array(theme.rgb("positive"), np.float64), np.array(theme.rgb("negative"), np.float64)
    t = np.abs(level)[..., None]
    end = np.where((level >= 0)[..., None], pos, neg)
    return np.rint(pale + (end - pale) * t).astype(np.uint8)


def plane_maps(arch: Architecture, theta: np.ndarray, inputs: np.ndarray, targets: np.ndarray, theme: Theme):
    """PlaneMaps for a two-input network, or None for any other."""
    if arch.layers[0] != 2:
        return None
    x0, x1, y0, y1 = extent = plane_extent(np.asarray(inputs, dtype=np.float64).reshape(-1, 2))
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y1, y0, GRID)
    grid = np.column_stack([np.tile(xs, GRID), np.repeat(ys, GRID)])
    acts = arch.forward(theta, grid)
    levels = [np.zeros((2, GRID * GRID))]  # the inputs themselves: no map
    for a, name in zip(acts[1:], arch.activations):
        levels.append(signed_level(np.nan_to_num(a.T), name))
    rgb = diverging_rgb(np.vstack(levels), theme).reshape(-1, GRID, GRID, 3)
    points = np.asarray(inputs, dtype=np.float64).reshape(-1, 2)
    return PlaneMaps(extent, rgb, points, point_colours(targets, theme))


def point_colours(targets: np.ndarray, theme: Theme) -> np.ndarray:
    """Blue where the first output's target is above 0.5, orange where not: the colours of the map
    drawn under the points (which is the first output's)."""
    target = np.asarray(targets, dtype=np.float64)
    if target.size == 0:  # a recorded session may come without its data
        return np.zeros((0, 3), dtype=np.uint8)
    target = target.reshape(len(target), -1)
    return diverging_rgb(np.where(target[:, 0] > 0.5, 1.0, -1.0), theme)
