"""netviz.load: every kind of session as plain arrays, weights (n_in, n_out) per layer."""

import numpy as np
import pytest

import netviz
from netviz import Recorder
from netviz.cli import main
from netviz.engine.data import blog
from netviz.engine.history import History
from netviz.engine.session import SessionError
from netviz.engine.training import Trainer, blog_config


def test_a_trained_session_reads_as_the_trainer_left_it(tmp_path, capsys):
    path = tmp_path / "blog.netviz"
    assert main(["train", "--epochs", "200", "--save", str(path)]) == 0
    capsys.readouterr()
    config = blog_config()
    history = History(config, blog())
    Trainer(config, blog()).run(history, 200)
    run = netviz.load(path)
    assert (run.kind, run.epochs, run.layers, run.activations, run.bias) == (
        "trained", 200, (3, 4, 1), ("sigmoid", "sigmoid"), False)  # fmt: skip
    assert not run.recording
    for epoch in (0, 37, 200):
        ws, _ = config.arch.views(history.weights_at(epoch))
        assert all(np.array_equal(a, b) for a, b in zip(run.weights(epoch), ws))
    assert [w.shape for w in run.weights(-1)] == [(3, 4), (4, 1)]
    assert all(np.array_equal(b, np.zeros(n)) for b, n in zip(run.biases(5), (4, 1)))
    assert np.array_equal(run.loss, np.array(history.loss[:201]))
    assert np.array_equal(run.dataset.inputs, blog().inputs)
    with pytest.raises(IndexError, match="epoch 201 is not in the run"):
        run.weights(201)


def test_a_recorded_session_gives_back_what_was_recorded(tmp_path):
    rng = np.random.default_rng(3)
    epochs = [([rng.normal(size=(2, 5)), rng.normal(size=(5, 3))], [rng.normal(size=5), rng.normal(size=3)])
              for _ in range(12)]  # fmt: skip
    with Recorder(tmp_path / "rec.netviz", layers=[2, 5, 3], activations=["relu", "softmax"]) as rec:
        for i, (w, b) in enumerate(epochs):
            rec.record(w, b, loss=1.0 / (i + 1))
    run = netviz.load(tmp_path / "rec.netviz")
    assert (run.kind, run.epochs, run.activations, run.dataset) == ("recorded", 11, ("relu", "softmax"), None)
    for i, (w, b) in enumerate(epochs):
        assert all(np.array_equal(x, y) for x, y in zip(run.weights(i), w))
        assert all(np.array_equal(x, y) for x, y in zip(run.biases(i), b))
    assert np.array_equal(run.loss, 1.0 / np.arange(1, 13))


def test_a_recording_in_progress_reads_as_its_epochs_so_far(tmp_path):
    path = tmp_path / "live.netviz"
    rec = Recorder(path, layers=[2, 1])
    try:
        for i in range(3):
            rec.record([np.full((2, 1), float(i))], loss=float(i))
        run = netviz.load(path)
        assert run.recording and run.epochs == 2
        rec.record([np.full((2, 1), 3.0)], loss=3.0)
        assert netviz.load(path).weights(3)[0].tolist() == [[3.0], [3.0]]
    finally:
        rec.close()
    run = netviz.load(path)
    assert not run.recording and run.epochs == 3 and repr(run).endswith("epochs 0..3)")


def test_a_bad_file_is_one_line_naming_it(tmp_path):
    with pytest.raises(SessionError, match=r"nothing\.netviz: .*"):
        netviz.load(tmp_path / "nothing.netviz")
