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


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a run: same config and data, bit-identical history."""

    arch: Architecture = field(default_factory=lambda: Architecture.of((3, 4, 1)))
    lr: float = 1.0
    batch: int | None = None  # rows per step; None = the whole set (the blog)
    seed: int = 1
    epochs: int = 60_000  # target epoch count
    init: str = "uniform"

    def __post_init__(self):
        if not (self.lr > 0 and np.isfinite(self.lr)):
            raise ValueError(f"learning rate must be a positive number, got {self.lr}")
        if self.batch is not None and self.batch < 1:
            raise ValueError(f"batch size must be at least 1, got {self.batch}")
        if self.epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {self.epochs}")
        if not 0 <= self.seed < 2**32:
            raise ValueError(f"seed must be between 0 and 2**32 - 1, got {self.seed}")

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
        self.interrupt = False  # set from another thread to end run() after the current epoch

    def reset(self) -> None:
        self.theta[:] = self.arch.init_params(self.config.seed, self.config.init)
        self.epoch = 0

    def set_state(self, theta: np.ndarray, epoch: int) -> None:
        self.theta[:] = theta
        self.epoch = epoch

    def _forward(self, x: np.ndarray) -> list[np.ndarray]:
        acts = [x]
        for w, b, f in zip(self.weights, self.biases, self._f):
            z = np.dot(acts[-1], w)
            if b is not None:
                z += b
            acts.append(f(z))
        return acts

    def _update(self, acts: list[np.ndarray], error: np.ndarray) -> None:
        """One gradient step from a forward pass and its error (target - output)."""
        lr, df, weights, biases = self.config.lr, self._df, self.weights, self.biases
        delta = error * df[-1](acts[-1])  # -dE/dz of the output layer
        for i in range(len(weights) - 1, -1, -1):
            back = np.dot(delta, weights[i].T) if i else None  # uses the weights before this update
            step = acts[i].T.dot(delta)
            if lr != 1.0:
                step *= lr
            weights[i] += step
            if biases[i] is not None:
                biases[i] += lr * delta.sum(axis=0)
            if i:
                delta = back * df[i - 1](acts[i])

    def _minibatch_epoch(self, epoch: int) -> None:
        """Steps over the rows in an order fixed by (seed, epoch), so replay needs no RNG state."""
        n, k = len(self.x), self.config.batch
        order = np.random.default_rng((self.config.seed, epoch)).permutation(n) if k < n else np.arange(n)
        for start in range(0, n, k):
            rows = order[start : start + k]
            x, y = self.x[rows], self.y[rows]
            acts = self._forward(x)
            self._update(acts, y - acts[-1])

    def evaluate(self) -> tuple[np.ndarray, float]:
        """Outputs for every training row (n_rows, n_out) and the mean squared error, at theta."""
        with np.errstate(over="ignore", invalid="ignore"):
            out = self._forward(self.x)[-1]
            error = self.y - out
            return out, float(np.vdot(error, error)) / error.size

    def advance(self, n: int) -> None:
        """Apply n epochs without recording (used to replay history from a keyframe)."""
        full = self.config.batch is None or self.config.batch >= len(self.x)
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(n):
                if full:
                    acts = self._forward(self.x)
                    self._update(acts, self.y - acts[-1])
                else:
                    self._minibatch_epoch(self.epoch)
                self.epoch += 1

    def run(self, history, until: int) -> None:
        """Train up to epoch `until`, appending every epoch to history; stops early on interrupt.

        Raises Diverged at the first epoch whose weights or loss are not finite; the history
        then ends at the epoch before it.
        """
        full = self.config.batch is None or self.config.batch >= len(self.x)
        x, y, theta, append, forward, update = self.x, self.y, self.theta, history.append, self._forward, self._update
        error = np.empty_like(y)
        flat_error, size = error.reshape(-1), error.size
        with np.errstate(over="ignore", invalid="ignore"):
            acts = forward(x)
            np.subtract(y, acts[-1], error)
            if len(history) == 0:
                append(theta, acts[-1], self._check(flat_error.dot(flat_error) / size))
            while self.epoch < until and not self.interrupt:
                # The forward pass that records an epoch is also the one its update starts from.
                if full:
                    update(acts, error)
                else:
                    self._minibatch_epoch(self.epoch)
                self.epoch += 1
                acts = forward(x)
                np.subtract(y, acts[-1], error)
                loss = flat_error.dot(flat_error) / size
                if not (math.isfinite(loss) and math.isfinite(theta.dot(theta))):
                    self._check(loss)
                append(theta, acts[-1], loss)

    def _check(self, loss: float) -> float:
        """The loss, after making sure that it and theta are finite (raises Diverged)."""
        if not math.isfinite(loss):
            raise Diverged(self.epoch, "the loss is")
        if not np.isfinite(self.theta).all():
            raise Diverged(self.epoch, "the weights are")
        return loss
