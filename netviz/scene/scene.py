"""From (architecture, weights, activations, style) to arrays a painter only has to draw.

Pure NumPy: positions in pixels, edge segments, pen buckets, fills and labels. Geometry
depends only on the layer sizes and the rectangle, so it is built once per size and
reused for every frame; the per-frame work is a few vectorised passes over the weights.
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from netviz.engine.network import Architecture
from netviz.scene.labels import (
    LabelLayout,
    Margins,
    Placed,
    TextSize,
    approx_text_size,
    base_font,
    keep_clear,
    layout_labels,
)
from netviz.scene.style import N_LEVELS, Theme, WeightScale, activation_fill, readable_text_on

MAX_RADIUS = 34.0
MIN_RADIUS = 1.0
SMALL_LAYER = 40  # layers below this size share one radius
MAX_SIDE_SHARE = 0.3  # the most of the width the names beside the inputs (or outputs) may take
MAX_DRAWN_EDGES = 2_500  # past this, each layer draws only its strongest synapses (level of detail)
THINK_EDGE_ALPHA = 0.35  # how strongly the weights show under Think's signal
_LARGEST = np.finfo(np.float64).max


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float


@dataclass
class Geometry:
    """Where every neuron and synapse is, for one architecture in one rectangle."""

    layers: tuple[int, ...]
    rect: Rect
    centres: np.ndarray  # (n_neurons, 2) pixel centres, layer by layer, top to bottom
    radius: float  # the smallest neuron radius
    layer_of: np.ndarray  # (n_neurons,) layer index of each neuron
    layer_start: np.ndarray  # (n_layers + 1,) index of each layer's first neuron, then n_neurons
    segments: np.ndarray  # (n_edges, 4) x1, y1, x2, y2: source -> target, in theta's weight order
    edge_source: np.ndarray  # (n_edges,) neuron index of each edge's source
    edge_target: np.ndarray  # (n_edges,) neuron index of each edge's target
    edge_layer: np.ndarray  # (n_edges,) weight layer of each edge
    radii: np.ndarray  # (n_neurons,) radius of each neuron; `radius` is the smallest

    labels: LabelLayout | None = None  # where the names and the prediction go

    @classmethod
    def build(
        cls, layers, rect: Rect, labels: list[str] | None = None, measure: TextSize = approx_text_size
    ) -> "Geometry":
        """Neurons placed in rect with room for their names (`labels`, measured by `measure`) beside
        and above them; the margins follow the names until they settle (twice or three times)."""
        layers = tuple(int(n) for n in layers)
        names = list(labels) if labels is not None else neuron_labels(layers)
        pad = min(90.0, rect.width * 0.12)
        font, max_side = base_font(rect.width, rect.height), rect.width * MAX_SIDE_SHARE
        margins = Margins(pad, pad, 0.0, 0.0)
        for _ in range(4):
            geometry = cls._place(layers, rect, margins)
            placed = Placed(layers, geometry.centres.tolist(), geometry.radii.tolist(),
                            geometry.layer_start.tolist(), (rect.x, rect.y, rect.width, rect.height))  # fmt: skip
            layout, need = layout_labels(placed, names, measure, font, max_side, margins)
            # Margins only grow, so that the layout settles rather than swinging between two.
            wanted = Margins(
                min(max(margins.left, need.left), max_side), min(max(margins.right, need.right), max_side),
                min(max(margins.top, need.top), rect.height * 0.2),
                min(max(margins.bottom, need.bottom), rect.height * 0.2),
            )  # fmt: skip
            if wanted == margins:
                break
            margins = wanted
        geometry.labels = keep_clear(layout, placed)
        return geometry

    @classmethod
    def _place(cls, layers: tuple[int, ...], rect: Rect, margins: "Margins") -> "Geometry":
        """Neurons in columns between the side margins, and in the band between the top and bottom ones."""
        n_layers = len(layers)
        left, right = margins.left, margins.right
        band_y, band_h = rect.y + margins.top, max(1.0, rect.height - margins.top - margins.bottom)
        span = max(1.0, rect.width - left - right)
        xs = rect.x + left + span * np.arange(n_layers) / max(1, n_layers - 1)
        col_gap = span / max(1, n_layers - 1)
        # Layers of up to SMALL_LAYER neurons share one radius and stay together; larger layers
        # spread over the full height with neurons as small as their spacing needs.
        biggest_r = min(col_gap * 0.16, MAX_RADIUS)
        small = [n for n in layers if n < SMALL_LAYER]
        # 0.3 of the spacing leaves room above each neuron for its name, clear of the one above.
        common_r = min([band_h / (n + 0.6) * 0.3 for n in small] + [biggest_r])
        centres, layer_of, radii = [], [], []
        for i, n in enumerate(layers):
            if n < SMALL_LAYER:
                r = common_r
                gap = min(band_h / (n + 0.6), 3.4 * r + 24)
            else:
                gap = band_h / (n + 0.6)
                r = min(gap * 0.36, biggest_r)
            r = float(np.clip(r, MIN_RADIUS, MAX_RADIUS))
            ys = band_y + band_h / 2 + (np.arange(n) - (n - 1) / 2) * gap
            centres.append(np.column_stack([np.full(n, xs[i]), ys]))
            layer_of.append(np.full(n, i))
            radii.append(np.full(n, r))
        centres = np.vstack(centres)
        layer_start = np.concatenate([[0], np.cumsum(layers)])
        sources, targets, edge_layer = [], [], []
        for i, (n_in, n_out) in enumerate(zip(layers[:-1], layers[1:])):
            src = layer_start[i] + np.repeat(np.arange(n_in), n_out)  # row-major (n_in, n_out)
            dst = layer_start[i + 1] + np.tile(np.arange(n_out), n_in)
            sources.append(src)
            targets.append(dst)
            edge_layer.append(np.full(n_in * n_out, i))
        edge_source, edge_target = np.concatenate(sources), np.concatenate(targets)
        segments = np.hstack([centres[edge_source], centres[edge_target]])
        radii = np.concatenate(radii)
        return cls(
            layers, rect, centres, float(radii.min()), np.concatenate(layer_of), layer_start,
            segments, edge_source, edge_target, np.concatenate(edge_layer), radii,
        )  # fmt: skip

    @cached_property
    def neuron_list(self) -> list[tuple[float, float, float]]:
        """(x, y, radius) of every neuron, as Python floats (cheaper to loop over than arrays)."""
        return [(x, y, r) for (x, y), r in zip(self.centres.tolist(), self.radii.tolist())]

    def neuron_at(self, x: float, y: float) -> int | None:
        """Index of the neuron under (x, y), or None."""
        d2 = ((self.centres - (x, y)) ** 2).sum(axis=1)
        i = int(np.argmin(d2))
        return i if d2[i] <= max(self.radii[i], 4.0) ** 2 else None

    def edge_at(self, x: float, y: float, tolerance: float = 4.0) -> int | None:
        """Index of the synapse nearest to (x, y) within tolerance pixels, or None."""
        p = np.array([x, y])
        a, b = self.segments[:, :2], self.segments[:, 2:]
        ab = b - a
        t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab**2).sum(axis=1), 1e-12), 0.0, 1.0)
        d2 = ((a + ab * t[:, None] - p) ** 2).sum(axis=1)
        i = int(np.argmin(d2))
        return i if d2[i] <= tolerance**2 else None


def neuron_labels(layers, input_names=(), output_names=()) -> list[str]:
    """x1..xn for inputs, h1..hn for one hidden layer (h1.1.. for several), out for outputs."""
    labels = list(input_names) or [f"x{i + 1}" for i in range(layers[0])]
    hidden = layers[1:-1]
    for k, n in enumerate(hidden, start=1):
        labels += [f"h{i + 1}" if len(hidden) == 1 else f"h{k}.{i + 1}" for i in range(n)]
    n_out = layers[-1]
    labels += list(output_names) or (["out"] if n_out == 1 else [f"out{i + 1}" for i in range(n_out)])
    return labels


def edge_weights(arch: Architecture, theta: np.ndarray) -> np.ndarray:
    """Every synapse's weight (n_edges,), in the geometry's edge order (a copy)."""
    if not arch.bias:
        return np.array(theta, dtype=np.float64)  # without biases, theta holds the weights in that order
    weights, _ = arch.views(theta)
    return np.concatenate([w.ravel() for w in weights])


def neuron_biases(arch: Architecture, theta: np.ndarray) -> np.ndarray:
    """Each neuron's bias (n_neurons,); NaN for inputs and for networks without biases."""
    _, biases = arch.views(theta)
    parts = [np.full(arch.layers[0], np.nan)]
    parts += [b if b is not None else np.full(n, np.nan) for b, n in zip(biases, arch.layers[1:])]
    return np.concatenate(parts)


def parameter_of(arch: Architecture, geometry: "Geometry", kind: str, index: int) -> int | None:
    """The position in theta of a synapse's weight ("synapse") or a neuron's bias ("neuron"); None for
    an input neuron, or a neuron of a network without biases."""
    weights, biases = arch.views(np.arange(arch.n_params))
    starts = geometry.layer_start
    if kind == "synapse":
        layer = int(geometry.edge_layer[index])
        i, j = geometry.edge_source[index] - starts[layer], geometry.edge_target[index] - starts[layer + 1]
        return int(weights[layer][i, j])
    layer = int(geometry.layer_of[index])
    if layer == 0 or biases[layer - 1] is None:
        return None
    return int(biases[layer - 1][index - starts[layer]])


def strongest_edges(w: np.ndarray, edge_layer: np.ndarray, budget: int) -> np.ndarray | None:
    """Indices of the synapses to draw when there are more than `budget`: small weight layers are
    drawn whole, large ones keep their strongest |w| in proportion to their size; None: draw all."""
    n = len(w)
    if n <= budget:
        return None
    keep = []
    sizes = np.bincount(edge_layer)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    small = sizes <= budget / len(sizes)  # drawn whole
    left, big_total = budget - sizes[small].sum(), max(1, sizes[~small].sum())
    for layer, size in enumerate(sizes):
        k = int(size if small[layer] else min(size, max(200, left * size / big_total)))
        part = np.abs(w[starts[layer] : starts[layer + 1]])
        top = np.argpartition(part, size - k)[size - k :] if k < size else np.arange(size)
        keep.append(starts[layer] + top)
    return np.sort(np.concatenate(keep))


@dataclass
class Think:
    """One forward pass in flight: `progress` runs from 0 (inputs lit) to n_layers - 1 (output lit)."""

    progress: float
    target: np.ndarray | None = None  # the row's target, shown beside the prediction


@dataclass
class Scene:
    """Everything one frame of the network shows, as arrays."""

    geometry: Geometry
    theme: Theme
    scale: WeightScale
    weights: np.ndarray  # (n_edges,)
    edge_order: np.ndarray  # edges sorted weakest bucket first (strong lines drawn on top)
    bucket_bounds: np.ndarray  # (2 * N_LEVELS * ... ) start of each bucket's run in edge_order
    bucket_sequence: np.ndarray  # which bucket each run in edge_order is
    neuron_values: np.ndarray  # (n_neurons,) activation shown in each neuron; NaN = not shown
    neuron_fill: np.ndarray  # (n_neurons, 3) uint8
    dark_text: np.ndarray  # (n_neurons,) True where a value is written in dark text
    labels: list[str]
    edge_alpha: float = 1.0  # < 1 dims the synapses (Think mode draws the signal over them)
    signal_segments: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))
    signal_strength: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) |w * a| / layer max
    signal_negative: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (n,) w * a < 0
    output_notes: list[str] = field(default_factory=list)  # e.g. "prediction 0.0079, target 0" under each output
    n_edges_shown: int = 0  # fewer than len(weights) when level of detail hides the weakest synapses
    maps: object = None  # PlaneMaps of a two-input network: each neuron's activation over the plane


def build_scene(
    geometry: Geometry,
    arch: Architecture,
    theta: np.ndarray,
    theme: Theme,
    scale: WeightScale,
    inputs: np.ndarray | None = None,
    labels: list[str] | None = None,
    think: Think | None = None,
    targets: np.ndarray | None = None,
) -> Scene:
    """The scene for weights theta; neurons filled by their activation for `inputs` (n_in,) if given."""
    w = edge_weights(arch, theta)
    shown = strongest_edges(w, geometry.edge_layer, MAX_DRAWN_EDGES)
    buckets = scale.bucket(w)
    # Draw order: level 0 positive, level 0 negative, level 1 positive, ... strongest last.
    rank = (buckets % N_LEVELS) * 2 + (buckets >= N_LEVELS)
    order = shown[np.argsort(rank[shown], kind="stable")] if shown is not None else np.argsort(rank, kind="stable")
    sorted_rank = rank[order]
    if len(order):
        starts = np.flatnonzero(sorted_rank[1:] != sorted_rank[:-1]) + 1
        starts = np.concatenate(([0], starts))
        sequence = buckets[order[starts]]
    else:
        starts, sequence = np.zeros(0, np.intp), np.zeros(0, np.intp)
    bounds = np.append(starts, len(order))

    n_neurons = len(geometry.centres)
    values = np.full(n_neurons, np.nan)
    notes: list[str] = []
    if inputs is not None:
        acts = arch.forward(theta, np.asarray(inputs, dtype=np.float64).reshape(1, -1))
        values = np.concatenate([a[0] for a in acts])
        prediction = acts[-1][0]
        target = think.target if think is not None else targets
        for k, p in enumerate(prediction):
            # 0.0078876, as the blog prints it; an input that is no training row has no target.
            shown_target = "—" if target is None else f"{float(target[k]):g}"
            notes.append(f"prediction {p:.5g}, target {shown_target}")

    signal_segments, signal_strength, edge_alpha = np.zeros((0, 4)), np.zeros(0), 1.0
    signal_negative = np.zeros(0, dtype=bool)
    if think is not None and inputs is not None:
        edge_alpha = THINK_EDGE_ALPHA
        p = float(think.progress)
        lit = np.clip(p - geometry.layer_of + 1.0, 0.0, 1.0)  # a layer lights up as the signal arrives
        lit[geometry.layer_of == 0] = 1.0
        values = np.where(lit > 0.999, values, np.nan)
        travelled = np.clip(p - geometry.edge_layer, 0.0, 1.0)
        flowing = travelled > 0
        if shown is not None:
            flowing &= np.isin(np.arange(len(w)), shown)
        with np.errstate(over="ignore"):  # a linear network fed 1e308 overflows: that synapse carries the most
            signed = w * np.nan_to_num(np.concatenate([a[0] for a in acts]))[geometry.edge_source]
        signed = np.clip(signed, -_LARGEST, _LARGEST)
        carried = np.abs(signed)
        layer_max = np.zeros(len(arch.layers) - 1)
        np.maximum.at(layer_max, geometry.edge_layer, carried)
        strength = carried / np.maximum(layer_max[geometry.edge_layer], 1e-12)
        flowing &= strength > 0.02  # a synapse from a silent neuron carries nothing
        seg = geometry.segments[flowing]
        f = travelled[flowing][:, None]
        signal_segments = np.hstack([seg[:, :2], seg[:, :2] + (seg[:, 2:] - seg[:, :2]) * f])
        signal_strength = strength[flowing]
        signal_negative = signed[flowing] < 0
        if p < len(arch.layers) - 1 - 1e-9:
            notes = []

    fill = activation_fill(values, theme)
    return Scene(
        geometry=geometry,
        theme=theme,
        scale=scale,
        weights=w,
        edge_order=order,
        bucket_bounds=bounds,
        bucket_sequence=sequence,
        neuron_values=values,
        neuron_fill=fill,
        dark_text=readable_text_on(fill, theme),
        labels=labels if labels is not None else neuron_labels(arch.layers),
        edge_alpha=edge_alpha,
        signal_segments=signal_segments,
        signal_strength=signal_strength,
        signal_negative=signal_negative,
        output_notes=notes,
        n_edges_shown=len(order),
    )
