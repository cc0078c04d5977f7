"""Think mode's clock: the forward pass moves one layer every THINK_LAYER_MS, holds on the answer,
and with "cycle rows" goes on to the next input."""

from PyQt6.QtCore import QElapsedTimer

from netviz.scene.scene import Think

THINK_LAYER_MS, THINK_HOLD_MS = 700, 1300  # time per layer, pause on the answer


class ThinkClock:
    """How far the signal has travelled; `next_row` says which input comes after the current one."""

    def __init__(self):
        self._clock = QElapsedTimer()
        self._clock.start()

    def restart(self) -> None:
        self._clock.restart()

    def progress(self, n_layers: int) -> float:
        """Weight layers crossed so far, 0..n_layers."""
        return min(n_layers, self._clock.elapsed() / THINK_LAYER_MS)

    def done(self, n_layers: int) -> bool:
        """The pass reached the output and was held there long enough."""
        return self._clock.elapsed() > n_layers * THINK_LAYER_MS + THINK_HOLD_MS

    def think(self, n_layers: int, targets) -> Think:
        return Think(self.progress(n_layers), targets)
