"""One learning step told in words and numbers: `netviz explain` as console text, or as one JSON object.

The text follows the blog's console style ("Stage 1) ...", then the arrays as NumPy prints them);
the JSON holds the same numbers as exact floats (a float's repr reads back to the same float).
"""

import numpy as np

from netviz.engine.learn import LearnStep

# The slope f'(z) of each activation, written from its output as the delta's formula uses it.
SLOPES = {
    "sigmoid": "output × (1 − output)",
    "tanh": "(1 − output²)",
    "relu": "(1 if output > 0 else 0)",
    "linear": "1",
    "softmax": "1 (softmax trains on cross-entropy)",
}


def explain_json(learn: LearnStep) -> dict:
    """{"epoch", "layers": [{"weights", "delta_w", "biases", "delta_b", "activations", "deltas"}, ...]}.

    Weight layers from the inputs up; weights and delta_w (n_in, n_out); activations and deltas
    (n_rows, n_out) of the layer's neurons, a row per training row in the data's order (each from
    the step that trained it), or only the chosen row.
    """
    layers = []
    for i, (w, dw, b, db) in enumerate(zip(learn.weights(), learn.delta_w(), learn.biases(), learn.delta_b())):
        layers.append(
            {
                "weights": w.tolist(),
                "delta_w": dw.tolist(),
                "biases": None if b is None else b.tolist(),
                "delta_b": None if db is None else db.tolist(),
                "activations": _by_row(learn, [step.activations[i + 1] for step in learn.steps]).tolist(),
                "deltas": _by_row(learn, [step.deltas[i] for step in learn.steps]).tolist(),
            }
        )
    return {"epoch": learn.epoch, "layers": layers}


def _by_row(learn: LearnStep, values: list[np.ndarray]) -> np.ndarray:
    """One array (n_rows of the step, n) per step, as rows in the data's order; or the chosen row."""
    if learn.row is not None:
        return values[learn.steps.index(learn.step)][learn.shown_rows()]
    rows = np.concatenate([step.rows for step in learn.steps])
    stacked = np.concatenate(values)
    return stacked[np.argsort(rows, kind="stable")]


def explain_text(learn: LearnStep, input_names: list[str], target_names: list[str]) -> str:
    """The step as the blog's console would print it: forward, error, backward, update."""
    arch, lines = learn.arch, []
    lines.append(_heading(learn))
    for k, step in enumerate(learn.steps):
        if learn.row is not None and step is not learn.step:
            continue
        shown = learn.shown_rows() if learn.row is not None else slice(None)
        if len(learn.steps) > 1:
            rows = ", ".join(str(r) for r in step.rows)
            lines.append(f"-- step {k + 1} of {len(learn.steps)}: rows {rows}")
        bias = " + b" if arch.bias else ""
        lines.append(
            f"Stage 1) Forward: the inputs, then each layer's output a = f(a_below · w{bias}), a row per example:"
        )
        lines.append(f"    Inputs ({', '.join(input_names)}):")
        lines.append(_array(step.activations[0][shown]))
        for i, name in enumerate(arch.activations):
            lines.append(f"    Layer {i + 1} ({_neurons(arch.layers[i + 1])}, {name}):")
            lines.append(_array(step.activations[i + 1][shown]))
        lines.append(f"Stage 2) Error at the outputs, target − output ({', '.join(target_names)}):")
        lines.append(_array(step.error[shown]))
        lines.append("Stage 3) Backward: each neuron's delta δ (how much, and which way, its input z should move):")
        for i in reversed(range(len(arch.activations))):
            slope = SLOPES[arch.activations[i]]
            if i == len(arch.activations) - 1:
                rule = f"(target − output) × {slope}"
            else:
                rule = f"(layer {i + 2} δ · layer {i + 2} weights.T) × {slope}"
            lines.append(f"    Layer {i + 1} δ = {rule}:")
            lines.append(_array(step.deltas[i][shown]))
        lines.append(f"Stage 4) Update: Δw = lr × a_below.T · δ, summed over the rows (lr = {learn.lr:g}):")
        for i in range(len(arch.activations)):
            below = "inputs" if i == 0 else f"layer {i}"
            lines.append(f"    Layer {i + 1} weights ({below} × {_neurons(arch.layers[i + 1])}) before:")
            lines.append(_array(arch.views(step.theta)[0][i]))
            if learn.row is not None:
                lines.append(f"    row {learn.row}'s share, lr × a·δ:")
                lines.append(_array(learn.shares(i)[learn.row_index] + 0.0))  # + 0.0: no "-0." where a is 0
            lines.append("    Δw:")
            lines.append(_array(step.delta_w[i]))
            if step.delta_b[i] is not None:
                lines.append("    Δb = lr × Σ δ:")
                lines.append(_array(step.delta_b[i]))
            lines.append("    after, w + Δw:")
            lines.append(_array(arch.views(step.theta_after)[0][i]))
    lines.append(f"Stage 5) Epoch {learn.epoch + 1:,} starts from these weights.")
    return "\n".join(lines)


def _heading(learn: LearnStep) -> str:
    arch, n_rows = learn.arch, sum(len(step.rows) for step in learn.steps)
    batch = f"{n_rows} rows in one step" if len(learn.steps) == 1 else f"{n_rows} rows in {len(learn.steps)} steps"
    looking = "" if learn.row is None else f", looking at row {learn.row}"
    return f"Epoch {learn.epoch:,} -> {learn.epoch + 1:,} of {arch!r}: {batch}{looking}"


def _neurons(n: int) -> str:
    return "1 neuron" if n == 1 else f"{n} neurons"


def _array(values: np.ndarray) -> str:
    return np.array2string(np.asarray(values))
