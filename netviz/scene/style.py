"""Themes and the visual scales: weight -> colour and width, activation -> fill.

Every scale here is a named, clamped, vectorised function of arrays; painting code only
consumes what they return. Colours are RGB(A) uint8.
"""

import functools
import math
from dataclasses import dataclass

import numpy as np

N_LEVELS = 16  # magnitude steps per sign: edges are drawn in 2 * N_LEVELS pen buckets


@functools.lru_cache(maxsize=256)  # parsed once: painting asks for the same few colours every frame
def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@dataclass(frozen=True)
class Theme:
    """The palette of one look; every colour is '#rrggbb'."""

    name: str
    background: str
    text: str
    muted: str  # secondary text, axes, neuron outlines
    positive: str  # weight > 0
    negative: str  # weight < 0
    zero: str  # weight near 0
    neuron_off: str  # activation 0
    neuron_on: str  # activation 1
    signal: str  # the forward pass travelling in Think mode

    def rgb(self, field: str) -> tuple[int, int, int]:
        return _rgb(getattr(self, field))

    def palette(self) -> list[tuple[int, int, int]]:
        """Every exact colour of the theme, for a GIF palette that keeps them pure."""
        fields = ("background", "text", "muted", "positive", "negative", "zero", "neuron_off", "neuron_on", "signal")
        return list(dict.fromkeys(self.rgb(f) for f in fields))


# Blue/orange is a colour-blind-safe diverging pair (ColorBrewer PuOr / RdBu ends).
THEMES = {
    "light": Theme(
        "light", "#ffffff", "#1f2328", "#8c959f", "#2166ac", "#e66101", "#d0d7de", "#ffffff", "#24292f", "#f2b705"
    ),
    "dark": Theme(
        "dark", "#16181d", "#e6edf3", "#7d8590", "#4ea1f3", "#f28c28", "#3d444d", "#22262e", "#f5f7fa", "#ffd84d"
    ),
    # After the blog author's video: green for positive, red for negative, on black.
    "classic": Theme(
        "classic", "#000000", "#ffffff", "#8a8a8a", "#22dd22", "#ee2222", "#3a3a3a", "#000000", "#ffffff", "#ffff66"
    ),
}
DEFAULT_THEME = "light"

# One hue per class where a network has several outputs, the same in every theme: Okabe and Ito's
# colour-blind-safe set (blue and orange first, as for one output; black left out, it vanishes
# on dark themes), then Paul Tol's wine, olive and indigo to reach 10. Beyond 10 they repeat.
CLASS_COLOURS = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#882255", "#999933", "#332288"
)  # fmt: skip


def class_colours(n_classes: int) -> np.ndarray:
    """RGB (n_classes, 3) uint8: CLASS_COLOURS in order, repeating past 10."""
    rgb = [_rgb(CLASS_COLOURS[k % len(CLASS_COLOURS)]) for k in range(n_classes)]
    return np.array(rgb, dtype=np.uint8).reshape(-1, 3)


NICE_STEPS = (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) >= value."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    for step in NICE_STEPS:
        candidate = step * 10.0**exp
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exp + 1)


FULL_COLOUR_AT = 0.15  # strength where a line reaches its full sign colour (linear scales)


@dataclass(frozen=True)
class WeightScale:
    """|weight| -> strength in [0, 1] -> line width and colour, fixed for a whole run so growth shows.

    `kind` names how |w| maps to strength: "log" spreads log|w| from `min_abs` to `max_abs`;
    the linear kinds ("run", "clamp") divide by `max_abs`. Larger weights clamp at 1.
    """

    max_abs: float = 1.0
    min_width: float = 1.0
    max_width: float = 12.0
    thin_below: float = 0.0  # strengths at or below this draw min_width; widths grow from there to 1
    kind: str = "run"
    min_abs: float = 0.0  # log: strength 0 at and below this |w|
    full_colour_at: float = FULL_COLOUR_AT

    @classmethod
    def for_weights(cls, max_abs: float, max_width: float = 12.0, thin_below: float = 0.0) -> "WeightScale":
        """A linear scale whose full width sits at a round number at or above max_abs."""
        return cls(nice_ceiling(max_abs), 1.0, max(1.0, max_width), thin_below)

    def strength(self, w: np.ndarray) -> np.ndarray:
        """Where |w| sits on the scale, clamped to [0, 1]; NaN counts as 0. (Runs every frame: plain
        ufuncs, not nan_to_num and clip, which cost several times more on small arrays.)"""
        a = np.abs(np.asarray(w, dtype=np.float64))
        if self.kind == "log":
            s = np.log(np.maximum(a, self.min_abs) / self.min_abs) * (1.0 / math.log(self.max_abs / self.min_abs))
        else:
            s = a / self.max_abs
        s = np.minimum(s, 1.0)
        return np.where(s == s, s, 0.0)

    def level(self, w: np.ndarray) -> np.ndarray:
        """Magnitude bucket 0..N_LEVELS-1 (0 = weakest)."""
        # The nudge keeps |w| that sit exactly on a level's edge (0.1 and 50 on the log scale) in
        # that level despite the rounding of log.
        return np.minimum((self.strength(w) * N_LEVELS + 1e-9).astype(np.intp), N_LEVELS - 1)

    def bucket(self, w: np.ndarray) -> np.ndarray:
        """Pen bucket: level for w >= 0, N_LEVELS + level for w < 0."""
        return self.level(w) + N_LEVELS * (np.asarray(w) < 0)

    def level_strength(self) -> np.ndarray:
        """The strength each level is drawn at (its upper edge, so the top level is full)."""
        return (np.arange(N_LEVELS) + 1.0) / N_LEVELS

    def level_widths(self) -> np.ndarray:
        """Line width of each level: min_width up to thin_below, growing to max_width at the top level."""
        ramp = np.clip((self.level_strength() - self.thin_below) / (1.0 - self.thin_below), 0.0, 1.0)
        return self.min_width + (self.max_width - self.min_width) * ramp

    def width(self, w: np.ndarray) -> np.ndarray:
        """Line width in pixels of each weight, as drawn: its level's width."""
        return self.level_widths()[self.level(w)]

    def bucket_widths(self) -> np.ndarray:
        """Width of each of the 2 * N_LEVELS pen buckets (positive levels, then negative)."""
        return np.tile(self.level_widths(), 2)

    def legend_weights(self) -> tuple[float, ...]:
        """The |w| the legend shows a line for: decades on the log scale, fractions of the top on linear ones."""
        if self.kind == "log":
            return LOG_TICKS
        return tuple(f * self.max_abs for f in (0.1, 0.5, 1.0))


# The fixed log scale: one scale for every run, so a weight's line never changes while it trains.
# 16 levels spread log|w| so that |w| = 0.1 starts level 4 and 50 starts the top level: 0.01, 0.1,
# 1, 10 and 21 (the blog's range) fall in levels 0, 4, 8, 12 and 13. Lines are min_width up to
# 0.1 and widest from 50; colour tells the smaller ones apart, from grey (0.01) to full from ~0.5.
LOG_THIN_UP_TO, LOG_WIDEST_FROM = 0.1, 50.0
LOG_THIN_LEVEL = 4  # the level that starts at LOG_THIN_UP_TO, the last one drawn min_width
LOG_FULL_COLOUR_LEVEL = 7  # |w| about 0.55 to 0.96: the first level in its full sign colour
LOG_TICKS = (0.1, 1.0, 10.0, 50.0)
_LOG_STEP = (LOG_WIDEST_FROM / LOG_THIN_UP_TO) ** (1 / (N_LEVELS - 1 - LOG_THIN_LEVEL))  # |w| ratio a level
CLAMP_AT = 5.0  # TensorFlow Playground's choice

WEIGHT_SCALES = ("log", "run", "clamp")
DEFAULT_WEIGHT_SCALE = "log"


def log_scale(max_width: float = 12.0) -> WeightScale:
    """The fixed logarithmic scale: |w| <= 0.1 -> min width, |w| >= 50 -> max_width, whatever the run."""
    min_abs = LOG_THIN_UP_TO / _LOG_STEP**LOG_THIN_LEVEL
    # A level is drawn at its upper edge's strength (see WeightScale.level_strength).
    return WeightScale(
        max_abs=min_abs * _LOG_STEP**N_LEVELS, max_width=max(1.0, max_width),
        thin_below=(LOG_THIN_LEVEL + 1) / N_LEVELS, kind="log", min_abs=min_abs,
        full_colour_at=(LOG_FULL_COLOUR_LEVEL + 1) / N_LEVELS,
    )  # fmt: skip


def weight_scale(
    kind: str = DEFAULT_WEIGHT_SCALE, run_max_abs: float | None = None, max_width: float = 12.0
) -> WeightScale:
    """The WeightScale of a kind in WEIGHT_SCALES; "run" needs the run's largest |weight|."""
    if kind == "log":
        return log_scale(max_width)
    if kind == "clamp":
        return WeightScale(CLAMP_AT, 1.0, max(1.0, max_width), kind="clamp")
    if kind == "run":
        if run_max_abs is None:
            raise ValueError("the run weight scale needs the run's largest |weight|")
        return WeightScale.for_weights(run_max_abs, max_width)
    raise ValueError(f"unknown weight scale {kind!r}: use one of {', '.join(WEIGHT_SCALES)}")


def weight_colours(
    strength: np.ndarray, negative: np.ndarray, theme: Theme, full_at: float = FULL_COLOUR_AT
) -> np.ndarray:
    """RGBA (n, 4): the theme's 'zero' grey near 0, the sign colour from strength `full_at` up.

    Thickness carries the magnitude; colour has to show the sign of small weights too.
    """
    s = np.clip(np.asarray(strength, dtype=np.float64), 0.0, 1.0)[:, None]
    zero = np.array(theme.rgb("zero"), dtype=np.float64)
    sign = np.where(np.asarray(negative)[:, None], theme.rgb("negative"), theme.rgb("positive"))
    t = np.sqrt(np.minimum(s / full_at, 1.0))
    rgb = zero + (sign - zero) * t
    alpha = 140 + 115 * t
    return np.concatenate([np.rint(rgb), np.rint(alpha)], axis=1).astype(np.uint8)


def bucket_colours(scale: WeightScale, theme: Theme) -> np.ndarray:
    """RGBA of each of the 2 * N_LEVELS pen buckets (positive levels, then negative)."""
    s = np.concatenate([scale.level_strength()] * 2)
    negative = np.arange(2 * N_LEVELS) >= N_LEVELS
    return weight_colours(s, negative, theme, scale.full_colour_at)


def activation_fill(values: np.ndarray, theme: Theme) -> np.ndarray:
    """RGB (n, 3) fill of neurons: neuron_off at 0 toward neuron_on at |a| = 1 (clamped).

    Negative activations (tanh, linear) lean toward the theme's negative colour.
    NaN (no input chosen) draws as neuron_off.
    """
    a = np.asarray(values, dtype=np.float64)
    t = np.minimum(np.abs(a), 1.0)
    t = np.where(t == t, t, 0.0)[:, None]  # NaN: off
    off = _colour(theme, "neuron_off")
    on = np.where((a < 0)[:, None], _colour(theme, "negative"), _colour(theme, "neuron_on"))
    return np.rint(off + (on - off) * t).astype(np.uint8)


NEGATIVE_ACTIVATIONS = ("tanh", "linear")  # may go below 0
UNBOUNDED_ACTIVATIONS = ("relu", "linear")  # may go past 1, where the fill stays at its end


def activation_key(activations) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """The activations the legend shows a neuron's fill for, and their labels: the range the layers'
    activations reach (-1 to 1 where one may go negative; 0 to 1 otherwise), marked "≥1" (or
    "≤−1") where the fill stops at the end of its scale but the activation goes on."""
    names = set(activations)
    top = "≥1" if names & set(UNBOUNDED_ACTIVATIONS) else "1"
    if names & set(NEGATIVE_ACTIVATIONS):
        return (-1.0, 0.0, 1.0), ("≤−1" if "linear" in names else "−1", "0", top)
    return (0.0, 0.5, 1.0), ("0", "0.5", top)


@functools.lru_cache(maxsize=64)
def _colour(theme: Theme, field: str) -> np.ndarray:
    colour = np.array(theme.rgb(field), dtype=np.float64)
    colour.flags.writeable = False
    return colour


def readable_text_on(fill: np.ndarray, theme: Theme) -> np.ndarray:
    """For each RGB fill (n, 3), True where dark text reads better than light text."""
    return fill @ _LUMA > 140


_LUMA = np.array([0.299, 0.587, 0.114])


def largest_weight(edge_weights: np.ndarray) -> float:
    """The largest finite |w| of a run's weights (n_epochs, n_edges) or (n_edges,); 1 when there is none."""
    finite = np.abs(edge_weights[np.isfinite(edge_weights)])
    return float(finite.max()) if finite.size else 1.0
