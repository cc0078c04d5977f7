"""Painting a Learn stage: the names drawn are the run's own."""

import numpy as np
from PyQt6.QtGui import QImage

from netviz.engine.data import Dataset
from netviz.engine.history import History
from netviz.engine.learn import learn_step
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer
from netviz.render.learn import paint_learn
from netviz.render.primitives import painting
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
