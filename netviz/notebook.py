"""The player in a notebook: `netviz.show(run)` displays a run's interactive page inline (no server).

The page is the HTML export, embedded in an iframe's srcdoc so that its script and style stay
apart from the notebook's own.
"""

import html
import os

from netviz.export.html import html_page, page_data, run_title
from netviz.export.options import EXPORT_FRAMES, ExportOptions

IFRAME_CONTROLS = 230  # css pixels under the drawing: the controls and the loss curve
EDIT_LINE = 24  # css pixels more for a run edited mid-way: the line naming the last edit passed


def history_of(run):
    """The History of a session path, a loaded session (anything with .history), a netviz.load result, a
    Recorder or a History."""
    from netviz.engine.session import load_session
    from netviz.recorder import Recorder

    if isinstance(run, str | os.PathLike):
        return load_session(run).history
    if isinstance(run, Recorder):
        return load_session(run.path).history  # the epochs recorded so far (a recording reads as its journal)
    if hasattr(run, "history"):
        return run.history
    if hasattr(run, "session"):  # netviz.load's LoadedRun
        return run.session.history
    if hasattr(run, "weights_at") and hasattr(run, "latest_epoch"):
        return run
    raise TypeError(f"netviz.show needs a session path, a loaded session, a Recorder or a History, not {run!r}")


class Player:
    """An exported page that shows itself in Jupyter (`_repr_html_`) and can be saved."""

    def __init__(self, page: str, size: tuple[int, int], controls: int = IFRAME_CONTROLS):
        self.html, self.size, self.controls = page, size, controls  # controls: css pixels under the drawing

    def _repr_html_(self) -> str:
        height = self.size[1] + self.controls
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;max-width:{self.size[0] + 16}px;'
            f'height:{height}px;border:0" sandbox="allow-scripts" title="netviz player"></iframe>'
        )

    def save(self, path: str) -> None:
        """Write the page to path (the same file as `netviz export path.html`)."""
        from netviz.atomic import write_bytes

        write_bytes(path, self.html.encode("utf-8"))


def show(run, frames: int | None = None, **settings) -> Player:
    """The interactive player of `run` (see history_of); settings as netviz export's (theme, size, schedule...)."""
    # Up to 100 epochs are exported, never more than the run has.
    history = history_of(run)
    data = history.dataset
    last = history.latest_epoch
    first = data.new_situation if data.new_situation is not None else (data.inputs[0] if len(data) else None)
    span = last - (settings.get("start") or 0) + 1
    frames = frames or min(EXPORT_FRAMES, span)
    options = ExportOptions("netviz.html", frames=frames, **settings).for_run(last, data.n_in, first)
    data = page_data(history, options)
    controls = IFRAME_CONTROLS + (EDIT_LINE if data["edits"] else 0)
    return Player(html_page(data, run_title(history)), options.size, controls)
