"""Decision maps for networks with two inputs: every neuron's activation over the input plane.

Like TensorFlow Playground's: blue where a neuron is high, orange where it is low, pale in
between. The output panel shows the output's map, or for several outputs the predicted class
in one hue per class; the training points on it keep their class's full colour. For regression
the output is shaded by value, on one scale with the points' targets. A network whose inputs
are features of the plane's points (x², sin x...) has maps too, one per feature. Pure NumPy.
"""

import functools
from dataclasses import dataclass

import numpy as np

from netviz.engine.network import Architecture
from netviz.scene.style import Theme, class_colours

GRID = 48  # samples per side of each neuron's map (drawn small, in its disc)
PANEL_GRID = 128  # samples per side of the output panel's map, drawn large: no stair-steps
# How far a map goes from its pale middle toward full colour: the points on it are drawn in
# full colour, so a point never takes the colour of the map under it.
MAP_STRENGTH = 0.6
# Maps are coloured through tables of this many steps (odd, so a level of 0 has its own): several
# times faster than mixing colours for every sample, and finer than the eye tells apart.
TABLE_STEPS = 257


@dataclass
class PlaneMaps:
    """Colours of each neuron's activation over the plane, the output panel, and the data points on it."""

    extent: tuple[float, float, float, float]  # x0, x1, y0, y1 of the plane shown
    rgb: np.ndarray  # (n_neurons, GRID, GRID, 3) uint8; row 0 is the top (largest y)
    panel_rgb: np.ndarray  # (PANEL_GRID, PANEL_GRID, 3) uint8: the output's map, or the predicted class
    class_rgb: np.ndarray  # (n_out, 3) uint8 hue of each class for several outputs; (0, 3) for one
    points: np.ndarray  # (n_rows, 2) the training inputs
    point_rgb: np.ndarray  # (n_rows, 3) uint8 fill of each point: its class's colour, or its target value
    wrong: np.ndarray  # (n_rows,) bool: the network puts the point in another class than its target's
    inputs_mapped: bool = False  # the inputs are features of the plane's points, each with a map of its own
    reach: float | None = None  # regression: the |value| the output's full colour stands for (its value legend)


def plane_extent(inputs: np.ndarray) -> tuple[float, float, float, float]:
    """The data's bounding box with a 10% margin (the unit square for no data)."""
    if len(inputs) == 0:
        return (-1.0, 1.0, -1.0, 1.0)
    lo, hi = inputs.min(axis=0), inputs.max(axis=0)
    pad = np.maximum((hi - lo) * 0.1, 0.1)
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def signed_level(values: np.ndarray, activation: str) -> np.ndarray:
    """Activations mapped to [-1, 1]: sigmoid's and softmax's 0..1 to -1..1, tanh as is, others by their
    largest |value|."""
    if activation in ("sigmoid", "softmax"):
        return np.clip(2.0 * values - 1.0, -1.0, 1.0)
    if activation == "tanh":
        return np.clip(values, -1.0, 1.0)
    top = np.max(np.abs(values), axis=-1, keepdims=True)
    return np.clip(values / np.maximum(top, 1e-12), -1.0, 1.0)


def _pale(theme: Theme) -> np.ndarray:
    """The colour of a map where it is undecided: halfway from the background to the theme's grey."""
    background = np.array(theme.rgb("background"), dtype=np.float64)
    return background + (np.array(theme.rgb("zero"), dtype=np.float64) - background) * 0.5


def diverging_rgb(level: np.ndarray, theme: Theme, strength: float = 1.0) -> np.ndarray:
    """[-1, 1] -> RGB: a pale middle toward the theme's negative or positive colour, `strength` of the way."""
    pale = _pale(theme)
    pos, neg = np.array(theme.rgb("positive"), np.float64), np.array(theme.rgb("negative"), np.float64)
    t = np.abs(level)[..., None] * strength
    end = np.where((level >= 0)[..., None], pos, neg)
    return np.rint(pale + (end - pale) * t).astype(np.uint8)


@functools.lru_cache(maxsize=32)
def _diverging_table(theme: Theme, strength: float) -> np.ndarray:
    """(TABLE_STEPS, 3) uint8: diverging_rgb of levels evenly from -1 to 1."""
    return diverging_rgb(np.linspace(-1.0, 1.0, TABLE_STEPS), theme, strength)


def _table_index(t: np.ndarray, lo: float) -> np.ndarray:
    """Row of a table spanning [lo, 1] in TABLE_STEPS for each value of t (NaN counts as the middle)."""
    scaled = (np.nan_to_num(t, nan=(lo + 1.0) / 2) - lo) * ((TABLE_STEPS - 1) / (1.0 - lo)) + 0.5
    return np.clip(scaled, 0, TABLE_STEPS - 1).astype(np.intp)


def map_rgb(level: np.ndarray, theme: Theme, strength: float = MAP_STRENGTH) -> np.ndarray:
    """diverging_rgb for a map's many samples, through a table."""
    return _diverging_table(theme, strength)[_table_index(level, -1.0)]


@functools.lru_cache(maxsize=32)
def _class_table(theme: Theme, n_classes: int, strength: float) -> np.ndarray:
    """(n_classes, TABLE_STEPS, 3) uint8: from the pale middle toward each class's hue, `strength` of the way."""
    pale = _pale(theme)
    hue = class_colours(n_classes).astype(np.float64)[:, None, :]
    t = np.linspace(0.0, 1.0, TABLE_STEPS)[None, :, None] * strength
    return np.rint(pale + (hue - pale) * t).astype(np.uint8)


def class_map_rgb(
    outputs: np.ndarray, activation: str, theme: Theme, strength: float = MAP_STRENGTH, discretize: bool = False
) -> np.ndarray:
    """Outputs (n, n_out) -> RGB (n, 3): the hue of the highest output's class, from the pale middle
    where it barely leads the next (a boundary) to `strength` of its full colour where it leads by all
    (discretized: `strength` of it everywhere, without the confidence)."""
    p = (signed_level(outputs, activation) + 1.0) / 2.0
    top_two = np.partition(p, -2, axis=1)[:, -2:]
    # The square root shows a class's hue while its lead is still small (saturating sigmoids
    # keep leads small until late), and keeps the boundaries, where the lead is 0, pale.
    lead = np.ones(len(p)) if discretize else np.sqrt(np.maximum(top_two[:, 1] - top_two[:, 0], 0.0))
    table = _class_table(theme, outputs.shape[1], strength)
    return table[np.argmax(p, axis=1), _table_index(lead, 0.0)]


def discrete_level(level: np.ndarray) -> np.ndarray:
    """Levels in [-1, 1] as the side they are on: -1 or 1 (the map's two colours, no shading), 0 stays 0."""
    return np.sign(level)


def _grid(extent, side: int) -> np.ndarray:
    """(side * side, 2) points of the plane, row by row from the top."""
    x0, x1, y0, y1 = extent
    xs, ys = np.linspace(x0, x1, side), np.linspace(y1, y0, side)
    return np.column_stack([np.tile(xs, side), np.repeat(ys, side)])


def value_reach(targets: np.ndarray) -> float | None:
    """The largest |target| of regression targets (their map's full colour), None for classes or no data."""
    if np.size(targets) == 0 or is_classification(targets):
        return None
    return max(float(np.abs(targets).max()), 1e-12)


def output_level(out: np.ndarray, activation: str, reach: float | None) -> np.ndarray:
    """One output's values mapped to [-1, 1]: by its activation's range, or for an unbounded output of
    regression data by the targets' reach, so that a colour means one value in every frame."""
    if reach is not None and activation not in ("sigmoid", "tanh"):
        return np.clip(out / reach, -1.0, 1.0)
    return signed_level(out, activation)


def panel_rgb(
    arch: Architecture, theta: np.ndarray, extent, theme: Theme, side: int = PANEL_GRID, inputs_of=None, reach=None,
    discretize: bool = False,
) -> np.ndarray:  # fmt: skip
    """(side, side, 3): the output's map for one output (shaded by value, see output_level), the
    predicted class for several; discretized, the side or class alone. inputs_of maps points of the
    plane (m, 2) to the network's inputs."""
    grid = _grid(extent, side)
    out = np.nan_to_num(arch.forward(theta, grid if inputs_of is None else inputs_of(grid))[-1])
    activation = arch.activations[-1]
    if out.shape[1] == 1:
        level = output_level(out[:, 0], activation, reach)
        rgb = map_rgb(discrete_level(level) if discretize else level, theme)
    else:
        rgb = class_map_rgb(out, activation, theme, discretize=discretize)
    return rgb.reshape(side, side, 3)


def plane_maps(
    arch: Architecture, theta: np.ndarray, inputs: np.ndarray, targets: np.ndarray, theme: Theme, inputs_of=None,
    discretize: bool = False,
):  # fmt: skip
    """PlaneMaps for a two-input network, or None for any other.

    For a network whose inputs are made from points of the plane (features), `inputs` are the rows'
    points (n_rows, 2) and inputs_of maps points (m, 2) to the network's inputs (m, n_in)
    (Dataset.inputs_at); each input then has a map too, of its feature. Discretized, the output's
    maps show only the class (or side) they decide, without the confidence.
    """
    if inputs_of is None and arch.layers[0] != 2:
        return None
    points = np.asarray(inputs, dtype=np.float64).reshape(-1, 2)
    extent = plane_extent(points)
    grid = _grid(extent, GRID)
    acts = arch.forward(theta, grid if inputs_of is None else inputs_of(grid))
    # Inputs that are the plane's x and y need no map; features of it have one each.
    levels = [np.zeros((2, GRID * GRID)) if inputs_of is None else signed_level(acts[0].T, "linear")]
    for a, name in zip(acts[1:-1], arch.activations):
        levels.append(signed_level(np.nan_to_num(a.T), name))
    out = np.nan_to_num(acts[-1].T)  # (n_out, GRID * GRID): one output is shaded as the panel is
    reach = value_reach(targets) if len(out) == 1 else None
    level = output_level(out, arch.activations[-1], reach)
    levels.append(discrete_level(level) if discretize else level)
    rgb = map_rgb(np.vstack(levels), theme).reshape(-1, GRID, GRID, 3)
    n_out = arch.layers[-1]
    classes = class_colours(n_out) if n_out > 1 else np.zeros((0, 3), dtype=np.uint8)
    fills = point_colours(targets, theme, arch.activations[-1])
    net_inputs = points if inputs_of is None else inputs_of(points)
    wrong = misclassified(arch, theta, net_inputs, targets)
    panel = panel_rgb(arch, theta, extent, theme, inputs_of=inputs_of, reach=reach, discretize=discretize)
    shaded_by_value = reach is not None and arch.activations[-1] not in ("sigmoid", "tanh")
    return PlaneMaps(extent, rgb, panel, classes, points, fills, wrong, inputs_of is not None,
                     reach if shaded_by_value else None)  # fmt: skip


def plane_data(dataset) -> tuple | None:
    """What a Frame's maps are drawn from, for a dataset whose rows lie on a plane: the rows' points,
    their targets and how points become inputs (Dataset.inputs_at for features, else None); None
    for data of any other width."""
    if dataset.features:
        return dataset.plane_points(), dataset.targets, dataset.inputs_at
    if dataset.n_in == 2:  # without rows (a recording may come without them), maps over the unit square
        return dataset.inputs, dataset.targets, None
    return None


def has_map(maps: PlaneMaps | None, layer: int) -> bool:
    """Whether neurons of this layer are drawn as their map: past the inputs, and inputs that are features."""
    return maps is not None and (layer > 0 or maps.inputs_mapped)


def _target_rows(targets: np.ndarray) -> np.ndarray:
    return np.asarray(targets, dtype=np.float64).reshape(len(targets), -1)


def is_classification(targets: np.ndarray) -> bool:
    """Whether targets are classes: 0/1 for one output, or one 1 a row for several."""
    target = _target_rows(targets)
    if not np.isin(target, (0.0, 1.0)).all():
        return False
    return target.shape[1] == 1 or bool((target.sum(axis=1) == 1).all())


def point_colours(targets: np.ndarray, theme: Theme, activation: str = "sigmoid") -> np.ndarray:
    """Each point's fill, in full colour: for one output the theme's positive (target above 0.5) or
    negative colour, or for a regression target its value on the output's scale; for several
    outputs the hue of its target's class."""
    if np.size(targets) == 0:  # a recorded session may come without its data
        return np.zeros((0, 3), dtype=np.uint8)
    target = _target_rows(targets)
    if target.shape[1] > 1:
        return class_colours(target.shape[1])[np.argmax(target, axis=1)]
    if is_classification(target):
        return diverging_rgb(np.where(target[:, 0] > 0.5, 1.0, -1.0), theme)
    return diverging_rgb(output_level(target[:, 0], activation, value_reach(target)), theme)


def misclassified(arch: Architecture, theta: np.ndarray, points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(n_rows,) True where the map's class at a point (its inputs to the network) is not its target's;
    all False for regression."""
    if len(points) == 0 or not is_classification(targets):
        return np.zeros(len(points), dtype=bool)
    target = _target_rows(targets)
    out = np.nan_to_num(arch.forward(theta, points)[-1])
    if target.shape[1] == 1:
        # The map turns positive where the output's level crosses 0 (0.5 for a sigmoid).
        return (signed_level(out[:, 0], arch.activations[-1]) > 0) != (target[:, 0] > 0.5)
    return np.argmax(out, axis=1) != np.argmax(target, axis=1)
