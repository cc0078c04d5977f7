"""The panel's keys and names: a value key for regression maps, the plane's x and y for feature networks,
and feature inputs drawn as their maps."""

import numpy as np
import pytest
from PyQt6.QtGui import QImage

from netviz.engine.data import add_features
from netviz.engine.network import Architecture
from netviz.engine.presets import preset
from netviz.render.painter import Frame, paint_frame, panel_box, render_image
from netviz.render.primitives import painting
from netviz.scene.plane import map_rgb, plane_data
from netviz.scene.scene import neuron_labels
from netviz.scene.style import THEMES, WeightScale
from tests.render.test_painter import pixels

SIZE = (1000, 600)


def frame_of(data, arch, theme="light", **options) -> Frame:
    theta = np.linspace(-1.5, 1.5, arch.n_params)
    labels = neuron_labels(arch.layers, data.input_names, data.target_names)
    return Frame(arch, theta, THEMES[theme], WeightScale(20.0), labels, 0, plane=plane_data(data), **options)


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_a_regression_map_has_a_value_key_above_it_in_the_maps_colours(qapp, theme):
    arch = Architecture.of((2, 4, 1), ("tanh", "linear"), bias=True)
    image = pixels(render_image(frame_of(preset("plane"), arch, theme), *SIZE, caption=False, sparkline=False))
    box = panel_box(*SIZE)
    band = image[int(box.top()) - 20 : int(box.top()) - 2, int(box.left()) : int(box.right())].reshape(-1, 3)
    for end in map_rgb(np.array([-1.0, 1.0]), THEMES[theme]).astype(int):
        assert (np.abs(band.astype(int) - end).max(axis=1) <= 1).sum() >= 10  # both ends of the bar


def test_a_class_map_has_no_value_key(qapp):
    arch = Architecture.of((2, 4, 1), "tanh", bias=True)
    image = pixels(render_image(frame_of(preset("circle"), arch), *SIZE, caption=False, sparkline=False))
    box = panel_box(*SIZE)
    band = image[int(box.top()) - 20 : int(box.top()) - 2, int(box.left()) : int(box.right())].reshape(-1, 3)
    strong = map_rgb(np.array([-1.0, 1.0]), THEMES["light"]).astype(int)
    assert not any((np.abs(band.astype(int) - end).max(axis=1) <= 1).any() for end in strong)


def test_feature_inputs_are_drawn_as_their_maps(qapp):
    data = preset("circle")
    add_features(data, ("x2", "y2"))
    arch = Architecture.of((2, 1, 1), "tanh", bias=True)
    frame = frame_of(data, arch)
    image = QImage(*SIZE, QImage.Format.Format_RGB32)
    with painting(image) as painter:
        scene = paint_frame(painter, *SIZE, frame, caption=False, sparkline=False)
    assert scene.maps.inputs_mapped
    x, y = np.round(scene.geometry.centres[0]).astype(int)
    r = int(scene.geometry.radii[0])
    disc = pixels(image)[y - r // 2 : y + r // 2, x - r // 2 : x + r // 2].reshape(-1, 3)
    assert len({tuple(c) for c in disc}) > 10  # x² over the plane: a gradient, not one activation's fill
    assert scene.labels[:2] == ["x²", "y²"]


def test_a_forward_pass_is_captioned_in_the_datas_own_units():
    from netviz.engine.data import Dataset, Scaling
    from netviz.render.still import input_caption

    scaled = Dataset(np.zeros((2, 2)), np.zeros((2, 1)))
    scaled.scaling = Scaling("standard", np.array([5.0, 3.0]), np.array([0.5, 2.0]))
    assert input_caption(scaled, [0.6, -0.5]) == "input 5.3, 2"
    assert input_caption(Dataset(np.zeros((1, 3)), np.zeros((1, 1))), [1, 1, 0]) == "input 1, 1, 0"
    points = preset("circle")
    add_features(points, ("x", "y", "x2"))
    assert input_caption(points, points.inputs_at([[0.5, -0.25]])[0]) == "point 0.5, -0.25"
