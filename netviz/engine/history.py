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
        self._frames = np.empty((min(1024, self._frame_capacity), n_params))  # frame j = epoch j*stride
        self._n_frames = 0
        self.stride = 1
        self._loss = np.empty(4096)
        self._n = 0
        self._latest = np.empty(n_params)
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
        return self._frames.nbytes + self._loss.nbytes + self._latest.nbytes

    def extend(self, thetas: np.ndarray, losses: np.ndarray) -> None:
        """Record the next len(losses) epochs: theta (k, n_params) and loss (k,) of each (copied)."""
        k, e0 = len(losses), self._n
        if k == 0:
            return
        if e0 + k > len(self._loss):
            with self._lock:
                self._loss = np.concatenate([self._loss, np.empty(max(len(self._loss), k))])
        self._loss[e0 : e0 + k] = losses
        e = e0  # the next epoch to consider as a keyframe
        while True:
            key = -(-e // self.stride) * self.stride  # the first keyframe epoch from e on
            if key >= e0 + k:
                break
            j = key // self.stride
            if j == self._frame_capacity:
                self._thin()
                continue
            count = min((e0 + k - 1 - key) // self.stride + 1, self._frame_capacity - j)
            if j + count > len(self._frames):
                self._grow_frames(j + count)
            self._frames[j : j + count] = thetas[key - e0 : key - e0 + (count - 1) * self.stride + 1 : self.stride]
            self._n_frames = j + count
            e = key + (count - 1) * self.stride + 1
        with self._lock:
            self._latest[:] = thetas[-1]
            self._n = e0 + k

    def _grow_frames(self, at_least: int) -> None:
        size = max(at_least, min(2 * len(self._frames), self._frame_capacity))
        new = np.empty((size, self._frames.shape[1]))
        new[: self._n_frames] = self._frames[: self._n_frames]
        with self._lock:
            self._frames = new

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
            if epoch == self._n - 1:
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
        """Outputs for every training row (n_rows, n_out) at `epoch`, computed from its weights."""
        return self.config.arch.forward(self.weights_at(epoch), self.dataset.inputs)[-1]
