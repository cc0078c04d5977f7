"""The step told in words: the hover formulas and the console text, with the engine's numbers."""

import numpy as np
import pytest

from netviz.engine.data import Dataset, blog
from netviz.engine.explain import SLOPES, explain_text, neuron_formula, synapse_formula
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
        assert top.splitlines()[0] == f"δ(out1) = (target − output) × {SLOPES['softmax']}"
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
