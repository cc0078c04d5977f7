"""Which epochs an animation shows: frames spread by how much the network changes, or in log or linear epochs."""

from typing import Protocol

import numpy as np

SCHEDULES = ("change", "log", "linear")
# change spreads the weights' motion most evenly over the frames: on the spiral and blog runs the
# spread (std / mean) of the per-frame weight change is lower than with log (tests/export/test_schedule.py).
DEFAULT_SCHEDULE = "change"
LOG_OFFSET_SHARE = 1e-3  # the log scale starts 0.1% of the range in (at least 1 epoch): see epoch_schedule
CHANGE_SAMPLES = 1_000  # epochs on each of a log and a linear grid where the change schedule reads the weights


class WeightHistory(Protocol):
    """A run's weights by epoch; epochs that are multiples of `stride` are stored (cheap to read)."""

    stride: int

    def weights_at(self, epoch: int) -> np.ndarray: ...


def epoch_schedule(
    first: int, last: int, frames: int, kind: str = DEFAULT_SCHEDULE, history: WeightHistory | None = None
) -> np.ndarray:
    """`frames` epochs from `first` to `last` inclusive, strictly increasing, int64.

    linear: evenly spaced. log: evenly spaced in log(1 + (epoch - first) / c) with
    c = max(1, 0.1% of the range), so early epochs get most frames but the first frames
    are not spent one epoch apart where nothing visible moves. change (needs `history`):
    evenly spaced in the distance the weights travel (see cumulative_change), so each frame
    shows about as much motion as the next. Where steps would fall below one epoch,
    consecutive epochs are used. Needs 1 <= frames <= last - first + 1; a single frame shows `last`.
    """
    if kind not in SCHEDULES:
        raise ValueError(f"unknown schedule {kind!r}; use {' or '.join(SCHEDULES)}")
    if not 0 <= first <= last:
        raise ValueError(f"the range {first}..{last} is empty")
    if not 1 <= frames <= last - first + 1:
        raise ValueError(f"{frames} frames do not fit the {last - first + 1} epochs from {first} to {last}")
    if kind == "change" and history is None:
        raise ValueError("the change schedule needs the run's history")
    if frames == 1:
        return np.array([last], dtype=np.int64)
    t = np.linspace(0.0, 1.0, frames)
    span = last - first
    if kind == "linear":
        offsets = span * t
    elif kind == "log":
        offsets = _log_offsets(span, t)
    else:
        epochs, travelled = cumulative_change(history, first, last)
        if travelled[-1] <= 0.0:  # the weights never move: no epoch shows more than another
            offsets = span * t
        else:
            offsets = np.interp(t * travelled[-1], travelled, epochs - first)
            offsets[[0, -1]] = 0, span  # past the last move (or before the first) the ends still show
    return _strictly_increasing(first, last, offsets)


def _log_offsets(span: int, t: np.ndarray) -> np.ndarray:
    """Offsets from the first epoch evenly spaced in log(1 + offset / c) for t in 0..1."""
    c = max(1.0, LOG_OFFSET_SHARE * span)
    return c * np.expm1(t * np.log1p(span / c))


def cumulative_change(
    history: WeightHistory, first: int, last: int, samples: int = CHANGE_SAMPLES
) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, distance) at up to 2 * samples + 2 epochs of first..last, increasing: how far theta has
    travelled from `first` to each, summing the Euclidean steps between consecutive sampled epochs.

    The epochs lie on a log grid (fine early, where learning is fastest) and a linear one, moved
    down to stored epochs (multiples of history.stride) so that reading them replays no training,
    except at `first` and `last`.
    """
    span = last - first
    t = np.linspace(0.0, 1.0, samples)
    grid = first + np.concatenate([_log_offsets(span, t), span * t])
    stride = max(1, int(history.stride))
    stored = np.floor(grid / stride).astype(np.int64) * stride
    epochs = np.unique(np.concatenate([[first, last], stored[(stored >= first) & (stored <= last)]]))
    distance = np.zeros(len(epochs))
    previous = history.weights_at(int(epochs[0]))
    for i, epoch in enumerate(epochs[1:], start=1):
        theta = history.weights_at(int(epoch))  # one theta at a time: a large network's run needs no big copy
        distance[i] = distance[i - 1] + float(np.linalg.norm(theta - previous))
        previous = theta
    return epochs, distance


def _strictly_increasing(first: int, last: int, offsets: np.ndarray) -> np.ndarray:
    """Whole epochs first + offsets (offsets 0..last - first, nondecreasing), at least one epoch apart."""
    # floor(x + 0.5) is monotonic (np.rint's round-half-even is not): a step of 1 stays a step of 1.
    epochs = first + np.floor(offsets + 0.5).astype(np.int64)
    i = np.arange(len(epochs))
    # Steps below one epoch take the next epoch (e_i >= e_(i-1) + 1) ...
    epochs = np.maximum.accumulate(epochs - i) + i
    # ... and leave one epoch per remaining frame before `last`.
    return np.minimum(epochs, last - i[::-1])
