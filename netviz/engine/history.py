"""Every epoch of a run, reachable exactly, in bounded memory.

Weights are kept for every epoch while they fit their share of the budget; past that the
stride between stored epochs doubles (every other one is dropped), and an epoch in between
is rebuilt by replaying training from the keyframe before it, which is exact because
training is deterministic. The loss is kept exactly for every epoch while it fits its
share; beyond that, per bucket of epochs, as its minimum and maximum (enough to draw the
curve), and an exact value is recomputed from the weights when asked for. Outputs per
training row are always recomputed from the weights.

Storage is reserved once, at the budget's size: the operating system provides the pages as
epochs are written, so memory grows with the run and never holds two copies of an array.

One thread extends (the trainer); any thread may read.
"""

import threading

import numpy as np

from netviz.engine.data import Dataset
from netviz.engine.training import TrainConfig, Trainer

DEFAULT_BUDGET = 256 * 2**20
_WEIGHT_SHARE = 0.8  # the rest of the budget is for the loss
_MAX_BUCKETS = 2**16  # min/max pairs of the loss beyond its exact part (1 MiB)
_THIN_ROWS = 4096  # keyframes moved at a time when thinning, so no copy of them all is made


class Loss:
    """The loss of every epoch 0..latest (mean squared error), read like a 1-D float64 array.

    Values are exact: stored, or (past history.loss_exact_until) recomputed from the weights,
    which costs a replay. To draw a long run, use history.loss_buckets() for that part.
    """

    def __init__(self, history: "History", n: int):
        self._history, self._n = history, n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._n)
            return self._history.losses(start, max(start, stop))[::step]
        epoch = int(index) + (self._n if int(index) < 0 else 0)
        if not 0 <= epoch < self._n:
            raise IndexError(f"epoch {int(index)} is not in the history (0..{self._n - 1})")
        return self._history.loss_at(epoch)

    def __array__(self, dtype=None, copy=None):
        values = self._history.losses(0, self._n)
        return values if dtype is None else values.astype(dtype)


class History:
    """Epochs 0..latest of one run: weights_at(e), outputs_at(e), loss (every epoch)."""

    def __init__(self, config: TrainConfig, dataset: Dataset, budget_bytes: int = DEFAULT_BUDGET):
        self.config, self.dataset, self.budget_bytes = config, dataset, budget_bytes
        n_params = config.arch.n_params
        self._frame_capacity = max(2, int(budget_bytes * _WEIGHT_SHARE) // (8 * n_params))
        self._frame_capacity -= self._frame_capacity % 2
        self._frames = np.empty((self._frame_capacity, n_params))  # frame j = theta at epoch j*stride
        self._n_frames = 0
        self._frames_written = 0  # rows ever written: their memory stays with the process after thinning
        self.stride = 1
        loss_bytes = max(64, budget_bytes - self._frame_capacity * 8 * n_params - 8 * n_params)
        n_buckets = int(min(_MAX_BUCKETS, max(2, loss_bytes // 64)))  # a quarter of the loss share at most
        n_buckets -= n_buckets % 2  # merging takes them in pairs
        self.loss_exact_until = max(1, (loss_bytes - 16 * n_buckets) // 8)  # epochs whose loss is stored exactly
        self._loss = np.empty(self.loss_exact_until)
        self._bucket_width = 1  # epochs per bucket, a power of two
        self._bucket_min = np.full(n_buckets, np.inf)  # bucket i: epochs loss_exact_until + i*width onwards
        self._bucket_max = np.full(n_buckets, -np.inf)
        self._n = 0
        self._latest = np.empty(n_params)  # theta at the latest epoch
        self._lock = threading.Lock()  # guards thinning and merging against readers
        self._replayer: Trainer | None = None
        self._replay_lock = threading.Lock()

    @classmethod
    def restored(cls, config, dataset, loss: np.ndarray, keyframes: np.ndarray, latest: np.ndarray, stride: int):
        """A history holding saved keyframes (theta every `stride` epochs) and the loss of every epoch."""
        history = cls(config, dataset)
        while len(keyframes) > history._frame_capacity:  # a smaller budget than the one that saved: thin out
            keyframes, stride = keyframes[::2], stride * 2
        history._frames[: len(keyframes)] = keyframes
        history._n_frames = history._frames_written = len(keyframes)
        history.stride = stride
        history._store_losses(0, loss)
        history._latest[:] = latest
        history._n = len(loss)
        return history

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        return f"History({self.config.arch!r}, epochs 0..{self.latest_epoch:,}, stride {self.stride})"

    @property
    def latest_epoch(self) -> int:
        """The last recorded epoch, or -1 before the first."""
        return self._n - 1

    @property
    def loss(self) -> Loss:
        """Mean squared error of every recorded epoch, (latest_epoch + 1,), read like an array."""
        return Loss(self, self._n)

    def nbytes(self) -> int:
        """Bytes of memory the history occupies: every keyframe row and exact loss written so far,
        the loss buckets and the latest theta."""
        row = self._frames.shape[1] * 8
        exact = min(self._n, self.loss_exact_until) * 8
        return self._frames_written * row + exact + self._bucket_min.nbytes + self._bucket_max.nbytes + row

    def extend(self, thetas: np.ndarray, losses: np.ndarray) -> None:
        """Record the next len(losses) epochs: theta (k, n_params) and loss (k,) of each (copied)."""
        k, e0 = len(losses), self._n
        if k == 0:
            return
        self._store_losses(e0, losses)
        e = e0  # the first epoch not yet considered as a keyframe
        while True:
            key = -(-e // self.stride) * self.stride  # the first keyframe epoch from e on
            if key >= e0 + k:
                break
            j = key // self.stride
            if j == self._frame_capacity:
                self._thin()
                continue
            count = min((e0 + k - 1 - key) // self.stride + 1, self._frame_capacity - j)
            self._frames[j : j + count] = thetas[key - e0 : key - e0 + (count - 1) * self.stride + 1 : self.stride]
            self._n_frames = j + count
            self._frames_written = max(self._frames_written, self._n_frames)
            e = key + (count - 1) * self.stride + 1
        with self._lock:
            self._latest[:] = thetas[-1]
            self._n = e0 + k

    def _store_losses(self, e0: int, losses: np.ndarray) -> None:
        """Losses of epochs e0.. : exactly below loss_exact_until, into min/max buckets from there."""
        exact = max(0, min(len(losses), self.loss_exact_until - e0))
        self._loss[e0 : e0 + exact] = losses[:exact]
        if exact == len(losses):
            return
        r0, rest = e0 + exact - self.loss_exact_until, losses[exact:]  # r0: position past the exact part
        while (r0 + len(rest) - 1) // self._bucket_width >= len(self._bucket_min):
            self._merge_buckets()
        width = self._bucket_width
        starts = np.arange((-r0) % width, len(rest), width)  # where a bucket begins inside rest
        if len(starts) == 0 or starts[0] != 0:
            starts = np.concatenate([[0], starts])
        buckets = (r0 + starts) // width
        self._bucket_min[buckets] = np.minimum(self._bucket_min[buckets], np.minimum.reduceat(rest, starts))
        self._bucket_max[buckets] = np.maximum(self._bucket_max[buckets], np.maximum.reduceat(rest, starts))

    def _merge_buckets(self) -> None:
        """Twice as many epochs per bucket: each pair of buckets becomes one."""
        with self._lock:
            for ends, pick, unused in ((self._bucket_min, np.minimum, np.inf), (self._bucket_max, np.maximum, -np.inf)):
                merged = pick(ends[0::2], ends[1::2])
                ends[: len(merged)] = merged
                ends[len(merged) :] = unused
            self._bucket_width *= 2

    def _thin(self) -> None:
        """Drop every other keyframe and double the stride (memory stays within the budget)."""
        with self._lock:
            kept = (self._n_frames + 1) // 2
            for i in range(0, kept, _THIN_ROWS):
                end = min(kept, i + _THIN_ROWS)
                self._frames[i:end] = self._frames[2 * i : 2 * end : 2]
            self._n_frames = kept
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
        with self._replay_lock:
            return self._replay_to(key, key_epoch, epoch).theta.copy()

    def _replay_to(self, theta: np.ndarray, from_epoch: int, to_epoch: int) -> Trainer:
        """The replaying trainer at to_epoch (hold _replay_lock while using it)."""
        if self._replayer is None:
            self._replayer = Trainer(self.config, self.dataset)
        r = self._replayer
        # Continue from the last rebuild when it lies between the keyframe and the target.
        if not from_epoch <= r.epoch <= to_epoch:
            r.set_state(theta, from_epoch)
        r.advance(to_epoch - r.epoch)
        return r

    def loss_at(self, epoch: int) -> float:
        """The loss at `epoch`: stored, or recomputed from its weights (bit-identical to training's)."""
        if epoch < min(self._n, self.loss_exact_until):
            return float(self._loss[epoch])
        return float(self.losses(epoch, epoch + 1)[0])

    def losses(self, start: int, stop: int) -> np.ndarray:
        """The loss of epochs start..stop-1: a read-only view of stored values, or a new array when some lie
        past loss_exact_until (those are replayed in one pass)."""
        start, stop = max(0, start), min(stop, self._n)
        if stop <= start:
            return np.empty(0)
        stored = self._loss[start : max(start, min(stop, self.loss_exact_until))]
        first = start + len(stored)
        if first == stop:  # stored values never change: a view is safe to keep
            view = stored.view()
            view.flags.writeable = False
            return view
        replayed = np.empty(stop - first)
        theta = self.weights_at(first)
        with self._replay_lock:
            r = self._replay_to(theta, first, first)
            for i in range(len(replayed)):
                replayed[i] = r.evaluate()[1]
                r.advance(1)
        return np.concatenate([stored, replayed])

    def loss_buckets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first epochs, minima, maxima) of the loss per bucket of epochs past loss_exact_until (copies)."""
        with self._lock:
            past = max(0, self._n - self.loss_exact_until)
            count = -(-past // self._bucket_width)
            firsts = self.loss_exact_until + np.arange(count) * self._bucket_width
            return firsts, self._bucket_min[:count].copy(), self._bucket_max[:count].copy()

    def outputs_at(self, epoch: int) -> np.ndarray:
        """Outputs for every training row (n_rows, n_out) at `epoch`, computed from its weights."""
        return self.config.arch.forward(self.weights_at(epoch), self.dataset.inputs)[-1]
