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

A run is a sequence of segments (see Segment): a run edited mid-way (a setting, its rows, its
weights) starts a new segment at the edited epoch, dropping any later epochs, and every epoch
is replayed under the settings and rows of its own segment, from the keyframe or the segment's
start, whichever is later. So weights_at(e) is the run replayed with its edits from the start,
bit for bit.

One thread extends (the trainer); any thread may read.
"""

import bisect
import threading
from dataclasses import dataclass, field

import numpy as np

from netviz.engine.data import Dataset
from netviz.engine.training import TrainConfig, Trainer, loss_with_penalty

DEFAULT_BUDGET = 256 * 2**20
_WEIGHT_SHARE = 0.8  # the rest of the budget is for the loss
_MAX_BUCKETS = 2**16  # min/max pairs of the loss beyond its exact part (1 MiB)
_THIN_ROWS = 4096  # keyframes moved at a time when thinning, so no copy of them all is made


@dataclass(frozen=True, eq=False)
class Segment:
    """Epochs start.. of a run (up to the next segment's start), trained under one configuration on one set of rows.

    theta is the network at epoch `start` (n_params,), after the edit; None for a run's first
    segment, which starts from its configuration's initial weights. edit says what changed at
    start, as JSON values: {} for the first segment, else {"kind": "settings" | "weights" |
    "points" | "noise", ...} (netviz.engine.segments makes and describes them).
    """

    start: int
    config: TrainConfig
    dataset: Dataset  # the training rows
    test: Dataset | None = None  # rows held out of training, whose loss is recorded too
    theta: np.ndarray | None = field(default=None, repr=False)
    edit: dict = field(default_factory=dict)


class Loss:
    """The loss of every epoch 0..latest (mean squared error), read like a 1-D float64 array.

    Values are exact: stored, or (past history.loss_exact_until) recomputed from the weights,
    which costs a replay. To draw a long run, use history.loss_buckets() for that part.
    """

    def __init__(self, history: "History", n: int, test: bool = False):
        self._history, self._n = history, n
        self._losses = history.test_losses if test else history.losses

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._n)
            return self._losses(start, max(start, stop))[::step]
        epoch = int(index) + (self._n if int(index) < 0 else 0)
        if not 0 <= epoch < self._n:
            raise IndexError(f"epoch {int(index)} is not in the history (0..{self._n - 1})")
        return float(self._losses(epoch, epoch + 1)[0])

    def __array__(self, dtype=None, copy=None):
        values = self._losses(0, self._n)
        return values if dtype is None else values.astype(dtype)


class History:
    """Epochs 0..latest of one run: weights_at(e), outputs_at(e), loss and test_loss (every epoch), segments.

    With rates of regularisation, loss_with_penalty_at(e) is the objective that training minimised.
    """

    def __init__(
        self, config: TrainConfig, dataset: Dataset, budget_bytes: int = DEFAULT_BUDGET, test: Dataset | None = None
    ):
        self.budget_bytes = budget_bytes
        self.segments: list[Segment] = [Segment(0, config, dataset, test if test is not None and len(test) else None)]
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
        # Epochs whose loss (and test loss, when there are test rows) is stored exactly.
        series = 1 if self.test is None else 2  # the loss, and the test loss when there are test rows
        self.loss_exact_until = max(1, (loss_bytes - 16 * n_buckets * series) // (8 * series))
        self._loss = np.empty(self.loss_exact_until)
        # The test loss, exact and in buckets as the loss is, made by the first epoch with test rows; nan
        # for epochs without them (its buckets take the least and largest of the numbers: fmin, fmax).
        self._test_loss: np.ndarray | None = None
        self._test_buckets: tuple[np.ndarray, np.ndarray] | None = None
        self._bucket_width = 1  # epochs per bucket, a power of two
        self._bucket_min = np.full(n_buckets, np.inf)  # bucket i: epochs loss_exact_until + i*width onwards
        self._bucket_max = np.full(n_buckets, -np.inf)
        self._n = 0
        self._latest = np.empty(n_params)  # theta at the latest epoch
        self._lock = threading.Lock()  # guards thinning and merging against readers
        self._replayers: dict[int, Trainer] = {}  # by segment index
        self._replay_lock = threading.Lock()

    @property
    def config(self) -> TrainConfig:
        """The configuration training continues under: the last segment's."""
        return self.segments[-1].config

    @property
    def dataset(self) -> Dataset:
        """The training rows training continues on: the last segment's."""
        return self.segments[-1].dataset

    @property
    def test(self) -> Dataset | None:
        """The rows held out of training in the last segment, or None."""
        return self.segments[-1].test

    def segment_index(self, epoch: int) -> int:
        """The index in segments of the segment that trained `epoch`."""
        return bisect.bisect_right([s.start for s in self.segments], epoch) - 1

    def segment_at(self, epoch: int) -> Segment:
        """The segment whose settings and rows `epoch` was trained under."""
        return self.segments[self.segment_index(epoch)]

    def start_segment(
        self, epoch: int, edit: dict, *, config=None, dataset=None, test=None, theta=None, keep_test: bool = True
    ) -> Segment:
        """Begin a new segment at `epoch` (0..latest_epoch), dropping every later epoch and segment (but the first).

        Settings and rows not given are those `epoch` was trained under (keep_test False drops the test
        rows when test is None); theta, the network at `epoch` after the edit, defaults to weights_at(epoch).
        The history then ends at epoch - 1: a Trainer for the segment records `epoch` first
        (netviz.engine.segments.resume does that). Call it while no trainer extends the history.
        """
        if not 0 <= epoch <= self.latest_epoch:
            raise IndexError(f"an edit must be at an epoch of the run (0..{self.latest_epoch}), got {epoch}")
        old = self.segment_at(epoch)
        theta = self.weights_at(epoch) if theta is None else np.array(theta, dtype=np.float64)
        if theta.shape != (old.config.arch.n_params,):
            raise ValueError(f"theta must have {old.config.arch.n_params} values, got shape {theta.shape}")
        test = test if test is not None else (old.test if keep_test else None)
        config = old.config if config is None else config
        segment = Segment(epoch, config, old.dataset if dataset is None else dataset, test, theta, dict(edit))
        if segment.config.arch.layers != old.config.arch.layers or segment.config.arch.bias != old.config.arch.bias:
            raise ValueError("an edit keeps the layer sizes and biases of the run")
        # An edit at epoch 0 keeps the run's own first segment, trained for no epochs, so that the run
        # still says how it was set up.
        self.replace_segments(epoch, [self.segments[0], segment] if epoch == 0 else [segment])
        return segment

    def replace_segments(self, epoch: int, later: list[Segment]) -> None:
        """Keep epochs 0..epoch-1 and the segments they trained in; `later` (starting after those) follow them.

        The epochs of `later` are to be trained: the history ends at epoch - 1.
        """
        self._truncate(epoch)
        with self._replay_lock:
            kept = self.segment_index(epoch - 1) + 1 if epoch > 0 else 0
            self.segments[kept:] = later
            for index in [i for i in self._replayers if i >= kept]:
                del self._replayers[index]

    def _truncate(self, n: int) -> None:
        """Keep epochs 0..n-1 only."""
        latest = self.weights_at(n - 1) if n > 0 else None
        with self._lock:
            self._n_frames = min(self._n_frames, (n - 1) // self.stride + 1) if n > 0 else 0
            if latest is not None:
                self._latest[:] = latest
            old_n, self._n = self._n, n
            past = n - self.loss_exact_until  # epochs kept past the exact losses
            if old_n > self.loss_exact_until:
                first = max(0, -(-past // self._bucket_width))  # the first bucket wholly dropped
                self._bucket_min[first:], self._bucket_max[first:] = np.inf, -np.inf
                if self._test_buckets is not None:
                    self._test_buckets[0][first:] = self._test_buckets[1][first:] = np.nan
        if past > 0 and past % self._bucket_width:  # a bucket partly kept: its extremes from its kept epochs
            bucket = past // self._bucket_width
            kept = self.losses(self.loss_exact_until + bucket * self._bucket_width, n)
            self._bucket_min[bucket], self._bucket_max[bucket] = kept.min(), kept.max()
            if self._test_buckets is not None:
                kept = self.test_losses(self.loss_exact_until + bucket * self._bucket_width, n)
                self._test_buckets[0][bucket], self._test_buckets[1][bucket] = (
                    np.fmin.reduce(kept),
                    np.fmax.reduce(kept),
                )

    @classmethod
    def restored(
        cls, config, dataset, loss: np.ndarray, keyframes: np.ndarray, latest: np.ndarray, stride: int,
        segments: list[Segment] | None = None, test_loss: np.ndarray | None = None,
    ):  # fmt: skip
        """A history holding saved keyframes (theta every `stride` epochs) and the loss of every epoch.

        segments (a run with edits or test rows) replace the one segment that config and dataset make;
        test_loss (n_epochs,) is the test loss of every epoch (nan where a segment has no test rows).
        """
        history = cls(config, dataset, test=next((s.test for s in segments or [] if s.test is not None), None))
        if segments:
            history.segments = list(segments)
        while len(keyframes) > history._frame_capacity:  # a smaller budget than the one that saved: thin out
            keyframes, stride = keyframes[::2], stride * 2
        history._frames[: len(keyframes)] = keyframes
        history._n_frames = history._frames_written = len(keyframes)
        history.stride = stride
        history._store_losses(0, loss)
        if test_loss is not None:
            history._store_test_losses(0, test_loss)
        history._latest[:] = latest
        history._n = len(loss)
        return history

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        segments = f", {len(self.segments)} segments" if len(self.segments) > 1 else ""
        return f"History({self.config.arch!r}, epochs 0..{self.latest_epoch:,}, stride {self.stride}{segments})"

    @property
    def latest_epoch(self) -> int:
        """The last recorded epoch, or -1 before the first."""
        return self._n - 1

    @property
    def loss(self) -> Loss:
        """Mean squared error of every recorded epoch, (latest_epoch + 1,), read like an array."""
        return Loss(self, self._n)

    @property
    def test_loss(self) -> Loss:
        """Mean squared error over the test rows of every recorded epoch, read like an array; nan where none."""
        return Loss(self, self._n, test=True)

    @property
    def has_test(self) -> bool:
        """Whether any segment holds test rows."""
        return any(s.test is not None for s in self.segments)

    def nbytes(self) -> int:
        """Bytes of memory the history occupies: every keyframe row and exact loss written so far,
        the loss buckets and the latest theta."""
        row = self._frames.shape[1] * 8
        exact = min(self._n, self.loss_exact_until) * (8 if self._test_loss is None else 16)
        buckets = (self._bucket_min.nbytes + self._bucket_max.nbytes) * (1 if self._test_buckets is None else 2)
        return self._frames_written * row + exact + buckets + row

    def extend(self, thetas: np.ndarray, losses: np.ndarray, test_losses: np.ndarray | None = None) -> None:
        """Record the next len(losses) epochs: theta (k, n_params), loss (k,) and test loss (k,) of each (copied)."""
        k, e0 = len(losses), self._n
        if k == 0:
            return
        self._store_losses(e0, losses)
        if test_losses is not None:
            self._store_test_losses(e0, test_losses)
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

    def _store_test_losses(self, e0: int, test_losses: np.ndarray) -> None:
        """Test losses of epochs e0..: exactly below loss_exact_until, into the loss's buckets' epochs from there
        (store the losses first: they choose the buckets' width)."""
        if self._test_loss is None:
            self._test_loss = np.full(self.loss_exact_until, np.nan)
            self._test_buckets = np.full(len(self._bucket_min), np.nan), np.full(len(self._bucket_min), np.nan)
        exact = max(0, min(len(test_losses), self.loss_exact_until - e0))
        self._test_loss[e0 : e0 + exact] = test_losses[:exact]
        if exact == len(test_losses):
            return
        r0, rest = e0 + exact - self.loss_exact_until, test_losses[exact:]
        width = self._bucket_width
        starts = np.arange((-r0) % width, len(rest), width)
        if len(starts) == 0 or starts[0] != 0:
            starts = np.concatenate([[0], starts])
        buckets = (r0 + starts) // width
        minima, maxima = self._test_buckets
        minima[buckets] = np.fmin(minima[buckets], np.fmin.reduceat(rest, starts))
        maxima[buckets] = np.fmax(maxima[buckets], np.fmax.reduceat(rest, starts))

    def _merge_buckets(self) -> None:
        """Twice as many epochs per bucket: each pair of buckets becomes one."""
        with self._lock:
            pairs = [(self._bucket_min, np.minimum, np.inf), (self._bucket_max, np.maximum, -np.inf)]
            if self._test_buckets is not None:
                pairs += [(self._test_buckets[0], np.fmin, np.nan), (self._test_buckets[1], np.fmax, np.nan)]
            for ends, pick, unused in pairs:
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
            index = self.segment_index(epoch)
            segment = self.segments[index]
            j = min(epoch // self.stride, self._n_frames - 1)
            key_epoch, key = j * self.stride, self._frames[j].copy()
        if key_epoch <= segment.start and segment.theta is not None:  # replay from the segment's start
            key_epoch, key = segment.start, segment.theta.copy()
        if key_epoch == epoch:
            return key
        with self._replay_lock:
            return self._replay_to(index, key, key_epoch, epoch).theta.copy()

    def _replay_to(self, index: int, theta: np.ndarray, from_epoch: int, to_epoch: int) -> Trainer:
        """Segment index's replaying trainer at to_epoch (hold _replay_lock while using it)."""
        if index not in self._replayers:
            segment = self.segments[index]
            self._replayers[index] = Trainer(segment.config, segment.dataset, segment.test)
        r = self._replayers[index]
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
        return np.concatenate([stored, self._replayed_losses(first, stop, test=False)])

    def test_losses(self, start: int, stop: int) -> np.ndarray:
        """The test loss of epochs start..stop-1 (nan where an epoch's segment has no test rows), as losses()."""
        start, stop = max(0, start), min(stop, self._n)
        if stop <= start:
            return np.empty(0)
        if self._test_loss is None:
            return np.full(stop - start, np.nan)
        stored = self._test_loss[start : max(start, min(stop, self.loss_exact_until))]
        first = start + len(stored)
        if first == stop:
            view = stored.view()
            view.flags.writeable = False
            return view
        return np.concatenate([stored, self._replayed_losses(first, stop, test=True)])

    def _replayed_losses(self, first: int, stop: int, test: bool) -> np.ndarray:
        """The loss (or test loss) of epochs first..stop-1, replayed segment by segment with training's calls."""
        replayed, epoch = np.empty(stop - first), first
        while epoch < stop:
            index = self.segment_index(epoch)
            end = stop if index + 1 == len(self.segments) else min(stop, self.segments[index + 1].start)
            theta = self.weights_at(epoch)
            with self._replay_lock:
                r = self._replay_to(index, theta, epoch, epoch)
                for e in range(epoch, end):
                    replayed[e - first] = r.test_loss() if test else r.evaluate()[1]
                    if e + 1 < end:
                        r.advance(1)
            epoch = end
        return replayed

    def loss_with_penalty_at(self, epoch: int) -> float:
        """The objective `epoch` trained on, in the loss's units (see training.loss_with_penalty)."""
        return loss_with_penalty(self.segment_at(epoch).config, self.weights_at(epoch), self.loss_at(epoch))

    def loss_buckets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first epochs, minima, maxima) of the loss per bucket of epochs past loss_exact_until (copies)."""
        with self._lock:
            firsts = self._bucket_firsts()
            return firsts, self._bucket_min[: len(firsts)].copy(), self._bucket_max[: len(firsts)].copy()

    def test_loss_buckets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As loss_buckets(), for the test loss (nan for buckets without test rows)."""
        with self._lock:
            firsts = self._bucket_firsts()
            if self._test_buckets is None:
                return firsts, np.full(len(firsts), np.nan), np.full(len(firsts), np.nan)
            return firsts, self._test_buckets[0][: len(firsts)].copy(), self._test_buckets[1][: len(firsts)].copy()

    def _bucket_firsts(self) -> np.ndarray:
        """The first epoch of each bucket in use (hold _lock)."""
        past = max(0, self._n - self.loss_exact_until)
        return self.loss_exact_until + np.arange(-(-past // self._bucket_width)) * self._bucket_width

    def outputs_at(self, epoch: int) -> np.ndarray:
        """Outputs for every training row of its segment (n_rows, n_out) at `epoch`, computed from its weights."""
        segment = self.segment_at(epoch)
        return segment.config.arch.forward(self.weights_at(epoch), segment.dataset.inputs)[-1]
