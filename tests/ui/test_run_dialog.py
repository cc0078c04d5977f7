import numpy as np
import pytest

from netviz.engine.data import blog
from netviz.engine.training import blog_config
from netviz.ui.main_window import MainWindow
from netviz.ui.run_dialog import CSV_CHOICE, RunDialog, hidden_layers, hidden_sizes


@pytest.fixture
def dialog(qtbot):
    d = RunDialog(blog_config(), blog())
    qtbot.addWidget(d)
    return d


def test_opens_on_the_current_run(dialog):
    config, dataset = dialog.build_run()
    assert config.arch.layers == (3, 4, 1) and config.lr == 1.0 and dataset.name == "blog"


def test_hidden_layers_take_the_chosen_activation_and_the_output_stays_sigmoid(dialog):
    dialog.data_box.setCurrentText("and")
    dialog.activation_box.setCurrentText("tanh")
    dialog.hidden_edit.setText("3,3")
    config, _ = dialog.build_run()
    assert config.arch.activations == ("tanh", "tanh", "sigmoid")
    assert config.arch.bias  # AND cannot be learned without biases
    dialog.data_box.setCurrentText("blog")
    assert not dialog.build_run()[0].arch.bias  # the blog's network has none


def test_a_point_set_with_two_hidden_layers(dialog):
    dialog.data_box.setCurrentText("circle")
    dialog.hidden_edit.setText("8, 8")
    dialog.points_box.setValue(120)
    config, dataset = dialog.build_run()
    assert config.arch.layers == (2, 8, 8, 1)
    assert len(dataset) == 120 and config.arch.bias  # circle needs biases; the dialog turns them on
    assert config.lr == pytest.approx(min(1.0, 10 / 200))  # suggested when the preset was chosen


@pytest.mark.parametrize("text", ["banana", "0", "4,-1", "9999"])
def test_bad_hidden_layers_keep_the_dialog_up_with_a_message(dialog, text):
    dialog.hidden_edit.setText(text)
    dialog.accept()
    assert dialog.result_run() is None
    assert "hidden layers" in dialog.message.text()


def test_a_bad_csv_is_reported_in_the_dialog(dialog, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\n3\n")
    assert not dialog.load_csv(str(bad))
    assert "bad.csv:2" in dialog.message.text()
    dialog.data_box.setCurrentText(CSV_CHOICE)
    dialog.accept()
    assert dialog.result_run() is None and "choose a CSV file" in dialog.message.text()


def test_hidden_sizes_parse():
    assert hidden_sizes("") == ()
    assert hidden_sizes("4") == (4,)
    assert hidden_sizes("64, 64") == (64, 64)
    assert hidden_layers("8 relu, 2", "tanh") == ((8, 2), ("relu", "tanh"))


def test_a_new_run_of_a_big_network_trains_and_draws_in_the_window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    d = RunDialog(w.config, w.dataset)
    qtbot.addWidget(d)
    d.data_box.setCurrentText("three-classes")
    d.hidden_edit.setText("64,64,64,64,64,64")
    d.epochs_box.setValue(40)
    w.start_run(*d.build_run())
    assert w.config.arch.layers == (2, 64, 64, 64, 64, 64, 64, 3)
    w.speed_box.setCurrentIndex(w.speed_box.count() - 1)
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch >= 40 and not w.playing, timeout=20_000)
    w.step(-1)
    qtbot.waitUntil(lambda: w.canvas.last_painted_epoch == 39, timeout=5_000)
    assert np.array_equal(w.canvas.frame.theta, w.history.weights_at(39))
    assert w.canvas.scene.n_edges_shown < len(w.canvas.scene.weights)  # level of detail at work
    w.close()


def test_plus_and_minus_add_and_remove_layers_and_each_layer_may_name_its_activation(dialog):
    dialog.hidden_edit.setText("8 tanh")
    dialog.add_layer.click()
    dialog.add_layer.click()
    assert dialog.hidden_edit.text() == "8 tanh, 4, 4"
    dialog.remove_layer.click()
    dialog.hidden_edit.setText(dialog.hidden_edit.text() + " relu")
    dialog.activation_box.setCurrentText("sigmoid")
    config, _ = dialog.build_run()
    assert config.arch.layers == (3, 8, 4, 1)
    assert config.arch.activations == ("tanh", "relu", "sigmoid")
    for _ in range(3):
        dialog.remove_layer.click()
    assert dialog.build_run()[0].arch.layers == (3, 1)  # no hidden layer at all is allowed


def test_an_unknown_activation_after_a_size_is_refused(dialog):
    dialog.hidden_edit.setText("8 softmax")
    dialog.accept()
    assert dialog.result_run() is None and "activation after a size" in dialog.message.text()


def test_hovering_a_hidden_neuron_shows_its_map_larger(qtbot):
    from PyQt6.QtCore import QPoint
    from PyQt6.QtTest import QTest

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 860)
    w.show()
    d = RunDialog(w.config, w.dataset)
    qtbot.addWidget(d)
    d.data_box.setCurrentText("circle")
    d.hidden_edit.setText("4")
    w.start_run(*d.build_run())
    qtbot.waitUntil(lambda: w.canvas.scene is not None and w.canvas.scene.maps is not None)
    g = w.canvas.scene.geometry
    x, y = g.centres[3]  # h2
    before = w.canvas.grab().toImage()
    QTest.mouseMove(w.canvas, QPoint(int(x), int(y)))
    qtbot.waitUntil(lambda: w.canvas.frame.hover == 3)
    after = w.canvas.grab().toImage()
    # Right of the neuron, where the enlarged map is drawn, the picture has changed.
    probe = QPoint(int(x + g.radii[3] + 60), int(y))
    assert before.pixelColor(probe) != after.pixelColor(probe)
    QTest.mouseMove(w.canvas, QPoint(5, 5))
    qtbot.waitUntil(lambda: w.canvas.frame.hover is None)
    w.close()
