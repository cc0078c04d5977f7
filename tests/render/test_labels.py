import numpy as np
import pytest

from netviz.engine.network import Architecture
from netviz.render.painter import Frame, GeometryCache, network_rect, render_image
from netviz.scene.scene import neuron_labels
from netviz.scene.style import THEMES, WeightScale
from tests.render.test_painter import pixels
from tests.scene.test_labels import NETWORKS, SIZES, check_layout


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("layers", NETWORKS)
def test_names_measured_as_painted_never_overlap(qapp, size, layers):
    """The painter's own layout, with the painter's fonts, at every picture size."""
    rect = network_rect(*size, panel=layers[0] == 2)
    check_layout(GeometryCache().get(layers, rect, neuron_labels(layers)))


def test_a_hidden_neurons_name_is_painted_over_the_synapses_on_the_background(qapp):
    """2-8-8-1 at 800x500: lines cross the room above each hidden neuron, but not its name's box."""
    arch = Architecture.of((2, 8, 8, 1))
    theta = np.full(arch.n_params, 3.0)
    frame = Frame(arch, theta, THEMES["light"], WeightScale(3.0), neuron_labels(arch.layers), 0)
    cache = GeometryCache()
    image = pixels(render_image(frame, 800, 500, cache, caption=False, sparkline=False))
    g = cache.get(arch.layers, network_rect(800, 500), frame.labels)
    blue = np.array(THEMES["light"].rgb("positive"))
    for i in range(2, 18):
        box = g.labels.names[i]
        inside = image[int(box.y) + 1 : int(box.y + box.height) - 1, int(box.x) + 1 : int(box.x + box.width) - 1]
        assert not (np.abs(inside.astype(int) - blue).max(axis=2) < 40).any(), frame.labels[i]


@pytest.mark.parametrize("width", [480, 800])
def test_the_level_of_detail_note_keeps_clear_of_the_caption(qapp, width):
    """784-64-10 draws its strongest synapses and says so right of the caption, never over it."""
    arch = Architecture.of((784, 64, 10))
    frame = Frame(arch, arch.init_params(0, "glorot"), THEMES["light"], WeightScale(1.0), neuron_labels(arch.layers),
                  123_456, loss=np.full(123_457, 0.0833))  # fmt: skip
    from netviz.numbers import format_loss
    from netviz.render.painter import caption_scale
    from netviz.render.primitives import font_metrics, pixel_font

    k = caption_scale(width, 300)
    band = pixels(render_image(frame, width, 300, sparkline=False))[int(8 * k) : int(38 * k)]  # above the network
    inked = np.flatnonzero((band < 230).any(axis=(0, 2)))  # columns with text
    caption = f"epoch 123,456    loss {format_loss(0.0833)}"
    caption_end = 16 + font_metrics(pixel_font(round(17 * k))).horizontalAdvance(caption)
    after = inked[inked > caption_end + 1]
    assert len(after) and after.min() >= caption_end + 16  # the note starts clear of the caption
