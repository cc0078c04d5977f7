"""One learning step, in stages: the forward pass, the error, the deltas and the weight update.

`learn_step(history, epoch)` takes a trained run to epoch N + 1 the way training does, keeping
what training throws away: every layer's activations a, the error at the outputs, each neuron's
delta (-dE/dz, (rows, n_out)), and each layer's change of weights Δw (n_in, n_out) and of
biases Δb (n_out,). The calls are those of training (its _Step), in the same order on arrays of
the same layout, so that w(N) + Δw == w(N + 1) bit for bit.

An epoch of mini-batches is several steps: each step's Δw is computed at the weights the
previous one left, and adding them in order reproduces training exactly. The epoch's Δw is then
its net change w(N + 1) - w(N); `steps` keeps every step's own numbers.
"""

from dataclasses import dataclass

import numpy as np

from netviz.engine import activations
from netviz.engine.network import Architecture
from netviz.engine.segments import describe


@dataclass(frozen=True, eq=False)
class Step:
    """One gradient step over some training rows, at the weights `theta` it starts from.

    activations[l] is layer l's a (n_rows, n_l), inputs first; error is target - output
    (n_rows, n_out); deltas[i] is -dE/dz of weight layer i's outputs (n_rows, n_out of layer i);
    delta_w[i] (n_in, n_out) and delta_b[i] (n_out,) or None are the step's change of weight layer i.
    """

    rows: np.ndarray  # indices of the training rows in this step, in the order trained
    theta: np.ndarray  # parameters before the step (n_params,)
    theta_after: np.ndarray  # parameters after it
    activations: list[np.ndarray]
    error: np.ndarray
    deltas: list[np.ndarray]
    delta_w: list[np.ndarray]
    delta_b: list[np.ndarray | None]


@dataclass(frozen=True, eq=False)
class LearnStep:
    """Epoch N -> N + 1 of a run: its steps, and the weights before and after."""

    epoch: int
    arch: Architecture
    lr: float
    steps: list[Step]
    row: int | None  # the training row being looked at, or None for the whole batch
    penalty: tuple[float, float] = (0.0, 0.0)  # (l1, l2): rates of the weights' penalty, per row of a step
    change: str = ""  # the edit that began the step's segment ("epoch 10: learning rate 1 → 2"), "" for none

    @property
    def theta(self) -> np.ndarray:
        return self.steps[0].theta

    @property
    def theta_after(self) -> np.ndarray:
        return self.steps[-1].theta_after

    @property
    def step(self) -> Step:
        """The step shown: the one that trained `row`, else the epoch's only (or first) step."""
        if self.row is None:
            return self.steps[0]
        return next(s for s in self.steps if self.row in s.rows)

    @property
    def row_index(self) -> int | None:
        """Position of `row` among the shown step's rows."""
        return None if self.row is None else int(np.flatnonzero(self.step.rows == self.row)[0])

    def weights(self) -> list[np.ndarray]:
        """Weights (n_in, n_out) of each layer at epoch N."""
        return self.arch.views(self.theta)[0]

    def biases(self) -> list[np.ndarray | None]:
        return self.arch.views(self.theta)[1]

    def delta_w(self) -> list[np.ndarray]:
        """Each layer's Δw (n_in, n_out) of the epoch: the step's own, or the net change of several."""
        if len(self.steps) == 1:
            return self.steps[0].delta_w
        return [b - a for a, b in zip(self.weights(), self.arch.views(self.theta_after)[0])]

    def delta_b(self) -> list[np.ndarray | None]:
        if len(self.steps) == 1:
            return self.steps[0].delta_b
        before, after = self.arch.views(self.theta)[1], self.arch.views(self.theta_after)[1]
        return [None if a is None else b - a for a, b in zip(before, after)]

    def shares(self, layer: int, rows=slice(None)) -> np.ndarray:
        """Each of the shown step's `rows`' part of its Δw of a weight layer: lr * a_i * δ_j, (n_rows, n_in, n_out)."""
        step = self.step
        return self.lr * step.activations[layer][rows, :, None] * step.deltas[layer][rows, None, :]

    def share_sum(self, layer: int) -> np.ndarray:
        """The shown rows' shares of a weight layer's Δw, summed (n_in, n_out): all of Δw for the whole batch
        (up to rounding), the chosen row's part for one row. (A product, not a (rows, n_in, n_out) array.)"""
        step, rows = self.step, self.shown_rows()
        return self.lr * step.activations[layer][rows].T.dot(step.deltas[layer][rows])

    def shown_rows(self) -> slice:
        """Which of the shown step's rows to show: the chosen one, or all."""
        i = self.row_index
        return slice(None) if i is None else slice(i, i + 1)


def row_name(row: int) -> str:
    """A training row as people count them (and the app's table shows them): the first is row 1."""
    return f"row {row + 1}"


def _weight_change(a_in: np.ndarray, delta: np.ndarray, lr: float, w: np.ndarray, penalty: tuple) -> np.ndarray:
    """lr * (a_in.T @ delta - k * (l1 * sign(w) + l2 * w)): the change of a weight layer, as training
    computes it, penalty = (l1, l2) for the step's k rows; the same calls in the same order."""
    step = a_in.T.dot(delta)
    l1, l2 = penalty
    rows = len(a_in)
    if l1 > 0:  # sign(0) = 0: a weight at zero stays there
        np.subtract(step, np.sign(w) * (rows * l1), step)
    if l2 > 0:
        np.subtract(step, w * (rows * l2), step)
    if lr != 1.0:
        np.multiply(step, np.array(lr), step)
    return step


def _bias_change(delta: np.ndarray, lr: float) -> np.ndarray:
    step = np.add.reduce(delta, 0)
    if lr != 1.0:
        np.multiply(step, np.array(lr), step)
    return step


def gradient_step(arch: Architecture, lr: float, theta: np.ndarray, x: np.ndarray, y: np.ndarray, rows,
                  penalty: tuple = (0.0, 0.0)) -> Step:  # fmt: skip
    """One step over inputs x (n_rows, n_in) with targets y, from theta, keeping every stage;
    penalty = (l1, l2), the rates of the weights' penalty."""
    weights, _ = arch.views(theta)
    with np.errstate(over="ignore", invalid="ignore"):
        acts = arch.forward(theta, x)
        error = np.subtract(y, acts[-1])
        deltas: list[np.ndarray] = [np.empty(0)] * len(weights)
        top = len(weights) - 1
        slope = np.empty_like(acts[-1])
        activations.run(activations.slope_ops(arch.activations[top], acts[-1], slope))
        deltas[top] = np.multiply(error, slope)
        for i in range(top, 0, -1):
            back = deltas[i].dot(weights[i].T)
            slope = np.empty_like(acts[i])
            activations.run(activations.slope_ops(arch.activations[i - 1], acts[i], slope))
            deltas[i - 1] = np.multiply(back, slope, back)
        delta_w = [_weight_change(acts[i], deltas[i], lr, weights[i], penalty) for i in range(len(weights))]
        delta_b = [_bias_change(deltas[i], lr) if arch.bias else None for i in range(len(weights))]
    change = np.empty_like(theta)
    change_w, change_b = arch.views(change)
    for i in range(len(weights)):
        change_w[i][...] = delta_w[i]
        if arch.bias:
            change_b[i][...] = delta_b[i]
    theta_after = np.add(theta, change)
    return Step(np.asarray(rows), theta.copy(), theta_after, acts, error, deltas, delta_w, delta_b)


def epoch_batches(config, n_rows: int, epoch: int) -> list[np.ndarray]:
    """The training rows of each step of an epoch, in the order training takes them."""
    k = config.batch
    if k is None or k >= n_rows:
        return [np.arange(n_rows)]
    if config.order == "in-order":
        order = np.arange(n_rows)
    else:  # the same permutation as training's shuffled epoch
        order = np.random.default_rng((config.seed, epoch)).permutation(n_rows)
    return [order[start : start + k] for start in range(0, n_rows, k)]


def learn_step(history, epoch: int, row: int | None = None) -> LearnStep:
    """Epoch `epoch` -> epoch + 1 of a trained run's history, in stages; `row` picks a training row to show.

    Raises ValueError (one line) for an epoch outside the history or a row outside the data.
    """
    if not 0 <= epoch <= history.latest_epoch:
        raise ValueError(f"epoch {epoch} is not in the run (0..{history.latest_epoch:,})")
    segment = history.segment_at(epoch)  # the settings and rows this step trained under
    config, dataset = segment.config, segment.dataset
    if len(dataset) == 0:
        raise ValueError("the run has no training rows to learn from")
    if row is not None and not 0 <= row < len(dataset):
        raise ValueError(f"row {row} is not in the data (0..{len(dataset) - 1})")
    theta = history.weights_at(epoch)
    steps = []
    for rows in epoch_batches(config, len(dataset), epoch):
        x, y = _rows(dataset.inputs, rows), _rows(dataset.targets, rows)
        steps.append(gradient_step(config.arch, config.lr, theta, x, y, rows, (config.l1, config.l2)))
        theta = steps[-1].theta_after
    change = f"epoch {segment.start:,}: {describe(segment.edit)}" if segment.edit else ""
    return LearnStep(epoch, config.arch, config.lr, steps, row, (config.l1, config.l2), change)


def _rows(array: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The rows as training reads them: all of them as they are, a run of them as a slice, else a copy."""
    if len(rows) == len(array) and (rows == np.arange(len(array))).all():
        return array
    if len(rows) and (np.diff(rows) == 1).all():
        return array[rows[0] : rows[-1] + 1]
    return np.take(array, rows, axis=0)
