"""What the views show: one run (its history, configuration and data) and whether the app can train it."""

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from netviz.engine.data import Dataset
from netviz.engine.training import TrainConfig
from netviz.scene.scene import neuron_labels


class HistoryLike(Protocol):
    """Epochs 0..latest_epoch of a run, trained here (History) or recorded (RecordedHistory)."""

    config: TrainConfig
    dataset: Dataset

    @property
    def latest_epoch(self) -> int: ...

    @property
    def loss(self) -> np.ndarray:  # (latest_epoch + 1,) mean squared error of each epoch
        ...

    def weights_at(self, epoch: int) -> np.ndarray:  # theta (n_params,)
        ...

    def outputs_at(self, epoch: int) -> np.ndarray:  # (n_rows, n_out) for the data's rows
        ...


@dataclass
class Run:
    """A run as every panel sees it; `trainable` is False for a recording (nothing trains it further)."""

    history: HistoryLike
    trainable: bool
    labels: list[str] = field(init=False)

    def __post_init__(self):
        self.labels = neuron_labels(self.config.arch.layers, self.dataset.input_names, self.dataset.target_names)

    @property
    def config(self) -> TrainConfig:
        return self.history.config

    @property
    def dataset(self) -> Dataset:
        return self.history.dataset
