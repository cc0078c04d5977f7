"""netviz: watch a small neural network learn."""

__version__ = "0.1.0"
