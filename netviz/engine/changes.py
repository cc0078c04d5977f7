"""Scheduled changes of a run: --change EPOCH:KEY=VALUE[,KEY=VALUE], the scripted form of every live edit.

A RunSpec holds its changes; netviz.engine.segments makes each one at its epoch, starting a segment.
"""

import math
from dataclasses import dataclass

from netviz.engine import activations, presets

KEYS = ("lr", "l1", "l2", "batch", "noise", "activation")  # and activationN: weight layer N only (1 = first)
LABELS = {"lr": "learning rate", "l1": "L1 rate", "l2": "L2 rate", "batch": "rows per step", "noise": "noise",
          "activation": "hidden activation", "points": "points", "test_fraction": "test share"}  # fmt: skip
FULL_BATCH = "full"
TABLES = ("blog", "and", "or", "xor")  # presets without noise: their rows are fixed


def parse_value(key: str, text: str):
    """The value of one setting from its text (batch "full" is None); ValueError (one line) if out of range."""
    text = text.strip()
    if key == "batch":
        if text.lower() == FULL_BATCH:
            return None
        if not text.isdigit() or int(text) < 1:
            raise ValueError(f"batch must be 'full' or a number of rows of at least 1, got {text!r}")
        return int(text)
    if key == "activation" or layer_of(key) is not None:
        if text.lower() not in activations.NAMES:
            raise ValueError(f"{key} must be one of {', '.join(activations.NAMES)}, got {text!r}")
        return text.lower()
    if key not in KEYS:
        raise ValueError(f"unknown setting {key!r}; use {', '.join(KEYS)} or activationN (N = weight layer)")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{key} must be a number, got {text!r}") from None
    low_ok = value > 0 if key == "lr" else value >= 0
    high = presets.MAX_NOISE if key == "noise" else math.inf
    if not (math.isfinite(value) and low_ok and value <= high):
        wanted = {"lr": "a positive number", "noise": f"0 to {presets.MAX_NOISE:g}"}.get(key, "0 or more")
        raise ValueError(f"{key} must be {wanted}, got {text!r}")
    return value


def layer_of(key: str) -> int | None:
    """N for a key activationN (N >= 1), else None."""
    digits = key.removeprefix("activation")
    return int(digits) if key.startswith("activation") and digits.isdigit() and int(digits) >= 1 else None


@dataclass(frozen=True)
class Change:
    """Settings changed at an epoch, the scripted form of a live edit: --change EPOCH:KEY=VALUE[,KEY=VALUE]."""

    epoch: int
    settings: tuple[tuple[str, object], ...]  # (key, value) pairs, values as parse_value gives them

    @classmethod
    def parse(cls, text: str) -> "Change":
        """'3000:lr=0.1,l2=0.01' -> Change(3000, (('lr', 0.1), ('l2', 0.01))); ValueError (one line) if bad."""
        epoch_text, colon, rest = text.partition(":")
        if not colon or not rest.strip():
            raise ValueError(f"{text!r} is not EPOCH:KEY=VALUE[,KEY=VALUE], e.g. 3000:lr=0.1")
        epoch_text = epoch_text.strip().replace("_", "")
        if not epoch_text.isdigit():
            raise ValueError(f"{text!r}: the epoch before ':' must be a whole number of 0 or more")
        settings = {}
        for pair in rest.split(","):
            key, equals, value = pair.partition("=")
            key = key.strip().lower()
            if not equals:
                raise ValueError(f"{text!r}: {pair.strip()!r} is not KEY=VALUE")
            settings[key] = parse_value(key, value)
        return cls(int(epoch_text), tuple(settings.items()))

    def text(self) -> str:
        """The form parse() reads back."""
        shown = (f"{key}={FULL_BATCH if value is None else value}" for key, value in self.settings)
        return f"{self.epoch}:{','.join(shown)}"


def merged(changes) -> list[Change]:
    """Changes in epoch order, those at one epoch made one (a later setting of a key wins)."""
    by_epoch: dict[int, dict] = {}
    for change in sorted(changes, key=lambda c: c.epoch):
        by_epoch.setdefault(change.epoch, {}).update(change.settings)
    return [Change(epoch, tuple(settings.items())) for epoch, settings in by_epoch.items()]
