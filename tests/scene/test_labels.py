import itertools

import numpy as np
import pytest

from netviz.scene.labels import MIN_FONT, approx_text_size, layer_caption
from netviz.scene.scene import Geometry, Rect, neuron_labels

# The network's rectangle in pictures of these sizes (the caption band above, the legend below).
# (800, 317) is the drawing in an 800x600 window.
SIZES = [(480, 300), (800, 317), (800, 500), (800, 600), (900, 600), (1920, 1080)]
NETWORKS = [(2, 8, 8, 1), (3, 4, 1), (2, 16, 16, 3), (784, 64, 10), (2, 3), (5, 40, 40, 40, 2), (1, 1)]
NETWORKS += [(3, n, 1) for n in (1, 2, 5, 8, 12, 20, 30, 39, 40)] + [(n, n, n) for n in (6, 10, 25)]


def network_rect(width: int, height: int, panel: bool) -> Rect:
    """As the painter lays a picture out: 44 pixels of caption above, 64 of legend below, a panel right."""
    inner = height - 44 - 64
    side = max(60.0, min(inner * 0.9, width * 0.3)) + 40 if panel else 0.0
    return Rect(0.0, 44.0, width - side, inner)


def segment_meets_box(segments: np.ndarray, box) -> np.ndarray:
    """Which segments (n, 4) pass through the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = segments.T
    dx, dy = x2 - x1, y2 - y1
    lo, hi = np.zeros(len(segments)), np.ones(len(segments))
    for p, q in ((-dx, x1 - box.x), (dx, box.x + box.width - x1), (-dy, y1 - box.y), (dy, box.y + box.height - y1)):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = q / p
        lo = np.where(p < 0, np.maximum(lo, t), lo)
        hi = np.where(p > 0, np.minimum(hi, t), hi)
        lo = np.where((p == 0) & (q < 0), 2.0, lo)  # parallel and outside
    return lo < hi


def check_layout(g: Geometry) -> None:
    """No box overlaps another, covers a neuron or leaves the rectangle; nothing crosses a name
    beside a neuron or the prediction; every layer is named, neuron by neuron or as a whole."""
    layout, rect = g.labels, g.rect
    boxes = layout.boxes()
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for box in boxes:
        assert rect.x <= box.x and box.x + box.width <= rect.x + rect.width + 1e-9, box
        assert rect.y <= box.y and box.y + box.height <= rect.y + rect.height + 1e-9, box
        assert box.size >= MIN_FONT
        for (x, y), r in zip(g.centres, g.radii):
            assert not box.meets_disc(x, y, r), (box, x, y, r)
    beside = [box for box in layout.names.values() if box.align != "centre"] + [layout.note] * (layout.note is not None)
    for box in beside:
        assert not segment_meets_box(g.segments, box).any(), box
    captions = {c.text for c in layout.captions}
    for k, n in enumerate(g.layers):
        named = [i in layout.names for i in range(g.layer_start[k], g.layer_start[k + 1])]
        assert all(named) or (not any(named) and layer_caption(k, len(g.layers), n) in captions), (k, n)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("layers", NETWORKS)
def test_names_never_overlap_at_any_size(size, layers):
    g = Geometry.build(layers, network_rect(*size, panel=layers[0] == 2))
    check_layout(g)


def test_names_longer_than_their_room_are_set_smaller_or_replaced_by_a_caption():
    long = ["sepal length in centimetres", "petal width", *neuron_labels((2, 4, 1))[2:]]
    g = Geometry.build((2, 4, 1), Rect(0, 44, 480, 192), long)
    check_layout(g)
    wide = Geometry.build((2, 4, 1), Rect(0, 44, 1920, 972), long)
    check_layout(wide)
    assert wide.labels.names[0].text == "sepal length in centimetres"


def test_eight_neurons_a_column_are_each_named_from_800x500():
    for size in SIZES[2:]:
        g = Geometry.build((2, 8, 8, 1), network_rect(*size, panel=True))
        assert len(g.labels.names) == 19 and g.labels.note is not None, size


def test_names_sit_beside_inputs_and_outputs_and_above_hidden_neurons():
    g = Geometry.build((3, 4, 1), network_rect(800, 500, panel=False))
    names = g.labels.names
    for i, ((x, y), r) in enumerate(zip(g.centres, g.radii)):
        box = names[i]
        if g.layer_of[i] == 0:
            assert box.x + box.width <= x - r and box.y < y < box.y + box.height
        elif g.layer_of[i] == 2:
            assert box.x >= x + r and box.y < y < box.y + box.height
        else:
            assert box.y + box.height <= y - r and box.x < x < box.x + box.width
    note = g.labels.note
    assert note.x >= g.centres[-1, 0] + g.radii[-1] and note.y >= names[7].y + names[7].height


def test_the_text_model_is_generous_for_wide_letters():
    assert approx_text_size("mm", 10)[0] > approx_text_size("ii", 10)[0]
    assert approx_text_size("h1.2", 12) == approx_text_size("h3.4", 12)


@pytest.mark.parametrize("size", SIZES)
def test_long_input_and_class_names_keep_clear_of_the_pictures_edges(size):
    """iris's names (sepal_length...) were laid out 2 pixels from the edge, where their glyphs were cut."""
    from netviz.scene.labels import EDGE

    names = ["sepal_length", "sepal_width", "petal_length", "petal_width", "h1", "h2", "h3", "h4"]
    names += ["setosa", "versicolor", "virginica"]
    g = Geometry.build((4, 4, 3), network_rect(*size, panel=False), names)
    beside = [box for box in g.labels.names.values() if box.align != "centre"]
    assert beside
    for box in beside:
        assert box.x >= g.rect.x + EDGE - 1e-9 and box.x + box.width <= g.rect.x + g.rect.width - EDGE + 1e-9, box
