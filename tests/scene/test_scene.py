import numpy as np

from netviz.engine.network import Architecture
from netviz.scene.scene import Geometry, Rect, Think, build_scene, edge_weights, neuron_biases, neuron_labels
from netviz.scene.style import THEMES, WeightScale

ARCH = Architecture.of((3, 4, 1))
RECT = Rect(0, 0, 1280, 700)


def test_geometry_puts_inputs_left_outputs_right_inside_the_rect():
    g = Geometry.build(ARCH.layers, RECT)
    assert g.centres.shape == (8, 2)
    assert g.centres[:3, 0].max() < g.centres[3:7, 0].min() < g.centres[7, 0]
    assert (g.centres[:, 0] - g.radius >= 0).all() and (g.centres[:, 0] + g.radius <= RECT.width).all()
    assert (g.centres[:, 1] - g.radius >= 0).all() and (g.centres[:, 1] + g.radius <= RECT.height).all()
    assert len(g.segments) == ARCH.n_synapses == 16


def test_edges_follow_thetas_weight_order():
    g = Geometry.build(ARCH.layers, RECT)
    theta = np.arange(ARCH.n_params, dtype=float)
    w = edge_weights(ARCH, theta)
    weights, _ = ARCH.views(theta)
    # Edge k of layer 0 goes from input i to hidden j with weight w1[i, j].
    for k in range(12):
        i, j = g.edge_source[k], g.edge_target[k] - 3
        assert w[k] == weights[0][i, j]
    assert g.edge_source[12] == 3 and g.edge_target[12] == 7


def test_edge_weights_leave_the_biases_out_and_copy():
    for bias in (False, True):
        arch = Architecture.of((3, 4, 2), bias=bias)
        theta = np.arange(arch.n_params, dtype=float)
        w = edge_weights(arch, theta)
        weights, _ = arch.views(theta)
        assert np.array_equal(w, np.concatenate([m.ravel() for m in weights])) and len(w) == 20
        w[0] = -1.0
        assert theta[0] == 0.0  # the history's weights are never written through


def test_hit_testing_finds_neurons_and_synapses():
    g = Geometry.build(ARCH.layers, RECT)
    x, y = g.centres[5]
    assert g.neuron_at(x + g.radius * 0.5, y) == 5
    x1, y1, x2, y2 = g.segments[14]
    assert g.edge_at((x1 + x2) / 2, (y1 + y2) / 2 + 1) == 14
    assert g.edge_at(1, 1) is None
    assert g.neuron_at(1, 1) is None


def test_scene_orders_strong_lines_last_and_fills_activations():
    theta = ARCH.init_params(1)
    g = Geometry.build(ARCH.layers, RECT)
    scene = build_scene(g, ARCH, theta, THEMES["light"], WeightScale(1.0), inputs=[1, 1, 0])
    strength = np.abs(scene.weights[scene.edge_order])
    levels = np.minimum((strength * 16).astype(int), 15)
    assert (np.diff(levels) >= 0).all()
    expected = np.concatenate([a[0] for a in ARCH.forward(theta, [[1, 1, 0]])])
    assert np.allclose(scene.neuron_values, expected)
    assert scene.output_notes[0].startswith("prediction ")


def test_an_input_without_a_target_says_so_under_the_output():
    theta, g = ARCH.init_params(1), Geometry.build(ARCH.layers, RECT)
    new = build_scene(g, ARCH, theta, THEMES["light"], WeightScale(1.0), inputs=[1, 1, 0])
    row = build_scene(g, ARCH, theta, THEMES["light"], WeightScale(1.0), inputs=[0, 1, 1], targets=np.array([1.0]))
    assert new.output_notes[0].endswith(", target —")
    assert row.output_notes[0].endswith(", target 1")


def test_think_lights_layers_as_the_signal_arrives():
    theta = ARCH.init_params(1)
    g = Geometry.build(ARCH.layers, RECT)
    halfway = build_scene(g, ARCH, theta, THEMES["dark"], WeightScale(1.0), inputs=[1, 1, 0], think=Think(0.5))
    assert np.isfinite(halfway.neuron_values[:3]).all()
    assert np.isnan(halfway.neuron_values[3:]).all()
    # Only the first layer carries signal yet, and not from x3, whose input is 0.
    carrying = np.flatnonzero((g.edge_layer == 0) & (g.edge_source != 2))
    assert len(halfway.signal_segments) == len(carrying) == 8
    # Each travelling segment starts at its source and has covered half the synapse.
    seg, full = halfway.signal_segments, g.segments[carrying]
    assert np.allclose(seg[:, 2:], (full[:, :2] + full[:, 2:]) / 2)
    w = edge_weights(ARCH, theta)[carrying]
    assert np.array_equal(halfway.signal_negative, w < 0)  # inputs are positive: the sign is w's
    done = build_scene(g, ARCH, theta, THEMES["dark"], WeightScale(1.0), inputs=[1, 1, 0], think=Think(2.0))
    assert np.isfinite(done.neuron_values).all()
    assert done.output_notes


def test_labels_and_biases():
    assert neuron_labels((3, 4, 1)) == ["x1", "x2", "x3", "h1", "h2", "h3", "h4", "out"]
    assert neuron_labels((2, 2, 2, 3))[2:] == ["h1.1", "h1.2", "h2.1", "h2.2", "out1", "out2", "out3"]
    arch = Architecture.of((2, 3, 1), bias=True)
    theta = np.arange(arch.n_params, dtype=float)
    biases = neuron_biases(arch, theta)
    assert np.isnan(biases[:2]).all()
    assert list(biases[2:]) == [6.0, 7.0, 8.0, 12.0]


def test_level_of_detail_keeps_each_layers_strongest_synapses():
    from netviz.scene.scene import strongest_edges

    rng = np.random.default_rng(0)
    arch = Architecture.of((784, 64, 10))
    g = Geometry.build(arch.layers, RECT)
    w = rng.normal(size=arch.n_synapses)
    shown = strongest_edges(w, g.edge_layer, 2_500)
    assert 2_400 <= len(shown) <= 2_500
    layer0 = shown[g.edge_layer[shown] == 0]
    # Every hidden synapse drawn in layer 0 is at least as strong as every one left out.
    hidden = np.setdiff1d(np.flatnonzero(g.edge_layer == 0), layer0)
    assert np.abs(w[layer0]).min() >= np.abs(w[hidden]).max()
    assert (g.edge_layer[shown] == 1).sum() == 640  # the small output layer is drawn whole
    scene = build_scene(g, arch, np.concatenate([w]), THEMES["light"], WeightScale(3.0))
    assert scene.n_edges_shown == len(shown)
    assert strongest_edges(w[:16], g.edge_layer[:16], 4_000) is None


def test_dense_layers_get_small_neurons_small_layers_stay_together():
    g = Geometry.build((784, 64, 10), RECT)
    assert g.radii[0] < 1.5 and g.radii[784] < g.radii[-1]
    outputs = g.centres[-10:, 1]
    assert np.ptp(outputs) < RECT.height  # ten outputs sit close together, centred
    assert np.all(np.diff(g.centres[:784, 1]) > 0)


def test_parameter_of_finds_each_synapses_weight_and_each_neurons_bias_in_theta():
    from netviz.engine import segments
    from netviz.scene.scene import parameter_of

    arch = Architecture.of((2, 3, 2), bias=True)
    g = Geometry.build(arch.layers, Rect(0, 0, 800, 500))
    theta = np.arange(arch.n_params, dtype=np.float64)
    for edge in range(len(g.segments)):
        layer = int(g.edge_layer[edge])
        i, j = g.edge_source[edge] - g.layer_start[layer], g.edge_target[edge] - g.layer_start[layer + 1]
        assert parameter_of(arch, g, "synapse", edge) == segments.weight_position(arch, layer, i, j)
        assert theta[parameter_of(arch, g, "synapse", edge)] == edge_weights(arch, theta)[edge]
    for neuron in range(len(g.centres)):
        layer = int(g.layer_of[neuron])
        expected = None if layer == 0 else segments.bias_position(arch, layer - 1, neuron - g.layer_start[layer])
        assert parameter_of(arch, g, "neuron", neuron) == expected
    plain = Architecture.of((2, 3, 2))
    assert parameter_of(plain, Geometry.build(plain.layers, Rect(0, 0, 800, 500)), "neuron", 3) is None
