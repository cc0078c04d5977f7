import numpy as np

from netviz.engine import presets
from netviz.engine.network import Architecture
from netviz.scene.plane import GRID, diverging_rgb, plane_extent, plane_maps, point_colours, signed_level
from netviz.scene.style import THEMES

LIGHT = THEMES["light"]


def test_only_two_input_networks_get_maps():
    arch = Architecture.of((3, 4, 1))
    assert plane_maps(arch, arch.init_params(1), np.zeros((1, 3)), np.zeros((1, 1)), LIGHT) is None


def test_each_neuron_map_is_its_activation_over_the_plane():
    # One sigmoid neuron, out = sigmoid(10 * x): high (blue) on the right, low (orange) on the left.
    arch = Architecture.of((2, 1))
    theta = np.array([10.0, 0.0])
    inputs = np.array([[-1.0, -1.0], [1.0, 1.0]])
    maps = plane_maps(arch, theta, inputs, np.array([[0.0], [1.0]]), LIGHT)
    assert maps.rgb.shape == (3, GRID, GRID, 3)
    left, right = maps.rgb[2][GRID // 2, 0], maps.rgb[2][GRID // 2, -1]
    assert tuple(right) == LIGHT.rgb("positive") and tuple(left) == LIGHT.rgb("negative")
    assert np.array_equal(maps.rgb[2][0], maps.rgb[2][-1])  # y does not matter to this neuron
    assert [tuple(c) for c in maps.point_rgb] == [LIGHT.rgb("negative"), LIGHT.rgb("positive")]


def test_extent_pads_the_data_and_levels_map_activations_to_signs():
    x0, x1, y0, y1 = plane_extent(np.array([[0.0, 0.0], [1.0, 2.0]]))
    assert x0 < 0 < 1 < x1 and y0 < 0 < 2 < y1
    assert list(signed_level(np.array([0.0, 0.5, 1.0]), "sigmoid")) == [-1.0, 0.0, 1.0]
    assert list(signed_level(np.array([[0.0, 2.0, 4.0]]), "relu")[0]) == [0.0, 0.5, 1.0]
    pale = diverging_rgb(np.array([0.0]), LIGHT)[0]
    assert tuple(pale) not in (LIGHT.rgb("positive"), LIGHT.rgb("negative"))


def test_points_take_the_colour_the_first_outputs_map_gives_their_target():
    data = presets.preset("three-classes", n=30)
    rgb = point_colours(data.targets, LIGHT)
    first = data.targets[:, 0] > 0.5
    assert all(tuple(c) == LIGHT.rgb("positive") for c in rgb[first])
    assert all(tuple(c) == LIGHT.rgb("negative") for c in rgb[~first])


def test_a_network_without_data_still_gets_maps_over_the_unit_square():
    # A recorded session may come without its data: the maps show, with no points on them.
    arch = Architecture.of((2, 3, 1))
    maps = plane_maps(arch, arch.init_params(1), np.zeros((0, 2)), np.zeros((0, 1)), LIGHT)
    assert maps.extent == (-1.0, 1.0, -1.0, 1.0)
    assert maps.rgb.shape == (6, GRID, GRID, 3)
    assert maps.points.shape == (0, 2) and maps.point_rgb.shape == (0, 3)
