"""Scene: pure-NumPy description of what to draw. Never imports Qt."""

from netviz.scene.scene import Geometry, Rect, Scene, Think, build_scene, edge_weights, neuron_biases, neuron_labels
from netviz.scene.style import (
    DEFAULT_THEME,
    DEFAULT_WEIGHT_SCALE,
    THEMES,
    WEIGHT_SCALES,
    Theme,
    WeightScale,
    nice_ceiling,
    weight_scale,
)

__all__ = [
    "DEFAULT_THEME",
    "DEFAULT_WEIGHT_SCALE",
    "THEMES",
    "WEIGHT_SCALES",
    "Geometry",
    "Rect",
    "Scene",
    "Theme",
    "Think",
    "WeightScale",
    "build_scene",
    "edge_weights",
    "neuron_biases",
    "neuron_labels",
    "nice_ceiling",
    "weight_scale",
]
