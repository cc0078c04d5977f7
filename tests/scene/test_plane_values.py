"""Maps of regression data shaded by value, and maps of networks whose inputs are features of the plane."""

import numpy as np

from netviz.engine.data import Dataset, add_features
from netviz.engine.network import Architecture
from netviz.scene.plane import (
    GRID,
    MAP_STRENGTH,
    PANEL_GRID,
    class_map_rgb,
    diverging_rgb,
    map_rgb,
    plane_maps,
    point_colours,
)
from netviz.scene.style import THEMES

LIGHT = THEMES["light"]


def test_a_linear_output_of_regression_data_is_shaded_on_the_targets_scale():
    # out = 0.5 * x over x in about [-1.2, 1.2]; targets reach 2, so the map stays well short of full colour.
    arch = Architecture.of((2, 1), "linear")
    inputs = np.array([[-1.0, -1.0], [1.0, 1.0]])
    targets = np.array([[-2.0], [0.5]])
    maps = plane_maps(arch, np.array([0.5, 0.0]), inputs, targets, LIGHT)
    x_right = maps.extent[1]
    expected = map_rgb(np.array(0.5 * x_right / 2.0), LIGHT)
    assert tuple(maps.panel_rgb[PANEL_GRID // 2, -1]) == tuple(expected)
    # Twice the weight is twice as far toward full colour: the scale is the data's, not the frame's.
    doubled = plane_maps(arch, np.array([1.0, 0.0]), inputs, targets, LIGHT)
    assert tuple(doubled.panel_rgb[PANEL_GRID // 2, -1]) == tuple(map_rgb(np.array(x_right / 2.0), LIGHT))
    # A point's fill is its target on the same scale, at full colour.
    fills = point_colours(targets, LIGHT, "linear")
    assert tuple(fills[0]) == tuple(diverging_rgb(np.array(-1.0), LIGHT))
    assert tuple(fills[1]) == tuple(diverging_rgb(np.array(0.25), LIGHT))
    assert not maps.wrong.any()


def test_classes_keep_the_sigmoid_scale():
    arch = Architecture.of((2, 1), "linear")
    inputs, targets = np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([[0.0], [1.0]])
    small = plane_maps(arch, np.array([0.1, 0.0]), inputs, targets, LIGHT)
    # For classes a linear output keeps its frame's own largest value as full colour.
    assert tuple(small.panel_rgb[0, -1]) == tuple(map_rgb(np.array(1.0), LIGHT, MAP_STRENGTH))


def test_feature_inputs_get_maps_over_the_plane_and_points_stay_where_they_are():
    points = np.array([[-1.0, 0.5], [0.0, 0.0], [1.0, -0.5]])
    dataset = Dataset(points, np.array([1.0, 0.0, 1.0]), input_names=["x", "y"])
    add_features(dataset, ("x2", "y2"))
    arch = Architecture.of((2, 1), "sigmoid")
    theta = np.array([10.0, 0.0])  # out = sigmoid(10 x^2): high away from x = 0 on either side
    assert plane_maps(arch, theta, dataset.inputs, dataset.targets, LIGHT) is not None  # 2 features look 2-D...
    maps = plane_maps(arch, theta, dataset.plane_points(), dataset.targets, LIGHT, dataset.inputs_at)
    np.testing.assert_array_equal(maps.points, points)  # ...but the points are where the data has them
    row = maps.panel_rgb[PANEL_GRID // 2]
    assert np.array_equal(row[0], row[-1])  # symmetric in x
    assert not np.array_equal(row[0], row[PANEL_GRID // 2])
    # The input x^2 has a map of its own: symmetric in x, the same down every column.
    x2 = maps.rgb[0]
    assert np.array_equal(x2[:, 0], x2[:, -1]) and np.array_equal(x2[0], x2[-1])
    assert not maps.wrong.any()  # the right class at each point, judged on its features


def test_any_number_of_features_gets_maps():
    dataset = Dataset(np.array([[0.5, -0.5], [1.0, 1.0]]), np.array([0.0, 1.0]))
    add_features(dataset, ("x", "y", "x2", "y2", "xy", "sinx", "siny"))
    arch = Architecture.of((7, 3, 1), "tanh", True)
    maps = plane_maps(arch, arch.init_params(1), dataset.plane_points(), dataset.targets, LIGHT, dataset.inputs_at)
    assert maps.rgb.shape == (7 + 3 + 1, GRID, GRID, 3)


def test_the_output_neurons_own_map_uses_the_panels_scale():
    arch = Architecture.of((2, 1), "linear")
    inputs, targets = np.array([[-1.0, -1.0], [1.0, 1.0]]), np.array([[-2.0], [0.5]])
    maps = plane_maps(arch, np.array([0.5, 0.0]), inputs, targets, LIGHT)
    x_right = maps.extent[1]
    assert tuple(maps.rgb[2][GRID // 2, -1]) == tuple(map_rgb(np.array(0.5 * x_right / 2.0), LIGHT))


def test_a_sure_softmax_output_is_as_strong_as_a_sure_sigmoid_one():
    # Three classes along x: out_k = w_k * x with a large spread, so the far right is surely class 0.
    theta = np.array([20.0, 0.0, -20.0, 0.0, 0.0, 0.0])
    inputs, targets = np.array([[-1.0, 0.0], [1.0, 0.0]]), np.eye(3)[[2, 0]]
    soft = plane_maps(Architecture.of((2, 3), "softmax"), theta, inputs, targets, LIGHT)
    sure = class_map_rgb(np.array([[1.0, 0.0, 0.0]]), "sigmoid", LIGHT)[0]  # sigmoids at 1, 0 and 0
    assert tuple(soft.panel_rgb[PANEL_GRID // 2, -1]) == tuple(sure)
    # An output neuron's own map reads its probability as a sigmoid's: low (orange) where unlikely.
    assert tuple(soft.rgb[2 + 2][GRID // 2, -1]) == tuple(map_rgb(np.array(-1.0), LIGHT))
