"""`netviz train` with regularisation, test rows and scheduled changes: its lines, checked against NumPy."""

import json
import re
import zipfile

import numpy as np
import pytest

from netviz import cli
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
