"""The same choices give the same run: `netviz train --save` and the New run dialog write identical sessions."""

import pytest

from netviz import cli
from netviz.engine import presets
from netviz.engine.data import blog
from netviz.engine.history import History
from netviz.engine.runspec import RunSpec
from netviz.engine.session import load_session, save_session
from netviz.engine.training import Trainer
from netviz.ui.run_dialog import RunDialog

EPOCHS = 40


def cli_session(path, capsys, *options) -> bytes:
    assert cli.main(["train", "--epochs", str(EPOCHS), *options, "--save", str(path)]) == cli.EXIT_OK
    capsys.readouterr()
    return path.read_bytes()


def dialog_session(qtbot, path, choose) -> bytes:
    """Open the New run dialog on the blog's run, let `choose` set its widgets, press OK, train and save."""
    dialog = RunDialog(RunSpec(), blog())
    qtbot.addWidget(dialog)
    choose(dialog)
    dialog.epochs_box.setValue(EPOCHS)
    dialog.accept()
    assert dialog.message.text() == ""
    config, dataset = dialog.result_run()
    history = History(config, dataset)
    Trainer(config, dataset).run(history, config.epochs)
    save_session(path, history, spec=dialog.result_spec())
    return path.read_bytes()


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_every_preset_gives_the_same_session_from_the_cli_and_the_dialog(qtbot, tmp_path, capsys, name):
    from_cli = cli_session(tmp_path / "cli.netviz", capsys, "--preset", name)
    from_dialog = dialog_session(qtbot, tmp_path / "dialog.netviz", lambda d: d.data_box.setCurrentText(name))
    assert from_cli == from_dialog
    spec = load_session(tmp_path / "cli.netviz").spec
    assert spec.data.preset == name and spec.bias is (name != "blog")


def test_every_setting_of_the_dialog_has_its_option(qtbot, tmp_path, capsys):
    from_cli = cli_session(
        tmp_path / "cli.netviz", capsys, "--preset", "circle", "--points", "100", "--noise", "0.2",
        "--preset-seed", "3", "--layers", "2,8 tanh,6 relu,1 linear", "--batch", "10", "--seed", "5", "--lr", "0.2",
        "--no-bias", "--order", "in-order",
    )  # fmt: skip

    def choose(d):
        d.data_box.setCurrentText("circle")
        d.points_box.setValue(100)
        d.noise_box.setValue(0.2)
        d.data_seed_box.setValue(3)
        d.layers_editor.set_text("8 tanh, 6 relu")
        d.output_box.setCurrentText("linear")
        d.batch_box.setValue(10)
        d.seed_box.setValue(5)
        d.lr_box.setValue(0.2)
        d.bias_box.setChecked(False)
        d.order_box.setCurrentIndex(d.order_box.findData("in-order"))

    assert from_cli == dialog_session(qtbot, tmp_path / "dialog.netviz", choose)


def test_a_csv_file_gives_the_same_session_from_the_cli_and_the_dialog(qtbot, tmp_path, capsys):
    data = tmp_path / "rows.csv"
    data.write_text("a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    from_cli = cli_session(tmp_path / "cli.netviz", capsys, "--data", str(data))
    from_dialog = dialog_session(qtbot, tmp_path / "dialog.netviz", lambda d: d.load_csv(str(data)))
    assert from_cli == from_dialog
    assert list(load_session(tmp_path / "cli.netviz").dataset.new_situation) == [0.5, 0.5]
