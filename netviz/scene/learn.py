"""What a learning step looks like at each moment: arrays for the painter, from a LearnStep (no Qt).

A step is shown in stages: "forward" (the signal travels from the inputs, layers light up), "error"
(target - output on each output neuron), "backward" (deltas appear layer by layer from the top, each
synapse showing its share a·δ of the gradient), "update" (each synapse moves from w to w + Δw) and
"next" (the next epoch's drawing). `progress` runs from 0 to 1 within a stage. Without a chosen row
the whole batch is shown: activations and errors as their mean over the rows, deltas and shares as
their sum (the sum is what Δw and Δb take).
"""

import functools
from dataclasses import dataclass, field

import numpy as np

from netviz.engine.explain import update_rule
from netviz.engine.learn import LearnStep
from netviz.scene.scene import Geometry, Scene, build_scene
from netviz.scene.style import Theme, WeightScale, activation_fill, readable_text_on

STAGES = ("forward", "error", "backward", "update", "next")
GIF_STAGES = STAGES[:4]  # an animation of the step ends on the update's last frame: the next weights
STAGE_SHARES = {
    "forward": 0.3,
    "error": 0.15,
    "backward": 0.3,
    "update": 0.25,
    "next": 0.15,
}  # of an animation's frames
MIN_STAGE_FRAMES = 5
DIM_SYNAPSES = 0.3  # weights fade under the stage's own marks
THINK_SYNAPSES = 0.35  # as Think mode dims them under the travelling signal
MAX_STAGE_LINES = 300  # measured: 4,000 of them took Qt 8 s to draw a frame (2-64-64-1), 300 take ~0.1 s
MAX_EDGE_NOTES = 32  # Δw is written on every synapse only while there is room for it
MAX_ROW_ERRORS = 8  # a batch's error note lists this many rows' errors
ROWS_PER_LINE = 4  # values on a line of that list: a note stays narrower than the gap between layers

STAGE_TITLES = {
    "forward": "forward: each layer's output a = f(a_below · w)",
    "error": "error: target − output at each output",
    "backward": "backward: δ = error × slope, flowing back through the weights",
    "update": "update: each weight moves by Δw = lr × Σ a·δ",
    "next": "next: the next epoch starts from the new weights",
}
NOTE_STEPS = (0.2, 0.32, 0.44, 0.56, 0.68, 0.26, 0.38, 0.5, 0.62)  # where along a synapse its Δw may be written
NOTE_STAGGER = 5  # the notes of a neuron's synapses start this many steps apart: one per line, not a column


def stage_title(stage: str, learn: LearnStep) -> str:
    """The stage's caption: its name and what it computes (the update's rule with the run's penalty)."""
    if stage == "update":
        return f"update: each weight moves by Δw = {update_rule(learn)}"
    if stage == "backward" and learn.arch.activations[-1] == "softmax":  # cross-entropy: no slope at the outputs
        return "backward: δ = error at the softmax outputs, × slope below them, flowing back through the weights"
    if stage == "forward" and learn.arch.bias:
        return STAGE_TITLES[stage].replace("· w)", "· w + b)")
    return STAGE_TITLES[stage]


@dataclass
class LearnMarks:
    """What a learning stage draws over the network scene.

    marks: a signed value per neuron (n_neurons,), NaN where none: a disc in its sign's colour,
    sized by sqrt(|value| / mark_max); notes: a short text under each neuron ("" for none);
    edge_notes: a text per synapse ("" for none), written along it.
    """

    stage: str
    progress: float
    title: str
    marks: np.ndarray
    mark_max: float
    mark_name: str  # what the discs show: "error", "δ"
    notes: list[str]
    grow: np.ndarray  # (n_neurons,) 0..1: how far each mark has grown, as the stage goes on
    edge_notes: list[str] = field(default_factory=list)
    edge_name: str = ""  # what the lines over the synapses show: "a·δ", "Δw"
    edge_max: float = 0.0


def learn_schedule(n_frames: int, stages=GIF_STAGES) -> list[tuple[str, float]]:
    """(stage, progress) of each of n_frames frames: stages in order, each with its share of the frames
    (at least MIN_STAGE_FRAMES), progress from 0 to 1 within each."""
    spare = max(0, n_frames - MIN_STAGE_FRAMES * len(stages))
    total_share = sum(STAGE_SHARES[s] for s in stages)
    counts = [MIN_STAGE_FRAMES + int(spare * STAGE_SHARES[s] / total_share) for s in stages]
    counts[0] += MIN_STAGE_FRAMES * len(stages) + spare - sum(counts)
    return [(stage, float(p)) for stage, k in zip(stages, counts) for p in np.linspace(0.0, 1.0, k)]


@functools.lru_cache(maxsize=4)  # asked for by every frame of a step (a LearnStep hashes by identity)
def shown_values(learn: LearnStep) -> dict[str, list[np.ndarray]]:
    """Per layer, the values drawn: activations and errors as the shown rows' mean, deltas and shares as their sum."""
    step, rows = learn.step, learn.shown_rows()
    return {
        "activations": [a[rows].mean(axis=0) for a in step.activations],
        "error": [step.error[rows].mean(axis=0)],
        "deltas": [d[rows].sum(axis=0) for d in step.deltas],
        "shares": [learn.share_sum(i) for i in range(len(step.deltas))],
    }


def learn_scene(
    geometry: Geometry, learn: LearnStep, stage: str, progress: float, theme: Theme, scale: WeightScale, labels
) -> tuple[Scene, LearnMarks]:
    """The network scene of one moment of the step, and the marks drawn over it."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")
    step, arch, g = learn.step, learn.arch, geometry
    values = shown_values(learn)
    n_neurons, n_layers = len(g.centres), len(arch.layers)
    progress = float(np.clip(progress, 0.0, 1.0))
    theta = step.theta
    if stage == "update":
        theta = step.theta + _ease(progress) * (step.theta_after - step.theta)
    elif stage == "next":
        theta = step.theta_after
    scene = build_scene(g, arch, theta, theme, scale, labels=labels)
    acts = np.concatenate(values["activations"])
    if stage == "next":
        x = step.activations[0][learn.shown_rows()]
        acts = np.concatenate([a.mean(axis=0) for a in arch.forward(theta, x)])
    marks = np.full(n_neurons, np.nan)
    grow = np.ones(n_neurons)  # how far each mark has grown to its full size
    notes = [""] * n_neurons
    edge_notes: list[str] = []
    mark_name, edge_name, edge_max = "", "", 0.0
    neuron_values = acts.copy()
    outputs = slice(int(g.layer_start[-2]), n_neurons)

    if stage == "forward":
        reached = progress * (n_layers - 1)  # layers crossed by the signal
        neuron_values[g.layer_of > reached + 1e-9] = np.nan
        carried = scene.weights * acts[g.edge_source]
        travelled = np.clip(reached - g.edge_layer, 0.0, 1.0)
        _set_lines(scene, carried, travelled)
        scene.edge_alpha = THINK_SYNAPSES
    elif stage == "error":
        error = values["error"][0]
        marks[outputs] = error
        grow[outputs] = _ease(progress)
        mark_name = "error"
        rows = learn.shown_rows()
        row_errors = step.error[rows]
        targets = (step.error + step.activations[-1])[rows]
        for k, i in enumerate(range(outputs.start, n_neurons)):
            if len(row_errors) == 1:
                notes[i] = f"target − output\n= {_fmt(targets[0, k])} − {_fmt(acts[i])}\n= {signed(error[k])}"
            else:  # errors of opposite sign cancel in the mean: the rows' own errors say more
                notes[i] = f"mean error {signed(error[k])}\n{rows_note(row_errors[:, k])}"
        scene.edge_alpha = DIM_SYNAPSES
    elif stage == "backward":
        # Weight layer i's turn comes after those above it: its neurons' deltas grow, and its
        # synapses' shares travel back from them toward the layer below.
        n_weight_layers = n_layers - 1
        turn = np.clip(progress * n_weight_layers - (n_weight_layers - 1 - np.arange(n_weight_layers)), 0.0, 1.0)
        deltas = np.concatenate([np.full(arch.layers[0], np.nan), *values["deltas"]])
        marks[:] = deltas
        grow[:] = np.concatenate([[0.0], turn])[g.layer_of]  # inputs have no delta
        mark_name = "δ"
        for i in np.flatnonzero(grow > 0):
            notes[i] = f"δ {signed(deltas[i])}"
        row_deltas = step.deltas[-1][learn.shown_rows()]
        if len(row_deltas) > 1:  # as the errors: the rows' own deltas say why the sum has its sign
            for k, i in enumerate(range(outputs.start, n_neurons)):
                if grow[i] > 0:
                    notes[i] = f"Σ δ {signed(deltas[i])}\n{rows_note(row_deltas[:, k])}"
        shares = np.concatenate([s.ravel() for s in values["shares"]])
        edge_max = _largest(shares)
        _set_lines(scene, shares, turn[g.edge_layer], backwards=True)
        scene.edge_alpha = DIM_SYNAPSES
        edge_name = "a·δ"
        neuron_values[:] = np.nan
    elif stage == "update":
        delta_w = np.concatenate([dw.ravel() for dw in step.delta_w])
        edge_notes = [signed(v, 2) for v in delta_w] if len(delta_w) <= MAX_EDGE_NOTES else []
        edge_name, edge_max = "Δw", _largest(delta_w)
        if not edge_notes:  # too many synapses to write on: the largest changes are drawn over them instead
            _set_lines(scene, delta_w, np.ones(len(delta_w)))
            scene.edge_alpha = DIM_SYNAPSES
        neuron_values[:] = np.nan
    elif stage == "next":  # the new weights' answer beside the old: the error shrank (or not)
        x, y = step.activations[0][learn.shown_rows()], (step.error + step.activations[-1])[learn.shown_rows()]
        before, after = step.error[learn.shown_rows()], y - arch.forward(theta, x)[-1]
        for k, i in enumerate(range(outputs.start, n_neurons)):
            if len(before) == 1:
                was, now, name = before[0, k], after[0, k], "error"
            else:  # errors of opposite sign would cancel in the mean
                was, now, name = np.abs(before[:, k]).mean(), np.abs(after[:, k]).mean(), "mean |error|"
            notes[i] = f"{name} {_fmt(was)}\nnow {_fmt(now)} ({signed(abs(now) - abs(was), 2)})"
    mark_max = _largest(marks)
    neuron_values[np.isfinite(marks)] = np.nan  # a marked neuron shows its mark instead of its activation
    marks[grow <= 0] = np.nan
    scene.neuron_values = neuron_values
    scene.neuron_fill = activation_fill(neuron_values, theme)
    scene.dark_text = readable_text_on(scene.neuron_fill, theme)
    title = stage_title(stage, learn)
    return scene, LearnMarks(
        stage, progress, title, marks, mark_max, mark_name, notes, grow, edge_notes, edge_name, edge_max
    )


def place_edge_notes(segments: np.ndarray, sizes: np.ndarray, discs: np.ndarray, turns: np.ndarray) -> np.ndarray:
    """Centres (n, 2) for a note (width, height) on each synapse (x1, y1, x2, y2): the first place along it,
    from NOTE_STEPS turned by the synapse's `turns` (its target's place in its layer), where it covers
    no note placed before it and no neuron disc (x, y, r); NaN if it fits nowhere (two notes written over
    each other read as one wrong number). Notes all at one distance would stand in a column where synapses
    fan out, not each on its own line."""
    placed = np.zeros((0, 4))  # left, top, right, bottom
    centres = np.full((len(segments), 2), np.nan)
    for k, ((x1, y1, x2, y2), (w, h)) in enumerate(zip(segments, sizes)):
        start = (int(turns[k]) * NOTE_STAGGER) % len(NOTE_STEPS)
        for t in NOTE_STEPS[start:] + NOTE_STEPS[:start]:
            x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            box = np.array([x - w / 2, y - h / 2, x + w / 2, y + h / 2])
            if not _covers(box, placed, discs):
                centres[k] = x, y
                placed = np.vstack([placed, box])
                break
    return centres


def _covers(box: np.ndarray, boxes: np.ndarray, discs: np.ndarray) -> bool:
    """Whether a box overlaps any of the boxes or discs (x, y, r)."""
    left, top, right, bottom = box
    if (
        len(boxes)
        and ((boxes[:, 0] < right) & (boxes[:, 2] > left) & (boxes[:, 1] < bottom) & (boxes[:, 3] > top)).any()
    ):
        return True
    nearest_x = np.clip(discs[:, 0], left, right)
    nearest_y = np.clip(discs[:, 1], top, bottom)
    return bool((np.hypot(discs[:, 0] - nearest_x, discs[:, 1] - nearest_y) < discs[:, 2]).any())


def rows_note(values: np.ndarray) -> str:
    """The first MAX_ROW_ERRORS rows' values, ROWS_PER_LINE to a line: 'rows: +0.51 −0.47 …'."""
    shown = [signed(v, 2) for v in values[:MAX_ROW_ERRORS]]
    lines = [" ".join(shown[k : k + ROWS_PER_LINE]) for k in range(0, len(shown), ROWS_PER_LINE)]
    more = " …" if len(values) > MAX_ROW_ERRORS else ""
    return "rows: " + "\n".join(lines) + more


def _set_lines(scene: Scene, values: np.ndarray, travelled: np.ndarray, backwards: bool = False) -> None:
    """Sign-coloured lines over the synapses, as far along each as `travelled` (0..1) from its source (from its
    target if backwards), strength by sqrt(|value|)."""
    g = scene.geometry
    largest = _largest(values)
    strength = np.sqrt(np.abs(np.nan_to_num(values)) / largest) if largest > 0 else np.zeros(len(values))
    drawn = (travelled > 0) & (strength > 0.05)
    if drawn.sum() > MAX_STAGE_LINES:  # wide translucent lines are dear to draw: the strongest tell the story
        cut = np.partition(strength[drawn], -MAX_STAGE_LINES)[-MAX_STAGE_LINES]
        drawn &= strength >= cut
    seg = g.segments[drawn]
    if backwards:
        seg = seg[:, [2, 3, 0, 1]]
    f = travelled[drawn][:, None]
    scene.signal_segments = np.hstack([seg[:, :2], seg[:, :2] + (seg[:, 2:] - seg[:, :2]) * f])
    scene.signal_strength = strength[drawn]
    scene.signal_negative = values[drawn] < 0


def _largest(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def _ease(t: float) -> float:
    """Slow in, slow out: the morph starts and settles gently."""
    return t * t * (3 - 2 * t)


def _fmt(v: float) -> str:
    return f"{v:.4g}".replace("-", "−")


def signed(v: float, digits: int = 3) -> str:
    """+0.0312, −0.0146 or +2.3e-05: `digits` significant digits, a true minus sign (as wide as the plus)."""
    return f"{v:+.{digits}g}".replace("-", "−")


MAX_GLOWING = 200  # only the most changed glow: wide translucent lines are dear to draw


def change_glow(before: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which synapses glow, and how much, for weights (n_edges,) moving from `before` to `after`:
    (indices, strength in (0, 1]), strength sqrt(|Δw| / the largest |Δw|), the faintest left out."""
    change = np.abs(np.nan_to_num(after - before, nan=0.0, posinf=0.0, neginf=0.0))
    largest = float(change.max(initial=0.0))
    if largest <= 0:
        return np.zeros(0, np.intp), np.zeros(0)
    strength = np.sqrt(change / largest)
    chosen = np.flatnonzero(strength > 0.1)
    if len(chosen) > MAX_GLOWING:
        chosen = chosen[np.argpartition(strength[chosen], -MAX_GLOWING)[-MAX_GLOWING:]]
    return chosen, strength[chosen]
