"""The training engine: NumPy only, never Qt."""

from netviz.engine.data import DataError, Dataset, blog, load_csv
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.training import Diverged, TrainConfig, Trainer, blog_config

__all__ = [
    "Architecture",
    "DataError",
    "Dataset",
    "Diverged",
    "History",
    "TrainConfig",
    "Trainer",
    "blog",
    "blog_config",
    "load_csv",
]
