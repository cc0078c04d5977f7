"""Recorder: watch a network you train yourself (plain NumPy, PyTorch...) in netviz.

    from netviz import Recorder
    with Recorder("run.netviz", layers=[2, 8, 3]) as rec:
        for epoch in range(epochs):
            ...  # your training step
            rec.record(weights=[w1, w2], biases=[b1, b2], loss=loss)

Each record() appends one epoch to a journal beside the file and hands it to the operating
system at once, so a crashed process loses at most the epoch it was writing; the journal is
also synced to disk every `sync_seconds`. The .netviz file exists from the first record() on
and opens (with every epoch written so far) even while recording runs or after a crash.
close() folds the journal into a self-contained session file and removes it.
"""

import contextlib
import math
import os
import secrets
import socket
import time

import numpy as np

from netviz.chain import dense_params
from netviz.engine.data import Dataset
from netviz.engine.network import Architecture
from netviz.engine.session import (
    JOURNAL_HEADER,
    JOURNAL_MAGIC,
    dataset_arrays,
    journal_path,
    load_session,
    save_session,
    session_manifest,
    unfinished_journal,
    write_archive,
)


def _writer() -> dict:
    """Who writes a recording (this process, on this machine): a reader there can tell when it is gone."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


class Recorder:
    """Writes one epoch per record() to a .netviz session; use it in a `with` block or call close().

    layers: neurons per layer, inputs first, e.g. [2, 8, 3].
    activations: one name for every weight layer or one per weight layer (sigmoid, tanh, relu,
        linear); netviz uses them only to draw a forward pass ("think") through the weights.
    inputs (n_rows, n_in), targets (n_rows, n_out): the training data, optional; with them netviz
        shows each row's outputs and record() can compute the loss itself.
    notes: lines kept in the session (netviz.load(path).notes), e.g. the layers a recorder left out.
    """

    def __init__(
        self,
        path,
        layers,
        *,
        activations="sigmoid",
        inputs=None,
        targets=None,
        input_names=None,
        target_names=None,
        sync_seconds: float = 1.0,
        notes=(),
    ):
        self.path = os.fspath(path)
        self.layers = tuple(int(n) for n in layers)
        self._activations = activations
        Architecture.of(self.layers, activations)  # bad sizes or names fail now, not at the first record
        n_in, n_out = self.layers[0], self.layers[-1]
        if (inputs is None) != (targets is None):
            raise ValueError("give both inputs and targets, or neither")
        if inputs is None:
            inputs, targets = np.empty((0, n_in)), np.empty((0, n_out))
        name = os.path.splitext(os.path.basename(self.path))[0]
        self.dataset = Dataset(inputs, targets, name, list(input_names or []), list(target_names or []))
        if self.dataset.n_in != n_in or self.dataset.n_out != n_out:
            raise ValueError(
                f"layers {list(self.layers)} need {n_in} inputs and {n_out} targets, but the data has "
                f"{self.dataset.n_in} and {self.dataset.n_out}"
            )
        if len(self.dataset.input_names) != n_in or len(self.dataset.target_names) != n_out:
            raise ValueError(f"need {n_in} input names and {n_out} target names")
        self.arch: Architecture | None = None  # known at the first record(), which says whether there are biases
        self.epochs = 0  # records written
        self.sync_seconds = sync_seconds
        self.notes = [str(n) for n in notes]  # kept in the session: what was left out, and why
        self._token = secrets.token_bytes(16)
        self._journal = journal_path(self.path)
        self._earlier_journal = unfinished_journal(self.path)
        if self._earlier_journal is not None:
            # An earlier recording crashed here: its journal is its epochs. Keep it until this
            # recording replaces its file at the first record() (and for good if none comes).
            self._journal += f"-{self._token.hex()[:8]}"
        # Opened now, so that an unwritable folder fails before any training starts.
        self._fd: int | None = os.open(self._journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        self._failure: str | None = None  # why record() cannot go on, after a failure it could not undo
        self._write(JOURNAL_MAGIC + self._token)
        self._size = JOURNAL_HEADER  # bytes of the journal that hold whole records
        self._synced = time.monotonic()

    def __repr__(self) -> str:
        state = "closed" if self._fd is None else "open"
        return f"Recorder({self.path!r}, {'-'.join(map(str, self.layers))}, {self.epochs} epochs, {state})"

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()  # also after an error in the training loop: the epochs so far are worth keeping

    def record(self, weights, biases=None, loss=None) -> None:
        """Append the next epoch: weights[i] (layers[i], layers[i+1]), biases[i] (layers[i+1],), loss.

        Copies what it is given. loss may be left out when the recorder has data: it is then the
        mean squared error of the outputs, as netviz computes it.
        """
        if self._fd is None:
            raise ValueError(f"the recorder of {self.path} is closed")
        if self._failure is not None:
            raise ValueError(f"the recorder of {self.path} stopped: {self._failure}")
        if self.arch is None:
            self.arch = Architecture.of(self.layers, self._activations, bias=biases is not None)
        theta = self._theta(weights, biases)
        if loss is None:
            if len(self.dataset) == 0:
                raise ValueError("record() needs loss= when the Recorder was given no inputs and targets")
            error = self.dataset.targets - self.arch.forward(theta, self.dataset.inputs)[-1]
            loss = float(np.vdot(error, error)) / error.size
        loss = float(loss)
        if not math.isfinite(loss):
            raise ValueError(f"loss {loss} at epoch {self.epochs} is not finite")
        data = np.concatenate([[loss], theta]).astype("<f8").tobytes()
        try:
            self._write(data)
            if self.epochs == 0:
                self._write_manifest()
        except BaseException as exc:  # a full disk, or Ctrl-C half-way: a retry must find the journal as it was
            self._undo(exc)
            raise
        self._size += len(data)
        self.epochs += 1
        if time.monotonic() - self._synced >= self.sync_seconds:
            os.fsync(self._fd)
            self._synced = time.monotonic()

    def record_params(self, params, loss=None, *, skip_unsupported: bool = False) -> None:
        """Append the next epoch from a JAX pytree of dense layers (Flax's {"params": {"Dense_0":
        {"kernel", "bias"}, ...}}, Haiku's {"linear": {"w", "b"}, ...} or a list of layers), in layer order.

        A layer with other parameters (normalisation...) or a kernel that is not 2-D is named in a
        ValueError; skip_unsupported=True leaves it out.
        """
        weights, biases, notes = dense_params(params, skip_unsupported)
        if self.epochs == 0:  # the session's notes are written with the first epoch
            self.notes += [n for n in notes if n not in self.notes]
        self.record(weights, biases, loss)

    def _theta(self, weights, biases) -> np.ndarray:
        """weights and biases checked against the layers and copied into one vector, laid out as netviz's theta."""
        arch, epoch = self.arch, self.epochs
        n_layers = len(arch.shapes)
        if len(weights) != n_layers:
            raise ValueError(f"layers {list(self.layers)} have {n_layers} weight matrices, got {len(weights)}")
        if (biases is not None) != arch.bias:
            had = "biases" if arch.bias else "no biases"
            raise ValueError(f"epoch 0 was recorded with {had}; every epoch must be the same")
        if biases is not None and len(biases) != n_layers:
            raise ValueError(f"layers {list(self.layers)} have {n_layers} bias vectors, got {len(biases)}")
        theta = np.empty(arch.n_params)
        ws, bs = arch.views(theta)
        for i, (n_in, n_out) in enumerate(arch.shapes):
            w = np.asarray(weights[i], dtype=np.float64)
            if w.shape != (n_in, n_out):
                hint = ""
                if w.shape == (n_out, n_in):
                    hint = " (PyTorch's nn.Linear keeps (out, in): pass layer.weight.detach().numpy().T)"
                raise ValueError(
                    f"weights[{i}] has shape {w.shape}; layers {list(self.layers)} need {(n_in, n_out)}{hint}"
                )
            ws[i][...] = w
            if biases is not None:
                b = np.asarray(biases[i], dtype=np.float64)
                if b.size != n_out or b.ndim > 2:
                    raise ValueError(f"biases[{i}] has shape {b.shape}; layers {list(self.layers)} need ({n_out},)")
                bs[i][...] = b.reshape(n_out)
        if not np.isfinite(theta).all():
            raise ValueError(f"the weights or biases of epoch {epoch} are not all finite")
        return theta

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def _undo(self, exc: BaseException) -> None:
        """Cut the journal back to its whole records; if that fails too, refuse every later record."""
        try:
            os.ftruncate(self._fd, self._size)
            os.lseek(self._fd, self._size, os.SEEK_SET)
        except OSError as undo:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            self._failure = f"an earlier record failed ({reason}) and could not be undone ({undo.strerror})"

    def _write_manifest(self) -> None:
        """A session file that points at the journal: it opens with every epoch written so far."""
        manifest = session_manifest(self.arch, self.dataset, None, None)
        if self.notes:
            manifest["notes"] = self.notes
        manifest["journal"] = {"file": os.path.basename(self._journal), "token": self._token.hex(), **_writer()}
        write_archive(self.path, manifest, dataset_arrays(self.dataset))
        if self._earlier_journal is not None:  # its recording was replaced just now
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._earlier_journal)
            self._earlier_journal = None

    def close(self) -> None:
        """Fold the journal into a self-contained session file at path and remove the journal.

        With no epoch recorded nothing is written and an earlier file at path stays as it was.
        """
        if self._fd is None:
            return
        os.close(self._fd)
        self._fd = None
        if self.epochs:
            session = load_session(self.path)
            save_session(self.path, session.history, notes=self.notes)
        os.unlink(self._journal)
