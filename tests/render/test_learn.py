"""Painting a Learn stage: the names drawn are the run's own."""

import numpy as np
import pytest
from PyQt6.QtGui import QImage

from netviz.engine.data import Dataset
from netviz.engine.history import History
from netviz.engine.learn import learn_step
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer
from netviz.render.learn import paint_learn
from netviz.render.primitives import painting
from netviz.scene.learn import place_edge_notes
from netviz.scene.scene import neuron_labels
from netviz.scene.style import THEMES, log_scale


def test_the_stage_names_the_neurons_with_the_runs_class_names(qapp):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    data = Dataset(x, np.eye(3)[[0, 1, 2, 0]], target_names=["cat", "dog", "owl"])
    config = TrainConfig(Architecture.of((2, 3, 3), ("tanh", "softmax"), True), lr=0.3, epochs=2)
    history = History(config, data)
    Trainer(config, data).run(history, 2)
    labels = neuron_labels((2, 3, 3), ["x", "y"], data.target_names)
    image = QImage(800, 500, QImage.Format.Format_RGB32)
    with painting(image) as painter:
        scene, _ = paint_learn(painter, 800, 500, learn_step(history, 1), "backward", 1.0, THEMES["light"],
                               log_scale(), labels)  # fmt: skip
    drawn = {box.text for box in scene.geometry.labels.names.values()}
    assert {"cat", "dog", "owl", "x", "y"} <= drawn


def band_has_text(image: QImage, left: int, right: int, background) -> bool:
    """Whether any pixel of the line under the caption (y 36..48) between left and right differs from the background."""
    return any(image.pixelColor(x, y).getRgb()[:3] != background for x in range(left, right, 2) for y in range(36, 48))


def test_under_the_caption_the_window_gives_its_keys_and_a_changed_step_says_so(qapp):
    from dataclasses import replace

    from netviz.engine.data import blog

    config = TrainConfig(Architecture.of((3, 4, 1)), epochs=2)
    history = History(config, blog())
    Trainer(config, blog()).run(history, 2)
    plain = learn_step(history, 1)
    changed = replace(plain, change="epoch 1: learning rate 1 → 2")
    theme, labels = THEMES["light"], neuron_labels((3, 4, 1))
    background = theme.rgb("background")[:3]

    def drawn(learn, hint):
        image = QImage(800, 500, QImage.Format.Format_RGB32)
        with painting(image) as painter:
            paint_learn(painter, 800, 500, learn, "error", 1.0, theme, log_scale(), labels, hint=hint)
        return band_has_text(image, 16, 300, background), band_has_text(image, 680, 784, background)

    assert drawn(plain, hint=False) == (False, False)  # a GIF frame: nothing under the caption
    assert drawn(plain, hint=True) == (True, False)
    assert drawn(changed, hint=False) == (False, True)


# The last three sizes: the canvas a small window leaves the drawing, where notes once ran together.
@pytest.mark.parametrize("layers", [(3, 4, 1), (2, 8, 8, 1)])
@pytest.mark.parametrize("size", [(900, 600), (800, 500), (550, 400), (500, 350), (550, 250)])
def test_written_changes_never_overlap_one_another_nor_a_neuron(qapp, monkeypatch, layers, size):
    import netviz.render.learn as render_learn

    placed = []

    def recorded(segments, sizes, discs, turns):
        centres = place_edge_notes(segments, sizes, discs, turns)
        placed.append((centres, sizes, discs))
        return centres

    monkeypatch.setattr(render_learn, "place_edge_notes", recorded)
    from netviz.engine.data import blog

    rng = np.random.default_rng(0)
    data = blog() if layers == (3, 4, 1) else Dataset(rng.uniform(size=(8, layers[0])), rng.uniform(size=(8, 1)))
    config = TrainConfig(Architecture.of(layers), epochs=2)
    history = History(config, data)
    Trainer(config, data).run(history, 2)
    image = QImage(*size, QImage.Format.Format_RGB32)
    with painting(image) as painter:
        paint_learn(painter, *size, learn_step(history, 1), "update", 1.0, THEMES["light"], log_scale(),
                    neuron_labels(layers))  # fmt: skip
    if layers == (3, 4, 1):
        assert placed  # 2-8-8-1 has too many synapses to write on: its largest changes are drawn instead
    for centres, sizes, discs in placed:
        assert_apart(centres, sizes, discs)


def assert_apart(centres: np.ndarray, sizes: np.ndarray, discs: np.ndarray) -> None:
    """The notes written (centres not NaN) overlap no other note nor a disc (x, y, r)."""
    shown = ~np.isnan(centres[:, 0])
    assert shown.sum() >= len(centres) // 2  # most changes are still written
    boxes = np.column_stack([centres - sizes / 2, centres + sizes / 2])[shown]
    for k, (left, top, right, bottom) in enumerate(boxes):
        others = np.delete(boxes, k, axis=0)
        assert not (
            (others[:, 0] < right) & (others[:, 2] > left) & (others[:, 1] < bottom) & (others[:, 3] > top)
        ).any()
        nearest = np.column_stack([np.clip(discs[:, 0], left, right), np.clip(discs[:, 1], top, bottom)])
        assert (np.hypot(*(discs[:, :2] - nearest).T) >= discs[:, 2]).all()
