"""Render: paints scenes with QPainter (no widgets). Imports Qt; the engine and scene do not."""

import os
import sys

_app = None  # keeps the application alive for as long as the process paints


def ensure_gui_app():
    """A QGuiApplication for painting; offscreen when no display is set or none answers (servers, CI)."""
    from PyQt6.QtGui import QGuiApplication

    from netviz.display import display_problem

    global _app
    app = QGuiApplication.instance()
    if app is None:
        no_display = not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("darwin", "win32")
        )
        if "QT_QPA_PLATFORM" not in os.environ and (no_display or display_problem()):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = _app = QGuiApplication(sys.argv[:1])
    return app
