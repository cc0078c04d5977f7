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


@dataclass(frozen=True)
class WeightScale:
    """|weight| -> line width and colour strength, fixed for a whole run so growth shows.

    `max_abs` is where a line reaches full width and full colour; larger weights clamp.
    """

    max_abs: float = 1.0
    min_width: float = 1.0
    max_width: float = 12.0
    thin_below: float = 0.0  # strengths at or below this draw 1 px wide (cheap lines for big networks)

    @classmethod
    def for_weights(cls, max_abs: float, max_width: float = 12.0, thin_below: float = 0.0) -> "WeightScale":
        """A scale whose full width sits at a round number at or above max_abs."""
        return cls(nice_ceiling(max_abs), 1.0, max(1.0, max_width), thin_below)

    def strength(self, w: np.ndarray) -> np.ndarray:
        """|w| / max_abs clamped to [0, 1]; NaN counts as 0. (Runs every frame: plain ufuncs,
        not nan_to_num and clip, which cost several times more on small arrays.)"""
        s = np.minimum(np.abs(np.asarray(w, dtype=np.float64)) / self.max_abs, 1.0)
        return np.where(s == s, s, 0.0)

    def level(self, w: np.ndarray) -> np.ndarray:
        """Magnitude bucket 0..N_LEVELS-1 (0 = weakest)."""
        return np.minimum((self.strength(w) * N_LEVELS).astype(np.intp), N_LEVELS - 1)

    def bucket(self, w: np.ndarray) -> np.ndarray:
        """Pen bucket: level for w >= 0, N_LEVELS + level for w < 0."""
        return self.level(w) + N_LEVELS * (np.asarray(w) < 0)

    def level_strength(self) -> np.ndarray:
        """The strength each level is drawn at (its upper edge, so the top level is full)."""
        return (np.arange(N_LEVELS) + 1.0) / N_LEVELS

    def width(self, w: np.ndarray) -> np.ndarray:
        """Line width in pixels: min_width for 0, max_width at max_abs and beyond."""
        return self.min_width + (self.max_width - self.min_width) * self.strength(w)

    def bucket_widths(self) -> np.ndarray:
        s = self.level_strength()
        widths = self.min_width + (self.max_width - self.min_width) * s
        widths[s <= self.thin_below] = self.min_width
        return np.concatenate([widths, widths])


FULL_COLOUR_AT = 0.15  # fraction of the scale where a line reaches its full sign colour


def weight_colours(strength: np.ndarray, negative: np.ndarray, theme: Theme) -> np.ndarray:
    """RGBA (n, 4): the theme's 'zero' grey near 0, the sign colour from 15% of the scale up.

    Thickness carries the magnitude; colour has to show the sign of small weights too.
    """
    s = np.clip(np.asarray(strength, dtype=np.float64), 0.0, 1.0)[:, None]
    zero = np.array(theme.rgb("zero"), dtype=np.float64)
    sign = np.where(np.asarray(negative)[:, None], theme.rgb("negative"), theme.rgb("positive"))
    t = np.sqrt(np.minimum(s / FULL_COLOUR_AT, 1.0))
    rgb = zero + (sign - zero) * t
    alpha = 140 + 115 * t
    return np.concatenate([np.rint(rgb), np.rint(alpha)], axis=1).astype(np.uint8)


def bucket_colours(scale: WeightScale, theme: Theme) -> np.ndarray:
    """RGBA of each of the 2 * N_LEVELS pen buckets (positive levels, then negative)."""
    s = np.concatenate([scale.level_strength()] * 2)
    negative = np.arange(2 * N_LEVELS) >= N_LEVELS
    return weight_colours(s, negative, theme)


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


@functools.lru_cache(maxsize=64)
def _colour(theme: Theme, field: str) -> np.ndarray:
    colour = np.array(theme.rgb(field), dtype=np.float64)
    colour.flags.writeable = False
    return colour


def readable_text_on(fill: np.ndarray, theme: Theme) -> np.ndarray:
    """For each RGB fill (n, 3), True where dark text reads better than light text."""
    return fill @ _LUMA > 140


_LUMA = np.array([0.299, 0.587, 0.114])


def run_scale(edge_weights: np.ndarray, max_width: float = 12.0, thin_below: float = 0.0) -> WeightScale:
    """One scale for a whole run, from the weights of its epochs (n_epochs, n_edges) or (n_edges,)."""
    finite = np.abs(edge_weights[np.isfinite(edge_weights)])
    return WeightScale.for_weights(float(finite.max()) if finite.size else 1.0, max_width, thin_below)
