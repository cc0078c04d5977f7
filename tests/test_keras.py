"""NetvizCallback: real Keras 3 training on the JAX backend, recorded and read back bit for bit."""

import json
import os

os.environ["KERAS_BACKEND"] = "jax"  # before keras is imported: CI has JAX, not TensorFlow

import keras
import numpy as np
import pytest

import netviz
from netviz.chain import UnsupportedLayer
from netviz.keras import NetvizCallback
from tests.readme_blocks import readme_block

X = np.random.default_rng(0).uniform(-1, 1, size=(64, 2)).astype("float32")
Y = (X[:, :1] * X[:, 1:] > 0).astype("float32")  # XOR of the signs


class Capture(keras.callbacks.Callback):
    """The model's weights as the test sees them, at each epoch's (or batch's) end."""

    def __init__(self, at: str):
        super().__init__()
        self.at, self.weights = at, []

    def on_epoch_end(self, epoch, logs=None):
        if self.at == "epoch":
            self.weights.append(self.model.get_weights())

    def on_train_batch_end(self, batch, logs=None):
        if self.at == "batch":
            self.model.jax_state_sync()  # the JAX backend keeps weights outside the variables between batches
            self.weights.append(self.model.get_weights())


def model(*middle, out=None):
    keras.utils.set_random_seed(1)
    out = out or keras.layers.Dense(1, activation="sigmoid")
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="tanh"), *middle, out])
    m.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    return m


def assert_epoch_is(run, epoch: int, keras_weights: list) -> None:
    kernels, biases = keras_weights[0::2], keras_weights[1::2]
    assert all(np.array_equal(a, b) for a, b in zip(run.weights(epoch), kernels, strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(run.biases(epoch), biases, strict=True))


def test_every_epoch_is_recorded_exactly_as_keras_had_it(tmp_path):
    m, capture = model(), Capture("epoch")
    start = m.get_weights()
    fit = m.fit(X, Y, epochs=6, batch_size=16, verbose=0, callbacks=[NetvizCallback(tmp_path / "k.netviz"), capture])
    run = netviz.load(tmp_path / "k.netviz")
    assert (run.layers, run.activations, run.bias, run.epochs) == ((2, 8, 1), ("tanh", "sigmoid"), True, 6)
    assert_epoch_is(run, 0, start)
    for epoch in (1, 3, 6):
        assert_epoch_is(run, epoch, capture.weights[epoch - 1])
    assert run.loss[1:].tolist() == [float(v) for v in fit.history["loss"]]
    assert [p.name for p in tmp_path.iterdir()] == ["k.netviz"]  # the journal is folded in at the end


def test_every_n_epochs(tmp_path):
    m, capture = model(), Capture("epoch")
    m.fit(X, Y, epochs=6, batch_size=32, verbose=0, callbacks=[NetvizCallback(tmp_path / "k.netviz", every=3), capture])
    run = netviz.load(tmp_path / "k.netviz")
    assert run.epochs == 2
    assert_epoch_is(run, 2, capture.weights[5])


def test_every_n_batches(tmp_path):
    m, capture = model(), Capture("batch")
    callback = NetvizCallback(tmp_path / "k.netviz", every_batches=3)
    m.fit(X, Y, epochs=2, batch_size=8, verbose=0, callbacks=[callback, capture])  # 16 batches
    run = netviz.load(tmp_path / "k.netviz")
    assert run.epochs == 5  # the start, then after batches 3, 6, 9, 12, 15
    for k in (1, 4, 5):
        assert_epoch_is(run, k, capture.weights[3 * k - 1])


def test_a_softmax_output_records_and_thinks_as_keras_predicts(tmp_path):
    y = keras.utils.to_categorical((X[:, 0] > 0).astype(int) + (X[:, 1] > 0), 3)
    m = model(out=keras.layers.Dense(3, activation="softmax"))
    m.compile(optimizer="adam", loss="categorical_crossentropy")
    m.fit(X, y, epochs=3, verbose=0, callbacks=[NetvizCallback(tmp_path / "s.netviz", inputs=X, targets=y)])
    run = netviz.load(tmp_path / "s.netviz")
    assert run.activations == ("tanh", "softmax")
    theta = run.session.history.weights_at(run.epochs)
    outputs = run.session.config.arch.forward(theta, X.astype(float))[-1]
    assert np.allclose(outputs, m.predict(X, verbose=0), atol=1e-5)
    assert np.allclose(outputs.sum(axis=1), 1.0)


def test_a_layer_netviz_cannot_draw_is_named(tmp_path):
    m = model(keras.layers.BatchNormalization(name="norm"))
    with pytest.raises(
        UnsupportedLayer, match=r"^layer 'norm' \(BatchNormalization\) cannot be drawn: .*skip_unsupported"
    ):
        m.fit(X, Y, epochs=1, verbose=0, callbacks=[NetvizCallback(tmp_path / "n.netviz")])


def test_skip_unsupported_leaves_the_layer_out_with_a_note(tmp_path):
    m = model(keras.layers.BatchNormalization(name="norm"), keras.layers.Dropout(0.2))
    m.fit(X, Y, epochs=2, verbose=0, callbacks=[NetvizCallback(tmp_path / "n.netviz", skip_unsupported=True)])
    run = netviz.load(tmp_path / "n.netviz")
    assert run.layers == (2, 8, 1) and run.epochs == 2
    assert run.notes == ["layer 'norm' (BatchNormalization) was left out"]


def test_an_activation_netviz_lacks_is_drawn_as_the_nearest_with_a_note(tmp_path):
    keras.utils.set_random_seed(1)
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="gelu", name="h"),
                          keras.layers.Dense(1), keras.layers.Activation("sigmoid")])  # fmt: skip
    m.compile(optimizer="sgd", loss="mse")
    m.fit(X, Y, epochs=1, verbose=0, callbacks=[NetvizCallback(tmp_path / "g.netviz")])
    run = netviz.load(tmp_path / "g.netviz")
    assert run.activations == ("relu", "sigmoid")
    assert run.notes == ["layer 'h': activation gelu is drawn as relu"]


def test_only_the_chief_records_in_multi_worker_training(tmp_path, monkeypatch):
    cluster = {"worker": ["host0:2222", "host1:2222"]}
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": cluster, "task": {"type": "worker", "index": 1}}))
    model().fit(X, Y, epochs=1, verbose=0, callbacks=[NetvizCallback(tmp_path / "w1.netviz")])
    assert not (tmp_path / "w1.netviz").exists()
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": cluster, "task": {"type": "worker", "index": 0}}))
    model().fit(X, Y, epochs=1, verbose=0, callbacks=[NetvizCallback(tmp_path / "w0.netviz")])
    assert netviz.load(tmp_path / "w0.netviz").epochs == 1


def test_the_readme_example_runs_and_learns(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(readme_block("keras-example"), {})
    run = netviz.load("circle.netviz")
    assert run.epochs == 100 and run.layers == (2, 8, 1) and len(run.dataset) == 200
    assert run.loss[-1] < 0.5 * run.loss[0]
