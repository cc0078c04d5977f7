"""Which epochs an animation shows: frames spread linearly or logarithmically over a range."""

import numpy as np

SCHEDULES = ("log", "linear")
DEFAULT_SCHEDULE = "log"  # learning is fastest early: the blog run's loss falls 100x in its first 2% of epochs
LOG_OFFSET_SHARE = 1e-3  # the log scale starts 0.1% of the range in (at least 1 epoch): see epoch_schedule


def epoch_schedule(first: int, last: int, frames: int, kind: str = DEFAULT_SCHEDULE) -> np.ndarray:
    """`frames` epochs from `first` to `last` inclusive, strictly increasing, int64.

    linear: evenly spaced. log: evenly spaced in log(1 + (epoch - first) / c) with
    c = max(1, 0.1% of the range), so early epochs get most frames but the first frames
    are not spent one epoch apart where nothing visible moves (on the blog run that
    spreads the weights' motion most evenly over the frames). Where steps would fall
    below one epoch, consecutive epochs are used. Needs 1 <= frames <= last - first + 1;
    a single frame shows `last`.
    """
    if kind not in SCHEDULES:
        raise ValueError(f"unknown schedule {kind!r}; use {' or '.join(SCHEDULES)}")
    if not 0 <= first <= last:
        raise ValueError(f"the range {first}..{last} is empty")
    if not 1 <= frames <= last - first + 1:
        raise ValueError(f"{frames} frames do not fit the {last - first + 1} epochs from {first} to {last}")
    if frames == 1:
        return np.array([last], dtype=np.int64)
    t = np.linspace(0.0, 1.0, frames)
    span = last - first
    if kind == "linear":
        offsets = span * t
    else:
        c = max(1.0, LOG_OFFSET_SHARE * span)
        offsets = c * np.expm1(t * np.log1p(span / c))
    # floor(x + 0.5) is monotonic (np.rint's round-half-even is not): a step of 1 stays a step of 1.
    epochs = first + np.floor(offsets + 0.5).astype(np.int64)
    i = np.arange(frames)
    # Steps below one epoch take the next epoch (e_i >= e_(i-1) + 1) ...
    epochs = np.maximum.accumulate(epochs - i) + i
    # ... and leave one epoch per remaining frame before `last`.
    return np.minimum(epochs, last - i[::-1])
