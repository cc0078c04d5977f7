"""Starts the netviz window; an uncaught error shows a dialog and is logged, never a silent exit."""

import os
import sys
from pathlib import Path

from PyQt6.QtCore import QTimer
from PyQt6.QtGui import QIcon
from PyQt6.QtWidgets import QApplication

from netviz.display import display_problem
from netviz.ui.errors import excepthook, setup_logging


def app_icon() -> QIcon:
    return QIcon(str(Path(__file__).resolve().parent.parent / "assets" / "icon.png"))


def main(argv: list[str] | None = None) -> int:
    from netviz.ui.main_window import MainWindow

    problem = None if QApplication.instance() else display_problem()
    if problem:
        print(
            f"netviz: error: {problem}; on a server, netviz train, snapshot and export work without one",
            file=sys.stderr,
        )
        return 2  # the command line's exit code for bad input
    setup_logging()
    sys.excepthook = excepthook
    paths = [a for a in (argv or []) if not a.startswith("-")]
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("netviz")
    app.setWindowIcon(app_icon())
    window = MainWindow()
    window.show()
    window.files.follow = "--no-follow" not in (argv or [])
    if paths:
        window.open_session(paths[0])
    if os.environ.get("NETVIZ_QUIT_AFTER_MS"):  # for smoke tests of the real entry point
        QTimer.singleShot(int(os.environ["NETVIZ_QUIT_AFTER_MS"]), window.close)
    return app.exec()
