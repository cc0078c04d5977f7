import numpy as np
import pytest

from netviz.engine.network import Architecture
from netviz.render.painter import Frame, render_image
from netviz.scene.scene import neuron_labels
from netviz.scene.style import THEMES, WeightScale


@pytest.fixture
def two_synapses(qapp):
    """A 2-1 network: x1 -> out weight +4, x2 -> out weight -1.5, drawn at 800x500."""
    arch = Architecture.of((2, 1))
    theta = np.array([4.0, -1.5])
    frame = Frame(arch, theta, THEMES["light"], WeightScale(5.0), neuron_labels(arch.layers), 0)
    image = render_image(frame, 800, 500, caption=False, sparkline=False)
    return frame, image


def pixels(image) -> np.ndarray:
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    a = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return a[:, : image.width(), 2::-1].copy()  # BGRA in memory -> RGB, owned (the image may go)


def crossing(column: np.ndarray, background) -> tuple[int, np.ndarray]:
    """Thickness (pixels not background) and the most saturated colour of a vertical cut."""
    mask = np.any(np.abs(column.astype(int) - background) > 30, axis=1)
    colours = column[mask].astype(int)
    strongest = colours[np.argmax(colours.max(axis=1) - colours.min(axis=1))]
    return int(mask.sum()), strongest


def line_cut(image, frame, edge: int):
    from netviz.render.painter import GeometryCache, network_rect

    g = GeometryCache().get(frame.arch.layers, network_rect(800, 500))
    x1, y1, x2, y2 = g.segments[edge]
    x = int((x1 + x2) / 2)
    y = (y1 + y2) / 2
    return pixels(image)[int(y) - 40 : int(y) + 40, x]


def test_positive_synapse_is_blue_negative_orange_heavier_thicker(two_synapses):
    frame, image = two_synapses
    background = np.array(THEMES["light"].rgb("background"))
    thick_pos, colour_pos = crossing(line_cut(image, frame, 0), background)
    thick_neg, colour_neg = crossing(line_cut(image, frame, 1), background)
    r, g, b = colour_pos
    assert b > r + 60 and b > g, f"positive weight should be blue, got {colour_pos}"
    r, g, b = colour_neg
    assert r > b + 60 and r > g, f"negative weight should be orange, got {colour_neg}"
    assert thick_pos > thick_neg + 2


def test_background_is_the_themes_exactly(two_synapses):
    _, image = two_synapses
    corner = pixels(image)[5, 5]
    assert tuple(corner) == THEMES["light"].rgb("background")


@pytest.mark.parametrize("size", [(16, 16), (32, 16), (33, 800), (16, 8192)])
def test_the_smallest_sizes_draw_without_qt_warnings(qapp, size):
    """The CLI accepts 16 to 8192 pixels a side; too narrow for the legend used to paint on a null image."""
    arch = Architecture.of((2, 1))
    frame = Frame(arch, np.array([4.0, -1.5]), THEMES["light"], WeightScale(5.0), neuron_labels(arch.layers), 0)
    image = render_image(frame, *size)
    assert (image.width(), image.height()) == size


def test_two_input_networks_show_the_output_over_the_plane(qapp):
    """A network that says 1 right of x = 0: the panel is blue on its right half, orange on its left."""
    from netviz.render.painter import network_rect, panel_size

    arch = Architecture.of((2, 1))
    inputs = np.array([[-1.0, 0.0], [1.0, 0.0]])
    frame = Frame(arch, np.array([12.0, 0.0]), THEMES["light"], WeightScale(20.0), neuron_labels(arch.layers), 0,
                  plane=(inputs, np.array([[0.0], [1.0]])))  # fmt: skip
    rendered = render_image(frame, 1000, 600, caption=False, sparkline=False)
    image = pixels(rendered)
    rect = network_rect(1000, 600, panel=True)
    side = panel_size(1000, rect.height)
    left, top = int(1000 - side - 16), int(rect.y + (rect.height - side) / 2)
    y = top + int(side * 0.25)  # above the points
    assert tuple(image[y, left + int(side * 0.1)]) == THEMES["light"].rgb("negative")
    assert tuple(image[y, left + int(side * 0.9)]) == THEMES["light"].rgb("positive")
    assert rect.width < 1000 - side  # the network makes room for the panel
