"""netviz explain: one learning step as text or JSON, for a run the options describe or a saved session."""

import json

import numpy as np
import pytest

from netviz import Recorder
from netviz.cli import main
from netviz.engine.session import load_session

RUN = ["--epochs", "40", "--seed", "4", "--bias", "--lr", "0.8"]


def explain_json(capsys, *args) -> dict:
    assert main(["explain", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def saved(tmp_path, capsys):
    def save(*options):
        path = tmp_path / "run.netviz"
        assert main(["train", *options, "--save", str(path)]) == 0
        capsys.readouterr()
        return path

    return save


def test_json_values_are_the_sessions_weights_and_their_change(saved, capsys):
    path = saved(*RUN)
    history = load_session(path).history
    arch = history.config.arch
    for epoch in (0, 17, 39):
        got = explain_json(capsys, "--session", str(path), "--epoch", str(epoch))
        assert set(got) == {"epoch", "layers"} and got["epoch"] == epoch
        weights = arch.views(history.weights_at(epoch))[0]
        after_w, after_b = arch.views(history.weights_at(epoch + 1))
        acts = arch.forward(history.weights_at(epoch), history.dataset.inputs)
        assert len(got["layers"]) == len(arch.shapes)
        for i, layer in enumerate(got["layers"]):
            keys = {"weights", "delta_w", "biases", "delta_b", "activations", "deltas"}
            assert set(layer) == keys
            w, dw = np.array(layer["weights"]), np.array(layer["delta_w"])
            assert w.shape == dw.shape == arch.shapes[i]
            assert np.array_equal(w, weights[i])  # exact floats: read back bit for bit
            assert np.array_equal(w + dw, after_w[i])
            assert np.array_equal(np.array(layer["biases"]) + np.array(layer["delta_b"]), after_b[i])
            assert np.array_equal(np.array(layer["activations"]), acts[i + 1])
            assert np.array(layer["deltas"]).shape == acts[i + 1].shape


def test_json_from_training_options_equals_the_saved_runs(saved, capsys):
    path = saved(*RUN)
    assert explain_json(capsys, *RUN, "--epoch", "12") == explain_json(capsys, "--session", str(path), "--epoch", "12")


def test_blog_network_has_no_biases_and_its_deltas_follow_the_blog(capsys):
    got = explain_json(capsys, "--epoch", "0")
    assert [layer["biases"] for layer in got["layers"]] == [None, None]
    assert [layer["delta_b"] for layer in got["layers"]] == [None, None]
    out = np.array(got["layers"][1]["activations"])
    y = np.array([[0, 1, 1, 1, 1, 0, 0]]).T
    np.testing.assert_array_equal(np.array(got["layers"][1]["deltas"]), (y - out) * (out * (1 - out)))


def test_a_mini_batch_epochs_delta_w_is_its_net_change(saved, capsys):
    path = saved(*RUN, "--batch", "3")
    history = load_session(path).history
    got = explain_json(capsys, "--session", str(path), "--epoch", "5")
    before, after = (history.config.arch.views(history.weights_at(e))[0] for e in (5, 6))
    for layer, w0, w1 in zip(got["layers"], before, after):
        assert np.array_equal(np.array(layer["delta_w"]), w1 - w0)
        assert len(layer["activations"]) == 7  # every row, each from the step that trained it


def test_a_row_shows_that_rows_numbers_only(capsys):
    whole = explain_json(capsys, "--epoch", "3")
    row = explain_json(capsys, "--epoch", "3", "--row", "5")  # rows count from 1
    for all_rows, one in zip(whole["layers"], row["layers"]):
        assert one["activations"] == all_rows["activations"][4:5]
        assert one["deltas"] == all_rows["deltas"][4:5]
        assert one["delta_w"] == all_rows["delta_w"]


def test_text_tells_the_stages_in_the_blogs_console_style(capsys):
    assert main(["explain", "--epoch", "2", "--row", "4"]) == 0
    out = capsys.readouterr().out
    stages = [line.split(")")[0] for line in out.splitlines() if line.startswith("Stage ")]
    assert stages == ["Stage 1", "Stage 2", "Stage 3", "Stage 4", "Stage 5"]
    assert "Epoch 2 -> 3" in out and "looking at row 4" in out
    assert "(target − output) × output × (1 − output)" in out
    assert "[[0. 1. 0.]]" in out  # the fourth row's inputs
    assert "row 4's share" in out and "-0. " not in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["--epoch", "40"], "the step to epoch 41 is beyond the run's 40 epochs"),
        (["--epoch", "1", "--row", "8"], "--row 8: the data has rows 1 to 7"),
        (["--epoch", "1", "--row", "0"], "--row"),
        (["--epoch", "-1"], "--epoch"),
        ([], "--epoch"),
    ],
)
def test_bad_options_exit_2_with_one_line(capsys, args, words):
    assert main(["explain", *args, "--epochs", "40"]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def test_a_session_refuses_training_options_and_a_recorded_run(saved, tmp_path, capsys):
    path = saved(*RUN)
    assert main(["explain", "--session", str(path), "--epoch", "1", "--lr", "2"]) == 2
    assert "--lr does not apply to --session" in capsys.readouterr().err
    recorded = tmp_path / "rec.netviz"
    with Recorder(recorded, layers=[2, 1]) as rec:
        for _ in range(3):
            rec.record([np.zeros((2, 1))], loss=0.5)
    assert main(["explain", "--session", str(recorded), "--epoch", "1"]) == 2
    assert "recorded run holds no training settings" in capsys.readouterr().err


def test_a_row_of_a_mini_batch_comes_from_the_step_that_trained_it(saved, capsys):
    path = saved(*RUN, "--batch", "2")
    whole = explain_json(capsys, "--session", str(path), "--epoch", "5")
    for row in range(7):
        one = explain_json(capsys, "--session", str(path), "--epoch", "5", "--row", str(row + 1))
        assert one["layers"][0]["deltas"] == whole["layers"][0]["deltas"][row : row + 1]


def test_a_step_after_a_change_is_trained_under_the_changed_settings(saved, capsys):
    changed = [*RUN, "--change", "10:lr=2,l2=0.05"]
    history = load_session(saved(*changed)).history
    arch = history.config.arch
    for epoch in (9, 10, 25):
        got = explain_json(capsys, *changed, "--epoch", str(epoch))
        after = arch.views(history.weights_at(epoch + 1))[0]
        for i, layer in enumerate(got["layers"]):
            assert np.array_equal(np.array(layer["weights"]) + np.array(layer["delta_w"]), after[i]), epoch
    assert main(["explain", *changed, "--epoch", "12"]) == 0
    text = capsys.readouterr().out
    assert "Trained as changed at epoch 10: learning rate 0.8 → 2, L2 rate 0 → 0.05" in text
    assert "(lr = 2, l2 = 0.05, k = 7 rows)" in text
