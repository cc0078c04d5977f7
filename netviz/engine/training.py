"""Backpropagation on squared error (cross-entropy for a softmax output), one epoch at a time, recording every epoch.

The objective of a step is E = 1/2 * sum over the batch of (target - output)^2 and the
update is theta -= lr * dE/dtheta: summed, not averaged, exactly as the blog does it, so
the blog preset with lr = 1 reproduces its numbers bit for bit. The loss recorded per
epoch is the mean squared error over all training rows at that epoch's weights.

A softmax output trains on cross-entropy instead, E = -sum over the batch of target . log(output)
(targets are rows of class probabilities, one-hot for labels), whose -dE/dz is target - output,
the same error as above; its recorded loss is the mean cross-entropy per row.

Regularisation adds a penalty P = l1 * sum|w| + l2/2 * sum w^2 over the weights (never the
biases) once per row of the step, as the squared error is summed per row: a step of k rows
minimises E + k * P. So a rate means what it means in TensorFlow Playground, which averages
the error over the batch and adds P once: ours is that objective times k, and our learning
rates are Playground's divided by the rows (as the point presets' recipes do).
"""

import math
from dataclasses import dataclass, field
from functools import partial

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
    l1: float = 0.0  # rate of the penalty l1 * sum|w| (weights only), per row of a step
    l2: float = 0.0  # rate of the penalty l2/2 * sum w^2 (weights only), per row of a step

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
        for name, rate in (("l1", self.l1), ("l2", self.l2)):
            if not (rate >= 0 and np.isfinite(rate)):
                raise ValueError(f"the {name} rate must be a number of 0 or more, got {rate}")

    def batch_label(self) -> str:
        return "full" if self.batch is None else str(self.batch)

    @property
    def regularised(self) -> bool:
        return self.l1 > 0 or self.l2 > 0


def penalty(config: TrainConfig, theta: np.ndarray) -> float:
    """P = l1 * sum|w| + l2/2 * sum w^2 over the weights of theta (biases are never penalised)."""
    w = theta[config.arch.weight_index()]
    return float(config.l1 * np.abs(w).sum() + config.l2 / 2 * w.dot(w))


def loss_with_penalty(config: TrainConfig, theta: np.ndarray, loss: float) -> float:
    """The objective training minimises, in the units of the recorded loss: mean squared error + 2P / n_out.

    An epoch's objective is sum over rows of (1/2 * sum of squared errors + P); divided by
    rows * n_out / 2 it is the mean squared error plus 2P / n_out, so without a penalty it is the loss.
    """
    return loss + 2 * penalty(config, theta) / config.arch.layers[-1]


def _penalty_ops(trainer: "Trainer", rows: int) -> list[activations.Op]:
    """The calls that add -d(rows * P)/dw to the step (none when both rates are 0).

    They run over all of theta at once, the rates multiplied by 1 at weights and 0 at biases:
    two or three calls in all, not per layer.
    """
    config, ops = trainer.config, []
    if not config.regularised:
        return ops
    theta, step, buffer = trainer.theta, trainer._step, trainer._penalty_buffer
    if config.l1 > 0:  # sign(0) = 0: a weight at zero stays there
        rate = rows * config.l1 * trainer._weight_mask
        ops += [(np.sign, (theta, buffer)), (np.multiply, (buffer, rate, buffer)), (np.subtract, (step, buffer, step))]
    if config.l2 > 0:
        rate = rows * config.l2 * trainer._weight_mask
        ops += [(np.multiply, (theta, rate, buffer)), (np.subtract, (step, buffer, step))]
    return ops


def blog_config() -> TrainConfig:
    """The blog's run: 3-4-1 sigmoid, no biases, full batch, lr 1, seed 1, 60,000 epochs."""
    return TrainConfig()


class Diverged(ArithmeticError):
    """Weights or loss stopped being finite; `epoch` is the first bad one."""

    def __init__(self, epoch: int, what: str):
        self.epoch = epoch
        super().__init__(f"training diverged at epoch {epoch:,}: {what} no longer finite")


class _Step:
    """One gradient step over the rows of x (n_rows, n_in) with targets y, as NumPy calls on fixed buffers.

    Weight layer l takes inputs a_in (n_rows, n_in) through weights w (n_in, n_out) and biases
    b (n_out,): z = a_in @ w + b is computed in a (n_rows, n_out), then a = f(z) in place. Its
    slope f'(z) and delta -dE/dz have the shape of a; step_w and step_b are views into the
    trainer's step vector. The calls are listed once, here, so that an epoch is one Python loop
    over prepared calls that allocates nothing (products are bound ndarray.dot methods, which
    skip np.dot's dispatch).
    """

    def __init__(self, trainer: "Trainer", x: np.ndarray, y: np.ndarray, fixed_rows: bool = True):
        self.x, self.y = x, y  # the training rows, or buffers that shuffled mini-batches fill (fixed_rows False)
        names, w, b = trainer.arch.activations, trainer.weights, trainer.biases
        acts = [x] + [np.empty((len(x), n)) for n in trainer.arch.layers[1:]]
        slopes = [None] + [np.empty_like(a) for a in acts[1:]]
        deltas = [None] + [np.empty_like(a) for a in acts[1:]]
        self.output = acts[-1]  # (n_rows, n_out)
        self.error = np.empty_like(self.output)  # target - output
        self.forward: list[activations.Op] = []  # fills every layer's a, then the error
        for i, name in enumerate(names):
            if i == 0 and name == "sigmoid" and fixed_rows:
                self.forward += self._negated_sigmoid_layer(x, w[0], b[0], acts[1])
                continue
            self.forward.append((acts[i].dot, (w[i], acts[i + 1])))
            if b[i] is not None:
                self.forward.append((np.add, (acts[i + 1], b[i], acts[i + 1])))
            self.forward += activations.forward_ops(name, acts[i + 1])
        self.forward.append((np.subtract, (y, self.output, self.error)))
        # Backprop from the error, top layer first, through the weights as they were before this
        # step: theta changes only in the last call.
        top = len(w) - 1
        self.update = activations.slope_ops(names[top], acts[top + 1], slopes[top + 1])
        self.update.append((np.multiply, (self.error, slopes[top + 1], deltas[top + 1])))
        for i in reversed(range(len(w))):
            self.update.append((acts[i].T.dot, (deltas[i + 1], trainer._step_w[i])))
            if b[i] is not None:
                self.update.append((np.add.reduce, (deltas[i + 1], 0, None, trainer._step_b[i])))
            if i > 0:
                self.update.append((deltas[i + 1].dot, (w[i].T, deltas[i])))
                self.update += activations.slope_ops(names[i - 1], acts[i], slopes[i])
                self.update.append((np.multiply, (deltas[i], slopes[i], deltas[i])))
        self.update += _penalty_ops(trainer, len(x))
        if trainer.config.lr != 1.0:
            self.update.append((np.multiply, (trainer._step, np.array(trainer.config.lr), trainer._step)))
        self.update.append((np.add, (trainer.theta, trainer._step, trainer.theta)))

    @staticmethod
    def _negated_sigmoid_layer(x, w, b, a) -> list[activations.Op]:
        """A first sigmoid layer over rows that never change, one call shorter: sigmoid starts by
        negating z, and -(x @ w + b) == (-x) @ w - b exactly (rounding is symmetric in sign)."""
        ops = [(np.negative(x).dot, (w, a))]
        if b is not None:
            ops.append((np.subtract, (a, b, a)))
        return ops + activations.sigmoid_of_negated_ops(a)


TINY = np.finfo(np.float64).tiny
BLOCK_BYTES, BLOCK_EPOCHS = 2**20, 1024  # run() hands epochs to the history in blocks of at most these


class Trainer:
    """Owns theta and the loop. `epoch` counts the updates already applied to theta."""

    def __init__(self, config: TrainConfig, dataset: data.Dataset, test: data.Dataset | None = None):
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
        # One step's change of theta, laid out like theta, so that theta takes it in one addition.
        self._step = np.zeros_like(self.theta)
        self._step_w, self._step_b = arch.views(self._step)
        if config.regularised:
            self._penalty_buffer = np.empty_like(self.theta)
            self._weight_mask = np.zeros_like(self.theta)  # 1 where theta holds a weight, 0 at a bias
            self._weight_mask[arch.weight_index()] = 1.0
        self._all = _Step(self, self.x, self.y)  # full-batch steps, and the forward pass that records an epoch
        # Rows held out of training: a forward pass over them records each epoch's test loss.
        self.test = test if test is not None and len(test) else None
        self._test = None if self.test is None else _Step(self, self.test.inputs, self.test.targets)
        self._loss_sum, self._loss_count = self._loss_measure(self._all, len(self.x))
        self._test_loss_sum, self._test_loss_count = (
            (None, 1) if self._test is None else self._loss_measure(self._test, len(self.test.inputs))
        )
        self._full = config.batch is None or config.batch >= len(self.x)
        k = config.batch
        if self._full:
            self._in_order = []
        else:  # mini-batches in the data's order are fixed slices of it; shuffled ones are filled per step
            self._in_order = [_Step(self, self.x[i : i + k], self.y[i : i + k]) for i in range(0, len(self.x), k)]
        self._shuffled: dict[int, _Step] = {}  # by rows per batch
        # Epochs in run() go to a block first: the history takes them, checked, a block at a time.
        rows = max(1, min(BLOCK_EPOCHS, BLOCK_BYTES // (8 * arch.n_params)))
        self._thetas, self._losses = np.empty((rows, arch.n_params)), np.empty(rows)
        self._test_losses = np.empty(rows) if self._test is not None else None
        self._test_cells = (
            None if self._test is None else [self._test_losses[i : i + 1].reshape(()) for i in range(rows)]
        )
        # Views of each row and each loss (0-d), made once: writing through them costs less per epoch.
        self._theta_rows = list(self._thetas)
        self._loss_cells = [self._losses[i : i + 1].reshape(()) for i in range(rows)]
        self.interrupt = False  # set from another thread to end run() after the current epoch

    def _loss_measure(self, step: "_Step", n_rows: int):
        """(a call that writes the summed loss of step's rows into a 0-d array, the count that makes it a mean)."""
        error = step.error.reshape(-1)
        if self.arch.activations[-1] != "softmax":
            return partial(error.dot, error), error.size  # squared error over every output
        p, y = step.output, step.y.reshape(-1)
        surprise = np.empty_like(p)  # -log(p) = log(1 / p) of every output
        flat = surprise.reshape(-1)

        def cross_entropy(out: np.ndarray) -> None:
            # The floor keeps log finite where a class's output underflowed to 0 (0 * log 0 counts 0).
            np.maximum(p, TINY, out=surprise)
            np.reciprocal(surprise, out=surprise)
            np.log(surprise, out=surprise)
            y.dot(flat, out)  # the targets' weighted sum, written into out as the squared error's is

        return cross_entropy, n_rows

    def reset(self) -> None:
        self.theta[:] = self.arch.init_params(self.config.seed, self.config.init)
        self.epoch = 0

    def set_state(self, theta: np.ndarray, epoch: int) -> None:
        self.theta[:] = theta
        self.epoch = epoch

    def _epoch(self) -> None:
        """Apply one epoch's updates; the full-batch forward pass must be current for full batches."""
        if self._full:
            activations.run(self._all.update)
        elif self.config.order == "in-order":
            for step in self._in_order:
                activations.run(step.forward)
                activations.run(step.update)
        else:
            self._shuffled_epoch(self.epoch)

    def _shuffled_epoch(self, epoch: int) -> None:
        """Steps over the rows in an order fixed by (seed, epoch), so that replay needs no RNG state."""
        n, k = len(self.x), self.config.batch
        order = np.random.default_rng((self.config.seed, epoch)).permutation(n)
        for start in range(0, n, k):
            rows = order[start : start + k]
            if len(rows) not in self._shuffled:
                x, y = np.empty((len(rows), self.x.shape[1])), np.empty((len(rows), self.y.shape[1]))
                self._shuffled[len(rows)] = _Step(self, x, y, fixed_rows=False)
            step = self._shuffled[len(rows)]
            np.take(self.x, rows, axis=0, out=step.x)
            np.take(self.y, rows, axis=0, out=step.y)
            activations.run(step.forward)
            activations.run(step.update)

    def evaluate(self) -> tuple[np.ndarray, float]:
        """Outputs for every training row (n_rows, n_out) and the loss (see the module note), at theta.

        The same calls as training's record of an epoch, so a replayed loss equals the recorded one.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            activations.run(self._all.forward)
            total = np.empty(())
            self._loss_sum(total)
            return self._all.output.copy(), float(total / self._loss_count)

    def test_loss(self) -> float:
        """The loss over the test rows at theta (nan without test rows), as run() records it."""
        if self._test is None:
            return math.nan
        with np.errstate(over="ignore", invalid="ignore"):
            activations.run(self._test.forward)
            total = np.empty(())
            self._test_loss_sum(total)
            return float(total / self._test_loss_count)

    def advance(self, n: int) -> None:
        """Apply n epochs without recording (used to replay history from a keyframe)."""
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(n):
                if self._full:
                    activations.run(self._all.forward)
                self._epoch()
                self.epoch += 1

    def run(self, history, until: int) -> None:
        """Train up to epoch `until`, appending every epoch to history; stops early on interrupt.

        Raises Diverged at the first epoch whose weights or loss are not finite; the history
        then ends at the epoch before it.
        """
        theta, loss_sum, rows, cells = self.theta, self._loss_sum, self._theta_rows, self._loss_cells
        # One list of calls per full-batch epoch: the update, then the forward pass that records it.
        full_epoch = self._all.update + self._all.forward if self._full else None
        # With test rows, each epoch also runs their forward pass and records its sum of squares.
        test_forward = [] if self._test is None else self._test.forward
        test_loss_sum = self._test_loss_sum
        test_cells = self._test_cells
        with np.errstate(over="ignore", invalid="ignore"):
            activations.run(self._all.forward)  # the update of the next epoch starts from it
            if len(history) == self.epoch:  # a new run, or a segment's first epoch: record where training starts
                rows[0][...] = theta
                loss_sum(cells[0])
                if test_loss_sum is not None:
                    activations.run(test_forward)
                    test_loss_sum(test_cells[0])
                self._hand_over(history, 1)
            while self.epoch < until and not self.interrupt:
                count, n = min(len(rows), until - self.epoch), 0
                while n < count and not self.interrupt:
                    if full_epoch is not None:
                        for function, arguments in full_epoch:
                            function(*arguments)
                    else:
                        self._epoch()
                        activations.run(self._all.forward)
                    self.epoch += 1
                    rows[n][...] = theta
                    loss_sum(cells[n])  # the sum over rows, divided by their count per block
                    if test_loss_sum is not None:
                        for function, arguments in test_forward:
                            function(*arguments)
                        test_loss_sum(test_cells[n])
                    n += 1
                self._hand_over(history, n)

    def _hand_over(self, history, n: int) -> None:
        """Give the history the last n epochs from the block, up to the first that is not finite.

        A non-finite value anywhere in a row makes its sum non-finite, so one sum per epoch finds
        every suspect; only those are checked element by element (a finite sum may overflow).
        """
        thetas, losses = self._thetas[:n], self._losses[:n]
        losses /= self._loss_count
        if self._test is not None:
            self._test_losses[:n] /= self._test_loss_count
        first = self.epoch - n + 1  # the epoch of row 0
        for row in np.flatnonzero(~np.isfinite(losses + thetas.sum(axis=1))):
            what = "the loss is" if not np.isfinite(losses[row]) else None
            if what is None and not np.isfinite(thetas[row]).all():
                what = "the weights are"
            if what is not None:
                history.extend(thetas[:row], losses[:row], self._block_test_losses(row))
                self.set_state(thetas[row], first + row)
                raise Diverged(self.epoch, what)
        history.extend(thetas, losses, self._block_test_losses(n))

    def _block_test_losses(self, n: int) -> np.ndarray | None:
        return None if self._test is None else self._test_losses[:n]
