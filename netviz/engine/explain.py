"""One learning step told in words and numbers: `netviz explain` as console text, or as one JSON object.

The text follows the blog's console style ("Stage 1) ...", then the arrays as NumPy prints them);
the JSON holds the same numbers as exact floats (a float's repr reads back to the same float).
"""

import numpy as np

from netviz.engine.learn import LearnStep, row_name

# The slope f'(z) of each activation, written from its output as the delta's formula uses it.
SLOPES = {
    "sigmoid": "output × (1 − output)",
    "tanh": "(1 − output²)",
    "relu": "(1 if output > 0 else 0)",
    "linear": "1",
    "softmax": "1 (softmax trains on cross-entropy)",
}
SOFTMAX_RULE = "target − output (softmax with cross-entropy: the slope cancels out)"


def output_rule(act: str) -> str:
    """The output layer's δ, in words: the error times the slope, or the error alone for softmax."""
    return SOFTMAX_RULE if act == "softmax" else f"(target − output) × {SLOPES[act]}"


def penalty_rule(learn: LearnStep) -> str:
    """The penalty term of Δw's rule ('k·l2·w'), k the step's rows; '' without a penalty."""
    l1, l2 = learn.penalty
    terms = [t for rate, t in ((l1, "l1·sign(w)"), (l2, "l2·w")) if rate > 0]
    if len(terms) == 2:
        return f"k·({terms[0]} + {terms[1]})"
    return f"k·{terms[0]}" if terms else ""


def update_rule(learn: LearnStep, gradient: str = "Σ a·δ") -> str:
    """Δw's rule: 'lr × Σ a·δ', or with a penalty 'lr × (Σ a·δ − k·l2·w)'."""
    penalty = penalty_rule(learn)
    return f"lr × ({gradient} − {penalty})" if penalty else f"lr × {gradient}"


def _penalty_values(learn: LearnStep, rows: int, w: float) -> tuple[str, float]:
    """The penalty term with its numbers ('7 × 0.05 × 1.23') and its value, for one weight w."""
    l1, l2 = learn.penalty
    sign = float(np.sign(w))
    value = rows * (l1 * sign + l2 * w)
    parts = [t for rate, t in ((l1, f"{l1:g} × {_num(sign)}"), (l2, f"{l2:g} × {_num(w)}")) if rate > 0]
    joined = f"({parts[0]} + {parts[1]})" if len(parts) == 2 else parts[0]
    return f"{rows} × {joined}", value


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
            rows = ", ".join(str(r + 1) for r in step.rows)
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
                rule = output_rule(arch.activations[i])
            else:
                rule = f"(layer {i + 2} δ · layer {i + 2} weights.T) × {slope}"
            lines.append(f"    Layer {i + 1} δ = {rule}:")
            lines.append(_array(step.deltas[i][shown]))
        rates = f"lr = {learn.lr:g}" + "".join(
            f", {name} = {rate:g}" for name, rate in zip(("l1", "l2"), learn.penalty) if rate > 0
        )
        if penalty_rule(learn):
            rates += f", k = {len(step.rows)} rows"
        rule = update_rule(learn, "a_below.T · δ")
        lines.append(f"Stage 4) Update: Δw = {rule}, the product summing over the rows ({rates}):")
        for i in range(len(arch.activations)):
            below = "inputs" if i == 0 else f"layer {i}"
            lines.append(f"    Layer {i + 1} weights ({below} × {_neurons(arch.layers[i + 1])}) before:")
            lines.append(_array(arch.views(step.theta)[0][i]))
            if learn.row is not None:
                lines.append(f"    {row_name(learn.row)}'s share, lr × a·δ:")
                lines.append(_array(learn.share_sum(i) + 0.0))  # + 0.0: no "-0." where a is 0
            if penalty_rule(learn):
                w = arch.views(step.theta)[0][i]
                l1, l2 = learn.penalty
                lines.append(f"    penalty, {penalty_rule(learn)}:")
                lines.append(_array(len(step.rows) * (l1 * np.sign(w) + l2 * w)))
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
    looking = "" if learn.row is None else f", looking at {row_name(learn.row)}"
    changed = f"\nTrained as changed at {learn.change}" if learn.change else ""
    return f"Epoch {learn.epoch:,} -> {learn.epoch + 1:,} of {arch!r}: {batch}{looking}{changed}"


def _neurons(n: int) -> str:
    return "1 neuron" if n == 1 else f"{n} neurons"


def _array(values: np.ndarray) -> str:
    return np.array2string(np.asarray(values))


MAX_ROWS_LISTED = 10  # a formula's per-row breakdown stops here (with a count of the rest)


def _num(v: float) -> str:
    return f"{v:.4g}".replace("-", "−")


def _signed(v: float) -> str:
    return f"{v:+.4g}".replace("-", "−")


def _rows_listed(learn: LearnStep) -> list[tuple[int, int]]:
    """(position in the shown step, training row) of each shown row."""
    step = learn.step
    positions = range(len(step.rows))[learn.shown_rows()]
    return [(k, int(step.rows[k])) for k in positions]


def synapse_formula(learn: LearnStep, layer: int, i: int, j: int, names: list[str]) -> str:
    """Δw of weight layer `layer`'s synapse from neuron i (below) to j (above), with its real values,
    row by row for a batch: `Δw(h2 → out) = lr × Σ a(h2)·δ(out) = 1 × 0.0312 = +0.0312`."""
    step, src, dst = learn.step, names[0], names[1]
    a, d = step.activations[layer][:, i], step.deltas[layer][:, j]
    w = learn.arch.views(step.theta)[0][layer][i, j]
    dw = step.delta_w[layer][i, j]
    rows = _rows_listed(learn)
    lines = [f"w({src} → {dst}) = {_num(w)}"]
    if learn.row is not None:
        k = rows[0][0]
        lines.append(f"{row_name(learn.row)}: a({src})·δ({dst}) = {_num(a[k])} × {_num(d[k])} = {_signed(a[k] * d[k])}")
    rule = update_rule(learn, f"Σ a({src})·δ({dst})")
    if penalty_rule(learn):  # the rows' sum, less the penalty's pull toward zero
        numbers, _ = _penalty_values(learn, len(step.rows), w)
        values = f"{learn.lr:g} × ({_num(float(a.dot(d)))} − {numbers})"
    else:
        values = f"{learn.lr:g} × {_num(dw / learn.lr)}"
    lines.append(f"Δw({src} → {dst}) = {rule} = {values} = {_signed(dw)}")
    if learn.row is None and len(rows) > 1:
        lines.append("the sum, row by row:")
        for k, row in rows[:MAX_ROWS_LISTED]:
            lines.append(f"  {row_name(row)}: {_num(a[k])} × {_num(d[k])} = {_signed(a[k] * d[k] + 0.0)}")  # no −0
        if len(rows) > MAX_ROWS_LISTED:
            lines.append(f"  … and {len(rows) - MAX_ROWS_LISTED} more rows")
    lines.append(
        f"w + Δw = {w:.7g} {_signed(dw).replace('+', '+ ').replace('−', '− ')} = {w + dw:.7g}".replace("-", "−")
    )
    lines.append(_strength_change(w, w + dw))
    return "\n".join(lines)


def _strength_change(w: float, after: float) -> str:
    """Whether the step made a weight stronger (|w| larger: a thicker line) or weaker, and by how much."""
    change = abs(after) - abs(w)
    if change == 0:
        return "|w| stays as it is"
    word = "stronger" if change > 0 else "weaker"
    return f"|w| {'grows' if change > 0 else 'shrinks'} by {abs(change):.3g}: the synapse gets {word}"


def neuron_formula(learn: LearnStep, layer: int, j: int, labels: list[str]) -> str:
    """δ of neuron j of `layer` (1 = the first past the inputs; `labels` names that layer's neurons),
    its rule and real values, row by row."""
    step, arch = learn.step, learn.arch
    name, act = labels[j], arch.activations[layer - 1]
    a = step.activations[layer][:, j]
    top = layer == len(arch.layers) - 1
    if top:
        lines = [f"δ({name}) = {output_rule(act)}"]
    else:  # the deltas above, sent back through this neuron's weights
        lines = [f"δ({name}) = Σₖ δ(k)·w({name} → k) × {SLOPES[act].replace('output', f'a({name})')}"]
    rows = _rows_listed(learn)
    for k, row in rows[:MAX_ROWS_LISTED]:
        d = step.deltas[layer - 1][k, j]
        if top:
            difference = f"{_num(step.error[k, j] + a[k])} − {_num(a[k])}"
            if act == "softmax":
                lines.append(f"{row_name(row)}: {difference} = {_signed(d)}")
            else:
                lines.append(f"{row_name(row)}: ({difference}) × {_slope_value(act, a[k])} = {_signed(d)}")
        else:
            back = float(step.deltas[layer][k] @ arch.views(step.theta)[0][layer][j])
            lines.append(f"{row_name(row)}: {_num(back)} × {_slope_value(act, a[k])} = {_signed(d)}")
    if len(rows) > MAX_ROWS_LISTED:
        lines.append(f"… and {len(rows) - MAX_ROWS_LISTED} more rows")
    if len(rows) > 1:
        lines.append(f"Σ δ({name}) over the rows = {_signed(step.deltas[layer - 1][:, j].sum())}")
    if step.delta_b[layer - 1] is not None:
        lines.append(f"Δb({name}) = lr × Σ δ = {_signed(step.delta_b[layer - 1][j])}")
    return "\n".join(lines)


def _slope_value(act: str, a: float) -> str:
    """The slope's factors with a's value: '0.49 × (1 − 0.49)' for sigmoid."""
    if act == "sigmoid":
        return f"{_num(a)} × (1 − {_num(a)})"
    if act == "tanh":
        return f"(1 − {_num(a)}²)"
    if act == "relu":
        return "1" if a > 0 else "0"
    return "1"
