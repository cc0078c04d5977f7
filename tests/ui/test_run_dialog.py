import numpy as np
import pytest
from PyQt6.QtWidgets import QToolButton, QWidget

from netviz.engine import presets
from netviz.engine.data import blog
from netviz.engine.runspec import DataSource, RunSpec
from netviz.ui.main_window import MainWindow
from netviz.ui.run_dialog import CSV_CHOICE, SUGGESTED_LR, RunDialog


@pytest.fixture
def dialog(qtbot):
    d = RunDialog(RunSpec(), blog())
    qtbot.addWidget(d)
    return d


def test_opens_on_the_current_run(dialog):
    config, dataset = dialog.build_run()
    assert config.arch.layers == (3, 4, 1) and config.lr == 1.0 and dataset.name == "blog"


def test_hidden_layers_take_the_chosen_activation_and_the_output_stays_sigmoid(dialog):
    dialog.data_box.setCurrentText("and")
    dialog.activation_box.setCurrentText("tanh")
    dialog.layers_editor.set_text("3, 3")
    config, _ = dialog.build_run()
    assert config.arch.activations == ("tanh", "tanh", "sigmoid")
    assert config.arch.bias  # AND cannot be learned without biases
    dialog.data_box.setCurrentText("blog")
    assert not dialog.build_run()[0].arch.bias  # the blog's network has none


def test_a_point_set_with_two_hidden_layers(dialog):
    dialog.data_box.setCurrentText("circle")
    dialog.layers_editor.set_text("8, 8")
    dialog.points_box.setValue(120)
    config, dataset = dialog.build_run()
    assert config.arch.layers == (2, 8, 8, 1)
    assert len(dataset) == 120 and config.arch.bias  # circle needs biases; the dialog turns them on
    assert config.lr == presets.RECIPES["circle"].rate / 120  # the recipe's rate, for the points chosen
    assert dialog.lr_box.text() == SUGGESTED_LR
    dialog.lr_box.setValue(0.3)
    assert dialog.build_run()[0].lr == 0.3


@pytest.mark.parametrize("text", ["banana", "0", "4,-1", "9999", "8 softmax"])
def test_bad_hidden_layer_text_is_refused(dialog, text):
    with pytest.raises(ValueError, match="layers"):
        dialog.layers_editor.set_text(text)


def test_a_bad_csv_is_reported_in_the_dialog(dialog, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\n3\n")
    assert not dialog.load_csv(str(bad))
    assert "bad.csv:2" in dialog.message.text()
    dialog.data_box.setCurrentText(CSV_CHOICE)
    dialog.accept()
    assert dialog.result_run() is None and "choose a CSV file" in dialog.message.text()


def test_the_hidden_layers_text_takes_the_default_activation(dialog):
    dialog.activation_box.setCurrentText("tanh")
    dialog.layers_editor.set_text("8 relu, 2")
    assert dialog.layers_editor.layers() == ((8, 2), ("relu", "tanh"))
    assert dialog.layers_editor.text() == "8 relu, 2 tanh"


def test_the_output_activation_is_chosen_in_the_dialog(dialog):
    dialog.output_box.setCurrentText("linear")
    assert dialog.build_run()[0].arch.activations == ("sigmoid", "linear")


def test_the_dialog_opens_on_a_runs_spec(qtbot, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n0,0,0\n1,1,1\n")
    spec = RunSpec.of(
        hidden=(3,), hidden_activation="relu", output_activation="tanh", lr=0.5, batch=1, seed=4, epochs=77,
        bias=False, data=DataSource("csv", path=str(path)),
    )  # fmt: skip
    d = RunDialog(spec, spec.build()[1])
    qtbot.addWidget(d)
    assert d.build_spec() == spec


def test_a_new_run_of_a_big_network_trains_and_draws_in_the_window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    d = RunDialog(w.spec, w.dataset)
    qtbot.addWidget(d)
    d.data_box.setCurrentText("three-classes")
    d.layers_editor.set_text("64,64,64,64,64,64")
    d.epochs_box.setValue(40)
    w.start_run(*d.build_run())
    assert w.config.arch.layers == (2, 64, 64, 64, 64, 64, 64, 3)
    w.playback.set_speed("max")
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch >= 40 and not w.playing, timeout=20_000)
    w.step(-1)
    qtbot.waitUntil(lambda: w.canvas.last_painted_epoch == 39, timeout=5_000)
    assert np.array_equal(w.canvas.frame.theta, w.history.weights_at(39))
    assert w.canvas.scene.n_edges_shown < len(w.canvas.scene.weights)  # level of detail at work
    w.close()


def test_layers_by_their_count_and_neurons_by_their_arrows_and_an_activation_per_layer(dialog):
    editor = dialog.layers_editor
    editor.set_layers((8,), ("tanh",))
    editor.count_box.setValue(3)  # a new layer is as wide as the one before it
    assert editor.layers() == ((8, 8, 8), ("tanh", "sigmoid", "sigmoid"))
    editor.count_box.stepDown()
    row = editor._rows[1]
    row.neurons.stepBy(-3)
    row.activation.setCurrentText("relu")
    config, _ = dialog.build_run()
    assert config.arch.layers == (3, 8, 5, 1)
    assert config.arch.activations == ("tanh", "relu", "sigmoid")
    row.neurons.setValue(0)
    assert row.neurons.value() == 1  # a layer has at least one neuron
    editor.count_box.setValue(0)
    assert editor.count_box.text() == "no hidden layer"
    assert dialog.build_run()[0].arch.layers == (3, 1)  # no hidden layer at all is allowed
    assert not any(isinstance(w, QToolButton) and w.isVisible() for w in editor.findChildren(QWidget))


def test_layers_say_default_until_changed_and_follow_the_hidden_activation(dialog):
    editor = dialog.layers_editor
    dialog.activation_box.setCurrentText("tanh")
    dialog.layers_editor.set_text("4 relu, 4")
    first, second = (row.activation for row in editor._rows)
    assert first.currentText() == "relu" and second.currentText() == "default (tanh)"
    dialog.activation_box.setCurrentText("linear")  # the default moves; a layer's own choice stays
    assert second.currentText() == "default (linear)"
    assert editor.layers()[1] == ("relu", "linear")
    assert dialog.build_run()[0].arch.activations == ("relu", "linear", "sigmoid")


def test_the_output_layer_is_a_row_with_its_neurons_and_activation(dialog):
    editor = dialog.layers_editor
    grid = editor.layout()
    row, _, _, _ = grid.getItemPosition(grid.indexOf(editor.output_box))
    assert grid.itemAtPosition(row, 0).widget().text() == "output"
    assert grid.itemAtPosition(row, 1).widget().text() == "1 neuron"
    assert row > max(grid.getItemPosition(grid.indexOf(r.neurons))[0] for r in editor._rows)  # below them
    dialog.data_box.setCurrentText("three-classes")
    assert grid.itemAtPosition(row, 1).widget().text() == "3 neurons"
    assert editor.input_size.text() == "2 neurons"
    dialog.data_box.setCurrentText(CSV_CHOICE)  # no file chosen yet
    assert editor.output_size.text() == "?"


def test_no_empty_row_under_the_data(dialog, tmp_path):
    dialog.show()
    assert not dialog.csv_label.isVisible()
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n0,0,0\n1,1,1\n")
    assert dialog.load_csv(str(path))
    assert dialog.csv_label.isVisible() and "2 rows" in dialog.csv_label.text()
    dialog.data_box.setCurrentText("xor")
    assert not dialog.csv_label.isVisible()


def test_hovering_a_hidden_neuron_shows_its_map_larger(qtbot):
    from PyQt6.QtCore import QPoint
    from PyQt6.QtTest import QTest

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 860)
    w.show()
    d = RunDialog(w.spec, w.dataset)
    qtbot.addWidget(d)
    d.data_box.setCurrentText("circle")
    d.layers_editor.set_text("4")
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


def test_a_network_over_the_size_limit_keeps_the_dialog_up_with_the_reason(qtbot):
    from netviz.engine.data import blog
    from netviz.engine.runspec import RunSpec
    from netviz.ui.run_dialog import RunDialog

    dialog = RunDialog(RunSpec(), blog())
    qtbot.addWidget(dialog)
    dialog.layers_editor.set_text("1000, 1000")
    dialog.accept()
    assert "at most 1,000,000" in dialog.message.text()
    assert dialog.result() != RunDialog.DialogCode.Accepted


def test_the_dialog_takes_the_windows_theme(qtbot):
    from PyQt6.QtGui import QPalette

    from netviz.scene.style import THEMES

    w = MainWindow()
    qtbot.addWidget(w)
    w.set_theme("dark")
    d = RunDialog(w.spec, w.dataset, parent=w)
    assert d.palette().color(QPalette.ColorRole.Base).name() == THEMES["dark"].background
    assert d.bias_box.palette().color(QPalette.ColorRole.Highlight).name() == THEMES["dark"].positive
    w.close()


def test_an_error_message_goes_once_the_form_is_valid_again(dialog):
    dialog.layers_editor.set_text("1000, 1000")
    dialog.accept()
    assert "at most 1,000,000" in dialog.message.text()
    dialog.layers_editor.set_text("1000, 2")  # about 5,000 weights: within the limit
    assert dialog.message.text() == ""
    dialog.data_box.setCurrentText(CSV_CHOICE)  # no file chosen
    dialog.accept()
    assert "choose a CSV file" in dialog.message.text()
    dialog.epochs_box.setValue(10)  # a change that does not fix it keeps the message
    assert "choose a CSV file" in dialog.message.text()
    dialog.data_box.setCurrentText("xor")
    assert dialog.message.text() == ""


def test_the_lab_settings_make_the_spec(dialog):
    dialog.data_box.setCurrentText("circle")
    dialog.reg_box.setCurrentText("L2")
    dialog.reg_rate_box.setValue(0.03)
    dialog.test_box.setValue(20)
    for name in ("x", "y"):
        dialog.feature_boxes[name].setChecked(False)
    for name in ("x2", "y2"):
        dialog.feature_boxes[name].setChecked(True)
    dialog.scale_box.setCurrentText("minmax")
    spec = dialog.build_spec()
    assert (spec.l1, spec.l2, spec.test_fraction, spec.features, spec.scale) == (0.0, 0.03, 0.2, ("x2", "y2"), "minmax")
    assert dialog.layers_editor.layers() and dialog.build_run()[0].arch.layers[0] == 2
    _, train, test = spec.build_split()
    assert len(test) == round(0.2 * spec.data.points) and train.input_names == ["x²", "y²"]


def test_features_are_offered_for_2d_data_only_and_plain_x_y_is_no_features(dialog):
    dialog.data_box.setCurrentText("circle")
    assert dialog.feature_boxes["x2"].isEnabled() and dialog.build_spec().features == ()
    dialog.feature_boxes["sinx"].setChecked(True)
    assert dialog.build_spec().features == ("x", "y", "sinx")
    dialog.data_box.setCurrentText("blog")  # three inputs
    assert not dialog.feature_boxes["x2"].isEnabled() and dialog.build_spec().features == ()


def test_the_dialog_opens_on_a_specs_lab_settings(qtbot):
    spec = RunSpec.of((3,), "tanh", data=DataSource("preset", "circle"), l1=0.01, test_fraction=0.3,
                      features=("x2", "y2", "xy"), scale="none")  # fmt: skip
    d = RunDialog(spec, spec.build()[1])
    qtbot.addWidget(d)
    got = d.build_spec()
    assert (got.l1, got.l2, got.test_fraction, got.features, got.scale) == (0.01, 0.0, 0.3, ("x2", "y2", "xy"), "none")


def test_a_new_run_with_a_test_share_trains_with_test_rows_in_the_window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    spec = RunSpec.of((4,), "tanh", data=DataSource("preset", "circle", points=100), test_fraction=0.2)
    w.start_run(*spec.build(), spec=spec)
    try:
        assert len(w.history.test) == 20 and len(w.dataset) == 80
        w.reset()  # Reset trains the same run again: with the same test rows
        assert len(w.history.test) == 20
    finally:
        w.close()
