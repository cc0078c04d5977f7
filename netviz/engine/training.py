"""Backpropagation on squared error, one epoch at a time, recording every epoch.

The objective of a step is E = 1/2 * sum over the batch of (target - output)^2 and the
update is theta -= lr * dE/dtheta: summed, not averaged, exactly as the blog does it, so
the blog preset with lr = 1 reproduces its numbers bit for bit. The loss recorded per
epoch is the mean squared error over all training rows at that epoch's weights.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from netviz.engine import activations, data
from netviz.engine.network import Architecture

ORDERS = ("shuffled", "in-order")  # how mini-batches go through the rows each epoch


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run: same config and data, bit-identical history."""

    arch: Architecture = field(default_factory=lambda: Architecture.of((3, 4, 1)))
    lr: float = 1.0
    batch: int | None = None  # rows per step; None = the whole set (the blog)
    seed: int = 1
    epochs: int = 60_000  # target epoch count
    init: str = "uniform"
    order: str = "shuffled"  # mini-batch row order: reshuffled every epoch, or the data's own order

    def __post_init__(self):
        if not (self.lr > 0 and np.isfinite(self.lr)):
            raise ValueError(f"learning rate must be a positive number, got {self.lr}")
        if self.batch is not None and self.batch < 1:
            raise ValueError(f"batch size must be at least 1, got {self.batch}")
        if self.epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {self.epochs}")
        if not 0 <= self.seed < 2**32:
            raise ValueError(f"seed must be between 0 and 2**32 - 1, got {self.seed}")
        if self.order not in ORDERS:
            raise ValueError(f"unknown row order {self.order!r}; choose from {', '.join(ORDERS)}")

    def batch_label(self) -> str:
        return "full" if self.batch is None else str(self.batch)


def blog_config() -> TrainConfig:
    """The blog's run: 3-4-1 sigmoid, no biases, full batch, lr 1, seed 1, 60,000 epochs."""
    return TrainConfig()


class Diverged(ArithmeticError):
    """Weights or loss stopped being finite; `epoch` is the first bad one."""

    def __init__(self, epoch: int, what: str):
        self.epoch = epoch
        super().__init__(f"training diverged at epoch {epoch:,}: {what} no longer finite")


class _Workspace:
    """Every array a step over the rows of x writes into, so that the hot loop allocates nothing.

    Weight layer l takes inputs a_in (n_rows, n_in) through weights w (n_in, n_out) and biases
    b (n_out,): z = a_in @ w + b is computed in place in a (n_rows, n_out), then a = f(z). Its
    slope f'(z) and delta -dE/dz have the shape of a; step_w and step_b are views into the
    trainer's step vector. The loops unpack tuples, which costs less per epoch than attribute lookups.
    """

    def __init__(self, trainer: "Trainer", x: np.ndarray):
        n_rows = len(x)
        self.x = x  # inputs (n_rows, n_in): the training set, or a buffer that mini-batches fill
        acts = [x] + [np.empty((n_rows, n)) for n in trainer.arch.layers[1:]]
        slopes = [None] + [np.empty_like(a) for a in acts[1:]]
        deltas = [None] + [np.empty_like(a) for a in acts[1:]]
        self.y = np.empty_like(acts[-1])  # targets, filled by mini-batches
        self.output = acts[-1]  # (n_rows, n_out)
        self.error = np.empty_like(acts[-1])  # target - output
        w, b, f, df = trainer.weights, trainer.biases, trainer._f, trainer._df
        step_w, step_b = trainer._step_w, trainer._step_b
        layers = range(len(w))
        # First layer first: (a_in, w, b, f, a).
        self.forward = [(acts[i], w[i], b[i], f[i], acts[i + 1]) for i in layers]
        # The output layer's (df, a, slope, delta): backprop starts there from the error.
        self.top = (df[-1], acts[-1], slopes[-1], deltas[-1])
        # Top layer first: (a_in.T, delta, step_w, step_b, w.T, below), where below is the
        # layer beneath's (delta, df, a, slope), or None for the first layer.
        below = [None] + [(deltas[i], df[i - 1], acts[i], slopes[i]) for i in layers[1:]]
        self.backward = [(acts[i].T, deltas[i + 1], step_w[i], step_b[i], w[i].T, below[i]) for i in reversed(layers)]


class Trainer:
    """Owns theta and the loop. `epoch` counts the updates already applied to theta."""

    def __init__(self, config: TrainConfig, dataset: data.Dataset):
        arch = config.arch
        if dataset.n_in != arch.layers[0] or dataset.n_out != arch.layers[-1]:
            raise ValueError(
                f"layers {arch.label()} need {arch.layers[0]} inputs and {arch.layers[-1]} outputs, "
                f"but the data has {dataset.n_in} inputs and {dataset.n_out} targets"
            )
        self.config, self.dataset, self.arch = config, dataset, arch
        self.x, self.y = dataset.inputs, dataset.targets
        self.theta = arch.init_params(config.seed, config.init)
        self.weights, self.biases = arch.views(self.theta)
        self.epoch = 0
        self._f = [activations.FORWARD[a] for a in arch.activations]
        self._df = [activations.DERIVATIVE[a] for a in arch.activations]
        # One step's change of theta, laid out like theta, so that theta takes it in one addition.
        self._step = np.zeros_like(self.theta)
        self._step_w, self._step_b = arch.views(self._step)
        self._all = _Workspace(self, self.x)  # full-batch steps and the forward pass that records an epoch
        self._batches: dict[int, _Workspace] = {}  # mini-batch steps, by rows per batch
        self.interrupt = False  # set from another thread to end run() after the current epoch

    def reset(self) -> None:
        self.theta[:] = self.arch.init_params(self.config.seed, self.config.init)
        self.epoch = 0

    def set_state(self, theta: np.ndarray, epoch: int) -> None:
        self.theta[:] = theta
        self.epoch = epoch

    def _forward(self, ws: _Workspace) -> np.ndarray:
        """Fill every layer's activations for ws.x; returns the output (n_rows, n_out)."""
        for a_in, w, b, f, a in ws.forward:
            np.dot(a_in, w, a)
            if b is not None:
                a += b
            f(a)
        return ws.output

    def _update(self, ws: _Workspace) -> None:
        """One gradient step from the forward pass and the error (target - output) in ws."""
        df, a, slope, delta = ws.top
        np.multiply(ws.error, df(a, slope), delta)
        for a_in_t, delta, step_w, step_b, w_t, below in ws.backward:
            np.dot(a_in_t, delta, step_w)
            if step_b is not None:
                np.sum(delta, axis=0, out=step_b)
            if below is not None:
                # Back through the weights as they were before this step (theta changes only below).
                delta_in, df, a_in, slope = below
                np.dot(delta, w_t, delta_in)
                np.multiply(delta_in, df(a_in, slope), delta_in)
        if self.config.lr != 1.0:
            self._step *= self.config.lr
        self.theta += self._step

    def _minibatch_epoch(self, epoch: int) -> None:
        """Steps over the rows in the data's order, or shuffled in an order fixed by (seed, epoch)
        so that replay needs no RNG state."""
        n, k = len(self.x), self.config.batch
        shuffled = self.config.order == "shuffled" and k < n
        order = np.random.default_rng((self.config.seed, epoch)).permutation(n) if shuffled else np.arange(n)
        for start in range(0, n, k):
            rows = order[start : start + k]
            if len(rows) not in self._batches:
                self._batches[len(rows)] = _Workspace(self, np.empty((len(rows), self.x.shape[1])))
            ws = self._batches[len(rows)]
            np.take(self.x, rows, axis=0, out=ws.x)
            np.take(self.y, rows, axis=0, out=ws.y)
            np.subtract(ws.y, self._forward(ws), ws.error)
            self._update(ws)

    def evaluate(self) -> tuple[np.ndarray, float]:
        """Outputs for every training row (n_rows, n_out) and the mean squared error, at theta."""
        out = self.arch.forward(self.theta, self.x)[-1]
        with np.errstate(over="ignore", invalid="ignore"):
            error = self.y - out
            return out, float(np.vdot(error, error)) / error.size

    def advance(self, n: int) -> None:
        """Apply n epochs without recording (used to replay history from a keyframe)."""
        full = self.config.batch is None or self.config.batch >= len(self.x)
        ws = self._all
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(n):
                if full:
                    np.subtract(self.y, self._forward(ws), ws.error)
                    self._update(ws)
                else:
                    self._minibatch_epoch(self.epoch)
                self.epoch += 1

    def run(self, history, until: int) -> None:
        """Train up to epoch `until`, appending every epoch to history; stops early on interrupt.

        Raises Diverged at the first epoch whose weights or loss are not finite; the history
        then ends at the epoch before it.
        """
        full = self.config.batch is None or self.config.batch >= len(self.x)
        ws, y, theta, append = self._all, self.y, self.theta, history.append
        forward, update, error = self._forward, self._update, ws.error
        flat_error, size = error.reshape(-1), error.size
        with np.errstate(over="ignore", invalid="ignore"):
            out = forward(ws)
            np.subtract(y, out, error)
            if len(history) == 0:
                append(theta, out, self._check(flat_error.dot(flat_error) / size))
            while self.epoch < until and not self.interrupt:
                # The forward pass that records an epoch is also the one its update starts from.
                if full:
                    update(ws)
                else:
                    self._minibatch_epoch(self.epoch)
                self.epoch += 1
                out = forward(ws)
                np.subtract(y, out, error)
                loss = flat_error.dot(flat_error) / size
                if not (math.isfinite(loss) and math.isfinite(theta.dot(theta))):
                    self._check(loss)
                append(theta, out, loss)

    def _check(self, loss: float) -> float:
        """The loss, after making sure that it and theta are finite (raises Diverged)."""
        if not math.isfinite(loss):
            raise Diverged(self.epoch, "the loss is")
        if not np.isfinite(self.theta).all():
            raise Diverged(self.epoch, "the weights are")
        return loss
