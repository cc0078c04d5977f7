"""The step told in words: the hover formulas and the console text, with the engine's numbers."""

from dataclasses import replace

import numpy as np
import pytest

from netviz.engine.data import Dataset, blog
from netviz.engine.explain import SOFTMAX_RULE, explain_text, neuron_formula, synapse_formula
from netviz.engine.history import History
from netviz.engine.learn import learn_step
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer


def trained(config, dataset) -> History:
    history = History(config, dataset)
    Trainer(config, dataset).run(history, config.epochs)
    return history


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def test_synapse_formula_adds_the_rows_shares_to_the_engines_delta_w():
    config = TrainConfig(Architecture.of((3, 4, 1), bias=True), lr=0.5, epochs=3)
    learn = learn_step(trained(config, blog()), 2)
    text = synapse_formula(learn, 0, 2, 1, ["x3", "h2"])
    lines = text.splitlines()
    dw = learn.step.delta_w[0][2, 1]
    assert lines[1].startswith("Δw(x3 → h2) = lr × Σ a(x3)·δ(h2) = 0.5 × ")
    assert number(lines[1].rsplit("= ", 1)[1]) == pytest.approx(dw, rel=1e-3)
    rows = [line for line in lines if line.startswith("  row ")]
    assert len(rows) == 7
    shares = [number(line.rsplit("= ", 1)[1]) for line in rows]
    assert sum(shares) == pytest.approx(dw / 0.5, rel=1e-3, abs=1e-6)


def test_neuron_formula_names_the_rule_of_each_activation():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    data = Dataset(x, np.eye(3)[[0, 1, 2, 0]])
    for hidden in ("tanh", "relu", "linear", "sigmoid"):
        config = TrainConfig(Architecture.of((2, 3, 3), (hidden, "softmax"), True), lr=0.3, epochs=2)
        learn = learn_step(trained(config, data), 1, row=1)
        top = neuron_formula(learn, 2, 0, ["out1", "out2", "out3"])
        assert top.splitlines()[0] == f"δ(out1) = {SOFTMAX_RULE}"
        target, output = data.targets[1, 0], learn.step.activations[2][1, 0]
        assert top.splitlines()[1].startswith(f"row 2: {target:.4g} − {output:.4g} = ")  # no slope to multiply by
        assert number(top.splitlines()[1].rsplit("= ", 1)[1]) == pytest.approx(learn.step.deltas[1][1, 0], rel=1e-3)
        h = neuron_formula(learn, 1, 2, ["h1", "h2", "h3"])
        assert h.splitlines()[0].startswith("δ(h3) = Σₖ δ(k)·w(h3 → k) × ")
        assert "Δb(h3) = lr × Σ δ" in h
        assert number(h.splitlines()[1].rsplit("= ", 1)[1]) == pytest.approx(
            learn.step.deltas[0][1, 2], rel=1e-3, abs=1e-12
        )


def test_text_of_a_mini_batch_epoch_lists_each_step_and_its_rows():
    config = TrainConfig(batch=3, epochs=3, seed=2)
    learn = learn_step(trained(config, blog()), 1)
    text = explain_text(learn, ["x1", "x2", "x3"], ["out"])
    assert "7 rows in 3 steps" in text
    steps = [line for line in text.splitlines() if line.startswith("-- step ")]
    assert len(steps) == 3
    listed = sorted(int(r) for line in steps for r in line.split("rows ")[1].split(", "))
    assert listed == list(range(1, 8))  # every row once, counted from 1


def xor_data() -> Dataset:
    return Dataset(np.array([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.25]]), np.array([[0], [1], [1], [0], [1]]))


@pytest.mark.parametrize(
    ("l1", "l2", "rule"),
    [(0.0, 0.05, "k·l2·w"), (0.02, 0.0, "k·l1·sign(w)"), (0.02, 0.05, "k·(l1·sign(w) + l2·w)")],
)
def test_synapse_formula_shows_the_penalty_term_with_its_numbers(l1, l2, rule):
    config = TrainConfig(Architecture.of((2, 3, 1), ("tanh", "sigmoid"), True), lr=0.4, epochs=3, l1=l1, l2=l2)
    learn = learn_step(trained(config, xor_data()), 2)
    step = learn.step
    w, dw = learn.weights()[0][1, 2], step.delta_w[0][1, 2]
    line = synapse_formula(learn, 0, 1, 2, ["x2", "h3"]).splitlines()[1]
    head, sums, result, _ = line.split(" = ")
    assert head == "Δw(x2 → h3)" and sums == f"lr × (Σ a(x2)·δ(h3) − {rule})"
    gradient = float(step.activations[0][:, 1].dot(step.deltas[0][:, 2]))
    sign = f"{np.sign(w):.4g}".replace("-", "−")
    penalty = {
        "k·l2·w": f"5 × 0.05 × {w:.4g}",
        "k·l1·sign(w)": f"5 × 0.02 × {sign}",
        "k·(l1·sign(w) + l2·w)": f"5 × (0.02 × {sign} + 0.05 × {w:.4g})",
    }[rule].replace("-", "−")
    assert result.startswith(f"0.4 × ({gradient:.4g} − {penalty})".replace("-", "−"))
    assert number(line.rsplit("= ", 1)[1]) == pytest.approx(dw, rel=1e-3)
    assert dw == pytest.approx(0.4 * (gradient - 5 * (l1 * np.sign(w) + l2 * w)), rel=1e-12)


def test_text_lists_each_layers_penalty_and_the_rates():
    config = TrainConfig(Architecture.of((2, 3, 1), ("tanh", "sigmoid"), True), lr=0.4, epochs=3, l2=0.05)
    learn = learn_step(trained(config, xor_data()), 2)
    text = explain_text(learn, ["x", "y"], ["out"])
    assert (
        "Δw = lr × (a_below.T · δ − k·l2·w), the product summing over the rows (lr = 0.4, l2 = 0.05, k = 5 rows)"
        in text
    )
    lines = text.splitlines()
    at = [k for k, line in enumerate(lines) if line == "    penalty, k·l2·w:"]
    assert len(at) == 2
    first = np.array([float(v) for v in lines[at[0] + 1].strip("[] ").split()])  # the 2-3 layer's first row
    np.testing.assert_allclose(first, 5 * 0.05 * learn.weights()[0][0], rtol=1e-6)
    plain = explain_text(learn_step(trained(replace(config, l2=0.0), xor_data()), 2), ["x", "y"], ["out"])
    assert "penalty" not in plain and "Δw = lr × a_below.T · δ, the product" in plain


def test_a_step_after_a_change_says_which_change_it_trained_under():
    from netviz.engine import segments

    config = TrainConfig(Architecture.of((2, 3, 1), ("tanh", "sigmoid"), True), lr=0.5, seed=2, epochs=8)
    history = History(config, xor_data())
    segments.train(history, 4)
    segments.change_settings(history, 4, {"lr": 2.0, "l2": 0.1})
    segments.resume(history).run(history, 8)
    before, after = learn_step(history, 3), learn_step(history, 5)
    assert before.change == "" and before.penalty == (0.0, 0.0)
    assert after.change == "epoch 4: learning rate 0.5 → 2, L2 rate 0 → 0.1" and after.penalty == (0.0, 0.1)
    text = explain_text(after, ["x", "y"], ["out"])
    assert text.splitlines()[1] == "Trained as changed at epoch 4: learning rate 0.5 → 2, L2 rate 0 → 0.1"
    assert "(lr = 2, l2 = 0.1, k = 5 rows)" in text
    assert "(target −" not in explain_text(before, ["x", "y"], ["out"]).splitlines()[1]


def test_synapse_formula_says_whether_the_step_makes_the_synapse_stronger():
    learn = learn_step(trained(TrainConfig(epochs=3), blog()), 2)
    for i, j, names in ((2, 0, ["x3", "h1"]), (0, 2, ["x1", "h3"]), (1, 1, ["x2", "h2"])):
        w, dw = learn.weights()[0][i, j], learn.step.delta_w[0][i, j]
        lines = synapse_formula(learn, 0, i, j, names).splitlines()
        assert number(lines[-2].rsplit("= ", 1)[1]) == pytest.approx(w + dw, rel=1e-6)
        grows = abs(w + dw) > abs(w)
        assert lines[-1].startswith("|w| grows by" if grows else "|w| shrinks by"), names
        assert number(lines[-1].split(" by ")[1].split(":")[0]) == pytest.approx(abs(abs(w + dw) - abs(w)), rel=1e-2)
