"""Starts the netviz window; an uncaught error shows a dialog and is logged, never a silent exit."""

import os
import socket
import sys
from pathlib import Path

from PyQt6.QtCore import QTimer
from PyQt6.QtGui import QIcon
from PyQt6.QtWidgets import QApplication

from netviz.ui.errors import excepthook, setup_logging


def app_icon() -> QIcon:
    return QIcon(str(Path(__file__).resolve().parent.parent / "assets" / "icon.png"))


def display_problem() -> str | None:
    """Why the X display in DISPLAY cannot be reached, or None; Qt aborts the process instead of saying so."""
    display = os.environ.get("DISPLAY", "")
    platform = (os.environ.get("QT_QPA_PLATFORM") or "xcb").partition(":")[0]
    if not sys.platform.startswith("linux") or platform != "xcb" or os.environ.get("WAYLAND_DISPLAY") or not display:
        return None  # another platform plugin, or the no-display case the command line reports itself
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return f"DISPLAY={display} is not a display name like :0 or host:0"
    if host in ("", "unix"):
        where = f"/tmp/.X11-unix/X{number}"
        reached = _unix_connects(where) or _unix_connects("\0" + where)  # a socket file, or Linux's abstract one
    else:
        where = f"{host} port {6000 + int(number)}"
        reached = _tcp_connects(host, 6000 + int(number))
    return None if reached else f"no X server answers on DISPLAY={display} ({where})"


def _unix_connects(path: str) -> bool:
    """Whether a Unix socket at path accepts a connection."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(path)
    except OSError:
        return False
    return True


def _tcp_connects(host: str, port: int) -> bool:
    """Whether host accepts a TCP connection on port within a second."""
    try:
        socket.create_connection((host, port), timeout=1.0).close()
    except OSError:
        return False
    return True


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
