"""The interface every panel of the window implements; the window drives them all alike."""

from typing import Protocol

from netviz.player.run import Run
from netviz.scene.style import Theme


class Panel(Protocol):
    """A view of one run at the playhead's epoch.

    set_run: a new run (history, configuration, data). show_epoch: draw this epoch now; called
    once per painted frame, so it must be cheap (the same epoch as the drawing, every frame).
    set_theme: the window's theme changed.
    """

    def set_run(self, run: Run) -> None: ...

    def show_epoch(self, epoch: int) -> None: ...

    def set_theme(self, theme: Theme) -> None: ...
