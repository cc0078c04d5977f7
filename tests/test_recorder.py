"""Recorder: files that open like any session, checked inputs, and crashes that lose at most one epoch."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from netviz import Recorder
from netviz.engine.session import JOURNAL_MAGIC, RecordedHistory, SessionError, journal_path, load_session

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [2, 8, 3]


def layer_arrays(epoch: int):
    rng = np.random.default_rng(epoch)
    weights = [rng.normal(size=(2, 8)), rng.normal(size=(8, 3))]
    biases = [rng.normal(size=8), rng.normal(size=3)]
    return weights, biases


def expected_theta(weights, biases) -> np.ndarray:
    """netviz's layout: each layer's weights row by row, then its biases."""
    return np.concatenate([part.ravel() for w, b in zip(weights, biases) for part in (w, b)])


def test_a_recording_opens_with_every_epoch_exact(tmp_path):
    path = tmp_path / "run.netviz"
    with Recorder(path, layers=LAYERS, activations=["relu", "sigmoid"]) as rec:
        for epoch in range(50):
            weights, biases = layer_arrays(epoch)
            rec.record(weights=weights, biases=biases, loss=1.0 / (epoch + 1))
    assert [p.name for p in tmp_path.iterdir()] == ["run.netviz"]  # the journal is folded in
    session = load_session(path)
    assert session.recorded
    history = session.history
    assert isinstance(history, RecordedHistory)
    assert history.latest_epoch == 49
    assert history.config.arch.layers == tuple(LAYERS)
    assert history.config.arch.activations == ("relu", "sigmoid")
    assert history.config.arch.bias
    assert np.array_equal(history.loss, 1.0 / np.arange(1, 51))
    for epoch in range(50):
        assert np.array_equal(history.weights_at(epoch), expected_theta(*layer_arrays(epoch)))
    assert len(session.dataset) == 0
    assert session.dataset.input_names == ["x1", "x2"]


def test_the_recorder_copies_what_it_is_given(tmp_path):
    w = [np.ones((2, 8)), np.ones((8, 3))]
    with Recorder(tmp_path / "run.netviz", layers=LAYERS) as rec:
        rec.record(weights=w, loss=0.5)
        w[0] += 1  # the caller's training step changes its arrays in place
        rec.record(weights=w, loss=0.25)
    history = load_session(tmp_path / "run.netviz").history
    assert history.weights_at(0)[:16].tolist() == [1.0] * 16
    assert history.weights_at(1)[:16].tolist() == [2.0] * 16
    assert not history.config.arch.bias


def test_with_data_the_loss_can_be_left_to_netviz(tmp_path):
    x = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    path = tmp_path / "data.netviz"
    weights, biases = layer_arrays(0)
    with Recorder(path, LAYERS, inputs=x, targets=y, input_names=["a", "b"], target_names=["p", "q", "r"]) as rec:
        rec.record(weights, biases)
    session = load_session(path)
    out = session.history.outputs_at(0)
    assert session.history.loss.tolist() == pytest.approx([np.mean((y - out) ** 2)], rel=1e-12)
    assert (session.dataset.input_names, session.dataset.target_names) == (["a", "b"], ["p", "q", "r"])
    assert np.array_equal(session.dataset.inputs, x)


def test_a_recording_renders(tmp_path, qapp):
    from netviz.render.painter import render_image
    from netviz.render.still import RunFrames

    path = tmp_path / "run.netviz"
    with Recorder(path, layers=LAYERS) as rec:
        for epoch in range(20):
            rec.record(*layer_arrays(epoch), loss=1.0 / (epoch + 1))
    history = load_session(path).history
    for inputs in (None, [0.5, -1.0]):
        frames = RunFrames(history, "dark", inputs)
        image = render_image(frames.frame(19), 640, 400, frames.cache)
        assert (image.width(), image.height()) == (640, 400)
        assert image.pixelColor(3, 3).name() == "#16181d"  # the dark theme's background
        colours = {image.pixelColor(x, y).rgb() for x in range(0, 640, 7) for y in range(0, 400, 7)}
        assert len(colours) > 10  # neurons and synapses were drawn


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": [np.zeros((8, 2)), np.zeros((8, 3))]}, r"weights\[0\] has shape \(8, 2\).*need \(2, 8\).*\.T"),
        ({"weights": [np.zeros((2, 8))]}, "have 2 weight matrices, got 1"),
        ({"weights": [np.zeros((2, 8)), np.zeros((8, 3))], "biases": [np.zeros(8)]}, "2 bias vectors, got 1"),
        ({"weights": [np.zeros((2, 8)), np.zeros((8, 3))], "biases": [np.zeros(8), np.zeros(4)]}, r"biases\[1\]"),
        ({"weights": [np.full((2, 8), np.nan), np.zeros((8, 3))]}, "not all finite"),
        ({"weights": [np.zeros((2, 8)), np.zeros((8, 3))], "loss": float("inf")}, "loss inf"),
        ({"weights": [np.zeros((2, 8)), np.zeros((8, 3))], "loss": None}, "needs loss="),
    ],
)
def test_bad_records_are_refused_with_a_clear_message(tmp_path, kwargs, message):
    kwargs = {"loss": 0.1, **kwargs}
    with Recorder(tmp_path / "run.netviz", layers=LAYERS) as rec, pytest.raises(ValueError, match=message):
        rec.record(**kwargs)
    assert not list(tmp_path.iterdir())  # nothing recorded: no file


def test_biases_must_stay_as_the_first_record_had_them(tmp_path):
    weights, biases = layer_arrays(0)
    with Recorder(tmp_path / "run.netviz", layers=LAYERS) as rec:
        rec.record(weights, biases, loss=1.0)
        with pytest.raises(ValueError, match="recorded with biases"):
            rec.record(weights, loss=1.0)
    assert len(load_session(tmp_path / "run.netviz").history) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layers": [2]}, "at least an input and an output"),
        ({"layers": [2, 3], "activations": "softplus"}, "unknown output activation"),
        ({"layers": [2, 3], "inputs": np.zeros((4, 2))}, "both inputs and targets"),
        ({"layers": [2, 3], "inputs": np.zeros((4, 3)), "targets": np.zeros((4, 3))}, "need 2 inputs"),
        ({"layers": [2, 3], "inputs": np.zeros((4, 2)), "targets": np.zeros((4, 3)), "input_names": ["a"]}, "names"),
    ],
)
def test_bad_recorders_fail_before_training(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        Recorder(tmp_path / "run.netviz", **kwargs)
    assert not list(tmp_path.iterdir())


def test_an_unwritable_place_fails_at_once(tmp_path):
    with pytest.raises(OSError):
        Recorder(tmp_path / "missing" / "run.netviz", layers=LAYERS)


def test_nothing_recorded_leaves_an_earlier_file_alone(tmp_path):
    path = tmp_path / "run.netviz"
    path.write_bytes(b"earlier")
    with Recorder(path, layers=LAYERS):
        pass
    assert path.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["run.netviz"]


def test_a_closed_recorder_refuses_more(tmp_path):
    rec = Recorder(tmp_path / "run.netviz", layers=LAYERS)
    rec.record(*layer_arrays(0), loss=1.0)
    rec.close()
    rec.close()  # twice is fine
    with pytest.raises(ValueError, match="closed"):
        rec.record(*layer_arrays(1), loss=1.0)
    assert "1 epochs, closed" in repr(rec)


def test_a_recording_opens_while_it_runs(tmp_path):
    path = tmp_path / "live.netviz"
    with Recorder(path, layers=LAYERS) as rec:
        for epoch in range(7):
            rec.record(*layer_arrays(epoch), loss=1.0)
        live = load_session(path).history
        assert live.latest_epoch == 6
        assert np.array_equal(live.weights_at(6), expected_theta(*layer_arrays(6)))
        rec.record(*layer_arrays(7), loss=1.0)
        assert load_session(path).history.latest_epoch == 7
    assert load_session(path).history.latest_epoch == 7


CRASH = """
import os, sys
import numpy as np
from netviz import Recorder
rec = Recorder(sys.argv[1], layers=[2, 8, 3])
for epoch in range(int(sys.argv[2])):
    rec.record(weights=[np.full((2, 8), epoch), np.full((8, 3), -epoch)], loss=1.0 / (epoch + 1))
os._exit(1)  # dies without closing: no flush, no clean-up
"""


def test_a_crashed_recording_opens_with_every_epoch_written(tmp_path):
    path = tmp_path / "crash.netviz"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CRASH, str(path), "25"], env=env, timeout=60, capture_output=True)
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crash.netviz", "crash.netviz-journal"]
    history = load_session(path).history
    assert history.latest_epoch == 24
    assert np.array_equal(history.weights_at(24), [24.0] * 16 + [-24.0] * 24)
    assert history.loss[-1] == 1 / 25

    # A crash in the middle of writing a record leaves part of one: it is left out.
    with open(journal_path(path), "ab") as f:
        f.write(np.arange(7.0).tobytes())
    assert load_session(path).history.latest_epoch == 24

    # Recording again to the same path starts afresh.
    with Recorder(path, layers=[2, 8, 3]) as rec:
        rec.record(weights=[np.zeros((2, 8)), np.zeros((8, 3))], loss=0.5)
    assert load_session(path).history.latest_epoch == 0
    assert [p.name for p in tmp_path.iterdir()] == ["crash.netviz"]


def test_a_crash_before_the_first_record_leaves_nothing_to_open(tmp_path):
    path = tmp_path / "early.netviz"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", CRASH, str(path), "0"], env=env, timeout=60, check=False)
    assert not path.exists()
    assert Path(journal_path(path)).read_bytes().startswith(JOURNAL_MAGIC)
    with pytest.raises(SessionError, match="no such file"):
        load_session(path)


def test_import_netviz_stays_light_and_recorder_is_lazy():
    code = (
        "import sys, netviz\n"
        "assert 'netviz.recorder' not in sys.modules and 'numpy' not in sys.modules\n"
        "from netviz import Recorder\n"
        "assert Recorder.__module__ == 'netviz.recorder'\n"
        "try:\n"
        "    netviz.Nothing\n"
        "except AttributeError as exc:\n"
        "    assert 'Nothing' in str(exc)\n"
        "else:\n"
        "    raise SystemExit('no AttributeError')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=60, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- recorder-example[^>]*-->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "the README lost its Recorder example"
    return match.group(1)


def test_the_readme_example_runs_and_learns_xor(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {"__name__": "readme_example"})
    session = load_session(tmp_path / "xor.netviz")
    history = session.history
    assert history.latest_epoch == 2999
    assert history.config.arch.layers == (2, 8, 1)
    assert history.loss[-1] < 0.01 < history.loss[0]
    assert np.array_equal(history.outputs_at(2999).round(), session.dataset.targets)


def test_the_pytorch_variant(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1), torch.nn.Sigmoid())
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    optimiser = torch.optim.SGD(model.parameters(), lr=0.5)
    with Recorder(tmp_path / "torch.netviz", layers=[2, 8, 1], activations=["tanh", "sigmoid"]) as rec:
        for _ in range(20):
            out = model(x)
            loss = torch.mean((out - y) ** 2)
            rec.record(
                weights=[m.weight.detach().numpy().T for m in linears],
                biases=[m.bias.detach().numpy() for m in linears],
                loss=loss.item(),
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    history = load_session(tmp_path / "torch.netviz").history
    # netviz's forward pass through the recorded weights gives what the model gave (float32 vs float64).
    outputs = history.config.arch.forward(history.weights_at(19), x.numpy().astype(float))[-1]
    assert np.allclose(outputs, out.detach().numpy(), atol=1e-5)


def test_recording_over_a_crashed_recording_keeps_it_until_the_first_record(tmp_path):
    path = tmp_path / "crash.netviz"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", CRASH, str(path), "25"], env=env, timeout=60, capture_output=True)
    Recorder(path, layers=[2, 8, 3]).close()  # nothing recorded: the earlier recording stays as it was
    history = load_session(path).history
    assert history.latest_epoch == 24 and np.array_equal(history.weights_at(24), [24.0] * 16 + [-24.0] * 24)

    rec = Recorder(path, layers=[2, 8, 3])
    assert load_session(path).history.latest_epoch == 24  # still, while the new one has written nothing
    rec.record(weights=[np.ones((2, 8)), np.ones((8, 3))], loss=0.5)
    assert load_session(path).history.latest_epoch == 0  # replaced at the first record, as any file would be
    rec.close()
    assert [p.name for p in tmp_path.iterdir()] == ["crash.netviz"]


def test_a_failed_record_leaves_the_journal_as_it_was(tmp_path, monkeypatch):
    """A full disk in the middle of a record: the retry must not shift every later epoch."""
    import netviz.recorder

    path = tmp_path / "full.netviz"
    real_write = os.write
    failures = iter([False, False, True])  # the third record's write fails half-way

    def flaky_write(fd, data):
        if len(data) > 100 and next(failures, False):
            real_write(fd, bytes(data)[: len(data) // 2])
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(netviz.recorder.os, "write", flaky_write)
    with Recorder(path, layers=LAYERS) as rec:
        for epoch in range(5):
            weights, biases = layer_arrays(epoch)
            try:
                rec.record(weights=weights, biases=biases, loss=float(epoch))
            except OSError:
                rec.record(weights=weights, biases=biases, loss=float(epoch))  # the retry
    history = load_session(path).history
    assert history.latest_epoch == 4
    for epoch in range(5):
        assert np.array_equal(history.weights_at(epoch), expected_theta(*layer_arrays(epoch))), epoch
    assert list(history.loss) == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_a_recorder_whose_journal_cannot_be_restored_refuses_to_go_on(tmp_path, monkeypatch):
    import netviz.recorder

    path = tmp_path / "broken.netviz"
    rec = Recorder(path, layers=LAYERS)
    weights, biases = layer_arrays(0)
    rec.record(weights=weights, biases=biases, loss=1.0)

    def fail(*args):
        raise OSError(5, "Input/output error")

    real_write = os.write
    monkeypatch.setattr(netviz.recorder.os, "write", lambda fd, data: real_write(fd, bytes(data)[:8]) and fail())
    monkeypatch.setattr(netviz.recorder.os, "ftruncate", fail)
    with pytest.raises(OSError):
        rec.record(weights=weights, biases=biases, loss=1.0)
    monkeypatch.undo()
    with pytest.raises(ValueError, match=r"stopped: an earlier record failed .* and could not be undone"):
        rec.record(weights=weights, biases=biases, loss=1.0)
    rec.close()
    assert load_session(path).history.latest_epoch == 0  # the epoch written whole is kept
