"""What the maps are drawn from (plane_data), Discretize output, and the maps of feature inputs."""

import numpy as np
import pytest

from netviz.engine.data import Dataset, add_features
from netviz.engine.network import Architecture
from netviz.engine.presets import preset
from netviz.scene.plane import (
    GRID,
    MAP_STRENGTH,
    class_map_rgb,
    has_map,
    map_rgb,
    plane_data,
    plane_maps,
    signed_level,
)
from netviz.scene.style import THEMES, class_colours

LIGHT = THEMES["light"]


def test_plane_data_gives_points_targets_and_how_points_become_inputs():
    flat = preset("circle")
    points, targets, inputs_of = plane_data(flat)
    assert points is flat.inputs and targets is flat.targets and inputs_of is None
    featured = preset("circle")
    add_features(featured, ("x2", "y2"))
    points, targets, inputs_of = plane_data(featured)
    np.testing.assert_array_equal(points, flat.inputs)
    np.testing.assert_array_equal(inputs_of(points), featured.inputs)
    three = Dataset(np.zeros((4, 3)), np.zeros((4, 1)))
    assert plane_data(three) is None
    assert plane_data(Dataset(np.zeros((0, 2)), np.zeros((0, 1))))[2] is None  # maps over the unit square


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_discretized_one_output_maps_show_only_the_side_each_point_falls_on(theme):
    arch = Architecture.of((2, 1))
    theta = np.array([3.0, 1.0])  # out = sigmoid(3x + y): shaded from pale at the boundary to strong
    inputs, targets = np.array([[-1.0, -1.0], [1.0, 1.0]]), np.array([[0.0], [1.0]])
    shaded = plane_maps(arch, theta, inputs, targets, THEMES[theme])
    flat = plane_maps(arch, theta, inputs, targets, THEMES[theme], discretize=True)
    sides = map_rgb(np.array([-1.0, 1.0]), THEMES[theme])
    colours = {tuple(c) for c in flat.panel_rgb.reshape(-1, 3)}
    assert colours <= {tuple(sides[0]), tuple(sides[1]), tuple(map_rgb(np.array(0.0), THEMES[theme]))}
    assert len({tuple(c) for c in shaded.panel_rgb.reshape(-1, 3)}) > 20
    # The output neuron's own map is discretized too; the points stay as they were.
    assert {tuple(c) for c in flat.rgb[-1].reshape(-1, 3)} <= colours
    np.testing.assert_array_equal(flat.point_rgb, shaded.point_rgb)
    np.testing.assert_array_equal(flat.wrong, shaded.wrong)


def test_discretized_classes_are_each_classs_colour_without_its_lead():
    outputs = np.array([[0.9, 0.1, 0.1], [0.4, 0.35, 0.1], [0.1, 0.2, 0.8]])
    flat = class_map_rgb(outputs, "sigmoid", LIGHT, discretize=True)
    full = class_map_rgb(np.eye(3), "sigmoid", LIGHT)  # a class leading by everything
    np.testing.assert_array_equal(flat, full[[0, 0, 2]])
    shaded = class_map_rgb(outputs, "sigmoid", LIGHT)
    assert tuple(shaded[1]) != tuple(flat[1])  # a small lead is pale unless discretized
    assert len(class_colours(3)) == 3 and MAP_STRENGTH < 1


def test_feature_inputs_have_maps_of_their_feature_over_the_plane():
    data = preset("circle")
    add_features(data, ("x2", "y2"))
    arch = Architecture.of((2, 1, 1), "tanh", bias=True)
    theta = np.linspace(-1, 1, arch.n_params)
    points, targets, inputs_of = plane_data(data)
    maps = plane_maps(arch, theta, points, targets, LIGHT, inputs_of)
    assert maps.inputs_mapped and has_map(maps, 0) and has_map(maps, 1)
    x0, x1, y0, y1 = maps.extent
    xs = np.linspace(x0, x1, GRID)
    grid = np.column_stack([np.tile(xs, GRID), np.repeat(np.linspace(y1, y0, GRID), GRID)])
    x_squared = inputs_of(grid)[:, 0]
    expected = map_rgb(signed_level(x_squared, "linear"), LIGHT).reshape(GRID, GRID, 3)
    np.testing.assert_array_equal(maps.rgb[0], expected)
    # Plain x and y need no map of their own.
    flat = plane_maps(arch, theta, preset("circle").inputs, targets, LIGHT)
    assert not flat.inputs_mapped and not has_map(flat, 0) and has_map(flat, 1)
    assert not has_map(None, 1)


def test_regression_maps_carry_the_reach_of_their_value_key():
    data = preset("plane")
    arch = Architecture.of((2, 4, 1), ("tanh", "linear"), bias=True)
    theta = np.linspace(-1, 1, arch.n_params)
    maps = plane_maps(arch, theta, data.inputs, data.targets, LIGHT)
    assert maps.reach == pytest.approx(np.abs(data.targets).max())
    circle = preset("circle")
    assert plane_maps(arch, theta, circle.inputs, circle.targets, LIGHT).reach is None
