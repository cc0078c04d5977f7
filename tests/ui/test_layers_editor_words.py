"""The layers editor counts neurons in words that agree with the number."""

from netviz.ui.layers_editor import LayerRow


def test_one_neuron_is_singular(qapp):
    row = LayerRow(0, 1, "tanh")
    assert row.neurons.text() == "1 neuron"
    row.neurons.setValue(3)
    assert row.neurons.text() == "3 neurons"
    row.neurons.setValue(1)
    assert row.neurons.text() == "1 neuron"
