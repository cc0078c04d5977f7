"""Record a Keras 3 model's training for netviz, on any backend:

    from netviz.keras import NetvizCallback
    model.fit(x, y, epochs=50, callbacks=[NetvizCallback("run.netviz")])

Epoch 0 of the recording is the model's starting weights, with the loss Keras reports for
the first batch; epoch k is the weights after k recorded steps (k * every epochs, or
k * every_batches batches), with the loss Keras reports there. In multi-worker training only
the chief writes.
"""

import keras
import numpy as np

from netviz.chain import Dense, activation_name, filled_biases, is_rank_zero, layer_sizes, unsupported
from netviz.recorder import Recorder

# Layers that pass their input through unchanged when a network is drawn (Dropout acts in training only).
_PASS_THROUGH = ("InputLayer", "Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization")


def dense_chain(model, skip_unsupported: bool = False) -> tuple[list, list[Dense], list[str]]:
    """(Keras Dense layers in order, netviz's view of them, notes) for a model; UnsupportedLayer otherwise."""
    layers, chain, notes = [], [], []
    for layer in _flat_layers(model):
        kind = type(layer).__name__
        if isinstance(layer, keras.layers.Dense) and len(layer.kernel.shape) == 2:
            n_in, n_out = (int(n) for n in layer.kernel.shape)
            act = activation_name(keras.activations.serialize(layer.activation), layer.name, notes)
            layers.append(layer)
            chain.append(Dense(layer.name, n_in, n_out, act))
        elif kind == "Activation" and chain and chain[-1].activation == "linear":
            chain[-1].activation = activation_name(keras.activations.serialize(layer.activation), layer.name, notes)
        elif kind not in _PASS_THROUGH:
            unsupported(layer.name, kind, skip_unsupported, notes)
    layer_sizes(chain)
    return layers, chain, notes


def _flat_layers(model):
    """The model's layers in order, with the layers of nested models in their place."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _flat_layers(layer)
        else:
            yield layer


class NetvizCallback(keras.callbacks.Callback):
    """Writes the model's Dense kernels and biases to a .netviz session every `every` epochs
    (or every `every_batches` batches), with the loss; watch it live with `netviz open path`.

    skip_unsupported: leave out layers netviz cannot draw (normalisation...) with a note in the
        session, instead of stopping with an error that names the first such layer.
    inputs, targets, input_names, target_names: a few rows netviz shows the outputs for (optional).
    """

    def __init__(
        self,
        path,
        every: int = 1,
        every_batches: int | None = None,
        *,
        skip_unsupported: bool = False,
        inputs=None,
        targets=None,
        input_names=None,
        target_names=None,
    ):
        super().__init__()
        if int(every) < 1 or (every_batches is not None and int(every_batches) < 1):
            raise ValueError("every and every_batches must be at least 1")
        self.path, self.every = path, int(every)
        self.every_batches = None if every_batches is None else int(every_batches)
        self.skip_unsupported = skip_unsupported
        self._data = {"inputs": inputs, "targets": targets, "input_names": input_names, "target_names": target_names}
        self.recorder: Recorder | None = None  # on the chief, from the start of fit() to its end
        self._layers: list = []  # the Dense layers, in order
        self._chain: list[Dense] = []  # netviz's view of them
        self._start: tuple | None = None  # the starting weights, written with the first loss Keras reports
        self._batches = 0

    def on_train_begin(self, logs=None):
        if not is_rank_zero():
            return
        self._layers, chain, notes = dense_chain(self.model, self.skip_unsupported)
        activations = [d.activation for d in chain]
        self.recorder = Recorder(self.path, layer_sizes(chain), activations=activations, notes=notes, **self._data)
        self._chain, self._batches = chain, 0
        self._start = self._arrays()

    def on_train_batch_end(self, batch, logs=None):
        if self.recorder is None:
            return
        self._batches += 1
        if self._start is not None:
            self.recorder.record(*self._start, loss=_loss(logs))
            self._start = None
        if self.every_batches and self._batches % self.every_batches == 0:
            self._record(logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.recorder is not None and self.every_batches is None and (epoch + 1) % self.every == 0:
            self._record(logs)

    def on_train_end(self, logs=None):
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None

    def _record(self, logs) -> None:
        self.recorder.record(*self._arrays(), loss=_loss(logs))

    def _arrays(self) -> tuple[list, list | None]:
        """(kernels (n_in, n_out), biases or None) of the Dense layers now, as NumPy copies."""
        weights, biases = [], []
        # Between a JAX backend's batches the weights live outside the variables: bring them back.
        sync = getattr(self.model, "jax_state_sync", None)
        if sync is not None:
            sync()
        for layer in self._layers:
            weights.append(_numpy(layer.kernel))
            biases.append(_numpy(layer.bias) if layer.use_bias else None)
        return weights, filled_biases(biases, self._chain)


def _numpy(variable) -> np.ndarray:
    # Through the backend's tensor: NumPy 2 warns about a Keras variable's own __array__.
    return np.array(keras.ops.convert_to_numpy(variable.value), dtype=np.float64)


def _loss(logs) -> float:
    loss = (logs or {}).get("loss")
    if loss is None:
        raise ValueError("Keras reported no loss to record (compile the model with a loss)")
    return float(loss)
