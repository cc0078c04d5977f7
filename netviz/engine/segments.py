"""Edits of a run mid-way, each starting a segment of its history, and the scheduled changes of --change.

An edit at epoch e keeps epochs 0..e-1, starts a segment at e under the edited settings, rows or
weights, and drops any later epochs (the app asks first). The history then ends at e - 1;
resume(history) is the Trainer that records epoch e (the edited network, its loss on the
segment's rows) and trains on. Every edit is recorded in its segment as JSON values, which
describe() turns into a caption: "epoch 3,000: learning rate 1 → 0.1".
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from netviz.engine.changes import FULL_BATCH, KEYS, LABELS, TABLES, layer_of, merged, parse_value
from netviz.engine.data import Dataset
from netviz.engine.history import History, Segment
from netviz.engine.network import Architecture
from netviz.engine.runspec import RunSpec
from netviz.engine.training import Trainer


def resume(history: History) -> Trainer:
    """A Trainer for the history's last segment, at its latest epoch, or at the segment's start if not yet recorded."""
    segment = history.segments[-1]
    trainer = Trainer(segment.config, segment.dataset, segment.test)
    if len(history) == segment.start and segment.theta is not None:
        trainer.set_state(segment.theta, segment.start)
    elif len(history):
        trainer.set_state(history.weights_at(history.latest_epoch), history.latest_epoch)
    return trainer


@dataclass(frozen=True)
class UndoPoint:
    """A run as it was before an edit: its segments and latest epoch (see undo)."""

    segments: tuple[Segment, ...]
    latest_epoch: int


def undo_point(history: History) -> UndoPoint:
    """What undo() needs to put the run back as it is now; take it before an edit."""
    return UndoPoint(tuple(history.segments), history.latest_epoch)


def undo(history: History, point: UndoPoint) -> Trainer:
    """Put the run back as it was at `point`, the Trainer at its latest epoch: the segments since replaced, and
    their epochs dropped by an edit retrained (training is deterministic: they come back bit for bit)."""
    kept = 0
    while kept < min(len(point.segments), len(history.segments)) and point.segments[kept] is history.segments[kept]:
        kept += 1
    restart = min(len(history), point.latest_epoch + 1)
    if kept < len(point.segments):
        restart = min(restart, point.segments[kept].start)
    if kept < len(history.segments):
        restart = min(restart, history.segments[kept].start)
    later = [s for s in point.segments if s.start >= restart]
    history.replace_segments(restart, later)
    return train_through(history, point.latest_epoch)


def train_through(history: History, until: int) -> Trainer:
    """Train the history up to epoch `until` through the segments it holds, each from its start; the last Trainer."""
    trainer = resume(history)
    while len(history) <= until:
        n = len(history)
        index = history.segment_index(n)
        segment = history.segments[index]
        end = history.segments[index + 1].start - 1 if index + 1 < len(history.segments) else until
        trainer = Trainer(segment.config, segment.dataset, segment.test)
        if n == segment.start and segment.theta is not None:
            trainer.set_state(segment.theta, n)  # the segment's first epoch: its edited network
        elif n > 0:
            trainer.set_state(history.weights_at(n - 1), n - 1)
        trainer.run(history, min(end, until))
    return trainer


def current_noise(history: History, epoch: int, spec: RunSpec) -> float:
    """The noise of the preset points that `epoch` trained on: the last noise change up to it, else the spec's."""
    noise = spec.data.noise
    for segment in history.segments[: history.segment_index(epoch) + 1]:
        noise = segment.edit.get("changes", {}).get("noise", (None, noise))[1]
    return noise


def change_settings(history: History, epoch: int, settings: dict, spec: RunSpec | None = None) -> Segment:
    """Start a segment at `epoch` with settings changed (keys of KEYS or activationN); ValueError if one is bad.

    noise regenerates the preset's points with the same seed and count (and holds out the same
    rows for testing), so it needs the run's spec; points added or removed by hand before are replaced.
    """
    old = history.segment_at(epoch)
    config, rows, changes = old.config, {}, {}
    acts = list(config.arch.activations)
    for key, given in settings.items():
        value = parse_value(key, FULL_BATCH if given is None else str(given))  # checked, and plain JSON values
        if key == "activation":
            changes[key] = ["/".join(sorted(set(acts[:-1]))) or "none", value]
            acts[:-1] = [value] * (len(acts) - 1)
        elif (layer := layer_of(key)) is not None:
            if layer > len(acts):
                raise ValueError(f"{key}: the network has {len(acts)} weight layers")
            changes[key], acts[layer - 1] = [acts[layer - 1], value], value
        elif key == "noise":
            if spec is None or spec.data.kind != "preset" or spec.data.preset in TABLES:
                raise ValueError("noise applies to a preset's points (circle, spiral...)")
            changes[key] = [current_noise(history, epoch, spec), value]
            _, rows["dataset"], rows["test"] = replace(spec, data=replace(spec.data, noise=value)).build_split()
        elif key in ("lr", "l1", "l2", "batch"):
            changes[key] = [getattr(config, key), value]
            config = replace(config, **{key: value})
        else:
            raise ValueError(f"unknown setting {key!r}; use {', '.join(KEYS)} or activationN (N = weight layer)")
    if acts != list(config.arch.activations):
        config = replace(config, arch=Architecture(config.arch.layers, tuple(acts), config.arch.bias))
    return history.start_segment(
        epoch, {"kind": "settings", "changes": changes}, config=config, keep_test="test" not in rows, **rows
    )


def weight_position(arch: Architecture, layer: int, i: int, j: int) -> int:
    """The position in theta of weight layer `layer` (0 = first)'s synapse from neuron i to neuron j."""
    positions, _ = arch.views(np.arange(arch.n_params))
    return int(positions[layer][i, j])


def bias_position(arch: Architecture, layer: int, j: int) -> int:
    """The position in theta of the bias of neuron j of weight layer `layer` (0 = first); ValueError without biases."""
    _, biases = arch.views(np.arange(arch.n_params))
    if biases[layer] is None:
        raise ValueError("this network has no biases")
    return int(biases[layer][j])


def set_weights(history: History, epoch: int, values: dict[int, float]) -> Segment:
    """Start a segment at `epoch` whose network has theta[position] = value for each given position."""
    theta = history.weights_at(epoch)
    edits = []
    for position, value in values.items():
        if not 0 <= position < len(theta) or not math.isfinite(value):
            raise ValueError(f"cannot set parameter {position} to {value}: theta has {len(theta)} finite values")
        edits.append([int(position), float(theta[position]), float(value)])
        theta[position] = value
    return history.start_segment(epoch, {"kind": "weights", "set": edits}, theta=theta)


def add_points(history: History, epoch: int, inputs, targets, points=None) -> Segment:
    """Start a segment at `epoch` that trains on its rows plus the given ones (k, n_in) and (k, n_out).

    For rows whose inputs are features of points of the plane, give the points (k, 2) instead of
    inputs (None): the inputs are made from them as the data's were.
    """
    rows = history.segment_at(epoch).dataset
    if rows.points is not None:
        if points is None:
            raise ValueError("these rows' inputs are features of points: give the points (x, y)")
        points = np.atleast_2d(np.asarray(points, dtype=np.float64))
        inputs = rows.inputs_at(points)
    inputs, targets = np.atleast_2d(inputs), np.asarray(targets, dtype=np.float64).reshape(-1, rows.n_out)
    if inputs.shape[1] != rows.n_in or len(inputs) != len(targets):
        raise ValueError(f"points need {rows.n_in} inputs and {rows.n_out} targets each")
    plane = None if rows.points is None else np.vstack([rows.points, points])
    dataset = _rows_like(rows, np.vstack([rows.inputs, inputs]), np.vstack([rows.targets, targets]), plane)
    return history.start_segment(epoch, {"kind": "points", "added": len(inputs)}, dataset=dataset)


def remove_points(history: History, epoch: int, rows_to_remove) -> Segment:
    """Start a segment at `epoch` that trains on its rows without those at the given indices."""
    rows = history.segment_at(epoch).dataset
    gone = sorted({int(r) for r in rows_to_remove})
    if not gone or gone[0] < 0 or gone[-1] >= len(rows) or len(gone) == len(rows):
        raise ValueError(f"remove some of the {len(rows)} training rows, and keep at least one")
    keep = np.setdiff1d(np.arange(len(rows)), gone)
    plane = None if rows.points is None else rows.points[keep]
    dataset = _rows_like(rows, rows.inputs[keep], rows.targets[keep], plane)
    return history.start_segment(epoch, {"kind": "points", "removed": gone}, dataset=dataset)


def _rows_like(rows: Dataset, inputs: np.ndarray, targets: np.ndarray, points: np.ndarray | None = None) -> Dataset:
    """New rows with the names, new situation, scaling and features of `rows` (points: each row's point
    of the plane, for feature inputs)."""
    situation = None if rows.new_situation is None else rows.new_situation.copy()
    return Dataset(inputs, targets, rows.name, list(rows.input_names), list(rows.target_names), situation,
                   scaling=rows.scaling, features=rows.features, points=points)  # fmt: skip


def train(history: History, until: int, changes=(), spec: RunSpec | None = None) -> Trainer:
    """Train the history up to epoch `until`, making each change at its epoch; the Trainer at the end.

    Raises Diverged as Trainer.run does, and ValueError for a change that does not fit the run.
    """
    trainer = resume(history)
    for change in merged(changes):
        if change.epoch > until:
            break
        trainer.run(history, change.epoch)
        change_settings(history, change.epoch, dict(change.settings), spec)
        trainer = resume(history)
    trainer.run(history, until)
    return trainer


def describe(edit: dict) -> str:
    """What an edit changed, in a few words: "learning rate 1 → 0.1", "2 points added", "a weight set by hand"."""
    kind = edit.get("kind")
    if kind == "settings":
        return ", ".join(f"{_label(key)} {_shown(old)} → {_shown(new)}" for key, (old, new) in edit["changes"].items())
    if kind == "weights":
        count = len(edit["set"])
        return "a weight set by hand" if count == 1 else f"{count} weights set by hand"
    if kind == "points":
        added, removed = edit.get("added", 0), len(edit.get("removed", ()))
        parts = [f"{n} point{'s' * (n != 1)} {verb}" for n, verb in ((added, "added"), (removed, "removed")) if n]
        return ", ".join(parts)
    return "start"


def is_edit(value) -> bool:
    """Whether value is an edit as the functions here record it (what describe() reads): a session's check."""
    if not isinstance(value, dict) or value == {}:
        return value == {}
    kind = value.get("kind")
    if kind == "settings":
        changes = value.get("changes")
        return isinstance(changes, dict) and all(
            isinstance(pair, list) and len(pair) == 2 and all(_is_scalar(v) for v in pair) for pair in changes.values()
        )
    if kind == "weights":
        edits = value.get("set")
        return isinstance(edits, list) and all(
            isinstance(e, list) and len(e) == 3 and _is_whole(e[0]) and all(_is_number(v) for v in e[1:]) for e in edits
        )
    if kind == "points":
        added, removed = value.get("added", 0), value.get("removed", [])
        return (_is_whole(added) and added >= 0 and isinstance(removed, list) and all(map(_is_whole, removed))
                and (added > 0 or len(removed) > 0))  # fmt: skip
    return False


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_scalar(value) -> bool:
    return value is None or isinstance(value, str) or _is_number(value)


def _label(key: str) -> str:
    layer = layer_of(key)
    return f"activation of layer {layer}" if layer is not None else LABELS.get(key, key)


def _shown(value) -> str:
    if value is None:
        return FULL_BATCH
    return f"{value:g}" if isinstance(value, float) else str(value)
