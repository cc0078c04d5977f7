"""`netviz train` with regularisation, test rows and scheduled changes: its lines, checked against NumPy."""

import json
import re
import zipfile
from dataclasses import replace

import numpy as np
import pytest

from netviz import cli
from netviz.engine import presets, segments
from netviz.engine.history import History
from netviz.engine.session import load_session
from netviz.engine.training import Trainer


def train(capsys, *options):
    """Exit code, stdout and stderr of `netviz train OPTIONS`, run in this process."""
    code = cli.main(["train", *options])
    out, err = capsys.readouterr()
    return code, out, err


def line_value(out: str, label: str) -> str:
    match = re.search(rf"^{label}: (.+)$", out, flags=re.MULTILINE)
    assert match, f"no line {label!r} in:\n{out}"
    return match.group(1)


def test_l2_prints_the_loss_with_penalty_of_the_saved_run(tmp_path, capsys):
    path = tmp_path / "run.netviz"
    code, out, _ = train(capsys, "--preset", "xor", "--epochs", "200", "--l2", "0.01", "--save", str(path))
    assert code == 0
    history = load_session(path).history
    theta = history.weights_at(history.latest_epoch)
    w = theta[history.config.arch.weight_index()]
    mse = np.mean((history.dataset.targets - history.config.arch.forward(theta, history.dataset.inputs)[-1]) ** 2)
    # The objective in the loss's units: MSE + 2 * (l2/2 * sum w^2) / n_out, with one output here.
    assert float(line_value(out, "loss with penalty")) == pytest.approx(mse + 0.01 * w.dot(w), rel=1e-5)


def test_without_rates_there_is_no_penalty_line(capsys):
    code, out, _ = train(capsys, "--preset", "xor", "--epochs", "20")
    assert code == 0 and "loss with penalty" not in out


@pytest.mark.parametrize("option", ["--l1", "--l2"])
@pytest.mark.parametrize("value", ["-0.1", "nan", "lots"])
def test_bad_rates_are_one_line_and_exit_2(capsys, option, value):
    code, out, err = train(capsys, "--preset", "xor", option, value)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and option in err


def test_regularised_runs_save_as_version_2_and_replay_exactly(tmp_path, capsys):
    path = tmp_path / "run.netviz"
    train(capsys, "--preset", "circle", "--epochs", "300", "--l1", "0.001", "--l2", "0.002", "--save", str(path))
    with zipfile.ZipFile(path) as zf:
        assert json.loads(zf.read("manifest.json"))["version"] == 2
    session = load_session(path)
    assert (session.config.l1, session.config.l2) == (0.001, 0.002)
    assert (session.spec.l1, session.spec.l2) == (0.001, 0.002)
    config, dataset = session.spec.build()
    trainer = Trainer(config, dataset)
    for epoch in (1, 37, 299):
        trainer.advance(epoch - trainer.epoch)
        np.testing.assert_array_equal(session.history.weights_at(epoch), trainer.theta)


def held_out(n_rows: int, fraction: float, seed: int) -> np.ndarray:
    """Which rows are test rows, as the README documents the split: the first round(F * n) of a permutation."""
    mask = np.zeros(n_rows, dtype=bool)
    mask[np.random.default_rng((0x7E57, seed)).permutation(n_rows)[: round(fraction * n_rows)]] = True
    return mask


def test_test_loss_and_accuracy_lines_match_numpy_on_the_held_out_rows(tmp_path, capsys):
    path = tmp_path / "run.netviz"
    options = ["--preset", "circle", "--preset-seed", "3", "--points", "100", "--epochs", "400"]
    code, out, _ = train(capsys, *options, "--test-fraction", "0.3", "--save", str(path))
    assert code == 0
    everything = presets.preset("circle", 3, 0.1, 100)
    mask = held_out(100, 0.3, 3)
    history = load_session(path).history
    np.testing.assert_array_equal(history.test.inputs, everything.inputs[mask])
    np.testing.assert_array_equal(history.dataset.inputs, everything.inputs[~mask])
    out_test = history.config.arch.forward(history.weights_at(400), everything.inputs[mask])[-1]
    targets = everything.targets[mask]
    assert float(line_value(out, "test loss")) == pytest.approx(np.mean((targets - out_test) ** 2), rel=1e-5)
    accuracy = np.mean((out_test > 0.5) == (targets > 0.5))
    assert line_value(out, "test accuracy") == f"{100 * accuracy:.1f}%"
    # Training accuracy is over the training rows only.
    out_train = history.config.arch.forward(history.weights_at(400), everything.inputs[~mask])[-1]
    train_accuracy = np.mean((out_train > 0.5) == (everything.targets[~mask] > 0.5))
    assert line_value(out, "training accuracy") == f"{100 * train_accuracy:.1f}%"


def test_the_split_is_stable_across_runs_and_follows_the_preset_seed(tmp_path, capsys):
    loaded = []
    for name, seed in (("a", "0"), ("b", "0"), ("c", "1")):
        path = tmp_path / f"{name}.netviz"
        train(capsys, "--preset", "gaussians", "--preset-seed", seed, "--epochs", "5", "--test-fraction", "0.2",
              "--save", str(path))  # fmt: skip
        loaded.append(load_session(path).history.test.inputs)
    np.testing.assert_array_equal(loaded[0], loaded[1])
    assert loaded[0].shape == loaded[2].shape == (40, 2) and not np.array_equal(loaded[0], loaded[2])


def test_a_regression_free_csv_holds_out_rows_too(tmp_path, capsys):
    path = tmp_path / "data.csv"
    rows = np.random.default_rng(0).uniform(size=(20, 3)).round(3)
    path.write_text("\n".join(",".join(map(str, r)) for r in rows), encoding="utf-8")
    code, out, _ = train(capsys, "--data", str(path), "--epochs", "10", "--test-fraction", "0.25")
    assert code == 0 and "test loss: " in out and "test accuracy" not in out  # real-valued targets: no accuracy


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--test-fraction", "1"], "--test-fraction: must be at least 0 and below 1"),
        (["--test-fraction", "0.001"], "leaves 0 test rows"),
        (["--change", "5:lr=0"], "--change: lr must be a positive number"),
        (["--change", "5:sped=2"], "unknown setting 'sped'"),
        (["--change", "50:lr=0.1", "--epochs", "10"], "the change 50:lr=0.1 is beyond the run's 10 epochs"),
        (["--change", "5:activation3=relu"], "activation3: the network has 2 weight layers"),
        (["--preset", "and", "--change", "5:noise=0.3"], "noise applies to a preset's points"),
    ],
)
def test_bad_test_fractions_and_changes_are_one_line_and_exit_2(capsys, options, message):
    options = options if "--preset" in options else ["--preset", "xor", *options]
    code, out, err = train(capsys, *options)
    assert (code, out) == (2, "") and err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err


def test_the_same_command_twice_writes_the_same_bytes(tmp_path, capsys):
    options = ["--preset", "spiral", "--points", "60", "--epochs", "300", "--batch", "10", "--test-fraction", "0.25",
               "--l2", "0.001", "--change", "100:lr=0.02,activation=relu", "--change", "200:noise=0.3,batch=full",
               "--change", "250:activation2=tanh,l1=0.0001"]  # fmt: skip
    for name in ("a", "b"):
        assert train(capsys, *options, "--save", str(tmp_path / f"{name}.netviz"))[0] == 0
    assert (tmp_path / "a.netviz").read_bytes() == (tmp_path / "b.netviz").read_bytes()


def test_a_session_with_changes_replays_every_epoch_between_keyframes(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("netviz.engine.session.KEYFRAME_BYTES", 4096)  # keyframes 8+ epochs apart
    path = tmp_path / "run.netviz"
    options = ["--preset", "xor-quadrants", "--points", "40", "--epochs", "200", "--batch", "8",
               "--test-fraction", "0.2", "--change", "70:lr=0.01,l2=0.01", "--change", "131:noise=0.5"]  # fmt: skip
    train(capsys, *options, "--save", str(path))
    session = load_session(path)
    assert session.history.stride >= 8
    config, rows, test = session.spec.build_split()
    reference = History(config, rows, test=test)
    segments.train(reference, 200, session.spec.changes, session.spec)
    for epoch in range(201):
        np.testing.assert_array_equal(session.history.weights_at(epoch), reference.weights_at(epoch))
    np.testing.assert_array_equal(np.asarray(session.history.test_loss), np.asarray(reference.test_loss))
    assert [segments.describe(s.edit) for s in session.history.segments] == [
        "start", "learning rate 0.125 → 0.01, L2 rate 0 → 0.01", "noise 0.1 → 0.5",
    ]  # fmt: skip


def test_a_plain_run_is_still_written_as_version_1_without_new_keys(tmp_path, capsys):
    path = tmp_path / "run.netviz"
    train(capsys, "--preset", "xor", "--epochs", "20", "--save", str(path))
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["version"] == 1 and "segments" not in manifest and "test_loss.npy" not in zf.namelist()
    assert not {"l1", "l2", "test_fraction", "changes"} & (set(manifest["run"]) | set(manifest["training"]))


def test_each_change_gets_a_line_saying_what_changed(capsys):
    code, out, _ = train(capsys, "--preset", "circle", "--epochs", "300", "--change", "200:noise=0.2,activation2=tanh",
                         "--change", "100:lr=0.05,batch=20")  # fmt: skip
    assert code == 0
    assert line_value(out, "epoch 100") == "learning rate 0.025 → 0.05, rows per step full → 20"
    assert line_value(out, "epoch 200") == "noise 0.1 → 0.2, activation of layer 2 sigmoid → tanh"


def test_a_change_at_epoch_0_saves_and_reopens(tmp_path, capsys):
    path = tmp_path / "run.netviz"
    code, out, _ = train(capsys, "--preset", "xor", "--epochs", "30", "--change", "0:lr=0.3", "--save", str(path))
    assert code == 0 and line_value(out, "epoch 0") == "learning rate 1 → 0.3"
    session = load_session(path)
    assert session.spec.lr == 1.0 and session.history.config.lr == 0.3
    config, rows, _ = session.spec.build_split()
    trainer = Trainer(replace(config, lr=0.3), rows)
    trainer.advance(17)
    np.testing.assert_array_equal(session.history.weights_at(17), trainer.theta)


@pytest.mark.parametrize("option", [["--change", "5:lr=0.1"], ["--test-fraction", "0.2"], ["--l2", "0.1"]])
def test_lab_options_do_not_apply_to_a_session(tmp_path, capsys, option):
    path = tmp_path / "run.netviz"
    train(capsys, "--preset", "xor", "--epochs", "10", "--save", str(path))
    code = cli.main(["snapshot", str(tmp_path / "a.png"), "--session", str(path), *option])
    err = capsys.readouterr().err
    assert code == 2 and f"{option[0]} does not apply to --session" in err and err.count("\n") == 1
