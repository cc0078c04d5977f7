"""Every epoch of a run, reachable exactly, in bounded memory.

Loss is kept for every epoch. Weights are kept for every epoch while they fit the
budget; past that the stride between stored epochs doubles (every other one is dropped),
and an epoch in between is rebuilt by replaying training from the keyframe before it,
which is exact because training is deterministic. Outputs per training row are kept
while they fit their share of the budget and recomputed from the weights after that.

One thread appends (the trainer); any thread may read.
"""

import threading

import numpy as np

from netviz.engine.data import Dataset
from netviz.engine.training import TrainConfig, Trainer

DEFAULT_BUDGET = 256 * 2**20
_WEIGHT_SHARE, _OUTPUT_SHARE = 0.7, 0.2  # the rest of the budget is for the loss curve


class History:
    """Epochs 0..latest of one run: weights_at(e), outputs_at(e), loss (every epoch)."""

    def __init__(self, config: TrainConfig, dataset: Dataset, budget_bytes: int = DEFAULT_BUDGET):
        self.config, self.dataset, self.budget_bytes = config, dataset, budget_bytes
        n_params = config.arch.n_params
        self._frame_capacity = max(2, int(budget_bytes * _WEIGHT_SHARE) // (8 * n_params))
        self._frame_capacity -= self._frame_capacity % 2
        self._output_capacity = int(budget_bytes * _OUTPUT_SHARE) // (8 * dataset.targets.size)
        self._frames = np.empty((min(1024, self._frame_capacity), n_params))  # frame j = epoch j*stride
        self._n_frames = 0
        self.stride = 1
        self._outputs = np.empty((min(1024, self._output_capacity), *dataset.targets.shape))
        self._n_outputs = 0
        self._loss = np.empty(4096)
        self._n = 0
        self._latest = np.empty(n_params)
        self._simple_until = 0  # append() may store epochs below this without growing or thinning anything
        self._lock = threading.Lock()  # guards thinning and growth against readers
        self._replayer: Trainer | None = None
        self._replay_lock = threading.Lock()

    def __len__(self) -> int:
        return self._n

    @property
    def latest_epoch(self) -> int:
        """The last recorded epoch, or -1 before the first."""
        return self._n - 1

    @property
    def loss(self) -> np.ndarray:
        """Mean squared error of every recorded epoch, shape (latest_epoch + 1,)."""
        return self._loss[: self._n]

    def nbytes(self) -> int:
        return self._frames.nbytes + self._outputs.nbytes + self._loss.nbytes + self._latest.nbytes

    def append(self, theta: np.ndarray, outputs: np.ndarray, loss: float) -> None:
        """Record the next epoch (copies theta and outputs)."""
        e = self._n
        if e < self._simple_until:  # the hot path while every epoch is stored: three copies, no decisions
            self._loss[e] = loss
            self._outputs[e] = outputs
            self._frames[e] = theta
            self._n_outputs = self._n_frames = self._n = e + 1
            return
        self._append_slowly(e, theta, outputs, loss)
        self._simple_until = min(len(self._loss), len(self._outputs), len(self._frames)) if self.stride == 1 else 0

    def _append_slowly(self, e: int, theta: np.ndarray, outputs: np.ndarray, loss: float) -> None:
        """append() when an array must grow, keyframes thin out, or not everything is stored any more."""
        if e == len(self._loss):
            with self._lock:
                self._loss = np.concatenate([self._loss, np.empty(len(self._loss))])
        self._loss[e] = loss
        if e < self._output_capacity:
            if e == len(self._outputs):
                self._grow_outputs()
            self._outputs[e] = outputs
            self._n_outputs = e + 1
        if e % self.stride == 0:
            j = e // self.stride
            if j == self._frame_capacity:
                self._thin()
                j = e // self.stride
            if e % self.stride == 0:
                if j == len(self._frames):
                    self._grow_frames()
                self._frames[j] = theta
                self._n_frames = j + 1
                self._n = e + 1
                return
        with self._lock:
            self._latest[:] = theta
            self._n = e + 1

    def _grow_frames(self) -> None:
        new = np.empty((min(2 * len(self._frames), self._frame_capacity), self._frames.shape[1]))
        new[: self._n_frames] = self._frames[: self._n_frames]
        with self._lock:
            self._frames = new

    def _grow_outputs(self) -> None:
        new = np.empty((min(2 * len(self._outputs), self._output_capacity), *self._outputs.shape[1:]))
        new[: self._n_outputs] = self._outputs[: self._n_outputs]
        with self._lock:
            self._outputs = new

    def _thin(self) -> None:
        """Drop every other keyframe and double the stride (memory stays within the budget)."""
        with self._lock:
            kept = self._frames[: self._n_frames : 2].copy()
            self._frames[: len(kept)] = kept
            self._n_frames = len(kept)
            self.stride *= 2

    def keyframes(self) -> np.ndarray:
        """A copy of every stored theta (n_keyframes, n_params) plus the latest: a sample of the whole run."""
        with self._lock:
            frames = self._frames[: self._n_frames]
            return (
                np.vstack([frames, self._latest[None]])
                if self._n - 1 > (self._n_frames - 1) * self.stride
                else frames.copy()
            )

    def weights_at(self, epoch: int) -> np.ndarray:
        """theta (n_params,) after `epoch` epochs, exactly as training produced it (a copy)."""
        with self._lock:
            if not 0 <= epoch < self._n:
                raise IndexError(f"epoch {epoch} is not in the history (0..{self._n - 1})")
            if epoch == self._n - 1 and epoch % self.stride:
                return self._latest.copy()
            j = min(epoch // self.stride, self._n_frames - 1)
            key_epoch, key = j * self.stride, self._frames[j].copy()
        if key_epoch == epoch:
            return key
        return self._replay(key, key_epoch, epoch)

    def _replay(self, theta: np.ndarray, from_epoch: int, to_epoch: int) -> np.ndarray:
        with self._replay_lock:
            if self._replayer is None:
                self._replayer = Trainer(self.config, self.dataset)
            r = self._replayer
            # Continue from the last rebuild when it lies between the keyframe and the target.
            if not from_epoch <= r.epoch <= to_epoch:
                r.set_state(theta, from_epoch)
            r.advance(to_epoch - r.epoch)
            return r.theta.copy()

    def outputs_at(self, epoch: int) -> np.ndarray:
        """Outputs for every training row (n_rows, n_out) at `epoch`."""
        if epoch < self._n_outputs:
            with self._lock:
                return self._outputs[epoch].copy()
        return self.config.arch.forward(self.weights_at(epoch), self.dataset.inputs)[-1]
